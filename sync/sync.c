/* SPDX-License-Identifier: MIT */
/*
 * The sync engine: check who we are, push the outbox (per ticket in
 * order, across tickets in parallel, never sending an action twice) and
 * pull the agent's changed tickets and their comments into the replica.
 */
#include "sync/sync_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OVERLAP_S 120		/* re-read this much before the watermark */
#define FULL_EVERY_S 86400	/* a full pass of the assigned list */
#define BACKOFF_BASE_MS 250
#define BACKOFF_CAP_MS 8000
#define MAX_COMMENT_PAGES 60
#define INCREMENTAL_FIRST_PAGE 10



void
eng_note(struct engine *e, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (e->o->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	e->o->progress(e->o->arg, line);
}

void
eng_fatal(struct engine *e, const struct tdesk_err *err)
{
	if (!e->fatal) {
		e->fatal = 1;
		e->ferr = *err;
	}
}

/* Full jitter backoff; Retry-After (capped) is a minimum. */
int64_t
eng_backoff(struct engine *e, int attempt, long retry_after)
{
	int64_t cap = BACKOFF_BASE_MS << (attempt < 6 ? attempt : 6);
	int64_t d, ra;

	if (cap > BACKOFF_CAP_MS)
		cap = BACKOFF_CAP_MS;
	d = (int64_t)(rand_r(&e->rng) % (unsigned)(cap + 1));
	if (retry_after >= 0) {
		ra = retry_after;
		if (ra > e->o->max_wait_s)
			ra = e->o->max_wait_s;
		ra *= 1000;
		/* a little jitter so parallel waiters do not stampede */
		d = ra + d / 8;
	}
	return d;
}

/* The server's complaint for humans, never more than one line. */
void
eng_describe(struct engine *e, const struct http_req *r, char *out, size_t n)
{
	char *t = NULL;

	if (r->status == 0 || (r->failed && r->status < 300)) {
		snprintf(out, n, "%s", r->error[0] ? r->error :
		    "no answer");
		return;
	}
	if (r->resp.len > 0)
		t = e->be->error_text(r->resp.data, r->resp.len);
	if (r->status >= 300 && r->status < 400)
		snprintf(out, n, "the server redirected to '%s': tdesk does"
		    " not follow redirects; check the desk url",
		    r->location ? r->location : "?");
	else
		snprintf(out, n, "HTTP %ld%s%s", r->status, t ? ": " : "",
		    t ? t : "");
	free(t);
}



enum outcome
eng_classify(struct engine *e, const struct http_req *r, struct tdesk_err *err)
{
	char what[400];

	if (r->status >= 200 && r->status < 300 && !r->failed)
		return OUT_OK;
	eng_describe(e, r, what, sizeof(what));
	if (r->status == 401 || r->status == 407) {
		err_set(err, TDESK_EAUTH, "the server refused the credentials"
		    " (%s): check the desk's email and token", what);
		return OUT_FATAL;
	}
	if (r->status >= 300 && r->status < 400) {
		err_set(err, TDESK_ENETWORK, "%s", what);
		return OUT_FATAL;
	}
	if (r->status == 404) {
		err_set(err, TDESK_ENOTFOUND, "%s", what);
		return OUT_NOTFOUND;
	}
	if (r->too_large) {
		/* asking again brings the same */
		err_set(err, TDESK_ENETWORK, "%s", what);
		return OUT_FAIL;
	}
	if (r->failed || r->status == 0 || r->status == 429 ||
	    r->status == 408 || r->status >= 500 || r->status < 200) {
		err_set(err, TDESK_ENETWORK, "%s", what);
		return OUT_RETRY;
	}
	err_set(err, r->status == 403 ? TDESK_EAUTH : TDESK_ENETWORK, "%s",
	    what);
	return OUT_FAIL;
}

/* Wait for r alone (submitting it unless it already runs), retrying
 * what can be retried. When key is given, the body must be a page with
 * that array. */
static int
fetch_wait(struct engine *e, struct http_req *r, int running,
    const char *key, struct tdesk_err *err)
{
	int attempt;

	for (attempt = 0;; attempt++) {
		struct http_req *got;
		enum outcome oc;

		if (attempt > 0 || !running)
			http_submit(e->h, r);
		while ((got = http_next(e->h)) != r && got != NULL)
			http_req_free(got);	/* nothing else runs now */
		err_clear(err);
		oc = eng_classify(e, r, err);
		if (oc == OUT_OK && key != NULL && sync_page_check(
		    r->resp.data, r->resp.len, key, err) < 0)
			oc = OUT_RETRY;
		if (oc == OUT_OK)
			return 0;
		if (oc == OUT_FATAL)
			eng_fatal(e, err);
		if (oc != OUT_RETRY || attempt + 1 >= e->max_attempts)
			return -1;
		/* nobody there: say so soon rather than after a minute */
		if (r->unreachable && attempt >= 1)
			return -1;
		e->stats->retries++;
		r->not_before = http_now() + eng_backoff(e, attempt,
		    r->retry_after);
	}
}

static int
fetch(struct engine *e, struct http_req *r, const char *key,
    struct tdesk_err *err)
{
	return fetch_wait(e, r, 0, key, err);
}

/* --- identity -------------------------------------------------------- */

static int
identify(struct engine *e, struct tdesk_err *err)
{
	char *path = e->be->me_path();
	struct http_req *r = http_req_new("GET", path, NULL);
	struct backend_me me;
	char id[32];
	int rc = -1;

	free(path);
	memset(&me, 0, sizeof(me));
	if (fetch(e, r, NULL, err) < 0) {
		if (r->status == 403)
			err->kind = TDESK_EAUTH;
		goto done;
	}
	if (e->be->me_parse(r->resp.data, r->resp.len, &me, err) < 0)
		goto done;
	e->me = me.id;
	snprintf(id, sizeof(id), "%lld", (long long)me.id);
	if (store_begin(e->st, err) < 0)
		goto done;
	if (store_state_set(e->st, "me.id", id, err) < 0 ||
	    store_state_set(e->st, "me.name", me.name ? me.name : "",
	    err) < 0 ||
	    store_state_set(e->st, "me.email", me.email ? me.email : "",
	    err) < 0 ||
	    store_state_set(e->st, "me.role", me.role, err) < 0) {
		store_rollback(e->st);
		goto done;
	}
	rc = store_commit(e->st, err);
done:
	free(me.name);
	free(me.email);
	free(me.role);
	http_req_free(r);
	return rc;
}

/* --- pull -------------------------------------------------------------- */

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

/*
 * Walk a cursor-paginated list, newest change first, ingesting each page
 * while the next one is on its way; stop at the end (meta.has_more), or
 * once a page reaches back before stop_before (0: never).
 */
typedef char *(*list_path_fn)(struct engine *e, const void *arg,
    const char *cursor);

static int
walk_list(struct engine *e, list_path_fn pathf, const void *arg,
    const char *key, int64_t stop_before, int seen, int64_t *max_updated,
    struct tdesk_err *err)
{
	struct http_req *cur, *next = NULL;
	char *path = pathf(e, arg, NULL);
	int64_t pages = 0;
	int rc = -1, running = 0;

	cur = http_req_new("GET", path, NULL);
	free(path);
	for (;;) {
		struct sync_page_info pi;
		int more;

		if (fetch_wait(e, cur, running, key, err) < 0)
			goto done;
		struct store_ingest_stats is;
		struct buf ids = BUF_INIT;

		if (sync_page_info(cur->resp.data, cur->resp.len,
		    key, &pi, err) < 0)
			goto done;
		more = pi.has_more && pi.after_cursor != NULL && pi.n > 0;
		if (more && stop_before <= 0) {
			/* start the next transfer before ingesting this one
			 * (an incremental pass decides after the ingest, which
			 * tells how far back the page reached) */
			path = pathf(e, arg, pi.after_cursor);
			next = http_req_new("GET", path, NULL);
			free(path);
			http_submit(e->h, next);
			http_poke(e->h);
		}
		memset(&is, 0, sizeof(is));
		is.ids = seen ? &ids : NULL;
		if (ingest_list_page(e, cur, key, &is, err) < 0 ||
		    (seen && ids.len && store_sync_seen_add(e->st, ids.data,
		    ids.len, err) < 0)) {
			buf_free(&ids);
			sync_page_info_clear(&pi);
			goto done;
		}
		buf_free(&ids);
		if (is.max_updated > *max_updated)
			*max_updated = is.max_updated;
		if (stop_before > 0 && is.min_updated > 0 &&
		    is.min_updated < stop_before)
			more = 0;
		if (more && next == NULL) {
			path = pathf(e, arg, pi.after_cursor);
			next = http_req_new("GET", path, NULL);
			free(path);
			http_submit(e->h, next);
			http_poke(e->h);
		}
		sync_page_info_clear(&pi);
		http_req_free(cur);
		cur = NULL;
		if (++pages % 10 == 0)
			eng_note(e, "pulled %lld tickets",
			    (long long)e->stats->pulled);
		if (!more)
			break;
		cur = next;
		next = NULL;
		running = 1;
	}
	rc = 0;
done:
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
		if (fetch(e, r, e->be->list_key, err) < 0 ||
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
	if (fetch(e, r, NULL, err) < 0 ||
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

/* --- comments ----------------------------------------------------------- */

struct cfetch {
	int64_t id;
	int64_t updated_at;
	char **pages;
	size_t *lens;
	size_t n;
	int tries;
};

static void
cfetch_clear(struct cfetch *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->pages[i]);
	free(c->pages);
	free(c->lens);
	c->pages = NULL;
	c->lens = NULL;
	c->n = 0;
}

static void
cfetch_submit(struct engine *e, struct cfetch *c, const char *cursor,
    int64_t delay_ms)
{
	char *path = e->be->comments_path(c->id, cursor);
	struct http_req *r = http_req_new("GET", path, NULL);

	free(path);
	r->owner = c;
	r->not_before = delay_ms > 0 ? http_now() + delay_ms : 0;
	http_submit(e->h, r);
}

/* All pages of one ticket's comments are in: into the replica. */
static int
cfetch_ingest(struct engine *e, struct cfetch *c, struct tdesk_err *err)
{
	struct store_ingest_stats is;
	int rc;

	memset(&is, 0, sizeof(is));
	rc = e->be->ingest(e->st, c->pages, c->lens, c->n, c->id, &is, err);
	if (rc == 0)
		rc = store_sync_comments_mark(e->st, c->id, c->updated_at,
		    err);
	cfetch_clear(c);
	if (rc == 0)
		e->stats->comments++;
	return rc;
}

static int
pull_comments(struct engine *e, int initial, struct tdesk_err *err)
{
	struct store_sync_todo *todo = NULL;
	struct cfetch *cs = NULL;
	struct http_req *r;
	size_t n = 0, i, left;
	int64_t since = state_int(e, "sync.comments.since");
	int64_t last_commit = http_now();
	int64_t newest = state_int(e, "sync.assigned.watermark");
	int in_txn = 0, incomplete = 0, rc = -1;

	if (initial && store_sync_comments_mark(e->st, 0, 0, err) < 0)
		return -1;
	if (store_sync_comments_todo(e->st, since, !initial, &todo, &n,
	    err) < 0)
		return -1;
	if (n > 0)
		eng_note(e, "fetching the comments of %zu tickets", n);
	cs = xcalloc(n ? n : 1, sizeof(*cs));
	for (i = 0; i < n; i++) {
		cs[i].id = todo[i].id;
		cs[i].updated_at = todo[i].updated_at;
		cfetch_submit(e, &cs[i], NULL, 0);
	}
	left = n;
	while ((r = http_next(e->h)) != NULL) {
		struct cfetch *c = r->owner;
		struct sync_page_info pi;
		enum outcome oc;

		if (e->fatal) {
			http_req_free(r);
			continue;
		}
		oc = eng_classify(e, r, err);
		if (oc == OUT_OK && sync_page_info(r->resp.data,
		    r->resp.len, "comments", &pi, err) < 0)
			oc = OUT_RETRY;
		if (oc == OUT_FATAL) {
			eng_fatal(e, err);
			http_req_free(r);
			continue;
		}
		if (oc == OUT_RETRY) {
			e->stats->retries++;
			if (++c->tries >= e->max_attempts) {
				incomplete = 1;
				cfetch_clear(c);
				left--;
			} else {
				/* start over: pages may have shifted */
				cfetch_clear(c);
				cfetch_submit(e, c, NULL, eng_backoff(e,
				    c->tries - 1, r->retry_after));
			}
			http_req_free(r);
			continue;
		}
		if (oc != OUT_OK) {
			/* gone or forbidden: nothing to show */
			cfetch_clear(c);
			left--;
			http_req_free(r);
			continue;
		}
		c->pages = xrealloc(c->pages, (c->n + 1) * sizeof(*c->pages));
		c->lens = xrealloc(c->lens, (c->n + 1) * sizeof(*c->lens));
		c->lens[c->n] = r->resp.len;
		c->pages[c->n++] = buf_detach(&r->resp);
		if (pi.has_more && pi.after_cursor && pi.n > 0 &&
		    c->n < MAX_COMMENT_PAGES) {
			cfetch_submit(e, c, pi.after_cursor, 0);
			sync_page_info_clear(&pi);
			http_req_free(r);
			continue;
		}
		sync_page_info_clear(&pi);
		http_req_free(r);
		/* many tickets per transaction: one fsync, not hundreds */
		if (!in_txn) {
			if (store_begin(e->st, err) < 0) {
				eng_fatal(e, err);
				continue;
			}
			in_txn = 1;
		}
		if (cfetch_ingest(e, c, err) < 0) {
			/* the failure unwound only its own savepoint:
			 * end the batch's transaction too */
			store_rollback(e->st);
			in_txn = 0;
			eng_fatal(e, err);
			continue;
		}
		left--;
		if (http_now() - last_commit > 250) {
			if (store_commit(e->st, err) < 0) {
				in_txn = 0;
				eng_fatal(e, err);
				continue;
			}
			in_txn = 0;
			last_commit = http_now();
			eng_note(e, "comments: %zu of %zu tickets", n - left, n);
		}
	}
	if (in_txn && store_commit(e->st, err) < 0 && !e->fatal)
		eng_fatal(e, err);
	if (e->fatal) {
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
	for (i = 0; i < n; i++)
		cfetch_clear(&cs[i]);
	free(cs);
	free(todo);
	return rc;
}

/* --- answers: remote macros and help-center articles --------------------- */

#define MAX_ANSWER_PAGES 100	/* per list: 10,000 macros or articles */

/* The bodies of every page of one kind's lists, kept until all arrived
 * so that a failure halfway leaves the replica's copy alone. */
struct pages {
	char **data;
	size_t *len;
	size_t n;
	int64_t items;
};

static void
pages_free(struct pages *pg)
{
	size_t i;

	for (i = 0; i < pg->n; i++)
		free(pg->data[i]);
	free(pg->data);
	free(pg->len);
	memset(pg, 0, sizeof(*pg));
}

static char *
answers_path(struct engine *e, const char *locale, const char *cursor)
{
	if (locale == NULL)
		return e->be->macros_path(cursor, e->o->answers_page);
	return e->be->articles_path(locale, cursor, e->o->answers_page);
}

/* The path of an offset page's next_page, or NULL at the end. The URL
 * must be on the desk itself: credentials never go elsewhere. */
static int
offset_next(struct engine *e, const struct http_req *r, char **path,
    struct tdesk_err *err)
{
	const char *base = e->o->remote.url;
	size_t n = strlen(base);
	char *url = NULL;
	int rc;

	*path = NULL;
	rc = sync_json_get(r->resp.data, r->resp.len, "$.next_page",
	    &url, err);
	if (rc <= 0)
		return rc;
	while (n > 0 && base[n - 1] == '/')
		n--;
	if (strncmp(url, base, n) != 0 || url[n] != '/') {
		err_set(err, TDESK_ENETWORK, "the server's next page is not"
		    " on the desk ('%.120s')", url);
		free(url);
		return -1;
	}
	*path = xstrdup(url + n);
	free(url);
	return 0;
}

/* Fetch every page of one list (macros when locale is NULL, else that
 * locale's articles) into pg. */
static int
answers_fetch(struct engine *e, const char *locale, const char *key,
    struct pages *pg, struct tdesk_err *err)
{
	char *path = answers_path(e, locale, NULL);
	int pages = 0;

	while (path != NULL) {
		struct http_req *r = http_req_new("GET", path, NULL);
		struct sync_page_info pi;
		char *meta = NULL;
		int rc;

		free(path);
		path = NULL;
		if (fetch(e, r, key, err) < 0 ||
		    sync_page_info(r->resp.data, r->resp.len,
		    key, &pi, err) < 0) {
			http_req_free(r);
			return -1;
		}
		rc = 0;
		if (pi.has_more && pi.after_cursor != NULL && pi.n > 0)
			path = answers_path(e, locale, pi.after_cursor);
		else if (pi.n > 0 && sync_json_get(r->resp.data,
		    r->resp.len, "$.meta", &meta, NULL) == 0)
			rc = offset_next(e, r, &path, err); /* offset pages */
		free(meta);
		pg->items += pi.n;
		sync_page_info_clear(&pi);
		if (rc < 0) {
			http_req_free(r);
			return -1;
		}
		pg->data = xrealloc(pg->data, (pg->n + 1) *
		    sizeof(*pg->data));
		pg->len = xrealloc(pg->len, (pg->n + 1) * sizeof(*pg->len));
		pg->len[pg->n] = r->resp.len;
		pg->data[pg->n++] = buf_detach(&r->resp);
		http_req_free(r);
		if (path != NULL && ++pages >= MAX_ANSWER_PAGES) {
			free(path);
			return err_set(err, TDESK_ENETWORK, "the list goes on"
			    " past %d pages", MAX_ANSWER_PAGES);
		}
	}
	return 0;
}

/* Replace the replica's remote copy of one kind by pg, in one
 * transaction: what the remote deleted goes too. */
static int
answers_store(struct engine *e, int macros, const struct pages *pg,
    struct tdesk_err *err)
{
	size_t i;

	if (store_begin(e->st, err) < 0)
		return -1;
	if ((macros ? store_macros_remote_clear(e->st, err) :
	    store_faq_remote_clear(e->st, err)) < 0)
		goto fail;
	for (i = 0; i < pg->n; i++)
		if (e->be->answers_ingest(e->st, macros, pg->data[i],
		    pg->len[i], err) < 0)
			goto fail;
	if (!macros && store_faq_articles_done(e->st, err) < 0)
		goto fail;
	return store_commit(e->st, err);
fail:
	store_rollback(e->st);
	return -1;
}

static void
answers_failed(struct engine *e, const char *what,
    const struct tdesk_err *err)
{
	struct sync_stats *s = e->stats;
	size_t n = strlen(s->answers_error);

	snprintf(s->answers_error + n, sizeof(s->answers_error) - n,
	    "%s%s: %s", n ? "; " : "", what, err->msg);
}

/* The names of the custom fields (they change as rarely as macros): a
 * failure leaves the names known so far. */
static void
pull_fields(struct engine *e)
{
	struct tdesk_err ferr;
	struct store_ingest_stats is;
	struct http_req *r;
	char *path;

	if (e->be->fields_path == NULL)
		return;
	err_clear(&ferr);
	memset(&is, 0, sizeof(is));
	path = e->be->fields_path();
	r = http_req_new("GET", path, NULL);
	free(path);
	if (fetch(e, r, e->be->fields_key, &ferr) < 0 ||
	    e->be->ingest(e->st, &r->resp.data, &r->resp.len, 1, 0, &is,
	    &ferr) < 0)
		answers_failed(e, "ticket fields", &ferr);
	http_req_free(r);
}

/*
 * Pull the remote macros and articles. A kind that cannot be read (no
 * Help Center, 403 for this agent, a server error) keeps its old copy and
 * is reported in the stats; only a fatal error (credentials refused)
 * fails the run.
 */
static int
pull_answers(struct engine *e, struct tdesk_err *err)
{
	struct pages pg;
	struct tdesk_err aerr;
	const char *const *loc;
	int rc;

	e->stats->answers = 1;
	e->stats->macros = e->stats->articles = -1;
	eng_note(e, "pulling macros and articles");

	memset(&pg, 0, sizeof(pg));
	err_clear(&aerr);
	rc = answers_fetch(e, NULL, e->be->macros_key, &pg, &aerr);
	if (rc == 0)
		rc = answers_store(e, 1, &pg, &aerr);
	if (rc == 0)
		e->stats->macros = pg.items;
	else
		answers_failed(e, "macros", &aerr);
	pages_free(&pg);
	if (e->fatal)
		goto fatal;

	err_clear(&aerr);
	for (rc = 0, loc = e->be->locales; rc == 0 && loc && *loc; loc++)
		rc = answers_fetch(e, *loc, e->be->articles_key, &pg, &aerr);
	if (rc == 0)
		rc = answers_store(e, 0, &pg, &aerr);
	if (rc == 0)
		e->stats->articles = pg.items;
	else
		answers_failed(e, "articles", &aerr);
	pages_free(&pg);
	if (e->fatal)
		goto fatal;
	pull_fields(e);
	if (e->fatal)
		goto fatal;
	return 0;
fatal:
	*err = e->ferr;
	return -1;
}

/* --- the run -------------------------------------------------------------- */

static const struct backend *
backend_find(const char *name)
{
	if (name == NULL || strcmp(name, "zendesk") == 0)
		return &backend_zendesk;
	if (strcmp(name, "rt") == 0)
		return &backend_rt;
	return NULL;
}

int
sync_backend_known(const char *backend)
{
	return backend_find(backend) != NULL;
}

static int
pull(struct engine *e, struct tdesk_err *err)
{
	int64_t was_wm;

	if (pull_assigned(e, &was_wm, err) < 0 ||
	    pull_queues(e, err) < 0 ||
	    pull_comments(e, was_wm == 0, err) < 0 ||
	    store_fts_refresh(e->st, err) < 0)
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

static int
outbox_totals(struct engine *e, struct tdesk_err *err)
{
	if (store_outbox_count(e->st, STORE_OUTBOX_CONFLICT,
	    &e->stats->conflicts,
	    err) < 0 ||
	    store_outbox_count(e->st, STORE_OUTBOX_FAILED, &e->stats->failed,
	    err) < 0)
		return -1;
	return 0;
}

/*
 * One sync per replica at a time (push.c, R1): wait up to lock_wait_s for
 * another to end, then give up with TDESK_EBUSY naming its pid.
 */
static int
sync_lock(struct store *st, const struct sync_opts *o,
    struct store_lock **lock, struct tdesk_err *err)
{
	int64_t until = http_now() + 1000 * (int64_t)(o->lock_wait_s > 0 ?
	    o->lock_wait_s : 0);
	long holder = 0;
	int rc;

	for (;;) {
		rc = store_sync_lock(st, lock, &holder, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		if (http_now() >= until)
			break;
		{
			struct timespec ts = { 0, 100 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	if (holder > 0)
		return err_set(err, TDESK_EBUSY, "another tdesk (pid %ld) is"
		    " syncing this desk; nothing was done: try again when"
		    " it ends, or use --wait", holder);
	return err_set(err, TDESK_EBUSY, "another tdesk is syncing this"
	    " desk; nothing was done: try again when it ends, or use"
	    " --wait");
}

int
sync_run(struct store *st, const struct sync_opts *o,
    struct sync_stats *stats, struct tdesk_err *err)
{
	struct engine e;
	struct sync_opts opts = *o;
	struct http_opts ho;
	struct store_lock *lock = NULL;
	char *auth = NULL;
	int64_t t0 = http_now();
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	memset(&e, 0, sizeof(e));
	err_clear(err);
	if (opts.max_wait_s <= 0)
		opts.max_wait_s = 60;
	if (opts.max_attempts <= 0)
		opts.max_attempts = 8;
	e.st = st;
	e.o = &opts;
	e.stats = stats;
	e.max_attempts = opts.max_attempts;
	e.rng = (unsigned)time(NULL) ^ (unsigned)getpid();
	if ((e.be = backend_find(opts.remote.backend)) == NULL) {
		err_set(err, TDESK_EUSAGE, "unknown backend '%s'",
		    opts.remote.backend);
		goto out;
	}
	if (sync_url_check(opts.remote.url, err) < 0)
		goto out;
	if (sync_lock(st, &opts, &lock, err) < 0)
		goto out;
	if (token_load(&opts.remote, &auth, err) < 0)
		goto out;
	memset(&ho, 0, sizeof(ho));
	ho.base_url = opts.remote.url;
	ho.auth_header = auth;
	ho.parallel = opts.parallel;
	ho.connect_timeout_ms = opts.connect_timeout_ms;
	ho.low_speed_time_s = opts.low_speed_time_s;
	ho.trace = opts.trace;
	ho.arg = opts.arg;
	e.h = http_new(&ho, err);
	token_free(auth);
	if (e.h == NULL)
		goto out;
	if (e.be->run) {
		rc = e.be->run(st, &opts, e.h, stats, err);
		goto out;
	}
	if (identify(&e, err) < 0)
		goto out;
	if ((opts.what & SYNC_PUSH) && push_outbox(&e, err) < 0)
		goto out;
	if ((opts.what & SYNC_PULL) && pull(&e, err) < 0)
		goto out;
	if (outbox_totals(&e, err) < 0)
		goto out;
	if (stats->network_trouble) {
		err_set(err, TDESK_ENETWORK, "the server kept failing; some"
		    " work is left for the next sync");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && e.st)
		outbox_totals(&e, NULL);
	if (e.h) {
		stats->requests = http_sent(e.h);
		http_free(e.h);
	}
	store_sync_unlock(lock);
	stats->duration_ms = http_now() - t0;
	return rc;
}
