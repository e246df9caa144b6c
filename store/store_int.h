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
	int readonly;
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

/* macro.c and faq.c (the macros engineer's): the YAML files under each
 * DIR/sub/, sorted, with a signature of their names, sizes and mtimes;
 * and plain text from a little HTML. */
struct store_yfile { char *path; int dir; int starter; };
size_t store_yfiles(const char *const *dirs, size_t n, const char *sub,
    struct store_yfile **out, char **sig);

/* Load sub ("macros", "faq") from dirs with load, unless the files are the
 * same (names, sizes, times) as at the last clean load. */
typedef int (*store_yload_fn)(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err,
    char **sig);
int store_yfiles_refresh(struct store *st, const char *const *dirs,
    size_t n, const char *sub, store_yload_fn load, store_msg_fn warn,
    void *arg, struct tdesk_err *err);
void store_yfiles_free(struct store_yfile *f, size_t n);
void store_html_to_text(struct buf *out, const char *html);

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
