/* SPDX-License-Identifier: MIT */
/*
 * Released migrations are history: a desk that ran them must keep the
 * schema it got. This applies the released ones (1 to 14) to an empty
 * database and compares the schema, as `sqlite3 X .schema` lists it,
 * with tests/golden/schema-v14.sql, and the migrations' text with
 * tests/golden/migrations-v14.sql (both written at 6b3c1dc): how the C
 * spells the SQL may change, the statements executed may not.
 */
#include <sqlite3.h>

#include "check.h"
#include "store/store_int.h"

#define RELEASED 14

/* The released migrations' text, each after a "-- migration N" line,
 * in the form of tests/golden/migrations-v14.sql. */
static void
migrations_dump(struct buf *out)
{
	for (int v = 0; v < RELEASED; v++)
		buf_printf(out, "-- migration %d\n%s\n", v + 1,
		    store_migrations[v]);
}

/* The schema in the form of the sqlite3 shell's .schema: each object's
 * CREATE statement and ';', in the order sqlite_schema keeps them. */
static void
schema_dump(sqlite3 *db, struct buf *out)
{
	sqlite3_stmt *s;

	CHECK(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema"
	    " WHERE sql IS NOT NULL ORDER BY rowid", -1, &s, NULL) ==
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		buf_printf(out, "%s;\n", (const char *)sqlite3_column_text(s,
		    0));
	sqlite3_finalize(s);
}

static char *
golden(const char *name)
{
	const char *src = getenv("TDESK_SRCDIR");
	char *path = xasprintf("%s/tests/golden/%s", src && *src ? src :
	    TDESK_SRCDIR, name);
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	CHECK_MSG(f != NULL, "cannot open '%s'", path);
	free(path);
	if (f == NULL)
		return xstrdup("");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.data ? buf_detach(&b) : xstrdup("");
}

/* Compare got with golden file name; with TDESK_SCHEMA_WRITE set (to
 * write the golden files once), write got there first. */
static void
check_golden(const char *name, const struct buf *got)
{
	const char *dir = getenv("TDESK_SCHEMA_WRITE");
	char *want;

	if (dir && *dir) {
		char *path = xasprintf("%s/%s", dir, name);
		FILE *f = fopen(path, "w");

		CHECK(f != NULL && fputs(got->data, f) >= 0 && fclose(f) == 0);
		free(path);
	}
	want = golden(name);
	CHECK_STR(got->data, want);
	free(want);
}

int
main(void)
{
	struct buf schema = BUF_INIT, text = BUF_INIT;
	sqlite3 *db;

	CHECK(store_n_migrations >= RELEASED);
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	for (int v = 0; v < RELEASED; v++)
		CHECK_MSG(sqlite3_exec(db, store_migrations[v], NULL, NULL,
		    NULL) == SQLITE_OK, "migration %d: %s", v + 1,
		    sqlite3_errmsg(db));
	schema_dump(db, &schema);
	sqlite3_close(db);
	migrations_dump(&text);
	check_golden("schema-v14.sql", &schema);
	check_golden("migrations-v14.sql", &text);
	buf_free(&schema);
	buf_free(&text);
	return check_done("test_schema");
}
