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
	const struct store_sla_policy *sla;	/* local SLA policy, borrowed */
	const struct guard_config *guard;	/* borrowed; NULL: defaults */
	char *salt;			/* for secret hashes (safety.c) */
	int no_redact;			/* store_set_redact(st, 0) */
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
/* Bind text that may be NULL (bound as NULL). */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* A column as a string, never NULL. */
const char *store_col_text(sqlite3_stmt *s, int i);

/* Ranks used for ordering and for the < > operators of the query
 * language; -1 for unknown names. */
int store_status_rank(const char *s);
int store_priority_rank(const char *s);

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
/* Redact s into out (text in, text out); the findings go to acc. */
void store_redact_text(struct store *st, const char *s, size_t len,
    struct buf *out, struct store_secrets *acc);
/* An internal note with its secrets redacted (caller frees), or NULL
 * when it holds none. */
char *store_redact_note(struct store *st, const char *text);
int store_secrets_flush(struct store *st, int64_t ticket_id,
    struct store_secrets *acc, struct tdesk_err *err);
void store_secrets_free(struct store_secrets *acc);

/* Migrations: the SQL of each version, applied in order. */
extern const char *const store_migrations[];
extern const int store_n_migrations;

#endif
