/* SPDX-License-Identifier: MIT */
/*
 * Reading an RT desk. One TicketSQL search for the tickets the agent owns
 * or that sit unowned in the desk's queues ("groups"), changed since the
 * watermark less an overlap (LastUpdated has whole seconds and RT commits
 * are not ordered by it), with the owner, requestors, queue and custom
 * fields expanded in the same answer. Then, for the tickets changed since
 * their transactions were last read, 50 at a time, two JSON searches:
 * their Create/Correspond/Comment transactions (Create and Correspond are
 * public messages, Comment an internal note) and those transactions'
 * attachments (the first text/plain part is the text). Tickets that left
 * the agent's view since the last pull (given to another agent, moved out
 * of the desk's queues) are forgotten; once a day a pass without the
 * watermark also forgets those RT no longer shows at all (deleted, or the
 * queue's rights taken away).
 */
#include "sync/rt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OVERLAP_S 120
#define FULL_EVERY_S 86400	/* a pass without the watermark */

#define TICKET_FIELDS "fields=Subject,Status,Priority,Created,LastUpdated," \
	"Owner,Queue,Requestor,CustomFields" \
	"&fields%5BOwner%5D=id,Name,EmailAddress,RealName" \
	"&fields%5BRequestor%5D=id,Name,EmailAddress,RealName" \
	"&fields%5BQueue%5D=id,Name"

/* A TicketSQL string literal. */
static void
sql_quote(struct buf *b, const char *s)
{
	buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
}

static char *
ticket_query(struct rt *rt, int64_t since)
{
	struct buf q = BUF_INIT;
	size_t i;

	buf_adds(&q, "(Owner = ");
	sql_quote(&q, rt->me_name);
	if (rt->e.o->remote.n_groups > 0) {
		buf_adds(&q, " OR (Owner = 'Nobody' AND (");
		for (i = 0; i < rt->e.o->remote.n_groups; i++) {
			buf_adds(&q, i ? " OR Queue = " : "Queue = ");
			sql_quote(&q, rt->e.o->remote.groups[i]);
		}
		buf_adds(&q, "))");
	}
	buf_adds(&q, ")");
	if (since > 0) {
		char when[32];
		time_t t = (time_t)since;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		buf_printf(&q, " AND LastUpdated >= '%s'", when);
	} else
		buf_adds(&q, " AND Status != 'deleted'");
	return buf_detach(&q);
}

/* TicketSQL for "changed since, and no longer ours to see": owned by
 * someone else, or unowned outside the desk's queues. (Deleted tickets
 * never come back from a search: the daily full pass forgets them.) */
static char *
gone_query(struct rt *rt, int64_t since)
{
	struct buf q = BUF_INIT;
	char when[32];
	time_t t = (time_t)since;
	struct tm tm;
	size_t i;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	buf_printf(&q, "LastUpdated >= '%s' AND ((Owner != ", when);
	sql_quote(&q, rt->me_name);
	buf_adds(&q, " AND Owner != 'Nobody') OR (Owner = 'Nobody'");
	for (i = 0; i < rt->e.o->remote.n_groups; i++) {
		buf_adds(&q, " AND Queue != ");
		sql_quote(&q, rt->e.o->remote.groups[i]);
	}
	buf_adds(&q, "))");
	return buf_detach(&q);
}

/* Forget the tickets that left the agent's view since the last pull
 * (given to another agent, moved to another queue), unless actions for
 * them wait in the outbox. */
static int
pull_gone(struct rt *rt, int64_t since, struct tdesk_err *err)
{
	char *query = gone_query(rt, since);
	struct buf p = BUF_INIT;
	JV *items = j_arr(), *t;
	size_t i;
	int rc = -1;

	buf_adds(&p, "/tickets?query=");
	http_add_escaped(&p, query);
	buf_adds(&p, "&fields=id");
	if (rt_get_all(rt, "GET", p.data, NULL, items, err) < 0)
		goto done;
	J_FOREACH(items, i, t) {
		int64_t id = jint(t, "id");
		int known = store_sync_ticket_known(rt->e.st, id, err);

		if (known < 0 || (known == 1 &&
		    store_sync_ticket_forget(rt->e.st, id, err) < 0))
			goto done;
	}
	rc = 0;
done:
	json_object_put(items);
	buf_free(&p);
	free(query);
	return rc;
}

/* The ids a full pass saw. */
struct seen {
	int64_t *ids;
	size_t n, cap;
};

static void
seen_add(struct seen *s, int64_t id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->ids = xrealloc(s->ids, s->cap * sizeof(*s->ids));
	}
	s->ids[s->n++] = id;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

struct unseen {
	const struct seen *seen;
	int64_t *ids;
	size_t n;
};

static int
collect_unseen(const struct store_ticket *t, void *arg)
{
	struct unseen *u = arg;

	if (bsearch(&t->id, u->seen->ids, u->seen->n, sizeof(int64_t),
	    cmp_id) == NULL) {
		u->ids = xrealloc(u->ids, (u->n + 1) * sizeof(*u->ids));
		u->ids[u->n++] = t->id;
	}
	return 0;
}

/* After a full pass: forget the local tickets RT no longer showed (the
 * agent lost the right to see their queue, or they were merged away),
 * unless actions for them wait in the outbox. */
static int
forget_unseen(struct rt *rt, struct seen *seen, struct tdesk_err *err)
{
	struct store_query *q = store_query_parse("", err);
	struct store_list_opts lo = { STORE_ORDER_ID, 0, 0, 0 };
	struct unseen u = { seen, NULL, 0 };
	size_t i;
	int rc = -1;

	if (q == NULL)
		return -1;
	qsort(seen->ids, seen->n, sizeof(int64_t), cmp_id);
	if (store_list(rt->e.st, q, &lo, collect_unseen, &u, err) < 0)
		goto done;
	for (i = 0; i < u.n; i++)
		if (store_sync_ticket_forget(rt->e.st, u.ids[i], err) < 0)
			goto done;
	rc = 0;
done:
	store_query_free(q);
	free(u.ids);
	return rc;
}

/* Write one answer's tickets (expanded fields) in one batch; the newest
 * LastUpdated into *newest, ids into seen (may be NULL). */
static int
ingest_items(struct rt *rt, const JV *items, int64_t *newest,
    struct seen *seen, struct tdesk_err *err)
{
	struct store_ingest_stats is;
	struct store_batch *b;
	int64_t *gone = NULL;
	size_t i, ngone = 0;
	const JV *t;

	memset(&is, 0, sizeof(is));
	if ((b = store_batch_begin(rt->e.st, &is, err)) == NULL)
		return -1;
	J_FOREACH(items, i, t) {
		int64_t lu = rt_jtime(t, "LastUpdated");

		if (lu > *newest)
			*newest = lu;
		if (seen)
			seen_add(seen, jint(t, "id"));
		if (jstr(t, "Status") && !strcmp(jstr(t, "Status"),
		    "deleted")) {
			/* deleted in RT: gone from the desk too */
			gone = xrealloc(gone, (ngone + 1) * sizeof(*gone));
			gone[ngone++] = jint(t, "id");
			continue;
		}
		if (rt_put_ticket(b, t, err) < 0) {
			store_batch_abort(b);
			free(gone);
			return -1;
		}
	}
	if (store_batch_end(b, err) < 0) {
		free(gone);
		return -1;
	}
	rt->e.stats->pulled += is.written;
	for (i = 0; i < ngone; i++)
		if (store_sync_ticket_forget(rt->e.st, gone[i], err) < 0)
			break;
	free(gone);
	return i < ngone ? -1 : 0;
}

/* One page of a ticket search; *items borrowed from *j (caller puts). */
static int
search_page(struct rt *rt, const char *query, const char *fields, int page,
    JV **j, JV **items, struct tdesk_err *err)
{
	struct buf p = BUF_INIT;
	int rc;

	buf_adds(&p, "/tickets?query=");
	http_add_escaped(&p, query);
	buf_printf(&p, "&orderby=LastUpdated&order=ASC&per_page=%d&page=%d&",
	    RT_PER_PAGE, page);
	buf_adds(&p, fields);
	rc = rt_get(rt, p.data, j, NULL, 0, err);
	buf_free(&p);
	if (rc < 0)
		return -1;
	*items = j_get(*j, "items");
	if (!j_isarr(*items)) {
		json_object_put(*j);
		*j = NULL;
		return err_set(err, TDESK_ENETWORK, "RT's ticket search"
		    " answered without items");
	}
	return 0;
}

/* {"field": f, "operator": "IN", "value": [...]} of ids */
static JV *
limit_in(const char *field, const int64_t *ids, size_t n)
{
	JV *l = j_obj(), *v = j_arr();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(v, json_object_new_int64(ids[i]));
	json_object_object_add(l, "field", j_new_str(field));
	json_object_object_add(l, "operator", j_new_str("IN"));
	json_object_object_add(l, "value", v);
	return l;
}

static JV *
limit_eq(const char *field, const char *value)
{
	JV *l = j_obj();

	json_object_object_add(l, "field", j_new_str(field));
	json_object_object_add(l, "value", j_new_str(value));
	return l;
}

/* --- merges: RT answers for a merged ticket with the one it went into -- */

/* The state key listing the tickets merged into id ("12 15"). */
static void
merges_key(char *key, size_t n, int64_t id)
{
	snprintf(key, n, "rt.merged_into.%lld", (long long)id);
}

/* Append to *ids the tickets merged into id. */
static void
merged_into(struct rt *rt, int64_t id, int64_t **ids, size_t *n)
{
	char key[48], *v, *p, *end;

	merges_key(key, sizeof(key), id);
	if ((v = store_state_get(rt->e.st, key)) == NULL)
		return;
	for (p = v;; p = end) {
		long long x = strtoll(p, &end, 10);

		if (end == p)
			break;
		*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
		(*ids)[(*n)++] = (int64_t)x;
	}
	free(v);
}

/* Record that x went into y: y's messages include x's from now on. */
static int
merge_note(struct rt *rt, int64_t x, int64_t y, struct tdesk_err *err)
{
	char key[48], add[24], *v;
	struct buf b = BUF_INIT;
	int64_t *had = NULL;
	size_t n = 0, i;
	int rc = 0;

	merged_into(rt, y, &had, &n);
	for (i = 0; i < n && had[i] != x; i++)
		;
	if (i == n) {
		merges_key(key, sizeof(key), y);
		v = store_state_get(rt->e.st, key);
		snprintf(add, sizeof(add), "%lld", (long long)x);
		buf_printf(&b, "%s%s%s", v ? v : "", v && *v ? " " : "", add);
		rc = store_state_set(rt->e.st, key, b.data, err);
		free(v);
		buf_free(&b);
	}
	free(had);
	return rc;
}

/*
 * The merges since `since` (0: all): RT keeps a merged ticket's history
 * under its own id but no longer shows the ticket, answering for the one
 * it went into. The survivor's messages include the merged ticket's from
 * now on, and the merged ticket leaves the replica (unless actions for it
 * wait: pushing them fails naming the survivor).
 */
static int
pull_merges(struct rt *rt, int64_t since, struct tdesk_err *err)
{
	JV *q = j_arr(), *all = j_arr(), *t;
	char *body;
	size_t i;
	int rc = -1;

	json_object_array_add(q, limit_eq("ObjectType", "RT::Ticket"));
	json_object_array_add(q, limit_eq("Type", "AddLink"));
	json_object_array_add(q, limit_eq("Field", "MergedInto"));
	if (since > 0) {
		char when[32];
		time_t ts = (time_t)since;
		struct tm tm;
		JV *l;

		gmtime_r(&ts, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		l = limit_eq("Created", when);
		json_object_object_add(l, "operator", j_new_str(">="));
		json_object_array_add(q, l);
	}
	body = rt_jdump(q);
	if (rt_get_all(rt, "POST", "/transactions?orderby=id&order=ASC&"
	    "fields=ObjectId,NewValue", body, all, err) < 0)
		goto done;
	J_FOREACH(all, i, t) {
		const char *to = jstr(t, "NewValue");
		const char *slash = to ? strrchr(to, '/') : NULL;
		int64_t x = jint(t, "ObjectId");
		int64_t y = slash ? strtoll(slash + 1, NULL, 10) : 0;
		int known;

		if (x <= 0 || y <= 0 || x == y)
			continue;
		if (merge_note(rt, x, y, err) < 0 ||
		    (known = store_sync_ticket_known(rt->e.st, x, err)) < 0 ||
		    (known == 1 && store_sync_ticket_forget(rt->e.st, x,
		    err) < 0))
			goto done;
	}
	rc = 0;
done:
	free(body);
	json_object_put(q);
	json_object_put(all);
	return rc;
}

#define BULK_IDS 50

/*
 * Whether the replica's copy of ticket id is older than lu. A copy with
 * the same whole second is read again only near the last watermark, where
 * a change in that second may have followed our read.
 */
static int
stale_copy(struct rt *rt, int64_t id, int64_t lu, int64_t wm,
    struct tdesk_err *err)
{
	struct store_ticket t;
	int k = store_ticket_get(rt->e.st, id, &t, err);
	int stale;

	if (k <= 0)
		return k < 0 ? -1 : 1;
	stale = lu > t.updated_at || (lu == t.updated_at && lu >= wm - 1);
	store_ticket_clear(&t);
	return stale;
}

static int
pull_tickets(struct rt *rt, struct tdesk_err *err)
{
	int64_t wm = rt_state_int(rt, "rt.watermark"), newest = wm;
	int64_t full_at = rt_state_int(rt, "rt.full_at");
	int full = wm == 0 || time_now() - full_at >= FULL_EVERY_S;
	int64_t since = full ? 0 : wm - OVERLAP_S;
	char *query = ticket_query(rt, since);
	struct seen seen_ids = { NULL, 0, 0 };
	int64_t *need = NULL;
	size_t nneed = 0, i;
	int page, rc = -1;

	for (page = 1; page <= RT_MAX_PAGES; page++) {
		JV *j = NULL, *items, *t;
		size_t n;

		/* a full pass reads every ticket; an incremental one first
		 * asks only when each changed (the overlap re-reads) */
		if (search_page(rt, query, full ? TICKET_FIELDS :
		    "fields=LastUpdated", page, &j, &items, err) < 0)
			goto done;
		n = j_len(items);
		if (full) {
			if (ingest_items(rt, items, &newest, &seen_ids,
			    err) < 0) {
				json_object_put(j);
				goto done;
			}
		} else {
			J_FOREACH(items, i, t) {
				int64_t lu = rt_jtime(t, "LastUpdated");
				int k = stale_copy(rt, jint(t, "id"), lu, wm,
				    err);

				if (k < 0) {
					json_object_put(j);
					goto done;
				}
				if (lu > newest)
					newest = lu;
				if (k == 0)
					continue;
				need = xrealloc(need, (nneed + 1) *
				    sizeof(*need));
				need[nneed++] = jint(t, "id");
			}
		}
		json_object_put(j);
		if (n < RT_PER_PAGE)
			break;
	}
	/* the changed ones, expanded, 50 at a time */
	for (i = 0; i < nneed; i += BULK_IDS) {
		struct buf q = BUF_INIT;
		JV *j = NULL, *items;
		size_t k;
		int r;

		for (k = i; k < nneed && k < i + BULK_IDS; k++)
			buf_printf(&q, "%sid = %lld", k > i ? " OR " : "",
			    (long long)need[k]);
		r = search_page(rt, q.data, TICKET_FIELDS, 1, &j, &items, err);
		buf_free(&q);
		if (r < 0)
			goto done;
		r = ingest_items(rt, items, &newest, NULL, err);
		json_object_put(j);
		if (r < 0)
			goto done;
	}
	if (since > 0 && pull_gone(rt, since, err) < 0)
		goto done;
	if (pull_merges(rt, since, err) < 0)
		goto done;
	if (full && wm > 0 && forget_unseen(rt, &seen_ids, err) < 0)
		goto done;
	if (full && rt_state_set_int(rt, "rt.full_at", time_now(), err) < 0)
		goto done;
	if (newest > wm && rt_state_set_int(rt, "rt.watermark", newest, err) < 0)
		goto done;
	rc = 0;
done:
	free(need);
	free(seen_ids.ids);
	free(query);
	return rc;
}

#define BULK_TICKETS 50
#define BULK_TXNS 200

/* The Create, Correspond and Comment transactions of tickets ids (one
 * JSON search, in pages), appended to txns. */
static int
bulk_txns(struct rt *rt, const int64_t *ids, size_t n, JV *txns,
    struct tdesk_err *err)
{
	JV *q = j_arr(), *types = j_obj(), *v = j_arr();
	char *body;
	int rc;

	json_object_array_add(q, limit_eq("ObjectType", "RT::Ticket"));
	json_object_array_add(q, limit_in("ObjectId", ids, n));
	json_object_object_add(types, "field", j_new_str("Type"));
	json_object_object_add(types, "operator", j_new_str("IN"));
	json_object_array_add(v, j_new_str("Create"));
	json_object_array_add(v, j_new_str("Correspond"));
	json_object_array_add(v, j_new_str("Comment"));
	json_object_object_add(types, "value", v);
	json_object_array_add(q, types);
	body = rt_jdump(q);
	rc = rt_get_all(rt, "POST", "/transactions?orderby=id&order=ASC&"
	    "fields=Type,Created,Creator,ObjectId&fields%5BCreator%5D=id,Name,"
	    "EmailAddress,RealName", body, txns, err);
	free(body);
	json_object_put(q);
	return rc;
}

/* The texts of transactions txns (searches of their attachments,
 * BULK_TXNS transactions at a time) into m. */
static int
bulk_texts(struct rt *rt, const JV *txns, struct rt_msgs *m,
    struct tdesk_err *err)
{
	size_t ntx = j_len(txns), i, k;
	int64_t tx[BULK_TXNS];

	for (i = 0; i < ntx; i += BULK_TXNS) {
		JV *aq = j_arr(), *atts = j_arr();
		char *body;
		int r;

		for (k = 0; k < BULK_TXNS && i + k < ntx; k++)
			tx[k] = jint(j_at(txns, i + k), "id");
		json_object_array_add(aq, limit_in("TransactionId", tx, k));
		body = rt_jdump(aq);
		r = rt_get_all(rt, "POST", "/attachments?orderby=id&order=ASC&"
		    "fields=TransactionId,ContentType,Content", body, atts,
		    err);
		free(body);
		json_object_put(aq);
		if (r == 0)
			rt_msgs_texts(m, atts);
		json_object_put(atts);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* The tickets whose transactions make the messages of ids: each id and
 * the tickets merged into it (directly or along a chain); of[k] is the
 * ticket obj[k]'s go to. */
struct objs {
	int64_t *obj, *of;
	size_t n;
};

static void
objs_of(struct rt *rt, const int64_t *ids, size_t n, struct objs *o)
{
	size_t k, had, p;

	memset(o, 0, sizeof(*o));
	for (k = 0; k < n; k++) {
		had = o->n;
		o->obj = xrealloc(o->obj, (o->n + 1) * sizeof(*o->obj));
		o->obj[o->n++] = ids[k];
		/* and what went into those, for a chain of merges */
		for (p = had; p < o->n && o->n - had < 256; p++)
			merged_into(rt, o->obj[p], &o->obj, &o->n);
		o->of = xrealloc(o->of, o->n * sizeof(*o->of));
		while (had < o->n)
			o->of[had++] = ids[k];
	}
}

/* Ticket id's messages among m->txns into the batch, then the mark that
 * its comments are complete. */
static int
batch_messages(struct rt *rt, struct store_batch *b, int64_t id,
    const struct objs *o, const struct rt_msgs *m, struct tdesk_err *err)
{
	size_t i, k;
	const JV *t;

	J_FOREACH(m->txns, i, t) {
		const JV *cr = j_get(t, "Creator");
		const char *type = jstr(t, "Type");
		int64_t obj = jint(t, "ObjectId");
		struct store_comment_rec c;

		for (k = 0; k < o->n && o->obj[k] != obj; k++)
			;
		if (k == o->n || o->of[k] != id || !rt_is_message(type))
			continue;
		memset(&c, 0, sizeof(c));
		if (rt_put_user(b, cr, rt_author_role(rt, cr, type),
		    &c.author_id, err) < 0)
			return -1;
		c.id = jint(t, "id");
		c.created_at = rt_jtime(t, "Created");
		c.public = strcmp(type, "Comment") != 0;
		c.body = rt_msg_text(m, c.id);
		if (store_batch_comment(b, id, &c, err) < 0)
			return -1;
	}
	return store_batch_comments_done(b, id, err);
}

/*
 * The messages of many tickets at once: one search of their Create,
 * Correspond and Comment transactions (and those of the tickets merged
 * into them) and one of those transactions' attachments, in pages,
 * instead of two requests per ticket.
 */
static int
pull_comments_bulk(struct rt *rt, const struct store_sync_todo *todo,
    size_t n, struct tdesk_err *err)
{
	int64_t ids[BULK_TICKETS];
	struct store_batch *b;
	struct rt_msgs m = { j_arr(), j_obj() };
	struct objs o;
	size_t k;
	int rc = -1;

	for (k = 0; k < n; k++)
		ids[k] = todo[k].id;
	objs_of(rt, ids, n, &o);
	if (bulk_txns(rt, o.obj, o.n, m.txns, err) < 0 ||
	    bulk_texts(rt, m.txns, &m, err) < 0 ||
	    (b = store_batch_begin(rt->e.st, NULL, err)) == NULL)
		goto done;
	for (k = 0; k < n; k++)
		if (batch_messages(rt, b, ids[k], &o, &m, err) < 0) {
			store_batch_abort(b);
			goto done;
		}
	if (store_batch_end(b, err) < 0)
		goto done;
	for (k = 0; k < n; k++) {
		if (store_sync_comments_mark(rt->e.st, ids[k],
		    todo[k].updated_at, err) < 0)
			goto done;
		rt->e.stats->comments++;
	}
	rc = 0;
done:
	free(o.obj);
	free(o.of);
	rt_msgs_clear(&m);
	return rc;
}

int
rt_pull(struct rt *rt, struct tdesk_err *err)
{
	struct store_sync_todo *todo = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (pull_tickets(rt, err) < 0)
		return -1;
	if (store_sync_comments_todo(rt->e.st, 0, 1, &todo, &n, err) < 0)
		return -1;
	if (n > 0)
		eng_note(&rt->e, "reading the messages of %zu ticket%s", n,
		    n == 1 ? "" : "s");
	for (i = 0; i < n; i += BULK_TICKETS)
		if (pull_comments_bulk(rt, todo + i, n - i < BULK_TICKETS ?
		    n - i : BULK_TICKETS, err) < 0)
			goto done;
	rc = store_fts_refresh(rt->e.st, err);
done:
	free(todo);
	return rc;
}
