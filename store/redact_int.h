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

/* Record a finding unless it overlaps one found before. */
void redact_add_finding(struct redact_result *r, const char *kind, size_t a,
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
/* Seed phrases in s. */
void redact_find_seeds(const char *s, size_t len, const char *salt,
    struct redact_result *r);
/* Whether n decoded Base58Check bytes end in their checksum. */
int base58check_ok(const uint8_t *b, int n);

#endif
