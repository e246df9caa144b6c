/* SPDX-License-Identifier: MIT */
/*
 * The Request Tracker 5 backend (REST 2.0 under URL/REST/2.0), driving its
 * own run: RT's answers share nothing with Zendesk's pages and cursors.
 *
 * Pull: one TicketSQL search for the tickets the agent owns or that sit
 * unowned in the desk's queues ("groups"), changed since the watermark
 * less an overlap (LastUpdated has whole seconds and RT commits are not
 * ordered by it), with the owner, requestors, queue and custom fields
 * expanded in the same answer. Then, for the tickets changed since their
 * transactions were last read, 50 at a time, two JSON searches: their
 * Create/Correspond/Comment transactions (Create and Correspond are public
 * messages, Comment an internal note) and those transactions'
 * attachments (the first text/plain part is the text). Custom fields
 * become tags "name=value"; queues are the desk's groups. Tickets that
 * left the agent's view since the last pull (given to another agent,
 * moved out of the desk's queues) are forgotten; once a day a pass
 * without the watermark also forgets those RT no longer shows at all
 * (deleted, or the queue's rights taken away).
 *
 * Push, one outbox action at a time, in order per ticket. RT updates are
 * not atomic and a message cannot be guarded by If-Match (the
 * correspond/comment resources have no ETag: RT 5.0.3 answers 412 to any
 * If-Match there), so an action becomes up to two requests:
 *   1. the field changes: PUT /ticket/N with If-Match: the ETag of the
 *      ticket read just before. 412 means someone changed the ticket: it
 *      is read again; a field the action changes whose value is no longer
 *      what the agent saw is a conflict (like Zendesk's 409), otherwise
 *      the PUT is sent again on the new ETag. RT answers 200 with a list
 *      of messages, some of which may be refusals: the action then fails
 *      with the server's words.
 *   2. the reply or note: POST /ticket/N/correspond or /comment. It is a
 *      conflict when a message by someone else arrived after what the
 *      agent saw (the outbox row's stamp).
 * Exactly once. A ticket's ETag is the id of its newest transaction, and
 * transaction ids only grow. Before a message is first sent, that id is
 * recorded in the replica's state ("rt.sent.<outbox id>", committed
 * before the request leaves). When an action's fate is unknown (the
 * answer was lost, the connection reset, tdesk was killed: the row is
 * still "inflight" or has attempts), the ticket's history is read before
 * anything is sent again: a Correspond/Comment transaction after the
 * recorded id, created by the agent, whose text equals the action's text,
 * is that action, and it is not sent again. Field changes are made
 * idempotent by comparing: a field already at its target is not sent.
 * The only false match would be the same agent sending the same text to
 * the same ticket from another client in that window: harmless, as the
 * customer already has that exact message. Nothing is written into the
 * customer's message for this.
 *
 * RT quirks handled here: Connection: close on every answer; ids as
 * strings or numbers; relative Location headers; non-atomic updates
 * answered as message lists; a 401 without WWW-Authenticate; the web UI's
 * HTML login page where JSON was expected; 500s from fields RT cannot
 * serialise (never asked for).
 */
#include "sync/sync_int.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define API "/REST/2.0"
#define OVERLAP_S 120
#define FULL_EVERY_S 86400	/* a pass without the watermark */
#define PER_PAGE 100
#define MAX_PAGES 1000
#define BACKOFF_BASE_MS 250
#define BACKOFF_CAP_MS 4000

struct rt {
	struct store *st;
	const struct sync_opts *o;
	struct http *h;
	struct sync_stats *stats;
	int64_t me;
	char *me_name;
	unsigned rng;
	int max_attempts;
};

static void
note(struct rt *rt, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (rt->o->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	rt->o->progress(rt->o->arg, line);
}

/* --- JSON (json-c): small helpers; RT sends ids as strings or numbers ---- */

typedef struct json_object JV;

#define J_FOREACH(a, i, v) \
	for ((i) = 0; (i) < j_len(a) && (((v) = j_at((a), (i))), 1); (i)++)

static JV *
j_get(const JV *o, const char *key)
{
	JV *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int j_isstr(const JV *v) { return v && json_object_is_type(v, json_type_string); }
static int j_isarr(const JV *v) { return v && json_object_is_type(v, json_type_array); }
static int j_isobj(const JV *v) { return v && json_object_is_type(v, json_type_object); }

static const char *
j_strval(const JV *v)
{
	return j_isstr(v) ? json_object_get_string((JV *)v) : NULL;
}

static size_t
j_len(const JV *a)
{
	return j_isarr(a) ? json_object_array_length(a) : 0;
}

static JV *
j_at(const JV *a, size_t i)
{
	return j_isarr(a) ? json_object_array_get_idx(a, i) : NULL;
}

static JV *
j_new_str(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* Parse len bytes: strict, valid UTF-8 only, nesting bounded. NULL and
 * why (a short text) when it is not one JSON document. */
static JV *
j_parse(const char *data, size_t len, const char **why, size_t *at)
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

/* The compact text of v (caller frees). */
static char *
j_dump(JV *v)
{
	return xstrdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
}

static JV *
j_obj(void)
{
	return json_object_new_object();
}

static JV *
j_arr(void)
{
	return json_object_new_array();
}

static const char *
jstr(const JV *o, const char *key)
{
	const JV *v = j_get(o, key);

	return j_isstr(v) ? j_strval(v) : NULL;
}

static int64_t
jint_val(const JV *v)
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

static int64_t
jint(const JV *o, const char *key)
{
	return jint_val(j_get(o, key));
}

/* RT's "1970-01-01T00:00:00Z" means unset. */
static int64_t
jtime(const JV *o, const char *key)
{
	const char *s = jstr(o, key);
	int64_t t;

	if (s == NULL || time_parse_iso(s, &t) < 0 || t <= 0)
		return 0;
	return t;
}

/* --- HTTP ----------------------------------------------------------------- */

static int64_t
backoff_ms(struct rt *rt, int attempt, long retry_after)
{
	int64_t cap = BACKOFF_BASE_MS << (attempt < 5 ? attempt : 5);
	int64_t d;

	if (cap > BACKOFF_CAP_MS)
		cap = BACKOFF_CAP_MS;
	d = (int64_t)(rand_r(&rt->rng) % (unsigned)(cap + 1));
	if (retry_after >= 0)
		d += 1000 * (retry_after > rt->o->max_wait_s ?
		    rt->o->max_wait_s : retry_after);
	return d;
}

/* Send r and wait for it. */
static void
run_req(struct rt *rt, struct http_req *r, int64_t delay_ms)
{
	struct http_req *got;

	r->not_before = delay_ms > 0 ? http_now() + delay_ms : 0;
	http_submit(rt->h, r);
	while ((got = http_next(rt->h)) != r && got != NULL)
		http_req_free(got);
}

/* The server's words from an answer: {"message": ...} or a list of
 * messages; NULL when it said nothing readable. */
static char *
server_words(const struct http_req *r)
{
	const char *why;
	size_t at;
	JV *j = j_parse(r->resp.data, r->resp.len, &why, &at);
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

enum rt_outcome { RT_OK, RT_RETRY, RT_NOTFOUND, RT_CONFLICT, RT_FAIL,
    RT_FATAL };

static enum rt_outcome
classify(const struct http_req *r, struct tdesk_err *err)
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

/*
 * GET path (under API) and parse the answer; retries what can be retried.
 * 0 and *out (and the answer's ETag in etag when given), -1 with err
 * (kind NOTFOUND for a 404).
 */
static int
ask_json(struct rt *rt, const char *method, const char *path,
    const char *body, JV **out, char *etag, size_t etag_len,
    struct tdesk_err *err)
{
	struct http_req *r;
	char *full = xasprintf("%s%s", API, path);
	int attempt, rc = -1;

	r = http_req_new(method, full, body);
	free(full);
	*out = NULL;
	for (attempt = 0;; attempt++) {
		enum rt_outcome oc;
		const char *why;
		size_t at;

		run_req(rt, r, attempt ? backoff_ms(rt, attempt,
		    r->retry_after) : 0);
		err_clear(err);
		oc = classify(r, err);
		if (oc == RT_OK) {
			*out = j_parse(r->resp.data, r->resp.len, &why, &at);
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
		if (oc != RT_RETRY || attempt + 1 >= rt->max_attempts ||
		    (r->unreachable && attempt >= 1))
			break;
		rt->stats->retries++;
	}
	http_req_free(r);
	return rc;
}

static int
get_json(struct rt *rt, const char *path, JV **out, char *etag,
    size_t etag_len, struct tdesk_err *err)
{
	return ask_json(rt, "GET", path, NULL, out, etag, etag_len, err);
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
	if (get_json(rt, p.data, &j, NULL, 0, err) < 0) {
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
	rt->me = jint(j, "id");
	rt->me_name = xstrdup(name);
	email = jstr(j, "EmailAddress");
	real = jstr(j, "RealName");
	snprintf(id, sizeof(id), "%lld", (long long)rt->me);
	if (store_begin(rt->st, err) < 0)
		goto done;
	if (store_state_set(rt->st, "me.id", id, err) < 0 ||
	    store_state_set(rt->st, "me.name", real && *real ? real : name,
	    err) < 0 ||
	    store_state_set(rt->st, "me.email", email ? email : "", err) < 0 ||
	    store_state_set(rt->st, "me.role", "agent", err) < 0 ||
	    store_user_put(rt->st, rt->me, real && *real ? real : name,
	    email ? email : "", "agent", "", 0, err) < 0) {
		store_rollback(rt->st);
		goto done;
	}
	rc = store_commit(rt->st, err);
done:
	json_object_put(j);
	buf_free(&p);
	return rc;
}

/* --- mapping RT to the replica ------------------------------------------ */

/* RT lifecycle statuses as tdesk's, and back. */
static const char *
status_from_rt(const char *s)
{
	if (s == NULL)
		return "new";
	if (!strcmp(s, "stalled"))
		return "pending";
	if (!strcmp(s, "resolved"))
		return "solved";
	if (!strcmp(s, "rejected"))
		return "closed";
	return s;	/* new, open, deleted, or a custom status */
}

static const char *
status_to_rt(const char *s)
{
	if (!strcmp(s, "pending") || !strcmp(s, "hold"))
		return "stalled";
	if (!strcmp(s, "solved") || !strcmp(s, "closed"))
		return "resolved";
	return s;
}

/* RT priorities are numbers (Low 0, Medium 50, High 100 by default). */
static const char *
priority_from_rt(int64_t p)
{
	return p < 25 ? "low" : p < 75 ? "normal" : p < 125 ? "high" :
	    "urgent";
}

static int64_t
priority_to_rt(const char *p)
{
	return !strcmp(p, "normal") ? 50 : !strcmp(p, "high") ? 100 :
	    !strcmp(p, "urgent") ? 150 : 0;
}

/* An RT user object ({"id","Name","EmailAddress","RealName"}) into the
 * batch; its id in *id (0: none). */
static int
put_user(struct store_batch *b, const JV *u, const char *role, int64_t *id,
    struct tdesk_err *err)
{
	struct store_user_rec r;
	const char *name = jstr(u, "RealName");

	*id = jint(u, "id");
	if (*id <= 0) {
		*id = 0;
		return 0;
	}
	if (name == NULL || *name == '\0')
		name = jstr(u, "Name");
	memset(&r, 0, sizeof(r));
	r.id = *id;
	r.name = name;
	r.email = jstr(u, "EmailAddress");
	r.role = role;
	return store_batch_user(b, &r, err);
}

/* A tag from a custom field value: "name=value", lower case name, no
 * spaces. */
static void
cf_tag(struct buf *b, const char *name, const char *value)
{
	const char *p;

	for (p = name; *p; p++)
		buf_addc(b, *p == ' ' ? '_' : (char)(*p >= 'A' && *p <= 'Z' ?
		    *p - 'A' + 'a' : *p));
	buf_addc(b, '=');
	for (p = value; *p; p++)
		buf_addc(b, *p == ' ' || *p == '\t' || *p == '\n' ? '_' : *p);
}

/*
 * One RT ticket (as the search answers it, with expanded fields) into
 * the batch: its requestor and owner, its queue as the group, its custom
 * fields as field values and as tags "name=value" (which is how an agent
 * changes them), RT's status and priority in tdesk's words.
 */
static int
put_ticket(struct store_batch *b, const JV *t, struct tdesk_err *err)
{
	const JV *owner = j_get(t, "Owner"), *queue = j_get(t, "Queue");
	const JV *reqs = j_get(t, "Requestor"), *cfs = j_get(t, "CustomFields");
	const char *ownername = jstr(owner, "Name");
	struct store_ticket_rec r;
	struct store_field_value *fv = NULL;
	char **tags = NULL;
	size_t ncf = j_len(cfs), ntags = 0, nfv = 0, i, k;
	const JV *v, *val;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	if (j_len(reqs) > 0 && put_user(b, j_at(reqs, 0), "end-user",
	    &r.requester_id, err) < 0)
		return -1;
	if (ownername && strcmp(ownername, "Nobody") != 0 &&
	    put_user(b, owner, "agent", &r.assignee_id, err) < 0)
		return -1;
	if ((r.group_id = jint(queue, "id")) > 0) {
		struct store_group_rec g = { r.group_id, jstr(queue, "Name") };

		if (store_batch_group(b, &g, err) < 0)
			return -1;
	}
	fv = xcalloc(ncf ? ncf : 1, sizeof(*fv));
	J_FOREACH(cfs, i, v) {
		const char *name = jstr(v, "name") ? jstr(v, "name") :
		    jstr(v, "Name");
		struct store_field_rec f = { jint(v, "id"), name, "text" };
		struct buf joined = BUF_INIT;

		if (name == NULL || f.id <= 0)
			continue;
		if (store_batch_field(b, &f, err) < 0)
			goto done;
		J_FOREACH(j_get(v, "values"), k, val) {
			struct buf tb = BUF_INIT;

			if (!j_isstr(val) || *j_strval(val) == '\0')
				continue;
			if (joined.len)
				buf_adds(&joined, ", ");
			buf_adds(&joined, j_strval(val));
			cf_tag(&tb, name, j_strval(val));
			tags = xrealloc(tags, (ntags + 1) * sizeof(*tags));
			tags[ntags++] = buf_detach(&tb);
		}
		if (joined.len) {
			fv[nfv].field_id = f.id;
			fv[nfv++].value = buf_detach(&joined);
		}
		buf_free(&joined);
	}
	r.id = jint(t, "id");
	r.subject = jstr(t, "Subject");
	r.status = status_from_rt(jstr(t, "Status"));
	r.priority = priority_from_rt(jint(t, "Priority"));
	r.channel = "email";
	r.created_at = jtime(t, "Created");
	r.updated_at = jtime(t, "LastUpdated");
	r.tags = (const char *const *)tags;
	r.n_tags = ntags;
	r.fields = fv;
	r.n_fields = nfv;
	rc = store_batch_ticket(b, &r, err);
done:
	for (i = 0; i < ntags; i++)
		free(tags[i]);
	free(tags);
	for (i = 0; i < nfv; i++)
		free((char *)fv[i].value);
	free(fv);
	return rc;
}

/* --- pull ---------------------------------------------------------------- */

#define TICKET_FIELDS "fields=Subject,Status,Priority,Created,LastUpdated," \
	"Owner,Queue,Requestor,CustomFields" \
	"&fields%5BOwner%5D=id,Name,EmailAddress,RealName" \
	"&fields%5BRequestor%5D=id,Name,EmailAddress,RealName" \
	"&fields%5BQueue%5D=id,Name"

static int64_t
state_int(struct rt *rt, const char *key)
{
	char *v = store_state_get(rt->st, key);
	int64_t n = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	return n;
}

static int
state_set_int(struct rt *rt, const char *key, int64_t n,
    struct tdesk_err *err)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", (long long)n);
	return store_state_set(rt->st, key, v, err);
}

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
	if (rt->o->remote.n_groups > 0) {
		buf_adds(&q, " OR (Owner = 'Nobody' AND (");
		for (i = 0; i < rt->o->remote.n_groups; i++) {
			buf_adds(&q, i ? " OR Queue = " : "Queue = ");
			sql_quote(&q, rt->o->remote.groups[i]);
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
	for (i = 0; i < rt->o->remote.n_groups; i++) {
		buf_adds(&q, " AND Queue != ");
		sql_quote(&q, rt->o->remote.groups[i]);
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
	int page, rc = -1;

	for (page = 1; page <= MAX_PAGES; page++) {
		struct buf p = BUF_INIT;
		JV *j = NULL, *items, *t;
		size_t i, n;

		buf_adds(&p, "/tickets?query=");
		http_add_escaped(&p, query);
		buf_printf(&p, "&per_page=%d&page=%d&fields=id", PER_PAGE,
		    page);
		if (get_json(rt, p.data, &j, NULL, 0, err) < 0) {
			buf_free(&p);
			goto done;
		}
		buf_free(&p);
		items = j_get(j, "items");
		n = j_len(items);
		J_FOREACH(items, i, t) {
			int64_t id = jint(t, "id");
			int known = store_sync_ticket_known(rt->st, id, err);

			if (known < 0 || (known == 1 &&
			    store_sync_ticket_forget(rt->st, id, err) < 0)) {
				json_object_put(j);
				goto done;
			}
		}
		json_object_put(j);
		if (n < PER_PAGE)
			break;
	}
	rc = 0;
done:
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
	if (store_list(rt->st, q, &lo, collect_unseen, &u, err) < 0)
		goto done;
	for (i = 0; i < u.n; i++)
		if (store_sync_ticket_forget(rt->st, u.ids[i], err) < 0)
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
	if ((b = store_batch_begin(rt->st, &is, err)) == NULL)
		return -1;
	J_FOREACH(items, i, t) {
		int64_t lu = jtime(t, "LastUpdated");

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
		if (put_ticket(b, t, err) < 0) {
			store_batch_abort(b);
			free(gone);
			return -1;
		}
	}
	if (store_batch_end(b, err) < 0) {
		free(gone);
		return -1;
	}
	rt->stats->pulled += is.written;
	for (i = 0; i < ngone; i++)
		if (store_sync_ticket_forget(rt->st, gone[i], err) < 0)
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
	    PER_PAGE, page);
	buf_adds(&p, fields);
	rc = get_json(rt, p.data, j, NULL, 0, err);
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
	int k = store_ticket_get(rt->st, id, &t, err);
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
	int64_t wm = state_int(rt, "rt.watermark"), newest = wm;
	int64_t full_at = state_int(rt, "rt.full_at");
	int full = wm == 0 || time_now() - full_at >= FULL_EVERY_S;
	int64_t since = full ? 0 : wm - OVERLAP_S;
	char *query = ticket_query(rt, since);
	struct seen seen_ids = { NULL, 0, 0 };
	int64_t *need = NULL;
	size_t nneed = 0, i;
	int page, rc = -1;

	for (page = 1; page <= MAX_PAGES; page++) {
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
				int64_t lu = jtime(t, "LastUpdated");
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
		if (n < PER_PAGE)
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
	if (full && wm > 0 && forget_unseen(rt, &seen_ids, err) < 0)
		goto done;
	if (full && state_set_int(rt, "rt.full_at", time_now(), err) < 0)
		goto done;
	if (newest > wm && state_set_int(rt, "rt.watermark", newest, err) < 0)
		goto done;
	rc = 0;
done:
	free(need);
	free(seen_ids.ids);
	free(query);
	return rc;
}

/* Every page of a collection under path (which has a '?'), items
 * appended to all. */
static int
get_all(struct rt *rt, const char *path, JV *all, struct tdesk_err *err)
{
	int page;

	for (page = 1; page <= MAX_PAGES; page++) {
		char *p = xasprintf("%s&per_page=%d&page=%d", path, PER_PAGE,
		    page);
		JV *j = NULL, *items;
		size_t n;

		if (get_json(rt, p, &j, NULL, 0, err) < 0) {
			free(p);
			return -1;
		}
		free(p);
		items = j_get(j, "items");
		n = j_len(items);
		for (size_t k = 0; k < n; k++)
			json_object_array_add(all,
			    json_object_get(j_at(items, k)));
		json_object_put(j);
		if (n < PER_PAGE)
			break;
	}
	return 0;
}

/* The ticket's messages: transactions (history) and their first
 * text/plain parts, as {txn id: text}. */
struct msgs {
	JV *txns;		/* history items */
	JV *text;		/* object: "txn id" -> text */
};

static void
msgs_clear(struct msgs *m)
{
	json_object_put(m->txns);
	json_object_put(m->text);
	m->txns = m->text = NULL;
}

static int
messages_get(struct rt *rt, int64_t ticket, int texts, struct msgs *m,
    struct tdesk_err *err)
{
	char path[256];
	JV *atts = j_arr(), *a;
	size_t i;

	m->txns = j_arr();
	m->text = j_obj();
	snprintf(path, sizeof(path), "/ticket/%lld/history?fields=Type,"
	    "Field,Created,Creator&fields%%5BCreator%%5D=id,Name,EmailAddress,"
	    "RealName", (long long)ticket);
	if (get_all(rt, path, m->txns, err) < 0)
		goto fail;
	if (!texts) {
		json_object_put(atts);
		return 0;
	}
	/* Parent and Filename make RT 5.0.3 answer 500: not asked for */
	snprintf(path, sizeof(path), "/ticket/%lld/attachments?fields="
	    "TransactionId,ContentType,Content", (long long)ticket);
	if (get_all(rt, path, atts, err) < 0)
		goto fail;
	J_FOREACH(atts, i, a) {
		const char *ct = jstr(a, "ContentType");
		const char *c = jstr(a, "Content");
		char key[24];
		int plain = ct && strncasecmp(ct, "text/plain", 10) == 0;
		const JV *had;

		if (c == NULL || ct == NULL || (!plain &&
		    strncasecmp(ct, "text/html", 9) != 0))
			continue;
		snprintf(key, sizeof(key), "%lld",
		    (long long)jint(a, "TransactionId"));
		had = j_get(m->text, key);
		/* the first text/plain part wins; HTML only without one */
		if (had && (!plain || json_object_get_int64(j_at(had,
		    1)) == 1))
			continue;
		{
			JV *pair = j_arr();

			json_object_array_add(pair, j_new_str(c));
			json_object_array_add(pair,
			    json_object_new_int(plain));
			json_object_object_add(m->text, key, pair);
		}
	}
	json_object_put(atts);
	return 0;
fail:
	json_object_put(atts);
	msgs_clear(m);
	return -1;
}

static const char *
msg_text(const struct msgs *m, int64_t txn)
{
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)txn);
	return j_strval(j_at(j_get(m->text,
	    key), 0));
}

static int
is_message(const char *type)
{
	return type && (!strcmp(type, "Create") ||
	    !strcmp(type, "Correspond") || !strcmp(type, "Comment"));
}

/* Every page of a JSON search (POST, it changes nothing) under path
 * (which has a '?'), items appended to all. */
static int
search_all(struct rt *rt, const char *path, JV *query, JV *all,
    struct tdesk_err *err)
{
	char *body = j_dump(query);
	int page, rc = -1;

	for (page = 1; page <= MAX_PAGES; page++) {
		char *p = xasprintf("%s&per_page=%d&page=%d", path, PER_PAGE,
		    page);
		JV *j = NULL, *items;
		size_t n, k;

		if (ask_json(rt, "POST", p, body, &j, NULL, 0, err) < 0) {
			free(p);
			goto done;
		}
		free(p);
		items = j_get(j, "items");
		n = j_len(items);
		for (k = 0; k < n; k++)
			json_object_array_add(all,
			    json_object_get(j_at(items, k)));
		json_object_put(j);
		if (n < PER_PAGE)
			break;
	}
	rc = 0;
done:
	free(body);
	return rc;
}

/*
 * The role of a message's author. RT does not tell who is privileged; the
 * replica may know (an owner is an agent, a requestor a customer), else
 * an internal Comment can only come from an agent, and anyone else who
 * writes is taken for a customer.
 */
static const char *
author_role(struct rt *rt, const JV *creator, const char *type)
{
	static char known[16];
	int64_t id = jint(creator, "id");

	if (id == rt->me)
		return "agent";
	if (store_user_role(rt->st, id, known, sizeof(known)) == 1 &&
	    known[0])
		return known;
	return !strcmp(type, "Comment") ? "agent" : "end-user";
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

#define BULK_TICKETS 50
#define BULK_TXNS 200

/*
 * The messages of many tickets at once: one search of their Create,
 * Correspond and Comment transactions and one of those transactions'
 * attachments, in pages, instead of two requests per ticket.
 */
static int
pull_comments_bulk(struct rt *rt, const struct store_sync_todo *todo,
    size_t n, struct tdesk_err *err)
{
	int64_t ids[BULK_TICKETS];
	JV *q, *txns = j_arr(), *atts = j_arr(), *types;
	struct store_batch *b = NULL;
	struct msgs m = { NULL, NULL };
	int64_t *tx = NULL;
	size_t i, k, ntx;
	int rc = -1;
	const JV *t, *a;

	for (i = 0; i < n; i++)
		ids[i] = todo[i].id;
	q = j_arr();
	json_object_array_add(q, limit_eq("ObjectType", "RT::Ticket"));
	json_object_array_add(q, limit_in("ObjectId", ids, n));
	types = j_obj();
	json_object_object_add(types, "field", j_new_str("Type"));
	json_object_object_add(types, "operator", j_new_str("IN"));
	{
		JV *v = j_arr();

		json_object_array_add(v, j_new_str("Create"));
		json_object_array_add(v, j_new_str("Correspond"));
		json_object_array_add(v, j_new_str("Comment"));
		json_object_object_add(types, "value", v);
	}
	json_object_array_add(q, types);
	if (search_all(rt, "/transactions?orderby=id&order=ASC&fields=Type,"
	    "Created,Creator,ObjectId&fields%5BCreator%5D=id,Name,"
	    "EmailAddress,RealName", q, txns, err) < 0)
		goto done;
	ntx = j_len(txns);
	tx = xcalloc(ntx ? ntx : 1, sizeof(*tx));
	for (i = 0; i < ntx; i++)
		tx[i] = jint(j_at(txns, i), "id");
	for (i = 0; i < ntx; i += BULK_TXNS) {
		JV *aq = j_arr();
		int r;

		json_object_array_add(aq, limit_in("TransactionId", tx + i,
		    ntx - i < BULK_TXNS ? ntx - i : BULK_TXNS));
		r = search_all(rt, "/attachments?orderby=id&order=ASC&fields="
		    "TransactionId,ContentType,Content", aq, atts, err);
		json_object_put(aq);
		if (r < 0)
			goto done;
	}
	/* texts by transaction, as messages_get keeps them */
	m.text = j_obj();
	J_FOREACH(atts, i, a) {
		const char *ct = jstr(a, "ContentType"), *c = jstr(a, "Content");
		char key[24];
		int plain = ct && strncasecmp(ct, "text/plain", 10) == 0;
		const JV *had;
		JV *pair;

		if (c == NULL || ct == NULL || (!plain &&
		    strncasecmp(ct, "text/html", 9) != 0))
			continue;
		snprintf(key, sizeof(key), "%lld",
		    (long long)jint(a, "TransactionId"));
		had = j_get(m.text, key);
		if (had && (!plain || json_object_get_int64(j_at(had, 1)) == 1))
			continue;
		pair = j_arr();
		json_object_array_add(pair, j_new_str(c));
		json_object_array_add(pair, json_object_new_int(plain));
		json_object_object_add(m.text, key, pair);
	}
	if ((b = store_batch_begin(rt->st, NULL, err)) == NULL)
		goto done;
	for (k = 0; k < n; k++) {
		J_FOREACH(txns, i, t) {
			const JV *cr = j_get(t, "Creator");
			const char *type = jstr(t, "Type");
			struct store_comment_rec c;

			if (jint(t, "ObjectId") != ids[k] || !is_message(type))
				continue;
			memset(&c, 0, sizeof(c));
			if (put_user(b, cr, author_role(rt, cr, type),
			    &c.author_id, err) < 0)
				goto abort;
			c.id = jint(t, "id");
			c.created_at = jtime(t, "Created");
			c.public = strcmp(type, "Comment") != 0;
			c.body = msg_text(&m, c.id);
			if (store_batch_comment(b, ids[k], &c, err) < 0)
				goto abort;
		}
		if (store_batch_comments_done(b, ids[k], err) < 0)
			goto abort;
	}
	if (store_batch_end(b, err) < 0)
		goto done;
	b = NULL;
	for (k = 0; k < n; k++) {
		if (store_sync_comments_mark(rt->st, ids[k],
		    todo[k].updated_at, err) < 0)
			goto done;
		rt->stats->comments++;
	}
	rc = 0;
	goto done;
abort:
	store_batch_abort(b);
done:
	json_object_put(q);
	json_object_put(txns);
	json_object_put(atts);
	msgs_clear(&m);
	free(tx);
	return rc;
}

static int
pull(struct rt *rt, struct tdesk_err *err)
{
	struct store_sync_todo *todo = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (pull_tickets(rt, err) < 0)
		return -1;
	if (store_sync_comments_todo(rt->st, 0, 1, &todo, &n, err) < 0)
		return -1;
	if (n > 0)
		note(rt, "reading the messages of %zu ticket%s", n,
		    n == 1 ? "" : "s");
	for (i = 0; i < n; i += BULK_TICKETS)
		if (pull_comments_bulk(rt, todo + i, n - i < BULK_TICKETS ?
		    n - i : BULK_TICKETS, err) < 0)
			goto done;
	rc = store_fts_refresh(rt->st, err);
done:
	free(todo);
	return rc;
}

/* --- push ------------------------------------------------------------- */

/*
 * tdesk's change as the outbox row holds it. NOTE for the lead: today the
 * row holds a Zendesk request body; when the outbox stores tdesk's own
 * change, this reads the row's fields instead.
 */
struct change {
	const char *comment;		/* NULL: none */
	int public;
	const char *status;		/* tdesk names; NULL: unchanged */
	const char *priority;
	int has_owner;
	int64_t owner;			/* 0: nobody */
	int has_queue;
	int64_t queue;
	JV *add_tags, *remove_tags;	/* "name=value" custom fields */
	/* what the agent saw before acting */
	const char *was_status, *was_priority;
	int has_was_owner, has_was_queue;
	int64_t was_owner, was_queue;
	JV *body, *undo;		/* owners of the tag arrays, of
					 * the undo strings */
};

static void
change_clear(struct change *c)
{
	json_object_put(c->body);
	json_object_put(c->undo);
	memset(c, 0, sizeof(*c));
}

/* "a b c" as a JSON array of strings */
static JV *
split_tags(const char *s)
{
	JV *a = j_arr();
	size_t n;

	while (s && *s) {
		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n > 0)
			json_object_array_add(a,
			    json_object_new_string_len(s, (int)n));
		s += n;
	}
	return a;
}

/* tdesk's change, as the outbox row holds it (row->ch), for RT. */
static int
change_from_row(const struct store_outbox_row *row, struct change *c,
    struct tdesk_err *err)
{
	const struct store_outbox_change *ch = &row->ch;
	const char *why, *u = row->undo && *row->undo ? row->undo : "{}";
	size_t at;
	const JV *v;

	memset(c, 0, sizeof(*c));
	if (ch->type != NULL)
		return err_set(err, TDESK_EUSAGE, "RT tickets have no type:"
		    " drop the action (tdesk outbox drop) and use a custom"
		    " field tag name=value instead");
	c->undo = j_parse(u, strlen(u), &why, &at);
	if (!j_isobj(c->undo)) {
		json_object_put(c->undo);
		c->undo = j_obj();
	}
	c->body = j_obj();
	c->comment = ch->comment;
	c->public = ch->comment_public;
	c->status = ch->status;
	c->priority = ch->priority;
	if (ch->assignee_id >= 0) {
		c->has_owner = 1;
		c->owner = ch->assignee_id;
	}
	if (ch->group_id >= 0) {
		c->has_queue = 1;
		c->queue = ch->group_id;
	}
	c->add_tags = split_tags(ch->add_tags);
	c->remove_tags = split_tags(ch->remove_tags);
	json_object_object_add(c->body, "add", c->add_tags);
	json_object_object_add(c->body, "remove", c->remove_tags);
	c->was_status = jstr(c->undo, "status");
	if ((v = j_get(c->undo, "priority")) != NULL)
		c->was_priority = j_isstr(v) ? j_strval(v) : "";
	if ((v = j_get(c->undo, "assignee_id")) != NULL) {
		c->has_was_owner = 1;
		c->was_owner = jint_val(v);
	}
	if ((v = j_get(c->undo, "group_id")) != NULL) {
		c->has_was_queue = 1;
		c->was_queue = jint_val(v);
	}
	return 0;
}

/* The ticket as RT has it now. */
struct remote {
	JV *t;
	char etag[64];
};

static int
remote_get(struct rt *rt, int64_t id, struct remote *r,
    struct tdesk_err *err)
{
	char path[64];
	const JV *eff;

	json_object_put(r->t);
	r->t = NULL;
	snprintf(path, sizeof(path), "/ticket/%lld", (long long)id);
	if (get_json(rt, path, &r->t, r->etag, sizeof(r->etag), err) < 0)
		return -1;
	eff = j_get(r->t, "EffectiveId");
	if (eff && jint(eff, "id") != 0 && jint(eff, "id") != id)
		return err_set(err, TDESK_ENOTFOUND, "ticket %lld was merged"
		    " into #%lld in RT", (long long)id,
		    (long long)jint(eff, "id"));
	return 0;
}

/* The user name of an RT user id (the ticket resource names owners, it
 * does not number them); NULL with err. */
static char *
user_name(struct rt *rt, int64_t id, struct tdesk_err *err)
{
	char path[48];
	JV *j = NULL;
	char *name = NULL;

	if (id == 0)
		return xstrdup("Nobody");
	if (id == rt->me)
		return xstrdup(rt->me_name);
	snprintf(path, sizeof(path), "/user/%lld", (long long)id);
	if (get_json(rt, path, &j, NULL, 0, err) < 0)
		return NULL;
	if (jstr(j, "Name"))
		name = xstrdup(jstr(j, "Name"));
	else
		err_set(err, TDESK_ENOTFOUND, "RT has no user %lld",
		    (long long)id);
	json_object_put(j);
	return name;
}

/* The RT custom field named like tag's "name" part, or NULL. */
static const JV *
remote_cf(const JV *t, const char *tag, const char **value)
{
	const char *eq = strchr(tag, '=');
	size_t i;
	const JV *cf;

	if (eq == NULL)
		return NULL;
	*value = eq + 1;
	J_FOREACH(j_get(t, "CustomFields"), i, cf) {
		const char *n = jstr(cf, "name");
		size_t k, len = (size_t)(eq - tag);

		if (n == NULL || strlen(n) != len)
			continue;
		for (k = 0; k < len; k++) {
			char a = n[k] == ' ' ? '_' : n[k];
			if ((a | 32) != (tag[k] | 32))
				break;
		}
		if (k == len)
			return cf;
	}
	return NULL;
}

static int
cf_has(const JV *cf, const char *value)
{
	size_t i;
	const JV *v;

	J_FOREACH(j_get(cf, "values"), i, v) {
		/* the replica keeps tags in lower case */
		if (j_isstr(v) && !strcasecmp(j_strval(v), value))
			return 1;
	}
	return 0;
}

/*
 * The PUT body still needed to bring the remote ticket to the change, or
 * NULL when every field is already there. When a needed field was changed
 * on the server since the agent saw it, *conflict says which.
 */
static JV *
fields_needed(const struct change *c, const JV *t, const char *owner_to,
    const char *owner_was, char *conflict, size_t clen,
    struct tdesk_err *err)
{
	JV *put = j_obj(), *cfs = j_obj();
	const char *rs = jstr(t, "Status");
	const char *owner = jstr(j_get(t, "Owner"), "id");
	int64_t queue = jint(j_get(t, "Queue"), "id");
	size_t i;
	JV *v;

	conflict[0] = '\0';
	if (c->status && (rs == NULL || strcmp(rs, status_to_rt(c->status)))) {
		json_object_object_add(put, "Status",
		    j_new_str(status_to_rt(c->status)));
		if (c->was_status && rs && strcmp(status_to_rt(c->was_status),
		    rs))
			snprintf(conflict, clen, "the status changed on the"
			    " server to '%s' since you acted",
			    status_from_rt(rs));
	}
	if (c->priority) {
		int64_t p = jint(t, "Priority");
		const char *now = priority_from_rt(p);

		if (strcmp(now, *c->priority ? c->priority : "low")) {
			json_object_object_add(put, "Priority",
			    json_object_new_int64(priority_to_rt(c->priority)));
			if (c->was_priority && strcmp(now, *c->was_priority ?
			    c->was_priority : "low"))
				snprintf(conflict, clen, "the priority changed"
				    " on the server to '%s' since you acted",
				    now);
		}
	}
	if (owner == NULL)
		owner = "Nobody";
	if (owner_to && strcasecmp(owner, owner_to) != 0) {
		json_object_object_add(put, "Owner", j_new_str(owner_to));
		if (owner_was && strcasecmp(owner, owner_was) != 0)
			snprintf(conflict, clen, "the ticket was assigned to"
			    " someone else on the server since you acted");
	}
	if (c->has_queue && c->queue && queue != c->queue) {
		char q[24];

		snprintf(q, sizeof(q), "%lld", (long long)c->queue);
		json_object_object_add(put, "Queue", j_new_str(q));
		if (c->has_was_queue && queue != c->was_queue)
			snprintf(conflict, clen, "the ticket moved to another"
			    " queue on the server since you acted");
	}
	J_FOREACH(c->add_tags, i, v) {
		const char *value = NULL;
		const JV *cf = j_isstr(v) ? remote_cf(t,
		    j_strval(v), &value) : NULL;

		if (cf == NULL) {
			err_set(err, TDESK_EUSAGE, "RT has no custom field for"
			    " the tag '%s' on this ticket (RT desks keep"
			    " custom fields as tags name=value)",
			    j_isstr(v) ? j_strval(v) : "?");
			json_object_put(put);
			json_object_put(cfs);
			return NULL;
		}
		if (!cf_has(cf, value))
			json_object_object_add(cfs, jstr(cf, "name"),
			    j_new_str(value));
	}
	J_FOREACH(c->remove_tags, i, v) {
		const char *value = NULL;
		const JV *cf = j_isstr(v) ? remote_cf(t,
		    j_strval(v), &value) : NULL;

		if (cf && cf_has(cf, value))
			json_object_object_add(cfs, jstr(cf, "name"),
			    j_new_str(""));
	}
	if (json_object_object_length(cfs) > 0)
		json_object_object_add(put, "CustomFields", cfs);
	else
		json_object_put(cfs);
	if (json_object_object_length(put) == 0) {
		json_object_put(put);
		err_clear(err);
		return NULL;
	}
	return put;
}

/* Whether a message from someone else arrived after the agent's stamp:
 * the first such author in who. */
static int
newer_message(struct rt *rt, const struct msgs *m, const char *seen,
    char *who, size_t wlen)
{
	int64_t since;
	size_t i;
	const JV *t;

	if (seen == NULL || time_parse_iso(seen, &since) < 0)
		return 0;
	J_FOREACH(m->txns, i, t) {
		const JV *cr = j_get(t, "Creator");

		if (!is_message(jstr(t, "Type")) || jint(cr, "id") == rt->me ||
		    jtime(t, "Created") <= since)
			continue;
		snprintf(who, wlen, "%s", jstr(cr, "RealName") &&
		    *jstr(cr, "RealName") ? jstr(cr, "RealName") :
		    jstr(cr, "Name") ? jstr(cr, "Name") : "someone");
		return 1;
	}
	return 0;
}

/* Whether someone else changed a field this action changes after the
 * agent's stamp: which field and who in why. Our own earlier actions
 * (and what RT did on their account, like opening a new ticket on a
 * reply) are not conflicts. */
static int
newer_field_change(struct rt *rt, const struct msgs *m, const char *seen,
    const struct change *c, char *why, size_t wlen)
{
	int64_t since, prev = 0;
	size_t i;
	const JV *t;

	if (seen == NULL || time_parse_iso(seen, &since) < 0)
		return 0;
	J_FOREACH(m->txns, i, t) {
		const JV *cr = j_get(t, "Creator");
		const char *type = jstr(t, "Type"), *field = jstr(t, "Field");
		const char *who;
		int64_t by = jint(cr, "id"), was = prev;

		/* RT_System acting right after us (a reply opens a new
		 * ticket) acts on our account */
		if (!(by == 1 && was == rt->me))
			prev = by;
		if (type == NULL || by == rt->me || (by == 1 &&
		    was == rt->me) || jtime(t, "Created") <= since)
			continue;
		if (field == NULL || *field == '\0')
			field = type;
		if (!((c->status && !strcmp(field, "Status")) ||
		    (c->priority && !strcmp(field, "Priority")) ||
		    (c->has_owner && !strcmp(field, "Owner")) ||
		    (c->has_queue && !strcmp(field, "Queue"))))
			continue;
		if (strcmp(type, "Status") && strcmp(type, "Set") &&
		    strcmp(type, "Give") && strcmp(type, "Take") &&
		    strcmp(type, "Steal") && strcmp(type, "Untake"))
			continue;
		who = jstr(cr, "RealName") && *jstr(cr, "RealName") ?
		    jstr(cr, "RealName") : jstr(cr, "Name") ? jstr(cr,
		    "Name") : "someone";
		snprintf(why, wlen, "%s changed %s on the server since you"
		    " acted", who, !strcmp(field, "Status") ? "the status" :
		    !strcmp(field, "Priority") ? "the priority" :
		    !strcmp(field, "Owner") ? "the owner" : "the queue");
		return 1;
	}
	return 0;
}

static int
same_text(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la && strchr(" \t\r\n", a[la - 1]))
		la--;
	while (lb && strchr(" \t\r\n", b[lb - 1]))
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}

/* The transaction that carries this action's message, or 0. */
static int64_t
find_sent(struct rt *rt, const struct msgs *m, int64_t after,
    const struct change *c)
{
	const char *want = c->public ? "Correspond" : "Comment";
	size_t i;
	const JV *t;

	J_FOREACH(m->txns, i, t) {
		int64_t id = jint(t, "id");
		const char *text;

		if (id <= after || strcmp(jstr(t, "Type") ? jstr(t, "Type") :
		    "", want) != 0 || jint(j_get(t, "Creator"),
		    "id") != rt->me)
			continue;
		text = msg_text(m, id);
		if (text && same_text(text, c->comment))
			return id;
	}
	return 0;
}

enum row_end { ROW_DONE, ROW_CONFLICT, ROW_FAILED, ROW_LATER, ROW_FATAL,
    ROW_GONE };

/* Record, durably, that a copy is about to leave (state inflight,
 * attempts + 1): ROW_DONE to go on, ROW_GONE when the agent dropped the
 * action meanwhile, ROW_FATAL on a database error. */
static enum row_end
about_to_send(struct rt *rt, const struct store_outbox_row *row,
    const char *stamp, struct tdesk_err *err)
{
	int k = store_outbox_mark_sent(rt->st, row->id, stamp && *stamp ?
	    stamp : row->seen_updated_at, err);

	return k < 0 ? ROW_FATAL : k == 0 ? ROW_GONE : ROW_DONE;
}

/* Send a write (never retried here: the caller looks first). */
static struct http_req *
send_write(struct rt *rt, const char *method, const char *path,
    JV *body, const char *if_match)
{
	char *s = j_dump(body);
	char *full = xasprintf("%s%s", API, path);
	struct http_req *r = http_req_new(method, full, s);

	free(full);
	free(s);
	if (if_match)
		r->if_match = xstrdup(if_match);
	run_req(rt, r, 0);
	return r;
}

/* A 200 to a PUT lists what RT did; some lines may be refusals. */
static int
refusal(const struct http_req *r, char *why, size_t n)
{
	const char *w;
	size_t at;
	JV *j = j_parse(r->resp.data, r->resp.len, &w, &at);
	static const char *const bad[] = { "Permission Denied",
	    "isn't a valid", "not a valid", "Couldn't", "Could not",
	    "Unable to", "failed", "Invalid", "No such", "not found",
	    "may not", "not allowed", "denied", "can't", "cannot" };
	size_t i, k;
	JV *v;
	int found = 0;

	J_FOREACH(j, i, v) {
		const char *s = j_strval(v);

		for (k = 0; s && k < ARRAY_LEN(bad); k++)
			if (strcasestr(s, bad[k])) {
				if (!found)
					snprintf(why, n, "RT: %s", s);
				found = 1;
			}
	}
	json_object_put(j);
	return found;
}

static int64_t
last_txn(const struct msgs *m)
{
	int64_t n = 0;
	size_t i;
	const JV *t;

	J_FOREACH(m->txns, i, t)
		if (jint(t, "id") > n)
			n = jint(t, "id");
	return n;
}

static enum row_end
push_row(struct rt *rt, const struct store_outbox_row *row, char *msg,
    size_t mlen, struct tdesk_err *err)
{
	struct change c;
	struct remote rem = { NULL, "" };
	struct msgs m = { NULL, NULL };
	char key[48], conflict[200], path[64];
	char *owner_to = NULL, *owner_was = NULL;
	int uncertain = row->state == STORE_OUTBOX_INFLIGHT ||
	    row->attempts > 0;
	int attempt, fields_done = 0, comment_checked = 0, readback = 0;
	int64_t sent_after;
	enum row_end end = ROW_LATER;
	struct http_req *r;
	enum rt_outcome oc;

	msg[0] = '\0';
	snprintf(key, sizeof(key), "rt.sent.%lld", (long long)row->id);
	if (change_from_row(row, &c, err) < 0) {
		snprintf(msg, mlen, "%s", err->msg);
		return ROW_FAILED;
	}
	sent_after = state_int(rt, key);
	for (attempt = 0; attempt < rt->max_attempts; attempt++) {
		if (attempt && !readback) {
			rt->stats->retries++;
			usleep((useconds_t)backoff_ms(rt, attempt, -1) * 1000);
		}
		readback = 0;
		err_clear(err);
		/* a message: did an earlier attempt land, did someone write
		 * since the agent looked? Before any field is touched. */
		if (!comment_checked) {
			msgs_clear(&m);
			/* the texts only to look for an earlier attempt */
			if (messages_get(rt, row->ticket_id, c.comment &&
			    uncertain && sent_after > 0, &m, err) < 0)
				goto unreadable;
			if (c.comment && uncertain && sent_after > 0 &&
			    find_sent(rt, &m, sent_after, &c) > 0) {
				end = ROW_DONE;
				goto out;
			}
			if (!fields_done && newer_field_change(rt, &m,
			    row->seen_updated_at, &c, conflict,
			    sizeof(conflict))) {
				snprintf(msg, mlen, "conflict: %s", conflict);
				end = ROW_CONFLICT;
				goto out;
			}
			if (c.comment && newer_message(rt, &m,
			    row->seen_updated_at, conflict,
			    sizeof(conflict))) {
				snprintf(msg, mlen, "conflict: %s wrote since"
				    " you looked at the ticket", conflict);
				end = ROW_CONFLICT;
				goto out;
			}
			comment_checked = 1;
		}
		/* 1. the fields, guarded by the ticket's ETag */
		if (!fields_done) {
			JV *put;

			if (c.has_owner && owner_to == NULL &&
			    ((owner_to = user_name(rt, c.owner, err)) == NULL ||
			    (c.has_was_owner && (owner_was = user_name(rt,
			    c.was_owner, err)) == NULL)))
				goto unreadable;
			if (remote_get(rt, row->ticket_id, &rem, err) < 0)
				goto unreadable;
			put = fields_needed(&c, rem.t, owner_to, owner_was,
			    conflict, sizeof(conflict), err);
			if (put == NULL && err->kind != TDESK_EOK) {
				snprintf(msg, mlen, "%s", err->msg);
				end = ROW_FAILED;
				goto out;
			}
			/* conflicts come from the history, above: a field
			 * that differs from what the agent saw because of
			 * our own earlier action is not one */
			if (put == NULL) {
				fields_done = 1;
			} else {
				snprintf(path, sizeof(path), "/ticket/%lld",
				    (long long)row->ticket_id);
				if ((end = about_to_send(rt, row, rem.etag,
				    err)) != ROW_DONE) {
					json_object_put(put);
					goto out;
				}
				end = ROW_LATER;
				r = send_write(rt, "PUT", path, put, rem.etag);
				json_object_put(put);
				oc = classify(r, err);
				if (oc == RT_OK && refusal(r, msg, mlen)) {
					http_req_free(r);
					end = ROW_FAILED;
					goto out;
				}
				http_req_free(r);
				if (oc != RT_OK) {
					comment_checked = 0;
					goto write_failed;
				}
				/* read back: RT may have taken only part */
				readback = 1;
				continue;
			}
		}
		if (c.comment == NULL) {
			end = ROW_DONE;
			goto out;
		}
		/* 2. the message, once: record where the history stood */
		if (sent_after == 0) {
			sent_after = last_txn(&m) > 0 ? last_txn(&m) : 1;
			if (state_set_int(rt, key, sent_after, err) < 0) {
				end = ROW_FATAL;
				goto out;
			}
		}
		if ((end = about_to_send(rt, row, NULL, err)) != ROW_DONE)
			goto out;
		end = ROW_LATER;
		{
			JV *body = j_obj();

			json_object_object_add(body, "Content",
			    j_new_str(c.comment));
			json_object_object_add(body, "ContentType",
			    j_new_str("text/plain"));
			snprintf(path, sizeof(path), "/ticket/%lld/%s",
			    (long long)row->ticket_id, c.public ?
			    "correspond" : "comment");
			r = send_write(rt, "POST", path, body, NULL);
			json_object_put(body);
		}
		oc = classify(r, err);
		http_req_free(r);
		if (oc == RT_OK) {
			end = ROW_DONE;
			goto out;
		}
		/* from here on, whatever the answer, look before sending */
		uncertain = 1;
		comment_checked = 0;
write_failed:
		if (oc == RT_FATAL) {
			end = ROW_FATAL;
			goto out;
		}
		if (oc == RT_FAIL || oc == RT_NOTFOUND) {
			snprintf(msg, mlen, "%s", err->msg);
			end = ROW_FAILED;
			goto out;
		}
		uncertain = 1;	/* 412, lost answer, reset, 5xx */
		continue;
unreadable:
		if (err->kind == TDESK_ENOTFOUND) {
			snprintf(msg, mlen, "%s", err->msg);
			end = ROW_FAILED;
			goto out;
		}
		if (err->kind == TDESK_EAUTH || rt->stats->network_trouble) {
			end = err->kind == TDESK_EAUTH ? ROW_FATAL : ROW_LATER;
			goto out;
		}
	}
	snprintf(msg, mlen, "%s", err->msg[0] ? err->msg :
	    "too many attempts");
out:
	change_clear(&c);
	json_object_put(rem.t);
	msgs_clear(&m);
	free(owner_to);
	free(owner_was);
	return end;
}

struct rowlist {
	struct store_outbox_row *rows;
	size_t n;
	int64_t *blocked;		/* tickets with a conflict */
	size_t nb;
};

static int
collect(const struct store_outbox_row *r, void *arg)
{
	struct rowlist *l = arg;
	struct store_outbox_row *c;

	if (r->state == STORE_OUTBOX_CONFLICT) {
		l->blocked = xrealloc(l->blocked, (l->nb + 1) *
		    sizeof(*l->blocked));
		l->blocked[l->nb++] = r->ticket_id;
		return 0;
	}
	if (r->state != STORE_OUTBOX_PENDING &&
	    r->state != STORE_OUTBOX_INFLIGHT)
		return 0;
	l->rows = xrealloc(l->rows, (l->n + 1) * sizeof(*l->rows));
	c = &l->rows[l->n++];
	*c = *r;
	c->summary = NULL;
	store_outbox_change_dup(&c->ch, &r->ch);
	c->error = NULL;
	c->sent_stamp = NULL;
	c->seen_updated_at = xstrdup(r->seen_updated_at ?
	    r->seen_updated_at : "");
	c->undo = xstrdup(r->undo ? r->undo : "{}");
	return 0;
}

static int
blocked(const struct rowlist *l, int64_t ticket)
{
	size_t i;

	for (i = 0; i < l->nb; i++)
		if (l->blocked[i] == ticket)
			return 1;
	return 0;
}

static int
push(struct rt *rt, struct tdesk_err *err)
{
	struct rowlist l = { NULL, 0, NULL, 0 };
	size_t i;
	int rc = 0;

	if (store_outbox_list(rt->st, 0, collect, &l, err) < 0)
		return -1;
	if (l.n > 0)
		note(rt, "pushing %zu action%s", l.n, l.n == 1 ? "" : "s");
	for (i = 0; i < l.n && rc == 0; i++) {
		struct store_outbox_row *row = &l.rows[i];
		char msg[600], key[48];
		enum row_end end;

		if (blocked(&l, row->ticket_id)) {
			store_outbox_set_state(rt->st, row->id,
			    STORE_OUTBOX_PENDING,
			    "waiting: an earlier action on this ticket"
			    " conflicts", NULL);
			continue;
		}
		err_clear(err);
		end = push_row(rt, row, msg, sizeof(msg), err);
		snprintf(key, sizeof(key), "rt.sent.%lld", (long long)row->id);
		switch (end) {
		case ROW_DONE:
			if (store_outbox_set_state(rt->st, row->id,
			    STORE_OUTBOX_DONE,
			    NULL, err) < 0) {
				rc = -1;
				break;
			}
			store_state_set(rt->st, key, "", NULL);
			rt->stats->pushed++;
			break;
		case ROW_CONFLICT:
			store_outbox_set_state(rt->st, row->id,
			    STORE_OUTBOX_CONFLICT,
			    msg, NULL);
			rt->stats->conflicts++;
			l.blocked = xrealloc(l.blocked, (l.nb + 1) *
			    sizeof(*l.blocked));
			l.blocked[l.nb++] = row->ticket_id;
			break;
		case ROW_FAILED:
			store_outbox_set_state(rt->st, row->id,
			    STORE_OUTBOX_FAILED, msg,
			    NULL);
			rt->stats->failed++;
			break;
		case ROW_LATER:
			/* stays inflight: the next run looks before sending */
			rt->stats->network_trouble = 1;
			if (!err->msg[0])
				err_set(err, TDESK_ENETWORK, "%s", msg);
			/* a server that keeps failing fails the others too */
			if (err->kind == TDESK_ENETWORK)
				i = l.n;
			err_clear(err);
			break;
		case ROW_FATAL:
			rc = -1;
			break;
		case ROW_GONE:
			break;	/* dropped by the agent while we looked */
		}
	}
	for (i = 0; i < l.n; i++) {
		store_outbox_change_free(&l.rows[i].ch);
		free((char *)l.rows[i].seen_updated_at);
		free((char *)l.rows[i].undo);
	}
	free(l.rows);
	free(l.blocked);
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
	rt.st = st;
	rt.o = o;
	rt.h = h;
	rt.stats = stats;
	rt.max_attempts = o->max_attempts > 0 ? o->max_attempts : 8;
	rt.rng = (unsigned)time(NULL) ^ (unsigned)getpid();
	if (identify(&rt, o->remote.user, err) < 0)
		goto out;
	if ((o->what & SYNC_PUSH) && push(&rt, err) < 0)
		goto out;
	if ((o->what & SYNC_PULL) && pull(&rt, err) < 0)
		goto out;
	if (store_outbox_count(st, STORE_OUTBOX_CONFLICT, &stats->conflicts,
	    err) < 0 ||
	    store_outbox_count(st, STORE_OUTBOX_FAILED, &stats->failed,
	    err) < 0)
		goto out;
	if (stats->network_trouble) {
		err_set(err, TDESK_ENETWORK, "RT kept failing; some work is"
		    " left for the next sync");
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
