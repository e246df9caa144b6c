/* SPDX-License-Identifier: MIT */
/*
 * Traditional Chinese read as simplified: the reply guard's and the triage
 * rules' words are written once, in simplified characters, and a text in
 * traditional ones (香港, 台灣) must meet them all the same. Every pair in
 * the table is three UTF-8 bytes on both sides, so a text is folded in
 * place and every byte offset found in it holds for the original.
 */
#include "store/text.h"

#include <stdint.h>

extern const uint16_t zh_t2s_table[0x9FFF - 0x4E00 + 1];

void
zh_fold_t2s(char *s, size_t len)
{
	unsigned char *u = (unsigned char *)s;

	for (size_t i = 0; i + 2 < len; i++) {
		/* U+4E00..U+9FFF: lead bytes E4..E9 */
		if (u[i] < 0xE4 || u[i] > 0xE9 || (u[i + 1] & 0xC0) != 0x80 ||
		    (u[i + 2] & 0xC0) != 0x80)
			continue;
		uint32_t cp = (uint32_t)(u[i] & 0x0F) << 12 |
		    (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
		uint16_t to = cp >= 0x4E00 ? zh_t2s_table[cp - 0x4E00] : 0;
		if (to) {
			u[i] = (unsigned char)(0xE0 | to >> 12);
			u[i + 1] = (unsigned char)(0x80 | (to >> 6 & 0x3F));
			u[i + 2] = (unsigned char)(0x80 | (to & 0x3F));
		}
		i += 2;
	}
}
