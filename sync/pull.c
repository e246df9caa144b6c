/* SPDX-License-Identifier: MIT */
/*
 * The pull: the agent's assigned tickets (incrementally from a watermark,
 * with a periodic full pass), the watched groups' queues and the comments
 * of what changed, mapped into the replica by the backend; then the
 * answers (answers.c) when they are due.
 */
#include "sync/sync_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OVERLAP_S 120		/* re-read this much before the watermark */
#define FULL_EVERY_S 86400	/* a full pass of the assigned list */
#define INCREMENTAL_FIRST_PAGE 10

static int64_t
state_int(struct engine *e, const char *key)
{
	char *v = store_state_get(e->st, key);
	int64_t n = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

static int
state_set_int(struct engine *e, const char *key, int64_t n,
    struct tdesk_err *err)
{
	char v[32];

	/* an unchanged value costs no commit (and no fsync) */
	if (state_int(e, key) == n)
		return 0;
	snprintf(v, sizeof(v), "%lld", (long long)n);
	return store_state_set(e->st, key, v, err);
}

/* Ingest a list page (tickets, or search results of any kind: the
 * backend's mapping tells them apart). */
static int
ingest_list_page(struct engine *e, struct http_req *r, const char *key,
    struct store_ingest_stats *is, struct tdesk_err *err)
{
	(void)key;
	if (e->be->ingest(e->st, &r->resp.data, &r->resp.len, 1, 0, is,
	    err) < 0)
		return -1;
	e->stats->pulled += is->written;
	return 0;
}

int
list_page_store(struct engine *e, struct list_txn *lt, struct http_req *r,
    struct json_object *root, size_t len, const char *key, int seen,
    struct store_ingest_stats *is, struct tdesk_err *err)
{
	struct buf ids = BUF_INIT;
	int rc;

	memset(is, 0, sizeof(*is));
	is->ids = seen ? &ids : NULL;
	/* pages share a transaction for up to 250 ms: one fsync for many
	 * pages, not one each (a full pass has a thousand) */
	if (!lt->in_txn && store_begin(e->st, err) < 0)
		return -1;
	lt->in_txn = 1;
	if (r != NULL)
		rc = ingest_list_page(e, r, key, is, err);
	else if ((rc = e->be->ingest_roots(e->st, &root, &len, 1, 0, is,
	    err)) == 0)
		e->stats->pulled += is->written;
	/* a failure unwound its own savepoint; the pages before it are
	 * good and are kept */
	if (rc == 0 && seen && ids.len)
		rc = store_sync_seen_add(e->st, ids.data, ids.len, err);
	buf_free(&ids);
	is->ids = NULL;
	if (rc < 0)
		return -1;
	if (http_now() - lt->last_commit > 250) {
		lt->in_txn = 0;
		if (store_commit(e->st, err) < 0)
			return -1;
		lt->last_commit = http_now();
	}
	if (++lt->pages % 10 == 0)
		eng_note(e, "pulled %lld tickets", (long long)e->stats->pulled);
	return 0;
}

int
list_txn_end(struct engine *e, struct list_txn *lt, int rc,
    struct tdesk_err *err)
{
	struct tdesk_err cerr;

	if (!lt->in_txn)
		return rc;
	lt->in_txn = 0;
	err_clear(&cerr);
	if (store_commit(e->st, &cerr) < 0 && rc == 0) {
		*err = cerr;
		return -1;
	}
	return rc;
}

/*
 * Walk a cursor-paginated list, newest change first, ingesting each page
 * while the next one is on its way; stop at the end (meta.has_more), or
 * once a page reaches back before stop_before (0: never: then a thread
 * fetches and parses ahead, pull_ahead.c).
 */

/* Ask for the page after cursor now, so it travels during an ingest. */
static struct http_req *
list_next(struct engine *e, list_path_fn pathf, const void *arg,
    const char *cursor)
{
	char *path = pathf(e, arg, cursor);
	struct http_req *r = http_req_new("GET", path, NULL);

	free(path);
	http_submit(e->h, r);
	http_poke(e->h);
	return r;
}

static int
walk_list(struct engine *e, list_path_fn pathf, const void *arg,
    const char *key, int64_t stop_before, int seen, int64_t *max_updated,
    struct tdesk_err *err)
{
	struct http_req *cur, *next = NULL;
	char *path;
	struct list_txn lt = { 0, http_now(), 0 };
	int rc = -1, running = 0;

	if (stop_before <= 0 && e->be->ingest_roots != NULL)
		return walk_list_ahead(e, pathf, arg, key, seen, max_updated,
		    err);
	path = pathf(e, arg, NULL);
	cur = http_req_new("GET", path, NULL);
	free(path);
	for (;;) {
		struct sync_page_info pi;
		struct store_ingest_stats is;
		int more;

		if (eng_fetch_wait(e, cur, running, key, err) < 0 ||
		    sync_page_info(cur->resp.data, cur->resp.len, key, &pi,
		    err) < 0)
			goto done;
		more = pi.has_more && pi.after_cursor != NULL && pi.n > 0;
		if (list_page_store(e, &lt, cur, NULL, 0, key, seen, &is,
		    err) < 0) {
			sync_page_info_clear(&pi);
			goto done;
		}
		if (is.max_updated > *max_updated)
			*max_updated = is.max_updated;
		/* an incremental pass decides after the ingest, which tells
		 * how far back the page reached */
		if (is.min_updated > 0 && is.min_updated < stop_before)
			more = 0;
		if (more)
			next = list_next(e, pathf, arg, pi.after_cursor);
		sync_page_info_clear(&pi);
		http_req_free(cur);
		cur = NULL;
		if (!more)
			break;
		cur = next;
		next = NULL;
		running = 1;
	}
	rc = 0;
done:
	rc = list_txn_end(e, &lt, rc, err);
	http_req_free(cur);
	http_req_free(next);
	return rc;
}

/* arg: the first page's size (an incremental pass usually needs only a
 * few tickets, and ingesting a whole page of unchanged ones costs) */
static char *
assigned_path(struct engine *e, const void *arg, const char *cursor)
{
	const int *first = arg;

	return e->be->assigned_path(e->me, cursor,
	    cursor == NULL && first ? *first : 100);
}

struct queue_arg {
	const char *group;
	int64_t since;
};

static char *
queue_path(struct engine *e, const void *arg, const char *cursor)
{
	const struct queue_arg *q = arg;

	return e->be->queue_path(q->group, q->since, cursor);
}

/* Tickets the replica holds as mine that the full list did not show:
 * ask for them by id; those the server no longer shows us go. */
static int
recheck_unseen(struct engine *e, struct tdesk_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (store_sync_unseen_assigned(e->st, e->me, &ids, &n, err) < 0)
		return -1;
	if (n > 0)
		eng_note(e, "re-checking %zu tickets no longer assigned to you", n);
	for (i = 0; i < n; i += (size_t)e->be->max_show_many) {
		size_t m = n - i;
		char *path;
		struct http_req *r;

		if (m > (size_t)e->be->max_show_many)
			m = (size_t)e->be->max_show_many;
		if (store_sync_seen_reset(e->st, err) < 0)
			goto done;
		path = e->be->show_many_path(ids + i, m);
		r = http_req_new("GET", path, NULL);
		free(path);
		struct store_ingest_stats is = { 0 };
		struct buf seen = BUF_INIT;

		is.ids = &seen;
		if (eng_fetch(e, r, e->be->list_key, err) < 0 ||
		    ingest_list_page(e, r, e->be->list_key, &is, err) < 0 ||
		    (seen.len && store_sync_seen_add(e->st, seen.data,
		    seen.len, err) < 0)) {
			buf_free(&seen);
			http_req_free(r);
			goto done;
		}
		buf_free(&seen);
		http_req_free(r);
		/* what show_many did not return is gone or hidden from us */
		{
			int64_t *gone = NULL;
			size_t ngone = 0, g;

			if (store_sync_unseen_assigned(e->st, e->me, &gone,
			    &ngone, err) < 0)
				goto done;
			for (g = 0; g < ngone; g++) {
				size_t j;

				for (j = i; j < i + m; j++)
					if (ids[j] == gone[g])
						break;
				if (j < i + m &&
				    store_sync_ticket_forget(e->st, gone[g],
				    err) < 0) {
					free(gone);
					goto done;
				}
			}
			free(gone);
		}
	}
	rc = 0;
done:
	free(ids);
	return rc;
}

/* Whether the server counts as many tickets assigned to me as we hold. */
static int
counts_agree(struct engine *e, int *agree, struct tdesk_err *err)
{
	struct http_req *r;
	char *path;
	int64_t remote, local;

	*agree = 1;
	if (e->be->assigned_count_path == NULL)
		return 0;
	path = e->be->assigned_count_path(e->me);
	r = http_req_new("GET", path, NULL);
	free(path);
	if (eng_fetch(e, r, NULL, err) < 0 ||
	    e->be->count_parse(r->resp.data, r->resp.len, &remote,
	    err) < 0) {
		http_req_free(r);
		return -1;
	}
	http_req_free(r);
	if (store_sync_count_assigned(e->st, e->me, &local, err) < 0)
		return -1;
	*agree = remote == local;
	return 0;
}

static int
pull_assigned(struct engine *e, int64_t *was_wm, struct tdesk_err *err)
{
	int64_t wm = state_int(e, "sync.assigned.watermark");
	int64_t full_at = state_int(e, "sync.assigned.full_at");
	int64_t newest = wm, started = time_now();
	int full = wm == 0 || started - full_at > FULL_EVERY_S;
	int agree, first = INCREMENTAL_FIRST_PAGE;

	*was_wm = wm;
	if (!full) {
		if (walk_list(e, assigned_path, &first, e->be->list_key,
		    wm - OVERLAP_S, 0, &newest, err) < 0)
			return -1;
		if (counts_agree(e, &agree, err) < 0)
			return -1;
		/* more here than there: some went to someone else */
		full = !agree;
	}
	if (full) {
		eng_note(e, "reading the whole list of your tickets");
		if (store_sync_seen_reset(e->st, err) < 0 ||
		    walk_list(e, assigned_path, NULL, e->be->list_key, 0, 1,
		    &newest, err) < 0 ||
		    recheck_unseen(e, err) < 0 ||
		    state_set_int(e, "sync.assigned.full_at", started,
		    err) < 0)
			return -1;
	}
	return state_set_int(e, "sync.assigned.watermark", newest, err);
}

static int
pull_queues(struct engine *e, struct tdesk_err *err)
{
	const struct sync_remote *rm = &e->o->remote;
	size_t i;

	if (e->be->queue_path == NULL)
		return 0;
	for (i = 0; i < rm->n_groups; i++) {
		char key[300];
		struct queue_arg q;
		int64_t wm, newest;

		snprintf(key, sizeof(key), "sync.group.%s.watermark",
		    rm->groups[i]);
		wm = state_int(e, key);
		newest = wm;
		q.group = rm->groups[i];
		q.since = wm > 0 ? wm - OVERLAP_S : 0;
		eng_note(e, "pulling the queue of group '%s'", q.group);
		if (walk_list(e, queue_path, &q, e->be->queue_key, 0, 0,
		    &newest, err) < 0 ||
		    state_set_int(e, key, newest, err) < 0)
			return -1;
	}
	return 0;
}

/* --- comments (pull_comments.c) ------------------------------------------ */

static int
pull_comments(struct engine *e, int initial, struct tdesk_err *err)
{
	struct store_sync_todo *todo = NULL;
	size_t n = 0;
	int64_t since = state_int(e, "sync.comments.since");
	int64_t newest = state_int(e, "sync.assigned.watermark");
	int incomplete = 0, rc = -1;

	if (initial && store_sync_comments_mark(e->st, 0, 0, err) < 0)
		return -1;
	if (store_sync_comments_todo(e->st, since, !initial, &todo, &n,
	    err) < 0)
		return -1;
	if (n > 0)
		eng_note(e, "fetching the comments of %zu tickets", n);
	if (pull_comments_fetch(e, todo, n, &incomplete, err) < 0) {
		*err = e->ferr;
		goto done;
	}
	if (incomplete)
		e->stats->network_trouble = 1;
	else if (newest > OVERLAP_S &&
	    state_set_int(e, "sync.comments.since", newest - OVERLAP_S,
	    err) < 0)
		goto done;
	rc = 0;
done:
	free(todo);
	return rc;
}

/*
 * The lists (the agent's tickets, the watched queues). The first pull into
 * an empty desk is a bulk load, like an import into one: one transaction
 * with the secondary indexes of tickets and users dropped and built again
 * at the end (store/bulk.c). Kept, every 250 ms commit rewrote the pages
 * of six wide indexes at random places (a thousand writes a page, slower
 * as the desk grew: 67 s of a 100k-ticket first sync, 4 s of transfer).
 * A kill in between rolls it back to the empty desk it started from,
 * indexes included; a failure keeps the pages read before it, as without
 * the bulk load.
 */
static int
pull_unwrapped(struct engine *e, int64_t *was_wm, struct tdesk_err *err)
{
	return pull_assigned(e, was_wm, err) < 0 || pull_queues(e, err) < 0 ?
	    -1 : 0;
}

static int
pull_lists(struct engine *e, int64_t *was_wm, struct tdesk_err *err)
{
	struct store_bulk_load *bl = NULL;
	struct tdesk_err cerr;
	int rc;

	if (state_int(e, "sync.assigned.watermark") != 0)
		return pull_unwrapped(e, was_wm, err);
	if (store_begin(e->st, err) < 0)
		return -1;
	if (store_bulk_load_begin(e->st, &bl, err) < 0) {
		store_rollback(e->st);
		return -1;
	}
	if (bl == NULL) {
		/* a desk filled otherwise (an import): commits as it goes */
		if (store_commit(e->st, err) < 0)
			return -1;
		return pull_unwrapped(e, was_wm, err);
	}
	/* no savepoint a page: each would journal the pages it changes */
	store_flat(e->st, 1);
	rc = pull_unwrapped(e, was_wm, err);
	store_flat(e->st, 0);
	err_clear(&cerr);
	if (store_bulk_load_end(e->st, bl, &cerr) < 0 ||
	    store_commit(e->st, &cerr) < 0) {
		store_rollback(e->st);
		if (rc == 0)
			*err = cerr;
		return -1;
	}
	return rc;
}

int
pull_run(struct engine *e, struct tdesk_err *err)
{
	int64_t was_wm;

	/* a first sync's full text is merged into one piece, as an
	 * import's is (store_fts_optimize) */
	if (pull_lists(e, &was_wm, err) < 0 ||
	    pull_comments(e, was_wm == 0, err) < 0 ||
	    store_fts_refresh(e->st, err) < 0 ||
	    (was_wm == 0 && store_fts_optimize(e->st, err) < 0))
		return -1;
	/* macros and articles change rarely: refresh them on a first sync
	 * and then at most every answers_every seconds, so that a sync with
	 * nothing new stays one list request plus the identity */
	char *last = store_state_get(e->st, "answers.pulled_at");
	int64_t at = last ? strtoll(last, NULL, 10) : 0;
	free(last);
	if (was_wm != 0 && time_now() - at < e->o->answers_every)
		return 0;
	if (pull_answers(e, err) < 0)
		return -1;
	if (e->stats->macros >= 0 && e->stats->articles >= 0) {
		char now[24];
		snprintf(now, sizeof(now), "%lld", (long long)time_now());
		if (store_state_set(e->st, "answers.pulled_at", now, err) < 0)
			return -1;
	}
	return 0;
}
