/* SPDX-License-Identifier: MIT */
/*
 * Opening the replica: connection settings that let the UI and a cron
 * `tdesk sync` share one file, the versioned schema (its forward-only
 * migrations are in store/migrations.c), transactions and key/value
 * state.
 */
#include "store/store_int.h"
#include "store/class_memo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	if (s == NULL)
		return -1;	/* store_prepare said why */
	store_done(st, s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_dberr(st, err, "cannot read");
}

int
store_step_id(sqlite3_stmt *s, int64_t id)
{
	if (s == NULL)
		return SQLITE_MISUSE;
	sqlite3_bind_int64(s, 1, id);
	return sqlite3_step(s);
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
	store_class_memo_drop(st);
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

int
store_finish(struct store *st, int rc, struct tdesk_err *err)
{
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, err) < 0 ? -1 : rc;
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
