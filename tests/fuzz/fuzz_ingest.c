/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: whatever a server sends is ingested as a ticket page
 * and as a comments page into an in-memory replica; it must fail cleanly
 * or leave sanitised text, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "sync/sync.h"

static struct store *st;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdesk_err err;

	if (st == NULL && (st = store_open(":memory:", STORE_CREATE,
	    &err)) == NULL)
		abort();
	sync_zendesk_ingest(st, (const char *)data, size, 0, NULL, &err);
	sync_zendesk_ingest(st, (const char *)data, size, 1, NULL, &err);
	store_fts_refresh(st, &err);
	return 0;
}
