/* SPDX-License-Identifier: MIT */
/*
 * Internal to store/: the connection struct and prepared-statement helpers
 * shared by the store's files. Never included outside store/.
 */
#ifndef TDESK_STORE_INT_H
#define TDESK_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

#define SLA_NONE INT64_MAX	/* sort sentinel: no active SLA target */

#define STORE_CACHE 128	/* prepared statements kept */
#define STORE_PROBES 8

struct store_cached {
	sqlite3_stmt *stmt;
	char *sql;
	unsigned hash;
	int busy;
};

struct store {
	sqlite3 *db;
	struct store_cached cache[STORE_CACHE];
	char *path;
	int txn_depth;
	int txn_doomed;	/* SQLite ended the transaction: every level fails */
	int flat_depth;	/* store_flat: levels above this one have no
			 * savepoints */
	int readonly;
	const struct store_rules *rules;	/* triage, borrowed */
	int64_t category_field;	/* triage: the backend's category field */
	const struct store_sla_policy *sla;	/* local SLA policy, borrowed */
	const struct guard_config *guard;	/* borrowed; NULL: defaults */
	char *salt;			/* for secret hashes (safety.c) */
	int no_redact;			/* store_set_redact(st, 0) */
	struct class_memo *class_memo;	/* class_memo.c */
};

/* A prepared statement for sql, from the connection's cache when it is
 * free. Give it back with store_done (never sqlite3_finalize). Fills err
 * with the database message on failure. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql,
    struct tdesk_err *err);
/* Reset and return a statement from store_prepare; NULL is fine. */
void store_done(struct store *st, sqlite3_stmt *s);
/* Fill err from the connection's last error, prefixed by what. */
int store_dberr(struct store *st, struct tdesk_err *err, const char *what);
/* Run sql with no parameters. */
int store_exec(struct store *st, const char *sql, struct tdesk_err *err);
/* Run sql with id bound to ?1 and text (unless NULL) to ?2. */
int store_exec_id(struct store *st, const char *sql, int64_t id,
    const char *text, struct tdesk_err *err);
/* Step s (a write) to its end and give it back: 0, or -1 with err
 * ("cannot write to"). */
int store_step_done(struct store *st, sqlite3_stmt *s, struct tdesk_err *err);
/* Give s back after a read whose last step returned rc: 1 when rc was a
 * row, 0 when the statement was done, -1 with err ("cannot read"); -1
 * for a NULL s (store_prepare failed and filled err). */
int store_step_end(struct store *st, sqlite3_stmt *s, int rc,
    struct tdesk_err *err);
/* The one-row read by id: bind id to ?1 of s and step once. The step's
 * result (SQLITE_ROW: read the row, then store_step_end), or
 * SQLITE_MISUSE for a NULL s. */
int store_step_id(sqlite3_stmt *s, int64_t id);
/* Step s for one row, read its first column into *out and give s back:
 * 1 a row, 0 none (*out untouched), -1 with err ("cannot read"). */
int store_step_int(struct store *st, sqlite3_stmt *s, int64_t *out,
    struct tdesk_err *err);
/* Call row(s, arg) for each row of s until one returns non-zero, then
 * give s back: the number of rows seen, or -1 with err ("cannot read"). */
int64_t store_step_rows(struct store *st, sqlite3_stmt *s,
    int (*row)(sqlite3_stmt *s, void *arg), void *arg,
    struct tdesk_err *err);
/* A caller's function and its argument, carried through store_step_rows
 * to the reader that turns a row into the caller's struct. */
struct store_cb {
	union {
		store_macro_fn macro;
		store_faq_fn faq;
		store_comment_fn comment;
		store_attachment_fn attachment;
		store_outbox_fn outbox;
	} fn;
	void *arg;
	int64_t bad;	/* a row the reader could not read (its id) */
};
/* Bind text that may be NULL (bound as NULL). */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* A column as a string, never NULL. */
const char *store_col_text(sqlite3_stmt *s, int i);

/* query.c, for ticket.c: the WHERE clause of a parsed query ("1" for
 * NULL) and its binds, and whether it searches the full text (then the
 * ticket index that only holds keys serves best). */
const char *store_query_where(const struct store_query *q);
int store_query_bind(const struct store_query *q, sqlite3_stmt *s);
int store_query_searches(const struct store_query *q);
/* Whether the ticket_counts table can count q's matches (its terms test
 * only status, assignee and VIP). */
int store_query_kept(const struct store_query *q);
/* The positive free-text terms as one FTS5 query, or NULL. */
const char *store_query_fts(const struct store_query *q);
/* How much of the WHERE clause holds all but the positive free-text terms
 * (its first *len bytes), for a caller that tests those itself. */
const char *store_query_where_plain(const struct store_query *q, int *len);

/* sla.c: the local SLA targets of the marked tickets (all when all) that
 * have none from the helpdesk. */
int store_sla_local_refresh(struct store *st, int all, struct tdesk_err *err);

/* Ranks used for ordering and for the < > operators of the query
 * language; -1 for unknown names. The one spelling of the ranks: SQL
 * asks these through status_rank(name) and priority_rank(name) (db.c),
 * NULL for unknown names. */
int store_status_rank(const char *s);
int store_priority_rank(const char *s);

/* Whether ticket id, with status (NULL: no such ticket), may be changed:
 * 1 yes, 0 not found, -1 closed (err says which; outbox.c). */
int store_ticket_changeable(int64_t id, const char *status,
    struct tdesk_err *err);

/* Whether t may be a tag: 1 to STORE_TAG_MAX bytes, none of them a
 * space, a control character, a comma, a quote or a backslash (outbox.c;
 * the rule for actions and for macros alike). */
#define STORE_TAG_MAX 80
int store_tag_valid(const char *t);

/* Resolve an assignee ("me", "none", id, email, name) or a group (name or
 * id) to an id; 0 means none. -1 with err (NOTFOUND) if unknown. */
int store_resolve_user(struct store *st, const char *who, int64_t *id,
    struct tdesk_err *err);
int store_resolve_group(struct store *st, const char *name, int64_t *id,
    struct tdesk_err *err);

/*
 * yload.c: the one loader of YAML directories, for macros, FAQ answers and
 * (next) triage rules. store_yfiles lists the YAML files under each
 * DIR/sub/, sorted, with a signature of their names, sizes and mtimes.
 */
struct store_yfile { char *path; int dir; int starter; };
size_t store_yfiles(const char *const *dirs, size_t n, const char *sub,
    struct store_yfile **out, char **sig);
void store_yfiles_free(struct store_yfile *f, size_t n);


struct store_yset;

/* The head of every kind's entry struct (its first member). */
struct store_yentry {
	const char *key;	/* the entry's id or name, set by parse */
	const char *file;	/* the file it came from */
	int dir;		/* index of its dir */
	int starter;		/* from a "starter" dir */
};

/* A kind of entry: where its files live and how one is parsed. A file
 * holds one entry, or a list of them under list_key and nothing else. */
struct store_ykind {
	const char *sub;	/* "macros": DIR/macros/NAME.yaml */
	const char *list_key;	/* "macros" */
	const char *noun;	/* "macro", for messages */
	const char *plural;	/* "macros" */
	const char *key_field;	/* "name": where a duplicate is shown */
	const char *key_noun;	/* "macro name" */
	int nocase;		/* keys equal without regard to case */
	size_t size;		/* of the entry struct */
	/* fill entry (zeroed) from n, setting its key; -1 with err */
	int (*parse)(const struct ynode *n, void *entry,
	    struct tdesk_err *err);
	void (*free)(void *entry);	/* what parse allocated */
	/* replace the rows from files with set, inside a transaction */
	int (*write)(struct store *st, const struct store_yset *set,
	    struct tdesk_err *err);
};

struct store_yset {
	const struct store_ykind *kind;	/* set it, the rest starts zeroed */
	char *e;		/* n entries of kind->size bytes */
	size_t n;
	struct store_yfile *files;	/* the entries point into these */
	size_t nf;
};

/* Load the kind's files from dirs into set ({ .kind = &k }): a later
 * dir's entry replaces an earlier one with the same key; each mistake goes
 * to warn (may be NULL), the first into *first. Returns the number of
 * files refused. Free with store_yset_free. */
int store_yload(struct store_yset *set, const char *const *dirs, size_t n,
    store_msg_fn warn, void *arg, struct tdesk_err *first, char **sig);
void *store_yset_at(const struct store_yset *set, size_t i);
struct store_yentry *store_yset_find(const struct store_yset *set,
    const char *key);
void store_yset_free(struct store_yset *set);

/* Load the kind's files from dirs and write them in one transaction (the
 * public store_macros_load_dirs and store_faq_load_dirs): the number of
 * refused files, the first mistake in err, or -1 on a database error
 * (nothing changed). store_yfiles_refresh does it only when the files
 * changed (names, sizes, mtimes) since the last clean load. */
int store_yload_dirs(struct store *st, const struct store_ykind *kind,
    const char *const *dirs, size_t n, store_msg_fn warn, void *arg,
    struct tdesk_err *err, char **sig);
int store_yfiles_refresh(struct store *st, const struct store_ykind *kind,
    const char *const *dirs, size_t n, store_msg_fn warn, void *arg,
    struct tdesk_err *err);
/* Whether k names a language in an entry ("en", "zh": two letters). */
int store_yaml_lang_key(const char *k);

/* macro_render.c, for loading: check a comment template, every
 * placeholder known and closed (-1 with err positioned at n). */
int store_macro_ph_check(const char *tpl, const struct ynode *n,
    struct tdesk_err *err);

/* faq.c: plain text from a little HTML. */
void store_html_to_text(struct buf *out, const char *html);

/* triage: whether the customer wrote since the agent last looked, over
 * a ticket_class row tc (store/triage.c): after a look, a customer
 * comment newer than the newest one then; never looked at, a customer
 * comment since the desk began to track it. */
#define TRIAGE_NEW_SQL(tc) "(CASE WHEN " tc ".seen_at > 0 THEN " tc \
	".last_customer_cid > " tc ".seen_cid ELSE " tc ".last_customer_at >=" \
	" coalesce((SELECT CAST(value AS INTEGER) FROM sync_state WHERE key =" \
	" 'triage.epoch'), 0) AND " tc ".last_customer_at > 0 END)"
/* safety.c: the reply guard on the write path. Blocks (-1, err) unless
 * override names a reason, which is then audited. */
int store_guard_gate(struct store *st, int64_t ticket_id, const char *text,
    const char *override, struct tdesk_err *err);
/* The desk's random salt for secret hashes (made on first use). */
const char *store_salt(struct store *st);
/* Secrets found while redacting customer text, written by
 * store_secrets_flush for their ticket (0: not known). */
struct store_secrets {
	struct buf hashes;	/* 32 hex digits + NUL each */
	struct buf kinds;	/* space separated */
	size_t found;
};
/* When s holds secrets, append it to out with them redacted and return
 * their count (the findings go to acc); else 0 and out is untouched (the
 * caller keeps s as it is). */
size_t store_redact_text(struct store *st, const char *s, size_t len,
    struct buf *out, struct store_secrets *acc);
/* An internal note with its secrets redacted (caller frees), or NULL
 * when it holds none. */
char *store_redact_note(struct store *st, const char *text);
struct redact_result;
/* The kinds and hashes of res into acc. */
void store_secrets_add(struct store_secrets *acc,
    const struct redact_result *res);
int store_secrets_flush(struct store *st, int64_t ticket_id,
    struct store_secrets *acc, struct tdesk_err *err);
/* A secret split across two comments of the ticket in a row by one
 * author, redacted in both (redact_across.c): after its comments are
 * written. */
int store_redact_across(struct store *st, int64_t ticket_id,
    struct tdesk_err *err);
void store_secrets_free(struct store_secrets *acc);

/*
 * The outbox (outbox.c, outbox_undo.c, outbox_queue.c). SQL names a state
 * by its one spelling in store/outbox.h: OB_SQL(DONE) is 'done'.
 */
#define OB_SQL(e) "'" STORE_OUTBOX_##e##_NAME "'"
/* A kind's word likewise: OB_KIND_SQL(MACRO) is 'macro'. */
#define OB_KIND_SQL(e) "'" STORE_OUTBOX_##e##_NAME "'"
/* Waiting to be sent (the ticket shows "pending" work). */
#define OB_SQL_WAITING "(" OB_SQL(PENDING) ", " OB_SQL(INFLIGHT) ")"
/* Stopped: the agent must keep, edit or drop it. */
#define OB_SQL_STUCK "(" OB_SQL(CONFLICT) ", " OB_SQL(FAILED) ")"
/* The states whose change still shows in the replica: all but DONE. */
#define OB_SQL_LIVE "(" OB_SQL(PENDING) ", " OB_SQL(INFLIGHT) ", " \
	OB_SQL(FAILED) ", " OB_SQL(CONFLICT) ")"
/* Apply the field changes of outbox action oid to the replica's copy of
 * ticket id (the comment is not touched here). */
int store_outbox_apply(struct store *st, int64_t id, int64_t oid,
    struct tdesk_err *err);
/* Re-apply every live action of a ticket over a fresh remote copy. */
int store_outbox_reapply(struct store *st, int64_t ticket_id,
    struct tdesk_err *err);
/* The state and ticket of action id: 1 found, 0 not, -1 error. */
int store_outbox_row_state(struct store *st, int64_t id,
    enum store_outbox_state *state, int64_t *ticket, struct tdesk_err *err);

/* Migrations: the SQL of each version, applied in order. */
extern const char *const store_migrations[];
extern const int store_n_migrations;

#endif
