/* SPDX-License-Identifier: MIT */
/*
 * Customer text made safe and searchable: the sanitiser that turns control
 * characters, escape sequences and bidi overrides into visible, inert
 * markers, and the CJK splitter that lets FTS5 match single Han characters.
 */
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* Code points that reorder or hide text: shown as <U+XXXX>. One list for
 * every output (CLI, UI, JSON). */
int
text_invisible(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) ||	/* bidi embed/override */
	    (cp >= 0x2066 && cp <= 0x2069) ||		/* bidi isolates */
	    cp == 0x200E || cp == 0x200F || cp == 0x061C || /* marks */
	    (cp >= 0x200B && cp <= 0x200D) ||		/* zero width, joiners */
	    (cp >= 0x2060 && cp <= 0x2064) ||		/* word joiner, math */
	    (cp >= 0x206A && cp <= 0x206F) ||		/* deprecated format */
	    cp == 0xFEFF || cp == 0x00AD || cp == 0x180E || /* BOM, soft hyphen */
	    cp == 0x034F || cp == 0x115F || cp == 0x1160 || /* fillers */
	    cp == 0x3164 || cp == 0xFFA0 ||
	    cp == 0x2028 || cp == 0x2029 ||		/* line separators */
	    (cp >= 0xFFF9 && cp <= 0xFFFB) ||		/* annotations */
	    (cp >= 0xE0000 && cp <= 0xE007F) ||		/* tag characters */
	    (cp >= 0xE0100 && cp <= 0xE01EF);		/* variation sel. */
}

void
text_sanitize(struct buf *out, const char *s, size_t len, int keep_newlines)
{
	size_t i = 0, run = 0;

	buf_grow(out, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		/* fast path: printable ASCII */
		if (c >= 0x20 && c < 0x7F) {
			i++;
			run++;
			continue;
		}
		if (run) {
			buf_add(out, s + i - run, run);
			run = 0;
		}
		if (c < 0x80) {
			if (c == '\n') {
				buf_addc(out, keep_newlines ? '\n' : ' ');
			} else if (c == '\t') {
				buf_adds(out, keep_newlines ? "\t" : " ");
			} else if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
				/* CRLF is a newline, not an overwrite */
			} else if (c == 0x7F) {
				buf_adds(out, "^?");
			} else {
				buf_addc(out, '^');
				buf_addc(out, (char)(c + '@'));
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (cp >= 0x80 && cp <= 0x9F) {
			/* C1 controls, e.g. 8-bit CSI */
			buf_printf(out, "<U+%04X>", (unsigned)cp);
		} else if (text_invisible(cp)) {
			/* U+2028/9 too: a marker, never a line break */
			buf_printf(out, "<U+%04X>", (unsigned)cp);
		} else if (cp == 0xFFFD) {
			buf_adds(out, "\xEF\xBF\xBD");
		} else {
			buf_add(out, s + i, n);
		}
		i += n;
	}
	if (run)
		buf_add(out, s + i - run, run);
}

void
text_cjk_split(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, run = 0;	/* run: bytes copied as they are */

	buf_grow(out, len + len / 2);
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			run++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (utf8_is_cjk(cp)) {
			buf_add(out, s + i - run, run);
			run = 0;
			buf_addc(out, ' ');
			buf_add(out, s + i, n);
			/* 提現 is found as 提现, and the other way round */
			zh_fold_t2s(out->data + out->len - n, n);
			buf_addc(out, ' ');
		} else {
			run += n;
		}
		i += n;
	}
	buf_add(out, s + i - run, run);
}

/* The next character of s[*i..len) beyond ASCII (skipping ASCII, which
 * no script test here wants): 1 and *cp, or 0 at the end. */
static int
next_wide(const char *s, size_t len, size_t *i, uint32_t *cp)
{
	while (*i < len && (unsigned char)s[*i] < 0x80)
		(*i)++;
	if (*i >= len)
		return 0;
	*i += utf8_decode(s + *i, len - *i, cp);
	return 1;
}

int
text_has_cjk(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (next_wide(s, len, &i, &cp))
		if (utf8_is_cjk(cp))
			return 1;
	return 0;
}

/*
 * The language a text's script gives away: "ja" when it has kana, "ko"
 * when it has hangul, "zh" when it has Han characters only, NULL when it
 * has none of them. Japanese is mostly Han with some kana, so kana wins.
 */
const char *
text_script_lang(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;
	int han = 0;

	while (next_wide(s, len, &i, &cp)) {
		if ((cp >= 0x3040 && cp <= 0x30FF) ||
		    (cp >= 0x31F0 && cp <= 0x31FF) ||
		    (cp >= 0xFF66 && cp <= 0xFF9D))
			return "ja";
		if ((cp >= 0xAC00 && cp <= 0xD7AF) ||
		    (cp >= 0x1100 && cp <= 0x11FF) ||
		    (cp >= 0x3130 && cp <= 0x318F))
			return "ko";
		if (utf8_is_cjk(cp))
			han = 1;
	}
	return han ? "zh" : NULL;
}

const char *
store_lang_detect(const char *text, size_t len, const char *locale,
    char out[8])
{
	const char *script = text ? text_script_lang(text, len) : NULL;
	char loc[8] = "";

	if (locale && *locale) {
		size_t n = strcspn(locale, "-_");
		if (n >= sizeof(loc))
			n = sizeof(loc) - 1;
		for (size_t i = 0; i < n; i++)
			loc[i] = (char)(locale[i] >= 'A' && locale[i] <= 'Z' ?
			    locale[i] + 32 : locale[i]);
		loc[n] = '\0';
	}
	if (script && strcmp(script, "zh") == 0 && (strcmp(loc, "ja") == 0 ||
	    strcmp(loc, "ko") == 0))
		script = loc;
	snprintf(out, 8, "%s", script ? script : *loc ? loc : "en");
	return out;
}

size_t
bspan(const char *s, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && s[i] && strchr(set, s[i]))
		i++;
	return i;
}
