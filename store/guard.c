/* SPDX-License-Identifier: MIT */
/*
 * The reply guard. One pass finds the words that matter (a lexicon of
 * secrets, requests, negations, warnings, tools, messengers, ...) with
 * their sentence, clause and token position; rules then look at each
 * sentence: a request for a secret is blocked, the same words inside a
 * warning ("never share your seed phrase with anyone, including us") are
 * not. Links, phone numbers, wallet addresses, placeholders and hidden
 * characters are found by small scanners of their own.
 */
#include "store/guard.h"
#include "store/text.h"
#include "store/ascii.h"
#include "store/guard_int.h"
#include "store/redact.h"
#include "store/redact_int.h"
#include "store/store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --- configuration --------------------------------------------------------- */

static const char *const lang_names[N_LANGS] = { "en", "zh" };

static const char *const default_official[] = {
	"kestrel.example", "kestrel-exchange.example",
};
static const char *const default_allow[] = {
	"zendesk.com", "etherscan.io", "blockchair.com", "mempool.space",
	"tronscan.org", "bscscan.com", "wikipedia.org", "github.com",
};

static void
strlist_set(struct strlist *l, const char *const *v, size_t n)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = xcalloc(n ? n : 1, sizeof(*l->v));
	for (size_t i = 0; i < n; i++)
		l->v[i] = xstrdup(v[i]);
	l->n = n;
}

static void
strlist_free(struct strlist *l)
{
	strlist_set(l, NULL, 0);
	free(l->v);
	l->v = NULL;
}

struct guard_config *
guard_config_new(void)
{
	struct guard_config *c = xcalloc(1, sizeof(*c));

	strlist_set(&c->official, default_official, ARRAY_LEN(default_official));
	strlist_set(&c->allow, default_allow, ARRAY_LEN(default_allow));
	for (int i = 0; i < N_LANGS; i++) {
		strlist_set(&c->block[i], NULL, 0);
		strlist_set(&c->warn[i], NULL, 0);
	}
	return c;
}

void
guard_config_free(struct guard_config *c)
{
	if (c == NULL)
		return;
	strlist_free(&c->official);
	strlist_free(&c->allow);
	for (int i = 0; i < N_LANGS; i++) {
		strlist_free(&c->block[i]);
		strlist_free(&c->warn[i]);
	}
	free(c);
}

static void
lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)a_lower((unsigned char)*s);
}

/* A YAML list of scalars into l; hosts are checked for shape. */
static int
load_list(struct strlist *l, const struct ynode *n, int hosts,
    struct tdesk_err *err)
{
	if (n->kind != YNODE_SEQ)
		return ynode_err(n, err, "expected a list");
	strlist_free(l);
	l->v = xcalloc(n->n ? n->n : 1, sizeof(*l->v));
	for (size_t i = 0; i < n->n; i++) {
		const char *s;
		if (ynode_str(n->items[i], &s, err) < 0)
			return -1;
		if (*s == '\0' || strlen(s) > 200)
			return ynode_err(n->items[i], err, "an empty or overlong "
			    "entry");
		if (!utf8_valid(s, strlen(s)))
			return ynode_err(n->items[i], err, "not UTF-8");
		if (hosts && (strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(s) ||
		    !strchr(s, '.') || s[0] == '.' || s[0] == '-'))
			return ynode_err(n->items[i], err, "'%s' is not a host "
			    "name (ASCII letters, digits, '-' and '.'; IDN as "
			    "xn--)", s);
		l->v[l->n] = xstrdup(s);
		lower_ascii(l->v[l->n++]);
	}
	return 0;
}

int
guard_config_load(struct guard_config *c, const struct ynode *n,
    struct tdesk_err *err)
{
	static const char *const keys[] = { "official_domains", "allow_hosts",
	    "phrases", NULL };
	static const char *const lkeys[] = { "en", "zh", NULL };
	static const char *const pkeys[] = { "block", "warn", NULL };

	if (n == NULL)
		return 0;
	if (ynode_check_keys(n, keys, "guard", err) < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value;
		const struct ynode *v = n->items[i];
		if (!strcmp(k, "official_domains")) {
			if (load_list(&c->official, v, 1, err) < 0)
				return -1;
		} else if (!strcmp(k, "allow_hosts")) {
			if (load_list(&c->allow, v, 1, err) < 0)
				return -1;
		} else {
			if (ynode_check_keys(v, lkeys, "guard phrases", err) < 0)
				return -1;
			for (size_t j = 0; j < v->n; j++) {
				int l = strcmp(v->keys[j]->value, "zh") == 0;
				const struct ynode *p = v->items[j];
				if (ynode_check_keys(p, pkeys, "guard phrases",
				    err) < 0)
					return -1;
				for (size_t q = 0; q < p->n; q++) {
					int blk = !strcmp(p->keys[q]->value,
					    "block");
					if (load_list(blk ? &c->block[l] :
					    &c->warn[l], p->items[q], 0,
					    err) < 0)
						return -1;
				}
			}
		}
	}
	return 0;
}

/* --- the result -------------------------------------------------------- */

void
guard_add(struct guard_result *r, enum guard_verdict level,
    const char *rule, size_t start, size_t end)
{
	/* one reason per rule and span */
	for (size_t i = 0; i < r->n; i++)
		if (r->r[i].rule == rule && r->r[i].start == start)
			return;
	if (r->n >= 64)		/* enough to explain any verdict */
		goto verdict;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->r = xrealloc(r->r, r->cap * sizeof(*r->r));
	}
	r->r[r->n++] = (struct guard_reason){ level, rule, start, end };
verdict:
	if (level > r->verdict)
		r->verdict = level;
}

void
guard_result_free(struct guard_result *r)
{
	free(r->r);
	memset(r, 0, sizeof(*r));
}

const char *
guard_verdict_name(enum guard_verdict v)
{
	return v == GUARD_BLOCK ? "block" : v == GUARD_WARN ? "warn" : "ok";
}

/* --- phones, addresses, placeholders, hidden characters ------------------- */

/* The character at i, if invisible or bidi control, as a reason; its
 * length. Notes where the text may first hide a word (guard_norm.c). */
static size_t
scan_hidden(struct scan *sc, size_t i, struct guard_result *r)
{
	const char *s = sc->s;
	size_t len = sc->len, n;
	uint32_t cp;

	if ((unsigned char)s[i] < 0x80)
		return 1;
	/* U+3000..U+CFFF (Chinese): no hidden character there */
	if ((unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xEC &&
	    i + 2 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
	    ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
		if (i + 3 < len && s[i + 3] == ' ' && sc->n_norm <= NORM_NOTES &&
		    guard_norm_cjk(s, len, i))
			guard_norm_note(sc, i);
		return 3;
	}
	n = u8_decode(s + i, len - i, &cp);
	if (guard_bidi_cp(cp))
		guard_add(r, GUARD_BLOCK, "hidden-bidi", i, i + n);
	else if (guard_hidden_cp(cp) && cp != 0x200D)
		guard_add(r, GUARD_WARN, "hidden-char", i, i + n);
	if (sc->n_norm <= NORM_NOTES && guard_norm_char_fast(cp))
		guard_norm_note(sc, i);
	return n;
}

static int
is_b58(unsigned char c)
{
	return a_alnum(c) && c != '0' && c != 'O' && c != 'I' && c != 'l';
}

static void
mark_address(struct scan *sc, size_t i, size_t e, struct guard_result *r)
{
	int sent = guard_sent_of(sc, i);

	guard_add(r, GUARD_WARN, "wallet-address", i, e);
	if (sent < sc->n_sent)
		sc->sent_addr[sent] = 1;
}

/* One word (a run of letters and digits) from i to e: a wallet address,
 * XXX as a placeholder. */
static void
scan_token(struct scan *sc, size_t i, size_t e, struct guard_result *r)
{
	const char *s = sc->s;
	size_t tl = e - i;

	if (tl == 42 && s[i] == '0' && (s[i + 1] == 'x' ||
	    s[i + 1] == 'X') && bspan(s + i + 2, 40,
	    "0123456789abcdefABCDEF") >= 40) {
		mark_address(sc, i, e, r);
	} else if (tl >= 14 && tl <= 90 && strchr("bBtTlL", s[i]) &&
	    (!strncasecmp(s + i, "bc1", 3) || !strncasecmp(s + i, "tb1", 3) ||
	    !strncasecmp(s + i, "ltc1", 4))) {
		mark_address(sc, i, e, r);
	} else if (tl >= 26 && tl <= 35 && (s[i] == '1' || s[i] == '3' ||
	    s[i] == 'T' || s[i] == 'L' || s[i] == 'M' || s[i] == 'D')) {
		int ok = 1, up = 0, lo = 0, dig = 0;
		for (size_t q = i; q < e; q++) {
			unsigned char d = (unsigned char)s[q];
			ok &= is_b58(d);
			up |= d >= 'A' && d <= 'Z';
			lo |= d >= 'a' && d <= 'z';
			dig |= d >= '0' && d <= '9';
		}
		if (ok && up && lo && dig && (s[i] != 'T' || tl == 34))
			mark_address(sc, i, e, r);
	}
	if (tl >= 3 && s[i] == 'X' && bspan(s + i, tl, "X") == tl)
		guard_add(r, GUARD_BLOCK, "placeholder", i, e);
}

/* The words, and the hidden characters between them, in text order;
 * where the text may first hide a word. */
static void
scan_tokens(struct scan *sc, struct guard_result *r)
{
	const struct text_runs *tr = sc->runs;
	const char *s = sc->s;
	size_t len = sc->len, i = 0;
	int single = 0;

	for (size_t k = 0; k < tr->n; k++) {
		const struct text_run *w = &tr->r[k];
		/* between words: only a byte from 0x80 can be hidden */
		while (tr->any_wide && i < w->start) {
			i += scan_hidden(sc, i, r);
		}
		scan_token(sc, w->start, w->end, r);
		if (sc->n_norm > NORM_NOTES) {
			/* enough found: check_again finds the rest */
		} else if (w->end - w->start == 1 || w->digits || (w->end <
		    len && (s[w->end] == '@' || s[w->end] == '$'))) {
			if (guard_norm_run(s, len, tr, k, &single))
				guard_norm_note(sc, w->start);
		} else {
			single = 0;
		}
		i = w->end;
	}
	while (tr->any_wide && i < len)
		i += scan_hidden(sc, i, r);
}

/* Where a phone number may start from i on: a word that starts with a
 * digit, a '+' or a '(' (the other bytes are passed over whole). */
struct phone_at {
	size_t k;		/* the next word */
	const char *plus, *paren;	/* the next '+', '(' or NULL */
};

static size_t
phone_next(const struct scan *sc, size_t i, struct phone_at *at)
{
	const struct text_runs *tr = sc->runs;
	const char *s = sc->s;
	size_t len = sc->len, best = len;

	while (at->k < tr->n && (tr->r[at->k].start < i ||
	    !tr->r[at->k].digits || !a_digit((unsigned char)
	    s[tr->r[at->k].start])))
		at->k++;
	if (at->k < tr->n)
		best = tr->r[at->k].start;
	if (at->plus && at->plus < s + i)
		at->plus = i < len ? memchr(s + i, '+', len - i) : NULL;
	if (at->paren && at->paren < s + i)
		at->paren = i < len ? memchr(s + i, '(', len - i) : NULL;
	if (at->plus && (size_t)(at->plus - s) < best)
		best = (size_t)(at->plus - s);
	if (at->paren && (size_t)(at->paren - s) < best)
		best = (size_t)(at->paren - s);
	return best;
}

/* A phone number: "+" and 8-15 digits, or 7-15 digits in groups with a
 * phone word nearby, or a Chinese mobile number written in groups. Not
 * order numbers, ids, amounts or dates (no "+", no groups). */
static void
scan_phones(struct scan *sc, struct guard_result *r)
{
	const char *s = sc->s;
	size_t len = sc->len;
	unsigned char ctx_in[256];
	unsigned char *ctx = (size_t)sc->n_sent + 1 <= sizeof(ctx_in) ?
	    memset(ctx_in, 0, (size_t)sc->n_sent + 1) :
	    xcalloc((size_t)sc->n_sent + 1, 1);

	/* sentences with a phone word (call, 电话) or a messenger */
	for (size_t k = 0; k < sc->n; k++)
		if (sc->h[k].mask & (L_PHONE | L_MSG))
			ctx[sc->h[k].sent] = 1;
	struct phone_at at = { 0, memchr(s, '+', len), memchr(s, '(', len) };
	for (size_t i = phone_next(sc, 0, &at); i < len;
	    i = phone_next(sc, i + 1, &at)) {
		unsigned char ch = (unsigned char)s[i];
		int plus = 0;
		int here = -1;	/* a phone word in the sentence: asked late */
		if (ch == '+' && i + 1 < len && (a_digit((unsigned char)
		    s[i + 1]) || s[i + 1] == '(' || s[i + 1] == ' '))
			plus = 1;
		else if (!a_digit(ch) && ch != '(')
			continue;
		if (i > 0 && (a_alnum((unsigned char)s[i - 1]) ||
		    s[i - 1] == '.' || s[i - 1] == ',' || s[i - 1] == '/' ||
		    s[i - 1] == '#' || s[i - 1] == '-' || s[i - 1] == '$' ||
		    s[i - 1] == ':'))
			continue;
		size_t e = i + plus, lastd = e;
		int digits = 0, groups = 1, seps = 0, paren = 0;
		while (e < len) {
			unsigned char d = (unsigned char)s[e];
			if (a_digit(d)) {
				digits++;
				lastd = e + 1;
				e++;
			} else if ((d == ' ' || d == '-' || d == '.' ||
			    d == '(' || d == ')') && e + 1 < len &&
			    (a_digit((unsigned char)s[e + 1]) ||
			    s[e + 1] == '(' || (d == ')' && s[e + 1] == ' '))
			    && digits < 16) {
				if (d == '(' || d == ')')
					paren = 1;
				if (d == '.' && !seps)
					break;	/* an amount: 1234.56 */
				groups++;
				seps++;
				e++;
			} else {
				break;
			}
		}
		if (lastd < len && a_alnum((unsigned char)s[lastd]))
			goto next;
		int phone = 0;
		if (plus && digits >= 8 && digits <= 15)
			phone = 1;
		else if (digits >= 7 && digits <= 15 && (groups >= 2 ||
		    paren) && (here = ctx[guard_sent_of(sc, i)]))
			phone = 1;
		else if (digits == 11 && s[i] == '1' && groups >= 2 &&
		    groups <= 4 && strchr("3456789", s[i + 1]))
			phone = 1;	/* 138 0013 8000 */
		else if (digits >= 7 && digits <= 15 && groups == 1 &&
		    (here < 0 ? ctx[guard_sent_of(sc, i)] : here) && !(digits == 8 &&
		    (s[i] == '1' || s[i] == '2')))
			phone = 1;
		if (phone)
			guard_add(r, GUARD_BLOCK, "phone-number", i, lastd);
next:
		i = lastd > i ? lastd - 1 : i;
	}
	stack_free(ctx, ctx_in);
}

static void
scan_placeholders(struct scan *sc, struct guard_result *r)
{
	static const char *const open[] = { "{{", "{%", "[[", "<<", "${",
	    "%s", "%d" };
	static const char *const close[] = { "}}", "%}", "]]", ">>", "}", "",
	    "" };
	const char *s = sc->s;
	size_t len = sc->len;

	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '{' && c != '[' && c != '<' && c != '$' && c != '%' &&
		    c != 0xE3)
			continue;
		for (size_t k = 0; k < ARRAY_LEN(open); k++) {
			if (s[i] != open[k][0] || s[i + 1] != open[k][1])
				continue;
			if (!*close[k]) {
				if (i + 2 < len && a_alnum((unsigned char)
				    s[i + 2]))
					continue;
				guard_add(r, GUARD_BLOCK, "placeholder", i,
				    i + 2);
				continue;
			}
			const char *e = NULL;
			size_t lim = len - i > 80 ? 80 : len - i;
			for (size_t q = i + 2; q + strlen(close[k]) <= i + lim;
			    q++)
				if (!memcmp(s + q, close[k], strlen(close[k]))) {
					e = s + q + strlen(close[k]);
					break;
				}
			if (e)
				guard_add(r, GUARD_BLOCK, "placeholder", i,
				    (size_t)(e - s));
		}
		/* [NAME], [CUSTOMER_NAME], 【姓名】 */
		if (s[i] == '[') {
			size_t q = i + 1;
			while (q < len && q - i < 40 && ((s[q] >= 'A' &&
			    s[q] <= 'Z') || s[q] == '_' || s[q] == ' '))
				q++;
			if (q < len && s[q] == ']' && q - i >= 4)
				guard_add(r, GUARD_BLOCK, "placeholder", i,
				    q + 1);
		}
		if ((unsigned char)s[i] == 0xE3 && i + 2 < len &&
		    ((unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2]
		    == 0x90)) {
			static const char *const what[] = { "姓名", "名字",
			    "金额", "日期", "时间", "编号", "单号", "客户",
			    "用户名", "填写", "xx", "XX" };
			const char *e = NULL;
			for (size_t q = i + 3; q + 3 <= len && q < i + 40; q++)
				if (!memcmp(s + q, "\xE3\x80\x91", 3)) {
					e = s + q;
					break;
				}
			if (e == NULL)
				continue;
			for (size_t k = 0; k < ARRAY_LEN(what); k++)
				if (memmem(s + i, (size_t)(e - s) - i, what[k],
				    strlen(what[k]))) {
					guard_add(r, GUARD_BLOCK,
					    "placeholder", i, (size_t)(e - s)
					    + 3);
					break;
				}
		}
	}
}

static void
scan_phrases(const struct guard_config *c, struct scan *sc, const char *lang,
    struct guard_result *r)
{
	for (int l = 0; l < N_LANGS; l++) {
		if (lang && *lang && strncmp(lang, lang_names[l], 2) != 0)
			continue;
		for (int blk = 0; blk < 2; blk++) {
			const struct strlist *p = blk ? &c->block[l] :
			    &c->warn[l];
			for (size_t i = 0; i < p->n; i++) {
				size_t pl = strlen(p->v[i]);
				const char *h = sc->low;
				size_t left = sc->len;
				const char *m;
				while ((m = memmem(h, left, p->v[i], pl))) {
					size_t at = (size_t)(m - sc->low);
					guard_add(r, blk ? GUARD_BLOCK :
					    GUARD_WARN, blk ? "phrase-block" :
					    "phrase-warn", at, at + pl);
					left = sc->len - at - pl;
					h = m + pl;
				}
			}
		}
	}
}

/* dst = src with ASCII upper case lowered, eight bytes at a time */
static void
lower_copy(char *dst, const char *src, size_t len)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x80 * ones;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, low7, ge_a, gt_z;
		memcpy(&x, src + i, 8);
		low7 = x & ~high;
		/* per byte, the high bit says: >= 'A', > 'Z' (of its low
		 * seven bits; bytes with the high bit set are left alone) */
		ge_a = low7 + (0x80 - 'A') * ones;
		gt_z = low7 + (0x7F - 'Z') * ones;
		x |= ((ge_a ^ gt_z) & ~x & high) >> 2;
		memcpy(dst + i, &x, 8);
	}
	for (; i < len; i++)
		dst[i] = (char)a_lower((unsigned char)src[i]);
}

static void check_text(const struct guard_config *c, const char *text,
    size_t len, const char *lang, const struct redact_hashes *secrets,
    struct guard_result *out, int again);

/* The text read again with its hiding undone (guard_norm.c): what the
 * words and numbers say there, at the places of the text they came
 * from. Links, addresses, placeholders and hidden characters were read
 * in the text as it is. */
static void
check_norm(const struct guard_config *c, const char *text, size_t len,
    size_t at, const char *lang, struct guard_result *out)
{
	struct buf norm = BUF_INIT;
	struct guard_result r = { 0 };
	size_t *map;

	guard_norm(text + at, len, &norm, &map);
	if (norm.len != len || memcmp(norm.data, text + at, len) != 0) {
		check_text(c, norm.data, norm.len, lang, NULL, &r, 1);
		for (size_t i = 0; i < r.n; i++) {
			const struct guard_reason *g = &r.r[i];
			size_t a = at + map[g->start], e = a;
			uint32_t cp;
			if (!strncmp(g->rule, "link-", 5))
				continue;
			if (g->end > g->start) {	/* past the last character */
				e = at + map[g->end - 1];
				e += u8_decode(text + e, at + len - e, &cp);
			}
			guard_add(out, g->level, g->rule, a, e);
		}
	}
	guard_result_free(&r);
	buf_free(&norm);
	free(map);
}

/* Each line that hides something (at most 1 KB of it) is read again:
 * the places the scan noted, and past them any others. */
static void
check_again(const struct guard_config *c, const char *text, size_t len,
    const struct scan *sc, const char *lang, struct guard_result *out)
{
	size_t e = 0;

	for (int k = 0; k < sc->n_norm;) {
		size_t at;
		if (k < NORM_NOTES) {
			at = sc->norm[k++];
		} else {	/* past the notes: from the last one on */
			size_t last = sc->norm[NORM_NOTES - 1];
			at = guard_norm_find(text, len, sc->runs,
			    e > last ? e : last + 1);
		}
		if (at >= len)
			break;
		if (at < e)
			continue;	/* in the line read */
		size_t a = at;
		e = at;
		while (a > 0 && at - a < 512 && text[a - 1] != '\n')
			a--;
		while (e < len && e - at < 512 && text[e] != '\n')
			e++;
		while (a > 0 && ((unsigned char)text[a] & 0xC0) == 0x80)
			a--;	/* never half a character */
		while (e < len && ((unsigned char)text[e] & 0xC0) == 0x80)
			e++;
		check_norm(c, text, e - a, a, lang, out);
	}
}

void
guard_check(const struct guard_config *c, const char *text, size_t len,
    const char *lang, const struct redact_hashes *secrets,
    struct guard_result *out)
{
	check_text(c, text, len, lang, secrets, out, 0);
}

static void
check_text(const struct guard_config *c, const char *text, size_t len,
    const char *lang, const struct redact_hashes *secrets,
    struct guard_result *out, int again)
{
	struct scan sc;
	struct text_runs runs;

	out->verdict = GUARD_OK;
	out->n = 0;
	text_runs_build(text, len, &runs);
	sc.runs = &runs;
	sc.s = text;
	sc.len = len;
	sc.n = sc.n_breaks = 0;
	sc.seen = 0;
	sc.n_norm = 0;
	sc.h = sc.h_in;
	sc.cap = ARRAY_LEN(sc.h_in);
	sc.breaks = sc.breaks_in;
	sc.cap_breaks = ARRAY_LEN(sc.breaks_in);
	sc.low = len + 8 <= sizeof(sc.low_in) ? sc.low_in : xmalloc(len + 8);
	lower_copy(sc.low, text, len);
	if (runs.any_wide)
		zh_fold_t2s(sc.low, len);	/* 請提供 is 请提供 */
	memset(sc.low + len, 0, 8);	/* for scan_terms' 8-byte compares */
	guard_scan_text(&sc);
	if ((size_t)sc.n_sent + 1 <= sizeof(sc.sent_in[0])) {
		sc.sent_link = memset(sc.sent_in[0], 0, (size_t)sc.n_sent + 1);
		sc.sent_addr = memset(sc.sent_in[1], 0, (size_t)sc.n_sent + 1);
	} else {
		sc.sent_link = xcalloc((size_t)sc.n_sent + 1, 1);
		sc.sent_addr = xcalloc((size_t)sc.n_sent + 1, 1);
	}
	if (sc.seen & SEEN_LINK)
		guard_scan_links(c, &sc, out);
	if (!again)	/* addresses and hidden characters: as written */
		scan_tokens(&sc, out);
	for (size_t lo = 0; lo < sc.n;) {
		size_t hi = lo;
		while (hi < sc.n && sc.h[hi].sent == sc.h[lo].sent)
			hi++;
		guard_rules_sentence(&sc, lo, hi, out);
		lo = hi;
	}
	if (sc.seen & SEEN_PHONE)
		scan_phones(&sc, out);
	if ((sc.seen & SEEN_PLACEHOLDER) && !again)
		scan_placeholders(&sc, out);
	scan_phrases(c, &sc, lang, out);
	if (!again)
		redact_guard_scan_runs(text, len, &runs, secrets, out);
	/* HTML: the whole text read again, its tags and entities undone */
	if (!again && len <= 65536 && (sc.seen & SEEN_HTML) &&
	    guard_norm_html(text, len) < len)
		check_norm(c, text, len, 0, lang, out);
	else if (sc.n_norm)
		check_again(c, text, len, &sc, lang, out);
	text_runs_free(&runs);
	stack_free(sc.low, sc.low_in);
	stack_free(sc.h, sc.h_in);
	stack_free(sc.sent_link, sc.sent_in[0]);
	stack_free(sc.sent_addr, sc.sent_in[1]);
	stack_free(sc.breaks, sc.breaks_in);
}

/* --- output ------------------------------------------------------------------ */

void
json_str(struct buf *out, const char *s, size_t len)
{
	buf_addc(out, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
			buf_addc(out, (char)c);
			i++;
			continue;
		}
		if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
			i++;
			continue;
		}
		if (c == '\n') {
			buf_adds(out, "\\n");
			i++;
			continue;
		}
		if (c < 0x80) {
			buf_printf(out, "\\u%04x", c);
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
		    cp == 0x2029 || guard_hidden_cp(cp))
			buf_printf(out, "\\u%04x", (unsigned)(cp & 0xFFFF));
		else if (cp > 0xFFFF && guard_hidden_cp(cp))
			buf_adds(out, "\\ufffd");
		else
			utf8_encode(out, cp);
		i += n;
	}
	buf_addc(out, '"');
}

static void
excerpt(struct buf *out, const char *text, size_t len, size_t a, size_t b)
{
	size_t n = b > a ? b - a : 0;
	if (a > len)
		a = len;
	if (n > len - a)
		n = len - a;
	if (n > 80)
		n = 80;
	/* never half a character */
	while (n > 0 && a + n < len && ((unsigned char)text[a + n] & 0xC0) ==
	    0x80)
		n--;
	text_sanitize(out, text + a, n, 0);
}

void
guard_describe(const struct guard_result *r, const char *text, size_t len,
    struct buf *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct guard_reason *g = &r->r[i];
		buf_printf(out, "  %s %s at %zu-%zu: \"",
		    guard_verdict_name(g->level), g->rule, g->start, g->end);
		excerpt(out, text, len, g->start, g->end);
		buf_adds(out, "\"\n");
	}
}

void
guard_json(const struct guard_result *r, const char *text, size_t len,
    struct buf *out)
{
	buf_printf(out, "{\"verdict\":\"%s\",\"reasons\":[",
	    guard_verdict_name(r->verdict));
	for (size_t i = 0; i < r->n; i++) {
		const struct guard_reason *g = &r->r[i];
		struct buf ex = BUF_INIT;
		excerpt(&ex, text, len, g->start, g->end);
		buf_printf(out, "%s{\"rule\":\"%s\",\"level\":\"%s\","
		    "\"start\":%zu,\"end\":%zu,\"text\":", i ? "," : "",
		    g->rule, guard_verdict_name(g->level), g->start, g->end);
		json_str(out, ex.data ? ex.data : "", ex.len);
		buf_addc(out, '}');
		buf_free(&ex);
	}
	buf_adds(out, "]}");
}

/* --- a little JSON reading, for the --jsonl scripting interfaces ---------- */

static size_t
json_skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	return i;
}

/* End of the value starting at i (strings, numbers, literals, nested
 * arrays and objects), or 0 when malformed. */
static size_t
json_value_end(const char *s, size_t len, size_t i)
{
	int depth = 0;

	if (i >= len)
		return 0;
	do {
		if (i >= len)
			return 0;
		char c = s[i];
		if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			if (i >= len)
				return 0;
			i++;
		} else if (c == '{' || c == '[') {
			if (++depth > 64)
				return 0;
			i++;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return 0;
			i++;
		} else if (depth == 0) {
			while (i < len && s[i] != ',' && s[i] != '}' &&
			    s[i] != ']' && s[i] != ' ' && s[i] != '\n')
				i++;
			return i;
		} else {
			i++;
		}
	} while (depth > 0);
	return i;
}

static int
hex4(const char *s, size_t len, size_t i, uint32_t *out)
{
	*out = 0;
	if (i + 4 > len)
		return -1;
	for (size_t k = i; k < i + 4; k++) {
		char c = s[k];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			return -1;
		*out = *out << 4 | (uint32_t)v;
	}
	return 0;
}

static void
json_unescape(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\' || i + 1 >= len) {
			buf_addc(out, s[i]);
			continue;
		}
		char c = s[++i];
		switch (c) {
		case 'n': buf_addc(out, '\n'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'u': {
			uint32_t cp, lo;
			if (hex4(s, len, i + 1, &cp) < 0)
				break;
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < len &&
			    s[i + 1] == '\\' && s[i + 2] == 'u' &&
			    hex4(s, len, i + 3, &lo) == 0 && lo >= 0xDC00 &&
			    lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				    (lo - 0xDC00);
				i += 6;
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			utf8_encode(out, cp);
			break;
		}
		default: buf_addc(out, c); break;
		}
	}
}

int
json_member(const char *s, size_t len, const char *key, struct buf *raw,
    struct buf *str)
{
	size_t i = json_skip_ws(s, len, 0), kl = strlen(key);

	if (i >= len || s[i] != '{')
		return -1;
	i = json_skip_ws(s, len, i + 1);
	while (i < len && s[i] != '}') {
		if (s[i] != '"')
			return -1;
		size_t ke = json_value_end(s, len, i);
		if (ke == 0)
			return -1;
		int match = ke - i - 2 == kl && !memcmp(s + i + 1, key, kl);
		i = json_skip_ws(s, len, ke);
		if (i >= len || s[i] != ':')
			return -1;
		i = json_skip_ws(s, len, i + 1);
		size_t ve = json_value_end(s, len, i);
		if (ve == 0)
			return -1;
		if (match) {
			if (raw)
				buf_add(raw, s + i, ve - i);
			if (str && s[i] == '"')
				json_unescape(s + i + 1, ve - i - 2, str);
			return 1;
		}
		i = json_skip_ws(s, len, ve);
		if (i < len && s[i] == ',')
			i = json_skip_ws(s, len, i + 1);
	}
	return i < len ? 0 : -1;
}
