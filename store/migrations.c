/* SPDX-License-Identifier: MIT */
/*
 * The replica's schema as a list of forward-only migrations, applied in
 * order by store_open (store/db.c); PRAGMA user_version counts how many
 * a file has had.
 */
#include "store/store_int.h"

/*
 * Each entry moves the schema from version i to i + 1. Never edit an
 * entry once released: add a new one.
 *
 * Text two entries share is spelled once below; what each runs must stay
 * byte for byte what it was (tests/test_schema.c checks the released
 * ones).
 */

/* The outbox's columns after its id, as migration 1 created them and
 * migration 6 rebuilt them (with AUTOINCREMENT ids). */
#define OUTBOX_V1_COLUMNS \
	" client_id TEXT NOT NULL UNIQUE," \
	" ticket_id INTEGER NOT NULL," \
	" kind TEXT NOT NULL," \
	" state TEXT NOT NULL DEFAULT 'pending'," \
	" summary TEXT NOT NULL DEFAULT ''," \
	" body TEXT NOT NULL," \
	" undo TEXT NOT NULL DEFAULT '{}'," \
	" seen_updated_at TEXT NOT NULL DEFAULT ''," \
	" error TEXT NOT NULL DEFAULT ''," \
	" created_at INTEGER NOT NULL," \
	" attempts INTEGER NOT NULL DEFAULT 0);"

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
	" id INTEGER PRIMARY KEY," OUTBOX_V1_COLUMNS
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
	" id INTEGER PRIMARY KEY AUTOINCREMENT," OUTBOX_V1_COLUMNS
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

	/* 15: tickets by status, assignee and VIP, kept by triggers: `tdesk
	 * list --count` and the UI's "My open" count read these few rows
	 * (store_count) instead of an index entry per ticket (status<solved
	 * cost 105 ms at 1M tickets) */
	"CREATE TABLE ticket_counts(status_rank INTEGER NOT NULL,"
	" assignee_id INTEGER NOT NULL, vip INTEGER NOT NULL,"
	" n INTEGER NOT NULL,"
	" PRIMARY KEY(status_rank, assignee_id, vip)) WITHOUT ROWID;"
	"INSERT INTO ticket_counts SELECT status_rank, assignee_id, vip,"
	" count(*) FROM tickets GROUP BY 1, 2, 3;"
	"CREATE TRIGGER tickets_count_ins AFTER INSERT ON tickets BEGIN"
	" INSERT INTO ticket_counts VALUES(new.status_rank, new.assignee_id,"
	" new.vip, 1) ON CONFLICT DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER tickets_count_del AFTER DELETE ON tickets BEGIN"
	" UPDATE ticket_counts SET n = n - 1 WHERE status_rank ="
	" old.status_rank AND assignee_id = old.assignee_id"
	" AND vip = old.vip; END;"
	"CREATE TRIGGER tickets_count_upd AFTER UPDATE OF status_rank,"
	" assignee_id, vip ON tickets WHEN old.status_rank IS NOT"
	" new.status_rank OR old.assignee_id IS NOT new.assignee_id"
	" OR old.vip IS NOT new.vip BEGIN"
	" UPDATE ticket_counts SET n = n - 1 WHERE status_rank ="
	" old.status_rank AND assignee_id = old.assignee_id"
	" AND vip = old.vip;"
	" INSERT INTO ticket_counts VALUES(new.status_rank, new.assignee_id,"
	" new.vip, 1) ON CONFLICT DO UPDATE SET n = n + 1; END;",

	/* 16: traditional Chinese is indexed and searched as simplified
	 * (text_cjk_split folds both sides): the tickets with Han characters
	 * are indexed again at the next refresh, the FAQ answers at the next
	 * load (their files' signature forgotten) */
	"INSERT OR IGNORE INTO fts_dirty(ticket_id) SELECT id FROM tickets"
	" WHERE subject GLOB '*[一-鿿]*' OR description GLOB '*[一-鿿]*'"
	" OR id IN (SELECT ticket_id FROM comments"
	" WHERE body GLOB '*[一-鿿]*');"
	"DELETE FROM sync_state WHERE key = 'faq.files';",

	/* 17: the keys of migration 5 with the triage order's incident
	 * flag and the category filter: a search orders its hits by id
	 * lookups in this index alone (store/search_sort.c). Without the
	 * incident flag each lookup read the whole ticket row: ordering the
	 * 12k hits of a phrase at 1M tickets read 12k wide rows. */
	"DROP INDEX tickets_keys;"
	"CREATE INDEX tickets_keys ON tickets(id, incident, vip, urgent,"
	" sla_breach_at, priority_rank, created_at, updated_at, status_rank,"
	" assignee_id, group_id, requester_id, lang, channel, category);"
	/* the security incidents by id, which the triage order puts
	 * first: a search whose hits hold none skips their lanes instead of
	 * walking them (85k rows at 1M tickets) */
	"CREATE INDEX tickets_incident ON tickets(id) WHERE incident = 1;",

	/* 18: comments that came only as HTML were kept without text (their
	 * HTML, secrets and all, unread): their tickets' comments are
	 * fetched again at the next sync, however old, and read as text */
	"DELETE FROM sync_comment_marks WHERE ticket_id IN (SELECT ticket_id"
	" FROM comments WHERE id > 0 AND body = '' AND html <> '');"
	"DELETE FROM sync_state WHERE key = 'sync.comments.since' AND EXISTS"
	" (SELECT 1 FROM comments WHERE id > 0 AND body = '' AND html <> '');",
};
const int store_n_migrations = (int)ARRAY_LEN(store_migrations);

_Static_assert(ARRAY_LEN(store_migrations) == STORE_SCHEMA_VERSION,
    "one migration per schema version");
