/* SPDX-License-Identifier: MIT */
/*
 * Safety on the write path (store/safety.c): the reply guard every public
 * comment passes, and the secrets redacted from customer text at ingest.
 * The guard and the redactor themselves: store/guard.h, store/redact.h.
 */
#ifndef TDESK_STORE_SAFETY_H
#define TDESK_STORE_SAFETY_H

#include <stdint.h>

#include "store/base.h"

struct store;

struct guard_config;
struct guard_result;
/* The guard configuration store_action checks public comments with
 * (borrowed; NULL: the defaults). */
void store_set_guard(struct store *st, const struct guard_config *g);
/* Check text as a public reply to ticket_id (0: none), with the ticket's
 * secret hashes. out is filled (caller frees with guard_result_free). */
int store_guard_ticket(struct store *st, int64_t ticket_id, const char *text,
    const char *lang, struct guard_result *out, struct tdesk_err *err);
/* Redaction at ingest is on; off only to measure its cost (benchmarks). */
void store_set_redact(struct store *st, int on);
/* 1 and *kinds (caller frees) when the ticket carried a secret, 0 not. */
int store_secret_flag(struct store *st, int64_t ticket_id, char **kinds,
    struct tdesk_err *err);
/* The internal note tdesk suggests for such a ticket. */
void store_secret_note(const char *kinds, struct buf *out);

#endif
