/* SPDX-License-Identifier: MIT */
/*
 * The comments of many tickets, fetched in parallel (curl multi, within
 * the rate limit) by a helper thread that also parses every answer and
 * follows a ticket's further pages; this thread writes each ticket whose
 * pages are all in, many per transaction. Parsing (json-c), freeing the
 * trees and the transfers were over half of the comments' CPU, and ran
 * between the writes. The helper owns the HTTP client until it is done;
 * this thread alone touches the replica. A ticket's comments and its
 * mark (store_sync_comments_mark) commit together, so a kill at any
 * point leaves each ticket either done or to be fetched again.
 */
#include "sync/sync_int.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COMMENT_PAGES 60
/* Committed every second: each commit writes every page it changed (the
 * comments' ticket index, the marks, the authors) again; a first sync of
 * 20k tickets wrote 111k pages instead of 161k with a commit every
 * 250 ms. A kill loses at most that much, fetched again next time. */
#define COMMENTS_COMMIT_MS 1000
/* Tickets parsed and waiting for the writer, at most (memory). */
#define READY_MAX 256

struct cfetch {
	int64_t id;
	int64_t updated_at;
	struct json_object **roots;
	size_t *lens;
	size_t n;
	int tries;
};

struct cpull {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct engine *e;
	struct cfetch *cs;
	size_t n;
	/* helper -> writer: tickets whose pages are all in */
	struct cfetch *ready[READY_MAX];
	size_t n_ready;
	int finished;		/* the helper has nothing more */
	/* writer -> helper: trees to free */
	struct tree_bin done;
	int stop;		/* the writer failed: stop fetching */
	int incomplete;		/* (helper) some tickets gave up */
	/* the writer's */
	size_t ingested;
	int64_t last_commit;
	int in_txn;
};

static void
cfetch_clear(struct cfetch *c)
{
	for (size_t i = 0; i < c->n; i++)
		json_object_put(c->roots[i]);
	free(c->roots);
	free(c->lens);
	c->roots = NULL;
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

/* --- the helper: transfers and parsing ----------------------------------- */

/* Hand a complete ticket to the writer (wait while it is behind); 0, or
 * -1 when the writer stopped. */
static int
hand_over(struct cpull *cp, struct cfetch *c)
{
	int stop;

	pthread_mutex_lock(&cp->mu);
	while (cp->n_ready == READY_MAX && !cp->stop)
		pthread_cond_wait(&cp->cv, &cp->mu);
	stop = cp->stop;
	if (!stop) {
		cp->ready[cp->n_ready++] = c;
		pthread_cond_broadcast(&cp->cv);
	}
	pthread_mutex_unlock(&cp->mu);
	return stop ? -1 : 0;
}

/* One answer of a comments page (r is freed): keep its tree and ask for
 * the next page, or hand the ticket over; retry what can be retried. */
static int
comments_answer(struct cpull *cp, struct http_req *r)
{
	struct engine *e = cp->e;
	struct cfetch *c = r->owner;
	struct sync_page_info pi;
	struct json_object *root = NULL;
	struct tdesk_err err;
	enum outcome oc;

	if (e->fatal) {
		http_req_free(r);
		return 0;
	}
	err_clear(&err);
	oc = eng_classify(e, r, &err);
	if (oc == OUT_OK && sync_page_parse(r->resp.data, r->resp.len,
	    "comments", &root, &pi, &err) < 0)
		oc = OUT_RETRY;
	if (oc == OUT_FATAL) {
		eng_fatal(e, &err);
		http_drop_queued(e->h);
	} else if (oc == OUT_RETRY) {
		e->stats->retries++;
		cfetch_clear(c);
		if (++c->tries >= e->max_attempts)
			cp->incomplete = 1;
		else	/* start over: pages may have shifted */
			cfetch_submit(e, c, NULL, eng_backoff(e,
			    c->tries - 1, r->retry_after));
	} else if (oc != OUT_OK) {
		/* gone or forbidden: nothing to show */
		cfetch_clear(c);
	}
	if (oc != OUT_OK || e->fatal) {
		json_object_put(root);
		http_req_free(r);
		return 0;
	}
	c->roots = xrealloc(c->roots, (c->n + 1) * sizeof(*c->roots));
	c->lens = xrealloc(c->lens, (c->n + 1) * sizeof(*c->lens));
	c->lens[c->n] = r->resp.len;
	c->roots[c->n++] = root;
	http_req_free(r);
	if (pi.has_more && pi.after_cursor && pi.n > 0 &&
	    c->n < MAX_COMMENT_PAGES) {
		cfetch_submit(e, c, pi.after_cursor, 0);
		sync_page_info_clear(&pi);
		return 0;
	}
	sync_page_info_clear(&pi);
	return hand_over(cp, c);
}

static void *
helper(void *arg)
{
	struct cpull *cp = arg;
	struct http_req *r;

	while ((r = http_next(cp->e->h)) != NULL) {
		tree_bin_empty(&cp->mu, &cp->done);
		if (comments_answer(cp, r) < 0)
			/* the writer stopped: finish what runs, start
			 * nothing more */
			http_drop_queued(cp->e->h);
	}
	pthread_mutex_lock(&cp->mu);
	cp->finished = 1;
	pthread_cond_broadcast(&cp->cv);
	pthread_mutex_unlock(&cp->mu);
	return NULL;
}

/* --- the writer ----------------------------------------------------------- */

static int
comments_commit(struct engine *e, struct cpull *cp, struct tdesk_err *err)
{
	cp->in_txn = 0;
	store_flat(e->st, 0);
	return store_commit(e->st, err);
}

/*
 * A ticket's pages have all arrived: write them and its mark, many
 * tickets per transaction (one fsync, not hundreds). A failure is fatal
 * and rolls the whole batch back, so a ticket takes no savepoint of its
 * own (store_flat): each cost a SAVEPOINT and a RELEASE to parse and a
 * copy of every page it changed.
 */
static int
comments_write(struct cpull *cp, struct cfetch *c, struct tdesk_err *err)
{
	struct engine *e = cp->e;
	struct store_ingest_stats is;
	int rc;

	if (!cp->in_txn) {
		if (store_begin(e->st, err) < 0)
			return -1;
		cp->in_txn = 1;
		store_flat(e->st, 1);
	}
	memset(&is, 0, sizeof(is));
	rc = e->be->ingest_roots(e->st, c->roots, c->lens, c->n, c->id,
	    &is, err);
	if (rc == 0)
		rc = store_sync_comments_mark(e->st, c->id, c->updated_at,
		    err);
	if (rc < 0) {
		store_flat(e->st, 0);
		store_rollback(e->st);
		cp->in_txn = 0;
		return -1;
	}
	e->stats->comments++;
	cp->ingested++;
	if (http_now() - cp->last_commit > COMMENTS_COMMIT_MS) {
		if (comments_commit(e, cp, err) < 0)
			return -1;
		cp->last_commit = http_now();
		eng_note(e, "comments: %zu of %zu tickets", cp->ingested,
		    cp->n);
	}
	return 0;
}

/* Write what the helper hands over until it is done; on a failure, stop
 * it and keep the error. */
static int
writer(struct cpull *cp, struct tdesk_err *err)
{
	struct cfetch *batch[READY_MAX];
	int rc = 0;

	for (;;) {
		size_t n;

		pthread_mutex_lock(&cp->mu);
		while (cp->n_ready == 0 && !cp->finished)
			pthread_cond_wait(&cp->cv, &cp->mu);
		n = cp->n_ready;
		memcpy(batch, cp->ready, n * sizeof(*batch));
		cp->n_ready = 0;
		pthread_cond_broadcast(&cp->cv);
		pthread_mutex_unlock(&cp->mu);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			if (rc == 0 && comments_write(cp, batch[i], err) < 0) {
				rc = -1;
				pthread_mutex_lock(&cp->mu);
				cp->stop = 1;
				pthread_cond_broadcast(&cp->cv);
				pthread_mutex_unlock(&cp->mu);
			}
			/* its trees go back to the helper to free */
			tree_bin_put(&cp->mu, &cp->done, batch[i]->roots,
			    batch[i]->n);
			batch[i]->n = 0;
			cfetch_clear(batch[i]);
		}
	}
	if (cp->in_txn && comments_commit(cp->e, cp, err) < 0)
		rc = -1;
	return rc;
}

int
pull_comments_fetch(struct engine *e, const struct store_sync_todo *todo,
    size_t n, int *incomplete, struct tdesk_err *err)
{
	struct cpull cp;
	pthread_t th;
	int rc;

	memset(&cp, 0, sizeof(cp));
	*incomplete = 0;
	if (n == 0)
		return 0;
	pthread_mutex_init(&cp.mu, NULL);
	pthread_cond_init(&cp.cv, NULL);
	cp.e = e;
	cp.n = n;
	cp.cs = xcalloc(n ? n : 1, sizeof(*cp.cs));
	for (size_t i = 0; i < n; i++) {
		cp.cs[i].id = todo[i].id;
		cp.cs[i].updated_at = todo[i].updated_at;
		cfetch_submit(e, &cp.cs[i], NULL, 0);
	}
	cp.last_commit = http_now();
	if (pthread_create(&th, NULL, helper, &cp) != 0) {
		http_drop_queued(e->h);
		rc = err_set(err, TDESK_EGENERIC, "cannot start a thread");
	} else {
		rc = writer(&cp, err);
		pthread_join(th, NULL);
	}
	tree_bin_empty(&cp.mu, &cp.done);
	for (size_t i = 0; i < n; i++)
		cfetch_clear(&cp.cs[i]);
	free(cp.cs);
	pthread_mutex_destroy(&cp.mu);
	pthread_cond_destroy(&cp.cv);
	*incomplete = cp.incomplete;
	if (rc < 0 && !e->fatal)
		eng_fatal(e, err);
	return e->fatal ? -1 : 0;
}
