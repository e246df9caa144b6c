/* SPDX-License-Identifier: MIT */
/*
 * What sync/ needs from the replica beyond the public store API: reading
 * API responses and building request bodies with SQLite's JSON functions,
 * the bookkeeping of full passes and comment fetches, and the collision
 * check after a 409.
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
store_json_get(struct store *st, const char *json, size_t len,
    const char *path, char **out, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc, found = 0;

	*out = NULL;
	if (len > INT32_MAX)
		return err_set(err, TDESK_ENETWORK, "response too large");
	s = store_prepare(st, "SELECT json_valid(?1),"
	    " CASE WHEN json_valid(?1) THEN json_type(?1, ?2) END,"
	    " CASE WHEN json_valid(?1) THEN json_extract(?1, ?2) END", err);
	if (s == NULL)
		return -1;
	bind_json(s, 1, json, len);
	sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		store_done(st, s);
		return json_err(st, err);
	}
	if (!sqlite3_column_int(s, 0)) {
		store_done(st, s);
		return err_set(err, TDESK_ENETWORK,
		    "the server sent invalid JSON");
	}
	if (sqlite3_column_type(s, 1) != SQLITE_NULL &&
	    strcmp(store_col_text(s, 1), "null") != 0) {
		*out = xstrdup(store_col_text(s, 2));
		found = 1;
	}
	store_done(st, s);
	return found;
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
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_done(st, s);
		return store_dberr(st, err, "cannot read");
	}
	*n = sqlite3_column_int64(s, 0);
	store_done(st, s);
	return 0;
}

int
store_sync_count_assigned(struct store *st, int64_t me_id, int64_t *n,
    struct tdesk_err *err)
{
	return count_query(st, "SELECT count(*) FROM tickets"
	    " WHERE assignee_id = ?1", me_id, n, err);
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
	    " AND state <> 'done'", id, &waiting, err) < 0)
		return -1;
	if (waiting > 0)
		return 0;
	if (store_begin(st, err) < 0)
		return -1;
	for (i = 0; i < ARRAY_LEN(sqls); i++) {
		sqlite3_stmt *s = store_prepare(st, sqls[i], err);
		int rc;

		if (s == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, id);
		rc = sqlite3_step(s);
		store_done(st, s);
		if (rc != SQLITE_DONE) {
			store_dberr(st, err, "cannot update");
			goto fail;
		}
	}
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
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
	int rc;

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
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write");
	return 0;
}

int
store_sync_push_body(struct store *st, const char *body, const char *stamp,
    const char *client_id, char **out, struct tdesk_err *err)
{
	sqlite3_stmt *s;

	*out = NULL;
	s = store_prepare(st, "SELECT json_object('ticket', json_set(json(?1),"
	    " '$.safe_update', json('true'), '$.updated_stamp', ?2,"
	    " '$.metadata.client_msg_id', ?3))", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, body, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, client_id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_dberr(st, err, "cannot build the request for action");
		store_done(st, s);
		return -1;
	}
	*out = xstrdup(store_col_text(s, 0));
	store_done(st, s);
	return 0;
}

int
store_sync_audits_find(struct store *st, const char *json, size_t len,
    const char *client_id, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*)"
	    " FROM json_each(?1, '$.audits') a"
	    " WHERE a.value->>'$.metadata.custom.client_msg_id' = ?2", err);
	int found;

	if (s == NULL)
		return -1;
	bind_json(s, 1, json, len);
	sqlite3_bind_text(s, 2, client_id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_done(st, s);
		return json_err(st, err);
	}
	found = sqlite3_column_int64(s, 0) > 0;
	store_done(st, s);
	return found;
}

char *
store_sync_error_text(struct store *st, const char *json, size_t len)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT CASE WHEN json_valid(?1)"
	    " THEN trim(coalesce(json_extract(?1, '$.description'),"
	    "  json_extract(?1, '$.error.message'),"
	    "  json_extract(?1, '$.error.title'),"
	    "  json_extract(?1, '$.errors[0].detail'),"
	    "  json_extract(?1, '$.errors[0].title'),"
	    "  CASE json_type(?1, '$.error') WHEN 'text'"
	    "   THEN json_extract(?1, '$.error') END, '')"
	    " || coalesce(': ' || (SELECT group_concat(d.key || ' ' ||"
	    "   coalesce(e.value->>'description', e.value), '; ')"
	    "   FROM json_each(?1, '$.details') d, json_each(d.value) e), ''))"
	    " END", NULL);
	char *out = NULL;

	if (s == NULL || len > INT32_MAX)
		goto done;
	bind_json(s, 1, json, len);
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL &&
	    *store_col_text(s, 0) != '\0') {
		struct buf b = BUF_INIT;
		const char *t = store_col_text(s, 0);

		text_sanitize(&b, t, strlen(t), 0);
		out = buf_detach(&b);
	}
done:
	store_done(st, s);
	return out;
}

/* Field collisions: fields the action sets whose remote value is neither
 * what the agent saw nor what the action sets. */
static int
field_collisions(struct store *st, const char *ticket, size_t ticket_len,
    const struct store_outbox_row *row, struct buf *why,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT key,"
	    " coalesce(nullif(seen, ''), 'none'),"
	    " coalesce(nullif(remote, ''), 'none'),"
	    " coalesce(nullif(mine, ''), 'none') FROM (SELECT u.key AS key,"
	    "  coalesce(nullif(CAST(u.value AS TEXT), '0'), '') AS seen,"
	    "  coalesce(nullif(CAST(json_extract(?1, '$.ticket.' || u.key)"
	    "   AS TEXT), '0'), '') AS remote,"
	    "  coalesce(nullif(CAST(json_extract(?2, '$.' || u.key)"
	    "   AS TEXT), '0'), '') AS mine,"
	    "  json_type(?2, '$.' || u.key) AS t"
	    "  FROM json_each(?3) u"
	    "  WHERE u.key NOT IN ('tags', 'additional_tags', 'remove_tags'))"
	    " WHERE t IS NOT NULL AND remote <> seen AND remote <> mine", err);
	int rc, n = 0;

	if (s == NULL)
		return -1;
	bind_json(s, 1, ticket, ticket_len);
	sqlite3_bind_text(s, 2, row->body, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, row->undo && *row->undo ? row->undo : "{}",
	    -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		buf_printf(why, "%s%s changed remotely from %s to %s"
		    " (you set %s)", n++ ? "; " : "conflict: ",
		    store_col_text(s, 0), store_col_text(s, 1),
		    store_col_text(s, 2), store_col_text(s, 3));
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return json_err(st, err);
	return n;
}

/* Public comments by customers created after the agent's stamp. */
static int
new_customer_messages(struct store *st, const char *comments, size_t len,
    const struct store_outbox_row *row, int64_t me_id, int64_t *n,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*)"
	    " FROM json_each(?1, '$.comments') c"
	    " WHERE unixepoch(c.value->>'created_at') > unixepoch(?2)"
	    " AND coalesce(c.value->>'author_id', 0) <> ?3"
	    " AND coalesce((SELECT u.value->>'role'"
	    "  FROM json_each(?1, '$.users') u"
	    "  WHERE u.value->>'id' = c.value->>'author_id'),"
	    "  (SELECT role FROM users WHERE id = c.value->>'author_id'),"
	    "  'end-user') = 'end-user'", err);

	if (s == NULL)
		return -1;
	bind_json(s, 1, comments, len);
	sqlite3_bind_text(s, 2, row->seen_updated_at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, me_id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_done(st, s);
		return json_err(st, err);
	}
	*n = sqlite3_column_int64(s, 0);
	store_done(st, s);
	return 0;
}

int
store_sync_conflict_check(struct store *st, const char *ticket,
    size_t ticket_len, const char *comments, size_t comments_len,
    const struct store_outbox_row *row, int64_t me_id, char **why,
    struct tdesk_err *err)
{
	struct buf b = BUF_INIT;
	char *pub = NULL;
	int64_t n = 0;
	int rc;

	*why = NULL;
	rc = store_json_get(st, row->body, strlen(row->body),
	    "$.comment.public", &pub, err);
	if (rc < 0)
		return -1;
	if (rc == 1 && strcmp(pub, "1") == 0 && comments != NULL) {
		if (new_customer_messages(st, comments, comments_len, row,
		    me_id, &n, err) < 0) {
			free(pub);
			return -1;
		}
		if (n > 0)
			buf_printf(&b, "conflict: customer wrote %lld new"
			    " message%s since you replied", (long long)n,
			    n == 1 ? "" : "s");
	}
	free(pub);
	if (n == 0) {
		rc = field_collisions(st, ticket, ticket_len, row, &b, err);
		if (rc < 0) {
			buf_free(&b);
			return -1;
		}
	}
	if (b.len == 0)
		return 0;
	*why = buf_detach(&b);
	return 1;
}
