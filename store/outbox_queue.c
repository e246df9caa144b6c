/* SPDX-License-Identifier: MIT */
/*
 * Reading the outbox and settling its actions: the rows as the CLI, the UI
 * and sync/ see them, keep and edit of conflicts and failures, and the
 * push's bookkeeping (states, the stamp each copy was sent on).
 */
#include "store/store_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_(e) [STORE_OUTBOX_##e] = STORE_OUTBOX_##e##_NAME,
static const char *const state_names[] = { STORE_OUTBOX_STATES(NAME_) };
static const char *const kind_names[] = { STORE_OUTBOX_KINDS(NAME_) };
#undef NAME_

static int
name_find(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

const char *
store_outbox_state_name(enum store_outbox_state s)
{
	return (unsigned)s < STORE_OUTBOX_N_STATES ? state_names[s] : "?";
}

const char *
store_outbox_kind_name(enum store_outbox_kind k)
{
	return (unsigned)k < STORE_OUTBOX_N_KINDS ? kind_names[k] : "?";
}

int
store_outbox_state_parse(const char *name, enum store_outbox_state *out)
{
	int i = name_find(state_names, STORE_OUTBOX_N_STATES, name);

	if (i < 0)
		return 0;
	*out = (enum store_outbox_state)i;
	return 1;
}

int
store_outbox_kind_parse(const char *name, enum store_outbox_kind *out)
{
	int i = name_find(kind_names, STORE_OUTBOX_N_KINDS, name);

	if (i < 0)
		return 0;
	*out = (enum store_outbox_kind)i;
	return 1;
}

int
store_outbox_state_live(enum store_outbox_state s)
{
	return s != STORE_OUTBOX_DONE;
}

static const char *
col_or_null(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL :
	    store_col_text(s, i);
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
store_outbox_change_dup(struct store_outbox_change *dst,
    const struct store_outbox_change *src)
{
	*dst = *src;
	dst->status = dup_or_null(src->status);
	dst->priority = dup_or_null(src->priority);
	dst->type = dup_or_null(src->type);
	dst->add_tags = xstrdup(src->add_tags ? src->add_tags : "");
	dst->remove_tags = xstrdup(src->remove_tags ? src->remove_tags : "");
	dst->comment = dup_or_null(src->comment);
}

void
store_outbox_change_free(struct store_outbox_change *c)
{
	free((char *)(uintptr_t)c->status);
	free((char *)(uintptr_t)c->priority);
	free((char *)(uintptr_t)c->type);
	free((char *)(uintptr_t)c->add_tags);
	free((char *)(uintptr_t)c->remove_tags);
	free((char *)(uintptr_t)c->comment);
	memset(c, 0, sizeof(*c));
}

static int
outbox_row(sqlite3_stmt *s, void *cb)
{
	struct store_cb *c = cb;
	struct store_outbox_row r = {
		.id = sqlite3_column_int64(s, 0),
		.ticket_id = sqlite3_column_int64(s, 2),
		.summary = store_col_text(s, 5),
		.ch = {
			.status = col_or_null(s, 12),
			.priority = col_or_null(s, 13),
			.type = col_or_null(s, 14),
			.assignee_id = sqlite3_column_int64(s, 15),
			.group_id = sqlite3_column_int64(s, 16),
			.add_tags = store_col_text(s, 17),
			.remove_tags = store_col_text(s, 18),
			.comment = col_or_null(s, 19),
			.comment_public = sqlite3_column_int(s, 20),
		},
		.error = store_col_text(s, 7),
		.seen_updated_at = store_col_text(s, 8),
		.undo = store_col_text(s, 9),
		.created_at = sqlite3_column_int64(s, 10),
		.attempts = sqlite3_column_int(s, 11),
		.sent_stamp = store_col_text(s, 21),
	};

	snprintf(r.client_id, sizeof(r.client_id), "%s", store_col_text(s, 1));
	if (!store_outbox_kind_parse(store_col_text(s, 3), &r.kind) ||
	    !store_outbox_state_parse(store_col_text(s, 4), &r.state)) {
		c->bad = r.id;	/* kind or state unknown to this tdesk */
		return 1;
	}
	return c->fn.outbox ? c->fn.outbox(&r, c->arg) : 0;
}

/* The rows where sql holds, oldest first: how many, or -1. */
static int64_t
outbox_rows(struct store *st, const char *where, int64_t id,
    store_outbox_fn fn, void *arg, struct tdesk_err *err)
{
	struct store_cb cb = { .fn.outbox = fn, .arg = arg };
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int64_t n;

	buf_printf(&sql, "SELECT id, client_id, ticket_id, kind, state,"
	    " summary, NULL, error, seen_updated_at, undo, created_at,"
	    " attempts, change_status, change_priority, change_type,"
	    " coalesce(change_assignee_id, -1), coalesce(change_group_id, -1),"
	    " add_tags, remove_tags, comment, comment_public, sent_stamp"
	    " FROM outbox WHERE %s ORDER BY id", where);
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return -1;
	if (id)
		sqlite3_bind_int64(s, 1, id);
	n = store_step_rows(st, s, outbox_row, &cb, err);
	if (n >= 0 && cb.bad)
		return err_set(err, TDESK_EGENERIC, "action %lld has a kind or "
		    "state this tdesk does not know", (long long)cb.bad);
	return n;
}

int
store_outbox_list(struct store *st, int all, store_outbox_fn fn, void *arg,
    struct tdesk_err *err)
{
	return outbox_rows(st, all ? "1" : "state <> " OB_SQL(DONE), 0, fn,
	    arg, err) < 0 ? -1 : 0;
}

int
store_outbox_get(struct store *st, int64_t id, store_outbox_fn fn, void *arg,
    struct tdesk_err *err)
{
	int64_t n = outbox_rows(st, "id = ?1", id, fn, arg, err);

	return n < 0 ? -1 : n > 0;
}

int
store_outbox_row_state(struct store *st, int64_t id,
    enum store_outbox_state *state, int64_t *ticket, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT state, ticket_id"
	    " FROM outbox WHERE id = ?1", err);
	int rc, known = 1;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		known = store_outbox_state_parse(store_col_text(s, 0), state);
		*ticket = sqlite3_column_int64(s, 1);
	}
	store_done(st, s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_dberr(st, err, "cannot read");
	if (!known)
		return err_set(err, TDESK_EGENERIC, "action %lld has a state "
		    "this tdesk does not know", (long long)id);
	return 1;
}

/* Whether action id may be kept or edited: 1 yes (its ticket in *ticket),
 * 0 not in the outbox, -1 not in a state that allows it, or an error. */
static int
retry_state(struct store *st, int64_t id, int64_t *ticket,
    struct tdesk_err *err)
{
	enum store_outbox_state state;
	int rc = store_outbox_row_state(st, id, &state, ticket, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, TDESK_ENOTFOUND, "no action %lld in the "
		    "outbox", (long long)id), 0;
	if (state != STORE_OUTBOX_CONFLICT && state != STORE_OUTBOX_FAILED)
		return err_set(err, TDESK_EUSAGE, "action %lld is %s: only "
		    "conflicts and failures can be kept or edited",
		    (long long)id, store_outbox_state_name(state));
	return 1;
}

static int
retry_check(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	int64_t ticket;

	(void)arg;
	return retry_state(st, id, &ticket, err);
}

static int64_t
retry_write(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	return store_outbox_retry(st, id, arg, err);
}

int
store_outbox_retry_many(struct store *st, const int64_t *ids, size_t n,
    const char *new_body, const volatile sig_atomic_t *stop,
    struct tdesk_err *err)
{
	struct store_multi b = {
		.what = new_body ? "edit" : "keep", .check = retry_check,
		.write = retry_write, .arg = (void *)new_body, .stop = stop,
	};

	if (new_body && (!utf8_valid(new_body, strlen(new_body)) ||
	    strspn(new_body, " \t\r\n") == strlen(new_body)))
		return err_set(err, TDESK_EUSAGE, "the new message is empty or "
		    "not valid UTF-8");
	return store_multi_run(st, ids, n, &b, err);
}

/* An edited public comment passes the reply guard like a new one. */
static int
guard_edit(struct store *st, int64_t id, int64_t ticket, const char *body,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT comment_public FROM outbox"
	    " WHERE id = ?1", err);
	int pub;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	pub = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
	store_done(st, s);
	return pub ? store_guard_gate(st, ticket, body, NULL, err) : 0;
}

int
store_outbox_retry(struct store *st, int64_t id, const char *new_body,
    struct tdesk_err *err)
{
	int64_t ticket;
	int rc;

	if (new_body && (!utf8_valid(new_body, strlen(new_body)) ||
	    strspn(new_body, " \t\r\n") == strlen(new_body)))
		return err_set(err, TDESK_EUSAGE, "the new message is empty or "
		    "not valid UTF-8");
	if (store_begin(st, err) < 0)
		return -1;
	rc = retry_state(st, id, &ticket, err);
	if (rc <= 0)
		goto out;
	/* attempts stay: a copy sent before may still exist, so the push
	 * looks before it sends (sync/push.c, R2-R3); the action is meant
	 * for the ticket as it is now */
	if (store_exec_id(st, "UPDATE outbox SET state = " OB_SQL(PENDING)
	    ", error = '',"
	    " sent_stamp = '', seen_updated_at = (SELECT strftime("
	    "'%Y-%m-%dT%H:%M:%SZ', updated_at, 'unixepoch') FROM tickets"
	    " WHERE id = outbox.ticket_id) WHERE id = ?1", id, NULL, err) < 0) {
		rc = -1;
		goto out;
	}
	if (new_body && guard_edit(st, id, ticket, new_body, err) < 0) {
		rc = -1;
		goto out;
	}
	if (new_body) {
		struct buf clean = BUF_INIT;
		text_sanitize(&clean, new_body, strlen(new_body), 1);
		rc = store_exec_id(st, "UPDATE outbox SET comment = ?2 WHERE"
		    " id = ?1 AND comment IS NOT NULL", id, new_body, err);
		if (rc == 0)
			rc = store_exec_id(st, "UPDATE comments SET body = ?2 WHERE"
			    " outbox_id = ?1", id, clean.data, err);
		buf_free(&clean);
		if (rc < 0)
			goto out;
	}
	rc = store_audit(st, new_body ? "edit" : "keep", ticket,
	    new_body ? "edited and re-queued" : "re-queued on the new stamp",
	    err) < 0 ? -1 : 1;
out:
	if (rc < 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st, err) < 0)
		return -1;
	return rc;
}

int
store_outbox_set_state(struct store *st, int64_t id,
    enum store_outbox_state state, const char *error, struct tdesk_err *err)
{
	const char *name = store_outbox_state_name(state);
	sqlite3_stmt *s;
	int rc, audit = state == STORE_OUTBOX_DONE ||
	    state == STORE_OUTBOX_FAILED || state == STORE_OUTBOX_CONFLICT;

	if ((unsigned)state >= STORE_OUTBOX_N_STATES)
		BUG("outbox state %d", (int)state);
	/* sent, failed and conflicts are audited with the change */
	if (audit && store_begin(st, err) < 0)
		return -1;
	s = store_prepare(st, "UPDATE outbox SET state = ?2,"
	    " error = ?3, attempts = attempts + (?2 = " OB_SQL(INFLIGHT) ")"
	    " WHERE id = ?1 RETURNING ticket_id", err);
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, error ? error : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	int64_t ticket = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		store_dberr(st, err, "cannot write to");
		goto fail;
	}
	if (!audit)
		return 0;
	if (ticket) {
		char *d = xasprintf("action %lld%s%s", (long long)id,
		    error && *error ? ": " : "", error ? error : "");
		rc = store_audit(st, state == STORE_OUTBOX_DONE ? "sent" : name,
		    ticket, d, err);
		free(d);
		if (rc < 0)
			goto fail;
	}
	return store_commit(st, err);
fail:
	if (audit)
		store_rollback(st);
	return -1;
}

int
store_outbox_mark_sent(struct store *st, int64_t id, const char *stamp,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE outbox SET"
	    " state = " OB_SQL(INFLIGHT) ", sent_stamp = ?2,"
	    " attempts = attempts + 1, error = '' WHERE id = ?1"
	    " AND state IN (" OB_SQL(PENDING) ", " OB_SQL(INFLIGHT) ")", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, stamp ? stamp : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	return sqlite3_changes(st->db) == 1;
}

int
store_outbox_count(struct store *st, enum store_outbox_state state,
    int64_t *n, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT count(*) FROM outbox WHERE state = ?1", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, store_outbox_state_name(state), -1,
	    SQLITE_STATIC);
	*n = 0;
	return store_step_int(st, s, n, err) < 0 ? -1 : 0;
}
