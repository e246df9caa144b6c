/* SPDX-License-Identifier: MIT */
/*
 * Redacting a comment on the server: an outbox action (kind REDACT) the
 * agent queues by a key press or `tdesk redact --server`, never tdesk on
 * its own. The replica already holds the comment with its secrets
 * replaced by markers ("[seed phrase redacted: 12 words]"), so the action
 * names only the comment; the backend reads the server's text at push
 * time, finds the secrets there again and asks the server to remove them.
 */
#include "store/store_int.h"
#include "store/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The markers redact_text writes: "[" + label + " redacted". */
int
store_has_redaction_marker(const char *s)
{
	static const char *const labels[] = { "seed phrase", "private key",
	    "extended private key", "2FA code", "password", "API secret" };
	char m[48];

	for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
		snprintf(m, sizeof(m), "[%s redacted", labels[i]);
		if (strstr(s, m))
			return 1;
	}
	return 0;
}

/* The server comments of ticket (just comment_id when not 0) that carry
 * a marker, and no live REDACT action yet: their ids into *ids. */
static int
redact_targets(struct store *st, int64_t ticket, int64_t comment_id,
    int64_t **ids, size_t *n, size_t *seen, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT c.id, c.body,"
	    " EXISTS (SELECT 1 FROM outbox o WHERE o.kind = "
	    "'" STORE_OUTBOX_REDACT_NAME "' AND o.comment_id = c.id"
	    " AND o.state <> '" STORE_OUTBOX_DONE_NAME "')"
	    " FROM comments c WHERE c.ticket_id = ?1 AND c.id > 0"
	    " AND (?2 = 0 OR c.id = ?2) ORDER BY c.created_at, c.id", err);
	int rc;

	*n = *seen = 0;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket);
	sqlite3_bind_int64(s, 2, comment_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!store_has_redaction_marker(store_col_text(s, 1)))
			continue;
		(*seen)++;
		if (sqlite3_column_int(s, 2))
			continue;	/* already queued */
		*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? 0 : store_dberr(st, err, "cannot read");
}

static int64_t
redact_insert(struct store *st, int64_t ticket, int64_t comment,
    int64_t updated_at, struct tdesk_err *err)
{
	char uuid[37], stamp[21], sum[96];
	sqlite3_stmt *s;
	int rc;

	uuid_v4(uuid);
	time_format_iso(updated_at, stamp);
	snprintf(sum, sizeof(sum), "redact the secrets of comment %lld on "
	    "the server", (long long)comment);
	s = store_prepare(st, "INSERT INTO outbox(client_id, ticket_id, kind,"
	    " summary, undo, seen_updated_at, created_at, comment_id)"
	    " VALUES(?1, ?2, '" STORE_OUTBOX_REDACT_NAME "', ?3, '{}', ?4,"
	    " ?5, ?6)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ticket);
	sqlite3_bind_text(s, 3, sum, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, time_now());
	sqlite3_bind_int64(s, 6, comment);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	int64_t id = sqlite3_last_insert_rowid(st->db);
	if (store_audit(st, STORE_OUTBOX_REDACT_NAME, ticket, sum, err) < 0)
		return -1;
	return id;
}

int
store_redact_server(struct store *st, int64_t ticket, int64_t comment_id,
    int64_t **ids, size_t *n, struct tdesk_err *err)
{
	int64_t *targets = NULL, updated_at = 0;
	size_t nt = 0, seen = 0;
	sqlite3_stmt *s;
	int found = 0;

	*ids = NULL;
	*n = 0;
	if (store_begin(st, err) < 0)
		return -1;
	s = store_prepare(st, "SELECT updated_at FROM tickets WHERE id = ?1",
	    err);
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, ticket);
	if (sqlite3_step(s) == SQLITE_ROW) {
		found = 1;
		updated_at = sqlite3_column_int64(s, 0);
	}
	store_done(st, s);
	if (!found) {
		err_set(err, TDESK_ENOTFOUND, "no ticket %lld in this desk",
		    (long long)ticket);
		goto fail;
	}
	if (redact_targets(st, ticket, comment_id, &targets, &nt, &seen,
	    err) < 0)
		goto fail;
	if (seen == 0) {
		if (comment_id)
			err_set(err, TDESK_EUSAGE, "comment %lld of ticket %lld "
			    "holds no secret tdesk redacted (or is not on the "
			    "server yet)", (long long)comment_id,
			    (long long)ticket);
		else
			err_set(err, TDESK_EUSAGE, "ticket %lld has no comment "
			    "holding a secret tdesk redacted", (long long)ticket);
		goto fail;
	}
	for (size_t i = 0; i < nt; i++) {
		int64_t id = redact_insert(st, ticket, targets[i], updated_at,
		    err);
		if (id < 0)
			goto fail;
		*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
		(*ids)[(*n)++] = id;
	}
	free(targets);
	return store_commit(st, err);
fail:
	free(targets);
	free(*ids);
	*ids = NULL;
	*n = 0;
	store_rollback(st);
	return -1;
}
