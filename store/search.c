/* SPDX-License-Identifier: MIT */
/*
 * A search's text tested row by row while store_list walks the queue's
 * index in order (ticket.c): tdesk_hit(t.id) says whether ticket t.id
 * matches the positive free-text terms.
 *
 * Two ways to answer, chosen as the walk goes:
 * - probe: ask the full-text index about this one ticket
 *   (`ticket_fts MATCH ? AND rowid = ?`, which FTS5 answers by seeking
 *   each term's doclist). It costs a few microseconds a row, and the
 *   first screen of a common word needs a few dozen rows: its cost does
 *   not grow with the desk.
 * - array: read every hit once (ascending rowids), then a binary search
 *   per row. Reading them costs what the word's doclist holds (500k hits
 *   at 1M tickets for a word in half the desk), which made the first
 *   screen of a common word grow with the desk; but when the walk must
 *   test many rows (a window deep in the list, a count, filters that
 *   leave few rows), it is far cheaper than a probe per row.
 * Which one is cheaper depends on how many rows the walk will test, which
 * only the walk knows. What the read would cost is known well enough: the
 * CPU time the first hits took per hit, times the hits there are (as many
 * as the first ones, scaled by the share of the ids they span; within 3%
 * on the demo desks). The probes' cost and how often they match are seen
 * as the walk goes. So after a few probes the walk reads every hit if the
 * probes for the rows still wanted (the caller's window, or a screenful
 * or two when it streams) would cost more than the read; and it never
 * lets the probes cost more than the read (then the walk is never much
 * worse than the cheaper of the two). CPU time, not the clock: on a
 * loaded machine the clock counts other processes. Ids up to the
 * last hit already read (store_list reads the first DENSE_MATCHES to
 * tell common from rare) are answered from those without a probe.
 */
#include "store/search.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Probes before the walk judges the rate at which they match */
#define SEARCH_TRIAL 16

long store_search_probes = -1;
long store_search_dense = 2000;
long store_search_walk = -1;
double store_search_skew = -1;
int store_search_sparse = -1;

int
search_failed(struct store *st, struct tdesk_err *err)
{
	if (strstr(sqlite3_errmsg(st->db), "fts5"))
		return err_set(err, TDESK_EUSAGE, "query: cannot search for "
		    "that text (%s)", sqlite3_errmsg(st->db));
	return store_dberr(st, err, "cannot read");
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
hits_read(struct store *st, const char *fts, size_t cap, struct hits *h,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT rowid FROM ticket_fts"
	    " WHERE ticket_fts MATCH ?1", err);
	size_t skip = h->n;
	int rc = SQLITE_DONE;

	int64_t t0 = now_ns();

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, fts, -1, SQLITE_STATIC);
	while ((cap == 0 || h->n < cap) &&
	    (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (skip > 0) {
			skip--;
			continue;
		}
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 4096;
			h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
		}
		h->v[h->n++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		search_failed(st, err);
		store_done(st, s);
		return -1;
	}
	if (cap == 0 || rc == SQLITE_DONE)
		h->all = 1;
	store_done(st, s);
	h->read_ns += now_ns() - t0;
	return 0;
}

/* Whether the full-text index holds id among h's hits: 1, 0, or -1. */
static int
probe(struct hits *h, int64_t id)
{
	int64_t t0 = now_ns();
	int rc;

	sqlite3_bind_int64(h->probe, 2, id);
	rc = sqlite3_step(h->probe);
	sqlite3_reset(h->probe);
	h->probe_ns += now_ns() - t0;
	h->probed++;
	h->found += rc == SQLITE_ROW;
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Whether one more probe is worth it (see the top of the file). */
static int
keep_probing(const struct hits *h)
{
	double read_ns, per, rate, left;

	if (h->probe == NULL)
		return 0;
	if (store_search_probes >= 0)
		return h->probes > 0;
	read_ns = (double)h->est * (double)h->read_ns / (double)h->n;
	if ((double)h->probe_ns >= read_ns)
		return 0;
	if (h->probed < SEARCH_TRIAL)
		return 1;
	per = (double)h->probe_ns / (double)h->probed;
	/* the share of tickets that match, as a prior worth as many
	 * probes as the trial: the queue's first rows can differ from the
	 * rest (security incidents all mention the account) */
	rate = ((double)h->found + SEARCH_TRIAL * (double)h->est /
	    (double)h->tickets) / (double)(h->probed + SEARCH_TRIAL);
	left = h->want > h->found ? (double)(h->want - h->found) / rate : 0;
	return left * per < read_ns;
}

/* Every hit as a bit of its id, for a walk that tests many rows: a
 * binary search a row was a sixth of the phrase's walk at 1M tickets.
 * Only over a span of ids up to 64M (an 8 MB map). */
#define BITS_SPAN (64LL << 20)

static void
bits_build(struct hits *h)
{
	h->bits_n = h->n ? h->v[h->n - 1] - h->v[0] + 1 : 0;
	if (h->n < 64 || h->bits_n > BITS_SPAN) {
		h->bits_n = -1;	/* not worth it, or too wide */
		return;
	}
	h->bits_lo = h->v[0];
	h->bits = xcalloc((size_t)(h->bits_n / 64 + 1), sizeof(*h->bits));
	for (size_t i = 0; i < h->n; i++) {
		int64_t b = h->v[i] - h->bits_lo;
		h->bits[b / 64] |= (uint64_t)1 << (b % 64);
	}
}

static void
hit_fn(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	struct hits *h = sqlite3_user_data(c);
	int64_t id = sqlite3_value_int64(argv[0]);
	size_t lo = 0, hi = h->n;

	(void)argc;
	if (h->budget >= 0 && h->tested++ >= h->budget) {
		h->gave_up = 1;
		sqlite3_result_error(c, "the walk gave up", -1);
		return;
	}
	if (!h->all && (h->n == 0 || id > h->v[h->n - 1])) {
		if (keep_probing(h)) {
			int r = probe(h, id);
			h->probes--;
			if (r < 0)
				sqlite3_result_error(c, sqlite3_errmsg(
				    h->st->db), -1);
			else
				sqlite3_result_int(c, r);
			return;
		}
		if (hits_read(h->st, h->fts, 0, h, NULL) < 0) {
			sqlite3_result_error(c, sqlite3_errmsg(h->st->db), -1);
			return;
		}
		hi = h->n;
	}
	if (h->all && h->bits_n == 0)
		bits_build(h);
	if (h->bits) {
		int64_t b = id - h->bits_lo;
		sqlite3_result_int(c, b >= 0 && b < h->bits_n &&
		    (h->bits[b / 64] >> (b % 64) & 1));
		return;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	sqlite3_result_int(c, lo < h->n && h->v[lo] == id);
}

/* How many hits there are, from the first h->n and the share of the ids
 * (up to the desk's last) that they span; and how many tickets (kept in
 * ticket_counts, migration 15). */
static int
estimate(struct store *st, struct hits *h, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT max(id), (SELECT"
	    " coalesce(sum(n), 0) FROM ticket_counts) FROM tickets", err);
	int64_t last;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_done(st, s);
		return store_dberr(st, err, "cannot read");
	}
	last = sqlite3_column_int64(s, 0);
	h->tickets = sqlite3_column_int64(s, 1);
	store_done(st, s);
	if (last < h->v[h->n - 1])
		last = h->v[h->n - 1];
	h->est = (int64_t)((double)h->n * (double)(last - h->v[0] + 1) /
	    (double)(h->v[h->n - 1] - h->v[0] + 1));
	if (h->tickets < h->est)
		h->tickets = h->est;
	return 0;
}

/*
 * Whether sorting the hits (search_sort.c) likely costs less than walking
 * the order until the walk has the matches it wants: 1, 0, or -1. The
 * walk tests about want * tickets / hits rows when the hits are spread
 * evenly through the order; they seldom are (the triage order puts
 * security incidents first, and a phrase about deposits has no hit among
 * them), so that is taken SEARCH_SKEW times, against the SEARCH_WALK rows
 * a hit that a sort would cost.
 */
int
hits_sort_first(struct store *st, struct hits *h, double skew,
    struct tdesk_err *err)
{
	double n;

	if (h->n == 0)
		return 1;
	if (!h->all && h->est == 0 && estimate(st, h, err) < 0)
		return -1;
	if (store_search_skew >= 0)	/* a test's plan */
		skew = store_search_skew;
	n = h->all ? (double)h->n : (double)h->est;
	return skew * (double)h->want * (double)h->tickets >
	    (double)SEARCH_WALK * n * n;
}

/*
 * Whether the hits are so few (under 1 in SEARCH_SPARSE tickets) that
 * looking each up among the incidents (hits_no_incident: about half a
 * microsecond a hit) costs less than walking the incidents' lanes (a
 * tenth of the desk, a fifth of a microsecond a row) would if they held
 * none: 1, 0, or -1.
 */
int
hits_sparse(struct store *st, struct hits *h, struct tdesk_err *err)
{
	if (store_search_sparse >= 0)	/* a test's plan */
		return store_search_sparse > 0;
	if (h->all)
		return 0;
	if (h->est == 0 && estimate(st, h, err) < 0)
		return -1;
	return h->est * SEARCH_SPARSE < h->tickets;
}

/*
 * The hits again, all of them, each looked up in tickets_incident (the
 * incidents by id, a few hundred pages that stay in the cache: 12k hits
 * in 6 ms at 1M tickets). A phrase about deposits has none among them,
 * and then the walk starts past their lanes.
 */
int
hits_no_incident(struct store *st, const char *fts, struct hits *h,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT f.rowid, t.id IS NOT NULL"
	    " FROM ticket_fts f LEFT JOIN tickets t INDEXED BY"
	    " tickets_incident ON t.id = f.rowid AND t.incident = 1"
	    " WHERE ticket_fts MATCH ?1", err);
	int64_t incidents = 0;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, fts, -1, SQLITE_STATIC);
	h->n = 0;
	free(h->bits);
	h->bits = NULL;
	h->bits_n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 4096;
			h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
		}
		h->v[h->n++] = sqlite3_column_int64(s, 0);
		incidents += sqlite3_column_int(s, 1);
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return search_failed(st, err);
	h->all = 1;
	return incidents == 0;
}

int
hits_attach(struct store *st, const char *fts, struct hits *h,
    struct tdesk_err *err)
{
	h->st = st;
	h->fts = fts;
	h->probes = store_search_probes;
	if (!h->all && h->n > 0 && h->est == 0 && estimate(st, h, err) < 0)
		return -1;
	h->budget = store_search_walk >= 0 ? store_search_walk :
	    SEARCH_WALK * (h->all ? (int64_t)h->n : h->est);
	if (!h->all && h->n > 0 && store_search_probes != 0) {
		h->probe = store_prepare(st, "SELECT 1 FROM ticket_fts WHERE"
		    " ticket_fts MATCH ?1 AND rowid = ?2", err);
		if (h->probe == NULL)
			return -1;
		sqlite3_bind_text(h->probe, 1, fts, -1, SQLITE_STATIC);
	}
	if (sqlite3_create_function_v2(st->db, "tdesk_hit", 1, SQLITE_UTF8 |
	    SQLITE_DIRECTONLY, h, hit_fn, NULL, NULL, NULL) != SQLITE_OK) {
		store_done(st, h->probe);
		h->probe = NULL;
		return store_dberr(st, err, "cannot read");
	}
	return 0;
}

void
hits_detach(struct store *st, struct hits *h)
{
	sqlite3_create_function_v2(st->db, "tdesk_hit", 1, SQLITE_UTF8, NULL,
	    NULL, NULL, NULL, NULL);
	store_done(st, h->probe);
	h->probe = NULL;
	free(h->bits);
	h->bits = NULL;
	h->bits_n = 0;
}

/*
 * Merge the full-text index into one segment (FTS5's 'optimize'), after a
 * bulk load. Loaded in one go, the index ends in a dozen segments (FTS5
 * merges them a few at a time), and a probe seeks a term in every one:
 * at 1M tickets a probe for 提现 cost 64 us of CPU over 12 segments and
 * 15 us over one (withdrawal 32 and 9 us), and the first screen of 提现
 * 37 -> 27 ms. The merge costs 0.8 s of CPU at 100k tickets, 7.8 s at
 * 1M; on one segment it does nothing.
 */
int
store_fts_optimize(struct store *st, struct tdesk_err *err)
{
	return store_exec(st, "INSERT INTO ticket_fts(ticket_fts)"
	    " VALUES('optimize')", err);
}
