/* SPDX-License-Identifier: MIT */
/*
 * A first load into an empty desk (import): the secondary indexes of
 * tickets and users are dropped for the load and built again at its end,
 * each by one sort. Those of comments stay: the derived rows (waiting
 * times, full text) read a ticket's comments by ticket during the load.
 * Kept during the load, every ticket cost a b-tree insert into each of
 * six wide indexes at random places, slower as they outgrew the page
 * cache. The schema afterwards is the same: the indexes come back from
 * their own SQL.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BULK_CACHE_KB 131072

struct store_bulk_load {
	struct store *st;
	char **sql;		/* CREATE INDEX statements to run at the end */
	size_t n;
	int cache_size;		/* the connection's own, given back at the end */
	int fts_held;		/* the full text's merge settings changed */
	int fts_old[2];		/* and theirs before, in fts_hold's order */
};

/* FTS5 settings during a bulk load, each with FTS5's default: segments
 * pile up unmerged until 64 of a size (a fresh build of 100k tickets'
 * text took a third less CPU than with the defaults). */
static const struct {
	const char *k;
	int load, dflt;
} fts_hold[] = {
	{ "automerge", 0, 4 },
	{ "crisismerge", 64, 16 },
};

static int
fts_set(struct store *st, const char *k, int v, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO ticket_fts(ticket_fts,"
	    " rank) VALUES(?1, ?2)", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, v);
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_done(st, s);
		return store_dberr(st, err, "cannot write to");
	}
	store_done(st, s);
	return 0;
}

/* The full text's merges held for the load: an optimisation only, so a
 * desk whose full text is made otherwise just loads without it. */
static void
fts_hold_merges(struct store *st, struct store_bulk_load *bl)
{
	struct tdesk_err ignored;
	sqlite3_stmt *s = store_prepare(st, "SELECT v FROM ticket_fts_config"
	    " WHERE k = ?1", &ignored);

	if (s == NULL)
		return;
	for (size_t i = 0; i < ARRAY_LEN(fts_hold); i++) {
		sqlite3_bind_text(s, 1, fts_hold[i].k, -1, SQLITE_STATIC);
		bl->fts_old[i] = sqlite3_step(s) == SQLITE_ROW ?
		    sqlite3_column_int(s, 0) : fts_hold[i].dflt;
		sqlite3_reset(s);
	}
	store_done(st, s);
	for (size_t i = 0; i < ARRAY_LEN(fts_hold); i++)
		if (fts_set(st, fts_hold[i].k, fts_hold[i].load, &ignored) < 0)
			return;
	bl->fts_held = 1;
}

static void
bulk_free(struct store_bulk_load *bl)
{
	char q[48];

	if (bl == NULL)
		return;
	snprintf(q, sizeof(q), "PRAGMA cache_size = %d", bl->cache_size);
	sqlite3_exec(bl->st->db, q, NULL, NULL, NULL);
	for (size_t i = 0; i < bl->n; i++)
		free(bl->sql[i]);
	free(bl->sql);
	free(bl);
}

static int
desk_empty(struct store *st, int *empty, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT NOT EXISTS (SELECT 1 FROM tickets)", err);

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_done(st, s);
		return store_dberr(st, err, "cannot read");
	}
	*empty = sqlite3_column_int(s, 0);
	store_done(st, s);
	return 0;
}

static int
cache_size(struct store *st)
{
	struct tdesk_err ignored;
	sqlite3_stmt *s = store_prepare(st, "PRAGMA cache_size", &ignored);
	int n = -2000;		/* SQLite's default */

	if (s && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	store_done(st, s);
	return n;
}

int
store_bulk_load_begin(struct store *st, struct store_bulk_load **out,
    struct tdesk_err *err)
{
	struct store_bulk_load *bl;
	sqlite3_stmt *s;
	char q[48];
	int empty = 0, rc;

	*out = NULL;
	if (store_in_txn(st) == 0)
		return err_set(err, TDESK_EGENERIC, "a bulk load needs a "
		    "transaction");
	if (desk_empty(st, &empty, err) < 0)
		return -1;
	if (!empty)
		return 0;
	s = store_prepare(st, "SELECT name, sql FROM sqlite_schema"
	    " WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN"
	    " ('tickets', 'users') ORDER BY name", err);
	if (s == NULL)
		return -1;
	bl = xcalloc(1, sizeof(*bl));
	bl->st = st;
	bl->cache_size = cache_size(st);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		bl->sql = xrealloc(bl->sql, (bl->n + 1) * sizeof(*bl->sql));
		bl->sql[bl->n++] = xstrdup(store_col_text(s, 1));
	}
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		bulk_free(bl);
		return store_dberr(st, err, "cannot read");
	}
	for (size_t i = 0; i < bl->n; i++) {
		/* "CREATE INDEX name ON ...": the name is the third word */
		const char *p = bl->sql[i] + strlen("CREATE INDEX ");
		size_t len = strcspn(p, " ");
		struct buf drop = BUF_INIT;

		if (strncmp(bl->sql[i], "CREATE INDEX ", 13) != 0) {
			/* a UNIQUE index is a constraint: leave it alone */
			free(bl->sql[i]);
			memmove(&bl->sql[i], &bl->sql[i + 1],
			    (bl->n - i - 1) * sizeof(*bl->sql));
			bl->n--;
			i--;
			continue;
		}
		buf_printf(&drop, "DROP INDEX \"%.*s\"", (int)len, p);
		rc = store_exec(st, drop.data, err);
		buf_free(&drop);
		if (rc < 0) {
			bulk_free(bl);
			return -1;
		}
	}
	*out = bl;
	snprintf(q, sizeof(q), "PRAGMA cache_size = -%d", BULK_CACHE_KB);
	sqlite3_exec(st->db, q, NULL, NULL, NULL);
	fts_hold_merges(st, bl);
	return 0;
}

int
store_bulk_load_end(struct store *st, struct store_bulk_load *bl,
    struct tdesk_err *err)
{
	int rc = 0;

	for (size_t i = 0; bl && bl->fts_held && i < ARRAY_LEN(fts_hold) &&
	    rc == 0; i++)
		rc = fts_set(st, fts_hold[i].k, bl->fts_old[i], err);
	for (size_t i = 0; bl && i < bl->n && rc == 0; i++)
		rc = store_exec(st, bl->sql[i], err);
	bulk_free(bl);
	return rc;
}

void
store_bulk_load_abort(struct store_bulk_load *bl)
{
	bulk_free(bl);
}
