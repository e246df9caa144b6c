/* SPDX-License-Identifier: MIT */
/*
 * Secret redaction: what customers in panic paste into a ticket (BIP39
 * seed phrases in English or Chinese, WIF and extended private keys, hex
 * private keys, 2FA codes, passwords, API secrets) replaced by a marker
 * such as "[seed phrase redacted: 12 words]" before the text is stored,
 * with salted hashes kept so that the reply guard can recognise the
 * secret being quoted back. Pure text in, text out: no database.
 */
#ifndef TDESK_REDACT_H
#define TDESK_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

struct guard_result;

struct redact_finding {
	const char *kind;	/* "seed-phrase", "wif-key", "xprv",
				 * "hex-private-key", "otp-code", "password",
				 * "api-secret", "totp-secret", "key-bytes",
				 * "pem-key", "keystore", "backup-codes" */
	size_t start, end;	/* byte span in the input */
	int words;		/* seed phrase length, else 0 */
};

struct redact_result {
	struct redact_finding *f;
	size_t n, cap;
	/* salted hashes (32 hex digits each, NUL-separated in one buffer)
	 * of the secrets and their parts: filled when a salt is given */
	struct buf hashes;
	size_t n_hashes;
};

/*
 * Append s (len bytes) to out with every secret replaced by a marker; the
 * findings go to res (reset first). With salt (may be NULL) the hashes of
 * the secrets are added to res->hashes. out may be NULL: findings only.
 * Returns the number of findings.
 */
size_t redact_text(const char *s, size_t len, const char *salt,
    struct buf *out, struct redact_result *res);
/* Append s with the findings of res (from redact_text on the same s)
 * replaced by their markers. */
void redact_render(const char *s, size_t len, const struct redact_result *res,
    struct buf *out);
void redact_result_free(struct redact_result *res);

/* A set of salted hashes of one ticket's secrets, for the guard. */
struct redact_hashes {
	char *salt;
	char (*h)[33];
	size_t n, cap;
};
void redact_hashes_add(struct redact_hashes *hs, const char *hex);
void redact_hashes_free(struct redact_hashes *hs);

/* For the guard: block a reply that holds a secret itself, or that
 * quotes back one of secrets (may be NULL). */
void redact_guard_scan(const char *text, size_t len,
    const struct redact_hashes *secrets, struct guard_result *r);

/* The markers the redactor writes, e.g. for a ticket's flag text. */
const char *redact_kind_label(const char *kind);

/* SHA-256 (FIPS 180-4) of n bytes. */
void sha256(const void *data, size_t n, uint8_t out[32]);
/* Base58 (Bitcoin alphabet) decode; returns the byte count or -1. */
int base58_decode(const char *s, size_t len, uint8_t *out, size_t cap);

/* The BIP39 word lists (generated from store/data/bip39). */
extern const char *const bip39_english[2048];
extern const uint32_t bip39_chinese[2048];
extern const uint32_t bip39_chinese_trad[2048];
/* Index of an English word (or its unique 4+ letter prefix, any case),
 * -1 if none. */
int bip39_en_index(const char *w, size_t len);
/* Index of a Chinese wordlist character (simplified or traditional), -1
 * if none. */
int bip39_zh_index(uint32_t cp);
/* Whether the n indices form a valid mnemonic (n in 12,15,18,21,24). */
int bip39_checksum_ok(const int *idx, int n);

#endif
