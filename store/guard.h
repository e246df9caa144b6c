/* SPDX-License-Identifier: MIT */
/*
 * The reply guard: one check for every text that becomes public (replies,
 * macro comments, FAQ answers, bulk and UI replies, outbox edits). It looks
 * for what scammers posing as support send: requests for secrets, remote
 * access tools, "safe wallet" transfers, phone numbers, other messengers,
 * look-alike links, hidden characters, unfilled placeholders, a secret the
 * customer sent being quoted back. English and Chinese (simplified and
 * traditional), the requests for secrets in Japanese and Korean too; words
 * hidden from it (full-width, l33t, s p a c e d, look-alike letters) are
 * read as meant.
 * Pure text in, verdict out: no database, no I/O.
 */
#ifndef TDESK_GUARD_H
#define TDESK_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

struct ynode;

enum guard_verdict { GUARD_OK = 0, GUARD_WARN = 1, GUARD_BLOCK = 2 };

struct guard_reason {
	enum guard_verdict level;
	const char *rule;	/* static: "ask-secret", "link-lookalike" ... */
	size_t start, end;	/* byte span in the text checked */
};

struct guard_result {
	enum guard_verdict verdict;	/* the worst reason's level */
	struct guard_reason *r;
	size_t n, cap;
};

/* Official domains, allowed hosts and extra phrases (config `guard:`). */
struct guard_config;

/* The defaults: official domains of the exchange, a few allowed hosts,
 * no extra phrases. */
struct guard_config *guard_config_new(void);
void guard_config_free(struct guard_config *c);
/*
 * Read `guard:` (a YAML map: official_domains, allow_hosts: lists of
 * host names; phrases: {en|zh: {block: [...], warn: [...]}}) on top of
 * the defaults; a list given replaces the default list. Errors read
 * "file:line:col: ...".
 */
int guard_config_load(struct guard_config *c, const struct ynode *n,
    struct tdesk_err *err);

/* Salted hashes of the customer's secrets on a ticket (see redact.h), to
 * catch them being quoted back. May be NULL. */
struct redact_hashes;

/*
 * Check text (len bytes, need not be NUL-terminated). lang is "en", "zh"
 * or NULL (both) and only selects the configured phrases: the built-in
 * rules always cover both languages. out is reset first.
 */
void guard_check(const struct guard_config *c, const char *text, size_t len,
    const char *lang, const struct redact_hashes *secrets,
    struct guard_result *out);
void guard_result_free(struct guard_result *r);
/* Add a reason (one per rule and start); raises the verdict. */
void guard_add(struct guard_result *r, enum guard_verdict level,
    const char *rule, size_t start, size_t end);

const char *guard_verdict_name(enum guard_verdict v);
/* "rule at 12-30 \"excerpt\"" lines for humans, one per reason, each
 * excerpt sanitised for a terminal and cut short. */
void guard_describe(const struct guard_result *r, const char *text,
    size_t len, struct buf *out);
/* The result as a JSON object {"verdict":..,"reasons":[{"rule","level",
 * "start","end","text"}]} appended to out. */
void guard_json(const struct guard_result *r, const char *text, size_t len,
    struct buf *out);

/* The member key of the JSON object s: its raw text appended to raw and,
 * for a string, its decoded value to str (either may be NULL). 1 found,
 * 0 not, -1 when s is not a JSON object. */
int json_member(const char *s, size_t len, const char *key, struct buf *raw,
    struct buf *str);
/* A JSON string literal of s (valid UTF-8 out whatever comes in). */
void json_str(struct buf *out, const char *s, size_t len);

#endif
