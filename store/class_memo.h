/* SPDX-License-Identifier: MIT */
/*
 * Classification worked out ahead of the write (tdesk import): a reader
 * thread runs the triage rules over each ticket of a page while the
 * writer writes the page before. The results wait in the store, keyed by
 * ticket id and a hash of the text they came from, until the refresh's
 * classification (store/triage.c) takes them instead of running the
 * rules again; it takes one only when the stored text hashes the same.
 */
#ifndef TDESK_CLASS_MEMO_H
#define TDESK_CLASS_MEMO_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_rules;
struct store_class;

/* One page's results, built on any thread. */
struct store_class_pre;

/* The rules the desk classifies with (main thread, before the reader
 * starts); NULL: none. */
const struct store_rules *store_class_rules(struct store *st);
/* A new page of results for rules r (NULL: it stays empty). */
struct store_class_pre *store_class_pre_new(const struct store_rules *r);
/* Classify ticket id from its subject and description as the server sent
 * them (NULL: none), cleaned here as ingest cleans them. Any thread; a
 * text ingest will change further (a redacted secret) just never
 * matches. */
void store_class_pre_ticket(struct store_class_pre *p, int64_t id,
    const char *subject, const char *description);
/* Hand a page's results to the store (main thread), which frees them. */
void store_class_pre_give(struct store *st, struct store_class_pre *p);
void store_class_pre_free(struct store_class_pre *p);

/* The result kept for ticket id when it was worked out from exactly this
 * subject and description (1, *out filled), else 0. */
int store_class_memo_take(struct store *st, int64_t id, const char *subject,
    size_t slen, const char *description, size_t dlen,
    struct store_class *out);
/* Forget every kept result (after a classification run, on close). */
void store_class_memo_drop(struct store *st);

#endif
