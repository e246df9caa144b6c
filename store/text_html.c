/* SPDX-License-Identifier: MIT */
/*
 * Comment bodies made readable: HTML from email and rich-text editors as
 * plain text (paragraphs, line breaks, lists, tables, quoted history as
 * "> " lines, links with their real target, images as markers, entities
 * decoded), and plain bodies tidied (CRLF, trailing spaces, runs of blank
 * lines). One pass over the input, no allocation but the output; the
 * result still goes through text_sanitize on its way into the replica.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LISTS 8

struct h2t {
	struct buf *out;
	size_t start;		/* where this text begins in out */
	size_t line;		/* where the current line begins */
	int pending_nl;		/* line breaks owed before the next text */
	int nl_depth;		/* quote depth of the blank lines owed */
	int space;		/* a space owed before the next text */
	int cell;		/* a " | " owed (next table cell) */
	int quote;		/* blockquote depth */
	int pre;		/* inside <pre> */
	int no_gt;		/* no '>' left in the input: no more tags */
	int fresh;		/* a cell or list item without text yet: the
				 * breaks its paragraphs ask for wait */
	int cells;		/* cells so far in this table row */
	int n_lists;
	int list_n[MAX_LISTS];	/* item number, or -1 for bullets */
	size_t a_mark;		/* out->len at <a>, for its text */
	char href[512];		/* the open link's target, "" when none */
};

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void
quote_prefix(struct h2t *h, int depth, int blank)
{
	for (int i = 0; i < depth; i++)
		buf_adds(h->out, blank && i == depth - 1 ? ">" : "> ");
}

/* Text is coming: the line breaks, quote marks and space owed first. */
static void
flush(struct h2t *h)
{
	if (h->out->len == h->start) {
		/* no blank lines or spaces before the first text */
		h->pending_nl = 0;
		h->space = h->cell = 0;
		h->line = h->out->len;
		quote_prefix(h, h->quote, 0);
		return;
	}
	if (h->pending_nl) {
		/* no spaces at the end of a line */
		while (h->out->len > h->line &&
		    h->out->data[h->out->len - 1] == ' ')
			h->out->len--;
		for (int i = 0; i < h->pending_nl; i++) {
			buf_addc(h->out, '\n');
			h->line = h->out->len;
			if (i + 1 < h->pending_nl)
				quote_prefix(h, h->nl_depth, 1);
		}
		quote_prefix(h, h->quote, 0);
		h->pending_nl = 0;
		h->space = h->cell = 0;
		return;
	}
	if (h->cell && h->out->len > h->line)
		buf_adds(h->out, " | ");
	else if (h->space && h->out->len > h->line &&
	    h->out->data[h->out->len - 1] != ' ')
		buf_addc(h->out, ' ');
	h->space = h->cell = 0;
}

/* n line breaks before the next text (2: a blank line between). */
static void
block(struct h2t *h, int n)
{
	if (h->fresh)
		return;
	if (h->pending_nl == 0 || h->quote < h->nl_depth)
		h->nl_depth = h->quote;
	if (n > h->pending_nl)
		h->pending_nl = n;
}

static void
put_raw(struct h2t *h, const char *s, size_t n)
{
	flush(h);
	h->fresh = 0;
	buf_add(h->out, s, n);
}

/* Whether cp is East Asian wide: a line break between two of them in
 * the HTML source is no space (CSS Text: segment breaks). */
static int
is_wide(uint32_t cp)
{
	return utf8_is_cjk(cp) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF60);
}

/* Whether the text ends with a wide character. */
static int
ends_wide(struct h2t *h)
{
	size_t k = h->out->len;
	uint32_t cp;

	while (k > h->line && k + 4 > h->out->len &&
	    ((unsigned char)h->out->data[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == h->line || k == 0)
		return 0;
	k--;
	utf8_decode(h->out->data + k, h->out->len - k, &cp);
	return is_wide(cp);
}

/* Bytes of an invisible character at s (zero width space, BOM, soft
 * hyphen) that HTML shows as nothing: 0 when there is none. */
static size_t
invisible(const char *s, size_t n)
{
	if (n >= 3 && (memcmp(s, "\xE2\x80\x8B", 3) == 0 ||
	    memcmp(s, "\xEF\xBB\xBF", 3) == 0))
		return 3;
	return n >= 2 && memcmp(s, "\xC2\xAD", 2) == 0 ? 2 : 0;
}

/* Text between tags: white space collapses (but in <pre>). */
static void
put_text(struct h2t *h, const char *s, size_t n)
{
	size_t i = 0, run, k;
	uint32_t cp;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (h->pre && (c == '\n' || c == '\r')) {
			if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			if (h->out->len == h->start)
				flush(h);
			h->pending_nl = h->pending_nl < 2 ?
			    h->pending_nl + 1 : 2;
			i++;
			continue;
		}
		if (is_ws(c) || (c == 0xC2 && i + 1 < n &&
		    (unsigned char)s[i + 1] == 0xA0)) {
			i += c == 0xC2 ? 2 : 1;
			if (h->pre)
				put_raw(h, " ", 1);
			else if (c == '\n' || c == '\r')
				h->space = h->space ? h->space : 2;
			else
				h->space = 1;
			continue;
		}
		if ((k = invisible(s + i, n - i)) != 0) {
			i += k;
			continue;
		}
		for (run = i + 1; run < n && !is_ws((unsigned char)s[run]) &&
		    (unsigned char)s[run] != 0xC2 &&
		    (unsigned char)s[run] != 0xE2 &&
		    (unsigned char)s[run] != 0xEF; run++)
			;
		if (h->space == 2 && !h->pending_nl) {
			/* a source line break between Han characters */
			utf8_decode(s + i, n - i, &cp);
			if (is_wide(cp) && ends_wide(h))
				h->space = 0;
		}
		put_raw(h, s + i, run - i);
		i = run;
	}
}

static const struct {
	const char *name;
	const char *text;
} entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", " " }, { "ensp", " " }, { "emsp", " " },
	{ "thinsp", " " }, { "copy", "\xC2\xA9" }, { "reg", "\xC2\xAE" },
	{ "trade", "\xE2\x84\xA2" }, { "hellip", "\xE2\x80\xA6" },
	{ "mdash", "\xE2\x80\x94" }, { "ndash", "\xE2\x80\x93" },
	{ "lsquo", "\xE2\x80\x98" }, { "rsquo", "\xE2\x80\x99" },
	{ "ldquo", "\xE2\x80\x9C" }, { "rdquo", "\xE2\x80\x9D" },
	{ "sbquo", "\xE2\x80\x9A" }, { "bdquo", "\xE2\x80\x9E" },
	{ "laquo", "\xC2\xAB" }, { "raquo", "\xC2\xBB" },
	{ "bull", "\xE2\x80\xA2" }, { "middot", "\xC2\xB7" },
	{ "deg", "\xC2\xB0" }, { "plusmn", "\xC2\xB1" },
	{ "times", "\xC3\x97" }, { "divide", "\xC3\xB7" },
	{ "euro", "\xE2\x82\xAC" }, { "pound", "\xC2\xA3" },
	{ "yen", "\xC2\xA5" }, { "cent", "\xC2\xA2" }, { "sect", "\xC2\xA7" },
	{ "para", "\xC2\xB6" }, { "iexcl", "\xC2\xA1" },
	{ "iquest", "\xC2\xBF" }, { "larr", "\xE2\x86\x90" },
	{ "rarr", "\xE2\x86\x92" }, { "uarr", "\xE2\x86\x91" },
	{ "darr", "\xE2\x86\x93" }, { "harr", "\xE2\x86\x94" },
	{ "check", "\xE2\x9C\x93" }, { "shy", "" }, { "zwnj", "" },
	{ "zwj", "" }, { "lrm", "" }, { "rlm", "" },
};

/* An entity at s (s[0] == '&'): its text appended, the bytes it took
 * returned; 0 when it is not one (the '&' is then text). */
static size_t
entity(struct h2t *h, const char *s, size_t n)
{
	size_t e = 1;

	while (e < n && e < 12 && s[e] != ';' && s[e] != '&' && s[e] != '<' &&
	    !is_ws((unsigned char)s[e]))
		e++;
	if (e >= n || s[e] != ';' || e < 2)
		return 0;
	if (s[1] == '#') {
		uint32_t cp = 0;
		int hex = s[2] == 'x' || s[2] == 'X';
		size_t i = hex ? 3 : 2;
		if (i >= e)
			return 0;
		for (; i < e; i++) {
			char c = s[i];
			int d = c >= '0' && c <= '9' ? c - '0' :
			    hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			    hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0)
				return 0;
			if (cp <= 0x10FFFF)
				cp = cp * (hex ? 16 : 10) + (uint32_t)d;
		}
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
		    cp == 0xA0)
			put_text(h, " ", 1);
		else if (cp == 0x200B || cp == 0xFEFF || cp == 0xAD)
			;	/* shown as nothing */
		else {
			flush(h);
			utf8_encode(h->out, cp);
		}
		return e + 1;
	}
	for (size_t i = 0; i < ARRAY_LEN(entities); i++)
		if (strlen(entities[i].name) == e - 1 &&
		    strncmp(s + 1, entities[i].name, e - 1) == 0) {
			if (strcmp(entities[i].text, " ") == 0)
				put_text(h, " ", 1);
			else if (*entities[i].text)
				put_raw(h, entities[i].text,
				    strlen(entities[i].text));
			return e + 1;
		}
	return 0;
}

/* The '>' closing the tag at s[0] == '<' (quoted values may hold one,
 * looked for in the tag's first KiB; beyond, the first '>'): its index,
 * or n when there is none. */
static size_t
tag_end(const char *s, size_t n)
{
	size_t lim = n < 1024 ? n : 1024;
	const char *g;
	char q = 0;

	for (size_t i = 1; i < lim; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == '>') {
			return i;
		}
	}
	g = memchr(s, '>', n);
	return g ? (size_t)(g - s) : n;
}

/* The length of s[0..k) without a character cut short at its end. */
static size_t
whole_chars(const char *s, size_t k)
{
	size_t c = k;
	unsigned char lead;

	while (c > 0 && ((unsigned char)s[c - 1] & 0xC0) == 0x80)
		c--;
	if (c == 0 || (lead = (unsigned char)s[c - 1]) < 0xC0)
		return k;
	return k - (c - 1) < (size_t)(lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 :
	    2) ? c - 1 : k;
}

/* The value of attribute name in the tag text t[0..n), &amp; decoded,
 * into out (cap bytes): 1, or 0 when absent. */
static int
attr(const char *t, size_t n, const char *name, char *out, size_t cap)
{
	size_t l = strlen(name), i, j, k = 0;

	for (i = 1; i + l < n; i++) {
		if (!is_ws((unsigned char)t[i - 1]) ||
		    strncasecmp(t + i, name, l) != 0)
			continue;
		j = i + l;
		j += bspan(t + j, n - j, " \t\r\n");
		if (j >= n || t[j] != '=')
			continue;
		j++;
		j += bspan(t + j, n - j, " \t\r\n");
		char q = j < n && (t[j] == '"' || t[j] == '\'') ? t[j++] : 0;
		for (; j < n && k + 1 < cap; j++) {
			if (q ? t[j] == q : is_ws((unsigned char)t[j]) ||
			    t[j] == '>')
				break;
			out[k++] = t[j];
			if (j + 5 <= n && strncmp(t + j, "&amp;", 5) == 0)
				j += 4;
		}
		if (k + 1 >= cap)
			k = whole_chars(out, k);
		out[k] = '\0';
		return 1;
	}
	out[0] = '\0';
	return 0;
}

/* Past the close of element name from s[i]: the index after its '>',
 * or n when it is never closed. */
static size_t
skip_element(const char *s, size_t n, size_t i, const char *name)
{
	size_t l = strlen(name);

	for (; i + 2 + l <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, name, l) == 0) {
			size_t e = tag_end(s + i, n - i);
			return e < n - i ? i + e + 1 : n;
		}
	return n;
}

static void
image(struct h2t *h, const char *t, size_t n)
{
	char alt[128], src[512], w[16], hg[16];
	const char *name = NULL, *q;

	attr(t, n, "width", w, sizeof(w));
	attr(t, n, "height", hg, sizeof(hg));
	if (strcmp(w, "0") == 0 || strcmp(w, "1") == 0 ||
	    strcmp(hg, "0") == 0 || strcmp(hg, "1") == 0)
		return;		/* a tracking pixel */
	if (attr(t, n, "alt", alt, sizeof(alt)) && *alt)
		name = alt;
	else if (attr(t, n, "src", src, sizeof(src)) &&
	    (q = strstr(src, "name=")) != NULL && q[5])
		name = q + 5;
	h->space = 1;
	put_raw(h, "[image", 6);
	if (name) {
		buf_adds(h->out, ": ");
		put_text(h, name, strcspn(name, "&"));
	}
	buf_addc(h->out, ']');
	h->space = 1;
}

static void
link_open(struct h2t *h, const char *t, size_t n)
{
	char v[sizeof(h->href)];

	h->href[0] = '\0';
	if (!attr(t, n, "href", v, sizeof(v)))
		return;
	if (strncasecmp(v, "http://", 7) == 0 ||
	    strncasecmp(v, "https://", 8) == 0 ||
	    strncasecmp(v, "mailto:", 7) == 0) {
		memcpy(h->href, v, sizeof(v));
		h->a_mark = h->out->len;
	}
}

/* Whether a link's text names its target (with or without the scheme
 * or a closing slash): then the target is not repeated. */
static int
same_target(const char *text, size_t tl, const char *href)
{
	static const char *const pre[] = { "", "mailto:", "https://",
	    "http://" };

	for (size_t i = 0; i < ARRAY_LEN(pre); i++) {
		size_t pl = strlen(pre[i]), rl;
		const char *r = href + pl;
		if (strncasecmp(href, pre[i], pl) != 0)
			continue;
		rl = strlen(r);
		if (rl && r[rl - 1] == '/' && tl == rl - 1)
			rl--;
		if (tl == rl && strncasecmp(text, r, tl) == 0)
			return 1;
	}
	return 0;
}

/* </a>: the target after the link's text, unless the text says it. */
static void
link_close(struct h2t *h)
{
	const char *text;
	size_t tl;

	if (!*h->href)
		return;
	text = h->out->data + h->a_mark;
	tl = h->out->len - h->a_mark;
	tl -= bspan(text, tl, " \n>");
	text = h->out->data + h->out->len - tl;
	if (tl == 0)
		put_raw(h, h->href, strlen(h->href));
	else if (!same_target(text, tl, h->href)) {
		h->space = 0;
		put_raw(h, " (", 2);
		buf_adds(h->out, h->href);
		buf_addc(h->out, ')');
	}
	h->href[0] = '\0';
}

static void
list_item(struct h2t *h)
{
	int d = h->n_lists ? h->n_lists - 1 : 0;
	int *n = h->n_lists ? &h->list_n[d] : NULL;

	h->fresh = 0;
	/* items one a line, whatever their paragraphs asked for */
	if (h->pending_nl && h->out->len > h->start)
		h->pending_nl = 1;
	block(h, 1);
	flush(h);
	for (int i = 0; i < d; i++)
		buf_adds(h->out, "  ");
	if (n && *n > 0)
		buf_printf(h->out, "%d. ", (*n)++);
	else
		buf_adds(h->out, "- ");
	h->fresh = 1;
}

/*
 * The tags known to be HTML, by name (sorted: bsearch), and what they
 * do: a paragraph (a blank line around), a line of its own, their own
 * thing (br, li, td, a, img...: element) or nothing but their text, or
 * nothing at all (style, script...). A name not known is
 * text ("c<d & e>f"), but for namespaced ones (o:p, v:shape) and custom
 * elements (x-foo).
 */
enum { T_INLINE = 1, T_PARA, T_LINE, T_SKIP };
static const struct tag_kind {
	const char *name;
	int kind;
} tag_kinds[] = {
	{ "a", T_INLINE }, { "abbr", T_INLINE }, { "address", T_LINE },
	{ "area", T_INLINE }, { "article", T_LINE }, { "aside", T_LINE },
	{ "audio", T_INLINE }, { "b", T_INLINE }, { "base", T_INLINE },
	{ "bdi", T_INLINE }, { "bdo", T_INLINE }, { "big", T_INLINE },
	{ "blockquote", T_INLINE }, { "body", T_INLINE }, { "br", T_INLINE },
	{ "button", T_INLINE }, { "canvas", T_INLINE }, { "caption", T_LINE },
	{ "center", T_LINE }, { "cite", T_INLINE }, { "code", T_INLINE },
	{ "col", T_INLINE }, { "colgroup", T_INLINE }, { "dd", T_LINE },
	{ "del", T_INLINE }, { "details", T_LINE }, { "div", T_LINE },
	{ "dl", T_LINE }, { "dt", T_LINE }, { "em", T_INLINE },
	{ "fieldset", T_LINE }, { "figcaption", T_LINE },
	{ "figure", T_LINE }, { "font", T_INLINE }, { "footer", T_LINE },
	{ "form", T_LINE }, { "frame", T_INLINE }, { "frameset", T_INLINE },
	{ "h1", T_PARA }, { "h2", T_PARA }, { "h3", T_PARA },
	{ "h4", T_PARA }, { "h5", T_PARA }, { "h6", T_PARA },
	{ "head", T_SKIP }, { "header", T_LINE }, { "hr", T_INLINE },
	{ "html", T_INLINE }, { "i", T_INLINE }, { "iframe", T_SKIP },
	{ "img", T_INLINE }, { "input", T_INLINE }, { "ins", T_INLINE },
	{ "kbd", T_INLINE }, { "label", T_INLINE }, { "li", T_INLINE },
	{ "link", T_INLINE }, { "main", T_LINE }, { "map", T_INLINE },
	{ "mark", T_INLINE }, { "meta", T_INLINE }, { "nav", T_LINE },
	{ "noscript", T_SKIP }, { "object", T_SKIP }, { "ol", T_INLINE },
	{ "optgroup", T_INLINE }, { "option", T_INLINE }, { "p", T_PARA },
	{ "picture", T_INLINE }, { "pre", T_INLINE }, { "q", T_INLINE },
	{ "s", T_INLINE }, { "script", T_SKIP }, { "section", T_LINE },
	{ "select", T_SKIP }, { "small", T_INLINE }, { "source", T_INLINE },
	{ "span", T_INLINE }, { "strike", T_INLINE }, { "strong", T_INLINE },
	{ "style", T_SKIP }, { "sub", T_INLINE }, { "summary", T_LINE },
	{ "sup", T_INLINE }, { "svg", T_SKIP }, { "table", T_LINE },
	{ "tbody", T_LINE }, { "td", T_INLINE }, { "template", T_SKIP },
	{ "textarea", T_INLINE }, { "tfoot", T_LINE }, { "th", T_INLINE },
	{ "thead", T_LINE }, { "time", T_INLINE }, { "title", T_SKIP },
	{ "tr", T_LINE }, { "tt", T_INLINE }, { "u", T_INLINE },
	{ "ul", T_INLINE }, { "var", T_INLINE }, { "video", T_INLINE },
	{ "wbr", T_INLINE }, { "xml", T_SKIP }
};

static int
kind_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct tag_kind *)e)->name);
}

static int
tag_kind(const char *name)
{
	const struct tag_kind *k = bsearch(name, tag_kinds,
	    ARRAY_LEN(tag_kinds), sizeof(tag_kinds[0]), kind_cmp);

	return k ? k->kind : 0;
}

/* One tag, t[0..n) from '<' to '>' (named tag, closing when close). */
static void
element(struct h2t *h, const char *tag, int kind, int close, const char *t,
    size_t n)
{
	if (strcmp(tag, "br") == 0) {
		/* a break ends the line; one more makes a blank line */
		if (h->out->len > h->start)
			block(h, h->pending_nl ? 2 : 1);
	} else if (kind == T_PARA) {
		block(h, 2);
	} else if (kind == T_LINE) {
		if (strcmp(tag, "tr") == 0 || strcmp(tag, "table") == 0) {
			/* rows one a line */
			if (h->cells && h->pending_nl)
				h->pending_nl = 1;
			h->cells = h->fresh = 0;
		}
		block(h, 1);
	} else if (strcmp(tag, "li") == 0) {
		if (close)
			block(h, 1);
		else
			list_item(h);
	} else if (strcmp(tag, "ul") == 0 || strcmp(tag, "ol") == 0) {
		char v[16];
		if (close && h->n_lists)
			h->n_lists--;
		else if (!close && h->n_lists < MAX_LISTS)
			h->list_n[h->n_lists++] = tag[0] == 'u' ? -1 :
			    attr(t, n, "start", v, sizeof(v)) && atoi(v) > 0 ?
			    atoi(v) : 1;
		block(h, 1);
	} else if (strcmp(tag, "blockquote") == 0) {
		if (close && h->quote)
			h->quote--;
		block(h, close ? 2 : 1);
		if (!close && h->quote < 16)
			h->quote++;
	} else if (strcmp(tag, "pre") == 0) {
		block(h, 1);
		h->pre = close ? 0 : 1;
	} else if (strcmp(tag, "hr") == 0) {
		block(h, 1);
		put_raw(h, "----", 4);
		block(h, 1);
	} else if (strcmp(tag, "td") == 0 || strcmp(tag, "th") == 0) {
		if (!close) {
			/* cells of a row on one line: the breaks the last
			 * one's paragraphs left are dropped */
			if (h->cells++)
				h->pending_nl = 0;
			h->cell = h->fresh = 1;
		}
	} else if (strcmp(tag, "img") == 0) {
		image(h, t, n);
	} else if (strcmp(tag, "a") == 0) {
		if (close)
			link_close(h);
		else
			link_open(h, t, n);
	}
}

/* The tag at s[0] == '<': handled, and the bytes it took; 0 when the '<'
 * is text ("a < b", "<3", "Jane <jane@example.com>" in sloppy HTML). */
static size_t
tag(struct h2t *h, const char *s, size_t n)
{
	char name[16];
	size_t i = 1, k = 0, e;
	int close = 0, kind;

	if (n > 3 && strncmp(s, "<!--", 4) == 0) {
		const char *end = NULL;
		for (size_t j = 4; j + 2 < n && !end; j++)
			if (s[j] == '-' && s[j + 1] == '-' && s[j + 2] == '>')
				end = s + j + 3;
		return end ? (size_t)(end - s) : n;
	}
	if (i < n && (s[i] == '!' || s[i] == '?')) {
		e = tag_end(s, n);
		return e < n ? e + 1 : n;
	}
	if (i < n && s[i] == '/') {
		close = 1;
		i++;
	}
	while (i < n && k + 1 < sizeof(name) && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z') || (k && ((s[i] >= '0' &&
	    s[i] <= '9') || s[i] == ':' || s[i] == '-'))))
		name[k++] = (char)(s[i++] | 0x20);
	name[k] = '\0';
	if (k == 0 || i >= n || !(is_ws((unsigned char)s[i]) || s[i] == '/' ||
	    s[i] == '>'))
		return 0;
	kind = tag_kind(name);
	if (h->no_gt || (!kind && !strchr(name, ':') && !strchr(name, '-')))
		return 0;
	e = tag_end(s, n);
	if (e >= n) {
		h->no_gt = 1;	/* none later either: the rest is text */
		return 0;
	}
	if (!close && kind == T_SKIP)
		return skip_element(s, n, e + 1, name);
	element(h, name, kind, close, s, e + 1);
	return e + 1;
}

void
text_html_to_text(struct buf *out, const char *s, size_t n)
{
	struct h2t h = { .out = out, .start = out->len, .line = out->len };
	size_t i = 0, run = 0, k;

	buf_grow(out, n / 2);
	while (i < n) {
		if (s[i] != '<' && s[i] != '&') {
			i++;
			run++;
			continue;
		}
		put_text(&h, s + i - run, run);
		run = 0;
		k = s[i] == '<' ? tag(&h, s + i, n - i) :
		    entity(&h, s + i, n - i);
		if (k == 0) {
			put_raw(&h, s + i, 1);
			k = 1;
		}
		i += k;
	}
	put_text(&h, s + i - run, run);
	while (out->len > h.start && (out->data[out->len - 1] == ' ' ||
	    out->data[out->len - 1] == '\n'))
		out->len--;
	buf_addc(out, '\0');
	out->len--;
}

const char *
text_find2(const char *s, size_t n, const char two[2])
{
	const char *p = s, *end = s + n;

	while (p + 1 < end && (p = memchr(p, two[0], (size_t)(end - p - 1))))
		if (p[1] == two[1])
			return p;
		else
			p++;
	return NULL;
}

/* Bytes of white space (ASCII, U+00A0, U+3000) ending s[0..n). */
static size_t
trailing_ws(const char *s, size_t n)
{
	size_t k = n;

	while (k > 0) {
		if (s[k - 1] == ' ' || s[k - 1] == '\t')
			k--;
		else if (k > 1 && (unsigned char)s[k - 1] == 0xA0 &&
		    (unsigned char)s[k - 2] == 0xC2)
			k -= 2;
		else if (k > 2 && memcmp(s + k - 3, "\xE3\x80\x80", 3) == 0)
			k -= 3;		/* ideographic space */
		else
			break;
	}
	return n - k;
}

int
text_tidy_needed(const char *s, size_t n)
{
	const char *p = s, *end = s + n, *nl;

	if (n == 0)
		return 0;
	if (memchr(s, '\r', n) || s[0] == '\n' || trailing_ws(s, n) ||
	    s[n - 1] == '\n' || text_find2(s, n, "\xC2\xA0"))
		return 1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (trailing_ws(p, (size_t)(nl - p)) || (end - nl > 2 &&
		    nl[1] == '\n' && nl[2] == '\n'))
			return 1;
		p = nl + 1;
	}
	return 0;
}

/* s[0..n) appended with no-break spaces as spaces (mail clients put them
 * anywhere; a reader, a search, a reply quoting them sees plain ones). */
static void
add_spaced(struct buf *out, const char *s, size_t n)
{
	const char *p = s, *end = s + n, *nb;

	while ((nb = text_find2(p, (size_t)(end - p), "\xC2\xA0")) != NULL) {
		buf_add(out, p, (size_t)(nb - p));
		buf_addc(out, ' ');
		p = nb + 2;
	}
	buf_add(out, p, (size_t)(end - p));
}

void
text_tidy(struct buf *out, const char *s, size_t n, int unindent)
{
	size_t i = 0, start = out->len;
	int blank = 0;

	buf_grow(out, n);
	while (i < n) {
		size_t e = i, next;

		while (e < n && s[e] != '\n' && s[e] != '\r')
			e++;
		next = e + (e < n && s[e] == '\r' && e + 1 < n &&
		    s[e + 1] == '\n' ? 2 : e < n ? 1 : 0);
		if (unindent && e > i && s[i] == ' ')
			i++;
		e -= trailing_ws(s + i, e - i);
		if (e == i) {
			blank = 1;
		} else {
			if (out->len > start)
				buf_adds(out, blank ? "\n\n" : "\n");
			add_spaced(out, s + i, e - i);
			blank = 0;
		}
		i = next;
	}
	buf_addc(out, '\0');
	out->len--;
}

int
text_looks_html(const char *s, size_t n)
{
	static const char *const starts[] = { "<p", "<div", "<html", "<body",
	    "<br", "<span", "<table", "<ul", "<ol", "<h1", "<h2", "<h3",
	    "<!doctype", "<meta", "<head", "<font", "<b>", "<strong",
	    "<blockquote", "<pre", "<img", "<a ", "<center", "<style",
	    "<!--", "<em>", "<i>", "<section", NULL };
	size_t i = bspan(s, n, " \t\r\n");

	if (i >= n || s[i] != '<')
		return 0;
	for (size_t k = 0; starts[k]; k++) {
		size_t l = strlen(starts[k]);
		char c = i + l < n ? s[i + l] : '\0';
		/* the name whole ("<pre", not "<pending>") */
		if (i + l <= n && strncasecmp(s + i, starts[k], l) == 0 &&
		    (strchr(">/ \n\t", c) || starts[k][l - 1] == '>' ||
		    starts[k][l - 1] == ' ' || starts[k][1] == '!'))
			return 1;
	}
	return 0;
}

/* The markdown image at s[0] == '!' ("![alt](url)"): its length, the
 * alt text and the url's name= value, or 0 when it is not one. */
static size_t
md_image(const char *s, size_t n, const char **alt, size_t *alt_n,
    const char **name, size_t *name_n)
{
	size_t i = 2, a, u;
	const char *q;

	if (n < 5 || s[1] != '[')
		return 0;
	while (i < n && i < 256 && s[i] != ']' && s[i] != '\n')
		i++;
	if (i + 1 >= n || s[i] != ']' || s[i + 1] != '(')
		return 0;
	a = i;
	/* no brackets in the url: a scan never passes another image */
	for (u = i + 2; u < n && u < a + 4096 && !strchr(")[]", s[u]) &&
	    !is_ws((unsigned char)s[u]); u++)
		;
	if (u >= n || s[u] != ')' || u == a + 2)
		return 0;
	*alt = s + 2;
	*alt_n = a - 2;
	*name = NULL;
	*name_n = 0;
	for (q = s + a + 2; q + 5 < s + u; q++)
		if (strncmp(q, "name=", 5) == 0 && (q[-1] == '?' ||
		    q[-1] == '&')) {
			*name = q + 5;
			*name_n = strcspn(*name, "&)");
			break;
		}
	return u + 1;
}

int
text_md_images(struct buf *out, const char *s, size_t n)
{
	const char *p = s, *end = s + n, *bang;
	int found = 0;

	while ((bang = memchr(p, '!', (size_t)(end - p))) != NULL) {
		const char *alt, *name;
		size_t an, nn, k = md_image(bang, (size_t)(end - bang), &alt,
		    &an, &name, &nn);
		if (k == 0) {
			buf_add(out, p, (size_t)(bang - p) + 1);
			p = bang + 1;
			continue;
		}
		buf_add(out, p, (size_t)(bang - p));
		buf_adds(out, "[image");
		if (an || nn) {
			buf_adds(out, ": ");
			buf_add(out, an ? alt : name, an ? an : nn);
		}
		buf_addc(out, ']');
		p = bang + k;
		found = 1;
	}
	buf_add(out, p, (size_t)(end - p));
	buf_addc(out, '\0');
	out->len--;
	return found;
}
