/* SPDX-License-Identifier: MIT */
/*
 * Answers: the agent's remote macros and the help-center articles of the
 * desk's locales, every page of a kind fetched before any is stored, so
 * that a failure halfway leaves the replica's copy alone.
 */
#include "sync/sync_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		if (eng_fetch(e, r, key, err) < 0 ||
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
	if (eng_fetch(e, r, e->be->fields_key, &ferr) < 0 ||
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
int
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
