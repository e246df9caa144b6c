/* SPDX-License-Identifier: MIT */
/*
 * Secret redaction. Seed phrases are found as runs of BIP39 words (any
 * case, 4-letter prefixes, numbered, in columns, in JSON, with a little
 * prose between) whose checksum holds; a Chinese phrase must be written
 * as separate characters, or as one exact run with a word like 助记词
 * nearby (most list characters are everyday characters). Keys are found
 * by their own checksums (WIF, xprv); hex keys, codes, passwords and API
 * secrets only next to words that say what they are.
 */
#include "store/redact.h"
#include "store/ascii.h"
#include "store/guard.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- SHA-256 ------------------------------------------------------------- */

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

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
		uint32_t t1 = k + S1 + ch + sha_k[i] + w[i];
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

int
base58_decode(const char *s, size_t len, uint8_t *out, size_t cap)
{
	static const char alpha[] =
	    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	uint8_t buf[128];
	size_t n = 0, zeros = 0;

	if (len > 160)
		return -1;
	memset(buf, 0, sizeof(buf));
	for (size_t i = 0; i < len; i++) {
		const char *p = memchr(alpha, s[i], 58);
		if (p == NULL || s[i] == '\0')
			return -1;
		unsigned carry = (unsigned)(p - alpha);
		if (carry == 0 && n == 0 && zeros == i)
			zeros++;
		for (size_t j = 0; j < n; j++) {
			carry += (unsigned)buf[j] * 58;
			buf[j] = (uint8_t)carry;
			carry >>= 8;
		}
		while (carry) {
			if (n >= sizeof(buf))
				return -1;
			buf[n++] = (uint8_t)carry;
			carry >>= 8;
		}
	}
	if (n + zeros > cap)
		return -1;
	memset(out, 0, zeros);
	for (size_t j = 0; j < n; j++)
		out[zeros + j] = buf[n - 1 - j];
	return (int)(n + zeros);
}

static int
check4(const uint8_t *b, int n)
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
static int en_ready;

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
	en_ready = 1;
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
	if (!en_ready)
		en_init();
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

/* Chinese wordlist characters by code point: all lie in the CJK block */
#define ZH_LO 0x4E00
#define ZH_HI 0x9FFF
static int16_t zh_index[ZH_HI - ZH_LO + 1];
static int zh_ready;

int
bip39_zh_index(uint32_t cp)
{
	if (!zh_ready) {
		for (size_t i = 0; i < ARRAY_LEN(zh_index); i++)
			zh_index[i] = -1;
		for (int i = 0; i < 2048; i++)
			if (bip39_chinese[i] >= ZH_LO &&
			    bip39_chinese[i] <= ZH_HI)
				zh_index[bip39_chinese[i] - ZH_LO] =
				    (int16_t)i;
		zh_ready = 1;
	}
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
	memset(bytes, 0, sizeof(bytes));
	for (int i = 0; i < n; i++)
		for (int b = 0; b < 11; b++)
			if (idx[i] >> (10 - b) & 1) {
				int pos = i * 11 + b;
				bytes[pos / 8] |= (uint8_t)(0x80 >> (pos % 8));
			}
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

/* --- findings and hashes --------------------------------------------------- */

static void
add_finding(struct redact_result *r, const char *kind, size_t a, size_t b,
    int words)
{
	for (size_t i = 0; i < r->n; i++)
		if (a < r->f[i].end && b > r->f[i].start)
			return;		/* overlaps one found first */
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4;
		r->f = xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	r->f[r->n++] = (struct redact_finding){ kind, a, b, words };
}

static void
hash_unit(struct buf *out, const char *salt, const char *unit, size_t n)
{
	char stack[256], *in = stack, hex[33];
	size_t sl = strlen(salt);
	uint8_t h[32];

	/* salt, NUL, unit: on the stack unless long */
	if (sl + 1 + n > sizeof(stack))
		in = xmalloc(sl + 1 + n);
	memcpy(in, salt, sl);
	in[sl] = '\0';
	memcpy(in + sl + 1, unit, n);
	sha256(in, sl + 1 + n, h);
	if (in != stack)
		free(in);
	for (int i = 0; i < 16; i++) {
		hex[2 * i] = "0123456789abcdef"[h[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
	}
	hex[32] = '\0';
	buf_add(out, hex, 33);
}

static void
add_hash(struct redact_result *r, const char *salt, const char *unit,
    size_t n)
{
	if (salt == NULL)
		return;
	hash_unit(&r->hashes, salt, unit, n);
	r->n_hashes++;
}

/* "m:1,2,3": the unit of three seed words (u holds 40 bytes) */
static size_t
words_unit(char *u, int a, int b, int c)
{
	int v[3] = { a, b, c };
	size_t l = 2;

	u[0] = 'm';
	u[1] = ':';
	for (int i = 0; i < 3; i++) {
		char d[12];
		int n = 0;
		unsigned x = (unsigned)v[i];
		if (v[i] < 0) {
			u[l++] = '-';
			x = 0u - x;
		}
		do
			d[n++] = (char)('0' + x % 10);
		while ((x /= 10) != 0);
		while (n)
			u[l++] = d[--n];
		if (i < 2)
			u[l++] = ',';
	}
	return l;
}

/* Hashes of a seed phrase: every three words in order ("m:1,2,3"). */
static void
hash_words(struct redact_result *r, const char *salt, const int *idx, int n)
{
	char u[40];

	if (salt == NULL)
		return;
	for (int i = 0; i + 3 <= n; i++)
		add_hash(r, salt, u, words_unit(u, idx[i], idx[i + 1],
		    idx[i + 2]));
}

static void
hash_token(struct redact_result *r, const char *salt, const char *s,
    size_t n)
{
	struct buf u = BUF_INIT;
	buf_adds(&u, "t:");
	buf_add(&u, s, n);
	add_hash(r, salt, u.data, u.len);
	buf_free(&u);
}

/* --- seed phrases ------------------------------------------------------------ */

static long near_before(const char *s, size_t p, size_t back,
    const char *const *ctx, size_t n);

struct wtok {
	size_t start, end;	/* the word */
	size_t lstart;		/* its number label ("3." before it), or start */
	int idx;		/* wordlist index */
	int label;		/* 1..24 or 0 */
	int gap;		/* prose words between it and the previous */
	int isolated;		/* Chinese: no Han character next to it */
	int run_start;		/* Chinese: first of a contiguous Han run */
};

static int
has_seed_context(const char *s, size_t len)
{
	static const char *const words[] = { "助记词", "助记", "私钥",
	    "钱包", "备份", "种子", "mnemonic", "seed", "recovery",
	    "words", "phrase", "wallet", "单词" };
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (memmem(s, len, words[i], strlen(words[i])))
			return 1;
	return 0;
}

static int
cmp_label(const void *a, const void *b)
{
	const struct wtok *x = a, *y = b;
	if (x->label != y->label)
		return x->label < y->label ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * A phrase is random words: few repeats (a table of SELL LIMIT FILLED
 * is not one), and prose may split it only into a few long pieces (not
 * "move ... safe ... here" scattered through a sentence).
 */
static int
plausible(const struct wtok *w, int m)
{
	int repeats = 0, segs = 1, seg = 1, shortest = m;

	for (int j = 1; j < m; j++) {
		if (w[j].gap) {
			if (seg < shortest)
				shortest = seg;
			segs++;
			seg = 1;
		} else {
			seg++;
		}
	}
	if (seg < shortest)
		shortest = seg;
	if (segs > 3 || (segs > 1 && shortest < 3))
		return 0;
	for (int j = 0; j < m && repeats <= 2; j++)
		for (int k = 0; k < j; k++)
			if (w[j].idx == w[k].idx) {
				repeats++;
				break;
			}
	return repeats <= 2;
}

/* Look for valid phrases in a run of wordlist tokens. */
static void
run_windows(const char *s, size_t len, struct wtok *w, int n, int zh,
    int *zh_ctx, const char *salt, struct redact_result *r)
{
	static const int sizes[] = { 24, 21, 18, 15, 12 };
	int idx[24];

	if (n < 12)
		return;
	/* numbered words in columns: read them in their numbers' order */
	int labelled = 0;
	for (int i = 0; i < n; i++)
		labelled += w[i].label > 0;
	if (labelled == n) {
		struct wtok *sorted = xmalloc((size_t)n * sizeof(*w));
		memcpy(sorted, w, (size_t)n * sizeof(*w));
		qsort(sorted, (size_t)n, sizeof(*w), cmp_label);
		int seq = 1;
		for (int i = 0; i < n; i++)
			if (sorted[i].label != i % 24 + 1)
				seq = 0;
		int inorder = 1;
		for (int i = 0; i < n; i++)
			if (w[i].label != i % 24 + 1)
				inorder = 0;
		if (seq && !inorder && n <= 24) {
			for (int i = 0; i < n; i++)
				idx[i] = sorted[i].idx;
			if (bip39_checksum_ok(idx, n)) {
				size_t a = len, b = 0;
				for (int i = 0; i < n; i++) {
					if (w[i].lstart < a)
						a = w[i].lstart;
					if (w[i].end > b)
						b = w[i].end;
				}
				add_finding(r, "seed-phrase", a, b, n);
				hash_words(r, salt, idx, n);
				free(sorted);
				return;
			}
		}
		free(sorted);
	}
	/* exactly a phrase's length, nothing between the words, right after
	 * "recovery phrase:" / "助记词：": a phrase with a typo is still one */
	if ((n == 12 || n == 15 || n == 18 || n == 21 || n == 24) &&
	    plausible(w, n)) {
		static const char *const ctx[] = { "seed phrase",
		    "recovery phrase", "secret phrase", "seed words",
		    "mnemonic", "助记词" };
		int plain = 1;
		for (int j = 0; j < n; j++)
			if (w[j].gap || (zh && !w[j].isolated))
				plain = 0;
		long d = near_before(s, w[0].lstart, 40, ctx, ARRAY_LEN(ctx));
		if (plain && d >= 0) {
			for (int j = 0; j < n; j++)
				idx[j] = w[j].idx;
			add_finding(r, "seed-phrase", w[0].lstart, w[n - 1].end,
			    n);
			hash_words(r, salt, idx, n);
			return;
		}
	}
	/* prose between the words, summed: gaps in a window in O(1) */
	int *gsum = xmalloc(3 * ((size_t)n + 1) * sizeof(*gsum));
	int *ssum = gsum + n + 1, *nsum = ssum + n + 1;
	gsum[0] = ssum[0] = nsum[0] = 0;
	for (int j = 0; j < n; j++) {
		gsum[j + 1] = gsum[j] + w[j].gap;	/* prose words */
		ssum[j + 1] = ssum[j] + (w[j].gap > 0);	/* pieces */
		nsum[j + 1] = nsum[j] + !w[j].isolated;	/* in Han runs */
	}
	for (int i = 0; i + 12 <= n;) {
		int found = 0;
		/* a Chinese phrase starts with a character standing alone, or
		 * is a whole run of characters: nothing else can start one */
		if (zh && !w[i].isolated && !w[i].run_start) {
			i++;
			continue;
		}
		for (size_t k = 0; k < ARRAY_LEN(sizes) && !found; k++) {
			int m = sizes[k], gaps, ok = 1;
			if (i + m > n)
				continue;
			gaps = gsum[i + m] - gsum[i + 1];
			if (gaps > m / 3 || ssum[i + m] - ssum[i + 1] > 2)
				continue;
			/* a run of Han characters counts only when the text
			 * says it is a phrase (looked up once, if needed) */
			/* (and only as a whole run: cheap test first) */
			if (zh && nsum[i + m] - nsum[i] > 0 && (!w[i].run_start ||
			    (i + m < n && !w[i + m].run_start)))
				continue;
			if (zh && nsum[i + m] - nsum[i] > 0 && *zh_ctx < 0)
				*zh_ctx = has_seed_context(s, len);
			if (zh && nsum[i + m] - nsum[i] > 0 && !*zh_ctx)
				continue;
			if (!plausible(w + i, m))
				continue;
			for (int j = 0; j < m; j++) {
				idx[j] = w[i + j].idx;
				if (zh && !w[i + j].isolated)
					ok = 0;
			}
			if (zh && !ok) {
				/* one exact run of characters, said to be a
				 * phrase */
				ok = *zh_ctx > 0 && w[i].run_start &&
				    (i + m == n || w[i + m].run_start);
				for (int j = 1; ok && j < m; j++)
					if (w[i + j].run_start ||
					    w[i + j].start != w[i + j - 1].end)
						ok = 0;
			}
			if (!ok)
				continue;
			int last = i + m - 1;
			if (!bip39_checksum_ok(idx, m)) {
				/* split by prose that holds a list word: try
				 * leaving out one word next to the prose */
				int skip = -1;
				if (zh || i + m >= n || gaps + w[i + m].gap == 0)
					continue;
				for (int j = i + 1; j <= i + m && skip < 0;
				    j++) {
					if (!w[j].gap && (j == i + m ||
					    !w[j + 1].gap))
						continue;
					for (int q = 0, o = 0; q <= m; q++)
						if (i + q != j)
							idx[o++] = w[i + q].idx;
					if (bip39_checksum_ok(idx, m))
						skip = j;
				}
				if (skip < 0)
					continue;
				last = i + m;
			}
			size_t a = w[i].lstart < w[i].start ? w[i].lstart :
			    w[i].start;
			add_finding(r, "seed-phrase", a, w[last].end, m);
			hash_words(r, salt, idx, m);
			(void)s;
			i = last + 1;
			found = 1;
		}
		if (!found)
			i++;
	}
	free(gsum);
}

/* Tokenise into wordlist runs (English and Chinese separately); a run
 * ends at more than 6 prose words in a row. */
static void
find_seeds(const char *s, size_t len, const char *salt,
    struct redact_result *r)
{
	struct wtok *en = NULL, *zh = NULL;
	size_t nen = 0, cen = 0, nzh = 0, czh = 0;
	int gap_en = 0, gap_zh = 0, label = 0, zh_ctx = -1;
	size_t label_at = 0, i = 0, han_end = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (a_alpha(c)) {
			size_t e = i;
			while (e < len && a_alpha((unsigned char)s[e]))
				e++;
			int k = bip39_en_index(s + i, e - i);
			if (k >= 0 && (e >= len || !a_digit((unsigned char)
			    s[e]))) {
				if (nen == cen) {
					cen = cen ? 2 * cen : 32;
					en = xrealloc(en, cen * sizeof(*en));
				}
				en[nen++] = (struct wtok){ i, e, label ?
				    label_at : i, k, label, gap_en, 1, 0 };
				gap_en = 0;
			} else if (++gap_en > 6) {
				if (nen >= 12)
					run_windows(s, len, en, (int)nen, 0,
					    &zh_ctx, salt, r);
				nen = 0;
				gap_en = 0;
			}
			label = 0;
			i = e;
			continue;
		}
		if (a_digit(c)) {
			size_t e = i;
			int v = 0;
			while (e < len && a_digit((unsigned char)s[e])) {
				if (v < 1000)
					v = v * 10 + (s[e] - '0');
				e++;
			}
			label = v >= 1 && v <= 24 ? v : 0;
			label_at = i;
			i = e;
			continue;
		}
		if (c < 0x80) {
			/* separators keep a label: "1. word", "1) word" */
			if (c != '.' && c != ')' && c != ' ' && c != ':' &&
			    c != '-' && c != '\t' && c != '#')
				label = 0;
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);
		if (utf8_is_cjk(cp)) {
			int k = bip39_zh_index(cp);
			uint32_t nc = 0;
			/* the Han character before ends where this starts */
			int prev_han = han_end == i && i > 0;
			if (i + n < len && (unsigned char)s[i + n] >= 0x80)
				u8_decode(s + i + n, len - i - n, &nc);
			int next_han = nc && utf8_is_cjk(nc);
			han_end = i + n;
			if (k >= 0) {
				if (nzh == czh) {
					czh = czh ? 2 * czh : 32;
					zh = xrealloc(zh, czh * sizeof(*zh));
				}
				zh[nzh++] = (struct wtok){ i, i + n, label ?
				    label_at : i, k, label, gap_zh,
				    !prev_han && !next_han, !prev_han };
				gap_zh = 0;
			} else if (++gap_zh > 6) {
				if (nzh >= 12)
					run_windows(s, len, zh, (int)nzh, 1,
					    &zh_ctx, salt, r);
				nzh = 0;
				gap_zh = 0;
			}
			label = 0;
		} else if (cp != 0x3001 && cp != 0xFF0C && cp != 0x3002 &&
		    cp != 0xFF1A && cp != 0x3000) {
			label = 0;
		}
		i += n;
	}
	run_windows(s, len, en, (int)nen, 0, &zh_ctx, salt, r);
	if (nzh >= 12)
		run_windows(s, len, zh, (int)nzh, 1, &zh_ctx, salt, r);
	free(en);
	free(zh);
}

/* --- keys, codes, passwords ------------------------------------------------ */

static int
is_b58c(unsigned char c)
{
	return a_alnum(c) && c != '0' && c != 'O' && c != 'I' && c != 'l';
}

/* The nearest of the words in ctx ending within back bytes before p;
 * returns its distance or -1. Case-insensitive for ASCII. */
static long
near_before(const char *s, size_t p, size_t back, const char *const *ctx,
    size_t n)
{
	size_t from = p > back ? p - back : 0;
	uint64_t first[4] = { 0, 0, 0, 0 };
	long best = -1;

	/* one pass over the window: a word is tried only where a byte
	 * starts one (the context words are lowercase) */
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)ctx[k][0];
		first[c >> 6] |= (uint64_t)1 << (c & 63);
	}
	for (size_t q = from; q < p; q++) {
		unsigned char c = (unsigned char)a_lower((unsigned char)s[q]);
		if (!(first[c >> 6] >> (c & 63) & 1))
			continue;
		for (size_t k = 0; k < n; k++) {
			const char *w = ctx[k];
			size_t j = 0;
			if ((unsigned char)w[0] != c)
				continue;
			while (w[j] && q + j < p && (unsigned char)w[j] ==
			    (unsigned char)a_lower((unsigned char)s[q + j]))
				j++;
			if (w[j] == '\0') {
				long d = (long)(p - q - j);
				if (best < 0 || d < best)
					best = d;
			}
		}
	}
	return best;
}

static void
find_keys(const char *s, size_t len, const char *salt,
    struct redact_result *r)
{
	static const char *const keyctx[] = { "private key", "privkey",
	    "priv key", "private-key", "secret key", "私钥", "密钥", "秘钥",
	    "key:", "key is", "key =", "export", "pk:" };
	static const char *const txctx[] = { "tx", "hash", "transaction",
	    "交易", "哈希", "block", "区块", "txid", "id:", "address", "地址",
	    "contract", "合约" };
	static const char *const pubctx[] = { "public", "pubkey", "公钥",
	    "xpub" };
	static const char *const otpctx[] = { "code", "2fa", "otp",
	    "验证码", "动态码", "authenticator", "verification", "sms",
	    "口令", "google auth", "token:" };
	static const char *const otpanti[] = { "order", "uid", "id ",
	    "id:", "ticket", "#", "error", "amount", "订单", "单号",
	    "referral", "invite", "promo", "邀请", "推荐", "account",
	    "账号", "编号", "number", "tel", "phone", "电话", "手机",
	    "$", "usdt", "btc", "eth", "金额", "postal", "zip" };
	uint8_t dec[96];

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (!a_alnum(c) || (i > 0 && a_alnum((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		size_t e = i;
		while (e < len && a_alnum((unsigned char)s[e]))
			e++;
		size_t tl = e - i;
		int b58 = tl == 51 || tl == 52 || (tl >= 107 && tl <= 115);
		for (size_t q = i; q < e && b58; q++)
			b58 = is_b58c((unsigned char)s[q]);
		/* WIF: 51 (uncompressed) or 52 (compressed) characters */
		if (b58 && (tl == 51 || tl == 52) && strchr("5KL9c", s[i])) {
			int n = base58_decode(s + i, tl, dec, sizeof(dec));
			if ((n == 37 || n == 38) && (dec[0] == 0x80 ||
			    dec[0] == 0xEF) && (n == 37 || dec[33] == 0x01) &&
			    check4(dec, n)) {
				add_finding(r, "wif-key", i, e, 0);
				hash_token(r, salt, s + i, tl);
			}
		}
		/* extended private keys */
		if (b58 && tl >= 107 && tl <= 115 && (!strncmp(s + i, "xprv", 4)
		    || !strncmp(s + i, "yprv", 4) || !strncmp(s + i, "zprv", 4)
		    || !strncmp(s + i, "tprv", 4) || !strncmp(s + i, "uprv", 4)
		    || !strncmp(s + i, "vprv", 4) || !strncmp(s + i, "Yprv", 4)
		    || !strncmp(s + i, "Zprv", 4))) {
			int n = base58_decode(s + i, tl, dec, sizeof(dec));
			if (n == 82 && check4(dec, n)) {
				add_finding(r, "xprv", i, e, 0);
				hash_token(r, salt, s + i, tl);
			}
		}
		/* 64 hex digits, "0x" or not, after a word saying "key" */
		size_t hs = i, he = e;
		if (tl == 66 && s[i] == '0' && (s[i + 1] == 'x' ||
		    s[i + 1] == 'X'))
			hs = i + 2;
		if (he - hs == 64 && bspan(s + hs, 64, "0123456789abcdefABCDEF")
		    == 64) {
			long k = near_before(s, i, 80, keyctx,
			    ARRAY_LEN(keyctx));
			long t = near_before(s, i, 80, txctx, ARRAY_LEN(txctx));
			if (k >= 0 && (t < 0 || k < t) && near_before(s, i, 30,
			    pubctx, ARRAY_LEN(pubctx)) < 0) {
				add_finding(r, "hex-private-key", i, e, 0);
				hash_token(r, salt, s + hs, 64);
			}
		}
		/* a code: 6-8 digits, or "123 456", after a word saying so */
		if (tl >= 3 && tl <= 8 && a_digit((unsigned char)s[i]) &&
		    bspan(s + i, tl, "0123456789") == tl &&
		    (i == 0 || (s[i - 1] != '.' && s[i - 1] != '+' &&
		    s[i - 1] != '-' && s[i - 1] != '/' && s[i - 1] != '$'))) {
			size_t ce = e, digits = tl;
			char code[9];
			memcpy(code, s + i, tl);
			if (tl == 3 && e + 4 <= len && (s[e] == ' ' ||
			    s[e] == '-') && bspan(s + e + 1, 3, "0123456789") ==
			    3 && (e + 4 == len || !a_alnum((unsigned char)
			    s[e + 4]))) {
				memcpy(code + 3, s + e + 1, 3);
				ce = e + 4;
				digits = 6;
			}
			int after_ok = ce >= len || (s[ce] != '.' &&
			    s[ce] != ',' && s[ce] != '-' && s[ce] != '/' &&
			    s[ce] != ':') || ce + 1 >= len ||
			    !a_digit((unsigned char)s[ce + 1]);
			if (digits >= 6 && digits <= 8 && after_ok) {
				long k = near_before(s, i, 40, otpctx,
				    ARRAY_LEN(otpctx));
				long a = k < 0 ? -1 : near_before(s, i, 40,
				    otpanti, ARRAY_LEN(otpanti));
				if (k >= 0 && (a < 0 || k < a)) {
					add_finding(r, "otp-code", i, ce, 0);
					hash_token(r, salt, code, digits);
					e = ce;
				}
			}
		}
		i = e;
	}
}

/* Words that follow "my password is" in prose, not a password. */
static int
prose_word(const char *w, size_t n)
{
	static const char *const words[] = { "not", "wrong", "incorrect",
	    "correct", "right", "changed", "reset", "invalid", "too",
	    "still", "being", "the", "a", "an", "my", "locked", "expired",
	    "working", "forgotten", "forgot", "lost", "weak", "strong",
	    "different", "same", "fine", "ok", "okay", "long", "short",
	    "required", "also", "now", "definitely", "case", "rejected",
	    "accepted", "saved", "stored", "compromised", "leaked", "stolen",
	    "hacked", "known", "secure", "safe", "unknown", "empty", "blank",
	    "and", "or", "but", "so", "because", "for", "to", "of", "in",
	    "on", "at", "by", "with", "that", "this", "it", "is", "was",
	    "were", "be", "been", "has", "have", "had", "will", "would",
	    "should", "can", "could", "please", "help", "again", "no",
	    "yes", "never", "always", "just", "only", "very", "really",
	    "same", "mine", "yours", "there", "here", "what", "which",
	    "when", "where", "why", "how", "i", "you", "we", "they",
	    "he", "she", "your", "our", "their", "his", "her", "its",
	    "all", "some", "any", "none", "new", "old", "current",
	    "reset", "manager", "field", "policy", "requirements", "hint" };
	char low[32];

	if (n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!a_alpha((unsigned char)w[i]))
			return 0;
		low[i] = (char)a_lower((unsigned char)w[i]);
	}
	low[n] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strcmp(low, words[i]))
			return 1;
	return 0;
}

static void
find_passwords(const char *s, size_t len, const char *salt,
    struct redact_result *r)
{
	static const struct { const char *ctx; const char *kind; int min; }
	    ctx[] = {
		{ "password is", "password", 1 },
		{ "password was", "password", 1 },
		{ "password:", "password", 1 },
		{ "password =", "password", 1 },
		{ "password=", "password", 1 },
		{ "passwd:", "password", 1 },
		{ "pwd:", "password", 1 },
		{ "pwd is", "password", 1 },
		{ "pass:", "password", 1 },
		{ "passcode is", "password", 1 },
		{ "passphrase is", "password", 1 },
		{ "pin is", "password", 4 },
		{ "密码是", "password", 1 },
		{ "密码为", "password", 1 },
		{ "密码：", "password", 1 },
		{ "密码:", "password", 1 },
		{ "密码 ", "password", 1 },
		{ "api secret:", "api-secret", 16 },
		{ "api secret is", "api-secret", 16 },
		{ "api secret =", "api-secret", 16 },
		{ "secret key:", "api-secret", 16 },
		{ "secret key is", "api-secret", 16 },
		{ "secret:", "api-secret", 16 },
		{ "api_secret", "api-secret", 16 },
		{ "apisecret", "api-secret", 16 },
		{ "secretkey", "api-secret", 16 },
		{ "api key:", "api-secret", 16 },
		{ "api key is", "api-secret", 16 },
		{ "apikey", "api-secret", 16 },
		{ "api_key", "api-secret", 16 },
		{ "api密钥", "api-secret", 16 },
		{ "密钥：", "api-secret", 16 },
		{ "密钥:", "api-secret", 16 },
		{ "密钥是", "api-secret", 16 },
	};

	/* every context starts with a stem (pass, pwd, pin, api, secret,
	 * 密): look for the contexts only where one starts */
	for (size_t i = 0; i + 3 <= len; i++) {
		unsigned char c0 = (unsigned char)s[i] | 0x20;
		int stem = 0;
		if (c0 != 'p' && c0 != 'a' && c0 != 's' &&
		    (unsigned char)s[i] != 0xE5)
			continue;
		/* an ASCII context starts a word */
		if (i > 0 && a_alpha((unsigned char)s[i - 1]) &&
		    (unsigned char)s[i] < 0x80)
			continue;
		if (c0 == 'p')
			stem = (i + 4 <= len && !strncasecmp(s + i, "pass",
			    4)) || !strncasecmp(s + i, "pwd", 3) ||
			    !strncasecmp(s + i, "pin", 3);
		else if (c0 == 'a')
			stem = !strncasecmp(s + i, "api", 3);
		else if (c0 == 's')
			stem = i + 6 <= len && !strncasecmp(s + i, "secret", 6);
		else if ((unsigned char)s[i] == 0xE5)
			stem = !memcmp(s + i, "\xE5\xAF\x86", 3);	/* 密 */
		if (!stem)
			continue;
		for (size_t k = 0; k < ARRAY_LEN(ctx); k++) {
			if (((unsigned char)ctx[k].ctx[0] | 0x20) != c0 &&
			    (unsigned char)ctx[k].ctx[0] != (unsigned char)s[i])
				continue;
			size_t cl = strlen(ctx[k].ctx);
			if (i + cl > len || strncasecmp(s + i, ctx[k].ctx, cl))
				continue;
			if (i > 0 && a_alpha((unsigned char)s[i - 1]) &&
			    (unsigned char)s[i] < 0x80)
				continue;
			size_t p = i + cl;
			/* "my password is: X", "password = 'X'", "是：X" */
			while (p < len && (s[p] == ' ' || s[p] == ':' ||
			    s[p] == '=' || s[p] == '"' || s[p] == '\'' ||
			    s[p] == '\t' || s[p] == '`'))
				p++;
			if (p + 3 <= len && (!memcmp(s + p, "\xEF\xBC\x9A", 3) ||
			    !memcmp(s + p, "\xE2\x80\x9C", 3)))
				p += 3;
			size_t e = p;
			while (e < len && (unsigned char)s[e] > 0x20 &&
			    (unsigned char)s[e] < 0x80 && s[e] != '"' &&
			    s[e] != '\'' && s[e] != '`')
				e++;
			/* a final full stop or comma ends the sentence */
			while (e > p && (s[e - 1] == '.' || s[e - 1] == ',' ||
			    s[e - 1] == ';' || s[e - 1] == ')'))
				e--;
			if (e - p < (size_t)ctx[k].min || e - p > 128)
				continue;
			if (prose_word(s + p, e - p))
				continue;
			if (!strcmp(ctx[k].kind, "api-secret") &&
			    bspan(s + p, e - p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
			    "klmnopqrstuvwxyz0123456789+/=_-") < e - p)
				continue;
			if (p < len && s[p] == '[')
				continue;	/* a marker already */
			add_finding(r, ctx[k].kind, p, e, 0);
			hash_token(r, salt, s + p, e - p);
		}
	}
}

/* --- the whole redaction ------------------------------------------------ */

const char *
redact_kind_label(const char *kind)
{
	if (!strcmp(kind, "seed-phrase"))
		return "seed phrase";
	if (!strcmp(kind, "wif-key") || !strcmp(kind, "hex-private-key"))
		return "private key";
	if (!strcmp(kind, "xprv"))
		return "extended private key";
	if (!strcmp(kind, "otp-code"))
		return "2FA code";
	if (!strcmp(kind, "password"))
		return "password";
	return "API secret";
}

static int
cmp_find(const void *a, const void *b)
{
	const struct redact_finding *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

size_t
redact_text(const char *s, size_t len, const char *salt, struct buf *out,
    struct redact_result *res)
{

	res->n = 0;
	buf_reset(&res->hashes);
	res->n_hashes = 0;
	find_seeds(s, len, salt, res);
	find_keys(s, len, salt, res);
	find_passwords(s, len, salt, res);
	if (res->n > 1)
		qsort(res->f, res->n, sizeof(*res->f), cmp_find);
	if (out != NULL)
		redact_render(s, len, res, out);
	return res->n;
}

void
redact_render(const char *s, size_t len, const struct redact_result *res,
    struct buf *out)
{
	size_t at = 0;

	for (size_t i = 0; i < res->n; i++) {
		const struct redact_finding *f = &res->f[i];
		buf_add(out, s + at, f->start - at);
		if (f->words)
			buf_printf(out, "[%s redacted: %d words]",
			    redact_kind_label(f->kind), f->words);
		else
			buf_printf(out, "[%s redacted]",
			    redact_kind_label(f->kind));
		at = f->end;
	}
	buf_add(out, s + at, len - at);
	if (out->data == NULL)
		buf_adds(out, "");
}

void
redact_result_free(struct redact_result *res)
{
	free(res->f);
	buf_free(&res->hashes);
	memset(res, 0, sizeof(*res));
}

void
redact_hashes_add(struct redact_hashes *hs, const char *hex)
{
	if (strlen(hex) != 32)
		return;
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? 2 * hs->cap : 16;
		hs->h = xrealloc(hs->h, hs->cap * sizeof(*hs->h));
	}
	memcpy(hs->h[hs->n++], hex, 33);
}

void
redact_hashes_free(struct redact_hashes *hs)
{
	free(hs->salt);
	free(hs->h);
	memset(hs, 0, sizeof(*hs));
}

static int
has_hash(const struct redact_hashes *hs, const char *hex)
{
	for (size_t i = 0; i < hs->n; i++)
		if (!memcmp(hs->h[i], hex, 32))
			return 1;
	return 0;
}

/* Check the hash of one unit of the reply against the ticket's. */
static int
unit_known(const struct redact_hashes *hs, const char *unit, size_t n)
{
	struct buf h = BUF_INIT;
	int k;

	hash_unit(&h, hs->salt, unit, n);
	k = has_hash(hs, h.data);
	buf_free(&h);
	return k;
}

static void
quoted_back(const char *s, size_t len, const struct redact_hashes *hs,
    struct guard_result *r)
{
	int idx[3] = { -1, -1, -1 };
	size_t pos[3] = { 0, 0, 0 };
	struct buf u = BUF_INIT;

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		int k = -1;
		size_t e;
		if (c <= 0x20 || c == '"' || c == '\'' || c == '(' || c == '[') {
			i++;
			continue;
		}
		e = i;
		if (c >= 0x80) {
			uint32_t cp;
			size_t n = u8_decode(s + i, len - i, &cp);
			if (utf8_is_cjk(cp)) {
				k = bip39_zh_index(cp);
				e = i + n;
				goto word;
			}
		}
		while (e < len && (unsigned char)s[e] > 0x20 && s[e] != '"' &&
		    s[e] != '\'' && !((unsigned char)s[e] >= 0xE3 &&
		    (unsigned char)s[e] <= 0xE9 && e > i))
			e++;
		size_t te = e;
		while (te > i && strchr(".,;:!?)]", s[te - 1]))
			te--;
		if (te > i) {
			buf_reset(&u);
			buf_adds(&u, "t:");
			buf_add(&u, s + i, te - i);
			if (unit_known(hs, u.data, u.len))
				guard_add(r, GUARD_BLOCK, "quotes-secret", i, te);
			/* a code written "123 456" */
			if (te - i == 3 && bspan(s + i, 3, "0123456789") == 3 &&
			    te + 4 <= len && s[te] == ' ' &&
			    bspan(s + te + 1, 3, "0123456789") == 3) {
				buf_reset(&u);
				buf_adds(&u, "t:");
				buf_add(&u, s + i, 3);
				buf_add(&u, s + te + 1, 3);
				if (unit_known(hs, u.data, u.len))
					guard_add(r, GUARD_BLOCK, "quotes-secret", i,
					    te + 4);
			}
			k = bip39_en_index(s + i, te - i);
		}
word:
		idx[0] = idx[1];
		idx[1] = idx[2];
		idx[2] = k;
		pos[0] = pos[1];
		pos[1] = pos[2];
		pos[2] = i;
		if (idx[0] >= 0 && idx[1] >= 0 && idx[2] >= 0) {
			char t[40];
			size_t l = words_unit(t, idx[0], idx[1], idx[2]);
			if (unit_known(hs, t, l))
				guard_add(r, GUARD_BLOCK, "quotes-secret", pos[0], e);
		}
		i = e > i ? e : i + 1;
	}
	buf_free(&u);
}

void
redact_guard_scan(const char *text, size_t len,
    const struct redact_hashes *secrets, struct guard_result *r)
{
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;

	redact_text(text, len, NULL, NULL, &res);
	for (size_t i = 0; i < res.n; i++)
		guard_add(r, GUARD_BLOCK, "secret-in-reply", res.f[i].start,
		    res.f[i].end);
	if (secrets && secrets->n && secrets->salt)
		quoted_back(text, len, secrets, r);
	redact_result_free(&res);
	buf_free(&out);
}
