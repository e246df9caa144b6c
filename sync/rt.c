/* SPDX-License-Identifier: MIT */
/*
 * The Request Tracker 5 backend (REST 2.0 under URL/REST/2.0), driving its
 * own run: RT's answers share nothing with Zendesk's pages and cursors.
 * This file is the run (identity, push, pull), the HTTP exchange with RT
 * and JSON reading; rt_map.c turns RT's records into the replica's,
 * rt_pull.c reads the desk (see there), rt_push.c sends the outbox exactly
 * once (the design is at its top).
 *
 * RT quirks handled here: Connection: close on every answer; ids as
 * strings or numbers; relative Location headers; non-atomic updates
 * answered as message lists (rt_push.c); a 401 without WWW-Authenticate;
 * the web UI's HTML login page where JSON was expected; 500s from fields
 * RT cannot serialise (never asked for).
 */
#include "sync/rt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* --- JSON ------------------------------------------------------------------ */

JV *
rt_jparse(const char *data, size_t len, const char **why, size_t *at)
{
	struct json_tokener *tok;
	JV *root;

	*why = "empty";
	*at = 0;
	if (data == NULL || len == 0)
		return NULL;
	if (len >= (size_t)INT32_MAX) {
		*why = "too large";
		return NULL;
	}
	if ((tok = json_tokener_new_ex(64)) == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, data, (int)len);
	*at = json_tokener_get_parse_end(tok);
	if (root == NULL || *at != len) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		*why = e == json_tokener_continue ? "truncated" :
		    e == json_tokener_success ? "trailing bytes" :
		    json_tokener_error_desc(e);
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

char *
rt_jdump(JV *v)
{
	return xstrdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
}

int64_t
rt_jint_val(const JV *v)
{
	if (v && json_object_is_type(v, json_type_int))
		return (int64_t)json_object_get_int64(v);
	if (j_isstr(v)) {
		const char *s = j_strval(v);
		char *end;
		long long n;

		if (*s == '\0')
			return 0;
		n = strtoll(s, &end, 10);
		return *end == '\0' ? (int64_t)n : 0;
	}
	return 0;
}

int64_t
rt_jtime(const JV *o, const char *key)
{
	const char *s = jstr(o, key);
	int64_t t;

	if (s == NULL || time_parse_iso(s, &t) < 0 || t <= 0)
		return 0;
	return t;
}

/* --- HTTP ----------------------------------------------------------------- */

void
rt_run(struct rt *rt, struct http_req *r, int64_t delay_ms)
{
	struct http_req *got;

	r->not_before = delay_ms > 0 ? http_now() + delay_ms : 0;
	http_submit(rt->e.h, r);
	while ((got = http_next(rt->e.h)) != r && got != NULL)
		http_req_free(got);
}

/* The server's words from an answer: {"message": ...} or a list of
 * messages; NULL when it said nothing readable. */
static char *
server_words(const struct http_req *r)
{
	const char *why;
	size_t at;
	JV *j = rt_jparse(r->resp.data, r->resp.len, &why, &at);
	struct buf b = BUF_INIT;
	size_t i;
	JV *v;

	if (j == NULL)
		return NULL;
	if (j_isobj(j) && jstr(j, "message"))
		buf_adds(&b, jstr(j, "message"));
	else if (j_isarr(j)) {
		J_FOREACH(j, i, v) {
			if (!j_isstr(v))
				continue;
			if (b.len)
				buf_adds(&b, "; ");
			buf_adds(&b, j_strval(v));
		}
	}
	json_object_put(j);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	/* one line, no control characters */
	for (i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20)
			b.data[i] = ' ';
	if (b.len > 300)
		b.data[300] = '\0';
	return buf_detach(&b);
}

static int
is_json(const struct http_req *r)
{
	return strstr(r->content_type, "json") != NULL;
}

static int
is_html(const struct http_req *r)
{
	if (strstr(r->content_type, "html"))
		return 1;
	return r->resp.len > 0 && r->resp.data[0] == '<';
}

/* What went wrong with r, in one line for humans. */
static void
describe(const struct http_req *r, char *out, size_t n)
{
	char *w;

	if (r->status == 0 || (r->failed && r->status < 300)) {
		snprintf(out, n, "%s", r->error[0] ? r->error : "no answer");
		return;
	}
	if (is_html(r)) {
		snprintf(out, n, "HTTP %ld: RT answered with an HTML page, not"
		    " REST 2.0 JSON (a login page? check that the desk url is"
		    " RT's base url and that the token is an RT auth token)",
		    r->status);
		return;
	}
	w = server_words(r);
	snprintf(out, n, "HTTP %ld%s%s", r->status, w ? ": " : "",
	    w ? w : "");
	free(w);
}

enum rt_outcome
rt_classify(const struct http_req *r, struct tdesk_err *err)
{
	char what[400];

	if (r->status >= 200 && r->status < 300 && !r->failed) {
		if (r->resp.len == 0 || is_json(r))
			return RT_OK;
		describe(r, what, sizeof(what));
		if (!is_html(r))
			snprintf(what, sizeof(what), "HTTP %ld: the answer is"
			    " %s, not JSON", r->status, r->content_type[0] ?
			    r->content_type : "of no declared type");
		err_set(err, TDESK_ENETWORK, "%s", what);
		return RT_FATAL;
	}
	describe(r, what, sizeof(what));
	if (r->status == 401 || r->status == 407) {
		err_set(err, TDESK_EAUTH, "RT refused the credentials (%s):"
		    " check the desk's user and token", what);
		return RT_FATAL;
	}
	if (r->status >= 300 && r->status < 400) {
		err_set(err, TDESK_ENETWORK, "%s (redirected to '%s'): check"
		    " the desk url", what, r->hdr_location);
		return RT_FATAL;
	}
	if (r->status == 404) {
		err_set(err, TDESK_ENOTFOUND, "%s", what);
		return RT_NOTFOUND;
	}
	if (r->status == 412) {
		err_set(err, TDESK_ECONFLICT, "%s", what);
		return RT_CONFLICT;
	}
	if (r->too_large) {
		err_set(err, TDESK_ENETWORK, "%s", what);
		return RT_FAIL;
	}
	if (r->failed || r->status == 0 || r->status == 429 ||
	    r->status == 408 || r->status >= 500) {
		err_set(err, TDESK_ENETWORK, "%s", what);
		return RT_RETRY;
	}
	err_set(err, r->status == 403 ? TDESK_EAUTH : TDESK_ENETWORK, "%s",
	    what);
	return RT_FAIL;
}

int
rt_ask(struct rt *rt, const char *method, const char *path,
    const char *body, JV **out, char *etag, size_t etag_len,
    struct tdesk_err *err)
{
	struct http_req *r;
	char *full = xasprintf("%s%s", RT_API, path);
	int attempt, rc = -1;

	r = http_req_new(method, full, body);
	free(full);
	*out = NULL;
	for (attempt = 0;; attempt++) {
		enum rt_outcome oc;
		const char *why;
		size_t at;

		rt_run(rt, r, attempt ? eng_backoff(&rt->e, attempt,
		    r->retry_after) : 0);
		rt->last_status = r->status;
		err_clear(err);
		oc = rt_classify(r, err);
		if (oc == RT_OK) {
			*out = rt_jparse(r->resp.data, r->resp.len, &why, &at);
			if (*out != NULL) {
				if (etag)
					snprintf(etag, etag_len, "%s", r->etag);
				rc = 0;
				break;
			}
			err_set(err, TDESK_ENETWORK, "RT sent JSON that cannot"
			    " be read (%s at byte %zu)", why, at);
			oc = r->resp.len > 0 && r->failed ? RT_RETRY :
			    RT_FAIL;
		}
		if (oc != RT_RETRY || attempt + 1 >= rt->e.max_attempts ||
		    (r->unreachable && attempt >= 1))
			break;
		rt->e.stats->retries++;
	}
	http_req_free(r);
	return rc;
}

int
rt_get(struct rt *rt, const char *path, JV **out, char *etag,
    size_t etag_len, struct tdesk_err *err)
{
	return rt_ask(rt, "GET", path, NULL, out, etag, etag_len, err);
}

int
rt_get_all(struct rt *rt, const char *method, const char *path,
    const char *body, JV *all, struct tdesk_err *err)
{
	int page;

	for (page = 1; page <= RT_MAX_PAGES; page++) {
		char *p = xasprintf("%s&per_page=%d&page=%d", path,
		    RT_PER_PAGE, page);
		JV *j = NULL, *items;
		size_t n, k;
		int rc = rt_ask(rt, method, p, body, &j, NULL, 0, err);

		free(p);
		if (rc < 0)
			return -1;
		items = j_get(j, "items");
		n = j_len(items);
		for (k = 0; k < n; k++)
			json_object_array_add(all,
			    json_object_get(j_at(items, k)));
		json_object_put(j);
		if (n < RT_PER_PAGE)
			break;
	}
	return 0;
}

int64_t
rt_state_int(struct rt *rt, const char *key)
{
	char *v = store_state_get(rt->e.st, key);
	int64_t n = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

int
rt_state_set_int(struct rt *rt, const char *key, int64_t n,
    struct tdesk_err *err)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", (long long)n);
	return store_state_set(rt->e.st, key, v, err);
}

/* --- identity --------------------------------------------------------- */

static int
identify(struct rt *rt, const char *user, struct tdesk_err *err)
{
	struct buf p = BUF_INIT;
	JV *j = NULL;
	char id[32];
	const char *name, *email, *real;
	int rc = -1;

	if (user == NULL || *user == '\0')
		return err_set(err, TDESK_EUSAGE, "the desk names no RT user"
		    " (user: in its config)");
	buf_adds(&p, "/user/");
	http_add_escaped(&p, user);
	if (rt_get(rt, p.data, &j, NULL, 0, err) < 0) {
		if (err->kind == TDESK_ENOTFOUND)
			err_set(err, TDESK_EAUTH, "RT does not show the user"
			    " '%s' to this token: check the desk's user and"
			    " token", user);
		goto done;
	}
	name = jstr(j, "Name");
	if (name == NULL || strcasecmp(name, user) != 0) {
		err_set(err, TDESK_EAUTH, "RT answered for another user than"
		    " '%s'", user);
		goto done;
	}
	if (jint(j, "Privileged") != 1 && j_get(j, "Privileged")) {
		err_set(err, TDESK_EAUTH, "'%s' is not a privileged RT user"
		    " (an agent)", user);
		goto done;
	}
	rt->e.me = jint(j, "id");
	rt->me_name = xstrdup(name);
	email = jstr(j, "EmailAddress");
	real = jstr(j, "RealName");
	snprintf(id, sizeof(id), "%lld", (long long)rt->e.me);
	if (store_begin(rt->e.st, err) < 0)
		goto done;
	if (store_state_set(rt->e.st, "me.id", id, err) < 0 ||
	    store_state_set(rt->e.st, "me.name", real && *real ? real : name,
	    err) < 0 ||
	    store_state_set(rt->e.st, "me.email", email ? email : "", err) < 0 ||
	    store_state_set(rt->e.st, "me.role", "agent", err) < 0 ||
	    store_user_put(rt->e.st, rt->e.me, real && *real ? real : name,
	    email ? email : "", "agent", "", 0, err) < 0) {
		store_rollback(rt->e.st);
		goto done;
	}
	rc = store_commit(rt->e.st, err);
done:
	json_object_put(j);
	buf_free(&p);
	return rc;
}

/* --- the run ------------------------------------------------------------ */

int
rt_sync_run(struct store *st, const struct sync_opts *o, struct http *h,
    struct sync_stats *stats, struct tdesk_err *err)
{
	struct rt rt;
	int rc = -1;

	memset(&rt, 0, sizeof(rt));
	rt.e.st = st;
	rt.e.o = o;
	rt.e.be = &backend_rt;
	rt.e.h = h;
	rt.e.stats = stats;
	rt.e.max_attempts = o->max_attempts > 0 ? o->max_attempts : 8;
	rt.e.rng = (unsigned)time(NULL) ^ (unsigned)getpid();
	if (identify(&rt, o->remote.user, err) < 0)
		goto out;
	if ((o->what & SYNC_PUSH) && rt_push(&rt, err) < 0)
		goto out;
	if ((o->what & SYNC_PULL) && rt_pull(&rt, err) < 0)
		goto out;
	if (store_outbox_count(st, STORE_OUTBOX_CONFLICT, &stats->conflicts,
	    err) < 0 ||
	    store_outbox_count(st, STORE_OUTBOX_FAILED, &stats->failed,
	    err) < 0)
		goto out;
	if (stats->network_trouble) {
		err_set(err, TDESK_ENETWORK, "RT kept failing%s%s%s; some work"
		    " is left for the next sync", rt.trouble[0] ? " (" : "",
		    rt.trouble, rt.trouble[0] ? ")" : "");
		goto out;
	}
	rc = 0;
out:
	free(rt.me_name);
	return rc;
}

const struct backend backend_rt = {
	.name = "rt",
	.run = rt_sync_run,
};
