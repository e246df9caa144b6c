/* SPDX-License-Identifier: MIT */
/*
 * Byte tests for the text scanners (guard, redaction): ASCII only, the
 * same in every locale, and inline (the <ctype.h> calls go through the
 * locale table on every byte), plus a UTF-8 decoder that takes the
 * common three-byte (CJK) case inline and leaves the rest to
 * utf8_decode.
 */
#ifndef TDESK_ASCII_H
#define TDESK_ASCII_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/base.h"

/* by byte: 1 an ASCII letter, 2 a digit (bytes from 0x80 are neither);
 * one load instead of compares, on every byte of every text */
static const unsigned char a_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
};

/* c is a byte (0..255) */
static inline int
a_alpha(int c)
{
	return a_class[(unsigned char)c] & 1;
}

static inline int
a_digit(int c)
{
	return (unsigned)(c - '0') < 10;
}

static inline int
a_alnum(int c)
{
	return a_class[(unsigned char)c];
}

static inline int
a_lower(int c)
{
	return (unsigned)(c - 'A') < 26 ? c | 0x20 : c;
}

static inline int
a_space(int c)
{
	return c == ' ' || (unsigned)(c - '\t') < 5;
}

/* utf8_is_cjk, with the common cases inline: below every range, or in
 * the unified block. */
static inline int
u8_is_cjk(uint32_t cp)
{
	if (cp < 0x3040)
		return 0;
	if (cp >= 0x4E00 && cp <= 0x9FFF)
		return 1;
	return utf8_is_cjk(cp);
}

static inline size_t
u8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len >= 3 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 &&
	    (u[2] & 0xC0) == 0x80) {
		uint32_t c = (uint32_t)(u[0] & 0x0F) << 12 |
		    (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	if (len && u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	return utf8_decode(s, len, cp);
}

/*
 * Room for element n of array p (*cap elements) that may still be the
 * caller's own buffer inl (on its stack: no allocation for a short
 * text): returns the array, moved to the heap at twice the capacity when
 * it was full. Free it with stack_free.
 */
static inline void *
stack_grow(void *p, const void *inl, size_t *cap, size_t n, size_t elem)
{
	void *q;

	if (n < *cap)
		return p;
	if (p == inl) {
		q = xmalloc(2 * *cap * elem);
		memcpy(q, p, n * elem);
	} else {
		q = xrealloc(p, (*cap ? 2 * *cap : 16) * elem);
	}
	*cap = *cap ? 2 * *cap : 16;
	return q;
}

static inline void
stack_free(void *p, const void *inl)
{
	if (p != inl)
		free(p);
}

#endif
