/* SPDX-License-Identifier: MIT */
/*
 * Reading tickets: the list window (a query, an order, an offset and a
 * limit), counts, one ticket with its conversation, and the lookups of
 * users and groups by name.
 */
#include "store/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A search's hits are looked up by id: in the index of keys, not in the
 * table whose rows hold whole conversations. */
static const char *
from_tickets(const struct store_query *q)
{
	return store_query_searches(q) ?
	    "tickets t INDEXED BY tickets_keys" : "tickets t";
}

#define TICKET_COLS \
	"t.id, t.subject, t.status, t.priority, t.type, t.channel," \
	" coalesce(nullif(r.email, ''), r.name, ''), coalesce(r.name, '')," \
	" coalesce(r.locale, ''), coalesce(nullif(a.name, ''), a.email, '')," \
	" coalesce(g.name, ''), trim(t.tags), t.lang, t.vip, t.urgent," \
	" t.created_at, t.updated_at, t.sla_breach_at," \
	" EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id" \
	"  AND o.state IN " OB_SQL_WAITING ")," \
	" EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id" \
	"  AND o.state IN " OB_SQL_STUCK ")," \
	" t.category, t.incident, coalesce(" TRIAGE_NEW_SQL("tc") ", 0)," \
	" coalesce(tc.waiting_since, 0)"
#define TICKET_LEFT_JOINS \
	" LEFT JOIN users r ON r.id = t.requester_id" \
	" LEFT JOIN ticket_class tc ON tc.ticket_id = t.id" \
	" LEFT JOIN users a ON a.id = t.assignee_id AND t.assignee_id <> 0" \
	" LEFT JOIN groups g ON g.id = t.group_id AND t.group_id <> 0"
#define TICKET_JOINS " FROM tickets t" TICKET_LEFT_JOINS

/* Borrow the row's columns into t (valid until the next step). */
static void
ticket_from_row(sqlite3_stmt *s, struct store_ticket *t)
{
	t->id = sqlite3_column_int64(s, 0);
	t->subject = store_col_text(s, 1);
	t->status = store_col_text(s, 2);
	t->priority = store_col_text(s, 3);
	t->type = store_col_text(s, 4);
	t->channel = store_col_text(s, 5);
	t->requester = store_col_text(s, 6);
	t->requester_name = store_col_text(s, 7);
	t->requester_locale = store_col_text(s, 8);
	t->assignee = store_col_text(s, 9);
	t->group = store_col_text(s, 10);
	t->tags = store_col_text(s, 11);
	t->lang = store_col_text(s, 12);
	t->vip = sqlite3_column_int(s, 13);
	t->urgent = sqlite3_column_int(s, 14);
	t->created_at = sqlite3_column_int64(s, 15);
	t->updated_at = sqlite3_column_int64(s, 16);
	t->sla_breach_at = sqlite3_column_int64(s, 17);
	if (t->sla_breach_at == SLA_NONE)
		t->sla_breach_at = 0;
	t->pending = sqlite3_column_int(s, 18);
	t->conflict = sqlite3_column_int(s, 19);
	t->category = store_col_text(s, 20);
	t->incident = sqlite3_column_int(s, 21);
	t->is_new = sqlite3_column_int(s, 22);
	t->waiting_since = sqlite3_column_int64(s, 23);
}

/* The order by alias: t (the table) or k (the window of keys), forwards
 * or from the end. */
static const char *
order_sql(enum store_order o, int keys, int back)
{
	static char bufs[2][512];
	char *buf = bufs[keys != 0];
	char a = keys ? 'k' : 't';

	switch (o) {
	case STORE_ORDER_UPDATED:
		if (back)
			return keys ? " ORDER BY k.updated_at, k.id" :
			    " ORDER BY t.updated_at, t.id";
		return keys ? " ORDER BY k.updated_at DESC, k.id DESC" :
		    " ORDER BY t.updated_at DESC, t.id DESC";
	case STORE_ORDER_ID:
		if (back)
			return keys ? " ORDER BY k.id DESC" :
			    " ORDER BY t.id DESC";
		return keys ? " ORDER BY k.id" : " ORDER BY t.id";
	case STORE_ORDER_URGENT:
	default:
		/* security incidents, then breached SLAs, VIPs, urgency
		 * (triage); then the SLA countdown, priority and age */
		snprintf(buf, 512, back ?
		    " ORDER BY %c.incident, (%c.sla_breach_at <= %lld),"
		    " %c.vip, %c.urgent, %c.sla_breach_at DESC,"
		    " %c.priority_rank, %c.created_at DESC, %c.id DESC" :
		    " ORDER BY %c.incident DESC, (%c.sla_breach_at <= %lld) DESC,"
		    " %c.vip DESC, %c.urgent DESC, %c.sla_breach_at,"
		    " %c.priority_rank DESC, %c.created_at, %c.id",
		    a, a, (long long)time_now(), a, a, a, a, a, a);
		return buf;
	}
}

/*
 * The triage order (security incidents, then breached SLAs, then the
 * rest, each part by VIP, urgency, SLA, priority and age) depends on the
 * clock, so no index holds it whole; but each of its four parts
 * (incident or not, breached or not) is an index walk: tickets_lanes is
 * (incident, vip DESC, urgent DESC, sla_breach_at, priority_rank DESC,
 * created_at, id, ...filters). The parts are read one after the other,
 * each in index order with no sort, so the first screen costs what it
 * shows whatever the desk's size (a sort of every match made `tdesk
 * list` at 1M tickets wait for the whole desk). A query with few matches
 * is sorted instead: walking the index for them would read it all.
 */
#define DENSE_MATCHES store_search_dense

/* A lane of the triage order: its incident, VIP and urgency values
 * (tickets_lanes' first columns) and breached or not. */
struct lane {
	int64_t incident, vip, urgent;
	int breached;
};

/* Bind a lane's values to :inc, :vip, :urg and :now (part_sql), and
 * :lim and :off; NULL binds nothing. The lanes' statements differ in
 * these alone, so one prepared statement serves them all. */
static void
lane_bind(sqlite3_stmt *s, const struct lane *l, long long now,
    long long lim, long long off)
{
	static const char *const names[] = { ":inc", ":vip", ":urg", ":now",
	    ":lim", ":off" };

	if (l == NULL)
		return;
	const int64_t v[] = { l->incident, l->vip, l->urgent, now, lim, off };
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		int k = sqlite3_bind_parameter_index(s, names[i]);
		if (k > 0)
			sqlite3_bind_int64(s, k, v[i]);
	}
}

/* How many rows sql (a SELECT) gives, counting at most cap; its binds
 * are q's, and lane l's (or none). */
static int
count_capped(struct store *st, const struct store_query *q,
    const struct lane *l, long long now, const char *sql, int64_t cap,
    int64_t *n, struct tdesk_err *err)
{
	struct buf b = BUF_INIT;
	sqlite3_stmt *s;
	int rc;

	if (l)
		buf_printf(&b, "SELECT count(*) FROM (%s LIMIT :lim)", sql);
	else
		buf_printf(&b, "SELECT count(*) FROM (%s LIMIT %lld)", sql,
		    (long long)cap);
	s = store_prepare(st, b.data, err);
	buf_free(&b);
	if (s == NULL)
		return -1;
	store_query_bind(q, s);
	lane_bind(s, l, now, cap, 0);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc != SQLITE_ROW) {
		search_failed(st, err);
		store_done(st, s);
		return -1;
	}
	store_done(st, s);
	return 0;
}

/* Whether q matches enough tickets that walking the queue's index in
 * order finds a screenful soon. A search counts its text's hits alone,
 * streamed from the full-text index, and keeps the first of them in h
 * (search.c reads the rest only if the walk needs them). */
static int
dense(struct store *st, const struct store_query *q, int *yes,
    struct hits *h, struct tdesk_err *err)
{
	const char *fts = store_query_fts(q);
	struct buf sql = BUF_INIT;
	int64_t n;
	int rc;

	if (fts) {
		if (hits_read(st, fts, (size_t)DENSE_MATCHES, h, err) < 0)
			return -1;
		*yes = !h->all;
		return 0;
	}
	buf_printf(&sql, "SELECT 1 FROM tickets t WHERE %s",
	    store_query_where(q));
	rc = count_capped(st, q, NULL, 0, sql.data, DENSE_MATCHES, &n, err);
	buf_free(&sql);
	*yes = n >= DENSE_MATCHES;
	return rc;
}

/* One lane's rows in order (back: last first) with LIMIT :lim and
 * OFFSET :off; or, when count is set, only its matches to be counted. Equality on the index's
 * first three columns and a range of breach times: the rows are one run
 * of tickets_lanes. A search's text is tested by tdesk_hit (see struct
 * hits). */
static void
part_sql(struct buf *sql, const struct store_query *q, const struct lane *l,
    int back, int count)
{
	const char *d = back ? "" : " DESC", *a = back ? " DESC" : "";
	const char *hit = store_query_fts(q) ? " AND tdesk_hit(t.id)" : "";
	int wlen;
	const char *w = store_query_where_plain(q, &wlen);
	char cond[160];

	snprintf(cond, sizeof(cond), "t.incident = :inc AND t.vip = :vip AND"
	    " t.urgent = :urg AND t.sla_breach_at %s :now",
	    l->breached ? "<=" : ">");
	if (count) {
		buf_printf(sql, "SELECT 1 FROM tickets t INDEXED BY"
		    " tickets_lanes WHERE (%.*s) AND %s%s", wlen, w, cond, hit);
		return;
	}
	buf_printf(sql, "SELECT " TICKET_COLS " FROM tickets t INDEXED BY"
	    " tickets_lanes" TICKET_LEFT_JOINS " WHERE (%.*s) AND %s%s"
	    " ORDER BY t.sla_breach_at%s, t.priority_rank%s, t.created_at%s,"
	    " t.id%s LIMIT :lim OFFSET :off", wlen, w, cond, hit, a, d, a, a);
}

/* The next value of tickets_lanes' column i (incident, vip, urgent)
 * below *v, under the given values of the columns before it: 1 (in *v),
 * 0 when there is none, -1. One seek: the index holds each descending
 * within the ones before. */
static int
lane_next(struct store *st, int i, const int64_t *before, int64_t *v,
    struct tdesk_err *err)
{
	static const char *const sql[3] = {
		"SELECT max(incident) FROM tickets INDEXED BY tickets_lanes"
		" WHERE incident < ?1",
		"SELECT max(vip) FROM tickets INDEXED BY tickets_lanes"
		" WHERE incident = ?2 AND vip < ?1",
		"SELECT max(urgent) FROM tickets INDEXED BY tickets_lanes"
		" WHERE incident = ?2 AND vip = ?3 AND urgent < ?1",
	};
	sqlite3_stmt *s = store_prepare(st, sql[i], err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, *v);
	for (int k = 0; k < i; k++)
		sqlite3_bind_int64(s, k + 2, before[k]);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*v = sqlite3_column_int64(s, 0);
		rc = 1;
	} else {
		rc = rc == SQLITE_ROW ? 0 : store_dberr(st, err, "cannot read");
	}
	store_done(st, s);
	return rc;
}

/*
 * The lanes of the triage order the desk holds, in order: for each
 * incident value (descending), the breached then the rest, each by VIP
 * and urgency values (descending). Found by a few seeks of tickets_lanes
 * (the values it holds, each level descending); walking incident = 0
 * with the breach time as a filter instead read every row of the lanes
 * past the first.
 */
static int
lanes(struct store *st, struct lane **out, size_t *n, struct tdesk_err *err)
{
	int64_t k[3] = { INT64_MAX };
	struct lane *v = NULL;	/* the values, not yet split by breach */
	size_t nv = 0, cap = 0, i, j;
	int rc, depth = 0;

	while (depth >= 0) {
		if ((rc = lane_next(st, depth, k, &k[depth], err)) < 0) {
			free(v);
			return -1;
		}
		if (rc == 0)	/* this level is done: back up */
			depth--;
		else if (depth < 2)
			k[++depth] = INT64_MAX;
		else {
			if (nv == cap) {
				cap = cap ? cap * 2 : 8;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[nv++] = (struct lane){ k[0], k[1], k[2], 0 };
		}
	}
	/* each incident value's lanes twice: the breached, then the rest */
	*out = xcalloc(2 * nv + 1, sizeof(**out));
	*n = 0;
	for (i = 0; i < nv; i = j) {
		for (j = i; j < nv && v[j].incident == v[i].incident; j++)
			(*out)[(*n)++] = (struct lane){ v[j].incident,
			    v[j].vip, v[j].urgent, 1 };
		for (j = i; j < nv && v[j].incident == v[i].incident; j++)
			(*out)[(*n)++] = v[j];
	}
	free(v);
	return 0;
}

/* Rows of one prepared statement to fn; *n counts them, *stop is set
 * when fn asked to stop. SQLITE_DONE, or the failing step's code. */
static int
rows_to(struct store *st, sqlite3_stmt *s, store_ticket_fn fn, void *arg,
    int64_t *n, int *stop)
{
	int rc;

	(void)st;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_ticket t = { 0 };
		ticket_from_row(s, &t);
		(*n)++;
		if (fn(&t, arg)) {
			*stop = 1;
			return SQLITE_DONE;
		}
	}
	return rc;
}

int
tickets_by_id(struct store *st, const int64_t *ids, size_t n,
    store_ticket_fn fn, void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc = SQLITE_DONE, stop = 0;
	int64_t got = 0;

	if (n == 0)
		return 0;
	s = store_prepare(st, "SELECT " TICKET_COLS TICKET_JOINS
	    " WHERE t.id = ?1", err);
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < n && !stop && rc == SQLITE_DONE; i++) {
		sqlite3_bind_int64(s, 1, ids[i]);
		rc = rows_to(st, s, fn, arg, &got, &stop);
		sqlite3_reset(s);
	}
	store_done(st, s);
	return rc == SQLITE_DONE ? 0 : store_dberr(st, err, "cannot read");
}

/* The window [offset, offset + limit) of the triage order (the whole
 * list when neither is set), lane after lane; lanes of security
 * incidents skipped when skip_incidents. */
static int
urgent_parts(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, long long now, int skip_incidents,
    store_ticket_fn fn, void *arg, struct tdesk_err *err)
{
	int64_t off = opts->offset > 0 ? opts->offset : 0;
	int64_t lim = opts->limit > 0 ? opts->limit : -1;
	int stop = 0, rc = 0;
	struct lane *ln;
	size_t n;

	if (lanes(st, &ln, &n, err) < 0)
		return -1;
	for (size_t k = 0; k < n && !stop && lim != 0 && rc == 0; k++) {
		const struct lane *l = &ln[opts->from_end ? n - 1 - k : k];
		struct buf sql = BUF_INIT;
		int64_t got = 0, skip = 0;
		sqlite3_stmt *s;

		if (skip_incidents && l->incident == 1)
			continue;	/* the caller knows they hold no match */
		if (off > 0) {	/* how much of the offset this lane takes */
			part_sql(&sql, q, l, opts->from_end, 1);
			rc = count_capped(st, q, l, now, sql.data, off, &skip,
			    err);
			buf_free(&sql);
			if (rc < 0 || skip < off) {	/* before the window */
				off -= skip;
				continue;
			}
		}
		part_sql(&sql, q, l, opts->from_end, 0);
		s = store_prepare(st, sql.data, err);
		buf_free(&sql);
		if (s == NULL) {
			rc = -1;
			break;
		}
		store_query_bind(q, s);
		lane_bind(s, l, now, (long long)lim, (long long)off);
		rc = rows_to(st, s, fn, arg, &got, &stop);
		store_done(st, s);
		rc = rc == SQLITE_DONE ? 0 : search_failed(st, err);
		off = 0;
		if (lim > 0)
			lim -= got;
	}
	free(ln);
	return rc;
}

/* urgent_parts with tdesk_hit answering from h while it runs. */
static int
searched_parts(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, struct hits *h, store_ticket_fn fn,
    void *arg, struct tdesk_err *err)
{
	int rc;

	if (hits_attach(st, store_query_fts(q), h, err) < 0)
		return -1;
	rc = urgent_parts(st, q, opts, h->now, h->no_incident, fn, arg,
	    err);
	hits_detach(st, h);
	return rc;
}

/* A common search in the order of updates or ids: that order's index
 * walked, each row's text tested by tdesk_hit, until the window is full
 * (sorting every hit grew with the desk). */
static int
searched_walk(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, struct hits *h, store_ticket_fn fn,
    void *arg, struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	int wlen, stop = 0, rc;
	const char *w = store_query_where_plain(q, &wlen);
	int64_t n = 0;
	sqlite3_stmt *s;

	if (hits_attach(st, store_query_fts(q), h, err) < 0)
		return -1;
	buf_printf(&sql, "SELECT " TICKET_COLS " FROM tickets t %s"
	    TICKET_LEFT_JOINS " WHERE (%.*s) AND tdesk_hit(t.id)%s"
	    " LIMIT %lld OFFSET %lld", opts->order == STORE_ORDER_UPDATED ?
	    "INDEXED BY tickets_updated" : "NOT INDEXED", wlen, w,
	    order_sql(opts->order, 0, opts->from_end),
	    opts->limit > 0 ? (long long)opts->limit : -1LL,
	    (long long)(opts->offset > 0 ? opts->offset : 0));
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL) {
		hits_detach(st, h);
		return -1;
	}
	store_query_bind(q, s);
	rc = rows_to(st, s, fn, arg, &n, &stop);
	if (rc != SQLITE_DONE)
		search_failed(st, err);
	store_done(st, s);
	hits_detach(st, h);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* fn with the rows it was given counted */
struct counted {
	store_ticket_fn fn;
	void *arg;
	int64_t n;
};

static int
counted_fn(const struct store_ticket *t, void *arg)
{
	struct counted *c = arg;

	c->n++;
	return c->fn(t, c->arg);
}

/*
 * A search: few hits (under DENSE_MATCHES) are sorted (search_sort.c);
 * many are found by walking the order's index, each row's text tested
 * (search.c), until the walk has tested more rows than sorting would
 * cost; then the rest of the window is sorted. In the triage order,
 * sparse hits (under 1 in SEARCH_SPARSE tickets) are first looked up
 * among the security incidents, whose lanes lead the order: with none
 * there, the walk starts after them (a phrase about deposits at 1M
 * tickets would test 85k incident rows, or sort 12k hits, each costing a
 * page read). Else hits_sort_first weighs the sort against the walk. In
 * one read transaction, so the walk and the sort see the same tickets.
 */
static int
search_list(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, store_ticket_fn fn, void *arg,
    struct tdesk_err *err)
{
	struct hits h = { .now = time_now() };
	struct counted c = { fn, arg, 0 };
	int many = 0, rc, txn = sqlite3_get_autocommit(st->db);
	int urgent = opts->order == STORE_ORDER_URGENT;

	if (txn && store_exec(st, "BEGIN", err) < 0)
		return -1;
	rc = dense(st, q, &many, &h, err);
	h.want = (opts->offset > 0 ? opts->offset : 0) +
	    (opts->limit > 0 ? opts->limit : SEARCH_STREAM);
	/* hits too sparse to find many in the incidents' lanes: if none is
	 * there, walk the lanes after theirs */
	if (rc == 0 && many && urgent && (rc = hits_sparse(st, &h, err)) > 0 &&
	    (rc = hits_no_incident(st, store_query_fts(q), &h, err)) > 0)
		h.no_incident = 1;
	else if (rc >= 0 && many && (rc = hits_sort_first(st, &h, urgent ?
	    SEARCH_SKEW : 1, err)) >= 0)
		many = !rc;
	rc = rc < 0 ? -1 : 0;
	if (rc == 0 && many && opts->order == STORE_ORDER_URGENT)
		rc = searched_parts(st, q, opts, &h, counted_fn, &c, err);
	else if (rc == 0 && many)
		rc = searched_walk(st, q, opts, &h, counted_fn, &c, err);
	if ((rc == 0 && !many) || h.gave_up)
		rc = search_sorted(st, q, opts, h.now, c.n, fn, arg, err);
	free(h.v);
	if (txn)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

int
store_list(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, store_ticket_fn fn, void *arg,
    struct tdesk_err *err)
{
	struct store_list_opts def = { 0 };
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int rc, many = 0, stop = 0;
	int64_t n = 0;

	if (opts == NULL)
		opts = &def;
	if (store_query_fts(q))
		return search_list(st, q, opts, fn, arg, err);
	if (opts->order == STORE_ORDER_URGENT) {
		struct hits h = { 0 };

		rc = dense(st, q, &many, &h, err);
		if (rc == 0 && many)
			rc = urgent_parts(st, q, opts, (long long)time_now(),
			    0, fn, arg, err);
		if (rc < 0 || many)
			return rc;
	}
	/*
	 * A window (limit or offset) is found in two steps: order and cut it
	 * on the sort keys alone, then join and format only its rows.
	 * Sorting whole rows made a search with thousands of hits format
	 * every one of them. Without a window, one pass streams the rows in
	 * the index's order and keeps none of them in memory.
	 */
	if (opts->limit <= 0 && opts->offset <= 0)
		buf_printf(&sql, "SELECT " TICKET_COLS TICKET_JOINS
		    " WHERE %s%s", store_query_where(q),
		    order_sql(opts->order, 0, opts->from_end));
	else
		buf_printf(&sql, "SELECT " TICKET_COLS " FROM (SELECT t.id,"
		    " t.sla_breach_at, t.priority_rank, t.created_at,"
		    " t.updated_at, t.incident, t.vip, t.urgent FROM %s WHERE %s%s LIMIT %lld OFFSET %lld) k"
		    " JOIN tickets t ON t.id = k.id" TICKET_LEFT_JOINS "%s",
		    from_tickets(q), store_query_where(q),
		    order_sql(opts->order, 0, opts->from_end),
		    opts->limit > 0 ? (long long)opts->limit : -1LL,
		    (long long)(opts->offset > 0 ? opts->offset : 0),
		    order_sql(opts->order, 1, opts->from_end));
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return -1;
	store_query_bind(q, s);
	rc = rows_to(st, s, fn, arg, &n, &stop);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return search_failed(st, err);
	return 0;
}

int
store_count(struct store *st, const struct store_query *q, int64_t *n,
    struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;

	if (store_query_fts(q))
		return search_count(st, q, n, err);
	if (store_query_kept(q))	/* kept by triggers (migration 15) */
		buf_printf(&sql, "SELECT coalesce(sum(t.n), 0) FROM"
		    " ticket_counts t WHERE %s", store_query_where(q));
	else
		buf_printf(&sql, "SELECT count(*) FROM %s WHERE %s",
		    from_tickets(q), store_query_where(q));
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return -1;
	store_query_bind(q, s);
	*n = 0;
	return store_step_int(st, s, n, err) < 0 ? -1 : 0;
}

/* The string members of a ticket, for copying and freeing. */
#define TICKET_STRINGS(X) X(subject) X(description) X(status) X(priority) \
	X(type) X(channel) X(requester) X(requester_name) X(requester_locale) \
	X(assignee) X(group) X(tags) X(lang) X(organization) X(satisfaction) \
	X(satisfaction_comment) X(fields) X(category)

void
store_ticket_dup(struct store_ticket *dst, const struct store_ticket *src)
{
	*dst = *src;
#define DUP_(m) dst->m = src->m ? xstrdup(src->m) : NULL;
	TICKET_STRINGS(DUP_)
#undef DUP_
}

void
store_ticket_clear(struct store_ticket *t)
{
	/* the owner's strings: const only for the readers */
#define FREE_(m) free((char *)(uintptr_t)t->m); t->m = NULL;
	TICKET_STRINGS(FREE_)
#undef FREE_
}

/* What only the ticket view shows: organisation, satisfaction and the
 * custom fields by name (the field's id when its name is unknown). */
static int
ticket_extra(struct store *st, struct store_ticket *t, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT coalesce((SELECT name"
	    " FROM organizations WHERE id = t.organization_id), ''),"
	    " t.satisfaction, t.satisfaction_comment, t.fields"
	    " FROM tickets t WHERE t.id = ?1", err);
	sqlite3_stmt *f = NULL;
	struct buf b = BUF_INIT;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, t->id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_done(st, s);
		store_ticket_clear(t);
		return store_dberr(st, err, "cannot read");
	}
	t->organization = xstrdup(store_col_text(s, 0));
	t->satisfaction = xstrdup(store_col_text(s, 1));
	t->satisfaction_comment = xstrdup(store_col_text(s, 2));
	const char *p = store_col_text(s, 3);
	if (*p && (f = store_prepare(st, "SELECT name FROM ticket_fields"
	    " WHERE id = ?1 AND name <> ''", err)) == NULL) {
		store_done(st, s);
		store_ticket_clear(t);
		return -1;
	}
	while (*p) {
		/* lines "ID\tVALUE\n" */
		char *tab;
		long long id = strtoll(p, &tab, 10);
		const char *end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if (*tab == '\t' && tab < end) {
			sqlite3_bind_int64(f, 1, id);
			if (sqlite3_step(f) == SQLITE_ROW)
				buf_adds(&b, store_col_text(f, 0));
			else
				buf_printf(&b, "field %lld", id);
			sqlite3_reset(f);
			buf_adds(&b, ": ");
			buf_add(&b, tab + 1, (size_t)(end - tab - 1));
			buf_addc(&b, '\n');
		}
		p = *end ? end + 1 : end;
	}
	t->fields = b.data ? buf_detach(&b) : xstrdup("");
	store_done(st, f);
	store_done(st, s);
	return 0;
}

static int
attachment_row(sqlite3_stmt *s, void *cb)
{
	const struct store_cb *c = cb;
	struct store_attachment a = {
		.id = sqlite3_column_int64(s, 0),
		.comment_id = sqlite3_column_int64(s, 1),
		.ticket_id = sqlite3_column_int64(s, 2),
		.name = store_col_text(s, 3),
		.type = store_col_text(s, 4),
		.size = sqlite3_column_int64(s, 5),
		.url = store_col_text(s, 6),
	};

	return c->fn.attachment(&a, c->arg);
}

static int64_t
attachments_run(struct store *st, sqlite3_stmt *s, store_attachment_fn fn,
    void *arg, struct tdesk_err *err)
{
	struct store_cb cb = { .fn.attachment = fn, .arg = arg };

	return store_step_rows(st, s, attachment_row, &cb, err);
}

int
store_attachments(struct store *st, int64_t ticket_id,
    store_attachment_fn fn, void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, comment_id,"
	    " ticket_id, name, type, size, url FROM attachments"
	    " WHERE ticket_id = ?1 ORDER BY comment_id, id", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	return attachments_run(st, s, fn, arg, err) < 0 ? -1 : 0;
}

int
store_attachment_get(struct store *st, int64_t id, store_attachment_fn fn,
    void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, comment_id,"
	    " ticket_id, name, type, size, url FROM attachments"
	    " WHERE id = ?1", err);
	int n;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	n = attachments_run(st, s, fn, arg, err);
	return n < 0 ? -1 : n > 0;
}

int
store_ticket_get(struct store *st, int64_t id, struct store_ticket *t,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT " TICKET_COLS
	    ", t.description" TICKET_JOINS " WHERE t.id = ?1", err);
	int rc = store_step_id(s, id);

	if (rc == SQLITE_ROW) {
		struct store_ticket b = { 0 };
		ticket_from_row(s, &b);
		b.description = store_col_text(s, 24);
		store_ticket_dup(t, &b);
	}
	rc = store_step_end(st, s, rc, err);
	if (rc == 1 && ticket_extra(st, t, err) < 0)
		return -1;
	return rc;
}

static int
comment_row(sqlite3_stmt *s, void *cb)
{
	const struct store_cb *c = cb;
	struct store_comment m = {
		.id = sqlite3_column_int64(s, 0),
		.ticket_id = sqlite3_column_int64(s, 1),
		.author = store_col_text(s, 2),
		.author_is_agent = sqlite3_column_int(s, 3),
		.body = store_col_text(s, 4),
		.public = sqlite3_column_int(s, 5),
		.created_at = sqlite3_column_int64(s, 6),
	};

	m.local = store_outbox_state_parse(store_col_text(s, 7), &m.state);
	return c->fn.comment(&m, c->arg);
}

int
store_comments(struct store *st, int64_t ticket_id, store_comment_fn fn,
    void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT c.id, c.ticket_id, coalesce(nullif(u.name, ''), u.email,"
	    " 'unknown'), coalesce(u.role IN ('agent', 'admin'),"
	    " c.outbox_id IS NOT NULL), c.body, c.public, c.created_at,"
	    " coalesce(o.state, '')"
	    " FROM comments c LEFT JOIN users u ON u.id = c.author_id"
	    " LEFT JOIN outbox o ON o.id = c.outbox_id"
	    " WHERE c.ticket_id = ?1 ORDER BY c.created_at,"
	    " c.id < 0, abs(c.id)", err);
	struct store_cb cb = { .fn.comment = fn, .arg = arg };

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	return store_step_rows(st, s, comment_row, &cb, err) < 0 ? -1 : 0;
}

int
store_user_put(struct store *st, int64_t id, const char *name,
    const char *email, const char *role, const char *locale, int vip,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "INSERT OR REPLACE INTO users(id, name, email, role, locale, vip)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, name ? name : "");
	store_bind_text(s, 3, email ? email : "");
	store_bind_text(s, 4, role ? role : "end-user");
	store_bind_text(s, 5, locale ? locale : "");
	sqlite3_bind_int(s, 6, vip);
	return store_step_done(st, s, err);
}

int
store_group_put(struct store *st, int64_t id, const char *name,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "INSERT OR REPLACE INTO groups(id, name) VALUES(?1, ?2)", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, name);
	return store_step_done(st, s, err);
}

/* One id from a lookup that must match exactly one row. */
static int
lookup_one(struct store *st, const char *sql, const char *key, int64_t *id,
    const char *what, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, sql, err);
	int rc, n = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		n++;
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	if (n == 0)
		return err_set(err, TDESK_ENOTFOUND, "no %s '%s' in this desk",
		    what, key);
	if (n > 1)
		return err_set(err, TDESK_EUSAGE, "'%s' names %d %ss: use the "
		    "id or the email", key, n, what);
	return 0;
}

int
store_resolve_user(struct store *st, const char *who, int64_t *id,
    struct tdesk_err *err)
{
	if (who == NULL || *who == '\0' || strcmp(who, "none") == 0) {
		*id = 0;
		return 0;
	}
	if (strcmp(who, "me") == 0) {
		char *me = store_state_get(st, "me.id");
		if (me == NULL)
			return err_set(err, TDESK_EUSAGE, "this desk does not "
			    "know who 'me' is yet: run 'tdesk sync'");
		*id = strtoll(me, NULL, 10);
		free(me);
		return 0;
	}
	return lookup_one(st, "SELECT id FROM users WHERE role <> 'end-user'"
	    " AND (CAST(id AS TEXT) = ?1 OR email = ?1 COLLATE NOCASE OR"
	    " name = ?1 COLLATE NOCASE)", who, id, "agent", err);
}

int
store_resolve_group(struct store *st, const char *name, int64_t *id,
    struct tdesk_err *err)
{
	if (name == NULL || *name == '\0' || strcmp(name, "none") == 0) {
		*id = 0;
		return 0;
	}
	return lookup_one(st, "SELECT id FROM groups WHERE CAST(id AS TEXT) ="
	    " ?1 OR name = ?1 COLLATE NOCASE", name, id, "group", err);
}

int
store_user_role(struct store *st, int64_t id, char *out, size_t n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT role FROM users"
	    " WHERE id = ?1", NULL);
	int rc = store_step_id(s, id);

	if (rc == SQLITE_ROW)
		snprintf(out, n, "%s", store_col_text(s, 0));
	return store_step_end(st, s, rc, NULL);
}
