/* SPDX-License-Identifier: MIT */
/*
 * Unit test of the queue's triage order at a size where store_list walks
 * it part by part (incidents, breached, the rest) instead of sorting:
 * every window (offset, limit, from the end) and the whole list give the
 * same tickets in the same order as one SQL ORDER BY over the matches.
 * A search is tested under every plan store_list can pick (sorted, walked
 * with full-text probes, walked with every hit read, and a walk that
 * switches from probes to the read midway), each forced by a hook.
 */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "sync/sync.h"
#include "tests/check.h"

#define NOW "2024-05-01T12:00:00Z"
#define NTICKETS 5000

/* store/query.c's WHERE clause and binds (internal to store/). */
const char *store_query_where(const struct store_query *q);
int store_query_bind(const struct store_query *q, sqlite3_stmt *s);
/* store/search.c's plan hooks */
extern long store_search_probes, store_search_dense, store_search_walk;
extern double store_search_skew;
extern int store_search_sparse;
int store_query_searches(const struct store_query *q);

/* The plans: matches from which to walk, probes before reading every
 * hit, rows the walk tests before it gives up and sorts the matches, the
 * skew that decides whether to sort first (0 walks, SORT sorts), and
 * whether to look for hits among the incidents first (then skip their
 * lanes when there is none) */
#define SORT 1e30
static const struct plan {
	const char *name;
	long dense, probes, walk;
	double skew;
	int sparse;
	int windows;	/* 2 all, 1 at 0 and midway, 0 at 0 */
} plans[] = {
	{ "auto", 2000, -1, -1, -1, -1, 2 },
	{ "sorted", LONG_MAX, -1, -1, -1, -1, 2 },
	{ "probes", 1, LONG_MAX, LONG_MAX, 0, 0, 0 },	/* slow: probes */
	{ "array", 1, 0, LONG_MAX, 0, 0, 1 },
	{ "switch", 1, 3, LONG_MAX, 0, 0, 1 },
	/* the walk gives up at once, after a few rows (in the first lane
	 * or the middle of a window), or after many */
	{ "gave up", 1, -1, 0, 0, 0, 1 },
	{ "gave up early", 1, 3, 7, 0, 0, 1 },
	{ "gave up late", 1, 0, 1500, 0, 0, 1 },
	/* the incidents' lanes skipped when no hit is one (else walked or
	 * sorted), and that walk giving up too */
	{ "no incident", 1, -1, -1, -1, 1, 2 },
	{ "no incident, gave up", 1, -1, 5, -1, 1, 1 },
	{ "sorted first", 1, -1, -1, SORT, 0, 1 },
	{ "auto from 1", 1, -1, -1, -1, -1, 1 },
};

static void
plan_set(const struct plan *p)
{
	store_search_dense = p->dense;
	store_search_probes = p->probes;
	store_search_walk = p->walk;
	store_search_skew = p->skew;
	store_search_sparse = p->sparse;
}

static char tmpdir[] = "/tmp/tdesk-test-order.XXXXXX";

struct ids {
	int64_t *v;
	size_t n;
	enum store_order order;
};

static int
collect(const struct store_ticket *t, void *arg)
{
	struct ids *ids = arg;

	ids->v = xrealloc(ids->v, (ids->n + 1) * sizeof(*ids->v));
	ids->v[ids->n++] = t->id;
	return 0;
}

/* The matches of q in an order, by one ORDER BY. */
static struct ids
reference(sqlite3 *db, const struct store_query *q, enum store_order order)
{
	struct ids ids = { 0 };
	long long now = (long long)time_now();
	char *sql = order == STORE_ORDER_URGENT ? xasprintf("SELECT t.id FROM"
	    " tickets t WHERE %s ORDER BY t.incident DESC, (t.sla_breach_at"
	    " <= %lld) DESC, t.vip DESC, t.urgent DESC, t.sla_breach_at,"
	    " t.priority_rank DESC, t.created_at, t.id", store_query_where(q),
	    now) : xasprintf("SELECT t.id FROM tickets t WHERE %s ORDER BY %s",
	    store_query_where(q), order == STORE_ORDER_UPDATED ?
	    "t.updated_at DESC, t.id DESC" : "t.id");
	sqlite3_stmt *s;

	ids.order = order;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		CHECK_FAIL("prepare: %s", sqlite3_errmsg(db));
		free(sql);
		return ids;
	}
	store_query_bind(q, s);
	while (sqlite3_step(s) == SQLITE_ROW) {
		ids.v = xrealloc(ids.v, (ids.n + 1) * sizeof(*ids.v));
		ids.v[ids.n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	free(sql);
	return ids;
}

static void
check_window(struct store *st, const struct store_query *q, const char *text,
    const struct ids *ref, int64_t off, int64_t lim, int from_end)
{
	struct store_list_opts o = { .order = ref->order,
	    .offset = off, .limit = lim, .from_end = from_end };
	struct tdesk_err err = { 0 };
	struct ids got = { 0 };
	size_t want_n = 0;

	if (store_list(st, q, &o, collect, &got, &err) < 0) {
		CHECK_FAIL("'%s' off %lld lim %lld: %s", text, (long long)off,
		    (long long)lim, err.msg);
		return;
	}
	if ((size_t)off < ref->n)
		want_n = ref->n - (size_t)off;
	if (lim > 0 && (size_t)lim < want_n)
		want_n = (size_t)lim;
	CHECK_MSG(got.n == want_n, "'%s' off %lld lim %lld end %d: %zu rows,"
	    " wanted %zu (plan dense %ld probes %ld walk %ld)", text,
	    (long long)off, (long long)lim, from_end, got.n, want_n,
	    store_search_dense, store_search_probes, store_search_walk);
	for (size_t i = 0; i < got.n && i < want_n; i++) {
		size_t k = from_end ? ref->n - 1 - (size_t)off - i :
		    (size_t)off + i;
		if (got.v[i] != ref->v[k]) {
			CHECK_FAIL("'%s' off %lld lim %lld end %d: row %zu is"
			    " #%lld, wanted #%lld (plan dense %ld probes %ld"
			    " walk %ld)", text, (long long)off, (long long)lim,
			    from_end, i, (long long)got.v[i],
			    (long long)ref->v[k], store_search_dense,
			    store_search_probes, store_search_walk);
			break;
		}
	}
	free(got.v);
}

/* The windows of q (all, or a few under a forced plan) against the
 * reference. */
static void
check_windows(struct store *st, const struct store_query *q, const char *text,
    const struct ids *ref, int level)
{
	int all = level == 2;

	int64_t n = (int64_t)ref->n, offs[] = { 0, 1, 39, 40, 1000, n / 2,
	    n - 10, n, n + 5 };

	if (all)
		check_window(st, q, text, ref, 0, 0, 0);
	for (size_t k = 0; k < ARRAY_LEN(offs); k++) {
		if (offs[k] < 0 || (!all && k != 0 && (k != 5 || !level)))
			continue;
		check_window(st, q, text, ref, offs[k], 40, 0);
		check_window(st, q, text, ref, offs[k], 40, 1);
	}
	if (all)
		check_window(st, q, text, ref, 100, 0, 0);
}

/* A search in the orders of updates and ids, under every plan. */
static void
check_orders(struct store *st, sqlite3 *db, const struct store_query *q,
    const char *text)
{
	for (int o = 0; o < 2; o++) {
		struct ids ref = reference(db, q, o ? STORE_ORDER_ID :
		    STORE_ORDER_UPDATED);
		for (size_t p = 0; p < ARRAY_LEN(plans); p++) {
			if (plans[p].sparse > 0)	/* the triage order's */
				continue;
			plan_set(&plans[p]);
			check_windows(st, q, text, &ref, plans[p].windows);
		}
		free(ref.v);
	}
}

int
main(void)
{
	struct tdesk_err err = { 0 };
	const char *src = getenv("TDESK_SRCDIR");
	char *text, *path;
	struct store *st;
	sqlite3 *db;
	const char *queries[] = { "status<solved", "", "lang:zh",
	    "priority>=normal -lang:zh", "assignee:me", "withdrawal",
	    "提现", "status:pending", "vip", "the", "please status<solved",
	    "\"my account\" -lang:zh", "您", "the -account",
	    /* phrases, Chinese, negations and filters with a search */
	    "\"destination tag\"", "提现 status<solved", "\"提现\" -lang:en",
	    "withdrawal -提现 priority>=normal", "the tag:vip",
	    "please assignee:me", "the -please status:open,pending",
	    "account \"my account\" -lang:zh", "您 -提现 is:unassigned",
	    "the 0x1234abcd", "-the status<solved", "-提现 -withdrawal",
	    "the -\"my account\" -提现" };

	check_pin_clock(NOW);
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	text = xasprintf("%s/store/demo/text.yaml", src && *src ? src :
	    TDESK_SRCDIR);
	path = xasprintf("%s/desk.db", tmpdir);
	st = store_open(path, STORE_CREATE, &err);
	if (st == NULL || store_demo_fill(st, text, NTICKETS, 7,
	    sync_zendesk_ingest, &err) < 0) {
		fprintf(stderr, "demo desk: %s\n", err.msg);
		return 1;
	}
	/* the triage (no rules here) flags no security incident: flag the
	 * tickets that tell of a hack or theft, which the triage order puts
	 * first (a phrase about deposits has no hit among them) */
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || sqlite3_exec(db, "UPDATE tickets SET incident = 1"
	    " WHERE id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts"
	    " MATCH 'hacked OR stolen OR unauthorized OR 盗')", NULL, NULL,
	    NULL) != SQLITE_OK || sqlite3_close(db) != SQLITE_OK)
		return 1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return 1;
	/* the demo desk's full-text index is merged into one segment (each
	 * probe seeks every segment) */
	sqlite3_stmt *seg;
	CHECK(sqlite3_prepare_v2(db, "SELECT count(DISTINCT segid) FROM"
	    " ticket_fts_idx", -1, &seg, NULL) == SQLITE_OK &&
	    sqlite3_step(seg) == SQLITE_ROW);
	CHECK_MSG(sqlite3_column_int(seg, 0) == 1, "%d segments",
	    sqlite3_column_int(seg, 0));
	sqlite3_finalize(seg);
	/* security incidents lead the triage order (the plan that skips
	 * their lanes needs some to skip) */
	CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM tickets WHERE"
	    " incident = 1", -1, &seg, NULL) == SQLITE_OK &&
	    sqlite3_step(seg) == SQLITE_ROW);
	CHECK_MSG(sqlite3_column_int(seg, 0) > 50, "%d incidents",
	    sqlite3_column_int(seg, 0));
	sqlite3_finalize(seg);
	for (size_t i = 0; i < ARRAY_LEN(queries); i++) {
		struct store_query *q = store_query_parse(queries[i], &err);
		struct ids ref;

		if (q == NULL) {
			CHECK_FAIL("parse '%s': %s", queries[i], err.msg);
			continue;
		}
		ref = reference(db, q, STORE_ORDER_URGENT);
		int64_t count = -1;
		CHECK(store_count(st, q, &count, &err) == 0);
		CHECK_MSG(count == (int64_t)ref.n, "'%s': counted %lld, wanted"
		    " %zu", queries[i], (long long)count, ref.n);
		for (size_t p = 0; p < ARRAY_LEN(plans); p++) {
			/* without text, probes do not matter */
			if (p > 2 && !store_query_searches(q))
				continue;
			plan_set(&plans[p]);
			check_windows(st, q, queries[i], &ref, plans[p].windows);
		}
		free(ref.v);
		if (store_query_searches(q))
			check_orders(st, db, q, queries[i]);
		store_query_free(q);
	}
	plan_set(&plans[0]);
	sqlite3_close(db);
	store_close(st);
	unlink(path);
	free(path);
	free(text);
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	free(cmd);
	return check_done("test_list_order");
}
