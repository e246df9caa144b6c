/* SPDX-License-Identifier: MIT */
/*
 * Macros: Zendesk-like action lists (status, priority, type, tags,
 * assignee, group, a comment with placeholders and per-language
 * variants) loaded from YAML files or pulled from the helpdesk, and
 * listed. Rendering and applying them: store/macro_render.c.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MACRO_NAME_MAX 120

/* --- JSON output for definitions -------------------------------------------- */

static void
json_put_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\n')
			buf_adds(b, "\\n");
		else if (c == '\t')
			buf_adds(b, "\\t");
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

static void
json_action(struct buf *b, const char *field, const char *value,
    const char *lang)
{
	buf_adds(b, b->data[b->len - 1] == '[' ? "{\"field\":" : ",{\"field\":");
	json_put_str(b, field);
	buf_adds(b, ",\"value\":");
	json_put_str(b, value);
	if (lang) {
		buf_adds(b, ",\"lang\":");
		json_put_str(b, lang);
	}
	buf_addc(b, '}');
}

/* --- loading YAML ------------------------------------------------------------ */

struct mentry {
	struct store_yentry y;	/* key: the name */
	char *name;
	char *description;
	char *definition;
};

static void
mentry_free(void *entry)
{
	struct mentry *e = entry;

	free(e->name);
	free(e->description);
	free(e->definition);
	memset(e, 0, sizeof(*e));
}

static int
one_of(const struct ynode *n, const char *what, const char *const *ok,
    const char **out, struct tdesk_err *err)
{
	const char *v;

	if (ynode_str(n, &v, err) < 0)
		return -1;
	for (size_t i = 0; ok[i]; i++)
		if (strcmp(v, ok[i]) == 0)
			return *out = v, 0;
	return ynode_err(n, err, "invalid %s '%s' (one of %s%s%s%s%s%s%s)",
	    what, v, ok[0], ok[1] ? ", " : "", ok[1] ? ok[1] : "",
	    ok[2] ? ", " : "", ok[2] ? ok[2] : "", ok[3] ? ", " : "",
	    ok[3] ? ok[3] : "");
}

/* Append to b the tags of v: one tag (a list item) or tags between
 * spaces (a string), each valid as store_tag_valid says. */
static int
tag_words(const struct ynode *t, const char *v, int one, struct buf *b,
    struct tdesk_err *err)
{
	char *words = xstrdup(v), *save = NULL;
	char *w = one ? words : strtok_r(words, " ", &save);
	int rc = 0;

	for (; w && rc == 0; w = one ? NULL : strtok_r(NULL, " ", &save)) {
		if (!store_tag_valid(w)) {
			rc = ynode_err(t, err, "invalid tag '%s' (no spaces, "
			    "commas, quotes or backslashes; at most %d bytes)",
			    w, STORE_TAG_MAX);
			break;
		}
		if (b->len)
			buf_addc(b, ' ');
		buf_adds(b, w);
	}
	free(words);
	return rc;
}

/* A tag list: YAML list or space-separated string; into "a b c". */
static int
tag_list(const struct ynode *n, char **out, struct tdesk_err *err)
{
	struct buf b = BUF_INIT;
	size_t count = n->kind == YNODE_SEQ ? n->n : 1;

	if (n->kind == YNODE_MAP)
		return ynode_err(n, err, "expected a list of tags");
	for (size_t i = 0; i < count; i++) {
		const struct ynode *t = n->kind == YNODE_SEQ ? n->items[i] : n;
		const char *v;

		if (ynode_str(t, &v, err) < 0)
			goto fail;
		if (n->kind != YNODE_SEQ && strchr(v, ',')) {
			ynode_err(t, err, "tags are separated by spaces, not "
			    "commas");
			goto fail;
		}
		if (tag_words(t, v, n->kind == YNODE_SEQ, &b, err) < 0)
			goto fail;
	}
	if (b.len == 0 && n->kind == YNODE_SEQ) {
		ynode_err(n, err, "empty tag list");
		goto fail;
	}
	*out = buf_detach(&b);
	return 0;
fail:
	buf_free(&b);
	return -1;
}

static int
parse_comment(const struct ynode *n, struct buf *def, struct tdesk_err *err)
{
	int pub = 1, ntext = 0;

	if (n->kind == YNODE_SCALAR) {
		if (*n->value == '\0')
			return ynode_err(n, err, "empty comment");
		if (store_macro_ph_check(n->value, n, err) < 0)
			return -1;
		json_action(def, "comment_mode_is_public", "true", NULL);
		json_action(def, "comment_value", n->value, NULL);
		return 0;
	}
	if (n->kind != YNODE_MAP)
		return ynode_err(n, err, "comment must be a text or a mapping "
		    "of public and languages (en, zh)");
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value;

		if (strcmp(k, "public") == 0) {
			if (ynode_bool(n->items[i], &pub, err) < 0)
				return -1;
		} else if (!store_yaml_lang_key(k))
			return ynode_err(n->keys[i], err, "unknown key '%s' in "
			    "comment (expected public or a two-letter language "
			    "such as en or zh)", k);
	}
	json_action(def, "comment_mode_is_public", pub ? "true" : "false",
	    NULL);
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value, *v;
		char *tv;

		if (strcmp(k, "public") == 0)
			continue;
		if (ynode_str(n->items[i], &v, err) < 0)
			return -1;
		if (*v == '\0')
			return ynode_err(n->items[i], err, "empty comment for "
			    "'%s'", k);
		if (store_macro_ph_check(v, n->items[i], err) < 0)
			return -1;
		/* a block scalar's final newline is not part of the reply */
		tv = xstrdup(v);
		for (size_t l = strlen(tv); l > 0 && tv[l - 1] == '\n'; l--)
			tv[l - 1] = '\0';
		json_action(def, "comment_value", tv, k);
		free(tv);
		ntext++;
	}
	if (ntext == 0)
		return ynode_err(n, err, "comment has no text: add en: and/or "
		    "zh:");
	return 0;
}

static int
parse_actions(const struct ynode *n, struct buf *def, struct tdesk_err *err)
{
	static const char *const keys[] = { "status", "priority", "type",
	    "set_tags", "add_tags", "remove_tags", "assignee", "group",
	    "comment", NULL };
	static const char *const statuses[] = { "open", "pending", "hold",
	    "solved", NULL };
	static const char *const prios[] = { "low", "normal", "high",
	    "urgent", NULL };
	static const char *const types[] = { "question", "incident",
	    "problem", "task", NULL };

	if (ynode_check_keys(n, keys, "actions", err) < 0)
		return -1;
	if (n->n == 0)
		return ynode_err(n, err, "a macro needs at least one action");
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value, *v;
		const struct ynode *val = n->items[i];
		char *tags = NULL;

		if (strcmp(k, "status") == 0 || strcmp(k, "priority") == 0 ||
		    strcmp(k, "type") == 0) {
			if (one_of(val, k, k[0] == 's' ? statuses :
			    k[0] == 'p' ? prios : types, &v, err) < 0)
				return -1;
			json_action(def, k, v, NULL);
		} else if (strcmp(k, "assignee") == 0 ||
		    strcmp(k, "group") == 0) {
			if (ynode_str(val, &v, err) < 0)
				return -1;
			if (*v == '\0')
				return ynode_err(val, err, "empty %s (write "
				    "none to clear it)", k);
			json_action(def, k, strcmp(v, "none") == 0 ? "" : v,
			    NULL);
		} else if (strcmp(k, "comment") == 0) {
			if (parse_comment(val, def, err) < 0)
				return -1;
		} else {
			if (tag_list(val, &tags, err) < 0)
				return -1;
			json_action(def, k[0] == 'a' ? "current_tags" : k,
			    tags, NULL);
			free(tags);
		}
	}
	return 0;
}

static int
parse_macro(const struct ynode *n, void *entry, struct tdesk_err *err)
{
	struct mentry *e = entry;
	static const char *const keys[] = { "name", "description", "actions",
	    NULL };
	const struct ynode *v;
	struct buf def = BUF_INIT;
	const char *s;

	if (ynode_check_keys(n, keys, "macro", err) < 0)
		return -1;
	if ((v = ynode_get(n, "name")) == NULL)
		return ynode_err(n, err, "macro has no name");
	if (ynode_str(v, &s, err) < 0)
		return -1;
	if (*s == '\0' || strlen(s) > MACRO_NAME_MAX || *s == '-' ||
	    strpbrk(s, "\n\t\r"))
		return ynode_err(v, err, "invalid macro name '%s' (one line, "
		    "at most %d bytes, not starting with '-')", s,
		    MACRO_NAME_MAX);
	e->name = xstrdup(s);
	e->y.key = e->name;
	if ((v = ynode_get(n, "description")) != NULL) {
		if (ynode_str(v, &s, err) < 0)
			return -1;
		e->description = xstrdup(s);
	} else
		e->description = xstrdup("");
	if ((v = ynode_get(n, "actions")) == NULL)
		return ynode_err(n, err, "macro '%s' has no actions", e->name);
	buf_adds(&def, "{\"actions\":[");
	if (parse_actions(v, &def, err) < 0) {
		buf_free(&def);
		return -1;
	}
	buf_adds(&def, "]}");
	e->definition = buf_detach(&def);
	return 0;
}

/* Replace the rows from files with set (inside the loader's transaction);
 * a remote macro of the same name steps aside as "NAME (remote)". */
static int
macros_write(struct store *st, const struct store_yset *set,
    struct tdesk_err *err)
{
	sqlite3_stmt *ren, *ins;
	int64_t now = time_now();
	int rc = -1;

	ren = store_prepare(st, "UPDATE macros SET name = name || ' (remote)'"
	    " WHERE source = 'remote' AND name = ?1 COLLATE NOCASE", err);
	ins = store_prepare(st, "INSERT INTO macros(name, description, source,"
	    " definition, updated_at) VALUES(?1, ?2, ?3, ?4, ?5)", err);
	if (ren == NULL || ins == NULL ||
	    store_exec(st, "DELETE FROM macros WHERE source <> 'remote'",
	    err) < 0)
		goto out;
	for (size_t i = 0; i < set->n; i++) {
		struct mentry *e = store_yset_at(set, i);

		sqlite3_bind_text(ren, 1, e->name, -1, SQLITE_STATIC);
		if (sqlite3_step(ren) != SQLITE_DONE) {
			store_dberr(st, err, "cannot write");
			goto out;
		}
		sqlite3_reset(ren);
		sqlite3_bind_text(ins, 1, e->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, e->description, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, e->y.starter ? "starter" : "local", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, e->definition, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 5, now);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			store_dberr(st, err, "cannot write");
			goto out;
		}
		sqlite3_reset(ins);
	}
	rc = 0;
out:
	store_done(st, ren);
	store_done(st, ins);
	return rc;
}

static const struct store_ykind macro_kind = {
	.sub = "macros", .list_key = "macros", .noun = "macro",
	.plural = "macros", .key_field = "name", .key_noun = "macro name",
	.nocase = 1, .size = sizeof(struct mentry), .parse = parse_macro,
	.free = mentry_free, .write = macros_write,
};

int
store_macros_load_dirs(struct store *st, const char *const *dirs, size_t n,
    store_msg_fn warn, void *arg, struct tdesk_err *err)
{
	return store_yload_dirs(st, &macro_kind, dirs, n, warn, arg, err, NULL);
}

int
store_macros_refresh(struct store *st, const char *const *dirs, size_t n,
    store_msg_fn warn, void *arg, struct tdesk_err *err)
{
	return store_yfiles_refresh(st, &macro_kind, dirs, n, warn, arg, err);
}

/* --- remote macros ----------------------------------------------------------- */

/* Remote macro m's row (inside the caller's transaction). */
static int
remote_write(struct store *st, const struct store_macro_rec *m,
    struct tdesk_err *err)
{
	sqlite3_stmt *del = NULL, *taken = NULL, *ins = NULL;
	struct buf name = BUF_INIT, desc = BUF_INIT;
	const char *t = m->title ? m->title : "";
	int64_t rid = m->remote_id;
	int r, rc = -1;

	del = store_prepare(st, "DELETE FROM macros WHERE source = 'remote'"
	    " AND remote_id = ?1", err);
	taken = store_prepare(st, "SELECT 1 FROM macros WHERE name = ?1"
	    " COLLATE NOCASE", err);
	ins = store_prepare(st, "INSERT INTO macros(name, description, source,"
	    " remote_id, definition, updated_at)"
	    " VALUES(?1, ?2, 'remote', ?3, json_object('actions',"
	    " json(?4)), ?5)", err);
	if (del == NULL || taken == NULL || ins == NULL)
		goto out;
	sqlite3_bind_int64(del, 1, rid);
	r = sqlite3_step(del);
	sqlite3_reset(del);
	if (r != SQLITE_DONE) {
		store_dberr(st, err, "cannot write");
		goto out;
	}
	if (!m->active) {
		rc = 0;		/* deactivated: gone */
		goto out;
	}
	text_sanitize(&name, t, strlen(t), 0);
	if (name.len == 0)
		buf_printf(&name, "macro %lld", (long long)rid);
	for (int tries = 0; ; tries++) {
		sqlite3_bind_text(taken, 1, name.data, -1, SQLITE_STATIC);
		r = sqlite3_step(taken);
		sqlite3_reset(taken);
		if (r == SQLITE_DONE)
			break;
		if (r != SQLITE_ROW) {
			store_dberr(st, err, "cannot read");
			goto out;
		}
		buf_reset(&name);
		text_sanitize(&name, t, strlen(t), 0);
		if (tries == 0)
			buf_adds(&name, " (remote)");
		else
			buf_printf(&name, " (remote %lld)", (long long)rid);
		if (tries > 1)
			break;
	}
	t = m->description ? m->description : "";
	text_sanitize(&desc, t, strlen(t), 0);
	sqlite3_bind_text(ins, 1, name.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, desc.data ? desc.data : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(ins, 3, rid);
	sqlite3_bind_text(ins, 4, m->actions && *m->actions ? m->actions :
	    "[]", -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 5, m->updated_at);
	r = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (r != SQLITE_DONE)
		store_dberr(st, err, "cannot write");
	else
		rc = 0;
out:
	store_done(st, del);
	store_done(st, taken);
	store_done(st, ins);
	buf_free(&name);
	buf_free(&desc);
	return rc;
}

/*
 * One macro of the helpdesk's as source 'remote', upserted by remote id:
 * an inactive one is removed. A remote macro whose title is taken by a
 * local one is stored as "TITLE (remote)".
 */
int
store_macro_put_remote(struct store *st, const struct store_macro_rec *m,
    struct tdesk_err *err)
{
	if (m->remote_id <= 0)
		return 0;
	if (store_begin(st, err) < 0)
		return -1;
	return store_finish(st, remote_write(st, m, err), err);
}

int
store_macros_remote_clear(struct store *st, struct tdesk_err *err)
{
	return store_exec(st, "DELETE FROM macros WHERE source = 'remote'",
	    err);
}

/* --- listing ------------------------------------------------------------------ */

#define MACRO_COLS \
	"SELECT m.name, m.description, m.source, coalesce(m.remote_id, 0)," \
	" m.definition, m.updated_at, (SELECT group_concat(l, ' ') FROM" \
	" (SELECT DISTINCT coalesce(json_extract(a.value, '$.lang'), 'any')" \
	"  AS l FROM json_each(m.definition, '$.actions') a WHERE" \
	"  json_extract(a.value, '$.field') LIKE 'comment_value%' ORDER BY l))" \
	" FROM macros m"

static int
macro_row(sqlite3_stmt *s, void *cb)
{
	const struct store_cb *c = cb;
	struct store_macro m = {
		.name = store_col_text(s, 0),
		.description = store_col_text(s, 1),
		.source = store_col_text(s, 2),
		.remote_id = sqlite3_column_int64(s, 3),
		.definition = store_col_text(s, 4),
		.updated_at = sqlite3_column_int64(s, 5),
		.langs = store_col_text(s, 6),
	};

	return c->fn.macro(&m, c->arg);
}

int
store_macro_list(struct store *st, store_macro_fn fn, void *arg,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, MACRO_COLS
	    " ORDER BY m.name COLLATE NOCASE", err);
	struct store_cb cb = { .fn.macro = fn, .arg = arg };

	if (s == NULL)
		return -1;
	return store_step_rows(st, s, macro_row, &cb, err) < 0 ? -1 : 0;
}

int
store_macro_get(struct store *st, const char *name, store_macro_fn fn,
    void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, MACRO_COLS
	    " WHERE m.name = ?1 COLLATE NOCASE"
	    " ORDER BY m.name = ?1 DESC LIMIT 1", err);
	struct store_cb cb = { .fn.macro = fn, .arg = arg };
	int64_t n;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	n = store_step_rows(st, s, macro_row, &cb, err);
	return n < 0 ? -1 : n > 0;
}
