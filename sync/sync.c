/* SPDX-License-Identifier: MIT */
/*
 * The sync engine: check who we are, push the outbox (per ticket in
 * order, across tickets in parallel, never sending an action twice) and
 * pull (pull.c, answers.c) the agent's changed tickets and their
 * comments into the replica.
 */
#include "sync/sync_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_BASE_MS 250
#define BACKOFF_CAP_MS 8000

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
		snprintf(e->trouble, sizeof(e->trouble), "%s", what);
		return OUT_RETRY;
	}
	err_set(err, r->status == 403 ? TDESK_EAUTH : TDESK_ENETWORK, "%s",
	    what);
	return OUT_FAIL;
}

/* Wait for r alone (submitting it unless it already runs), retrying
 * what can be retried. When key is given, the body must be a page with
 * that array. */
int
eng_fetch_wait(struct engine *e, struct http_req *r, int running,
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

int
eng_fetch(struct engine *e, struct http_req *r, const char *key,
    struct tdesk_err *err)
{
	return eng_fetch_wait(e, r, 0, key, err);
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
	if (eng_fetch(e, r, NULL, err) < 0) {
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
	if ((opts.what & SYNC_PULL) && pull_run(&e, err) < 0)
		goto out;
	if (outbox_totals(&e, err) < 0)
		goto out;
	if (stats->network_trouble) {
		err_set(err, TDESK_ENETWORK, "the server kept failing%s%s%s;"
		    " some work is left for the next sync", e.trouble[0] ?
		    " (last: " : "", e.trouble, e.trouble[0] ? ")" : "");
		goto out;
	}
	rc = 0;
out:
	sj_memo_drop();
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
