/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the redactor. Findings lie inside the text and do not
 * overlap; the text between them is kept byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;
	size_t at = 0, kept = 0;

	redact_text((const char *)data, size, "fuzz", &out, &res);
	for (size_t i = 0; i < res.n; i++) {
		if (res.f[i].start < at || res.f[i].end > size ||
		    res.f[i].start >= res.f[i].end)
			abort();
		kept += res.f[i].start - at;
		at = res.f[i].end;
	}
	kept += size - at;
	if (res.n == 0 && (out.len != size || (size &&
	    memcmp(out.data, data, size))))
		abort();
	if (out.len < kept)
		abort();
	redact_result_free(&res);
	buf_free(&out);
	return 0;
}
