/* SPDX-License-Identifier: MIT */
/*
 * A whole list walked with a thread ahead: while this thread maps and
 * writes one page, the helper fetches the next one, parses it (json-c,
 * a third of a full list walk's CPU) and frees the trees of the pages
 * written (another tenth). Cursor pages come one after the other, so the
 * helper can only be one page ahead of the server; it stays at most
 * AHEAD parsed pages ahead of the writer. The helper owns the HTTP client
 * for the walk; the writer alone touches the replica.
 */
#include "sync/sync_int.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD 2

struct page {
	struct json_object *root;
	size_t len;
	struct sync_page_info pi;
	int failed;
	struct tdesk_err err;
};

struct ahead {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct page q[AHEAD];
	size_t head, tail;		/* taken, put */
	struct tree_bin done;		/* written: to free */
	int stop;			/* the writer is done */
	struct engine *e;
	list_path_fn pathf;
	const void *arg;
	const char *key;
};

void
tree_bin_empty(pthread_mutex_t *mu, struct tree_bin *b)
{
	struct json_object *t[TREE_BIN_MAX];
	size_t n;

	pthread_mutex_lock(mu);
	n = b->n;
	memcpy(t, b->t, n * sizeof(*t));
	b->n = 0;
	pthread_mutex_unlock(mu);
	for (size_t i = 0; i < n; i++)
		json_object_put(t[i]);
}

void
tree_bin_put(pthread_mutex_t *mu, struct tree_bin *b,
    struct json_object *const *t, size_t n)
{
	size_t i = 0;

	pthread_mutex_lock(mu);
	for (; i < n && b->n < TREE_BIN_MAX; i++)
		b->t[b->n++] = t[i];
	pthread_mutex_unlock(mu);
	for (; i < n; i++)
		json_object_put(t[i]);
}

/* Fetch and parse the page after cursor; an answer that is not a page
 * is asked for again, as eng_fetch_wait does. */
static int
fetch_page(struct ahead *a, const char *cursor, struct page *p)
{
	struct engine *e = a->e;
	char *path = a->pathf(e, a->arg, cursor);
	struct http_req *r = http_req_new("GET", path, NULL);
	int rc = -1;

	free(path);
	for (int attempt = 0;; attempt++) {
		if (eng_fetch(e, r, NULL, &p->err) < 0)
			break;
		if (sync_page_parse(r->resp.data, r->resp.len, a->key,
		    &p->root, &p->pi, &p->err) == 0) {
			p->len = r->resp.len;
			rc = 0;
			break;
		}
		if (attempt + 1 >= e->max_attempts)
			break;
		e->stats->retries++;
		r->not_before = http_now() + eng_backoff(e, attempt, -1);
	}
	http_req_free(r);
	return rc;
}

static void *
helper(void *arg)
{
	struct ahead *a = arg;
	char *cursor = NULL;
	int more = 1;

	while (more) {
		struct page p;

		memset(&p, 0, sizeof(p));
		tree_bin_empty(&a->mu, &a->done);
		p.failed = fetch_page(a, cursor, &p) < 0;
		free(cursor);
		cursor = NULL;
		more = !p.failed && p.pi.has_more && p.pi.after_cursor &&
		    p.pi.n > 0;
		if (more)
			cursor = xstrdup(p.pi.after_cursor);
		pthread_mutex_lock(&a->mu);
		while (a->tail - a->head == AHEAD && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop) {
			pthread_mutex_unlock(&a->mu);
			json_object_put(p.root);
			sync_page_info_clear(&p.pi);
			break;
		}
		a->q[a->tail++ % AHEAD] = p;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
	}
	free(cursor);
	return NULL;
}

/* The next page from the helper (it always sends one more: the last
 * has no more after it, or failed). */
static struct page
take(struct ahead *a)
{
	struct page p;

	pthread_mutex_lock(&a->mu);
	while (a->head == a->tail)
		pthread_cond_wait(&a->cv, &a->mu);
	p = a->q[a->head++ % AHEAD];
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return p;
}

/* Stop the helper (it ends after the transfer it is in) and free what
 * it had ready. */
static void
ahead_end(struct ahead *a, pthread_t th)
{
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(th, NULL);
	while (a->head < a->tail) {
		struct page *p = &a->q[a->head++ % AHEAD];

		json_object_put(p->root);
		sync_page_info_clear(&p->pi);
	}
	tree_bin_empty(&a->mu, &a->done);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
}

int
walk_list_ahead(struct engine *e, list_path_fn pathf, const void *arg,
    const char *key, int seen, int64_t *max_updated, struct tdesk_err *err)
{
	struct ahead a = { .e = e, .pathf = pathf, .arg = arg, .key = key };
	struct list_txn lt = { 0, http_now(), 0 };
	pthread_t th;
	int rc = 0;

	pthread_mutex_init(&a.mu, NULL);
	pthread_cond_init(&a.cv, NULL);
	if (pthread_create(&th, NULL, helper, &a) != 0) {
		pthread_mutex_destroy(&a.mu);
		pthread_cond_destroy(&a.cv);
		return err_set(err, TDESK_EGENERIC, "cannot start a thread");
	}
	for (;;) {
		struct page p = take(&a);
		struct store_ingest_stats is;
		int more = p.pi.has_more && p.pi.after_cursor && p.pi.n > 0;

		if (p.failed) {
			*err = p.err;
			rc = -1;
			break;
		}
		rc = list_page_store(e, &lt, NULL, p.root, p.len, key, seen,
		    &is, err);
		tree_bin_put(&a.mu, &a.done, &p.root, 1);
		sync_page_info_clear(&p.pi);
		if (rc < 0)
			break;
		if (is.max_updated > *max_updated)
			*max_updated = is.max_updated;
		if (!more)
			break;
	}
	ahead_end(&a, th);
	return list_txn_end(e, &lt, rc, err);
}
