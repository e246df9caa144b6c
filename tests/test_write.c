/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the one safe write path: transactions nest as savepoints
 * (an inner failure unwinds only itself, a commit without a begin is an
 * error and never an abort), and store_multi_run is all or nothing under
 * item failures, database failures and a stop flag.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_int.h"
#include "sync/sync.h"
#include "tests/check.h"

static char dir[] = "/tmp/tdesk-test-write-XXXXXX";

static int64_t
count(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int64_t
open_ticket(struct store *st, int nth)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT id FROM tickets WHERE status ="
	    " 'open' ORDER BY id LIMIT 1 OFFSET %d", nth);
	return count(st, sql);
}

/* a batch writer that fails at one item */
struct failing {
	int64_t fail_at;
	volatile sig_atomic_t *stop;
	int64_t stop_after;
	const struct store_change *ch;
};

static int
ok_check(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	(void)st, (void)id, (void)arg, (void)err;
	return 1;
}

static int64_t
failing_write(struct store *st, int64_t id, void *arg,
    struct tdesk_err *err)
{
	struct failing *f = arg;
	int64_t r;

	if (id == f->fail_at)
		return err_set(err, TDESK_EGENERIC, "injected failure");
	r = store_action(st, id, f->ch, err);
	if (f->stop && --f->stop_after == 0)
		*f->stop = 2;
	return r;
}

int
main(void)
{
	struct tdesk_err err = { 0 };
	struct store_change note = { .comment = "checked", .comment_public = 0 };
	struct store *st;
	char *path;
	int64_t a, b, c, missing = 987654321, ob;

	if (mkdtemp(dir) == NULL)
		return 1;
	path = xasprintf("%s/w.db", dir);
	st = store_open(path, STORE_CREATE, &err);
	CHECK(st != NULL);
	if (st == NULL)
		return check_done("test_write");
	CHECK(store_demo_fill(st, TDESK_SRCDIR "/store/demo/text.yaml", 40, 7,
	    sync_zendesk_ingest, &err) == 0);
	a = open_ticket(st, 0);
	b = open_ticket(st, 1);
	c = open_ticket(st, 2);
	CHECK(a > 0 && b > 0 && c > 0);

	/* a commit without a begin is an error, not an abort */
	CHECK(store_commit(st, &err) < 0);
	CHECK(strstr(err.msg, "without a transaction") != NULL);
	store_rollback(st);	/* and a stray rollback does nothing */

	/* a failing store function inside a caller's transaction unwinds
	 * only its own work: the caller's earlier write stays */
	CHECK(store_begin(st, &err) == 0);
	CHECK((ob = store_action(st, a, &note, &err)) > 0);
	CHECK(store_action(st, missing, &note, &err) == 0);
	CHECK_INT(err.kind, TDESK_ENOTFOUND);
	CHECK_INT(store_in_txn(st), 1);
	CHECK(store_action(st, b, &note, &err) > 0);
	CHECK(store_commit(st, &err) == 0);
	CHECK_INT(store_in_txn(st), 0);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), 2);

	/* an inner rollback keeps the outer level's work */
	CHECK(store_begin(st, &err) == 0);
	CHECK(store_action(st, c, &note, &err) > 0);
	CHECK(store_begin(st, &err) == 0);
	CHECK(store_action(st, a, &note, &err) > 0);
	store_rollback(st);
	CHECK_INT(store_in_txn(st), 1);
	CHECK(store_commit(st, &err) == 0);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), 3);
	CHECK_INT(count(st, "SELECT count(*) FROM audit"), 3);

	/* dropping inside a caller's transaction: a refusal (in flight)
	 * leaves the caller's transaction open and whole */
	CHECK(store_outbox_set_state(st, ob, STORE_OUTBOX_INFLIGHT, NULL,
	    &err) == 0);
	CHECK(store_begin(st, &err) == 0);
	CHECK(store_action(st, c, &note, &err) > 0);
	CHECK(store_outbox_drop(st, ob, &err) < 0);
	CHECK_INT(err.kind, TDESK_ECONFLICT);
	CHECK(store_commit(st, &err) == 0);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), 4);
	CHECK(store_outbox_set_state(st, ob, STORE_OUTBOX_PENDING, NULL,
	    &err) == 0);

	/* a batch whose third write fails writes nothing */
	int64_t ids[3] = { a, b, c };
	struct failing f = { .fail_at = c, .ch = &note };
	struct store_multi bt = { .what = "test", .check = ok_check,
	    .write = failing_write, .arg = &f };
	int64_t before = count(st, "SELECT count(*) FROM outbox");
	int64_t audit_before = count(st, "SELECT count(*) FROM audit");
	CHECK(store_multi_run(st, ids, 3, &bt, &err) < 0);
	CHECK_STR(err.msg, "injected failure");
	CHECK_INT(bt.n_done, 0);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), before);
	CHECK_INT(count(st, "SELECT count(*) FROM audit"), audit_before);
	CHECK_INT(store_in_txn(st), 0);

	/* a stop flag (a signal) after the first write: nothing written */
	volatile sig_atomic_t stop = 0;
	f.fail_at = 0;
	f.stop = &stop;
	f.stop_after = 1;
	bt.stop = &stop;
	CHECK(store_multi_run(st, ids, 3, &bt, &err) < 0);
	CHECK_INT(err.kind, TDESK_EINTR);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), before);

	/* every item is checked before any is written; all failures are
	 * counted in the message */
	int64_t bad[4] = { a, missing, b, missing + 1 };
	CHECK(store_write_tickets(st, bad, 4, &note, NULL, NULL, &err) < 0);
	CHECK_INT(err.kind, TDESK_ENOTFOUND);
	CHECK(strstr(err.msg, "no ticket 987654321") != NULL);
	CHECK(strstr(err.msg, "(and 1 more of 4)") != NULL);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), before);

	/* and a good batch writes every item, one audit row each */
	int64_t got[3] = { 0 };
	CHECK(store_write_tickets(st, ids, 3, &note, NULL, got, &err) == 0);
	CHECK(got[0] > 0 && got[1] > got[0] && got[2] > got[1]);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), before + 3);
	CHECK_INT(count(st, "SELECT count(*) FROM audit"), audit_before + 3);

	/* a closed ticket refuses the whole batch */
	char sql[96];
	snprintf(sql, sizeof(sql), "UPDATE tickets SET status = 'closed'"
	    " WHERE id = %lld", (long long)b);
	CHECK(sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK);
	CHECK(store_write_tickets(st, ids, 3, &note, NULL, NULL, &err) < 0);
	CHECK_INT(err.kind, TDESK_EUSAGE);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), before + 3);

	/* the database full half-way (max_page_count stands in for the
	 * disk): the batch fails with its own kind, nothing stays, and the
	 * connection is usable again at once */
	int64_t pages = count(st, "PRAGMA page_count");
	char *big = xmalloc(40001);
	memset(big, 'z', 40000);
	big[40000] = '\0';
	struct store_change huge = { .comment = big, .comment_public = 0 };
	int64_t four[2] = { a, c };
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
	    (long long)pages + 4);
	CHECK(sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK);
	before = count(st, "SELECT count(*) FROM outbox");
	CHECK(store_write_tickets(st, four, 2, &huge, NULL, NULL, &err) < 0);
	CHECK_INT(err.kind, TDESK_ENOSPACE);
	CHECK(strstr(err.msg, "disk is full") != NULL);
	CHECK_INT(store_in_txn(st), 0);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), before);
	CHECK(sqlite3_exec(st->db, "PRAGMA max_page_count = 1073741823", NULL,
	    NULL, NULL) == SQLITE_OK);
	CHECK(store_write_tickets(st, four, 2, &huge, NULL, NULL, &err) == 0);
	CHECK_INT(count(st, "SELECT count(*) FROM outbox"), before + 2);
	free(big);

	CHECK_INT(count(st, "SELECT count(*) FROM pragma_integrity_check"
	    " WHERE integrity_check <> 'ok'"), 0);
	store_close(st);
	unlink(path);
	free(path);
	char *wal = xasprintf("%s/w.db-wal", dir), *shm =
	    xasprintf("%s/w.db-shm", dir);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	rmdir(dir);
	return check_done("test_write");
}
