/* SPDX-License-Identifier: MIT */
/*
 * Width-aware cleaning of customer text for the screen: every unit is a
 * printable character of known width (wcwidth) or a visible ASCII marker.
 * Pure functions, no curses: the drawing code and the row formatter share
 * them, so what is measured is what is drawn.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui_int.h"

/* Characters that reorder or hide text: shown as markers, never drawn
 * (the store's one list, joiners included). */
static int
is_invisible(uint32_t cp)
{
	return text_invisible(cp) || (cp >= 0x2065 && cp <= 0x206f);
}

size_t
ui_text_next(const char *s, size_t len, int have_base, struct ui_glyph *g)
{
	uint32_t cp;
	size_t n;
	int w;

	g->marker[0] = '\0';
	if (s[0] == '\r' && len > 1 && s[1] == '\n') {
		g->cp = '\n';
		g->width = -1;
		return 2;
	}
	n = utf8_decode(s, len, &cp);
	g->cp = cp;
	if (cp == '\n' || cp == '\t') {
		g->width = -1;
		return n;
	}
	if (cp < 0x20 || cp == 0x7f) {
		snprintf(g->marker, sizeof(g->marker), "^%c",
		    cp == 0x7f ? '?' : (char)(cp + 0x40));
		g->width = 2;
		return n;
	}
	if ((cp >= 0x80 && cp < 0xa0) || is_invisible(cp)) {
		snprintf(g->marker, sizeof(g->marker), "<U+%04X>",
		    (unsigned)cp);
		g->width = (int)strlen(g->marker);
		return n;
	}
	w = wcwidth((wchar_t)cp);
	if (w < 0 || w > 2 || (w == 0 && !have_base)) {
		snprintf(g->marker, sizeof(g->marker), "<U+%04X>",
		    (unsigned)cp);
		g->width = (int)strlen(g->marker);
		return n;
	}
	g->width = w;
	return n;
}

int
ui_text_width(const char *s)
{
	struct ui_glyph g;
	size_t len = strlen(s), i = 0;
	int w = 0, base = 0;

	while (i < len) {
		i += ui_text_next(s + i, len - i, base, &g);
		if (g.width < 0) {
			w += 1;
			base = 0;
		} else {
			w += g.width;
			base = g.marker[0] == '\0';
		}
	}
	return w;
}

int
ui_text_fit(struct buf *out, const char *s, int width, int pad)
{
	struct ui_glyph g;
	size_t len, i = 0, n;
	int w = 0, base = 0, cut, room;

	if (s == NULL)
		s = "";
	if (width <= 0)
		return 0;
	len = strlen(s);
	cut = ui_text_width(s) > width;
	room = cut ? width - 1 : width;
	while (i < len) {
		n = ui_text_next(s + i, len - i, base, &g);
		if (g.width < 0) {
			if (w + 1 > room)
				break;
			buf_addc(out, ' ');
			w++;
			base = 0;
		} else if (g.marker[0] != '\0') {
			if (w + g.width > room)
				break;
			buf_adds(out, g.marker);
			w += g.width;
			base = 0;
		} else {
			if (w + g.width > room)
				break;
			buf_add(out, s + i, n);
			w += g.width;
			base = 1;
		}
		i += n;
	}
	if (cut) {
		while (w < width - 1) {
			buf_addc(out, ' ');
			w++;
		}
		buf_adds(out, "\xe2\x80\xa6");
		w++;
	}
	while (pad && w < width) {
		buf_addc(out, ' ');
		w++;
	}
	return w;
}

void
ui_text_wrap(const char *s, int width, ui_line_fn fn, void *arg)
{
	struct ui_glyph g;
	size_t len, i, n, start, sp;
	int col, spcol, base, gw;

	if (s == NULL)
		s = "";
	if (width < 8)
		width = 8;
	len = strlen(s);
	i = start = 0;
	col = base = 0;
	sp = 0;
	spcol = -1;
	while (i < len) {
		n = ui_text_next(s + i, len - i, base, &g);
		if (g.width < 0 && g.cp == '\n') {
			fn(s + start, i - start, arg);
			i += n;
			start = i;
			col = base = 0;
			spcol = -1;
			continue;
		}
		gw = g.width < 0 ? 1 : g.width;
		if (col + gw > width && col > 0) {
			if (spcol > 0) {
				/* break after the last space */
				fn(s + start, sp - start, arg);
				start = sp + 1;
				col -= spcol + 1;
			} else {
				fn(s + start, i - start, arg);
				start = i;
				col = 0;
			}
			spcol = -1;
			continue;
		}
		if (g.width < 0 || g.cp == ' ') {
			sp = i;
			spcol = col;
			base = 0;
		} else
			base = g.marker[0] == '\0';
		col += gw;
		i += n;
	}
	if (start < len || len == 0)
		fn(s + start, len - start, arg);
}
