/* SPDX-License-Identifier: MIT */
/*
 * Queueing local actions: every agent action is checked, applied to the
 * replica and queued, with a client id and the stamp the agent saw, in one
 * transaction, and recorded in the audit log. The replica shows remote
 * state plus the waiting actions (outbox_undo.c); outbox_queue.c reads
 * and settles the queue.
 */
#include "store/store_int.h"
#include "store/triage.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const valid_type[] = { "question", "incident", "problem",
    "task", "none", "", NULL };

static int
one_of(const char *v, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

int
store_tag_valid(const char *t)
{
	if (*t == '\0' || strlen(t) > STORE_TAG_MAX)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t <= ' ' || *t == ',' || *t == '"' ||
		    *t == '\\')
			return 0;
	return 1;
}

int
store_change_check(struct store *st, const struct store_change *ch,
    struct tdesk_err *err)
{
	int64_t id;

	/* an agent sets any status but new (ranks: store_status_rank) */
	if (ch->status && store_status_rank(ch->status) < 1)
		return err_set(err, TDESK_EUSAGE, "unknown status '%s' (open, "
		    "pending, hold, solved, closed)", ch->status);
	if (ch->priority && store_priority_rank(ch->priority) < 0 &&
	    strcmp(ch->priority, "none") != 0)
		return err_set(err, TDESK_EUSAGE, "unknown priority '%s' (low, "
		    "normal, high, urgent, none)", ch->priority);
	if (ch->type && !one_of(ch->type, valid_type))
		return err_set(err, TDESK_EUSAGE, "unknown type '%s' (question, "
		    "incident, problem, task, none)", ch->type);
	for (size_t i = 0; i < ch->n_add; i++)
		if (!store_tag_valid(ch->add_tags[i]))
			return err_set(err, TDESK_EUSAGE, "invalid tag '%s'",
			    ch->add_tags[i]);
	for (size_t i = 0; i < ch->n_remove; i++)
		if (!store_tag_valid(ch->remove_tags[i]))
			return err_set(err, TDESK_EUSAGE, "invalid tag '%s'",
			    ch->remove_tags[i]);
	if (ch->assignee && store_resolve_user(st, ch->assignee, &id, err) < 0)
		return -1;
	if (ch->group && store_resolve_group(st, ch->group, &id, err) < 0)
		return -1;
	if (ch->comment) {
		size_t n = strlen(ch->comment);
		if (!utf8_valid(ch->comment, n))
			return err_set(err, TDESK_EUSAGE, "the message is not "
			    "valid UTF-8");
		if (n > 65536)
			return err_set(err, TDESK_EUSAGE, "the message is %zu "
			    "bytes; Zendesk truncates comments over 64 KB", n);
		if (strspn(ch->comment, " \t\r\n") == n)
			return err_set(err, TDESK_EUSAGE, "the message is "
			    "empty");
	}
	if (!ch->status && !ch->priority && !ch->type && !ch->assignee &&
	    !ch->group && !ch->n_add && !ch->n_remove && !ch->comment &&
	    !ch->category)
		return err_set(err, TDESK_EUSAGE, "nothing to change");
	return 0;
}

/* Build a JSON value with SQLite: sql is a SELECT of one json text. */
struct jb {
	struct buf sql;
	const char *vals[64];
	int64_t ints[64];
	int kinds[64];		/* 0 text, 1 int, 2 null, 3 json */
	int n;
	int first;
};

static void
jb_key(struct jb *j, const char *key)
{
	buf_printf(&j->sql, "%s'%s', ", j->first ? "" : ", ", key);
	j->first = 0;
}

static void
jb_text(struct jb *j, const char *key, const char *v)
{
	if (j->n >= 60)
		BUG("too many JSON members");
	jb_key(j, key);
	buf_printf(&j->sql, "?%d", j->n + 1);
	j->kinds[j->n] = 0;
	j->vals[j->n++] = v;
}

static void
jb_int(struct jb *j, const char *key, int64_t v)
{
	if (j->n >= 60)
		BUG("too many JSON members");
	jb_key(j, key);
	if (v == 0) {
		buf_adds(&j->sql, "NULL");
		return;
	}
	buf_printf(&j->sql, "?%d", j->n + 1);
	j->kinds[j->n] = 1;
	j->ints[j->n++] = v;
}

static char *
jb_run(struct store *st, struct jb *j, struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	char *out = NULL;

	buf_printf(&sql, "SELECT json_object(%s)", j->sql.data ?
	    j->sql.data : "");
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return NULL;
	for (int i = 0; i < j->n; i++) {
		if (j->kinds[i] == 1)
			sqlite3_bind_int64(s, i + 1, j->ints[i]);
		else
			sqlite3_bind_text(s, i + 1, j->vals[i], -1,
			    SQLITE_STATIC);
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		out = xstrdup(store_col_text(s, 0));
	else
		store_dberr(st, err, "cannot build a request in");
	store_done(st, s);
	return out;
}

/* Ticket fields as the agent sees them now. */
struct cur {
	int found;
	char *status, *priority, *type, *tags;
	int64_t assignee_id, group_id, updated_at;
};

static void
cur_free(struct cur *c)
{
	free(c->status);
	free(c->priority);
	free(c->type);
	free(c->tags);
}

static int
cur_read(struct store *st, int64_t id, struct cur *c, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT status, priority, type,"
	    " trim(tags), assignee_id, group_id, updated_at FROM tickets"
	    " WHERE id = ?1", err);
	int rc = store_step_id(s, id);

	memset(c, 0, sizeof(*c));
	if (rc == SQLITE_ROW) {
		c->found = 1;
		c->status = xstrdup(store_col_text(s, 0));
		c->priority = xstrdup(store_col_text(s, 1));
		c->type = xstrdup(store_col_text(s, 2));
		c->tags = xstrdup(store_col_text(s, 3));
		c->assignee_id = sqlite3_column_int64(s, 4);
		c->group_id = sqlite3_column_int64(s, 5);
		c->updated_at = sqlite3_column_int64(s, 6);
	}
	return store_step_end(st, s, rc, err) < 0 ? -1 : 0;
}



static void
summarize(struct buf *sum, const struct store_change *ch)
{
	if (ch->macro)
		buf_printf(sum, "macro '%s'", ch->macro);
	if (ch->category)
		buf_printf(sum, "category=%s", *ch->category ? ch->category :
		    "none");
	if (ch->status)
		buf_printf(sum, "%sstatus=%s", sum->len ? " " : "", ch->status);
	if (ch->priority)
		buf_printf(sum, "%spriority=%s", sum->len ? " " : "",
		    ch->priority);
	if (ch->type)
		buf_printf(sum, "%stype=%s", sum->len ? " " : "", ch->type);
	if (ch->assignee)
		buf_printf(sum, "%sassignee=%s", sum->len ? " " : "",
		    *ch->assignee ? ch->assignee : "none");
	if (ch->group)
		buf_printf(sum, "%sgroup=%s", sum->len ? " " : "",
		    *ch->group ? ch->group : "none");
	for (size_t i = 0; i < ch->n_add; i++)
		buf_printf(sum, "%s+%s", sum->len ? " " : "", ch->add_tags[i]);
	for (size_t i = 0; i < ch->n_remove; i++)
		buf_printf(sum, "%s-%s", sum->len ? " " : "",
		    ch->remove_tags[i]);
	if (ch->comment) {
		struct buf one = BUF_INIT;
		size_t cut = 0, chars = 0;
		text_sanitize(&one, ch->comment, strlen(ch->comment), 0);
		/* the first 60 characters, never half of one */
		while (cut < one.len && chars < 60) {
			uint32_t cp;
			cut += utf8_decode(one.data + cut, one.len - cut, &cp);
			chars++;
		}
		buf_printf(sum, "%s%s: %.*s%s", sum->len ? " " : "",
		    ch->comment_public ? "reply" : "note", (int)cut, one.data,
		    cut < one.len ? "..." : "");
		buf_free(&one);
	}
}

/* The kind of action a change makes. */
static enum store_outbox_kind
change_kind(const struct store_change *ch)
{
	if (ch->macro)
		return STORE_OUTBOX_MACRO;
	if (ch->category && !ch->status && !ch->priority && !ch->type &&
	    !ch->assignee && !ch->group && !ch->n_add && !ch->n_remove &&
	    !ch->comment)
		return STORE_OUTBOX_CATEGORY;
	if (ch->comment && !ch->status && !ch->priority && !ch->type &&
	    !ch->assignee && !ch->group && !ch->n_add && !ch->n_remove)
		return ch->comment_public ? STORE_OUTBOX_REPLY :
		    STORE_OUTBOX_NOTE;
	return STORE_OUTBOX_UPDATE;
}

int
store_ticket_changeable(int64_t id, const char *status,
    struct tdesk_err *err)
{
	if (status == NULL)
		return err_set(err, TDESK_ENOTFOUND, "no ticket %lld in this "
		    "desk", (long long)id), 0;
	if (strcmp(status, "closed") == 0)
		return err_set(err, TDESK_EUSAGE, "ticket %lld is closed: "
		    "closed tickets cannot be changed (ask the customer for a "
		    "follow-up)", (long long)id);
	return 1;
}

/* The ticket as the agent sees it, when it may be changed: 1, 0 when it
 * does not exist (err says so), -1 when it is closed or on an error. */
static int
action_ticket(struct store *st, int64_t id, struct cur *c,
    struct tdesk_err *err)
{
	if (cur_read(st, id, c, err) < 0)
		return -1;
	return store_ticket_changeable(id, c->found ? c->status : NULL, err);
}

/* What the change replaces, for undo: a JSON object (caller frees). */
static char *
undo_of(struct store *st, const struct store_change *ch, const struct cur *c,
    struct tdesk_err *err)
{
	struct jb undo = { .first = 1 };
	char *out;

	if (ch->status)
		jb_text(&undo, "status", c->status);
	if (ch->priority)
		jb_text(&undo, "priority", c->priority);
	if (ch->type)
		jb_text(&undo, "type", c->type);
	if (ch->assignee)
		jb_int(&undo, "assignee_id", c->assignee_id);
	if (ch->group)
		jb_int(&undo, "group_id", c->group_id);
	if (ch->n_add || ch->n_remove)
		jb_text(&undo, "tags", c->tags);
	out = jb_run(st, &undo, err);
	buf_free(&undo.sql);
	return out;
}

/* Tag names as the outbox keeps them: space separated, lower case. */
static void
tag_list(struct buf *out, const char *const *tags, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s%s", i ? " " : "", tags[i]);
	for (size_t i = 0; i < out->len; i++)
		if (out->data[i] >= 'A' && out->data[i] <= 'Z')
			out->data[i] = (char)(out->data[i] + 32);
}

/* The outbox row of a change: its id, or -1. */
static int64_t
outbox_insert(struct store *st, int64_t ticket_id,
    const struct store_change *ch, const char *sum, const char *undo,
    int64_t seen, const int64_t who[2], struct tdesk_err *err)
{
	struct buf add = BUF_INIT, rem = BUF_INIT;
	char uuid[37], stamp[21];
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO outbox(client_id,"
	    " ticket_id, kind, summary, undo, seen_updated_at, created_at,"
	    " change_status, change_priority, change_type,"
	    " change_assignee_id, change_group_id, add_tags, remove_tags,"
	    " comment, comment_public) VALUES(?1, ?2, ?3, ?4, ?6, ?7, ?8,"
	    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", err);
	int64_t out = -1;

	if (s == NULL)
		return -1;
	tag_list(&add, (const char *const *)ch->add_tags, ch->n_add);
	tag_list(&rem, (const char *const *)ch->remove_tags, ch->n_remove);
	uuid_v4(uuid);
	time_format_iso(seen, stamp);
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ticket_id);
	sqlite3_bind_text(s, 3, store_outbox_kind_name(change_kind(ch)), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 4, sum, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, undo, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, time_now());
	store_bind_text(s, 9, ch->status);
	/* "none" or "" clears */
	store_bind_text(s, 10, ch->priority == NULL ? NULL :
	    strcmp(ch->priority, "none") == 0 ? "" : ch->priority);
	store_bind_text(s, 11, ch->type == NULL ? NULL :
	    strcmp(ch->type, "none") == 0 ? "" : ch->type);
	if (ch->assignee)
		sqlite3_bind_int64(s, 12, who[0]);
	if (ch->group)
		sqlite3_bind_int64(s, 13, who[1]);
	sqlite3_bind_text(s, 14, add.data ? add.data : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 15, rem.data ? rem.data : "", -1, SQLITE_STATIC);
	store_bind_text(s, 16, ch->comment);
	sqlite3_bind_int(s, 17, ch->comment_public != 0);
	if (sqlite3_step(s) == SQLITE_DONE)
		out = sqlite3_last_insert_rowid(st->db);
	else
		store_dberr(st, err, "cannot write to");
	store_done(st, s);
	buf_free(&add);
	buf_free(&rem);
	return out;
}

/* The local copy of the change's comment (id -oid) until sync brings the
 * server's. */
static int
comment_insert(struct store *st, int64_t ticket_id, int64_t oid,
    const struct store_change *ch, struct tdesk_err *err)
{
	struct buf clean = BUF_INIT;
	char *me = NULL;
	sqlite3_stmt *s = NULL;
	int rc = -1;

	if (store_state_lookup(st, "me.id", &me, err) >= 0)
		s = store_prepare(st, "INSERT INTO comments(id, ticket_id,"
		    " author_id, body, public, created_at, outbox_id)"
		    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", err);
	if (s != NULL) {
		text_sanitize(&clean, ch->comment, strlen(ch->comment), 1);
		sqlite3_bind_int64(s, 1, -oid);
		sqlite3_bind_int64(s, 2, ticket_id);
		sqlite3_bind_int64(s, 3, me ? strtoll(me, NULL, 10) : 0);
		sqlite3_bind_text(s, 4, clean.data, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, ch->comment_public);
		sqlite3_bind_int64(s, 6, time_now());
		sqlite3_bind_int64(s, 7, oid);
		if (sqlite3_step(s) == SQLITE_DONE)
			rc = 0;
		else
			store_dberr(st, err, "cannot write to");
		store_done(st, s);
	}
	buf_free(&clean);
	free(me);
	if (rc == 0 && store_exec_id(st, "INSERT OR IGNORE INTO"
	    " fts_dirty(ticket_id) VALUES(?1)", ticket_id, NULL, err) < 0)
		rc = -1;
	return rc;
}

int64_t
store_action(struct store *st, int64_t ticket_id,
    const struct store_change *ch, struct tdesk_err *err)
{
	struct store_change redacted;
	struct buf sum = BUF_INIT;
	char *undo = NULL, *note = NULL;
	int64_t who[2] = { 0, 0 }, out = -1;
	struct cur c = { 0 };
	int rc;

	if (store_change_check(st, ch, err) < 0 ||
	    (ch->assignee && store_resolve_user(st, ch->assignee, &who[0],
	    err) < 0) ||
	    (ch->group && store_resolve_group(st, ch->group, &who[1],
	    err) < 0) ||
	    store_begin(st, err) < 0)
		return -1;
	if ((rc = action_ticket(st, ticket_id, &c, err)) <= 0)
		goto fail;
	/* the reply guard: one check for every public comment queued;
	 * internal notes pass, with any secret in them redacted */
	if (ch->comment && ch->comment_public && store_guard_gate(st,
	    ticket_id, ch->comment, ch->guard_override, err) < 0)
		goto fail;
	if (ch->comment && !ch->comment_public &&
	    (note = store_redact_note(st, ch->comment)) != NULL) {
		redacted = *ch;
		redacted.comment = note;
		ch = &redacted;
	}
	summarize(&sum, ch);
	if ((undo = undo_of(st, ch, &c, err)) == NULL ||
	    (out = outbox_insert(st, ticket_id, ch, sum.data, undo,
	    c.updated_at, who, err)) < 0 ||
	    store_outbox_apply(st, ticket_id, out, err) < 0 ||
	    store_origin_add(st, out, ch, err) < 0 ||
	    (ch->comment && comment_insert(st, ticket_id, out, ch, err) < 0) ||
	    store_audit(st, store_outbox_kind_name(change_kind(ch)),
	    ticket_id, sum.data, err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		out = -1;
	goto done;
fail:
	out = rc == 0 ? 0 : -1;
	store_rollback(st);
done:
	cur_free(&c);
	buf_free(&sum);
	free(undo);
	free(note);
	return out;
}
