/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the sanitiser. Whatever bytes come in, what goes out
 * is valid UTF-8 without ESC, other C0 controls (but newline and tab), C1
 * controls or bidi overrides; the HTML reader and the body tidier keep
 * valid UTF-8 valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;

	text_sanitize(&b, (const char *)data, size, 1);
	if (!utf8_valid(b.data ? b.data : "", b.len))
		abort();
	for (size_t i = 0; i < b.len;) {
		uint32_t cp;
		size_t n = utf8_decode(b.data + i, b.len - i, &cp);
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F ||
		    (cp >= 0x80 && cp <= 0x9F) ||
		    (cp >= 0x202A && cp <= 0x202E) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += n;
	}
	buf_reset(&b);
	text_cjk_split(&b, (const char *)data, size);
	/* comment bodies as Zendesk sends them (valid UTF-8): still valid */
	if (utf8_valid((const char *)data, size)) {
		buf_reset(&b);
		text_html_to_text(&b, (const char *)data, size);
		if (!utf8_valid(b.data ? b.data : "", b.len))
			abort();
		buf_reset(&b);
		text_tidy(&b, (const char *)data, size, 1);
		text_md_images(&b, (const char *)data, size);
		if (!utf8_valid(b.data ? b.data : "", b.len))
			abort();
	}
	buf_free(&b);
	return 0;
}
