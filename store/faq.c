/* SPDX-License-Identifier: MIT */
/*
 * Canned FAQ answers: YAML entries with a title and body per language,
 * Help Center articles pulled by sync, and a full-text index where every
 * Han character is its own token so one- and two-character Chinese
 * queries find what they should, ranked with bm25 (titles weigh most).
 */
#include "store/store_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* bm25 weights of faq_fts(title, body, keywords) */
#define FAQ_BM25 "bm25(faq_fts, 10.0, 1.0, 5.0)"

struct ftext {
	char lang[4];
	char *title;
	char *body;
};

struct fentry {
	struct store_yentry y;	/* key: the id */
	char *id;
	char *category;
	char *keywords;		/* ", " separated */
	struct ftext *t;
	size_t nt;
};

/* An article's or a macro's HTML as text: the one converter comment
 * bodies use (store/text_html.c). */
void
store_html_to_text(struct buf *out, const char *html)
{
	text_html_to_text(out, html, strlen(html));
}

/* --- loading YAML ---------------------------------------------------------- */

static void
fentry_free(void *entry)
{
	struct fentry *e = entry;

	free(e->id);
	free(e->category);
	free(e->keywords);
	for (size_t i = 0; i < e->nt; i++) {
		free(e->t[i].title);
		free(e->t[i].body);
	}
	free(e->t);
	memset(e, 0, sizeof(*e));
}

static int
valid_id(const char *s)
{
	size_t l = strlen(s);

	if (l == 0 || l > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    ((*p == '-' || *p == '_' || *p == '.') && p != s)))
			return 0;
	return 1;
}

/* A non-empty string value. */
static int
text_value(const struct ynode *n, const char *what, char **out,
    struct tdesk_err *err)
{
	const char *v;
	size_t l;

	if (ynode_str(n, &v, err) < 0)
		return -1;
	l = strlen(v);

	if (*v == '\0' || strspn(v, " \t\n") == l)
		return ynode_err(n, err, "%s is empty", what);
	/* block scalars end with a newline: not part of the answer */
	while (l > 0 && (v[l - 1] == '\n' || v[l - 1] == ' '))
		l--;
	*out = xstrndup(v, l);
	return 0;
}

static int
parse_keywords(const struct ynode *n, char **out, struct tdesk_err *err)
{
	struct buf b = BUF_INIT;

	if (n->kind == YNODE_SCALAR) {
		*out = xstrdup(n->value);
		return 0;
	}
	if (n->kind != YNODE_SEQ)
		return ynode_err(n, err, "keywords must be a list of words");
	for (size_t i = 0; i < n->n; i++) {
		const char *v;
		if (ynode_str(n->items[i], &v, err) < 0) {
			buf_free(&b);
			return -1;
		}
		if (b.len)
			buf_adds(&b, ", ");
		buf_adds(&b, v);
	}
	*out = buf_detach(&b);
	return 0;
}

static int
parse_entry(const struct ynode *n, void *entry, struct tdesk_err *err)
{
	struct fentry *e = entry;
	const struct ynode *v;

	if (n->kind != YNODE_MAP)
		return ynode_err(n, err, "a FAQ entry must be a mapping");
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value;
		const struct ynode *lv = n->items[i];

		if (strcmp(k, "id") == 0 || strcmp(k, "category") == 0 ||
		    strcmp(k, "keywords") == 0)
			continue;
		if (!store_yaml_lang_key(k))
			return ynode_err(n->keys[i], err, "unknown key '%s' in "
			    "FAQ entry (expected id, category, keywords or a "
			    "two-letter language such as en or zh)", k);
		if (lv->kind != YNODE_MAP)
			return ynode_err(lv, err, "language '%s' must be a "
			    "mapping with title and body", k);
		if (ynode_check_keys(lv, (const char *const[]){ "title",
		    "body", NULL }, "FAQ text", err) < 0)
			return -1;
		e->t = xrealloc(e->t, (e->nt + 1) * sizeof(*e->t));
		memset(&e->t[e->nt], 0, sizeof(e->t[0]));
		snprintf(e->t[e->nt].lang, sizeof(e->t[0].lang), "%s", k);
		e->nt++;
		if ((v = ynode_get(lv, "title")) == NULL)
			return ynode_err(lv, err, "FAQ text '%s' has no title", k);
		if (text_value(v, "title", &e->t[e->nt - 1].title, err) < 0)
			return -1;
		if ((v = ynode_get(lv, "body")) == NULL)
			return ynode_err(lv, err, "FAQ text '%s' has no body", k);
		if (text_value(v, "body", &e->t[e->nt - 1].body, err) < 0)
			return -1;
	}
	if ((v = ynode_get(n, "id")) == NULL)
		return ynode_err(n, err, "FAQ entry has no id");
	if (text_value(v, "id", &e->id, err) < 0)
		return -1;
	e->y.key = e->id;
	if (!valid_id(e->id))
		return ynode_err(v, err, "invalid FAQ id '%s' (lowercase letters, "
		    "digits, '-', '_' and '.', at most 64)", e->id);
	if (strncmp(e->id, "zd-", 3) == 0)
		return ynode_err(v, err, "FAQ ids starting with 'zd-' are "
		    "reserved for Help Center articles");
	if ((v = ynode_get(n, "category")) != NULL) {
		if (text_value(v, "category", &e->category, err) < 0)
			return -1;
	} else
		e->category = xstrdup("");
	if ((v = ynode_get(n, "keywords")) != NULL) {
		if (parse_keywords(v, &e->keywords, err) < 0)
			return -1;
	} else
		e->keywords = xstrdup("");
	if (e->nt == 0)
		return ynode_err(n, err, "FAQ entry '%s' has no text: add en: "
		    "or zh: with title and body", e->id);
	return 0;
}

/* --- the index --------------------------------------------------------------- */

/* Rebuild faq_fts from faq_text: every Han character its own token. */
static int
fts_rebuild(struct store *st, struct tdesk_err *err)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	struct buf t = BUF_INIT, b = BUF_INIT, k = BUF_INIT;
	int rc = -1, r;

	if (store_exec(st, "DELETE FROM faq_fts", err) < 0)
		return -1;
	sel = store_prepare(st, "SELECT x.id, x.title, x.body, f.keywords"
	    " FROM faq_text x JOIN faq f ON f.id = x.faq_id", err);
	ins = store_prepare(st, "INSERT INTO faq_fts(rowid, title, body,"
	    " keywords) VALUES(?1, ?2, ?3, ?4)", err);
	if (sel == NULL || ins == NULL)
		goto out;
	while ((r = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *s;

		buf_reset(&t);
		buf_reset(&b);
		buf_reset(&k);
		s = store_col_text(sel, 1);
		text_cjk_split(&t, s, strlen(s));
		s = store_col_text(sel, 2);
		text_cjk_split(&b, s, strlen(s));
		s = store_col_text(sel, 3);
		text_cjk_split(&k, s, strlen(s));
		sqlite3_bind_int64(ins, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_text(ins, 2, t.data ? t.data : "", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, b.data ? b.data : "", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, k.data ? k.data : "", -1,
		    SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			store_dberr(st, err, "cannot index");
			goto out;
		}
		sqlite3_reset(ins);
	}
	if (r != SQLITE_DONE) {
		store_dberr(st, err, "cannot read");
		goto out;
	}
	rc = 0;
out:
	store_done(st, sel);
	store_done(st, ins);
	buf_free(&t);
	buf_free(&b);
	buf_free(&k);
	return rc;
}

static int
faq_insert(struct store *st, const char *id, const char *category,
    const char *keywords, const char *source, int64_t remote_id,
    int64_t updated_at, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "INSERT INTO faq(id, category, keywords, source, remote_id,"
	    " updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT(id) DO UPDATE SET category = excluded.category,"
	    " keywords = excluded.keywords, source = excluded.source,"
	    " remote_id = excluded.remote_id,"
	    " updated_at = excluded.updated_at", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, keywords, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, source, -1, SQLITE_STATIC);
	if (remote_id)
		sqlite3_bind_int64(s, 5, remote_id);
	sqlite3_bind_int64(s, 6, updated_at);
	return store_step_done(st, s, err);
}

static int
faq_text_put(struct store *st, const char *id, const char *lang,
    const char *title, const char *body, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "INSERT INTO faq_text(faq_id, lang, title, body)"
	    " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(faq_id, lang) DO UPDATE"
	    " SET title = excluded.title, body = excluded.body", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, body, -1, SQLITE_STATIC);
	return store_step_done(st, s, err);
}

/* Replace the rows from files with set (inside the loader's transaction). */
static int
faq_write(struct store *st, const struct store_yset *set,
    struct tdesk_err *err)
{
	int64_t now = time_now();

	if (store_exec(st, "DELETE FROM faq_text WHERE faq_id IN (SELECT id"
	    " FROM faq WHERE source <> 'remote');"
	    "DELETE FROM faq WHERE source <> 'remote'", err) < 0)
		return -1;
	for (size_t i = 0; i < set->n; i++) {
		struct fentry *e = store_yset_at(set, i);

		if (faq_insert(st, e->id, e->category, e->keywords,
		    e->y.starter ? "starter" : "local", 0, now, err) < 0)
			return -1;
		for (size_t j = 0; j < e->nt; j++)
			if (faq_text_put(st, e->id, e->t[j].lang,
			    e->t[j].title, e->t[j].body, err) < 0)
				return -1;
	}
	return fts_rebuild(st, err);
}

static const struct store_ykind faq_kind = {
	.sub = "faq", .list_key = "faq", .noun = "FAQ entry",
	.plural = "entries", .key_field = "id", .key_noun = "FAQ id",
	.size = sizeof(struct fentry), .parse = parse_entry, .free = fentry_free,
	.write = faq_write,
};

int
store_faq_load_dirs(struct store *st, const char *const *dirs, size_t n,
    store_msg_fn warn, void *arg, struct tdesk_err *err)
{
	return store_yload_dirs(st, &faq_kind, dirs, n, warn, arg, err, NULL);
}

int
store_faq_refresh(struct store *st, const char *const *dirs, size_t n,
    store_msg_fn warn, void *arg, struct tdesk_err *err)
{
	return store_yfiles_refresh(st, &faq_kind, dirs, n, warn, arg, err);
}

/* --- remote articles ------------------------------------------------------- */

/* Help Center locale to our language: "zh-cn" -> "zh", "en-us" -> "en". */
static void
locale_lang(const char *locale, char out[4])
{
	size_t i = 0;

	while (i < 3 && locale[i] && locale[i] != '-' && locale[i] != '_') {
		char c = locale[i];
		out[i++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[i] = '\0';
	if (i == 0)
		strcpy(out, "en");
}

/* Article a's text in lang under category cat, or for a draft the
 * removal of that text (inside the caller's transaction). */
static int
article_write(struct store *st, const struct store_article_rec *a,
    const char *lang, const char *cat, struct tdesk_err *err)
{
	struct buf t = BUF_INIT, b = BUF_INIT, h = BUF_INIT;
	sqlite3_stmt *del;
	int r, rc;

	if (a->draft) {
		/* a draft: gone from what agents may quote */
		if ((del = store_prepare(st, "DELETE FROM faq_text WHERE"
		    " faq_id = ?1 AND lang = ?2", err)) == NULL)
			return -1;
		sqlite3_bind_text(del, 1, a->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(del, 2, lang, -1, SQLITE_STATIC);
		r = sqlite3_step(del);
		store_done(st, del);
		if (r != SQLITE_DONE)
			return store_dberr(st, err, "cannot write");
		return 0;
	}
	store_html_to_text(&h, a->body_html ? a->body_html : "");
	text_sanitize(&b, h.data ? h.data : "", h.len, 1);
	text_sanitize(&t, a->title ? a->title : "", a->title ?
	    strlen(a->title) : 0, 0);
	rc = faq_insert(st, a->key, cat, a->labels ? a->labels : "", "remote",
	    a->remote_id, a->updated_at, err) < 0 ||
	    faq_text_put(st, a->key, lang, t.data ? t.data : "",
	    b.data ? b.data : "", err) < 0 ? -1 : 0;
	buf_free(&t);
	buf_free(&b);
	buf_free(&h);
	return rc;
}

/*
 * One help-center article of the helpdesk's as source 'remote' under
 * a->key, one text per locale (zh-* -> zh, en-* -> en); a draft is
 * removed from what agents may quote. Call store_faq_articles_done after
 * a list.
 */
int
store_faq_put_article(struct store *st, const struct store_article_rec *a,
    struct tdesk_err *err)
{
	char lang[4], cat[40];

	if (a->remote_id <= 0 || a->key == NULL || *a->key == '\0')
		return 0;
	locale_lang(a->locale ? a->locale : "", lang);
	if (a->section_id > 0)
		snprintf(cat, sizeof(cat), "section %lld",
		    (long long)a->section_id);
	else
		snprintf(cat, sizeof(cat), "help center");
	if (store_begin(st, err) < 0)
		return -1;
	return store_finish(st, article_write(st, a, lang, cat, err), err);
}

int
store_faq_articles_done(struct store *st, struct tdesk_err *err)
{
	if (store_begin(st, err) < 0)
		return -1;
	if (store_exec(st, "DELETE FROM faq WHERE source = 'remote' AND"
	    " NOT EXISTS (SELECT 1 FROM faq_text x WHERE x.faq_id = faq.id)",
	    err) < 0 || fts_rebuild(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

int
store_faq_remote_clear(struct store *st, struct tdesk_err *err)
{
	if (store_begin(st, err) < 0)
		return -1;
	if (store_exec(st, "DELETE FROM faq_text WHERE faq_id IN (SELECT id"
	    " FROM faq WHERE source = 'remote');"
	    "DELETE FROM faq WHERE source = 'remote'", err) < 0 ||
	    fts_rebuild(st, err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* --- search ------------------------------------------------------------------ */

/* Letters and digits (of any script) make words; the rest separates. */
static int
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_';
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF20) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFFFD ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xA0 || cp == 0x3000)
		return 0;
	return 1;
}

/*
 * Turn what the agent typed into FTS5 queries. Words become quoted
 * prefix terms, runs of Han characters phrases of single characters.
 * strict: every word and run must match. loose: any word, any Han
 * character pair (for sentences typed in full). Traditional characters
 * are read as simplified, as the index holds them.
 */
static void
faq_match_expr(const char *text, struct buf *strict, struct buf *loose)
{
	size_t len = strlen(text);
	char *fold = xstrdup(text), *p = fold;

	zh_fold_t2s(fold, len);		/* as the index holds it */

	while (len > 0) {
		uint32_t cp;
		size_t k = utf8_decode(p, len, &cp);

		if (utf8_is_cjk(cp)) {
			uint32_t run[64];
			size_t nr = 0;

			while (len > 0) {
				k = utf8_decode(p, len, &cp);
				if (!utf8_is_cjk(cp))
					break;
				if (nr < ARRAY_LEN(run))
					run[nr++] = cp;
				p += k;
				len -= k;
			}
			if (strict->len)
				buf_addc(strict, ' ');
			buf_addc(strict, '"');
			for (size_t i = 0; i < nr; i++) {
				if (i)
					buf_addc(strict, ' ');
				utf8_encode(strict, run[i]);
			}
			buf_addc(strict, '"');
			for (size_t i = 0; i + 1 < nr || (nr == 1 && i == 0);
			    i++) {
				if (loose->len)
					buf_adds(loose, " OR ");
				buf_addc(loose, '"');
				utf8_encode(loose, run[i]);
				if (i + 1 < nr) {
					buf_addc(loose, ' ');
					utf8_encode(loose, run[i + 1]);
				}
				buf_addc(loose, '"');
			}
			continue;
		}
		if (is_word_cp(cp)) {
			const char *w = p;

			while (len > 0) {
				k = utf8_decode(p, len, &cp);
				if (!is_word_cp(cp) || utf8_is_cjk(cp))
					break;
				p += k;
				len -= k;
			}
			if (strict->len)
				buf_addc(strict, ' ');
			if (loose->len)
				buf_adds(loose, " OR ");
			/* words hold no quotes: is_word_cp refuses them */
			buf_printf(strict, "\"%.*s\"*", (int)(p - w), w);
			buf_printf(loose, "\"%.*s\"*", (int)(p - w), w);
			continue;
		}
		p += k;
		len -= k;
	}
	free(fold);
}

static int
faq_row(sqlite3_stmt *s, void *cb)
{
	const struct store_cb *c = cb;
	struct store_faq f = {
		.id = store_col_text(s, 0),
		.category = store_col_text(s, 1),
		.keywords = store_col_text(s, 2),
		.source = store_col_text(s, 3),
		.lang = store_col_text(s, 4),
		.title = store_col_text(s, 5),
		.body = store_col_text(s, 6),
		.langs = store_col_text(s, 7),
		.rank = sqlite3_column_double(s, 8),
	};

	return c->fn.faq(&f, c->arg);
}

/* The text of entry f.id shown in ?2, falling back to en, then any. */
#define FAQ_TEXT_PICK \
	" JOIN faq_text x ON x.id = (SELECT y.id FROM faq_text y" \
	"  WHERE y.faq_id = f.id ORDER BY y.lang = ?2 DESC," \
	"  y.lang = 'en' DESC, y.lang LIMIT 1)"
#define FAQ_COLS \
	" f.id, f.category, f.keywords, f.source, x.lang, x.title, x.body," \
	" (SELECT group_concat(lang, ' ') FROM (SELECT lang FROM faq_text" \
	"  z WHERE z.faq_id = f.id ORDER BY lang))"

static int
faq_run_search(struct store *st, const char *match, const char *lang,
    int limit, store_faq_fn fn, void *arg, int *found,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "WITH hits AS MATERIALIZED (SELECT rowid AS rid, " FAQ_BM25 " AS r"
	    "  FROM faq_fts WHERE faq_fts MATCH ?1),"
	    " best AS (SELECT t.faq_id AS fid, ?2 AS dl,"
	    "  min(h.r) AS r FROM hits h JOIN faq_text t ON t.id = h.rid"
	    "  GROUP BY t.faq_id ORDER BY r LIMIT ?3)"
	    /* x: the text in dl, else en, else any (the row of the min) */
	    " SELECT" FAQ_COLS ", b.r,"
	    " min((x.lang <> b.dl) * 2 + (x.lang <> 'en'))"
	    " FROM best b JOIN faq f ON f.id = b.fid"
	    " JOIN faq_text x ON x.faq_id = f.id"
	    " GROUP BY f.id ORDER BY b.r, f.id", err);
	struct store_cb cb = { .fn.faq = fn, .arg = arg };
	int64_t n;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	store_bind_text(s, 2, lang);
	sqlite3_bind_int(s, 3, limit);
	if ((n = store_step_rows(st, s, faq_row, &cb, err)) < 0)
		return -1;
	*found += (int)n;
	return 0;
}

int
store_faq_search(struct store *st, const char *text, const char *lang,
    int limit, store_faq_fn fn, void *arg, struct tdesk_err *err)
{
	struct buf strict = BUF_INIT, loose = BUF_INIT;
	int found = 0, rc = 0;

	if (limit <= 0)
		limit = 20;
	faq_match_expr(text, &strict, &loose);
	if (strict.len == 0)
		goto out;
	/* Chinese typed: show Chinese; else English (keywords are shared,
	 * so either language's row may have matched best) */
	if (lang == NULL)
		lang = text_has_cjk(text, strlen(text)) ? "zh" : "en";
	rc = faq_run_search(st, strict.data, lang, limit, fn, arg, &found,
	    err);
	if (rc == 0 && found == 0 && strcmp(strict.data, loose.data) != 0)
		rc = faq_run_search(st, loose.data, lang, limit, fn, arg,
		    &found, err);
out:
	buf_free(&strict);
	buf_free(&loose);
	return rc;
}

int
store_faq_get(struct store *st, const char *id, const char *lang,
    store_faq_fn fn, void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT" FAQ_COLS ", 0 FROM faq f" FAQ_TEXT_PICK
	    " WHERE f.id = ?1", err);
	struct store_cb cb = { .fn.faq = fn, .arg = arg };
	int64_t n;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	store_bind_text(s, 2, lang ? lang : "en");
	n = store_step_rows(st, s, faq_row, &cb, err);
	return n < 0 ? -1 : n > 0;
}

int
store_faq_list(struct store *st, const char *lang, store_faq_fn fn,
    void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT" FAQ_COLS ", 0 FROM faq f" FAQ_TEXT_PICK
	    " ORDER BY f.category, f.id", err);
	struct store_cb cb = { .fn.faq = fn, .arg = arg };

	if (s == NULL)
		return -1;
	store_bind_text(s, 2, lang ? lang : "en");
	return store_step_rows(st, s, faq_row, &cb, err) < 0 ? -1 : 0;
}
