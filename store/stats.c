/* SPDX-License-Identifier: MIT */
/*
 * The numbers of `tdesk stats`: per period and per key (category,
 * channel, language, day, agent), tickets created, solved and open,
 * first reply and resolution times (median and p90), the SLA breach
 * rate, satisfaction when the replica has ratings, the share answered
 * by a macro or a FAQ answer (outbox_origin, written with the action),
 * the backlog's age and a daily series. One pass over the period's
 * tickets joined to their triage rows.
 */
#include "store/store_int.h"
#include "store/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vec {
	double *v;
	size_t n, cap;
};

static void
vec_add(struct vec *a, double x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = x;
}


/* The k-th smallest of v[0..n) (0-based), moving elements: quickselect,
 * linear on average, where a sort of every value took a fifth of the
 * time. */
static double
kth(double *v, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		ptrdiff_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			return v[kk];
	}
	return v[kk];
}

/* Nearest-rank percentile (p in 0..100) of a; -1 when empty. The
 * median of an even count is the mean of the middle two. */
static double
pct(struct vec *a, int p)
{
	if (a->n == 0)
		return -1;
	if (p == 50) {
		if (a->n % 2)
			return kth(a->v, a->n, a->n / 2);
		return (kth(a->v, a->n, a->n / 2 - 1) +
		    kth(a->v, a->n, a->n / 2)) / 2;
	}
	size_t rank = (size_t)((p * a->n + 99) / 100);
	if (rank < 1)
		rank = 1;
	return kth(a->v, a->n, rank - 1);
}

struct acc {
	struct stats_row row;
	struct vec frt, res;
};

/* Each ticket's first reply, by id: read in one pass in id order and
 * searched in memory, rather than a B-tree lookup per ticket. */
struct firsts {
	int64_t *id, *at;
	size_t n, cap;
};

static int64_t
first_of(const struct firsts *f, int64_t id)
{
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->n && f->id[lo] == id ? f->at[lo] : 0;
}

static void
acc_add(struct acc *a, sqlite3_stmt *s, int64_t now, int sat,
    int64_t first, int canned)
{
	int srank = sqlite3_column_int(s, 1);
	int64_t created = sqlite3_column_int64(s, 2);
	int64_t updated = sqlite3_column_int64(s, 3);
	int64_t breach = sqlite3_column_int64(s, 5);

	a->row.created++;
	if (srank >= 4) {
		a->row.solved++;
		if (updated >= created)
			vec_add(&a->res, (double)(updated - created));
	} else {
		a->row.open++;
	}
	if (first > 0) {
		a->row.replied++;
		if (first >= created)
			vec_add(&a->frt, (double)(first - created));
	}
	if (breach != SLA_NONE) {
		a->row.sla_total++;
		/* passed before the first reply, or passed unanswered */
		if ((first > 0 && first > breach) || (first == 0 &&
		    srank < 4 && breach <= now))
			a->row.sla_breached++;
	}
	if (sat == 1)
		a->row.sat_good++;
	else if (sat == 2)
		a->row.sat_bad++;
	if (canned & 1)
		a->row.by_macro++;
	if (canned & 2)
		a->row.by_faq++;
	if (canned)
		a->row.by_canned++;
}

static void
acc_finish(struct acc *a, struct stats_row *out, int has_sat)
{
	a->row.frt_median = pct(&a->frt, 50);
	a->row.frt_p90 = pct(&a->frt, 90);
	a->row.res_median = pct(&a->res, 50);
	a->row.res_p90 = pct(&a->res, 90);
	/* no rated ticket (or no ratings in this replica): n/a, not 0% */
	if (!has_sat || a->row.sat_good + a->row.sat_bad == 0)
		a->row.sat_good = a->row.sat_bad = -1;
	*out = a->row;
	free(a->frt.v);
	free(a->res.v);
	memset(a, 0, sizeof(*a));
}

#define STATS_MAX_KEYS 2000

struct keyed {
	char key[64];
	struct acc acc;
};

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key,
	    ((const struct keyed *)b)->key);
}

static const char *
key_sql(enum stats_by by)
{
	switch (by) {
	case STATS_BY_CATEGORY:
		return "coalesce(nullif(t.category, ''), 'unclassified')";
	case STATS_BY_CHANNEL:
		return "coalesce(nullif(t.channel, ''), 'unknown')";
	case STATS_BY_LANG:
		return "t.lang";
	case STATS_BY_DAY:
		return "date(t.created_at, 'unixepoch')";
	case STATS_BY_AGENT:
		return "coalesce((SELECT coalesce(nullif(u.name, ''), u.email)"
		    " FROM users u WHERE u.id = t.assignee_id), 'unassigned')";
	case STATS_BY_NONE:
	default:
		return "''";
	}
}

static void
firsts_free(struct firsts *f)
{
	free(f->id);
	free(f->at);
	memset(f, 0, sizeof(*f));
}

/* (id, value) rows of sql, in id order, into f. */
static int
firsts_load(struct store *st, const char *sql, struct firsts *f,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, sql, err);

	if (s == NULL)
		return -1;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 1024;
			f->id = xrealloc(f->id, f->cap * sizeof(*f->id));
			f->at = xrealloc(f->at, f->cap * sizeof(*f->at));
		}
		f->id[f->n] = sqlite3_column_int64(s, 0);
		f->at[f->n++] = sqlite3_column_int64(s, 1);
	}
	store_done(st, s);
	return 0;
}

/* Each ticket's first reply; the tickets answered with a macro (bit 1)
 * or a FAQ answer (bit 2): a failed action answered nothing. */
static int
load_firsts(struct store *st, struct firsts *fr, struct firsts *canned,
    struct tdesk_err *err)
{
	if (firsts_load(st, "SELECT ticket_id, first_reply_at"
	    " FROM ticket_class WHERE first_reply_at > 0"
	    " ORDER BY ticket_id", fr, err) == 0 &&
	    firsts_load(st, "SELECT o.ticket_id,"
	    " max(o.kind = " OB_KIND_SQL(MACRO) " OR coalesce(g.kind = 'macro',"
	    " 0))"
	    " | (max(coalesce(g.kind = 'faq', 0)) << 1)"
	    " FROM outbox o LEFT JOIN outbox_origin g"
	    " ON g.outbox_id = o.id WHERE o.state <> " OB_SQL(FAILED)
	    " AND (o.kind = " OB_KIND_SQL(MACRO) " OR g.outbox_id IS NOT NULL)"
	    " GROUP BY o.ticket_id ORDER BY o.ticket_id", canned, err) == 0)
		return 0;
	firsts_free(fr);
	firsts_free(canned);
	return -1;
}

/* What one pass over the period's tickets adds up. */
struct scan {
	struct acc total, mine;
	struct keyed *keys;
	size_t n_keys;
	int has_sat;
	int64_t me, now;
};

static void
scan_free(struct scan *sc)
{
	free(sc->total.frt.v);
	free(sc->total.res.v);
	free(sc->mine.frt.v);
	free(sc->mine.res.v);
	for (size_t j = 0; j < sc->n_keys; j++) {
		free(sc->keys[j].acc.frt.v);
		free(sc->keys[j].acc.res.v);
	}
	free(sc->keys);
}

/* The accumulator of key k: found by a short search (keys are few:
 * categories, channels, days, agents), no sort; NULL past the cap. */
static struct acc *
scan_key(struct scan *sc, const char *k)
{
	size_t j;

	for (j = 0; j < sc->n_keys; j++)
		if (strncmp(sc->keys[j].key, k, sizeof(sc->keys[j].key) - 1) ==
		    0)
			return &sc->keys[j].acc;
	if (sc->n_keys == STATS_MAX_KEYS)
		return NULL;
	sc->keys = xrealloc(sc->keys, (sc->n_keys + 1) * sizeof(*sc->keys));
	memset(&sc->keys[sc->n_keys], 0, sizeof(*sc->keys));
	snprintf(sc->keys[sc->n_keys].key, sizeof(sc->keys[0].key), "%s", k);
	return &sc->keys[sc->n_keys++].acc;
}

static int
scan_tickets(struct store *st, int64_t since, enum stats_by by,
    const struct firsts *fr, const struct firsts *canned,
    const struct firsts *rated, struct scan *sc, struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int rc;

	buf_printf(&sql, "SELECT %s AS k, t.status_rank, t.created_at,"
	    " t.updated_at, t.id, t.sla_breach_at, 0,"
	    " '', t.assignee_id = ?2 AND ?2 <> 0"
	    /* the index covers every column read: no whole rows (with
	     * their conversations) are read (100k tickets: 650 -> 150 ms);
	     * the ratings come from their own small index */
	    " FROM tickets t INDEXED BY tickets_lanes"
	    " WHERE t.created_at >= ?1 AND t.status_rank < 6", key_sql(by));
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, sc->me);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 4);
		int64_t first = first_of(fr, id);
		int cn = canned->n ? (int)first_of(canned, id) : 0;
		int sat = rated->n ? (int)first_of(rated, id) : 0;
		struct acc *k;

		acc_add(&sc->total, s, sc->now, sat, first, cn);
		if (sqlite3_column_int(s, 8))
			acc_add(&sc->mine, s, sc->now, sat, first, cn);
		if (by != STATS_BY_NONE &&
		    (k = scan_key(sc, store_col_text(s, 0))) != NULL)
			acc_add(k, s, sc->now, sat, first, cn);
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return 0;
}

/* The backlog now, whatever its age, and its age. */
static int
stats_backlog(struct store *st, struct stats_report *out,
    struct tdesk_err *err)
{
	struct vec backlog = { 0 };
	sqlite3_stmt *s = store_prepare(st, "SELECT created_at FROM tickets"
	    " INDEXED BY tickets_lanes WHERE status_rank < 4", err);

	if (s == NULL)
		return -1;
	while (sqlite3_step(s) == SQLITE_ROW)
		vec_add(&backlog, (double)(out->now -
		    sqlite3_column_int64(s, 0)));
	store_done(st, s);
	out->backlog = (int64_t)backlog.n;
	out->backlog_age_median = pct(&backlog, 50);
	out->backlog_age_p90 = pct(&backlog, 90);
	free(backlog.v);
	return 0;
}

/* Tickets created per day, the last days of the period (at most 31). */
static int
stats_daily(struct store *st, int64_t since, struct stats_report *out,
    struct tdesk_err *err)
{
	int64_t now = out->now, day0 = now - now % 86400, first;
	int days = (int)((day0 - (since - since % 86400)) / 86400) + 1;
	sqlite3_stmt *s;

	if (days > 31)
		days = 31;
	if (days < 1)
		days = 1;
	out->n_daily = days;
	first = day0 - (int64_t)(days - 1) * 86400;
	s = store_prepare(st, "SELECT (created_at - created_at % 86400),"
	    " count(*) FROM tickets INDEXED BY tickets_lanes"
	    " WHERE created_at >= ?1 AND status_rank < 6 GROUP BY 1", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, first);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t d = (sqlite3_column_int64(s, 0) - first) / 86400;
		if (d >= 0 && d < days)
			out->daily[d] = sqlite3_column_int64(s, 1);
	}
	store_done(st, s);
	return 0;
}

/* Whether the replica has satisfaction ratings (a later schema). */
static int
has_satisfaction(struct store *st, int *has, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM"
	    " pragma_table_info('tickets') WHERE name = 'satisfaction'", err);

	if (s == NULL)
		return -1;
	*has = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	store_done(st, s);
	return 0;
}

int
store_stats(struct store *st, int64_t since, enum stats_by by,
    struct stats_report *out, struct tdesk_err *err)
{
	struct scan sc = { .now = time_now() };
	struct firsts fr = { 0 }, canned = { 0 }, rated = { 0 };
	char *mes;
	int rc;

	memset(out, 0, sizeof(*out));
	/* one pass over every ticket's keys: map the file rather than copy
	 * each page through a small cache (100k tickets: a third of the
	 * time went to pread) */
	sqlite3_exec(st->db, "PRAGMA mmap_size = 1073741824", NULL, NULL,
	    NULL);
	out->since = since;
	out->now = sc.now;
	if (has_satisfaction(st, &sc.has_sat, err) < 0)
		return -1;
	if ((mes = store_state_get(st, "me.id")) != NULL) {
		sc.me = strtoll(mes, NULL, 10);
		free(mes);
	}
	out->has_me = sc.me > 0;
	if (load_firsts(st, &fr, &canned, err) < 0)
		return -1;
	/* the rated tickets, 1 good and 2 bad, from their partial index */
	rc = !sc.has_sat ? 0 : firsts_load(st, "SELECT id, CASE satisfaction"
	    " WHEN 'good' THEN 1 WHEN 'bad' THEN 2 ELSE 0 END FROM tickets"
	    " WHERE satisfaction <> '' ORDER BY id", &rated, err);
	if (rc == 0)
		rc = scan_tickets(st, since, by, &fr, &canned, &rated, &sc,
		    err);
	firsts_free(&fr);
	firsts_free(&canned);
	firsts_free(&rated);
	if (rc < 0) {
		scan_free(&sc);
		return -1;
	}
	if (sc.n_keys > 1)
		qsort(sc.keys, sc.n_keys, sizeof(*sc.keys), cmp_key);
	out->rows = xcalloc(sc.n_keys ? sc.n_keys : 1, sizeof(*out->rows));
	for (size_t j = 0; j < sc.n_keys; j++) {
		acc_finish(&sc.keys[j].acc, &out->rows[j], sc.has_sat);
		snprintf(out->rows[j].key, sizeof(out->rows[j].key), "%s",
		    sc.keys[j].key);
	}
	out->n_rows = sc.n_keys;
	acc_finish(&sc.total, &out->total, sc.has_sat);
	acc_finish(&sc.mine, &out->mine, sc.has_sat);
	scan_free(&sc);
	if (stats_backlog(st, out, err) < 0 ||
	    stats_daily(st, since, out, err) < 0) {
		stats_report_clear(out);
		return -1;
	}
	return 0;
}

int
store_origin_add(struct store *st, int64_t id,
    const struct store_change *ch, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (ch->category != NULL && ch->category_field > 0) {
		s = store_prepare(st, "INSERT OR REPLACE INTO outbox_field("
		    "outbox_id, field_id, value, prev) VALUES(?1, ?2, ?3,"
		    " coalesce((SELECT override FROM ticket_class WHERE"
		    " ticket_id = (SELECT ticket_id FROM outbox WHERE id = ?1)),"
		    " ''))", err);
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, ch->category_field);
		sqlite3_bind_text(s, 3, ch->category, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		store_done(st, s);
		if (rc != SQLITE_DONE)
			return store_dberr(st, err, "cannot write to");
	}
	if (ch->macro == NULL && (ch->faq == NULL || ch->comment == NULL))
		return 0;
	s = store_prepare(st, "INSERT OR REPLACE INTO outbox_origin(outbox_id,"
	    " kind, name) VALUES(?1, ?2, ?3)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, ch->macro ? "macro" : "faq", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 3, ch->macro ? ch->macro : ch->faq, -1,
	    SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	return 0;
}

int
store_outbox_field(struct store *st, int64_t id, int64_t *field,
    char **value, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT field_id, value FROM"
	    " outbox_field WHERE outbox_id = ?1", err);
	int rc = store_step_id(s, id);

	*field = 0;
	*value = NULL;
	if (rc == SQLITE_ROW) {
		*field = sqlite3_column_int64(s, 0);
		*value = xstrdup(store_col_text(s, 1));
	}
	return store_step_end(st, s, rc, err);
}

void
stats_report_clear(struct stats_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->n_rows = 0;
}

void
stats_format_duration(double secs, char out[static 16])
{
	if (secs < 0)
		snprintf(out, 16, "-");
	else
		time_format_short((int64_t)(secs + 0.5), out);
}

void
stats_format_share(int64_t part, int64_t whole, int count, char *out,
    size_t n)
{
	double pct = whole > 0 ? 100.0 * (double)part / (double)whole : 0;

	if (whole <= 0)
		snprintf(out, n, "-");
	else if (count)
		snprintf(out, n, "%.0f%% (%lld)", pct, (long long)part);
	else
		snprintf(out, n, "%.0f%%", pct);
}
