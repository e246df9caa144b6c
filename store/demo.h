/* SPDX-License-Identifier: MIT */
/*
 * The demo desk (store/demo*.c): a realistic replica generated from a
 * seed, written through the same ingest path as a sync.
 */
#ifndef TDESK_STORE_DEMO_H
#define TDESK_STORE_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"
#include "store/ingest.h"

struct store;

/* How a Zendesk-shaped page reaches the replica: the Zendesk backend's
 * mapping (sync_zendesk_ingest); store/ only makes the demo's pages. */
typedef int (*store_page_ingest_fn)(struct store *st, const char *json,
    size_t len, int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err);

/* Fill an empty replica with a realistic demo desk of n tickets,
 * generated from seed, through ingest: the same path as sync; what people
 * say comes from the file text (share/tdesk/demo/text.yaml). */
int store_demo_fill(struct store *st, const char *text, int n,
    unsigned seed, store_page_ingest_fn ingest, struct tdesk_err *err);

#endif
