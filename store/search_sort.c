/* SPDX-License-Identifier: MIT */
/*
 * A search's window by sorting its matches: the full-text index gives
 * the hits in rowid order, a join looks up each hit's sort keys (and the
 * query's filters) in tickets_keys (an index keyed by id, migration 16:
 * a few dense pages, not the wide ticket rows), the keys are sorted
 * here, and only the window's rows are read whole.
 *
 * It costs about half a microsecond a hit at any desk size (1M tickets:
 * 12k hits of "destination tag" in 6 ms), so store_list takes it when the
 * hits are few, and when walking the queue's order would test more rows
 * than that (search.c's walk budget): a phrase whose hits sit behind
 * every security incident in the triage order made the walk test 85k
 * rows at 1M tickets before the first match.
 */
#include "store/search.h"

#include <stdlib.h>
#include <string.h>

struct skey {
	int64_t id, sla, created, updated;
	int64_t incident, breached, vip, urgent, prio;
};

#define CMP_(a, b) ((a) < (b) ? -1 : (a) > (b))

/* incident, breached, VIP, urgent first; then the SLA countdown,
 * priority and age (ticket.c's order_sql) */
static int
cmp_urgent(const void *pa, const void *pb)
{
	const struct skey *a = pa, *b = pb;
	int c;

	if ((c = CMP_(b->incident, a->incident)) != 0 ||
	    (c = CMP_(b->breached, a->breached)) != 0 ||
	    (c = CMP_(b->vip, a->vip)) != 0 ||
	    (c = CMP_(b->urgent, a->urgent)) != 0 ||
	    (c = CMP_(a->sla, b->sla)) != 0 ||
	    (c = CMP_(b->prio, a->prio)) != 0 ||
	    (c = CMP_(a->created, b->created)) != 0)
		return c;
	return CMP_(a->id, b->id);
}

static int
cmp_updated(const void *pa, const void *pb)
{
	const struct skey *a = pa, *b = pb;
	int c = CMP_(b->updated, a->updated);

	return c ? c : CMP_(b->id, a->id);
}

static int
cmp_id(const void *pa, const void *pb)
{
	const struct skey *a = pa, *b = pb;

	return CMP_(a->id, b->id);
}

/* The keys of every match of q. */
static int
read_keys(struct store *st, const struct store_query *q, int64_t now,
    struct skey **out, size_t *n, struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	int wlen, rc;
	const char *w = store_query_where_plain(q, &wlen);
	size_t cap = 0;
	sqlite3_stmt *s;

	buf_printf(&sql, "SELECT t.id, t.incident, t.vip, t.urgent,"
	    " t.sla_breach_at, t.priority_rank, t.created_at, t.updated_at"
	    " FROM ticket_fts f JOIN tickets t INDEXED BY tickets_keys"
	    " ON t.id = f.rowid WHERE ticket_fts MATCH ?%d AND (%.*s)",
	    store_query_fts_bind(q), wlen, w);
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return -1;
	store_query_bind(q, s);
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct skey *k;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		k = &(*out)[(*n)++];
		k->id = sqlite3_column_int64(s, 0);
		k->incident = sqlite3_column_int64(s, 1);
		k->vip = sqlite3_column_int64(s, 2);
		k->urgent = sqlite3_column_int64(s, 3);
		k->sla = sqlite3_column_int64(s, 4);
		k->breached = k->sla <= now;
		k->prio = sqlite3_column_int64(s, 5);
		k->created = sqlite3_column_int64(s, 6);
		k->updated = sqlite3_column_int64(s, 7);
	}
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return search_failed(st, err);
	}
	return 0;
}

int
search_sorted(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, int64_t now, int64_t done,
    store_ticket_fn fn, void *arg, struct tdesk_err *err)
{
	struct skey *k;
	size_t n;
	int64_t off = (opts->offset > 0 ? opts->offset : 0) + done;
	int64_t lim = opts->limit > 0 ? opts->limit - done : -1;
	int64_t *ids;
	size_t m = 0;
	int rc;

	if (lim == 0)
		return 0;
	if (read_keys(st, q, now, &k, &n, err) < 0)
		return -1;
	if (n > 1)
		qsort(k, n, sizeof(*k), opts->order == STORE_ORDER_URGENT ?
		    cmp_urgent : opts->order == STORE_ORDER_UPDATED ?
		    cmp_updated : cmp_id);
	ids = xcalloc(n ? n : 1, sizeof(*ids));
	for (int64_t i = off; i < (int64_t)n && (lim < 0 || (int64_t)m < lim);
	    i++)
		ids[m++] = k[opts->from_end ? (int64_t)n - 1 - i : i].id;
	free(k);
	rc = tickets_by_id(st, ids, m, fn, arg, err);
	free(ids);
	return rc;
}

/*
 * How many tickets match a search. Without other terms, the full-text
 * index counts its hits alone (a doclist walk: 18k hits in under a
 * millisecond at 100k tickets), less the rows of tickets forgotten since
 * the index was last refreshed (they wait in fts_dirty). Else each hit's
 * filters are looked up in tickets_keys.
 */
int
search_count(struct store *st, const struct store_query *q, int64_t *n,
    struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	int wlen, k = store_query_fts_bind(q);
	const char *w = store_query_where_plain(q, &wlen);
	sqlite3_stmt *s;
	int rc;

	if (wlen == 1 && w[0] == '1')
		buf_printf(&sql, "SELECT (SELECT count(*) FROM ticket_fts"
		    " WHERE ticket_fts MATCH ?%d) - (SELECT count(*) FROM"
		    " fts_dirty d WHERE NOT EXISTS (SELECT 1 FROM tickets"
		    " WHERE id = d.ticket_id) AND EXISTS (SELECT 1 FROM"
		    " ticket_fts WHERE ticket_fts MATCH ?%d AND rowid ="
		    " d.ticket_id))", k, k);
	else
		buf_printf(&sql, "SELECT count(*) FROM ticket_fts f JOIN"
		    " tickets t INDEXED BY tickets_keys ON t.id = f.rowid"
		    " WHERE ticket_fts MATCH ?%d AND (%.*s)", k, wlen, w);
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return -1;
	store_query_bind(q, s);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	store_done(st, s);
	return rc == SQLITE_ROW ? 0 : search_failed(st, err);
}
