/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the query language. Any text either fails to parse
 * with a positioned message or runs as SQL without error other than a
 * full-text syntax complaint.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static struct store *st;

static int
ignore(const struct store_ticket *t, void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdesk_err err;
	struct store_list_opts o = { .limit = 5 };
	char *text = malloc(size + 1);

	if (st == NULL && (st = store_open(":memory:", STORE_CREATE,
	    &err)) == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	struct store_query *q = store_query_parse(text, &err);
	if (q == NULL) {
		if (strncmp(err.msg, "query:", 6) != 0)
			abort();	/* every parse error names its place */
	} else {
		if (store_list(st, q, &o, ignore, NULL, &err) < 0 &&
		    err.kind != TDESK_EUSAGE)
			abort();	/* only search syntax may fail */
		store_query_free(q);
	}
	free(text);
	return 0;
}
