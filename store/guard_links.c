/* SPDX-License-Identifier: MIT */
/*
 * Links in a reply: with a scheme or bare, their hosts checked against
 * the official domains (look-alike spelling, punycode and homoglyphs,
 * mixed scripts, userinfo tricks, shorteners) and hidden characters
 * inside them.
 */
#include "store/guard.h"
#include "store/ascii.h"
#include "store/guard_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const shorteners[] = {
	"bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd", "ow.ly",
	"cutt.ly", "rebrand.ly", "t.ly", "s.id", "rb.gy", "tiny.cc",
	"shorturl.at", "buff.ly", "dwz.cn", "url.cn", "t.cn", "v.gd",
	"shorte.st", "bl.ink", "lnkd.in", "qr.net", "tiny.one", "surl.li",
	"u.to", "clck.ru", "reurl.cc", "suo.im", "985.so", "kurl.ru",
};
/* the last label of a host name written without a scheme */
static const char *const tlds[] = {
	"com", "net", "org", "io", "co", "app", "xyz", "top", "info", "help",
	"support", "site", "online", "live", "me", "cc", "ly", "gl", "gd",
	"us", "uk", "cn", "hk", "sg", "link", "club", "vip", "pro",
	"biz", "finance", "exchange", "wallet", "example", "tk", "ml", "ga",
	"cf", "gq", "ru", "de", "jp", "kr", "ai", "dev", "page", "one",
	"world", "cloud", "tech", "shop", "store", "services", "network",
	"digital", "money", "cash", "bank", "gg", "fm", "tv", "ws", "be",
	"am", "ch", "fr", "nl", "eu", "ca", "au", "tw",
	"su", "website", "space", "fun", "icu", "buzz",
	"services", "security", "center", "today", "net", "global", "codes",
	"ltd", "inc", "llc", "group", "team", "chat", "news", "blog", "web",
	"mobi", "asia", "ph", "vn", "th", "ae", "tr", "br",
	"mx", "ar", "es", "pl", "se", "fi", "dk", "cz", "ua",
	"test", "zone", "claims", "claim", "airdrop", "markets",
	"trade", "ventures", "capital", "fund", "credit", "loans", "nft",
};

/* --- links -------------------------------------------------------------- */

int
guard_hidden_cp(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A &&
	    cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x00AD ||
	    cp == 0x061C || cp == 0x180E || (cp >= 0xE0000 && cp <= 0xE007F);
}

int
guard_bidi_cp(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 &&
	    cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* A character that may be part of a host name as written (letters of
 * any script: look-alikes are Cyrillic or Greek; hidden characters too,
 * so that they are caught inside the link). */
static size_t
host_char_wide(const char *s, size_t len, size_t i)
{
	uint32_t cp;
	size_t n;

	n = u8_decode(s + i, len - i, &cp);
	if (cp == 0xFFFD || u8_is_cjk(cp) || (cp >= 0x2000 && cp <= 0x206F &&
	    !guard_hidden_cp(cp)) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF65) || cp == 0x00A0)
		return 0;
	return n;
}

static inline size_t
host_char(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c < 0x80)
		return (a_alnum(c) || c == '-' || c == '.' || c == '_') ? 1 : 0;
	/* U+5000..U+9FFF, all Han: never in a host name */
	if (c >= 0xE5 && c <= 0xE9 && i + 2 < len &&
	    ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
	    ((unsigned char)s[i + 2] & 0xC0) == 0x80)
		return 0;
	return host_char_wide(s, len, i);
}

/* Latin look-alikes of Cyrillic and Greek letters, full-width forms and
 * the digits/letters people swap; an ASCII "skeleton" of a label. */
char
guard_skeleton_cp(uint32_t cp)
{
	static const struct { uint32_t cp; char c; } map[] = {
		{ 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043E, 'o' },
		{ 0x0440, 'p' }, { 0x0441, 'c' }, { 0x0443, 'y' },
		{ 0x0445, 'x' }, { 0x0456, 'i' }, { 0x0458, 'j' },
		{ 0x04BB, 'h' }, { 0x0455, 's' }, { 0x051B, 'q' },
		{ 0x051D, 'w' }, { 0x0501, 'd' }, { 0x043A, 'k' },
		{ 0x0442, 't' }, { 0x043D, 'h' }, { 0x0432, 'b' },
		{ 0x043C, 'm' }, { 0x0433, 'r' },
		{ 0x03B1, 'a' }, { 0x03BF, 'o' }, { 0x03C1, 'p' },
		{ 0x03BD, 'v' }, { 0x03B9, 'i' }, { 0x03BA, 'k' },
		{ 0x03C4, 't' }, { 0x03B5, 'e' }, { 0x03C5, 'u' },
		{ 0x0261, 'g' }, { 0x0251, 'a' }, { 0x026A, 'i' },
		{ 0x1E37, 'l' }, { 0x0131, 'i' }, { 0x0142, 'l' },
	};
	if (cp >= 0xFF21 && cp <= 0xFF3A)
		return (char)('a' + (cp - 0xFF21));
	if (cp >= 0xFF41 && cp <= 0xFF5A)
		return (char)('a' + (cp - 0xFF41));
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return (char)('0' + (cp - 0xFF10));
	if (cp >= 0xE0 && cp <= 0xE5)
		return 'a';
	if (cp >= 0xE8 && cp <= 0xEB)
		return 'e';
	if (cp >= 0xEC && cp <= 0xEF)
		return 'i';
	if ((cp >= 0xF2 && cp <= 0xF6) || cp == 0xF8)
		return 'o';
	if (cp >= 0xF9 && cp <= 0xFC)
		return 'u';
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (map[i].cp == cp)
			return map[i].c;
	return 0;
}

/* ASCII skeleton of host: look-alike letters folded, digits and '-'
 * that imitate letters folded ("0"->o, "1"->l, "rn"->m, "vv"->w). */
static void
skeleton(struct buf *out, const char *h, size_t len, int *non_ascii,
    int *mixed, int *hidden)
{
	int latin = 0, other = 0;

	buf_reset(out);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)h[i];
		if (c == '.') {
			if (latin && other)
				*mixed = 1;
			latin = other = 0;
			buf_addc(out, '.');
			i++;
			continue;
		}
		if (c < 0x80) {
			char l = (char)a_lower(c);
			if (l >= 'a' && l <= 'z')
				latin = 1;
			if (l == '0')
				l = 'o';
			else if (l == '1')
				l = 'l';
			else if (l == '3')
				l = 'e';
			else if (l == '5')
				l = 's';
			else if (l == '-' || l == '_')
				l = 0;
			if (l)
				buf_addc(out, l);
			i++;
			continue;
		}
		uint32_t cp;
		i += u8_decode(h + i, len - i, &cp);
		*non_ascii = 1;
		if (guard_hidden_cp(cp)) {
			*hidden = 1;
			continue;
		}
		char k = guard_skeleton_cp(cp);
		other = 1;
		if (k)
			buf_addc(out, k);
		else
			buf_addc(out, '?');
	}
	if (latin && other)
		*mixed = 1;
	/* rn -> m, vv -> w, l and i alike */
	size_t w = 0;
	for (size_t r = 0; r < out->len; r++) {
		char c = out->data[r];
		if (c == 'r' && r + 1 < out->len && out->data[r + 1] == 'n') {
			c = 'm';
			r++;
		} else if (c == 'v' && r + 1 < out->len &&
		    out->data[r + 1] == 'v') {
			c = 'w';
			r++;
		} else if (c == 'i') {
			c = 'l';
		}
		out->data[w++] = c;
	}
	out->len = w;
	if (out->data)
		out->data[w] = '\0';
}

static int
host_under(const char *host, size_t hl, const char *dom)
{
	size_t dl = strlen(dom);

	if (hl == dl)
		return strncasecmp(host, dom, dl) == 0;
	return hl > dl && host[hl - dl - 1] == '.' &&
	    strncasecmp(host + hl - dl, dom, dl) == 0;
}

static int
in_list(const char *host, size_t hl, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (host_under(host, hl, v[i]))
			return 1;
	return 0;
}

/* Whether the skeleton of a host imitates an official domain: holds its
 * brand, or a label a typo or two away from the brand. */
static int
imitates(const struct guard_config *c, const struct buf *sk)
{
	if (sk->len == 0)
		return 0;
	for (size_t i = 0; i < c->official.n; i++) {
		struct buf b = BUF_INIT;
		int dummy = 0, dummy2 = 0, dummy3 = 0, hit = 0;
		const char *dom = c->official.v[i];
		const char *dot = strchr(dom, '.');
		skeleton(&b, dom, dot ? (size_t)(dot - dom) : strlen(dom),
		    &dummy, &dummy2, &dummy3);
		if (b.len >= 4 && strstr(sk->data, b.data))
			hit = 1;
		for (size_t p = 0; !hit && p < sk->len;) {
			size_t q = p;
			while (q < sk->len && sk->data[q] != '.')
				q++;
			int lim = b.len >= 6 ? 2 : 1;
			if (b.len >= 4 && q - p >= 3 && edit_distance(sk->data
			    + p, q - p, b.data, b.len) <= lim)
				hit = 1;
			p = q + 1;
		}
		buf_free(&b);
		if (hit)
			return 1;
	}
	return 0;
}

static int
is_tld(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(tlds); i++)
		if (strlen(tlds[i]) == n && strncasecmp(s, tlds[i], n) == 0)
			return 1;
	return n > 4 && strncasecmp(s, "xn--", 4) == 0;
}

static void
check_host(const struct guard_config *c, const char *s, size_t hs,
    size_t he, size_t ls, size_t le, int userinfo, struct guard_result *r)
{
	/* userinfo: 1 for user@host in a link, 2 for an e-mail address */
	struct buf sk = BUF_INIT;
	int non_ascii = 0, mixed = 0, hidden = 0;
	const char *h = s + hs;
	size_t hl = he - hs;

	while (hl && h[hl - 1] == '.')
		hl--;
	if (userinfo == 1) {
		guard_add(r, GUARD_BLOCK, "link-userinfo", ls, le);
		return;
	}
	skeleton(&sk, h, hl, &non_ascii, &mixed, &hidden);
	if (hidden) {
		guard_add(r, GUARD_BLOCK, "link-hidden-char", ls, le);
		goto out;
	}
	if (!non_ascii && in_list(h, hl, (const char *const *)c->official.v,
	    c->official.n))
		goto out;
	if (!non_ascii && in_list(h, hl, (const char *const *)c->allow.v,
	    c->allow.n)) {
		if (userinfo != 2)
			guard_add(r, GUARD_WARN, "link-unofficial", ls, le);
		goto out;
	}
	if (!non_ascii && in_list(h, hl, shorteners, ARRAY_LEN(shorteners))) {
		guard_add(r, GUARD_BLOCK, "link-shortener", ls, le);
		goto out;
	}
	if (bspan(h, hl, "0123456789.") == hl) {
		guard_add(r, GUARD_BLOCK, "link-ip", ls, le);
		goto out;
	}
	for (size_t i = 0; i + 4 <= hl; i++)
		if (!strncasecmp(h + i, "xn--", 4) && (i == 0 ||
		    h[i - 1] == '.')) {
			guard_add(r, GUARD_BLOCK, "link-punycode", ls, le);
			goto out;
		}
	if (mixed) {
		guard_add(r, GUARD_BLOCK, "link-mixed-script", ls, le);
		goto out;
	}
	if (imitates(c, &sk)) {
		guard_add(r, GUARD_BLOCK, non_ascii ? "link-homoglyph" :
		    "link-lookalike", ls, le);
		goto out;
	}
	if (userinfo != 2)
		guard_add(r, GUARD_WARN, "link-unofficial", ls, le);
out:
	buf_free(&sk);
}

/* A link with a scheme (http, https, hxxp ...) at i: checked, and where
 * it ends returned; 0 when there is none at i. */
static size_t
link_scheme(const struct guard_config *c, struct scan *sc, size_t i,
    struct guard_result *r)
{
	const char *s = sc->s;
	size_t len = sc->len, p = i;

	while (p < len && p - i < 10 && a_alpha((unsigned char)s[p]))
		p++;
	if (p + 3 > len || memcmp(s + p, "://", 3) != 0 ||
	    (strncasecmp(s + i, "http", 4) && strncasecmp(s + i, "hxxp", 4)))
		return 0;
	size_t a = p + 3, e = a, hs, he;
	int at = 0;
	/* the authority: up to / ? # or a blank */
	while (e < len) {
		size_t n = host_char(s, len, e);
		if (n == 0 && (s[e] == '@' || s[e] == ':' || s[e] == '%'))
			n = 1;
		if (n == 0)
			break;
		e += n;
	}
	hs = a;
	for (size_t q = a; q < e; q++)
		if (s[q] == '@') {
			at = 1;
			hs = q + 1;
		}
	he = hs;
	while (he < e && s[he] != ':')
		he++;
	size_t le = e;
	while (le < len && !a_space((unsigned char)s[le]) &&
	    (unsigned char)s[le] >= 0x21)
		le++;
	sc->sent_link[guard_sent_of(sc, i)] = 1;
	/* a hidden character anywhere in the link */
	for (size_t q = a; q < le;) {
		uint32_t cp;
		size_t n = u8_decode(s + q, le - q, &cp);
		if (guard_hidden_cp(cp)) {
			guard_add(r, GUARD_BLOCK, "link-hidden-char", i, le);
			break;
		}
		q += n;
	}
	check_host(c, s, hs, he, i, le, at, r);
	return le;
}

/* A bare host at i: label(.label)+ ending in a known TLD, maybe with a
 * path, or user@host. Checked; returns where the scan goes on. */
static size_t
link_bare(const struct guard_config *c, struct scan *sc, size_t i,
    struct guard_result *r)
{
	const char *s = sc->s;
	size_t len = sc->len, e = i, last = i, n;
	int dots = 0;

	while (e < len && (n = host_char(s, len, e)) != 0) {
		if (s[e] == '.') {
			dots++;
			last = e + 1;
		}
		e += n;
	}
	size_t he = e;
	while (he > i && (s[he - 1] == '.' || s[he - 1] == '-'))
		he--;
	if (last > he)
		last = he;
	if (!dots || last >= he || last <= i || !is_tld(s + last, he - last))
		return e;
	size_t ls = i, le = he;
	int at = 0;
	/* user@host: the part before @ is the user; "official.com@evil"
	 * style tricks */
	if (he < len && s[he] == '@') {
		size_t hs2 = he + 1, he2 = hs2;
		while (he2 < len && host_char(s, len, he2))
			he2 += host_char(s, len, he2);
		while (he2 > hs2 && s[he2 - 1] == '.')
			he2--;
		if (he2 > hs2 && memchr(s + hs2, '.', he2 - hs2)) {
			at = 1;
			le = he2;
		}
	}
	/* the rest of a path */
	while (le < len && (s[le] == '/' || s[le] == '?' || s[le] == '#')) {
		while (le < len && !a_space((unsigned char)s[le]) &&
		    (unsigned char)s[le] >= 0x21)
			le++;
	}
	sc->sent_link[guard_sent_of(sc, i)] = 1;
	if (at && in_list(s + i, he - i, (const char *const *)c->official.v,
	    c->official.n))
		guard_add(r, GUARD_BLOCK, "link-userinfo", ls, le);
	else if (i > 0 && s[i - 1] == '@')
		/* an e-mail address: only imitations count */
		check_host(c, s, i, he, ls, le, 2, r);
	else
		check_host(c, s, i, he, ls, le, 0, r);
	return le > e ? le : e;
}

/* Find links: scheme://..., www...., user@host, bare host.tld. */
void
guard_scan_links(const struct guard_config *c, struct scan *sc,
    struct guard_result *r)
{
	const char *s = sc->s;
	const struct text_runs *tr = sc->runs;
	size_t len = sc->len, i = 0, k = 0;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];
		size_t n, to;
		/* a word not followed by what continues a host or a scheme
		 * ('.', '-', '_', '@', ':' or a letter of another script):
		 * no link starts in it */
		while (k < tr->n && tr->r[k].start < i)
			k++;
		if (k < tr->n && tr->r[k].start == i) {
			size_t e = tr->r[k].end;
			unsigned char nx = e < len ? (unsigned char)s[e] : ' ';
			if (nx < 0x80 && nx != '.' && nx != '-' && nx != '_' &&
			    nx != '@' && nx != ':') {
				i = e;
				continue;
			}
		}
		if ((ch == 'h' || ch == 'H') && i + 7 < len &&
		    (i == 0 || !a_alnum((unsigned char)s[i - 1])) &&
		    (to = link_scheme(c, sc, i, r)) != 0) {
			i = to;
			continue;
		}
		n = host_char(s, len, i);
		if (n && (ch != '.' && ch != '-' && ch != '_') &&
		    (i == 0 || !host_char(s, len, i - 1) ||
		    (unsigned char)s[i - 1] >= 0x80)) {
			i = link_bare(c, sc, i, r);
			continue;
		}
		if (n == 0)	/* skip a character by its lead byte */
			n = ch < 0xC0 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
		i += n < len - i ? n : len - i;
	}
}
