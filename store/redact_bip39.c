/* SPDX-License-Identifier: MIT */
/*
 * The checksums the redactor trusts: SHA-256 (FIPS 180-4), Base58Check
 * (WIF and extended keys) and the BIP39 word lists with their checksum,
 * English words looked up by their first four letters, Chinese ones by
 * code point.
 */
#include "store/redact.h"
#include "store/ascii.h"
#include "store/redact_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* --- SHA-256 (its constants: sha256_k, generated) ------------------------ */

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
sha_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
		    (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; k = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = k + S1 + ch + sha256_k[i] + w[i];
		uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
		uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + mj;
		k = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

void
sha256(const void *data, size_t n, uint8_t out[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const uint8_t *p = data;
	uint8_t tail[128];
	size_t full = n & ~(size_t)63, rest = n - full, tl;
	uint64_t bits = (uint64_t)n * 8;

	for (size_t i = 0; i < full; i += 64)
		sha_block(h, p + i);
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	tl = rest + 1 + 8 <= 64 ? 64 : 128;
	for (int i = 0; i < 8; i++)
		tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
	sha_block(h, tail);
	if (tl == 128)
		sha_block(h, tail + 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(h[i] >> 8);
		out[4 * i + 3] = (uint8_t)h[i];
	}
}

/* --- base58check ----------------------------------------------------------- */

/* Base58 digits by byte (-1: not one) */
static int8_t b58_digit[256];
static pthread_once_t b58_once = PTHREAD_ONCE_INIT;
static atomic_int b58_ready;

static void
b58_init(void)
{
	static const char alpha[] =
	    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

	memset(b58_digit, -1, sizeof(b58_digit));
	for (int i = 0; i < 58; i++)
		b58_digit[(unsigned char)alpha[i]] = (int8_t)i;
	DONE(b58_ready);
}

int
base58_decode(const char *s, size_t len, uint8_t *out, size_t cap)
{
	/* the number in 32-bit limbs, least significant first, taken five
	 * digits at a time (58^5 < 2^32); 160 digits fit in 30 limbs */
	uint32_t limb[32];
	size_t nl = 0, zeros = 0, n;

	if (len > 160)
		return -1;
	ONCE(b58_ready, b58_once, b58_init);
	while (zeros < len && s[zeros] == '1')
		zeros++;
	for (size_t i = 0; i < len;) {
		uint32_t mul = 1, add = 0;
		for (size_t k = 0; k < 5 && i < len; k++, i++) {
			int d = b58_digit[(unsigned char)s[i]];
			if (d < 0)
				return -1;
			mul *= 58;
			add = add * 58 + (uint32_t)d;
		}
		uint64_t carry = add;
		for (size_t j = 0; j < nl; j++) {
			carry += (uint64_t)limb[j] * mul;
			limb[j] = (uint32_t)carry;
			carry >>= 32;
		}
		if (carry)
			limb[nl++] = (uint32_t)carry;
	}
	/* its bytes, most significant first, without leading zero bytes */
	n = nl * 4;
	while (n > 0 && (limb[(n - 1) / 4] >> (8 * ((n - 1) % 4)) & 0xFF) == 0)
		n--;
	if (n + zeros > cap)
		return -1;
	memset(out, 0, zeros);
	for (size_t j = 0; j < n; j++)
		out[zeros + j] = (uint8_t)(limb[(n - 1 - j) / 4] >>
		    (8 * ((n - 1 - j) % 4)));
	return (int)(n + zeros);
}

int
base58check_ok(const uint8_t *b, int n)
{
	uint8_t h[32], h2[32];

	if (n < 5)
		return 0;
	sha256(b, (size_t)n - 4, h);
	sha256(h, 32, h2);
	return memcmp(h2, b + n - 4, 4) == 0;
}

/* --- BIP39 --------------------------------------------------------------- */

/* English words by their first four letters (unique in the list) in an
 * open-addressing table, with each word's key and length kept so a
 * lookup compares numbers before it compares letters. */
#define EN_SLOTS 4096
static int16_t en_slot[EN_SLOTS];
static uint32_t en_keys[2048];
static uint8_t en_len[2048];
static pthread_once_t en_once = PTHREAD_ONCE_INIT;
static atomic_int en_ready;

static uint32_t
en_key(const char *low, size_t len)
{
	uint32_t k = 0;

	for (size_t i = 0; i < 4; i++)
		k = k << 8 | (i < len ? (unsigned char)low[i] : 0);
	return k;
}

static unsigned
en_hash(uint32_t k)
{
	return (k * 2654435761u) >> 20;	/* 12 bits */
}

static void
en_init(void)
{
	for (int i = 0; i < EN_SLOTS; i++)
		en_slot[i] = -1;
	for (int i = 0; i < 2048; i++) {
		const char *e = bip39_english[i];
		en_len[i] = (uint8_t)strlen(e);
		en_keys[i] = en_key(e, en_len[i]);
		unsigned h = en_hash(en_keys[i]);
		while (en_slot[h] >= 0)
			h = (h + 1) % EN_SLOTS;
		en_slot[h] = (int16_t)i;
	}
	DONE(en_ready);
}

int
bip39_en_index(const char *w, size_t len)
{
	char low[16];

	if (len < 3 || len > 8)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];
		if (!a_alpha(c))
			return -1;
		low[i] = (char)(c | 0x20);
	}
	ONCE(en_ready, en_once, en_init);
	uint32_t k = en_key(low, len);
	for (unsigned h = en_hash(k); en_slot[h] >= 0; h = (h + 1) % EN_SLOTS) {
		int i = en_slot[h];
		if (en_keys[i] != k)
			continue;
		/* the word itself, or a prefix of 4 letters or more */
		if ((en_len[i] == len || (len >= 4 && len < en_len[i])) &&
		    memcmp(bip39_english[i], low, len) == 0)
			return i;
		return -1;
	}
	return -1;
}

/* Whether a and b differ by one edit: a letter changed, added, dropped,
 * or two next to each other swapped. */
static int
one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;

	while (i < na && i < nb && a[i] == b[i])
		i++;
	if (na == nb)
		return i < na && (!memcmp(a + i + 1, b + i + 1, na - i - 1) ||
		    (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		    !memcmp(a + i + 2, b + i + 2, na - i - 2)));
	if (na == nb + 1)
		return !memcmp(a + i + 1, b + i, nb - i);
	if (nb == na + 1)
		return !memcmp(a + i, b + i + 1, na - i);
	return 0;
}

int
bip39_en_near(const char *w, size_t len)
{
	char low[16];

	if (len < 5 || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!a_alpha((unsigned char)w[i]))
			return -1;
		low[i] = (char)(w[i] | 0x20);
	}
	ONCE(en_ready, en_once, en_init);
	uint32_t k = en_key(low, len);
	for (unsigned h = en_hash(k); en_slot[h] >= 0; h = (h + 1) % EN_SLOTS) {
		int i = en_slot[h];
		size_t n = en_len[i];
		if (en_keys[i] != k)
			continue;
		/* not a plural or past tense: "animals" is prose */
		if (len > n && !memcmp(low, bip39_english[i], n) &&
		    (low[n] == 's' || low[n] == 'd'))
			return -1;
		return n >= 5 && one_edit(low, len, bip39_english[i], n) ? i :
		    -1;
	}
	return -1;
}

/* Chinese wordlist characters by code point: all lie in the CJK block */
#define ZH_LO 0x4E00
#define ZH_HI 0x9FFF
static int16_t zh_index[ZH_HI - ZH_LO + 1];
static pthread_once_t zh_once = PTHREAD_ONCE_INIT;
static atomic_int zh_ready;

/* Both Chinese lists: they give a word the same index (a character in
 * both stands at one index: gen_bip39.py checks), so one table serves a
 * phrase in either script. */
static void
zh_init(void)
{
	const uint32_t *const lists[] = { bip39_chinese, bip39_chinese_trad };

	for (size_t i = 0; i < ARRAY_LEN(zh_index); i++)
		zh_index[i] = -1;
	for (size_t l = 0; l < ARRAY_LEN(lists); l++)
		for (int i = 0; i < 2048; i++)
			if (lists[l][i] >= ZH_LO && lists[l][i] <= ZH_HI)
				zh_index[lists[l][i] - ZH_LO] = (int16_t)i;
	DONE(zh_ready);
}

int
bip39_zh_index(uint32_t cp)
{
	ONCE(zh_ready, zh_once, zh_init);
	if (cp < ZH_LO || cp > ZH_HI)
		return -1;
	return zh_index[cp - ZH_LO];
}

int
bip39_checksum_ok(const int *idx, int n)
{
	uint8_t bytes[33], h[32];
	int bits = n * 11, cs = bits / 33, ent = bits - cs;

	if (n < 12 || n > 24 || n % 3)
		return 0;
	/* the 11-bit indices packed big-endian, eight bits out at a time */
	memset(bytes, 0, sizeof(bytes));
	uint32_t acc = 0;
	int nb = 0, o = 0;
	for (int i = 0; i < n; i++) {
		acc = acc << 11 | ((uint32_t)idx[i] & 0x7FF);
		for (nb += 11; nb >= 8; nb -= 8)
			bytes[o++] = (uint8_t)(acc >> (nb - 8));
	}
	if (nb > 0)
		bytes[o] = (uint8_t)(acc << (8 - nb));
	sha256(bytes, (size_t)ent / 8, h);
	for (int b = 0; b < cs; b++) {
		int pos = ent + b;
		int got = bytes[pos / 8] >> (7 - pos % 8) & 1;
		int want = h[b / 8] >> (7 - b % 8) & 1;
		if (got != want)
			return 0;
	}
	return 1;
}
