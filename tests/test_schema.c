/* SPDX-License-Identifier: MIT */
/*
 * Released migrations are history: a desk that ran them must keep the
 * schema it got. This applies the released ones (1 to 14) to an empty
 * database and compares the schema, as `sqlite3 X .schema` lists it,
 * with tests/golden/schema-v14.sql (written at 6b3c1dc), and each
 * migration's text with the hash it had then: how the C spells the SQL
 * may change, the statements executed may not.
 */
#include <sqlite3.h>
#include <stdint.h>

#include "check.h"
#include "store/store_int.h"

#define RELEASED 14

/* FNV-1a of each released migration's text, as released. */
static const uint64_t released_hash[RELEASED] = {
	0x11b20f7f44fc5029ull, 0x3a2a56df04f71669ull, 0x05399a3d8f274602ull,
	0x3b7d4a33211f2cfbull, 0xb6716a76db4ccff2ull, 0xe48237f47dc594feull,
	0x4324d4dc2e0f7dc6ull, 0x4a565670ec06d496ull, 0x3a7f3f15713c44ecull,
	0xefd520f41d0e53ddull, 0x08052924f10e5ec9ull, 0x6e623421399cf358ull,
	0xa764960962c92938ull, 0x131eaa71f0c0e12bull,
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
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

int
main(void)
{
	const char *write = getenv("TDESK_SCHEMA_WRITE");
	struct buf got = BUF_INIT;
	sqlite3 *db;
	char *want;

	CHECK(store_n_migrations >= RELEASED);
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	for (int v = 0; v < RELEASED; v++) {
		uint64_t h = fnv1a(store_migrations[v]);

		CHECK_MSG(h == released_hash[v], "migration %d changed "
		    "(hash 0x%016llxull)", v + 1, (unsigned long long)h);
		CHECK_MSG(sqlite3_exec(db, store_migrations[v], NULL, NULL,
		    NULL) == SQLITE_OK, "migration %d: %s", v + 1,
		    sqlite3_errmsg(db));
	}
	schema_dump(db, &got);
	sqlite3_close(db);
	if (write && *write) {	/* to write the golden file once */
		FILE *f = fopen(write, "w");
		CHECK(f != NULL && fputs(got.data, f) >= 0 && fclose(f) == 0);
	}
	want = golden("schema-v14.sql");
	CHECK_STR(got.data, want);
	free(want);
	buf_free(&got);
	return check_done("test_schema");
}
