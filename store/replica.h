/* SPDX-License-Identifier: MIT */
/*
 * The replica and its transactions (store/db.c): opening and migrating the
 * SQLite file of a desk, nested transactions, key/value state, the audit
 * log (hash-chained) and the users and groups known locally.
 */
#ifndef TDESK_STORE_REPLICA_H
#define TDESK_STORE_REPLICA_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

struct store;

#define STORE_SCHEMA_VERSION 18

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
/* End the level opened by store_begin for work whose result is rc:
 * commit when rc >= 0 and give rc back (-1 when the commit fails), roll
 * back and give rc back otherwise. */
int store_finish(struct store *st, int rc, struct tdesk_err *err);
/* The nesting depth (0: no transaction open). */
int store_in_txn(const struct store *st);

/* Changes whenever another connection commits (PRAGMA data_version). */
int store_data_version(struct store *st, int64_t *out, struct tdesk_err *err);

/* Key/value state (sync cursors, watermarks, the agent's id).
 * store_state_lookup: 1 and *out (caller frees) when key is set, 0 and
 * NULL when it is not, -1 and err when the replica cannot be read.
 * store_state_get is the short form for callers to whom both are "no
 * value": the string (caller frees) or NULL. */
int store_state_lookup(struct store *st, const char *key, char **out,
    struct tdesk_err *err);
char *store_state_get(struct store *st, const char *key);
int store_state_set(struct store *st, const char *key, const char *value,
    struct tdesk_err *err);


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

/* Insert or replace a user or group known locally (demo, tests). */
int store_user_put(struct store *st, int64_t id, const char *name,
    const char *email, const char *role, const char *locale, int vip,
    struct tdesk_err *err);
int store_group_put(struct store *st, int64_t id, const char *name,
    struct tdesk_err *err);
/* A user's role ("end-user", "agent", "admin") into out: 1 known, 0 not,
 * -1 error. */
int store_user_role(struct store *st, int64_t id, char *out, size_t n);

#endif
