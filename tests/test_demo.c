/* SPDX-License-Identifier: MIT */
/*
 * Unit test of the demo desk (store/demo.c): deterministic from its seed,
 * varied enough to show off the product (statuses, languages, SLA
 * breaches, VIPs), and its hostile tickets arrive sanitised.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "sync/sync.h"
#include "tests/check.h"

#define NOW "2024-05-01T12:00:00Z"
#define NTICKETS 300


static char tmpdir[] = "/tmp/tdesk-test-demo.XXXXXX";

/* The demo's words in the source tree (TDESK_SRCDIR, set by tests/run and
 * meson test; else the tree this test was built from). */
static const char *
demo_text(void)
{
	static char path[4096];
	const char *src = getenv("TDESK_SRCDIR");

	snprintf(path, sizeof(path), "%s/store/demo/text.yaml",
	    src && *src ? src : TDESK_SRCDIR);
	return path;
}

static char *
fill(const char *name, unsigned seed)
{
	struct tdesk_err err = { 0 };
	struct store *st;
	char *path = xasprintf("%s/%s", tmpdir, name);

	st = store_open(path, STORE_CREATE, &err);
	if (st == NULL) {
		fprintf(stderr, "cannot open %s: %s\n", path, err.msg);
		exit(1);
	}
	if (store_demo_fill(st, demo_text(), NTICKETS, seed,
	    sync_zendesk_ingest, &err) < 0) {
		fprintf(stderr, "store_demo_fill: %s\n", err.msg);
		exit(1);
	}
	store_close(st);
	return path;
}

static sqlite3 *
raw_open(const char *path)
{
	sqlite3 *db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	return db;
}

/* The single integer a query returns; -1 on error. */
static long long
q1(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		check_failures++;
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* All subjects, ordered by id, joined by newlines (caller frees). */
static char *
subjects(sqlite3 *db)
{
	struct buf b = BUF_INIT;
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, "SELECT subject FROM tickets ORDER BY id",
	    -1, &s, NULL) != SQLITE_OK)
		return xstrdup("");
	while (sqlite3_step(s) == SQLITE_ROW) {
		buf_adds(&b, (const char *)sqlite3_column_text(s, 0));
		buf_addc(&b, '\n');
	}
	sqlite3_finalize(s);
	return buf_detach(&b);
}

static int
count_cjk(const struct store_ticket *t, void *arg)
{
	int *n = arg;

	if (text_has_cjk(t->subject, strlen(t->subject)))
		n[0]++;
	else
		n[1]++;
	return 0;
}

int
main(void)
{
	char *a, *b, *c, *sa, *sb, *sc, *me;
	sqlite3 *db, *db2;
	struct tdesk_err err = { 0 };
	struct store *st;
	struct store_query *q;
	int cjk[2] = { 0, 0 };
	long long v;

	check_pin_clock(NOW);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	a = fill("a.db", 42);
	b = fill("b.db", 42);
	c = fill("c.db", 7);

	/* Same seed, same desk; another seed, another desk. */
	db = raw_open(a);
	db2 = raw_open(b);
	sa = subjects(db);
	sb = subjects(db2);
	sqlite3_close(db2);
	db2 = raw_open(c);
	sc = subjects(db2);
	sqlite3_close(db2);
	CHECK_MSG(strcmp(sa, sb) == 0, "seed 42 twice gave different subjects");
	CHECK_MSG(strcmp(sa, sc) != 0, "seeds 42 and 7 gave the same subjects");

	/* Shape of the queue. */
	v = q1(db, "SELECT count(*) FROM tickets");
	CHECK_MSG(v == NTICKETS, "%lld tickets", v);
	v = q1(db, "SELECT count(DISTINCT status) FROM tickets");
	CHECK_MSG(v == 6, "%lld distinct statuses", v);
	v = q1(db, "SELECT count(*) FROM tickets"
	    " WHERE status IN ('new', 'open', 'pending')");
	CHECK_MSG(v > NTICKETS / 2, "only %lld new/open/pending", v);
	v = q1(db, "SELECT count(*) FROM tickets WHERE status = 'new'");
	CHECK_MSG(v > 10, "%lld new", v);
	v = q1(db, "SELECT count(*) FROM tickets"
	    " WHERE status IN ('solved', 'closed')");
	CHECK_MSG(v > 10 && v < NTICKETS / 3, "%lld solved/closed", v);
	v = q1(db, "SELECT count(*) FROM tickets"
	    " WHERE updated_at < created_at");
	CHECK_MSG(v == 0, "%lld tickets updated before created", v);
	v = q1(db, "SELECT count(*) FROM tickets WHERE updated_at > "
	    " unixepoch('" NOW "')");
	CHECK_MSG(v == 0, "%lld tickets updated in the future", v);
	v = q1(db, "SELECT count(DISTINCT channel) FROM tickets");
	CHECK_MSG(v >= 6, "%lld channels", v);
	v = q1(db, "SELECT count(DISTINCT group_id) FROM tickets");
	CHECK_MSG(v >= 7, "%lld groups used", v);
	v = q1(db, "SELECT count(*) FROM tickets WHERE priority = 'urgent'");
	CHECK_MSG(v > 5, "%lld urgent", v);

	/* Languages: about 40% Chinese, half English. */
	v = q1(db, "SELECT count(*) FROM tickets WHERE lang = 'zh'");
	CHECK_MSG(v > NTICKETS / 4 && v < NTICKETS * 6 / 10, "%lld zh", v);
	v = q1(db, "SELECT count(*) FROM tickets WHERE lang = 'en'");
	CHECK_MSG(v > NTICKETS / 3, "%lld en", v);
	v = q1(db, "SELECT count(*) FROM tickets t JOIN users u"
	    " ON u.id = t.requester_id WHERE u.locale = 'zh-CN'");
	CHECK_MSG(v > NTICKETS / 4, "%lld zh-CN requesters", v);

	/* SLAs: some breached, some due within the hour, many later. */
	v = q1(db, "SELECT count(*) FROM slas WHERE stage = 'active'"
	    " AND breach_at < unixepoch('" NOW "')");
	CHECK_MSG(v > 5, "%lld breached SLAs", v);
	v = q1(db, "SELECT count(*) FROM slas WHERE stage = 'active'"
	    " AND breach_at BETWEEN unixepoch('" NOW "')"
	    " AND unixepoch('" NOW "') + 3600");
	CHECK_MSG(v > 5, "%lld SLAs due within the hour", v);
	v = q1(db, "SELECT count(*) FROM slas WHERE stage = 'active'"
	    " AND breach_at > unixepoch('" NOW "') + 3600");
	CHECK_MSG(v > 30, "%lld SLAs due later", v);
	v = q1(db, "SELECT count(*) FROM slas WHERE stage = 'achieved'");
	CHECK_MSG(v > 10, "%lld achieved SLAs", v);

	/* VIPs and urgency. */
	v = q1(db, "SELECT count(*) FROM users WHERE vip");
	CHECK_MSG(v > 3, "%lld VIP users", v);
	v = q1(db, "SELECT count(*) FROM ticket_tags WHERE tag = 'vip'");
	CHECK_MSG(v > 5, "%lld tickets tagged vip", v);
	v = q1(db, "SELECT count(*) FROM tickets WHERE vip");
	CHECK_MSG(v > 5, "%lld VIP tickets", v);
	v = q1(db, "SELECT count(*) FROM tickets WHERE urgent");
	CHECK_MSG(v > 5, "%lld tickets marked urgent by the customer", v);
	v = q1(db, "SELECT count(*) FROM ticket_tags"
	    " WHERE tag = 'tx_hash_provided'");
	CHECK_MSG(v > 3, "%lld tickets with a tx hash", v);

	/* Conversations: 1-6 comments, the first is the description,
	 * internal notes exist, comment times stay within the ticket's. */
	v = q1(db, "SELECT count(*) FROM tickets t WHERE (SELECT count(*)"
	    " FROM comments c WHERE c.ticket_id = t.id) NOT BETWEEN 1 AND 6");
	CHECK_MSG(v == 0, "%lld tickets with 0 or more than 6 comments", v);
	v = q1(db, "SELECT count(*) FROM tickets t WHERE description !="
	    " (SELECT body FROM comments c WHERE c.ticket_id = t.id"
	    " ORDER BY created_at, id LIMIT 1)");
	CHECK_MSG(v == 0, "%lld descriptions differ from the first comment", v);
	v = q1(db, "SELECT count(*) FROM comments WHERE public = 0");
	CHECK_MSG(v > 30, "%lld internal notes", v);
	v = q1(db, "SELECT count(*) FROM tickets t WHERE abs(t.updated_at -"
	    " (SELECT max(created_at) FROM comments c"
	    " WHERE c.ticket_id = t.id)) > 60");
	CHECK_MSG(v == 0, "%lld tickets whose last comment is not updated_at", v);
	v = q1(db, "SELECT max(length(body)) FROM comments");
	CHECK_MSG(v > 2000, "longest body only %lld bytes", v);
	v = q1(db, "SELECT count(*) FROM comments WHERE id < 2147483648");
	CHECK_MSG(v == 0, "%lld comment ids below 2^31", v);
	v = q1(db, "SELECT count(*) FROM users WHERE id < 2147483648");
	CHECK_MSG(v == 0, "%lld user ids below 2^31", v);

	/* The agent the desk belongs to. */
	v = q1(db, "SELECT count(*) FROM sync_state"
	    " WHERE key = 'desk.kind' AND value = 'demo'");
	CHECK_MSG(v == 1, "desk.kind is not demo");
	v = q1(db, "SELECT count(*) FROM users u JOIN sync_state s"
	    " ON s.key = 'me.id' AND u.id = CAST(s.value AS INTEGER)"
	    " WHERE u.role = 'agent'");
	CHECK_MSG(v == 1, "me.id is not an agent");
	v = q1(db, "SELECT count(*) FROM tickets t JOIN sync_state s"
	    " ON s.key = 'me.id' AND t.assignee_id = CAST(s.value AS INTEGER)");
	CHECK_MSG(v > NTICKETS / 2, "only %lld tickets assigned to me", v);
	v = q1(db, "SELECT count(*) FROM tickets WHERE assignee_id = 0");
	CHECK_MSG(v > 5, "%lld unassigned", v);

	/* Hostile text arrived, made inert (the pasted seed phrase
	 * redacted): no ESC, no bidi override; the
	 * \u escapes (surrogate pairs included) decoded to valid UTF-8. */
	v = q1(db, "SELECT count(*) FROM tickets WHERE instr(subject, char(27))"
	    " OR instr(description, char(27))"
	    " OR instr(subject, char(8238)) OR instr(description, char(8238))");
	CHECK_MSG(v == 0, "%lld tickets with ESC or U+202E", v);
	v = q1(db, "SELECT count(*) FROM comments WHERE instr(body, char(27))"
	    " OR instr(body, char(8238)) OR instr(body, char(7))");
	CHECK_MSG(v == 0, "%lld comments with ESC, BEL or U+202E", v);
	v = q1(db, "SELECT count(*) FROM comments WHERE body LIKE '%52;c;%'"
	    " OR body LIKE '%fdp.exe%' OR body LIKE '%555-0143%'"
	    " OR body LIKE '%[seed phrase redacted: %'");
	CHECK_MSG(v >= 4, "only %lld hostile comments found", v);
	v = q1(db, "SELECT count(*) FROM comments"
	    " WHERE instr(body, char(65533))");
	CHECK_MSG(v == 0, "%lld comments with U+FFFD", v);
	v = q1(db, "SELECT count(*) FROM comments WHERE body LIKE '%🙏%'");
	CHECK_MSG(v > 0, "no emoji in comments");

	/* The same desk through the public API. */
	st = store_open(a, 0, &err);
	CHECK_MSG(st != NULL, "%s", err.msg);
	if (st) {
		q = store_query_parse("", &err);
		CHECK_MSG(q != NULL, "%s", err.msg);
		if (q && store_list(st, q, &(struct store_list_opts){ 0 },
		    count_cjk, cjk, &err) < 0)
			CHECK_MSG(0, "store_list: %s", err.msg);
		store_query_free(q);
		CHECK_MSG(cjk[0] > NTICKETS / 4, "%d CJK subjects", cjk[0]);
		CHECK_MSG(cjk[1] > NTICKETS / 3, "%d other subjects", cjk[1]);
		me = store_state_get(st, "me.name");
		CHECK_MSG(me && *me, "me.name unset");
		free(me);
		store_close(st);
	}

	sqlite3_close(db);
	free(sa);
	free(sb);
	free(sc);
	for (const char *p = "a.db\0b.db\0c.db\0"; *p; p += strlen(p) + 1) {
		char *f = xasprintf("%s/%s", tmpdir, p);
		char *w = xasprintf("%s-wal", f);
		char *s = xasprintf("%s-shm", f);

		unlink(f);
		unlink(w);
		unlink(s);
		free(f);
		free(w);
		free(s);
	}
	rmdir(tmpdir);
	free(a);
	free(b);
	free(c);
	return check_done("test_demo");
}
