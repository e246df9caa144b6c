/* SPDX-License-Identifier: MIT */
/*
 * tdesk import of saved Zendesk pages: reader threads read and parse the
 * files ahead of the writer (each its share, in turns) and run the triage
 * rules over their tickets (store/class_memo.h), while the writer, this
 * thread, maps and writes the pages in their order, each its own batch
 * inside the import's one transaction. Parsing is most of an import's
 * CPU: two readers keep both cores busy. At most PIPE_DEPTH pages wait
 * parsed, so memory stays bounded whatever the number of files.
 */
#include "sync/sync_int.h"
#include "store/class_memo.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_READERS 2
#define PIPE_DEPTH 4		/* pages parsed ahead of the writer */

struct pslot {
	struct json_object *root;
	struct store_class_pre *pre;
	size_t len;
	int ready;
	int failed;		/* err holds why */
	int parse_error;	/* the file is not JSON (vs unreadable) */
	struct tdesk_err err;
};

struct pipe;

struct reader {
	struct pipe *p;
	size_t first;		/* its files: first, first + N_READERS... */
	/* trees the writer is done with: freed by their reader, whose
	 * memory they are (freeing across threads cost a fifth more CPU) */
	struct tree_bin done;
	pthread_t th;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pslot q[PIPE_DEPTH];
	size_t head;		/* the next file the writer takes */
	int stop;
	char *const *paths;
	size_t n;
	const struct store_rules *rules;
	struct reader r[N_READERS];
};

/* A string member as the mapping reads it, when it reads it unchanged:
 * *ok = 0 for a string with an escaped NUL (the mapping copies those). */
static const char *
plain_str(struct json_object *o, const char *key, int *ok)
{
	struct json_object *v = sj_get(o, key);
	const char *s;

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	if (strlen(s) != (size_t)json_object_get_string_len(v))
		*ok = 0;
	return s;
}

static void
pre_ticket(struct store_class_pre *pre, struct json_object *t, int results)
{
	const char *subj, *desc, *kind;
	int ok = 1;

	if (!json_object_is_type(t, json_type_object))
		return;
	/* search results: only entries that map as tickets */
	kind = results ? plain_str(t, "result_type", &ok) : NULL;
	if (kind && strcmp(kind, "ticket") != 0)
		return;
	subj = plain_str(t, "subject", &ok);
	desc = plain_str(t, "description", &ok);
	if (ok)
		store_class_pre_ticket(pre, sj_int(t, "id"), subj, desc);
}

/* The tickets of a page, classified ahead of their write. */
static struct store_class_pre *
pre_page(const struct store_rules *rules, struct json_object *root)
{
	struct store_class_pre *pre;
	struct json_object *a, *one;

	if (rules == NULL || !json_object_is_type(root, json_type_object))
		return NULL;
	pre = store_class_pre_new(rules);
	if ((a = sj_array(root, "tickets")) != NULL)
		for (size_t i = 0; i < json_object_array_length(a); i++)
			pre_ticket(pre, json_object_array_get_idx(a, i), 0);
	if ((a = sj_array(root, "results")) != NULL)
		for (size_t i = 0; i < json_object_array_length(a); i++)
			pre_ticket(pre, json_object_array_get_idx(a, i), 1);
	if ((one = sj_get(root, "ticket")) != NULL)
		pre_ticket(pre, one, 0);
	return pre;
}

static void *
reader_run(void *arg)
{
	struct reader *r = arg;
	struct pipe *p = r->p;
	struct buf b = BUF_INIT;
	struct json_tokener *tok = sj_tokener();

	for (size_t i = r->first; i < p->n; i += N_READERS) {
		struct pslot s = { 0 };

		tree_bin_empty(&p->mu, &r->done);
		buf_reset(&b);
		if (tok == NULL)
			s.failed = err_set(&s.err, TDESK_EGENERIC, "out of "
			    "memory") < 0;
		else if (buf_read_file(&b, p->paths[i], (size_t)1 << 30,
		    &s.err) < 0)
			s.failed = 1;
		else if (sj_parse_with(tok, b.data ? b.data : "", b.len,
		    &s.root, &s.err) < 0)
			s.failed = s.parse_error = 1;
		else
			s.pre = pre_page(p->rules, s.root);
		s.len = b.len;
		s.ready = 1;
		pthread_mutex_lock(&p->mu);
		while (i >= p->head + PIPE_DEPTH && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			json_object_put(s.root);
			store_class_pre_free(s.pre);
			break;
		}
		p->q[i % PIPE_DEPTH] = s;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (s.failed)
			break;
	}
	buf_free(&b);
	if (tok)
		json_tokener_free(tok);
	return NULL;
}

/* The writer's turn at file i: its page, parsed. */
static struct pslot
take(struct pipe *p, size_t i)
{
	struct pslot s;

	pthread_mutex_lock(&p->mu);
	while (!p->q[i % PIPE_DEPTH].ready)
		pthread_cond_wait(&p->cv, &p->mu);
	s = p->q[i % PIPE_DEPTH];
	memset(&p->q[i % PIPE_DEPTH], 0, sizeof(s));
	p->head = i + 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return s;
}

/* A tree the writer is done with, back to its reader. */
static void
give_back(struct pipe *p, size_t i, struct json_object *root)
{
	tree_bin_put(&p->mu, &p->r[i % N_READERS].done, &root, 1);
}

/* One taken page into the desk. */
static int
write_page(struct store *st, struct pipe *p, size_t i, struct pslot *s,
    int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err)
{
	char msg[sizeof(err->msg)];
	int rc;

	if (s->failed) {
		*err = s->err;
		if (s->parse_error)
			err_set(err, s->err.kind, "%s: %s", p->paths[i],
			    s->err.msg);
		return -1;
	}
	/* its tickets' classes, for the refresh of their derived rows */
	store_class_pre_give(st, s->pre);
	s->pre = NULL;
	rc = zd_ingest_tree(st, s->root, comments_of, stats, err);
	if (rc == -1) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		err_set(err, err->kind, "%s: %s", p->paths[i], msg);
	}
	if (rc < 0)
		return -1;
	if (stats)
		stats->bytes += (int64_t)s->len;
	return 0;
}

static void
pipe_end(struct pipe *p, size_t started)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (size_t k = 0; k < started; k++)
		pthread_join(p->r[k].th, NULL);
	for (size_t k = 0; k < PIPE_DEPTH; k++) {
		json_object_put(p->q[k].root);
		store_class_pre_free(p->q[k].pre);
	}
	for (size_t k = 0; k < started; k++)
		tree_bin_empty(&p->mu, &p->r[k].done);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
}

int
sync_zendesk_import(struct store *st, char *const *paths, size_t n,
    int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err)
{
	struct tdesk_err local = { 0 };
	struct pipe p;
	size_t started = 0;
	int rc = 0;

	if (err == NULL)
		err = &local;
	memset(&p, 0, sizeof(p));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	p.paths = paths;
	p.n = n;
	p.rules = store_class_rules(st);
	for (; started < N_READERS && started < n; started++) {
		p.r[started].p = &p;
		p.r[started].first = started;
		if (pthread_create(&p.r[started].th, NULL, reader_run,
		    &p.r[started]) != 0) {
			rc = err_set(err, TDESK_EGENERIC, "cannot start a "
			    "thread");
			break;
		}
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct pslot s = take(&p, i);

		rc = write_page(st, &p, i, &s, comments_of, stats, err);
		store_class_pre_free(s.pre);
		give_back(&p, i, s.root);
	}
	pipe_end(&p, started);
	return rc;
}
