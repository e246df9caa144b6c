/* SPDX-License-Identifier: MIT */
/*
 * Opening the replica: connection settings that let the UI and a cron
 * `tdesk sync` share one file, the versioned schema and its forward-only
 * migrations, transactions and key/value state.
 */
#include "store/store_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Each entry moves the schema from version i to i + 1. Never edit an
 * entry once released: add a new one.
 */
const char *const store_migrations[] = {
	/* 1: tickets, comments, users, groups, tags, SLAs, outbox, state */
	"CREATE TABLE tickets("
	" id INTEGER PRIMARY KEY,"
	" subject TEXT NOT NULL DEFAULT '',"
	" description TEXT NOT NULL DEFAULT '',"
	" status TEXT NOT NULL DEFAULT 'new',"
	" status_rank INTEGER NOT NULL DEFAULT 0,"
	" priority TEXT NOT NULL DEFAULT '',"
	" priority_rank INTEGER NOT NULL DEFAULT 0,"
	" type TEXT NOT NULL DEFAULT '',"
	" channel TEXT NOT NULL DEFAULT '',"
	" requester_id INTEGER NOT NULL DEFAULT 0,"
	" assignee_id INTEGER NOT NULL DEFAULT 0,"
	" group_id INTEGER NOT NULL DEFAULT 0,"
	" tags TEXT NOT NULL DEFAULT '',"
	" lang TEXT NOT NULL DEFAULT 'en',"
	" vip INTEGER NOT NULL DEFAULT 0,"
	" urgent INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL DEFAULT 0,"
	" updated_at INTEGER NOT NULL DEFAULT 0,"
	" sla_breach_at INTEGER NOT NULL DEFAULT 9223372036854775807,"
	" sla_json TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX tickets_urgent ON tickets"
	" (sla_breach_at, priority_rank DESC, created_at, id)"
	" WHERE status_rank < 4;"
	"CREATE INDEX tickets_updated ON tickets(updated_at);"
	"CREATE TABLE ticket_tags(tag TEXT NOT NULL,"
	" ticket_id INTEGER NOT NULL,"
	" PRIMARY KEY(tag, ticket_id)) WITHOUT ROWID;"
	"CREATE TABLE comments("
	" id INTEGER PRIMARY KEY,"
	" ticket_id INTEGER NOT NULL,"
	" author_id INTEGER NOT NULL DEFAULT 0,"
	" body TEXT NOT NULL DEFAULT '',"
	" public INTEGER NOT NULL DEFAULT 1,"
	" created_at INTEGER NOT NULL DEFAULT 0,"
	" outbox_id INTEGER);"
	"CREATE INDEX comments_ticket ON comments(ticket_id, created_at);"
	"CREATE TABLE users("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL DEFAULT '',"
	" email TEXT NOT NULL DEFAULT '',"
	" role TEXT NOT NULL DEFAULT 'end-user',"
	" locale TEXT NOT NULL DEFAULT '',"
	" vip INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX users_email ON users(email COLLATE NOCASE);"
	"CREATE TABLE groups(id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE slas(ticket_id INTEGER NOT NULL,"
	" metric TEXT NOT NULL, stage TEXT NOT NULL DEFAULT '',"
	" breach_at INTEGER,"
	" PRIMARY KEY(ticket_id, metric)) WITHOUT ROWID;"
	"CREATE TABLE outbox("
	" id INTEGER PRIMARY KEY,"
	" client_id TEXT NOT NULL UNIQUE,"
	" ticket_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending',"
	" summary TEXT NOT NULL DEFAULT '',"
	" body TEXT NOT NULL,"
	" undo TEXT NOT NULL DEFAULT '{}',"
	" seen_updated_at TEXT NOT NULL DEFAULT '',"
	" error TEXT NOT NULL DEFAULT '',"
	" created_at INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX outbox_ticket ON outbox(ticket_id, state);"
	"CREATE TABLE sync_state(key TEXT PRIMARY KEY, value TEXT);",

	/* 2: audit log of every local action; full-text index */
	"CREATE TABLE audit("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" action TEXT NOT NULL,"
	" ticket_id INTEGER,"
	" detail TEXT NOT NULL DEFAULT '');"
	"CREATE VIRTUAL TABLE ticket_fts USING fts5(subject, body,"
	" tokenize = 'unicode61 remove_diacritics 2');"
	"CREATE TABLE fts_dirty(ticket_id INTEGER PRIMARY KEY);"
	"INSERT INTO fts_dirty SELECT id FROM tickets;",

	/* 3: macros and FAQ answers (local YAML, starter pack, remote) */
	"CREATE TABLE macros("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" description TEXT NOT NULL DEFAULT '',"
	" source TEXT NOT NULL DEFAULT 'local',"
	" remote_id INTEGER,"
	" definition TEXT NOT NULL DEFAULT '{}',"
	" updated_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE faq("
	" id TEXT PRIMARY KEY,"
	" category TEXT NOT NULL DEFAULT '',"
	" keywords TEXT NOT NULL DEFAULT '',"
	" source TEXT NOT NULL DEFAULT 'local',"
	" remote_id INTEGER,"
	" updated_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE faq_text("
	" id INTEGER PRIMARY KEY,"
	" faq_id TEXT NOT NULL REFERENCES faq(id) ON DELETE CASCADE,"
	" lang TEXT NOT NULL,"
	" title TEXT NOT NULL DEFAULT '',"
	" body TEXT NOT NULL DEFAULT '',"
	" UNIQUE(faq_id, lang));"
	"CREATE VIRTUAL TABLE faq_fts USING fts5(title, body, keywords,"
	" tokenize = 'unicode61 remove_diacritics 2');"
	/* a ticket's tags are rewritten per action and per ingest: without
	 * this, each rewrite scans every tag row (10k macros: 12 s -> <1 s) */
	"CREATE INDEX ticket_tags_ticket ON ticket_tags(ticket_id);"
	/* dropping an outbox action deletes its local comment */
	"CREATE INDEX comments_outbox ON comments(outbox_id)"
	" WHERE outbox_id IS NOT NULL;",

	/* 4: which tickets' comments sync has fetched, and when */
	"CREATE TABLE sync_comment_marks(ticket_id INTEGER PRIMARY KEY,"
	" updated_at INTEGER NOT NULL);",

	/* 5: the sort keys and common filters of every ticket in a few
	 * small pages, so a search with thousands of hits orders them
	 * without reading each whole ticket (3,445 page reads became 1,068
	 * for 3,685 hits) */
	"CREATE INDEX tickets_keys ON tickets(id, sla_breach_at,"
	" priority_rank, created_at, updated_at, status_rank, assignee_id,"
	" group_id, requester_id, lang, vip, urgent, channel);"
	/* and the queue's own index, in the queue's order, covers the
	 * same filters for every ticket: counting 'assignee:me
	 * status<solved' over 100k tickets reads the index alone (216 ms ->
	 * 19 ms), and a filter without a status ('lang:zh', typed in the
	 * UI) walks it in order and stops at the first screenful instead of
	 * sorting every match (20 ms -> under 1 ms) */
	"DROP INDEX tickets_urgent;"
	"CREATE INDEX tickets_urgent ON tickets"
	" (sla_breach_at, priority_rank DESC, created_at, id, updated_at,"
	" assignee_id, group_id, requester_id, lang, vip, urgent, channel,"
	" status_rank);",

	/* 6: outbox ids are never reused: a dropped action's id named in
	 * the audit log, a message or a script must never come to mean
	 * another action. AUTOINCREMENT needs the table rebuilt; the
	 * sequence starts above every id the audit log saw dropped. */
	"CREATE TABLE outbox_new("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" client_id TEXT NOT NULL UNIQUE,"
	" ticket_id INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" state TEXT NOT NULL DEFAULT 'pending',"
	" summary TEXT NOT NULL DEFAULT '',"
	" body TEXT NOT NULL,"
	" undo TEXT NOT NULL DEFAULT '{}',"
	" seen_updated_at TEXT NOT NULL DEFAULT '',"
	" error TEXT NOT NULL DEFAULT '',"
	" created_at INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0);"
	"INSERT INTO outbox_new(id, client_id, ticket_id, kind, state,"
	" summary, body, undo, seen_updated_at, error, created_at, attempts)"
	" SELECT id, client_id, ticket_id, kind, state, summary, body, undo,"
	" seen_updated_at, error, created_at, attempts FROM outbox;"
	"DROP TABLE outbox;"
	"ALTER TABLE outbox_new RENAME TO outbox;"
	"CREATE INDEX outbox_ticket ON outbox(ticket_id, state);"
	"DELETE FROM sqlite_sequence WHERE name IN ('outbox', 'outbox_new');"
	"INSERT INTO sqlite_sequence(name, seq) SELECT 'outbox', max("
	" coalesce((SELECT max(id) FROM outbox), 0),"
	" coalesce((SELECT max(CAST(substr(detail, 23) AS INTEGER))"
	" FROM audit WHERE action = 'drop'"
	" AND detail LIKE 'dropped outbox action %'), 0),"
	" coalesce((SELECT -min(id) FROM comments WHERE id < 0), 0));",

	/* 7: the stamp the last copy of an action was sent on, written
	 * before it is sent, so a restarted push knows which copies may
	 * still land (sync/sync.c, "Exactly once") */
	"ALTER TABLE outbox ADD COLUMN sent_stamp TEXT NOT NULL DEFAULT '';",

	/* 8 (backends, issue 9/10): a vendor-neutral replica. What a
	 * helpdesk knows about a ticket beyond its core fields: the
	 * requester's organisation, custom field values ("ID\tVALUE\n"
	 * lines, names in ticket_fields), the satisfaction rating and its
	 * comment; comments keep their HTML and attachments' metadata. The
	 * outbox keeps tdesk's own change in columns, not a request body. */
	"ALTER TABLE tickets ADD organization_id INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tickets ADD fields TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE tickets ADD satisfaction TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE tickets ADD satisfaction_comment TEXT NOT NULL"
	" DEFAULT '';"
	"ALTER TABLE users ADD organization_id INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE comments ADD html TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE organizations(id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE ticket_fields(id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE attachments(id INTEGER PRIMARY KEY,"
	" comment_id INTEGER NOT NULL, ticket_id INTEGER NOT NULL,"
	" name TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT '',"
	" size INTEGER NOT NULL DEFAULT 0, url TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX attachments_ticket ON attachments(ticket_id);"
	/* every sync compares the count of my tickets with the server's:
	 * without this it read an index of every ticket (11 ms at 100k) */
	"CREATE INDEX tickets_assignee ON tickets(assignee_id);",

	/* 9 (backends, issue 9): the outbox keeps tdesk's own change in
	 * columns (NULL: unchanged); each backend builds its request. The
	 * Zendesk request bodies of existing desks are converted. */
	"ALTER TABLE outbox ADD change_status TEXT;"
	"ALTER TABLE outbox ADD change_priority TEXT;"
	"ALTER TABLE outbox ADD change_type TEXT;"
	"ALTER TABLE outbox ADD change_assignee_id INTEGER;"
	"ALTER TABLE outbox ADD change_group_id INTEGER;"
	"ALTER TABLE outbox ADD add_tags TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE outbox ADD remove_tags TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE outbox ADD comment TEXT;"
	"ALTER TABLE outbox ADD comment_public INTEGER NOT NULL DEFAULT 0;"
	"UPDATE outbox SET"
	" change_status = body ->> '$.status',"
	" change_priority = CASE json_type(body, '$.priority')"
	"  WHEN 'null' THEN '' WHEN 'text' THEN body ->> '$.priority' END,"
	" change_type = CASE json_type(body, '$.type')"
	"  WHEN 'null' THEN '' WHEN 'text' THEN body ->> '$.type' END,"
	" change_assignee_id = CASE json_type(body, '$.assignee_id')"
	"  WHEN 'null' THEN 0 WHEN 'integer' THEN body ->> '$.assignee_id'"
	"  END,"
	" change_group_id = CASE json_type(body, '$.group_id')"
	"  WHEN 'null' THEN 0 WHEN 'integer' THEN body ->> '$.group_id' END,"
	" add_tags = coalesce((SELECT group_concat(value, ' ') FROM"
	"  json_each(body, '$.additional_tags')), ''),"
	" remove_tags = coalesce((SELECT group_concat(value, ' ') FROM"
	"  json_each(body, '$.remove_tags')), ''),"
	" comment = body ->> '$.comment.body',"
	" comment_public = coalesce(body ->> '$.comment.public', 0)"
	" WHERE json_valid(body);"
	"ALTER TABLE outbox DROP COLUMN body;",

	/* 10: triage (store/triage.c): each ticket's category, incident and
	 * urgency flags and the rules that said so, the agent's override,
	 * when the agent last looked and what the customer waits for;
	 * ingest marks changed tickets through triggers */
	"ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE tickets ADD COLUMN incident INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE ticket_class(ticket_id INTEGER PRIMARY KEY,"
	" category TEXT NOT NULL DEFAULT '',"
	" incident INTEGER NOT NULL DEFAULT 0,"
	" urgent INTEGER NOT NULL DEFAULT 0,"
	" priority TEXT NOT NULL DEFAULT '',"
	" grp TEXT NOT NULL DEFAULT '',"
	" rules TEXT NOT NULL DEFAULT '',"
	" override TEXT NOT NULL DEFAULT '',"
	" seen_at INTEGER NOT NULL DEFAULT 0,"
	" seen_cid INTEGER NOT NULL DEFAULT 0,"
	" last_customer_at INTEGER NOT NULL DEFAULT 0,"
	" last_customer_cid INTEGER NOT NULL DEFAULT 0,"
	" waiting_since INTEGER NOT NULL DEFAULT 0,"
	" first_reply_at INTEGER NOT NULL DEFAULT 0);"
	/* the queue's triage order past incidents and breaches (see
	 * urgent_window in ticket.c), covering the common filters */
	"CREATE INDEX tickets_lanes ON tickets(incident, vip DESC,"
	" urgent DESC, sla_breach_at, priority_rank DESC, created_at, id,"
	" updated_at, assignee_id, group_id, requester_id, lang, channel,"
	" status_rank, category);"
	/* and the breached ones, found by their breach time */
	"CREATE INDEX tickets_breach ON tickets(incident, sla_breach_at,"
	" vip, urgent, priority_rank, created_at, id, updated_at,"
	" assignee_id, group_id, requester_id, lang, channel, status_rank,"
	" category);"
	"CREATE TABLE class_dirty(ticket_id INTEGER PRIMARY KEY);"
	"INSERT INTO class_dirty SELECT id FROM tickets;"
	"CREATE TRIGGER tickets_class_ins AFTER INSERT ON tickets BEGIN"
	" INSERT INTO class_dirty SELECT new.id WHERE NOT EXISTS"
	" (SELECT 1 FROM class_dirty WHERE ticket_id = new.id); END;"
	"CREATE TRIGGER tickets_class_upd AFTER UPDATE OF subject, description,"
	" updated_at ON tickets BEGIN"
	" INSERT INTO class_dirty SELECT new.id WHERE NOT EXISTS"
	" (SELECT 1 FROM class_dirty WHERE ticket_id = new.id); END;"
	"CREATE TRIGGER comments_class_ins AFTER INSERT ON comments BEGIN"
	" INSERT INTO class_dirty SELECT new.ticket_id WHERE NOT EXISTS"
	" (SELECT 1 FROM class_dirty WHERE ticket_id = new.ticket_id); END;"
	"INSERT OR REPLACE INTO sync_state(key, value)"
	" VALUES('triage.epoch', CAST(strftime('%s', 'now') AS TEXT));",

	/* 11: safety: the audit log becomes a hash chain (each row holds
	 * the previous row's hash); salted hashes of secrets redacted from
	 * customer text (the guard catches them quoted back); which tickets
	 * carried one */
	"ALTER TABLE audit ADD COLUMN prev TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE TABLE secrets(ticket_id INTEGER NOT NULL,"
	" hash TEXT NOT NULL, created_at INTEGER NOT NULL,"
	" PRIMARY KEY(ticket_id, hash)) WITHOUT ROWID;"
	"CREATE TABLE secret_flags(ticket_id INTEGER PRIMARY KEY,"
	" kinds TEXT NOT NULL DEFAULT '', first_at INTEGER NOT NULL);",

	/* 12: safety: a REDACT action names the server's comment whose
	 * secrets it removes */
	"ALTER TABLE outbox ADD COLUMN comment_id INTEGER NOT NULL DEFAULT 0;",

	/* 13: triage: where an outbox action's text came from (a macro or
	 * a FAQ answer), for the stats' canned-answer share (the macros
	 * queued before are known by their kind) */
	"CREATE TABLE outbox_origin(outbox_id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL, name TEXT NOT NULL DEFAULT '');"
	"CREATE TRIGGER outbox_origin_drop AFTER DELETE ON outbox BEGIN"
	" DELETE FROM outbox_origin WHERE outbox_id = old.id; END;"
	/* the agent's category as a custom field of the backend: the field,
	 * the value sent ('' clears) and the override before, which a drop
	 * puts back unless a later category action follows */
	"CREATE TABLE outbox_field(outbox_id INTEGER PRIMARY KEY,"
	" field_id INTEGER NOT NULL, value TEXT NOT NULL DEFAULT '',"
	" prev TEXT NOT NULL DEFAULT '');"
	/* stats read the ratings from here, the rest from tickets_lanes */
	"CREATE INDEX tickets_rated ON tickets(id, satisfaction)"
	" WHERE satisfaction <> '';"
	"CREATE TRIGGER outbox_field_drop AFTER DELETE ON outbox"
	" WHEN EXISTS (SELECT 1 FROM outbox_field WHERE outbox_id = old.id)"
	" BEGIN"
	" UPDATE ticket_class SET override = (SELECT prev FROM outbox_field"
	"  WHERE outbox_id = old.id) WHERE ticket_id = old.ticket_id"
	"  AND NOT EXISTS (SELECT 1 FROM outbox_field f JOIN outbox o"
	"  ON o.id = f.outbox_id WHERE o.ticket_id = old.ticket_id"
	"  AND o.id > old.id);"
	" UPDATE tickets SET category = (SELECT coalesce(nullif(override,"
	"  ''), category) FROM ticket_class WHERE ticket_id = old.ticket_id)"
	"  WHERE id = old.ticket_id;"
	" DELETE FROM outbox_field WHERE outbox_id = old.id;"
	" END;",

	/* 14: tickets per assignee, kept by triggers: every incremental
	 * sync compares the server's count of the agent's tickets with
	 * ours, and counting 85k index entries cost 4 ms at 100k tickets
	 * (40 at 1M), a sync's cost growing with the desk */
	"CREATE TABLE assignee_counts(assignee_id INTEGER PRIMARY KEY,"
	" n INTEGER NOT NULL);"
	"INSERT INTO assignee_counts SELECT assignee_id, count(*)"
	" FROM tickets GROUP BY assignee_id;"
	"CREATE TRIGGER tickets_acount_ins AFTER INSERT ON tickets BEGIN"
	" INSERT INTO assignee_counts VALUES(new.assignee_id, 1)"
	" ON CONFLICT(assignee_id) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tickets_acount_del AFTER DELETE ON tickets BEGIN"
	" UPDATE assignee_counts SET n = n - 1"
	" WHERE assignee_id = old.assignee_id; END;"
	"CREATE TRIGGER tickets_acount_upd AFTER UPDATE OF assignee_id"
	" ON tickets WHEN old.assignee_id IS NOT new.assignee_id BEGIN"
	" UPDATE assignee_counts SET n = n - 1"
	" WHERE assignee_id = old.assignee_id;"
	" INSERT INTO assignee_counts VALUES(new.assignee_id, 1)"
	" ON CONFLICT(assignee_id) DO UPDATE SET n = n + 1; END;",
};
const int store_n_migrations = (int)ARRAY_LEN(store_migrations);

_Static_assert(ARRAY_LEN(store_migrations) == STORE_SCHEMA_VERSION,
    "one migration per schema version");

int
store_dberr(struct store *st, struct tdesk_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	const char *msg = sqlite3_errmsg(st->db);
	enum tdesk_errkind kind = TDESK_EGENERIC;

	int sys = sqlite3_system_errno(st->db);

	if ((code & 0xff) == SQLITE_FULL || ((code & 0xff) == SQLITE_IOERR &&
	    (sys == ENOSPC || sys == EFBIG || sys == EDQUOT))) {
		msg = sys == EFBIG ? "disk is full (file size limit reached)" :
		    "disk is full";
		kind = TDESK_ENOSPACE;
	} else if ((code & 0xff) == SQLITE_BUSY ||
	    (code & 0xff) == SQLITE_LOCKED) {
		msg = "the desk is locked by another program writing to it "
		    "(waited 5 seconds); try again";
		kind = TDESK_EBUSY;
	} else if ((code & 0xff) == SQLITE_READONLY) {
		msg = "the file is read-only";
		kind = TDESK_EREADONLY;
	} else if ((code & 0xff) == SQLITE_INTERRUPT) {
		msg = "interrupted";
		kind = TDESK_EINTR;
	}
	return err_set(err, kind, "%s '%s': %s", what, st->path, msg);
}

static unsigned
sql_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/*
 * Prepared statements are kept, keyed by their SQL, so the same write
 * repeated ten thousand times (a macro over a queue) is compiled once.
 * A statement in use is never handed out twice: a nested user of the same
 * SQL gets a private one, finalized by store_done.
 */
sqlite3_stmt *
store_prepare(struct store *st, const char *sql, struct tdesk_err *err)
{
	unsigned h = sql_hash(sql);
	struct store_cached *slot = NULL;
	sqlite3_stmt *s = NULL;

	/* SQLite ended the transaction under an error (full disk, I/O):
	 * nothing may run on its own in autocommit until the levels
	 * unwind, or a half of the job would be committed after all */
	if (st->txn_depth > 0 && sqlite3_get_autocommit(st->db)) {
		st->txn_doomed = 1;
		err_set(err, TDESK_EGENERIC, "'%s': the transaction was "
		    "rolled back after an error", st->path);
		return NULL;
	}

	for (unsigned i = 0; i < STORE_PROBES; i++) {
		struct store_cached *c = &st->cache[(h + i) % STORE_CACHE];
		if (c->stmt == NULL) {
			if (slot == NULL)
				slot = c;
			continue;
		}
		if (c->hash == h && strcmp(c->sql, sql) == 0) {
			if (c->busy)
				break;
			c->busy = 1;
			return c->stmt;
		}
		if (slot == NULL && !c->busy && i == STORE_PROBES - 1)
			slot = c;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
	    NULL) != SQLITE_OK) {
		store_dberr(st, err, "cannot query");
		sqlite3_finalize(s);
		return NULL;
	}
	if (slot) {
		if (slot->stmt) {
			sqlite3_finalize(slot->stmt);
			free(slot->sql);
		}
		slot->stmt = s;
		slot->sql = xstrdup(sql);
		slot->hash = h;
		slot->busy = 1;
	}
	return s;
}

void
store_done(struct store *st, sqlite3_stmt *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < STORE_CACHE; i++) {
		if (st->cache[i].stmt == s) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			st->cache[i].busy = 0;
			return;
		}
	}
	sqlite3_finalize(s);
}

int
store_exec(struct store *st, const char *sql, struct tdesk_err *err)
{
	if (st->txn_depth > 0 && sqlite3_get_autocommit(st->db)) {
		st->txn_doomed = 1;
		return err_set(err, TDESK_EGENERIC, "'%s': the transaction "
		    "was rolled back after an error", st->path);
	}
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(st, err, "cannot update");
	return 0;
}

int
store_exec_id(struct store *st, const char *sql, int64_t id, const char *text,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (text)
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_dberr(st, err, "cannot write to");
	return 0;
}

int
store_step_done(struct store *st, sqlite3_stmt *s, struct tdesk_err *err)
{
	int rc = sqlite3_step(s);

	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	return 0;
}

int
store_step_int(struct store *st, sqlite3_stmt *s, int64_t *out,
    struct tdesk_err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	return store_step_end(st, s, rc, err);
}

int
store_step_end(struct store *st, sqlite3_stmt *s, int rc,
    struct tdesk_err *err)
{
	store_done(st, s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_dberr(st, err, "cannot read");
}

int64_t
store_step_rows(struct store *st, sqlite3_stmt *s,
    int (*row)(sqlite3_stmt *s, void *arg), void *arg,
    struct tdesk_err *err)
{
	int64_t n = 0;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n++;
		if (row(s, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return n;
}

void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

const char *
store_col_text(sqlite3_stmt *s, int i)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	static char *ring[32];
	static unsigned next;

	if (v == NULL)
		return "";
	/* a NUL stored inside the text (not by ingest, which defuses them)
	 * would cut it short: show it as U+2400 and keep the rest. Copies
	 * live in a small ring, long enough for one row's fields. */
	size_t n = (size_t)sqlite3_column_bytes(s, i);
	if (memchr(v, '\0', n) == NULL)
		return v;
	struct buf b = BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		if (v[k])
			buf_addc(&b, v[k]);
		else
			buf_adds(&b, "\xE2\x90\x80");
	}
	free(ring[next % 32]);
	ring[next++ % 32] = buf_detach(&b);
	return ring[(next - 1) % 32];
}

static int
user_version(struct store *st, int *v, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA user_version", err);
	int64_t n = 0;

	if (s == NULL || store_step_int(st, s, &n, err) < 0)
		return -1;
	*v = (int)n;
	return 0;
}

static int
migrate(struct store *st, struct tdesk_err *err)
{
	int v;

	if (user_version(st, &v, err) < 0)
		return -1;
	if (v == STORE_SCHEMA_VERSION)
		return 0;
	if (v > STORE_SCHEMA_VERSION)
		return err_set(err, TDESK_EGENERIC,
		    "'%s' has schema version %d, newer than this tdesk "
		    "understands (%d): upgrade tdesk", st->path, v,
		    STORE_SCHEMA_VERSION);
	if (st->readonly)
		return err_set(err, TDESK_EGENERIC,
		    "'%s' needs an upgrade but is open read-only", st->path);
	if (store_exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	/* re-read under the write lock: another process may have migrated */
	if (user_version(st, &v, err) < 0)
		goto fail;
	for (; v < STORE_SCHEMA_VERSION; v++) {
		char pragma[64];
		if (store_exec(st, store_migrations[v], err) < 0)
			goto fail;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    v + 1);
		if (store_exec(st, pragma, err) < 0)
			goto fail;
	}
	if (store_exec(st, "COMMIT", err) < 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* A file: URI for path, read-only, optionally immutable. */
static char *
ro_uri(const char *path, int immutable)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ')
			buf_printf(&b, "%%%02X", *p);
		else
			buf_addc(&b, (char)*p);
	}
	buf_adds(&b, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
	return buf_detach(&b);
}

/* status_rank(name) and priority_rank(name) for SQL: the ranks of
 * store_status_rank and store_priority_rank, so SQL spells none of them
 * again; NULL for a name without a rank. */
static void
sql_rank(sqlite3_context *cx, sqlite3_value *v, int (*rank)(const char *))
{
	const unsigned char *name = sqlite3_value_text(v);
	int r = name ? rank((const char *)name) : -1;

	if (r < 0)
		sqlite3_result_null(cx);
	else
		sqlite3_result_int(cx, r);
}

static void
sql_status_rank(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sql_rank(cx, argv[0], store_status_rank);
}

static void
sql_priority_rank(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sql_rank(cx, argv[0], store_priority_rank);
}

static int
sql_functions(struct store *st)
{
	int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

	if (sqlite3_create_function(st->db, "status_rank", 1, f, NULL,
	    sql_status_rank, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(st->db, "priority_rank", 1, f, NULL,
	    sql_priority_rank, NULL, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

static int
connect(struct store *st, int flags, int immutable, struct tdesk_err *err)
{
	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	char *uri = NULL;
	int rc;

	/* no memory statistics: they cost a global mutex on every one of
	 * SQLite's mallocs (a few per row written); harmless (SQLITE_MISUSE)
	 * once SQLite is initialised */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (st->readonly) {
		oflags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
		uri = ro_uri(st->path, immutable);
	} else {
		oflags |= SQLITE_OPEN_READWRITE;
		if (flags & STORE_CREATE)
			oflags |= SQLITE_OPEN_CREATE;
	}
	rc = sqlite3_open_v2(uri ? uri : st->path, &st->db, oflags, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		if (st->db)
			return store_dberr(st, err, "cannot open");
		return err_set(err, TDESK_EGENERIC, "cannot open '%s'",
		    st->path);
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_busy_timeout(st->db, 5000);
	if (sql_functions(st) < 0)
		return store_dberr(st, err, "cannot open");
	if (!st->readonly && sqlite3_exec(st->db,
	    "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(st, err, "cannot open");
	return store_exec(st, "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA trusted_schema = OFF;"
	    "PRAGMA cache_size = -2000;"
	    "PRAGMA temp_store = MEMORY", err);
}

struct store *
store_open(const char *path, int flags, struct tdesk_err *err)
{
	struct store *st = xcalloc(1, sizeof(*st));
	struct stat sb;

	st->path = xstrdup(path);
	st->readonly = (flags & STORE_READONLY) != 0;
	if (stat(path, &sb) < 0) {
		if (!(flags & STORE_CREATE) || st->readonly) {
			err_set(err, TDESK_ENOTFOUND, "no desk at '%s'", path);
			goto fail;
		}
	} else if (!st->readonly && access(path, W_OK) < 0) {
		/* someone else's desk, or a read-only disk: still readable */
		st->readonly = 1;
	}
	int rc = connect(st, flags, 0, err);
	if (rc == 0)
		rc = migrate(st, err);
	if (rc < 0 && st->readonly) {
		/* WAL needs a writable -shm beside the file: read the file as
		 * it is, since nobody can change it from here either */
		sqlite3_close_v2(st->db);
		st->db = NULL;
		rc = connect(st, flags, 1, err);
		if (rc == 0)
			rc = migrate(st, err);
	}
	if (rc < 0) {
		/* a file that is not a database fails on its first read */
		if (err && strstr(err->msg, "file is not a database"))
			err_set(err, TDESK_EGENERIC,
			    "'%s' is not a tdesk desk (not an SQLite file)", path);
		goto fail;
	}
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < STORE_CACHE; i++) {
		sqlite3_finalize(st->cache[i].stmt);
		free(st->cache[i].sql);
	}
	if (st->db)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st->salt);
	free(st);
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

void
store_bulk(struct store *st)
{
	sqlite3_exec(st->db, "PRAGMA cache_size = -32000", NULL, NULL, NULL);
}

/*
 * Transactions nest as SAVEPOINTs. The outermost level is BEGIN IMMEDIATE
 * (the write lock is taken at once, so a busy replica fails here and not
 * half-way through); every inner level is a savepoint of its own. So any
 * store function is safe inside a caller's transaction: its rollback
 * unwinds only its own work and the caller decides about the rest.
 *
 * SQLite itself ends the whole transaction on some errors (a full disk,
 * an I/O error, out of memory). Then every open level is doomed: each
 * rollback just unwinds the count and each commit fails, so nobody
 * commits half of a job believing it whole.
 */
static int
txn_lost(struct store *st)
{
	return st->txn_depth > 0 && sqlite3_get_autocommit(st->db);
}

int
store_begin(struct store *st, struct tdesk_err *err)
{
	char sql[40];

	if (st->readonly)
		return err_set(err, TDESK_EREADONLY, "'%s' is read-only: "
		    "nothing can be changed or queued in it", st->path);
	if (st->txn_depth == 0) {
		st->txn_doomed = 0;
		if (store_exec(st, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		st->txn_depth = 1;
		return 0;
	}
	if (st->txn_doomed || txn_lost(st)) {
		st->txn_doomed = 1;
		return err_set(err, TDESK_EGENERIC, "'%s': the transaction "
		    "was already rolled back", st->path);
	}
	if (st->flat_depth > 0) {
		/* a bulk load: no savepoint (see store_flat) */
		st->txn_depth++;
		return 0;
	}
	snprintf(sql, sizeof(sql), "SAVEPOINT tdesk_%d", st->txn_depth);
	if (store_exec(st, sql, err) < 0)
		return -1;
	st->txn_depth++;
	return 0;
}

int
store_commit(struct store *st, struct tdesk_err *err)
{
	char sql[40];

	if (st->txn_depth <= 0)
		return err_set(err, TDESK_EGENERIC, "'%s': commit without a "
		    "transaction (nothing was written)", st->path);
	if (st->txn_doomed || txn_lost(st)) {
		/* SQLite rolled everything back under an error */
		st->txn_doomed = 1;
		if (--st->txn_depth == 0)
			st->txn_doomed = 0;
		return err_set(err, TDESK_EGENERIC, "'%s': the transaction "
		    "was rolled back after an error: nothing was written",
		    st->path);
	}
	if (st->txn_depth > 1 && st->flat_depth > 0 &&
	    st->txn_depth > st->flat_depth) {
		st->txn_depth--;
		return 0;
	}
	if (st->txn_depth > 1) {
		snprintf(sql, sizeof(sql), "RELEASE tdesk_%d",
		    st->txn_depth - 1);
		if (store_exec(st, sql, err) < 0) {
			store_rollback(st);
			return -1;
		}
		st->txn_depth--;
		return 0;
	}
	if (store_exec(st, "COMMIT", err) < 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->txn_depth = 0;
		return -1;
	}
	st->txn_depth = 0;
	return 0;
}

void
store_rollback(struct store *st)
{
	char sql[64];

	if (st->txn_depth <= 0)
		return;
	if (st->txn_doomed || txn_lost(st)) {
		st->txn_doomed = 1;
		if (--st->txn_depth == 0)
			st->txn_doomed = 0;
		return;
	}
	if (st->txn_depth > 1 && st->flat_depth > 0 &&
	    st->txn_depth > st->flat_depth) {
		/* no savepoint to go back to: the whole transaction goes,
		 * and every level above fails */
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st->txn_doomed = 1;
		st->txn_depth--;
		return;
	}
	if (st->txn_depth > 1) {
		/* undo this level's work and leave the caller's alone */
		snprintf(sql, sizeof(sql), "ROLLBACK TO tdesk_%d;"
		    " RELEASE tdesk_%d", st->txn_depth - 1, st->txn_depth - 1);
		if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			st->txn_doomed = 1;
		st->txn_depth--;
		return;
	}
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->txn_depth = 0;
}

void
store_flat(struct store *st, int on)
{
	st->flat_depth = on ? st->txn_depth : 0;
}

int
store_in_txn(const struct store *st)
{
	return st->txn_depth;
}

int
store_data_version(struct store *st, int64_t *out, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA data_version", err);

	if (s == NULL || store_step_int(st, s, out, err) < 0)
		return -1;
	return 0;
}

int
store_state_lookup(struct store *st, const char *key, char **out,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT value FROM sync_state WHERE key = ?1", err);
	int rc;

	*out = NULL;
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		*out = xstrdup(store_col_text(s, 0));
	store_done(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return *out != NULL;
}

char *
store_state_get(struct store *st, const char *key)
{
	char *v;

	store_state_lookup(st, key, &v, NULL);
	return v;
}

int
store_state_set(struct store *st, const char *key, const char *value,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "INSERT INTO sync_state(key, value) VALUES(?1, ?2)"
	    " ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	store_bind_text(s, 2, value);
	return store_step_done(st, s, err);
}
