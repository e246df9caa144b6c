/* SPDX-License-Identifier: MIT */
/*
 * The replica: one SQLite file per desk holding tickets, comments, users,
 * groups, the outbox of local actions and the audit log. This is the only
 * public header of store/; ui/, sync/ and cmd/ see nothing of SQLite.
 *
 * The replica is vendor-neutral: it knows no helpdesk's endpoints, page
 * shapes or wire field names. Each backend in sync/ (Zendesk, Request
 * Tracker) reads its own JSON and writes typed records through a batch
 * (store_batch_*); the outbox keeps tdesk's own change (struct
 * store_outbox_change) and each backend turns it into its request. Only
 * sync/ (and cmd/) link the JSON library; sync/ runs no SQL.
 */
#ifndef TDESK_STORE_H
#define TDESK_STORE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

struct store;

#define STORE_SCHEMA_VERSION 12

enum store_open_flags {
	STORE_CREATE = 1 << 0,		/* create the file if missing */
	STORE_READONLY = 1 << 1,	/* open read-only (never migrates) */
};

/* Open (and migrate) the replica at path. Returns NULL and fills err. */
struct store *store_open(const char *path, int flags, struct tdesk_err *err);
void store_close(struct store *st);
/* Borrowed; valid until store_close. */
const char *store_path(const struct store *st);

/* Give the connection a larger page cache for a bulk job (import, sync,
 * demo). The default is small: a short read touches few pages, and every
 * page the cache holds is memory faulted in at start. */
void store_bulk(struct store *st);

/* A first load into an empty desk, inside the caller's transaction: the
 * secondary indexes of tickets and users are dropped and built
 * again, each by one sort, at store_bulk_load_end (store/bulk.c). On a
 * desk that has tickets, *bl is NULL and both calls do nothing. After a
 * failure, roll the transaction back and store_bulk_load_abort(bl). */
struct store_bulk_load;
int store_bulk_load_begin(struct store *st, struct store_bulk_load **bl,
    struct tdesk_err *err);
int store_bulk_load_end(struct store *st, struct store_bulk_load *bl,
    struct tdesk_err *err);
void store_bulk_load_abort(struct store_bulk_load *bl);
/* Inside a transaction of a bulk job that fails as a whole (import):
 * with on, the levels opened above the current one take no savepoints
 * (a savepoint journals every page it changes: 230 MB of memory when an
 * import's classification rewrote every ticket), and a failure in any of
 * them rolls the whole transaction back. Off again before the commit. */
void store_flat(struct store *st, int on);

/* Transactions. They nest: the outermost is BEGIN IMMEDIATE, each inner
 * level a SAVEPOINT, so store_rollback unwinds only the innermost level's
 * work and store_commit of an inner level keeps its work for the outer
 * one to commit. Every begin needs exactly one commit or rollback. A
 * commit without a begin is an error, never an abort. */
int store_begin(struct store *st, struct tdesk_err *err);
int store_commit(struct store *st, struct tdesk_err *err);
void store_rollback(struct store *st);
/* The nesting depth (0: no transaction open). */
int store_in_txn(const struct store *st);

/* Changes whenever another connection commits (PRAGMA data_version). */
int store_data_version(struct store *st, int64_t *out, struct tdesk_err *err);

/* Key/value state (sync cursors, watermarks, the agent's id). Getters
 * return a newly allocated string (caller frees) or NULL when unset. */
char *store_state_get(struct store *st, const char *key);
int store_state_set(struct store *st, const char *key, const char *value,
    struct tdesk_err *err);

/* --- the replica's typed writes (what every backend maps its answers to) --
 *
 * Vendor-neutral: no endpoint, page shape or wire field name is known here.
 * A backend (sync/zendesk_map.c, sync/rt.c) reads its own JSON and hands
 * the records below to a batch. Strings are NUL-terminated UTF-8 as the
 * server sent them (may be NULL: empty); customer text is sanitised at the
 * write, in one function of store/ingest.c (ingest_clean_text).
 */

struct store_ingest_stats {
	int64_t tickets;	/* ticket records seen */
	int64_t written;	/* inserted or updated (newer or equal) */
	int64_t stale;		/* skipped: older than the stored copy */
	int64_t users;
	int64_t comments;
	int64_t bytes;		/* of the answers (counted by the backend) */
	int64_t max_updated;	/* newest updated_at seen (Unix seconds) */
	int64_t min_updated;	/* oldest updated_at seen, 0 if none */
	struct buf *ids;	/* if set: the ids of the tickets seen are
				 * appended as a JSON array, "[1,2]" */
};

struct store_user_rec {
	int64_t id;
	const char *name, *email;
	const char *role;	/* "end-user", "agent", "admin" */
	const char *locale;	/* "en-US", "zh-CN", "ja" ... */
	int64_t organization_id;
	int vip;
};

struct store_group_rec {
	int64_t id;
	const char *name;
};

struct store_org_rec {
	int64_t id;
	const char *name;
};

/* A custom field's definition (id -> name). */
struct store_field_rec {
	int64_t id;
	const char *name;
	const char *type;	/* "text", "checkbox", "tagger", ... */
};

struct store_sla_rec {
	const char *metric;	/* "first_reply_time", ... (plain words) */
	const char *stage;	/* "active", "paused", "achieved", "" */
	int64_t breach_at;	/* 0: none */
};

/* A custom field's value as text (lists joined with ", "). */
struct store_field_value {
	int64_t field_id;
	const char *value;
};

struct store_ticket_rec {
	int64_t id;
	const char *subject, *description;
	const char *status;	/* new open pending hold solved closed
				 * deleted, or a custom name */
	const char *priority, *type;
	const char *channel;	/* "email", "web", "telegram", ... */
	int64_t requester_id, assignee_id, group_id, organization_id;
	int64_t created_at, updated_at;
	const char *const *tags;
	size_t n_tags;
	const struct store_sla_rec *slas;
	size_t n_slas;
	const struct store_field_value *fields;
	size_t n_fields;
	const char *satisfaction;	/* "good", "bad", "offered", NULL */
	const char *satisfaction_comment;
};

struct store_attachment_rec {
	int64_t id;
	const char *name;
	const char *type;	/* content type */
	int64_t size;
	const char *url;
};

struct store_comment_rec {
	int64_t id;
	int64_t author_id;
	int64_t created_at;
	int public;
	const char *body;	/* plain text */
	const char *html;	/* NULL when the backend has none */
	const struct store_attachment_rec *attachments;
	size_t n_attachments;
};

/*
 * One batch of writes in one (nested) transaction with prepared
 * statements: all or nothing. Users, groups and organisations before the
 * tickets that name them (the language and VIP flag read the requester).
 * store_batch_end commits: tickets written get their derived rows (tags,
 * SLA targets, full text) marked for store_fts_refresh, and waiting local
 * actions re-applied on top; stats may be NULL.
 */
struct store_batch;
struct store_batch *store_batch_begin(struct store *st,
    struct store_ingest_stats *stats, struct tdesk_err *err);
int store_batch_user(struct store_batch *b, const struct store_user_rec *u,
    struct tdesk_err *err);
int store_batch_group(struct store_batch *b, const struct store_group_rec *g,
    struct tdesk_err *err);
int store_batch_org(struct store_batch *b, const struct store_org_rec *o,
    struct tdesk_err *err);
int store_batch_field(struct store_batch *b, const struct store_field_rec *f,
    struct tdesk_err *err);
int store_batch_ticket(struct store_batch *b, const struct store_ticket_rec *t,
    struct tdesk_err *err);
/* The comments of one ticket (a whole list or its newest page). */
int store_batch_comment(struct store_batch *b, int64_t ticket_id,
    const struct store_comment_rec *c, struct tdesk_err *err);
/* After a ticket's comments: drop local copies of sent replies. */
int store_batch_comments_done(struct store_batch *b, int64_t ticket_id,
    struct tdesk_err *err);
/* Commit (0) or, on error, roll back (-1); frees b either way. */
int store_batch_end(struct store_batch *b, struct tdesk_err *err);
/* Roll back and free (after an error of the caller's own). */
void store_batch_abort(struct store_batch *b);

/* Bring the full-text index up to date with tickets changed since. */
int store_fts_refresh(struct store *st, struct tdesk_err *err);

/* The language of a ticket from its text's script and the requester's
 * locale: "ja" for kana, "ko" for hangul, "zh" for Han only (unless the
 * locale is ja or ko), else the locale's language, else "en". */
const char *store_lang_detect(const char *text, size_t len,
    const char *locale, char out[8]);

/* --- queries ----------------------------------------------------------- */

struct store_query;

/*
 * Parse the query language shared by `tdesk list` and the UI (see
 * tdesk(1)). An empty string matches every ticket. On error, err->msg
 * reads "query:COL: message" with a 1-based column.
 */
struct store_query *store_query_parse(const char *text, struct tdesk_err *err);
void store_query_free(struct store_query *q);

struct store_ticket {
	int64_t id;
	char *subject;
	char *description;	/* first comment; only filled by _get */
	char *status;
	char *priority;		/* "" when none */
	char *type;		/* "" when none */
	char *channel;
	char *requester;	/* email, or name, or "" */
	char *requester_name;
	char *requester_locale;
	char *assignee;		/* name or "" */
	char *group;		/* name or "" */
	char *tags;		/* space separated */
	char *lang;		/* "en", "zh", ... */
	int vip;
	int urgent;
	int64_t created_at;
	int64_t updated_at;
	int64_t sla_breach_at;	/* 0 when no active SLA target */
	int pending;		/* actions waiting in the outbox */
	int conflict;		/* an outbox action needs the agent */
	/* only filled by _get (NULL otherwise) */
	char *organization;	/* the requester's organisation, or "" */
	char *satisfaction;	/* "good", "bad", "offered" or "" */
	char *satisfaction_comment;
	char *fields;		/* custom fields, "NAME: VALUE\n" lines */
	/* triage (store/triage.h) */
	char *category;		/* "" until classified */
	int incident;		/* a security incident */
	int is_new;		/* the customer wrote since the agent looked */
	int64_t waiting_since;	/* oldest unanswered customer message, 0 */
};

void store_ticket_clear(struct store_ticket *t);

enum store_order {
	STORE_ORDER_URGENT = 0,	/* SLA breach time, priority, age */
	STORE_ORDER_UPDATED,	/* most recently updated first */
	STORE_ORDER_ID,
};

struct store_list_opts {
	enum store_order order;
	int64_t offset;
	int64_t limit;		/* 0: no limit */
	int from_end;		/* count offset from the last row, and give
				 * the rows last first (a window near the end
				 * without walking the whole list) */
};

/* Called per row; the ticket is borrowed for the call. Return non-zero
 * to stop early (store_list then returns 0). */
typedef int (*store_ticket_fn)(const struct store_ticket *t, void *arg);

int store_list(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, store_ticket_fn fn, void *arg,
    struct tdesk_err *err);
int store_count(struct store *st, const struct store_query *q, int64_t *n,
    struct tdesk_err *err);

/* 1 and fills t (caller clears) when found, 0 when not, -1 on error. */
int store_ticket_get(struct store *st, int64_t id, struct store_ticket *t,
    struct tdesk_err *err);

struct store_comment {
	int64_t id;		/* negative: local, waiting in the outbox */
	int64_t ticket_id;
	const char *author;	/* name or email */
	int author_is_agent;
	const char *body;
	int public;
	int64_t created_at;
	const char *state;	/* "" when synced, else the outbox state */
};

typedef int (*store_comment_fn)(const struct store_comment *c, void *arg);

/* An attachment's metadata (the file stays on the server). */
struct store_attachment {
	int64_t id;
	int64_t comment_id;
	int64_t ticket_id;
	const char *name;	/* sanitised at ingest; not yet a safe path */
	const char *type;
	int64_t size;
	const char *url;
};
typedef int (*store_attachment_fn)(const struct store_attachment *a,
    void *arg);
/* The attachments of a ticket, by comment then id. */
int store_attachments(struct store *st, int64_t ticket_id,
    store_attachment_fn fn, void *arg, struct tdesk_err *err);
/* One attachment by id: 1 found, 0 not, -1 error. */
int store_attachment_get(struct store *st, int64_t id,
    store_attachment_fn fn, void *arg, struct tdesk_err *err);
/* Comments of a ticket, oldest first. */
int store_comments(struct store *st, int64_t ticket_id, store_comment_fn fn,
    void *arg, struct tdesk_err *err);

/* --- local actions and the outbox ---------------------------------------- */

/* A change to a ticket's fields; NULL members are left alone. "" clears
 * assignee or group. Tags are lists of names. */
struct store_change {
	const char *status;
	const char *priority;
	const char *type;
	const char *assignee;	/* "me", "none"/"", user id, email or name */
	const char *group;	/* group name or id, "" or "none" clears */
	const char **add_tags;
	size_t n_add;
	const char **remove_tags;
	size_t n_remove;
	const char *comment;	/* optional comment sent with the change */
	int comment_public;
	const char *macro;	/* name of the macro that produced this */
	const char *guard_override; /* reason to queue a public comment
				 * the reply guard blocks (audited) */
};

/*
 * Apply the change to the replica and queue it in the outbox, with a
 * fresh client id and the ticket's updated_at as seen, in one
 * transaction, and record it in the audit log. Returns the outbox id,
 * 0 when the ticket does not exist (err says so, kind NOTFOUND) or -1.
 */
int64_t store_action(struct store *st, int64_t ticket_id,
    const struct store_change *ch, struct tdesk_err *err);
/* Validate a change without touching anything (for --dry-run). */
int store_change_check(struct store *st, const struct store_change *ch,
    struct tdesk_err *err);

/*
 * One multi-item write. Every write that touches more than one ticket or
 * outbox action goes through store_multi_run: tdesk reply, note and set,
 * the UI's ';' actions, macro apply, outbox drop, keep and edit.
 *
 * The rule is all or nothing. Under the write lock, check runs for every
 * item first (the ticket exists and is open to changes, the action waits
 * in a state that allows it); if any item fails, nothing is written and
 * err gives the first failure, with "(and N more of M)" when several
 * failed. Then write runs for each item, each in its own savepoint inside
 * one transaction, and the audit rows are the item writers' own (one per
 * ticket or action, the same from the CLI and the UI). A failure of any
 * write (the database, a full disk, a locked replica) or a non-zero *stop
 * (a signal) rolls the whole batch back: a rerun starts it again from
 * nothing. Returns 0, or -1 with err (kinds NOTFOUND, USAGE, CONFLICT for
 * the items; BUSY, NOSPACE, READONLY, INTR, GENERIC for the rest).
 */
struct store_multi {
	const char *what;	/* names the job in messages */
	/* 1 when the item may be written, 0 not found, -1 not allowed
	 * (err says why; kinds other than NOTFOUND, USAGE and CONFLICT
	 * are database failures and stop the batch at once) */
	int (*check)(struct store *st, int64_t id, void *arg,
	    struct tdesk_err *err);
	/* > 0 written (e.g. the outbox id), 0 gone, -1 error */
	int64_t (*write)(struct store *st, int64_t id, void *arg,
	    struct tdesk_err *err);
	/* optional: each item written (before the commit) */
	void (*done)(int64_t id, int64_t result, void *arg);
	void *arg;
	const volatile sig_atomic_t *stop;	/* may be NULL */
	int check_only;		/* run the checks only (dry run) */
	size_t n_bad;		/* out: items that failed their check */
	size_t n_done;		/* out: items written (0 unless committed) */
};
int store_multi_run(struct store *st, const int64_t *ids, size_t n,
    struct store_multi *b, struct tdesk_err *err);

/* store_action for each of n tickets through store_multi_run (all or
 * nothing); outbox_ids (may be NULL) gets the n new action ids. */
int store_write_tickets(struct store *st, const int64_t *ids, size_t n,
    const struct store_change *ch, const volatile sig_atomic_t *stop,
    int64_t *outbox_ids, struct tdesk_err *err);

/*
* tdesk's own change, as the outbox keeps it (in columns; each backend
 * turns it into its request). Names are resolved to ids.
 */
struct store_outbox_change {
	const char *status;	/* NULL: unchanged */
	const char *priority;	/* NULL: unchanged, "": clear */
	const char *type;	/* NULL: unchanged, "": clear */
	int64_t assignee_id;	/* -1: unchanged, 0: clear */
	int64_t group_id;	/* -1: unchanged, 0: clear */
	const char *add_tags;	/* space separated, "" none */
	const char *remove_tags;
	const char *comment;	/* NULL: none; as the agent wrote it */
	int comment_public;
};
/* A copy that owns its strings; free with store_outbox_change_free. */
void store_outbox_change_dup(struct store_outbox_change *dst,
    const struct store_outbox_change *src);
void store_outbox_change_free(struct store_outbox_change *c);

struct store_outbox_row {
	int64_t id;
	char client_id[37];
	int64_t ticket_id;
	const char *kind;	/* "reply", "note", "update", "macro" */
	const char *state;	/* pending, inflight, done, failed, conflict */
	const char *summary;	/* one line for humans */
	struct store_outbox_change ch;	/* what to send */
	const char *error;	/* "" unless failed or conflict */
	const char *seen_updated_at;	/* ISO stamp the agent saw */
	const char *undo;	/* the fields' values before, as a JSON object
				 * of status, priority, type, assignee_id,
				 * group_id, tags (tdesk's own) */
	const char *sent_stamp;	/* stamp of the last copy sent, "" none */
	int64_t created_at;
	int attempts;		/* copies sent (or about to be) so far */
};

typedef int (*store_outbox_fn)(const struct store_outbox_row *r, void *arg);
/* Rows not yet done (all rows if all != 0), oldest first. */
int store_outbox_list(struct store *st, int all, store_outbox_fn fn,
    void *arg, struct tdesk_err *err);
/* 1 found, 0 not found, -1 error. */
int store_outbox_get(struct store *st, int64_t id, store_outbox_fn fn,
    void *arg, struct tdesk_err *err);
/* Drop a not-yet-sent action and undo exactly what it changed in the
 * replica, keeping the effects of later actions on the same ticket. 1
 * dropped, 0 not found (or already sent), -1 error (an action being sent
 * cannot be dropped: kind CONFLICT). */
int store_outbox_drop(struct store *st, int64_t id, struct tdesk_err *err);
/* Mark a conflicting or failed action to be sent again (on the newest
 * stamp); with new_body (may be NULL) replacing the comment text. */
int store_outbox_retry(struct store *st, int64_t id, const char *new_body,
    struct tdesk_err *err);
/* Drop, or keep / edit (new_body not NULL), n actions through
 * store_batch_run: all or nothing. */
int store_outbox_drop_many(struct store *st, const int64_t *ids, size_t n,
    const volatile sig_atomic_t *stop, struct tdesk_err *err);
int store_outbox_retry_many(struct store *st, const int64_t *ids, size_t n,
    const char *new_body, const volatile sig_atomic_t *stop,
    struct tdesk_err *err);
/* Push bookkeeping for sync/. */
int store_outbox_set_state(struct store *st, int64_t id, const char *state,
    const char *error, struct tdesk_err *err);
int store_outbox_count(struct store *st, const char *state, int64_t *n,
    struct tdesk_err *err);
/*
 * Record, durably, that a copy of a pending or in-flight action is about
 * to be sent on stamp: state inflight, sent_stamp, attempts + 1. Call it
 * before the request leaves. 1 recorded, 0 the action is no longer
 * pending or in flight (dropped, done: do not send), -1 error.
 */
int store_outbox_mark_sent(struct store *st, int64_t id, const char *stamp,
    struct tdesk_err *err);

/*
 * One pusher per replica: an exclusive lock on "DB-sync.lock" beside the
 * database, held until store_sync_unlock or the process ends (a SIGKILL
 * releases it too). 1 taken, 0 another process holds it (its pid in
 * *holder when known, else 0), -1 error.
 */
struct store_lock;
int store_sync_lock(struct store *st, struct store_lock **out,
    long *holder, struct tdesk_err *err);
void store_sync_unlock(struct store_lock *l);

/* --- audit, users, groups ---------------------------------------------- */

/* Append one row to the audit log, chained to the previous row by hash
 * (in the caller's transaction when there is one). */
int store_audit(struct store *st, const char *action, int64_t ticket_id,
    const char *detail, struct tdesk_err *err);

struct store_audit_row {
	int64_t id, at, ticket_id;
	const char *action, *detail, *prev, *hash;
};
typedef int (*store_audit_fn)(const struct store_audit_row *r, void *arg);
/* Audit rows at or after since, oldest first. */
int store_audit_list(struct store *st, int64_t since, store_audit_fn fn,
    void *arg, struct tdesk_err *err);
/* Check the chain: *bad is the id of the first row whose hash or link
 * does not hold, 0 when all do; *rows counts the rows. */
int store_audit_verify(struct store *st, int64_t *bad, int64_t *rows,
    struct tdesk_err *err);

/* --- safety: reply guard and secrets (store/safety.c) -------------------- */

struct guard_config;
struct guard_result;
/* The guard configuration store_action checks public comments with
 * (borrowed; NULL: the defaults). */
void store_set_guard(struct store *st, const struct guard_config *g);
/* Check text as a public reply to ticket_id (0: none), with the ticket's
 * secret hashes. out is filled (caller frees with guard_result_free). */
int store_guard_ticket(struct store *st, int64_t ticket_id, const char *text,
    const char *lang, struct guard_result *out, struct tdesk_err *err);
/* Redaction at ingest is on; off only to measure its cost (benchmarks). */
void store_set_redact(struct store *st, int on);
/* 1 and *kinds (caller frees) when the ticket carried a secret, 0 not. */
int store_secret_flag(struct store *st, int64_t ticket_id, char **kinds,
    struct tdesk_err *err);
/* The internal note tdesk suggests for such a ticket. */
void store_secret_note(const char *kinds, struct buf *out);

/* Insert or replace a user or group known locally (demo, tests). */
int store_user_put(struct store *st, int64_t id, const char *name,
    const char *email, const char *role, const char *locale, int vip,
    struct tdesk_err *err);
int store_group_put(struct store *st, int64_t id, const char *name,
    struct tdesk_err *err);
/* A user's role ("end-user", "agent", "admin") into out: 1 known, 0 not,
 * -1 error. */
int store_user_role(struct store *st, int64_t id, char *out, size_t n);

/* --- text ---------------------------------------------------------------- */

/* Append s to out with control characters, escape sequences and bidi
 * overrides made visible and inert (e.g. "^[", "<U+202E>"); newlines and
 * tabs kept when keep_newlines. Invalid UTF-8 becomes U+FFFD. */
void text_sanitize(struct buf *out, const char *s, size_t len,
    int keep_newlines);
/* Whether cp reorders or hides text (bidi controls, zero-width and
 * joiners, invisible format characters, tags): shown as markers. */
int text_invisible(uint32_t cp);
/* Append s with a space around every CJK character (for FTS5). */
void text_cjk_split(struct buf *out, const char *s, size_t len);
/* Whether s contains any CJK character. */
int text_has_cjk(const char *s, size_t len);
/* "ja" (kana), "ko" (hangul), "zh" (Han only) or NULL. */
const char *text_script_lang(const char *s, size_t len);

/* --- YAML documents (config, macros, FAQ) -------------------------------- */

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

/* A parsed YAML node with its position (1-based line and column). A map's
 * keys are scalars: keys[i] maps to items[i]. Aliases are refused. */
struct ynode {
	enum ynode_kind kind;
	int line, col;
	char *value;		/* SCALAR: the text (never NULL) */
	int quoted;		/* SCALAR: written in quotes */
	struct ynode **items;	/* SEQ items, MAP values */
	struct ynode **keys;	/* MAP keys (scalars) */
	size_t n;
	const char *file;	/* borrowed from the document */
};

/* Parse one YAML document from path. An empty file gives an empty map.
 * Errors read "path:line:col: message". Caller frees with ynode_free. */
struct ynode *yaml_load_file(const char *path, struct tdesk_err *err);
struct ynode *yaml_load_string(const char *name, const char *text,
    size_t len, struct tdesk_err *err);
void ynode_free(struct ynode *n);
/* The value of key in a map, or NULL (borrowed). */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/* Fill err with "file:line:col: msg" at node n; returns -1. */
int ynode_err(const struct ynode *n, struct tdesk_err *err, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
/* Check that map n is a map whose keys are all in allowed (NULL ended);
 * what names the map in messages ("config", "macro"). */
int ynode_check_keys(const struct ynode *n, const char *const *allowed,
    const char *what, struct tdesk_err *err);
/* Scalar helpers: fail with a positioned error if n is not a scalar of
 * the right shape. */
int ynode_str(const struct ynode *n, const char **out, struct tdesk_err *err);
int ynode_int(const struct ynode *n, long long min, long long max,
    long long *out, struct tdesk_err *err);
int ynode_bool(const struct ynode *n, int *out, struct tdesk_err *err);

/* --- macros and FAQ (owned by the macros engineer) --- */

/* Called with each message of a refused file ("file:line:col: ..."). */
typedef void (*store_msg_fn)(const char *msg, void *arg);

/*
 * Load macros from DIR/macros/NAME.yaml (or FAQ entries from DIR/faq/)
 * for each of the n dirs in order, replacing every non-remote row in one
 * transaction. A dir whose last component is "starter" gives source
 * 'starter', any other 'local'; a later dir's entry replaces an earlier
 * one of the same name (id). Missing dirs are skipped. A file with any
 * mistake is refused whole: each mistake goes to warn (may be NULL) and
 * the first into err (kind USAGE). Returns the number of refused files,
 * or -1 on a database error (nothing changed).
 */
int store_macros_load_dirs(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);
int store_faq_load_dirs(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);
/* Like the above, but a no-op when no file under the dirs changed since
 * the last clean load (compares names, sizes and mtimes). */
int store_macros_refresh(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);
int store_faq_refresh(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);

/*
 * Remote content, for sync/: the helpdesk's macros and help-center
 * articles as typed records (each backend maps its own answers). Each
 * call runs in its own nested transaction.
 */
struct store_macro_rec {
	int64_t remote_id;
	const char *title, *description;
	int active;		/* 0: remove it */
	const char *actions;	/* JSON array of {"field", "value"[,
				 * "lang"]}: the replica's macro actions
				 * (see store_macro_actions) */
	int64_t updated_at;
};
int store_macro_put_remote(struct store *st, const struct store_macro_rec *m,
    struct tdesk_err *err);

struct store_article_rec {
	int64_t remote_id;
	const char *key;	/* the FAQ id, e.g. "zd-360001" */
	const char *title;
	const char *body_html;
	const char *locale;	/* "en-us", "zh-cn" */
	const char *labels;	/* keywords, comma separated */
	int64_t section_id;	/* 0: none */
	int64_t updated_at;
	int draft;		/* 1: remove this locale's text */
};
int store_faq_put_article(struct store *st, const struct store_article_rec *a,
    struct tdesk_err *err);
/* After a list of articles: drop entries left without text and rebuild
 * the FAQ index. */
int store_faq_articles_done(struct store *st, struct tdesk_err *err);
/* Delete every remote macro / article: call inside store_begin() before
 * ingesting a complete list, so the ones deleted remotely go too. */
int store_macros_remote_clear(struct store *st, struct tdesk_err *err);
int store_faq_remote_clear(struct store *st, struct tdesk_err *err);

struct store_macro {
	const char *name;
	const char *description;
	const char *source;	/* "local", "starter", "remote" */
	int64_t remote_id;	/* 0 unless remote */
	const char *definition;	/* JSON: {"actions":[{field,value[,lang]}]} */
	const char *langs;	/* comment languages, space separated */
	int64_t updated_at;
};
typedef int (*store_macro_fn)(const struct store_macro *m, void *arg);
/* All macros by name; fn's argument is borrowed for the call. */
int store_macro_list(struct store *st, store_macro_fn fn, void *arg,
    struct tdesk_err *err);
/* One macro by exact name, else by case-insensitive name. 1 found, 0 not
 * found, -1 error. */
int store_macro_get(struct store *st, const char *name, store_macro_fn fn,
    void *arg, struct tdesk_err *err);

/* Each action of macro name in order: field as in Zendesk's actions
 * ("status", "current_tags", "comment_value", ...; tdesk's own
 * "assignee"/"group" take names), value as text, lang NULL or the
 * comment's language. 1 found, 0 not found, -1 error. */
int store_macro_actions(struct store *st, const char *name,
    int (*fn)(const char *field, const char *value, const char *lang,
    void *arg), void *arg, struct tdesk_err *err);

struct store_macro_opts {
	const char *lang;	/* NULL: follow the requester's locale */
	const char *const *vars; /* custom placeholders, "key=value" */
	size_t n_vars;
	const char *agent_name;	/* NULL: the desk's "me.name" state */
	int dry_run;		/* render and check, change nothing */
	const volatile sig_atomic_t *stop; /* may be NULL: see
				 * store_batch_run */
	const char *guard_override; /* reason to queue a public comment the
				 * reply guard blocks (audited) */
};

/* What a macro does to one ticket; strings are NULL when unchanged. */
struct store_macro_result {
	int64_t ticket_id;
	char lang[8];		/* comment variant used */
	char *comment;		/* rendered, placeholders filled */
	int comment_public;
	char *status;
	char *priority;
	char *type;
	char *assignee;		/* "" clears */
	char *group;		/* "" clears */
	char *add_tags;		/* space separated, NULL when none */
	char *remove_tags;
	int64_t outbox_id;	/* when applied */
};
void store_macro_result_clear(struct store_macro_result *r);
typedef int (*store_macro_result_fn)(const struct store_macro_result *r,
    void *arg);

/*
 * Render macro name for one ticket without changing anything: fills out
 * (caller clears). An unknown placeholder or one without a value (no
 * requester name, a custom one not given) is an error naming the
 * placeholder and the ticket. 1 done, 0 macro or ticket not found (err
 * says which, kind NOTFOUND), -1 error.
 */
int store_macro_preview(struct store *st, const char *name,
    int64_t ticket_id, const struct store_macro_opts *opts,
    struct store_macro_result *out, struct tdesk_err *err);
/*
 * Apply macro name to n tickets in one transaction: one outbox action
 * (kind "macro") per ticket via store_action(). All or nothing: if any
 * ticket is missing or cannot be rendered, nothing is applied and err
 * names the first failure and how many failed. fn (may be NULL) sees
 * each ticket's result before the commit. With opts->dry_run, renders
 * and checks only. Returns 0 or -1.
 */
int store_macro_apply(struct store *st, const char *name,
    const int64_t *ids, size_t n, const struct store_macro_opts *opts,
    store_macro_result_fn fn, void *arg, struct tdesk_err *err);
/* "zh" for zh/zh-* locales, "en" otherwise; with an empty locale, the
 * ticket's detected language decides (zh or en). */
const char *store_lang_pick(const char *locale, const char *ticket_lang);

struct store_faq {
	const char *id;
	const char *category;
	const char *keywords;	/* comma separated */
	const char *source;	/* "local", "starter", "remote" */
	const char *lang;	/* language of title and body */
	const char *langs;	/* all languages, space separated */
	const char *title;
	const char *body;
	double rank;		/* search: bm25, lower is better */
};
typedef int (*store_faq_fn)(const struct store_faq *f, void *arg);
/*
 * Full-text search over titles (weighted most), keywords and bodies of
 * every language; Chinese works down to one character. Entries come
 * best first, shown in lang (NULL: zh when text has Chinese, else en;
 * falls back to en, then any). limit 0 means 20. Return non-zero from
 * fn to stop.
 */
int store_faq_search(struct store *st, const char *text, const char *lang,
    int limit, store_faq_fn fn, void *arg, struct tdesk_err *err);
/* One entry in lang (NULL: en, else any). 1 found, 0 not, -1 error. */
int store_faq_get(struct store *st, const char *id, const char *lang,
    store_faq_fn fn, void *arg, struct tdesk_err *err);
/* Every entry by category then id, in lang (NULL: en, else any). */
int store_faq_list(struct store *st, const char *lang, store_faq_fn fn,
    void *arg, struct tdesk_err *err);

/* --- end of macros and FAQ --- */

/* --- demo ---------------------------------------------------------------- */

/* How a Zendesk-shaped page reaches the replica: the Zendesk backend's
 * mapping (sync_zendesk_ingest); store/ only makes the demo's pages. */
typedef int (*store_page_ingest_fn)(struct store *st, const char *json,
    size_t len, int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err);

/* Fill an empty replica with a realistic demo desk of n tickets,
 * generated from seed, through ingest: the same path as sync; what people
 * say comes from the file text (share/tdesk/demo/text.yaml). */
int store_demo_fill(struct store *st, const char *text, int n,
    unsigned seed, store_page_ingest_fn ingest, struct tdesk_err *err);

/* --- sync support (owned by the sync engineer: sync/ needs) ----------- */

/* The set of ticket ids seen by a full pass of the assigned list. */
int store_sync_seen_reset(struct store *st, struct tdesk_err *err);
/* ids: a JSON array of ticket ids, as store_ingest_stats.ids collects */
int store_sync_seen_add(struct store *st, const char *ids, size_t len,
    struct tdesk_err *err);
/* Local tickets assigned to me_id that the pass did not see. */
int store_sync_unseen_assigned(struct store *st, int64_t me_id,
    int64_t **ids, size_t *n, struct tdesk_err *err);
int store_sync_count_assigned(struct store *st, int64_t me_id, int64_t *n,
    struct tdesk_err *err);
/* Whether the ticket is in the replica (1), not (0), -1 on error. */
int store_sync_ticket_known(struct store *st, int64_t id,
    struct tdesk_err *err);
/* Forget a ticket the remote no longer shows us (deleted, no access),
 * unless actions for it wait in the outbox. */
int store_sync_ticket_forget(struct store *st, int64_t id,
    struct tdesk_err *err);

/* Which tickets need their comments fetched: changed since they were last
 * fetched and updated at or after since; active ones first, most urgent
 * first. Solved and closed tickets only when inactive is set. */
struct store_sync_todo {
	int64_t id;
	int64_t updated_at;
};
int store_sync_comments_todo(struct store *st, int64_t since, int inactive,
    struct store_sync_todo **out, size_t *n, struct tdesk_err *err);
/* Record that the comments of id are current as of updated_at; with id 0,
 * mark every solved and closed ticket (first load skips their history). */
int store_sync_comments_mark(struct store *st, int64_t id,
    int64_t updated_at, struct tdesk_err *err);

/* --- end of sync support ------------------------------------------------ */

#endif
