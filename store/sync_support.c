/* SPDX-License-Identifier: MIT */
/*
 * What sync/ needs from the replica beyond the public store API: the
 * bookkeeping of full passes and comment fetches. Vendor-neutral: the
 * backends (sync/zendesk*.c) read and build their own wire formats.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
bind_json(sqlite3_stmt *s, int i, const char *json, size_t len)
{
	sqlite3_bind_text(s, i, json, (int)len, SQLITE_STATIC);
}

static int
json_err(struct store *st, struct tdesk_err *err)
{
	const char *m = sqlite3_errmsg(st->db);

	if (strstr(m, "JSON") || strstr(m, "json"))
		return err_set(err, TDESK_ENETWORK,
		    "the server sent invalid JSON");
	return store_dberr(st, err, "cannot read JSON");
}

int
store_sync_seen_reset(struct store *st, struct tdesk_err *err)
{
	return store_exec(st, "CREATE TEMP TABLE IF NOT EXISTS sync_seen("
	    " id INTEGER PRIMARY KEY); DELETE FROM temp.sync_seen", err);
}

int
store_sync_seen_add(struct store *st, const char *ids, size_t len,
    struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc;

	/* ids: a JSON array from store_ingest_stats.ids, so no ticket is
	 * rendered and parsed again */
	s = store_prepare(st, "INSERT OR IGNORE INTO temp.sync_seen(id)"
	    " SELECT value FROM json_each(?1) WHERE type = 'integer'", err);
	if (s == NULL)
		return -1;
	bind_json(s, 1, ids, len);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return json_err(st, err);
	return 0;
}

static int
collect_ids(struct store *st, sqlite3_stmt *s, int64_t **ids, size_t *n,
    struct tdesk_err *err)
{
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return store_dberr(st, err, "cannot read");
	}
	return 0;
}

int
store_sync_unseen_assigned(struct store *st, int64_t me_id, int64_t **ids,
    size_t *n, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id FROM tickets"
	    " WHERE assignee_id = ?1 AND id NOT IN (SELECT id FROM"
	    " temp.sync_seen) ORDER BY id", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, me_id);
	rc = collect_ids(st, s, ids, n, err);
	store_done(st, s);
	return rc;
}

static int
count_query(struct store *st, const char *sql, int64_t arg, int64_t *n,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, sql, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, arg);
	*n = 0;
	return store_step_int(st, s, n, err) < 0 ? -1 : 0;
}

int
store_sync_count_assigned(struct store *st, int64_t me_id, int64_t *n,
    struct tdesk_err *err)
{
	/* kept by triggers (migration 12): no count over the desk */
	return count_query(st, "SELECT coalesce((SELECT n FROM"
	    " assignee_counts WHERE assignee_id = ?1), 0)", me_id, n, err);
}

int
store_sync_ticket_known(struct store *st, int64_t id, struct tdesk_err *err)
{
	int64_t n;

	if (count_query(st, "SELECT count(*) FROM tickets WHERE id = ?1",
	    id, &n, err) < 0)
		return -1;
	return n > 0;
}

int
store_sync_ticket_forget(struct store *st, int64_t id, struct tdesk_err *err)
{
	static const char *const sqls[] = {
		"DELETE FROM comments WHERE ticket_id = ?1",
		"DELETE FROM ticket_tags WHERE ticket_id = ?1",
		"DELETE FROM slas WHERE ticket_id = ?1",
		"DELETE FROM tickets WHERE id = ?1",
		"INSERT OR IGNORE INTO fts_dirty(ticket_id) VALUES(?1)",
	};
	int64_t waiting;
	size_t i;

	if (count_query(st, "SELECT count(*) FROM outbox WHERE ticket_id = ?1"
	    " AND state <> " OB_SQL(DONE), id, &waiting, err) < 0)
		return -1;
	if (waiting > 0)
		return 0;
	if (store_begin(st, err) < 0)
		return -1;
	for (i = 0; i < ARRAY_LEN(sqls); i++)
		if (store_exec_id(st, sqls[i], id, NULL, err) < 0) {
			store_rollback(st);
			return -1;
		}
	return store_commit(st, err);
}

int
store_sync_comments_todo(struct store *st, int64_t since, int inactive,
    struct store_sync_todo **out, size_t *n, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	s = store_prepare(st, "SELECT t.id, t.updated_at FROM tickets t"
	    " WHERE t.updated_at >= ?1 AND (?2 OR t.status_rank < 4)"
	    " AND NOT EXISTS (SELECT 1 FROM sync_comment_marks m"
	    "  WHERE m.ticket_id = t.id AND m.updated_at >= t.updated_at)"
	    " ORDER BY t.status_rank >= 4, t.sla_breach_at,"
	    " t.priority_rank DESC, t.updated_at DESC", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int(s, 2, inactive != 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].id = sqlite3_column_int64(s, 0);
		(*out)[*n].updated_at = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_dberr(st, err, "cannot read");
	}
	return 0;
}

int
store_sync_comments_mark(struct store *st, int64_t id, int64_t updated_at,
    struct tdesk_err *err)
{
	sqlite3_stmt *s;

	if (id == 0)
		return store_exec(st, "INSERT OR REPLACE INTO"
		    " sync_comment_marks(ticket_id, updated_at)"
		    " SELECT id, updated_at FROM tickets"
		    " WHERE status_rank >= 4", err);
	s = store_prepare(st, "INSERT OR REPLACE INTO"
	    " sync_comment_marks(ticket_id, updated_at) VALUES(?1, ?2)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, updated_at);
	return store_step_done(st, s, err);
}
