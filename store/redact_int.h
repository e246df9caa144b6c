/* SPDX-License-Identifier: MIT */
/*
 * Between the parts of the redactor (redact.c: findings, keys, codes,
 * passwords and the whole; redact_seed.c: seed phrases; redact_bip39.c:
 * the checksums). Not for the rest of tdesk: see redact.h.
 */
#ifndef TDESK_REDACT_INT_H
#define TDESK_REDACT_INT_H

#include <stddef.h>
#include <stdint.h>

struct redact_result;
struct redact_hashes;
struct guard_result;
struct buf;

/*
 * The words of a text, found once and read by every scanner of the
 * guard and the redactor: each maximal run of ASCII letters and digits
 * (bytes from 0x80 are never part of one, so a scanner that walks the
 * bytes between runs meets every other character as it would have).
 * Texts are far shorter than 2 GB (the longest a desk takes is a few MB).
 */
struct text_run {		/* 8 bytes: a 1 MB text has 200k of them */
	unsigned start;
	unsigned end : 31;
	unsigned digits : 1;	/* it holds a digit */
};
struct text_runs {
	struct text_run *r;
	size_t n, cap;
	int any_digit, any_wide;	/* a digit; a byte from 0x80 */
	size_t n_han;		/* lead bytes of U+4000..U+9FFF (the CJK
				 * block): at least its list characters */
	struct text_run in[48];	/* where r starts: short texts */
};
void text_runs_build(const char *s, size_t len, struct text_runs *tr);
void text_runs_free(struct text_runs *tr);
/* redact_text and redact_guard_scan on the runs of s already found */
size_t redact_text_runs(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct buf *out, struct redact_result *res);
void redact_guard_scan_runs(const char *text, size_t len,
    const struct text_runs *tr, const struct redact_hashes *secrets,
    struct guard_result *r);

/* Record a finding unless it overlaps one found before: 1 if recorded. */
int redact_add_finding(struct redact_result *r, const char *kind, size_t a,
    size_t b, int words);
/* "m:1,2,3" into u (40 bytes): the hashed unit of three seed words. */
size_t redact_words_unit(char *u, int a, int b, int c);
/* The salted hashes of a phrase's words, three at a time (salt NULL:
 * none). */
void redact_hash_words(struct redact_result *r, const char *salt,
    const int *idx, int n);
/* The nearest of the lowercase words ctx ending within back bytes before
 * p: its distance, or -1. */
long redact_near_before(const char *s, size_t p, size_t back,
    const char *const *ctx, size_t n);
/* "t:" and a token, hashed with the salt (NULL: none). */
void redact_hash_token(struct redact_result *r, const char *salt,
    const char *s, size_t n);
/* A 2FA setup key from run k: the last run taken, or k (redact_keys.c). */
size_t redact_totp(const char *s, const struct text_runs *tr, size_t k,
    const char *salt, struct redact_result *r);
/* A private key as a list of bytes from the '[' at open: 1 if taken. */
int redact_key_bytes(const char *s, size_t len, size_t open, const char *salt,
    struct redact_result *r);
/* A word of a wordlist in a text, for the seed phrase finders. */
struct wtok {
	size_t start, end;	/* the word */
	size_t lstart;		/* its number label ("3." before it), or start */
	int idx;		/* wordlist index */
	int label;		/* 1..24 or 0 */
	int gap;		/* prose words between it and the previous */
	int isolated;		/* Chinese: no Han character next to it */
	int run_start;		/* Chinese: first of a contiguous Han run */
};

/* What the whole text says, looked up once when first needed (-1 until
 * then): whether it has words of seed phrases (zh), and labels
 * (labelled, see seed_labelled in redact_seed.c). */
struct seed_ctx {
	const struct text_runs *tr;
	size_t len;
	int zh;
	int labelled;
	int zh_marks;	/* 词, 码 or 语 (詞, 碼, 語): every Chinese label
			 * ends in one; set as the text is read */
	int en_labelled;	/* an English label word (-1: not looked) */
};

/* Look for phrases in a run of n words of one list (zh: Chinese, whose
 * characters may stand in runs). */
void redact_seed_windows(const char *s, size_t len, struct wtok *w, int n,
    int zh, struct seed_ctx *cx, const char *salt, struct redact_result *r);
/* The other BIP39 lists (generated from store/data/bip39): Spanish,
 * French, Italian (lowercase, without accents), Japanese, Korean (NFC). */
extern const char *const bip39_intl[5][2048];
/* Seed phrases of the other BIP39 lists (Spanish, French, Italian,
 * Japanese, Korean) in s (redact_intl.c). */
void redact_find_seeds_intl(const char *s, size_t len,
    const struct text_runs *tr, const char *salt, struct redact_result *r);
/* Whether s holds one of the n three-byte UTF-8 characters in cs (each
 * three bytes, all with lead byte lead): found by memchr on the lead. */
int redact_has_char3(const char *s, size_t len, unsigned char lead,
    const char *cs, size_t n);
/* Where the digits from i end; *label their number when 1..24 (a
 * word's number in a list), else 0. */
size_t redact_number_label(const char *s, size_t len, size_t i, int *label);
/* Whether ASCII c between a number and its word keeps the number its
 * label: "1. word", "1) word", "#1 word". */
int redact_keeps_label(unsigned char c);
/* Past a number (its label into *label, where it starts into
 * *label_at) or markup at i: where a tokeniser goes on, i if neither. */
size_t redact_number_markup(const char *s, size_t len, size_t i, int *label,
    size_t *label_at);
/* Where an HTML tag ("<br>", "</li>") or entity ("&nbsp;") at i ends,
 * i if none starts there: the words of a phrase pasted from a mail
 * stand between them. */
size_t redact_markup_end(const char *s, size_t len, size_t i);
/* Index of the English word a typo of 5 to 9 letters was meant to be
 * (one letter changed, added, dropped or swapped after the first four),
 * -1 if none. */
int bip39_en_near(const char *w, size_t len);
/* PEM private keys, keystore ciphertexts, lists of 2FA backup codes
 * (redact_blocks.c). */
void redact_find_blocks(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct redact_result *r);
/* Seed phrases in s. */
void redact_find_seeds(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct redact_result *r);
/* The SHA-256 round constants (FIPS 180-4 4.2.2), computed from their
 * definition at build time by store/data/bip39/gen_bip39.py. */
extern const uint32_t sha256_k[64];
/* SHA-512's round constants (FIPS 180-4 4.2.3), generated likewise. */
extern const uint64_t sha512_k[80];
/* HMAC-SHA512 (RFC 2104) of msg with key (redact_electrum.c). */
void redact_hmac_sha512(const void *key, size_t nk, const void *msg,
    size_t nm, uint8_t out[64]);
/* Whether n English list words (indices) are an Electrum seed: its
 * version prefix, standard, segwit or two-factor. */
int redact_electrum_ok(const int *idx, int n);
/* Whether n decoded Base58Check bytes end in their checksum. */
int base58check_ok(const uint8_t *b, int n);

/* Tables filled once, by whichever thread comes first: a flag read on
 * every lookup (a plain load on common hardware), pthread_once behind it. */
#define ONCE(flag, once, init) do { \
	if (!atomic_load_explicit(&(flag), memory_order_acquire)) \
		pthread_once(&(once), (init)); \
} while (0)
#define DONE(flag) atomic_store_explicit(&(flag), 1, memory_order_release)

#endif
