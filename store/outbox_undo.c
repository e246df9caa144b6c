/* SPDX-License-Identifier: MIT */
/*
 * The replica side of the outbox: an action's change shows in the
 * replica's copy of its ticket (applied when queued, re-applied over a
 * fresher remote copy), and dropping an action undoes exactly what it
 * changed.
 */
#include "store/store_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Add (or remove) one tag in the ticket's space-framed list. */
static int
tag_edit(struct store *st, int64_t id, const char *tag, int add,
    struct tdesk_err *err)
{
	return store_exec_id(st, add ? "UPDATE tickets SET tags = CASE"
	    " WHEN tags = '' THEN ' ' ELSE tags END || ?2 || ' ' WHERE"
	    " id = ?1 AND instr(tags, ' ' || ?2 || ' ') = 0" :
	    "UPDATE tickets SET tags = replace(tags, ' ' || ?2 || ' ', ' ')"
	    " WHERE id = ?1", id, tag, err);
}

/* After the tags changed: an empty list is ''. Queries read
 * tickets.tags; the ticket_tags catalogue follows at the next
 * store_fts_refresh, like every derived row. */
static int
tags_done(struct store *st, int64_t id, struct tdesk_err *err)
{
	if (store_exec_id(st, "UPDATE tickets SET tags = '' WHERE id = ?1"
	    " AND trim(tags) = ''", id, NULL, err) < 0 ||
	    store_exec_id(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
	    " VALUES(?1)", id, NULL, err) < 0)
		return -1;
	return 0;
}

/*
 * Put back the values an undo object holds (status, priority, type,
 * assignee_id, group_id, tags: tdesk's own JSON, see store_action) in
 * the replica's copy of the ticket.
 */
static int
apply_undo(struct store *st, int64_t id, const char *body,
    struct tdesk_err *err)
{
	/* one statement for the fields and their sort ranks (SET sees the
	 * old row, so the new values are spelled out twice) */
#define NEW_PRIORITY "(CASE json_type(?2, '$.priority') WHEN 'null'" \
	" THEN '' WHEN 'text' THEN ?2 ->> '$.priority' ELSE priority END)"
	static const char upd[] =
	    "UPDATE tickets SET"
	    " status = coalesce(?2 ->> '$.status', status),"
	    " status_rank = coalesce(status_rank(?2 ->> '$.status'),"
	    "  status_rank),"
	    " priority = " NEW_PRIORITY ","
	    " priority_rank = coalesce(priority_rank(" NEW_PRIORITY "), 0),"
	    " urgent = urgent OR " NEW_PRIORITY " = 'urgent',"
	    " type = CASE json_type(?2, '$.type') WHEN 'null' THEN ''"
	    "  WHEN 'text' THEN ?2 ->> '$.type' ELSE type END,"
	    " assignee_id = CASE json_type(?2, '$.assignee_id')"
	    "  WHEN 'null' THEN 0 WHEN 'integer' THEN ?2 ->> '$.assignee_id'"
	    "  ELSE assignee_id END,"
	    " group_id = CASE json_type(?2, '$.group_id')"
	    "  WHEN 'null' THEN 0 WHEN 'integer' THEN ?2 ->> '$.group_id'"
	    "  ELSE group_id END,"
	    " tags = CASE WHEN json_type(?2, '$.tags') = 'array' THEN"
	    "  ' ' || (SELECT group_concat(value, ' ') FROM"
	    "  json_each(?2, '$.tags')) || ' ' ELSE tags END"
	    " WHERE id = ?1";
#undef NEW_PRIORITY

	if (store_exec_id(st, upd, id, body, err) < 0)
		return -1;
	return strstr(body, "\"tags\"") ? tags_done(st, id, err) : 0;
}

int
store_outbox_apply(struct store *st, int64_t id, int64_t oid,
    struct tdesk_err *err)
{
	/* SET sees the old row, so the new values are spelled out twice */
#define NEW(col, field) "coalesce((SELECT " field " FROM outbox" \
	" WHERE id = ?2), " col ")"
	static const char upd[] =
	    "UPDATE tickets SET"
	    " status = " NEW("status", "change_status") ","
	    " status_rank = coalesce(status_rank("
	    NEW("status", "change_status") "), status_rank),"
	    " priority = " NEW("priority", "change_priority") ","
	    " priority_rank = coalesce(priority_rank("
	    NEW("priority", "change_priority") "), 0),"
	    " urgent = urgent OR " NEW("priority", "change_priority")
	    "  = 'urgent',"
	    " type = " NEW("type", "change_type") ","
	    " assignee_id = " NEW("assignee_id", "change_assignee_id") ","
	    " group_id = " NEW("group_id", "change_group_id")
	    " WHERE id = ?1";
#undef NEW
	sqlite3_stmt *s = store_prepare(st, upd, err);
	char *add = NULL, *rem = NULL;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, oid);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	if ((s = store_prepare(st, "SELECT add_tags, remove_tags FROM outbox"
	    " WHERE id = ?1", err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, oid);
	if (sqlite3_step(s) == SQLITE_ROW) {
		add = xstrdup(store_col_text(s, 0));
		rem = xstrdup(store_col_text(s, 1));
	}
	store_done(st, s);
	if (add == NULL || (*add == '\0' && *rem == '\0')) {
		free(add);
		free(rem);
		return 0;
	}
	/* tags: add and remove in the space-framed list */
	rc = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		char *list = pass ? rem : add, *save = NULL;
		for (char *t = strtok_r(list, " ", &save); t && rc == 0;
		    t = strtok_r(NULL, " ", &save))
			rc = tag_edit(st, id, t, !pass, err);
	}
	free(add);
	free(rem);
	return rc < 0 ? -1 : tags_done(st, id, err);
}

int
store_outbox_reapply(struct store *st, int64_t ticket_id,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id FROM outbox"
	    " WHERE ticket_id = ?1 AND state IN " OB_SQL_LIVE " ORDER BY id",
	    err);
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_dberr(st, err, "cannot read");
	}
	for (size_t i = 0; i < n; i++)
		if (store_outbox_apply(st, ticket_id, ids[i], err) < 0) {
			free(ids);
			return -1;
		}
	free(ids);
	return 0;
}

/*
 * The request body that puts back the fields of an undo object (the
 * values before an action): tags as a list, "" and 0 as null.
 */
static int
undo_body(struct store *st, const char *undo, struct buf *restore,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT key, value, type FROM json_each(?1)", err);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, undo, -1, SQLITE_STATIC);
	buf_adds(restore, "{");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = store_col_text(s, 0);
		/* keys come from our own undo objects: plain names */
		if (strspn(key, "abcdefghijklmnopqrstuvwxyz_") != strlen(key))
			continue;
		if (strcmp(key, "tags") == 0) {
			buf_printf(restore, "%s\"tags\":", n++ ? "," : "");
			sqlite3_stmt *t = store_prepare(st, "SELECT json_group_"
			    "array(value) FROM json_each('[\"' || replace("
			    "replace(replace(?1, '\\', ''), '\"', ''), ' ',"
			    " '\",\"') || '\"]') WHERE value <> ''", err);
			if (t == NULL) {
				store_done(st, s);
				return -1;
			}
			sqlite3_bind_text(t, 1, store_col_text(s, 1), -1,
			    SQLITE_STATIC);
			if (sqlite3_step(t) != SQLITE_ROW) {
				store_dberr(st, err, "cannot read");
				store_done(st, t);
				store_done(st, s);
				return -1;
			}
			buf_adds(restore, store_col_text(t, 0));
			store_done(st, t);
			continue;
		}
		const char *type = store_col_text(s, 2);
		if (!strcmp(type, "integer")) {
			long long v = sqlite3_column_int64(s, 1);
			if (v)
				buf_printf(restore, "%s\"%s\":%lld",
				    n++ ? "," : "", key, v);
			else
				buf_printf(restore, "%s\"%s\":null",
				    n++ ? "," : "", key);
		} else if (!strcmp(type, "null")) {
			buf_printf(restore, "%s\"%s\":null", n++ ? "," : "",
			    key);
		} else {
			/* status/priority/type values: plain words */
			const char *v = store_col_text(s, 1);
			if (strspn(v, "abcdefghijklmnopqrstuvwxyz_") !=
			    strlen(v))
				continue;
			if (*v)
				buf_printf(restore, "%s\"%s\":\"%s\"",
				    n++ ? "," : "", key, v);
			else
				buf_printf(restore, "%s\"%s\":null",
				    n++ ? "," : "", key);
		}
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	buf_addc(restore, '}');
	return 0;
}

/* Whether action id may be dropped: 1 yes (its ticket in *ticket), 0 no
 * such action waiting, -1 not now (being sent; kind CONFLICT) or a
 * database error. */
static int
drop_state(struct store *st, int64_t id, int64_t *ticket,
    struct tdesk_err *err)
{
	enum store_outbox_state state;
	int rc = store_outbox_row_state(st, id, &state, ticket, err);

	if (rc < 0)
		return -1;
	if (rc == 0 || state == STORE_OUTBOX_DONE)
		return err_set(err, TDESK_ENOTFOUND, "no action %lld waiting "
		    "in the outbox", (long long)id), 0;
	if (state == STORE_OUTBOX_INFLIGHT)
		return err_set(err, TDESK_ECONFLICT, "action %lld is being "
		    "sent right now (or a sync was interrupted): run 'tdesk "
		    "sync' first", (long long)id);
	return 1;
}

static int
drop_check(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	int64_t ticket;

	(void)arg;
	return drop_state(st, id, &ticket, err);
}

/* The live actions of a ticket from one on, newest first, with the undo
 * object each holds. */
struct later {
	int64_t *ids;
	char **undos;
	size_t n, cap;
};

static void
later_free(struct later *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->undos[i]);
	free(l->undos);
	free(l->ids);
}

static int
later_read(struct store *st, int64_t ticket, int64_t id, struct later *l,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, undo FROM outbox"
	    " WHERE ticket_id = ?1 AND id >= ?2 AND state IN " OB_SQL_LIVE
	    " ORDER BY id DESC", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket);
	sqlite3_bind_int64(s, 2, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 8;
			l->ids = xrealloc(l->ids, l->cap * sizeof(*l->ids));
			l->undos = xrealloc(l->undos,
			    l->cap * sizeof(*l->undos));
		}
		l->ids[l->n] = sqlite3_column_int64(s, 0);
		l->undos[l->n++] = xstrdup(store_col_text(s, 1));
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return 0;
}

/* Undo each of the actions, newest first. */
static int
later_undo(struct store *st, int64_t ticket, const struct later *l,
    struct tdesk_err *err)
{
	for (size_t i = 0; i < l->n; i++) {
		struct buf restore = BUF_INIT;
		int rc = undo_body(st, l->undos[i], &restore, err);
		if (rc == 0)
			rc = apply_undo(st, ticket, restore.data, err);
		buf_free(&restore);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Apply the actions but the dropped one again, oldest first, on what is
 * there now, each with its undo taken afresh. */
static int
later_redo(struct store *st, int64_t ticket, int64_t dropped,
    const struct later *l, struct tdesk_err *err)
{
	static const char undo_again[] = "UPDATE outbox SET undo = (SELECT"
	    " json_group_object(j.key, CASE j.key"
	    " WHEN 'status' THEN t.status"
	    " WHEN 'priority' THEN t.priority"
	    " WHEN 'type' THEN t.type"
	    " WHEN 'assignee_id' THEN nullif(t.assignee_id, 0)"
	    " WHEN 'group_id' THEN nullif(t.group_id, 0)"
	    " WHEN 'tags' THEN trim(t.tags) END)"
	    " FROM json_each(outbox.undo) j, tickets t"
	    " WHERE t.id = outbox.ticket_id) WHERE id = ?1";

	for (size_t i = l->n; i-- > 0;) {
		if (l->ids[i] == dropped)
			continue;
		if (store_exec_id(st, undo_again, l->ids[i], NULL, err) < 0 ||
		    store_outbox_apply(st, ticket, l->ids[i], err) < 0)
			return -1;
	}
	return 0;
}

/*
 * Dropping restores exactly what the action changed: the actions still
 * applied to the ticket from this one on are undone newest first (each
 * undo holds the fields' values from just before its action), this one
 * is deleted, and the later ones are applied again in order, each with
 * its undo taken afresh. So an earlier tag action's tag leaves the
 * ticket while later actions' tags stay.
 */
int
store_outbox_drop(struct store *st, int64_t id, struct tdesk_err *err)
{
	struct later l = { 0 };
	int64_t ticket = 0;
	char detail[64];
	int rc;

	if (store_begin(st, err) < 0)
		return -1;
	rc = drop_state(st, id, &ticket, err);
	if (rc > 0 && (later_read(st, ticket, id, &l, err) < 0 ||
	    later_undo(st, ticket, &l, err) < 0 ||
	    store_exec_id(st, "DELETE FROM comments WHERE outbox_id = ?1", id,
	    NULL, err) < 0 ||
	    store_exec_id(st, "DELETE FROM outbox WHERE id = ?1", id, NULL,
	    err) < 0 ||
	    later_redo(st, ticket, id, &l, err) < 0 ||
	    store_exec_id(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
	    " VALUES(?1)", ticket, NULL, err) < 0))
		rc = -1;
	if (rc > 0) {
		snprintf(detail, sizeof(detail), "dropped outbox action %lld",
		    (long long)id);
		rc = store_audit(st, "drop", ticket, detail, err) < 0 ? -1 : 1;
	}
	later_free(&l);
	if (rc <= 0) {
		store_rollback(st);
		return rc < 0 ? -1 : 0;
	}
	if (store_commit(st, err) < 0)
		return -1;
	return rc;
}

static int64_t
drop_write(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	(void)arg;
	return store_outbox_drop(st, id, err);
}

int
store_outbox_drop_many(struct store *st, const int64_t *ids, size_t n,
    const volatile sig_atomic_t *stop, struct tdesk_err *err)
{
	struct store_multi b = {
		.what = "drop", .check = drop_check, .write = drop_write,
		.stop = stop,
	};

	return store_multi_run(st, ids, n, &b, err);
}
