/* SPDX-License-Identifier: MIT */
/*
 * The reply guard's second look: a text that hides its words from the
 * lexicon (ｆｕｌｌ-width letters, an invisible character inside a word,
 * Cyrillic or Greek look-alike letters among Latin ones, s p a c e d or
 * s.e.p.a.r.a.t.e.d letters, l33t digits, 助 记 词 written apart, HTML
 * tags and entities inside words) is
 * read once more with those undone. A cheap test first says whether a
 * text may hide anything; most texts never get the second look.
 */
#include "store/guard.h"
#include "store/ascii.h"
#include "store/guard_int.h"
#include "store/redact_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A Cyrillic or Greek letter drawn like a Latin one: that letter, or 0
 * (capitals as their small letters, then the links' skeleton). */
static char
homoglyph(uint32_t cp)
{
	if (cp < 0x370 || cp > 0x52F)
		return 0;
	if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F))
		cp += 0x20;
	else if (cp >= 0x400 && cp <= 0x40F)
		cp += 0x50;
	return guard_skeleton_cp(cp);
}

/* A full-width letter or digit (U+FF10..U+FF5A): its ASCII, or 0. */
static char
fullwidth(uint32_t cp)
{
	return cp >= 0xFF10 && cp <= 0xFF5A ? guard_skeleton_cp(cp) : 0;
}

/* An invisible character that may sit inside a word. */
static int
invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
	    cp == 0xFEFF || cp == 0x00AD || cp == 0x180E;
}

/* A l33t digit or sign inside a word: the letter it stands for. */
static char
leet(unsigned char c)
{
	switch (c) {
	case '0': return 'o';
	case '1': return 'i';
	case '3': return 'e';
	case '4': return 'a';
	case '5': return 's';
	case '7': return 't';
	case '@': return 'a';
	case '$': return 's';
	default: return 0;
	}
}

/* Whether the '@' at i begins the host of an e-mail address. */
static int
mail_host(const char *s, size_t len, size_t i)
{
	size_t j = i + 1;

	while (j < len && (a_alnum((unsigned char)s[j]) || s[j] == '-'))
		j++;
	return s[i] == '@' && j + 1 < len && s[j] == '.' &&
	    a_alpha((unsigned char)s[j + 1]);
}

/* The end of the word at i, '@' and '$' inside it ("p@ss", "pa$$word";
 * not an e-mail address) */
static size_t
leet_end(const char *s, size_t len, size_t i)
{
	size_t e = i;

	while (e < len && (a_alnum((unsigned char)s[e]) || ((s[e] == '@' ||
	    s[e] == '$') && e > i && e + 1 < len && !mail_host(s, len, e) &&
	    (a_alnum((unsigned char)s[e + 1]) || s[e + 1] == '$'))))
		e++;
	return e;
}

/* Whether the word s[i..e) is l33t for a word the guard looks for: a
 * letter first, l33t digits and signs among letters (no other digit, no
 * more of them than letters), and read as letters it begins like one of
 * those words ("s33d", "pr1vate", "p@ssw0rd"; not "u60a8", "w3lc0me"). */
static int
leet_span(const char *s, size_t i, size_t e)
{
	static const char *const stems[] = { "seed", "phras", "privat",
	    "key", "pass", "mnemon", "recover", "word", "secret", "code",
	    "otp", "telegr", "whatsap", "anydesk", "teamview", "wallet",
	    "backup", "auth", "verif", "wechat", "signal", "remote" };
	char w[17];
	int letters = 0, digits = 0;

	if (e - i < 3 || e - i > 16 || !a_alpha((unsigned char)s[i]))
		return 0;
	for (size_t q = i; q < e; q++) {
		unsigned char c = (unsigned char)s[q];
		if (a_alpha(c))
			letters++;
		else if (leet(c))
			digits++;
		else
			return 0;
		w[q - i] = (char)(a_alpha(c) ? a_lower(c) : leet(c));
	}
	if (digits == 0 || digits > letters)
		return 0;
	w[e - i] = '\0';
	for (size_t k = 0; k < ARRAY_LEN(stems); k++)
		if (w[0] == stems[k][0] && !strncmp(w, stems[k],
		    strlen(stems[k])))
			return 1;
	return 0;
}

/* Whether the word at i may be l33t for a word the guard looks for. */
int
guard_norm_leet(const char *s, size_t len, size_t i)
{
	return leet_span(s, i, leet_end(s, len, i));
}

/* Whether the character cp (not Chinese) may hide a word. */
int
guard_norm_char(uint32_t cp)
{
	return fullwidth(cp) || invisible(cp) || homoglyph(cp);
}

/* Whether the Chinese character at i stands alone between blanks, in a
 * row of three to five so written: 助 记 词 (i + 3 < len). Longer rows
 * are lists (a Chinese seed phrase: the redactor's), not words. */
int
guard_norm_cjk(const char *s, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	int n = 1;

	if (!(u[i + 3] == ' ' && i + 4 < len && u[i + 4] >= 0xE3 && i >= 2 &&
	    u[i - 1] == ' ' && u[i - 2] >= 0x80))
		return 0;
	/* three-byte characters one blank apart, before and after */
	for (size_t j = i; n < 6 && j >= 4 && u[j - 1] == ' ' &&
	    u[j - 4] >= 0xE3 && u[j - 4] <= 0xEC; j -= 4)
		n++;
	for (size_t j = i; n < 6 && j + 7 <= len && u[j + 3] == ' ' &&
	    u[j + 4] >= 0xE3 && u[j + 4] <= 0xEC; j += 4)
		n++;
	return n >= 3 && n <= 5;
}

/* Where the text may first hide a word from byte from on, or len. */
size_t
guard_norm_find(const char *s, size_t len, const struct text_runs *tr,
    size_t from)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t lo = 0, hi = tr->n, found = len;
	int single = 0;

	while (lo < hi) {	/* the first word from there */
		size_t mid = (lo + hi) / 2;
		if (tr->r[mid].start < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (tr->any_wide) {
		for (size_t i = from; i < len; i++) {
			if (u[i] < 0xC2)
				continue;
			if (u[i] >= 0xE3 && u[i] <= 0xEC && i + 3 < len) {
				if (guard_norm_cjk(s, len, i)) {
					found = i;
					break;
				}
				i += 2;
				continue;
			}
			uint32_t cp;
			size_t n = u8_decode(s + i, len - i, &cp);
			if (guard_norm_char(cp)) {
				found = i;
				break;
			}
			i += n - 1;
		}
	}
	/* the words before it */
	for (size_t k = lo; k < tr->n && tr->r[k].start < found; k++)
		if (guard_norm_run(s, len, tr, k, &single))
			return tr->r[k].start;
	return found;
}

/* An HTML tag at i ("<b>", "</p>", "<a href=...>", "<!-- -->"): its end,
 * or i; *brk: a tag that ends a line (p, br, div, li ...). */
static size_t
html_tag(const char *s, size_t len, size_t i, int *brk)
{
	static const char *const blocks[] = { "p", "br", "div", "li", "tr",
	    "td", "ul", "ol", "table", "blockquote", "hr", "h1", "h2", "h3",
	    "h4", "h5", "h6" };
	size_t n = i + 1, e;

	if (n < len && s[n] == '/')
		n++;
	if (n >= len || !(a_alpha((unsigned char)s[n]) || s[n] == '!'))
		return i;
	for (e = n; e < len && e - i < 300 && s[e] != '>' && s[e] != '<'; e++)
		;
	if (e >= len || s[e] != '>')
		return i;
	size_t w = n;
	while (w < e && a_alnum((unsigned char)s[w]))
		w++;
	*brk = 0;
	for (size_t k = 0; k < ARRAY_LEN(blocks); k++)
		if (strlen(blocks[k]) == w - n && !strncasecmp(s + n, blocks[k],
		    w - n))
			*brk = 1;
	return e + 1;
}

/* An HTML entity at i ("&nbsp;", "&amp;", "&#115;", "&#x73;"): its end
 * and *c the ASCII it stands for, or i. */
static size_t
html_entity(const char *s, size_t len, size_t i, char *c)
{
	static const struct { const char *name; char c; } names[] = {
		{ "nbsp;", ' ' }, { "amp;", '&' }, { "lt;", '<' },
		{ "gt;", '>' }, { "quot;", '"' }, { "apos;", '\'' },
	};
	unsigned v = 0;
	size_t e = i + 1;

	for (size_t k = 0; k < ARRAY_LEN(names); k++)
		if (len - e >= strlen(names[k].name) && !memcmp(s + e,
		    names[k].name, strlen(names[k].name))) {
			*c = names[k].c;
			return e + strlen(names[k].name);
		}
	if (e + 2 >= len || s[e] != '#')
		return i;
	int hex = s[e + 1] == 'x' || s[e + 1] == 'X';
	for (e += 1 + hex; e < len && e - i < 10 && (hex ?
	    a_alnum((unsigned char)s[e]) : a_digit((unsigned char)s[e])); e++) {
		int d = a_digit((unsigned char)s[e]) ? s[e] - '0' :
		    (s[e] | 0x20) - 'a' + 10;
		if (d < 0 || d > 15)
			return i;
		v = v * (hex ? 16 : 10) + (unsigned)d;
	}
	if (e >= len || s[e] != ';' || v < 0x20 || v > 0x7E)
		return i;
	*c = (char)v;
	return e + 1;
}

/* Where the text first holds an HTML tag or entity, or len. */
size_t
guard_norm_html(const char *s, size_t len)
{
	size_t best = len;
	const char *p;
	int brk;
	char c;

	for (p = memchr(s, '<', len); p; p = memchr(p + 1, '<', (size_t)(s +
	    len - p - 1)))
		if (html_tag(s, len, (size_t)(p - s), &brk) > (size_t)(p - s)) {
			best = (size_t)(p - s);
			break;
		}
	for (p = memchr(s, '&', best); p; p = memchr(p + 1, '&', (size_t)(s +
	    best - p - 1)))
		if (html_entity(s, len, (size_t)(p - s), &c) > (size_t)(p - s))
			return (size_t)(p - s);
	return best;
}

/* out += c, from byte at of the text (out has room: the text undone is
 * never longer than the text) */
static inline void
put(struct buf *out, size_t *map, char c, size_t at)
{
	map[out->len] = at;
	out->data[out->len++] = c;
}

/* Whether the character at i begins a Latin word or continues one (a
 * look-alike letter counts when a Latin letter is in its word). */
static int
latin_near(const char *s, size_t len, size_t i, size_t n)
{
	uint32_t cp;

	for (size_t j = i + n; j < len;) {
		if (a_alpha((unsigned char)s[j]))
			return 1;
		size_t m = u8_decode(s + j, len - j, &cp);
		if ((unsigned char)s[j] < 0x80 || !(homoglyph(cp) ||
		    invisible(cp)))
			break;
		j += m;
	}
	for (size_t j = i; j > 0;) {
		if (a_alpha((unsigned char)s[j - 1]))
			return 1;
		if ((unsigned char)s[j - 1] < 0x80)
			break;
		/* back to the start of the character before */
		size_t b = j - 1;
		while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
		u8_decode(s + b, len - b, &cp);
		if (!(homoglyph(cp) || invisible(cp)))
			break;
		j = b;
	}
	return 0;
}

/* The end of a run of one-letter words one spacer apart starting at i
 * (at least three of them), or i. */
static size_t
spaced_end(const char *s, size_t len, size_t i)
{
	size_t j = i, last = i, n = 0;

	while (j < len && a_alnum((unsigned char)s[j]) && (j + 1 >= len ||
	    !a_alnum((unsigned char)s[j + 1]))) {
		n++;
		last = j;
		if (j + 2 < len && guard_norm_spacer((unsigned char)s[j + 1]))
			j += 2;
		else
			break;
	}
	return n >= 3 ? last + 1 : i;
}

/* Undo l33t in place in the words of out that look like it. */
static void
unleet(struct buf *out)
{
	char *s = out->data;
	size_t len = out->len;

	for (size_t i = 0; i < len;) {
		if (!a_alnum((unsigned char)s[i]) || (i > 0 &&
		    a_alnum((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		size_t e = leet_end(s, len, i);
		if (leet_span(s, i, e))
			for (size_t q = i; q < e; q++)
				if (!a_alpha((unsigned char)s[q]))
					s[q] = leet((unsigned char)s[q]);
		i = e > i ? e : i + 1;
	}
}

/* The text with its hiding undone into out (NUL-terminated), map[i] the
 * byte of s that byte i of out came from (map[out->len] = len; the caller
 * frees map). */
void
guard_norm(const char *s, size_t len, struct buf *out, size_t **map)
{
	const unsigned char *u = (const unsigned char *)s;

	buf_grow(out, len + 1);
	*map = xmalloc((len + 1) * sizeof(**map));
	for (size_t i = 0; i < len;) {
		int brk;
		char hc;
		size_t h = u[i] == '<' ? html_tag(s, len, i, &brk) : u[i] == '&' ?
		    html_entity(s, len, i, &hc) : i;
		if (h > i) {	/* <b>s</b>eed: seed; &nbsp;: a blank */
			if (u[i] == '&' || brk)
				put(out, *map, u[i] == '&' ? hc : '\n', i);
			i = h;
			continue;
		}
		if (u[i] < 0x80) {
			size_t e = a_alnum(u[i]) && (i == 0 ||
			    !a_alnum(u[i - 1])) ? spaced_end(s, len, i) : i;
			if (e == i) {
				put(out, *map, s[i], i);
				i++;
				continue;
			}
			for (; i < e; i++)	/* s e e d: seed */
				if (a_alnum(u[i]))
					put(out, *map, s[i], i);
			/* "s e e d  p h r a s e": two blanks part words */
			continue;
		}
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);
		char c = cp == 0x3000 ? ' ' : cp == 0xFF0B ? '+' : cp == 0xFF0D ?
		    '-' : cp == 0xFF08 ? '(' : cp == 0xFF09 ? ')' : fullwidth(cp);
		if (c == 0 && homoglyph(cp) && latin_near(s, len, i, n))
			c = homoglyph(cp);
		if (c) {
			put(out, *map, c, i);
		} else if (invisible(cp) && latin_near(s, len, i, n)) {
			/* se\u200bed: seed */
		} else {
			for (size_t k = 0; k < n; k++)
				put(out, *map, s[i + k], i);
			/* 助 记 词: 助记词 */
			if (u8_is_cjk(cp) && i + n + 1 < len && u[i + n] ==
			    ' ' && u[i + n + 1] >= 0xE3)
				n++;
		}
		i += n;
	}
	(*map)[out->len] = len;
	out->data[out->len] = '\0';
	unleet(out);
}
