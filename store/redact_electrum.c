/* SPDX-License-Identifier: MIT */
/*
 * Electrum's own seeds: words of BIP39's English list whose checksum is
 * not BIP39's but a version: HMAC-SHA512 keyed "Seed version" over the
 * words (lower case, one blank between) starts with hex 01 (standard),
 * 100 (segwit), 101 or 102 (two-factor). One in 256 word runs passes by
 * chance for 01, fewer for the others: as strict as a BIP39 checksum of
 * 12 words and more. SHA-512 is FIPS 180-4's, HMAC RFC 2104's.
 */
#include "store/redact.h"
#include "store/redact_int.h"

#include <string.h>

#define ROR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))

static void
sha512_block(uint64_t h[8], const uint8_t *p)
{
	uint64_t w[80], v[8];

	for (int i = 0; i < 16; i++) {
		w[i] = 0;
		for (int b = 0; b < 8; b++)
			w[i] = w[i] << 8 | p[8 * i + b];
	}
	for (int i = 16; i < 80; i++) {
		uint64_t s0 = ROR64(w[i - 15], 1) ^ ROR64(w[i - 15], 8) ^
		    (w[i - 15] >> 7);
		uint64_t s1 = ROR64(w[i - 2], 19) ^ ROR64(w[i - 2], 61) ^
		    (w[i - 2] >> 6);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, h, sizeof(v));
	for (int i = 0; i < 80; i++) {
		uint64_t S1 = ROR64(v[4], 14) ^ ROR64(v[4], 18) ^ ROR64(v[4], 41);
		uint64_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint64_t t1 = v[7] + S1 + ch + sha512_k[i] + w[i];
		uint64_t S0 = ROR64(v[0], 28) ^ ROR64(v[0], 34) ^ ROR64(v[0], 39);
		uint64_t mj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + S0 + mj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

/* SHA-512 of a (na bytes) followed by b (nb bytes) into out. */
static void
sha512_two(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
    uint8_t out[64])
{
	uint64_t h[8] = { 0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull,
	    0x3c6ef372fe94f82bull, 0xa54ff53a5f1d36f1ull,
	    0x510e527fade682d1ull, 0x9b05688c2b3e6c1full,
	    0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull };
	uint8_t blk[128];
	size_t n = na + nb, fill = 0;

	for (size_t i = 0; i < n; i++) {
		blk[fill++] = i < na ? a[i] : b[i - na];
		if (fill == 128) {
			sha512_block(h, blk);
			fill = 0;
		}
	}
	blk[fill++] = 0x80;
	if (fill > 112) {
		memset(blk + fill, 0, 128 - fill);
		sha512_block(h, blk);
		fill = 0;
	}
	memset(blk + fill, 0, 128 - fill);
	for (int i = 0; i < 8; i++)	/* the length in bits, 128 of them */
		blk[127 - i] = (uint8_t)((uint64_t)n * 8 >> (8 * i));
	sha512_block(h, blk);
	for (int i = 0; i < 64; i++)
		out[i] = (uint8_t)(h[i / 8] >> (56 - 8 * (i % 8)));
}

void
redact_hmac_sha512(const void *key, size_t nk, const void *msg, size_t nm,
    uint8_t out[64])
{
	uint8_t k[128], pad[128], inner[64];

	memset(k, 0, sizeof(k));
	if (nk > sizeof(k))
		sha512_two(key, nk, NULL, 0, k);
	else
		memcpy(k, key, nk);
	for (int i = 0; i < 128; i++)
		pad[i] = k[i] ^ 0x36;
	sha512_two(pad, 128, msg, nm, inner);
	for (int i = 0; i < 128; i++)
		pad[i] = k[i] ^ 0x5c;
	sha512_two(pad, 128, inner, 64, out);
}

int
redact_electrum_ok(const int *idx, int n)
{
	char text[24 * 9];
	size_t len = 0;
	uint8_t h[64];

	if (n < 12 || n > 24)
		return 0;
	for (int i = 0; i < n; i++) {
		const char *w;
		if (idx[i] < 0 || idx[i] > 2047)
			return 0;
		w = bip39_english[idx[i]];
		if (i)
			text[len++] = ' ';
		memcpy(text + len, w, strlen(w));
		len += strlen(w);
	}
	redact_hmac_sha512("Seed version", 12, text, len, h);
	/* hex 01; 100, 101, 102 */
	return h[0] == 0x01 || (h[0] == 0x10 && (h[1] >> 4) <= 2);
}
