/* SPDX-License-Identifier: MIT */
/*
 * Push of REDACT actions: remove a comment's secrets on the server.
 *
 * The replica never held the secret in clear, so the action names only
 * the comment. At push time the server's text is read, the redactor runs
 * on it again, and one "redact this string" request goes for each secret
 * found (Zendesk: PUT /api/v2/tickets/{t}/comments/{c}/redact, "text").
 * Reconcile: read the comment again; the action is done when no secret
 * remains in it.
 *
 * Exactly once, as an effect: a copy sent before a crash or timeout (the
 * row is in flight, R2 of push.c) either landed, and the next read finds
 * nothing left to redact, or did not, and the string is still there to
 * redact; a late copy of a string already gone is refused by the server
 * (422) and changes nothing. So a row in flight is never re-sent blindly:
 * it is read first, like any other. One request at a time: these are
 * rare and small.
 */
#include "sync/sync_int.h"
#include "store/outbox.h"
#include "store/redact.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct redact_row {
	int64_t id, ticket, comment;
	char *stamp;
};

struct redact_rows {
	struct redact_row *v;
	size_t n;
};

static int
collect(const struct store_outbox_row *r, void *arg)
{
	struct redact_rows *rs = arg;

	if (r->kind != STORE_OUTBOX_REDACT || (r->state !=
	    STORE_OUTBOX_PENDING && r->state != STORE_OUTBOX_INFLIGHT))
		return 0;
	rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
	rs->v[rs->n++] = (struct redact_row){ r->id, r->ticket_id,
	    r->comment_id, xstrdup(r->seen_updated_at) };
	return 0;
}

/* One request, waited for alone, sent again while the server says
 * "later" (429, 503, a transport failure) up to the engine's limit. */
static enum outcome
call(struct engine *e, struct http_req *r, struct tdesk_err *err)
{
	enum outcome oc = OUT_RETRY;

	for (int attempt = 0; attempt < e->max_attempts; attempt++) {
		struct http_req *got;
		if (attempt > 0) {
			e->stats->retries++;
			http_req_rearm(r);
			r->not_before = http_now() + eng_backoff(e, attempt - 1,
			    r->retry_after);
		}
		http_submit(e->h, r);
		while ((got = http_next(e->h)) != r && got != NULL)
			http_req_free(got);
		err_clear(err);
		if ((oc = eng_classify(e, r, err)) != OUT_RETRY ||
		    r->unreachable)
			break;
	}
	if (oc == OUT_FATAL)
		eng_fatal(e, err);
	return oc;
}

/* The server's text of the comment into body: OUT_OK, OUT_NOTFOUND
 * (ticket or comment gone), or what call said. */
static enum outcome
read_comment(struct engine *e, const struct redact_row *w, struct buf *body,
    struct tdesk_err *err)
{
	char *cursor = NULL;
	enum outcome oc = OUT_NOTFOUND;
	int more = 1;

	buf_reset(body);
	while (more == 1) {
		char *path = e->be->comments_path(w->ticket, cursor);
		struct http_req *r = http_req_new("GET", path, NULL);
		struct sync_page_info pi = { 0 };
		struct json_object *o = NULL;

		free(path);
		free(cursor);
		cursor = NULL;
		more = 0;
		oc = call(e, r, err);
		if (oc == OUT_OK && (sync_page_info(r->resp.data, r->resp.len,
		    "comments", &pi, err) < 0 || sj_parse_net(r->resp.data,
		    r->resp.len, &o, err) < 0))
			oc = OUT_RETRY;
		struct json_object *cs = oc == OUT_OK ? sj_array(o,
		    "comments") : NULL;
		for (size_t i = 0; cs && i < json_object_array_length(cs);
		    i++) {
			struct json_object *c = json_object_array_get_idx(cs, i);
			const char *b = sj_str(c, "body");
			if (sj_int(c, "id") == w->comment && b) {
				buf_adds(body, b);
				more = -1;
			}
		}
		if (oc == OUT_OK && more == 0 && pi.has_more && pi.after_cursor &&
		    pi.n > 0) {
			cursor = xstrdup(pi.after_cursor);
			more = 1;
		}
		json_object_put(o);
		sync_page_info_clear(&pi);
		http_req_free(r);
	}
	free(cursor);
	if (oc == OUT_OK && more != -1)
		oc = OUT_NOTFOUND;
	return oc;
}

/* Ask the server to redact each secret the redactor finds in body.
 * OUT_OK when every request was answered (a string already gone is
 * fine), else what stopped it, with err. */
static enum outcome
redact_spans(struct engine *e, const struct redact_row *w, const char *body,
    size_t len, struct tdesk_err *err)
{
	struct redact_result res = { 0 };
	enum outcome oc = OUT_OK;

	redact_text(body, len, NULL, NULL, &res);
	for (size_t i = 0; i < res.n && oc == OUT_OK; i++) {
		struct json_object *o = json_object_new_object();
		const struct redact_finding *f = &res.f[i];
		json_object_object_add(o, "text", json_object_new_string_len(
		    body + f->start, (int)(f->end - f->start)));
		char *path = e->be->redact_path(w->ticket, w->comment);
		struct http_req *r = http_req_new("PUT", path,
		    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		free(path);
		json_object_put(o);
		oc = call(e, r, err);
		if (oc == OUT_FAIL && r->status == 422)
			oc = OUT_OK;	/* not there (any more) */
		if (oc == OUT_FAIL && e->be->error_text) {
			char *t = e->be->error_text(r->resp.data, r->resp.len);
			if (t)
				err_set(err, TDESK_ENETWORK, "%s", t);
			free(t);
		}
		http_req_free(r);
	}
	redact_result_free(&res);
	return oc;
}

static int
settle(struct engine *e, const struct redact_row *w,
    enum store_outbox_state state, const char *why)
{
	struct tdesk_err err = { 0 };

	if (store_outbox_set_state(e->st, w->id, state, why, &err) < 0) {
		eng_fatal(e, &err);
		return -1;
	}
	if (state == STORE_OUTBOX_DONE)
		e->stats->pushed++;
	else
		e->stats->failed++;
	return 0;
}

static int
redact_one(struct engine *e, const struct redact_row *w)
{
	struct tdesk_err err = { 0 };
	struct buf body = BUF_INIT;
	enum outcome oc;
	int rc = 0;

	if (e->be->redact_path == NULL)
		return settle(e, w, STORE_OUTBOX_FAILED, "this helpdesk has "
		    "no API to redact a comment: remove it on the server by "
		    "hand");
	if ((rc = store_outbox_mark_sent(e->st, w->id, w->stamp, &err)) <= 0) {
		if (rc < 0)
			eng_fatal(e, &err);
		return rc;
	}
	/* read, redact, read again: done when nothing is left */
	for (int pass = 0; pass < 2; pass++) {
		oc = read_comment(e, w, &body, &err);
		if (oc == OUT_OK) {
			struct redact_result res = { 0 };
			size_t left = redact_text(body.data ? body.data : "",
			    body.len, NULL, NULL, &res);
			redact_result_free(&res);
			if (left == 0) {
				rc = settle(e, w, STORE_OUTBOX_DONE, "");
				break;
			}
			if (pass == 1) {
				rc = settle(e, w, STORE_OUTBOX_FAILED, "the "
				    "server's comment still holds a secret "
				    "after redaction");
				break;
			}
			oc = redact_spans(e, w, body.data, body.len, &err);
		}
		if (oc == OUT_NOTFOUND) {
			rc = settle(e, w, STORE_OUTBOX_FAILED, "the comment is "
			    "not on the server");
			break;
		}
		if (oc == OUT_FAIL) {
			rc = settle(e, w, STORE_OUTBOX_FAILED, err.msg);
			break;
		}
		if (oc != OUT_OK) {
			/* in flight: the next sync reads the comment again */
			e->stats->network_trouble = 1;
			eng_note(e, "redaction of comment %lld: %s",
			    (long long)w->comment, err.msg);
			break;
		}
	}
	buf_free(&body);
	return rc;
}

int
push_redactions(struct engine *e, struct tdesk_err *err)
{
	struct redact_rows rs = { NULL, 0 };
	int rc = 0;

	if (store_outbox_list(e->st, 0, collect, &rs, err) < 0)
		return -1;
	if (rs.n)
		eng_note(e, "redacting %zu comment%s on the server", rs.n,
		    rs.n == 1 ? "" : "s");
	for (size_t i = 0; i < rs.n && rc == 0 && !e->fatal; i++)
		rc = redact_one(e, &rs.v[i]);
	for (size_t i = 0; i < rs.n; i++)
		free(rs.v[i].stamp);
	free(rs.v);
	if (e->fatal) {
		*err = e->ferr;
		return -1;
	}
	return rc;
}
