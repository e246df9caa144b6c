/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the reply guard. Any bytes give a verdict whose
 * reasons have spans inside the text, and JSON that is valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guard_config *c;
	struct guard_result r = { 0 };
	struct buf b = BUF_INIT;

	if (c == NULL)
		c = guard_config_new();
	guard_check(c, (const char *)data, size, NULL, NULL, &r);
	for (size_t i = 0; i < r.n; i++)
		if (r.r[i].start > r.r[i].end || r.r[i].end > size)
			abort();
	guard_json(&r, (const char *)data, size, &b);
	if (!utf8_valid(b.data, b.len))
		abort();
	guard_result_free(&r);
	buf_free(&b);
	return 0;
}
