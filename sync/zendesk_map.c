/* SPDX-License-Identifier: MIT */
/*
 * Zendesk's JSON mapped to the replica's typed records (store_batch_*):
 * the only place that knows Zendesk's page shapes and wire field names for
 * tickets, users, groups, organisations, ticket fields and comments. Used
 * by sync, `tdesk import` and `tdesk demo`, so there is one ingest path.
 * JSON is read with json-c (see JSON_DECISION in the closing note of
 * issue 9): exact 64-bit ids, invalid UTF-8 refused, nesting limited.
 * No SQL here: the store does the writing.
 */
#include "sync/sync_int.h"

#include <json-c/json.h>
#include <limits.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SJ_DEPTH 64

struct json_tokener *
sj_tokener(void)
{
	struct json_tokener *tok = json_tokener_new_ex(SJ_DEPTH);

	if (tok != NULL)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
		    JSON_TOKENER_VALIDATE_UTF8);
	return tok;
}

int
sj_parse(const char *json, size_t len, struct json_object **out,
    struct tdesk_err *err)
{
	struct json_tokener *tok = sj_tokener();
	int rc;

	*out = NULL;
	if (tok == NULL)
		return err_set(err, TDESK_EGENERIC, "out of memory");
	rc = sj_parse_with(tok, json, len, out, err);
	json_tokener_free(tok);
	return rc;
}

/* sj_parse with a tokener of sj_tokener, reset here: a reader of many
 * pages allocates one (a new one per page cost a twentieth of an
 * import's CPU in malloc_consolidate). */
int
sj_parse_with(struct json_tokener *tok, const char *json, size_t len,
    struct json_object **out, struct tdesk_err *err)
{
	struct json_object *root;
	enum json_tokener_error e;

	*out = NULL;
	if (len >= INT_MAX)
		return err_set(err, TDESK_EGENERIC, "the server's answer is "
		    "too large (%zu bytes)", len);
	json_tokener_reset(tok);
	root = json_tokener_parse_ex(tok, json ? json : "", (int)len);
	e = json_tokener_get_error(tok);
	if (root != NULL && e == json_tokener_success &&
	    json_tokener_get_parse_end(tok) < len) {
		/* only white space may follow the document */
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++)
			if (!strchr(" \t\r\n", json[i])) {
				e = json_tokener_error_parse_unexpected;
				break;
			}
	}
	if (root == NULL || e != json_tokener_success) {
		json_object_put(root);
		if (len == 0)
			return err_set(err, TDESK_EGENERIC, "the server sent "
			    "an empty answer where JSON was expected");
		return err_set(err, TDESK_EGENERIC, "invalid JSON from the "
		    "server (%zu bytes): %s", len, e == json_tokener_continue ?
		    "it ends early" : json_tokener_error_desc(e));
	}
	*out = root;
	return 0;
}

struct json_object *
sj_get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_is_type(v, json_type_null) ? NULL : v;
}

/*
 * Strings with an escaped NUL (\u0000) inside: C strings would end there
 * and lose the rest of a customer's message, so such strings are copied
 * with each NUL made U+2400 (a visible symbol). The copies live until
 * sj_fixed_free (after each page).
 */
static char **fixed;
static size_t n_fixed, cap_fixed;

void
sj_fixed_free(void)
{
	for (size_t i = 0; i < n_fixed; i++)
		free(fixed[i]);
	n_fixed = 0;
}

static const char *
sj_cstr(struct json_object *v)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	struct buf b = BUF_INIT;

	if (memchr(s, '\0', len) == NULL)
		return s;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0')
			buf_adds(&b, "\xe2\x90\x80");
		else
			buf_addc(&b, s[i]);
	}
	if (n_fixed == cap_fixed) {
		cap_fixed = cap_fixed ? cap_fixed * 2 : 16;
		fixed = xrealloc(fixed, cap_fixed * sizeof(*fixed));
	}
	return fixed[n_fixed++] = buf_detach(&b);
}

/* A string member, NULL when absent or not a string. */
const char *
sj_str(struct json_object *o, const char *key)
{
	struct json_object *v = sj_get(o, key);

	return v && json_object_is_type(v, json_type_string) ? sj_cstr(v) :
	    NULL;
}

/* An integer member (ids may come as strings), 0 when absent. */
int64_t
sj_int(struct json_object *o, const char *key)
{
	struct json_object *v = sj_get(o, key);

	if (v == NULL)
		return 0;
	switch (json_object_get_type(v)) {
	case json_type_int:
		return json_object_get_int64(v);
	case json_type_string: {
		const char *s = json_object_get_string(v);
		char *end;
		long long n = strtoll(s, &end, 10);
		return end != s && *end == '\0' ? (int64_t)n : 0;
	}
	default:
		return 0;
	}
}

int
sj_bool(struct json_object *o, const char *key, int dflt)
{
	struct json_object *v = sj_get(o, key);

	return v ? json_object_get_boolean(v) != 0 : dflt;
}

int64_t
sj_time(struct json_object *o, const char *key)
{
	const char *s = sj_str(o, key);
	int64_t t;

	return s && time_parse_iso(s, &t) == 0 ? t : 0;
}

struct json_object *
sj_array(struct json_object *o, const char *key)
{
	struct json_object *v = sj_get(o, key);

	return v && json_object_is_type(v, json_type_array) ? v : NULL;
}

/* The plain members of a record by one table (sync_int.h). */
void
sj_read(struct json_object *o, void *rec, const struct sj_member *m,
    size_t n)
{
	char *p = rec;

	for (size_t i = 0; i < n; i++) {
		void *at = p + m[i].off;

		switch (m[i].kind) {
		case SJ_STR:
			*(const char **)at = sj_str(o, m[i].key);
			break;
		case SJ_INT:
			*(int64_t *)at = sj_int(o, m[i].key);
			break;
		case SJ_TIME:
			*(int64_t *)at = sj_time(o, m[i].key);
			break;
		case SJ_FLAG_ON:
		case SJ_FLAG_OFF:
			*(int *)at = sj_bool(o, m[i].key,
			    m[i].kind == SJ_FLAG_ON);
			break;
		}
	}
}

/* --- pages ----------------------------------------------------------- */

/*
 * The last answer parsed for the engine, kept so that its page check, its
 * page info and its ingest parse it once (they parsed a list page three
 * times, a comments page twice: most of a full sync's CPU). Keyed by the
 * answer's length and a hash of all of its bytes, not by its address, so
 * a new answer in a reused buffer is never mistaken for the old one.
 * Main thread only (import's reader thread uses sj_parse).
 */
static struct {
	struct json_object *root;
	size_t len;
	uint64_t hash;
} memo;

static uint64_t
answer_hash(const char *p, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001B3ull;
	return h ^ (h >> 29);
}

void
sj_memo_drop(void)
{
	json_object_put(memo.root);
	memset(&memo, 0, sizeof(memo));
}

/* sj_parse_net through the memo: *out is borrowed (valid until the next
 * call or memo_drop). */
static int
sj_parse_kept(const char *json, size_t len, struct json_object **out,
    struct tdesk_err *err)
{
	uint64_t h = answer_hash(json ? json : "", len);

	if (memo.root != NULL && memo.len == len && memo.hash == h) {
		*out = memo.root;
		return 0;
	}
	sj_memo_drop();
	if (sj_parse_net(json, len, out, err) < 0)
		return -1;
	memo.root = *out;
	memo.len = len;
	memo.hash = h;
	return 0;
}

/* An answer that is not JSON is a network failure to the engine (it
 * retries); to `tdesk import` it is a bad file. */
int
sj_parse_net(const char *json, size_t len, struct json_object **out,
    struct tdesk_err *err)
{
	if (sj_parse(json, len, out, err) < 0) {
		if (err)
			err->kind = TDESK_ENETWORK;
		return -1;
	}
	return 0;
}

int
sync_json_get(const char *json, size_t len, const char *path, char **out,
    struct tdesk_err *err)
{
	struct json_object *root, *v;
	char key[64];
	const char *p = path;
	int found = 0;

	*out = NULL;
	if (sj_parse_net(json, len, &root, err) < 0)
		return -1;
	v = root;
	if (strncmp(p, "$.", 2) == 0)
		p += 2;
	while (v && *p) {
		size_t n = strcspn(p, ".");
		if (n >= sizeof(key))
			n = sizeof(key) - 1;
		memcpy(key, p, n);
		key[n] = '\0';
		v = sj_get(v, key);
		p += n;
		if (*p == '.')
			p++;
	}
	if (v != NULL) {
		found = 1;
		if (json_object_is_type(v, json_type_boolean))
			*out = xstrdup(json_object_get_boolean(v) ? "1" : "0");
		else if (json_object_is_type(v, json_type_string))
			*out = xstrdup(json_object_get_string(v));
		else
			*out = xstrdup(json_object_to_json_string_ext(v,
			    JSON_C_TO_STRING_PLAIN));
	}
	json_object_put(root);
	return found;
}

/* The page info of a parsed answer (any thread: no NUL copies). */
static int
page_info_of(struct json_object *root, const char *key,
    struct sync_page_info *pi, struct tdesk_err *err)
{
	struct json_object *items, *meta, *cur;

	memset(pi, 0, sizeof(*pi));
	if ((items = sj_array(root, key)) == NULL)
		return err_set(err, TDESK_ENETWORK, "the server's answer has "
		    "no \"%s\"", key);
	pi->n = (int64_t)json_object_array_length(items);
	meta = sj_get(root, "meta");
	pi->has_more = sj_bool(meta, "has_more", 0);
	cur = sj_get(meta, "after_cursor");
	if (cur != NULL && json_object_is_type(cur, json_type_string))
		pi->after_cursor = xstrdup(json_object_get_string(cur));
	return 0;
}

int
sync_page_info(const char *json, size_t len, const char *key,
    struct sync_page_info *pi, struct tdesk_err *err)
{
	struct json_object *root;

	memset(pi, 0, sizeof(*pi));
	if (sj_parse_kept(json, len, &root, err) < 0)
		return -1;
	return page_info_of(root, key, pi, err);
}

int
sync_page_parse(const char *json, size_t len, const char *key,
    struct json_object **root, struct sync_page_info *pi,
    struct tdesk_err *err)
{
	memset(pi, 0, sizeof(*pi));
	if (sj_parse_net(json, len, root, err) < 0)
		return -1;
	if (page_info_of(*root, key, pi, err) < 0) {
		json_object_put(*root);
		*root = NULL;
		return -1;
	}
	return 0;
}

void
sync_page_info_clear(struct sync_page_info *pi)
{
	free(pi->after_cursor);
	memset(pi, 0, sizeof(*pi));
}

int
sync_page_check(const char *json, size_t len, const char *key,
    struct tdesk_err *err)
{
	struct json_object *root;

	if (sj_parse_kept(json, len, &root, err) < 0)
		return -1;
	if (sj_get(root, key) == NULL)
		return err_set(err, TDESK_ENETWORK, "the server's answer has "
		    "no \"%s\"", key);
	return 0;
}

/* --- mapping ----------------------------------------------------------- */

/* A value as text: strings as they are, lists joined with ", ",
 * booleans as yes/no. Uses tmp; NULL for null or empty. */
static const char *
value_text(struct json_object *v, struct buf *tmp)
{
	if (v == NULL)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
		return sj_cstr(v);
	case json_type_boolean:
		return json_object_get_boolean(v) ? "yes" : "no";
	case json_type_array:
		buf_reset(tmp);
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			const char *s = NULL;
			if (json_object_is_type(e, json_type_string))
				s = sj_cstr(e);
			else if (json_object_is_type(e, json_type_int) ||
			    json_object_is_type(e, json_type_double))
				s = json_object_get_string(e);
			if (s == NULL)
				continue;
			if (tmp->len)
				buf_adds(tmp, ", ");
			buf_adds(tmp, s);
		}
		buf_addc(tmp, '\0');
		return tmp->data[0] ? tmp->data : NULL;
	case json_type_int:
	case json_type_double:
		return json_object_get_string(v);
	default:
		return NULL;
	}
}

struct mapper {
	struct store_batch *b;
	/* reused per ticket */
	const char **tags;
	size_t cap_tags;
	struct store_sla_rec *slas;
	size_t cap_slas;
	struct store_field_value *fields;
	size_t cap_fields;
	struct buf *vals;	/* one per field value */
	size_t cap_vals;
	struct store_attachment_rec *att;
	size_t cap_att;
	struct buf text;	/* the readable text of a body */
	struct buf voice;	/* a call's text */
	struct buf subject;	/* a subject on one line */
};

#define ENSURE(arr, cap, n) do {					\
	if ((n) > (cap)) {						\
		(cap) = (n) * 2;					\
		(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));	\
	}								\
} while (0)

static void
mapper_free(struct mapper *m)
{
	for (size_t i = 0; i < m->cap_vals; i++)
		buf_free(&m->vals[i]);
	free(m->vals);
	free(m->tags);
	free(m->slas);
	free(m->fields);
	free(m->att);
	buf_free(&m->text);
	buf_free(&m->voice);
	buf_free(&m->subject);
}

#define U struct store_user_rec
static const struct sj_member user_members[] = {
	SJ_M(U, id, SJ_INT), SJ_M(U, name, SJ_STR), SJ_M(U, email, SJ_STR),
	SJ_M(U, role, SJ_STR), SJ_M(U, locale, SJ_STR),
	SJ_M(U, organization_id, SJ_INT),
};
#undef U

static int
map_user(struct mapper *m, struct json_object *u, struct tdesk_err *err)
{
	struct store_user_rec r = { 0 };
	struct json_object *tags = sj_array(u, "tags");

	sj_read(u, &r, user_members, ARRAY_LEN(user_members));
	for (size_t i = 0; tags && i < json_object_array_length(tags); i++) {
		struct json_object *t = json_object_array_get_idx(tags, i);
		if (json_object_is_type(t, json_type_string) &&
		    strcasecmp(json_object_get_string(t), "vip") == 0)
			r.vip = 1;
	}
	return store_batch_user(m->b, &r, err);
}

#define T struct store_ticket_rec
static const struct sj_member ticket_members[] = {
	SJ_M(T, id, SJ_INT), SJ_M(T, subject, SJ_STR),
	SJ_M(T, description, SJ_STR), SJ_M(T, status, SJ_STR),
	SJ_M(T, priority, SJ_STR), SJ_M(T, type, SJ_STR),
	SJ_M(T, requester_id, SJ_INT), SJ_M(T, assignee_id, SJ_INT),
	SJ_M(T, group_id, SJ_INT), SJ_M(T, organization_id, SJ_INT),
	SJ_M(T, created_at, SJ_TIME), SJ_M(T, updated_at, SJ_TIME),
};
#undef T

static int
map_ticket(struct mapper *m, struct json_object *t, struct tdesk_err *err)
{
	struct store_ticket_rec r = { 0 };
	struct json_object *via = sj_get(t, "via"), *a, *sat;
	size_t n;

	sj_read(t, &r, ticket_members, ARRAY_LEN(ticket_members));
	r.description = zd_readable(&m->text, r.description, NULL, 0);
	r.subject = zd_one_line(&m->subject, r.subject);
	r.channel = sj_str(via, "channel");
	/* integrations (Telegram, WhatsApp...) arrive as any_channel, the
	 * network named in via.source.rel */
	if (r.channel && strcmp(r.channel, "any_channel") == 0 &&
	    sj_str(sj_get(via, "source"), "rel"))
		r.channel = sj_str(sj_get(via, "source"), "rel");
	if ((a = sj_array(t, "tags")) != NULL) {
		n = json_object_array_length(a);
		ENSURE(m->tags, m->cap_tags, n);
		for (size_t i = 0; i < n; i++) {
			struct json_object *g = json_object_array_get_idx(a, i);
			if (json_object_is_type(g, json_type_string))
				m->tags[r.n_tags++] = json_object_get_string(g);
		}
		r.tags = m->tags;
	}
	if ((a = sj_array(sj_get(t, "slas"), "policy_metrics")) != NULL) {
		n = json_object_array_length(a);
		ENSURE(m->slas, m->cap_slas, n);
		for (size_t i = 0; i < n; i++) {
			struct json_object *p = json_object_array_get_idx(a, i);
			struct store_sla_rec *s = &m->slas[r.n_slas++];
			s->metric = sj_str(p, "metric");
			s->stage = sj_str(p, "stage");
			s->breach_at = sj_time(p, "breach_at");
		}
		r.slas = m->slas;
	}
	if ((a = sj_array(t, "custom_fields")) != NULL ||
	    (a = sj_array(t, "fields")) != NULL) {
		n = json_object_array_length(a);
		ENSURE(m->fields, m->cap_fields, n);
		if (n > m->cap_vals) {
			m->vals = xrealloc(m->vals, n * sizeof(*m->vals));
			memset(m->vals + m->cap_vals, 0, (n - m->cap_vals) *
			    sizeof(*m->vals));
			m->cap_vals = n;
		}
		for (size_t i = 0; i < n; i++) {
			struct json_object *f = json_object_array_get_idx(a, i);
			const char *v = value_text(sj_get(f, "value"),
			    &m->vals[i]);
			if (v == NULL || sj_int(f, "id") <= 0)
				continue;
			m->fields[r.n_fields].field_id = sj_int(f, "id");
			m->fields[r.n_fields++].value = v;
		}
		r.fields = m->fields;
	}
	if ((sat = sj_get(t, "satisfaction_rating")) != NULL) {
		const char *score = json_object_is_type(sat, json_type_object) ?
		    sj_str(sat, "score") : NULL;
		if (score && strcmp(score, "unoffered") != 0) {
			r.satisfaction = score;
			r.satisfaction_comment = sj_str(sat, "comment");
		}
	}
	return store_batch_ticket(m->b, &r, err);
}

#define C struct store_comment_rec
#define A struct store_attachment_rec
static const struct sj_member comment_members[] = {
	SJ_M(C, id, SJ_INT), SJ_M(C, author_id, SJ_INT),
	SJ_M(C, created_at, SJ_TIME), SJ_M(C, public, SJ_FLAG_ON),
	/* body reads as the agent wrote it; plain_body is Zendesk's
	 * rendering of the HTML, with stray spaces and blank lines */
	SJ_M(C, body, SJ_STR), SJ_K(C, html, "html_body", SJ_STR),
}, attachment_members[] = {
	SJ_M(A, id, SJ_INT), SJ_K(A, name, "file_name", SJ_STR),
	SJ_K(A, type, "content_type", SJ_STR), SJ_M(A, size, SJ_INT),
	SJ_K(A, url, "content_url", SJ_STR),
};
#undef C
#undef A

static int
map_comment(struct mapper *m, int64_t ticket_id, struct json_object *c,
    struct tdesk_err *err)
{
	struct store_comment_rec r = { 0 };
	struct json_object *a;
	const char *kind;

	sj_read(c, &r, comment_members, ARRAY_LEN(comment_members));
	/* body as written; else the HTML (email, rich text), else the
	 * plain_body Zendesk rendered from it */
	if (!zd_blank(r.body))
		r.body = zd_readable(&m->text, r.body, NULL, 0);
	else if (!zd_blank(r.html))
		r.body = zd_readable(&m->text, NULL, r.html, 0);
	else
		r.body = zd_readable(&m->text, sj_str(c, "plain_body"), NULL,
		    1);
	if ((kind = sj_str(c, "type")) != NULL &&
	    strcmp(kind, "VoiceComment") == 0)
		r.body = zd_voice_text(&m->voice, sj_get(c, "data"), r.body);
	if ((a = sj_array(c, "attachments")) != NULL) {
		size_t n = json_object_array_length(a);
		ENSURE(m->att, m->cap_att, n);
		for (size_t i = 0; i < n; i++) {
			struct json_object *o = json_object_array_get_idx(a, i);
			const char *scan = sj_str(o, "malware_scan_result");
			memset(&m->att[i], 0, sizeof(m->att[i]));
			sj_read(o, &m->att[i], attachment_members,
			    ARRAY_LEN(attachment_members));
			/* Zendesk found malware in it: said where its type
			 * goes, and no download (Zendesk blocks it too) */
			if (scan && strcmp(scan, "malware_found") == 0 &&
			    !sj_bool(o, "malware_access_override", 0)) {
				m->att[i].type = "malware found by Zendesk";
				m->att[i].url = NULL;
			}
		}
		r.n_attachments = n;
		r.attachments = m->att;
	}
	return store_batch_comment(m->b, ticket_id, &r, err);
}

static int
each(struct mapper *m, struct json_object *arr,
    int (*fn)(struct mapper *, struct json_object *, struct tdesk_err *),
    struct tdesk_err *err)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);
		if (json_object_is_type(o, json_type_object) &&
		    fn(m, o, err) < 0)
			return -1;
	}
	return 0;
}

static int
map_group(struct mapper *m, struct json_object *g, struct tdesk_err *err)
{
	struct store_group_rec r = { sj_int(g, "id"), sj_str(g, "name") };

	return store_batch_group(m->b, &r, err);
}

static int
map_org(struct mapper *m, struct json_object *o, struct tdesk_err *err)
{
	struct store_org_rec r = { sj_int(o, "id"), sj_str(o, "name") };

	return store_batch_org(m->b, &r, err);
}

static int
map_field(struct mapper *m, struct json_object *f, struct tdesk_err *err)
{
	struct store_field_rec r = { sj_int(f, "id"), sj_str(f, "title"),
	    sj_str(f, "type") };

	if (r.name == NULL)
		r.name = sj_str(f, "raw_title");
	return store_batch_field(m->b, &r, err);
}

/*
 * Search and export results mix kinds: each entry says what it is in
 * result_type. Tickets are tickets; users, groups and organisations are
 * what they are; anything else (articles, entries) is not ours.
 */
static int
map_result(struct mapper *m, struct json_object *o, struct tdesk_err *err)
{
	const char *kind = sj_str(o, "result_type");

	if (kind == NULL || strcmp(kind, "ticket") == 0)
		return map_ticket(m, o, err);
	if (strcmp(kind, "user") == 0)
		return map_user(m, o, err);
	if (strcmp(kind, "group") == 0)
		return map_group(m, o, err);
	if (strcmp(kind, "organization") == 0)
		return map_org(m, o, err);
	return 0;
}

/* One page into an open batch. */
static int
map_page(struct mapper *m, struct json_object *root, int64_t comments_of,
    struct tdesk_err *err)
{
	struct json_object *one;

	if (!json_object_is_type(root, json_type_object))
		return err_set(err, TDESK_ENETWORK, "unexpected JSON from the "
		    "server: not an object");
	/* who and what the tickets name come first */
	if (each(m, sj_array(root, "organizations"), map_org, err) < 0 ||
	    each(m, sj_array(root, "users"), map_user, err) < 0 ||
	    each(m, sj_array(root, "groups"), map_group, err) < 0 ||
	    each(m, sj_array(root, "ticket_fields"), map_field, err) < 0)
		return -1;
	if ((one = sj_get(root, "user")) != NULL &&
	    json_object_is_type(one, json_type_object) &&
	    map_user(m, one, err) < 0)
		return -1;
	if (each(m, sj_array(root, "tickets"), map_ticket, err) < 0 ||
	    each(m, sj_array(root, "results"), map_result, err) < 0)
		return -1;
	if ((one = sj_get(root, "ticket")) != NULL &&
	    json_object_is_type(one, json_type_object) &&
	    map_ticket(m, one, err) < 0)
		return -1;
	if (comments_of > 0) {
		struct json_object *a = sj_array(root, "comments");
		for (size_t i = 0; a && i < json_object_array_length(a); i++) {
			struct json_object *c = json_object_array_get_idx(a, i);
			if (json_object_is_type(c, json_type_object) &&
			    map_comment(m, comments_of, c, err) < 0)
				return -1;
		}
	}
	return 0;
}

int
sync_zendesk_ingest_pages(struct store *st, char *const *pages,
    const size_t *lens, size_t n, int64_t comments_of,
    struct store_ingest_stats *stats, struct tdesk_err *err)
{
	struct mapper m = { 0 };
	struct json_object *root = NULL;
	size_t i;

	if ((m.b = store_batch_begin(st, stats, err)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		/* parsed already when the engine looked at the page */
		if (sj_parse_kept(pages[i], lens[i], &root, err) < 0) {
			if (err)
				err->kind = TDESK_EGENERIC;
			root = NULL;
			goto fail;
		}
		if (map_page(&m, root, comments_of, err) < 0) {
			root = NULL;
			sj_memo_drop();
			goto fail;
		}
		root = NULL;
		sj_memo_drop();
		sj_fixed_free();
		if (stats)
			stats->bytes += (int64_t)lens[i];
	}
	if (comments_of > 0 && store_batch_comments_done(m.b, comments_of,
	    err) < 0)
		goto fail;
	mapper_free(&m);
	return store_batch_end(m.b, err);
fail:
	json_object_put(root);
	sj_fixed_free();
	store_batch_abort(m.b);
	mapper_free(&m);
	return -1;
}

int
sync_zendesk_ingest_roots(struct store *st, struct json_object *const *roots,
    const size_t *lens, size_t n, int64_t comments_of,
    struct store_ingest_stats *stats, struct tdesk_err *err)
{
	struct mapper m = { 0 };
	int rc = 0;

	if ((m.b = store_batch_begin(st, stats, err)) == NULL)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = map_page(&m, roots[i], comments_of, err);
		sj_fixed_free();
		if (stats)
			stats->bytes += (int64_t)lens[i];
	}
	if (rc == 0 && comments_of > 0)
		rc = store_batch_comments_done(m.b, comments_of, err);
	mapper_free(&m);
	if (rc < 0) {
		store_batch_abort(m.b);
		return -1;
	}
	return store_batch_end(m.b, err);
}

int
sync_zendesk_ingest(struct store *st, const char *json, size_t len,
    int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err)
{
	char *p = (char *)(uintptr_t)json;

	return sync_zendesk_ingest_pages(st, &p, &len, 1, comments_of, stats,
	    err);
}

/* One parsed page into a batch of its own, committed (tdesk import,
 * sync/zendesk_import.c): -1 when the page does not map (err says why),
 * -2 when the batch could not be committed. */
int
zd_ingest_tree(struct store *st, struct json_object *root,
    int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err)
{
	struct mapper m = { 0 };
	int rc = 0;

	if ((m.b = store_batch_begin(st, stats, err)) == NULL ||
	    map_page(&m, root, comments_of, err) < 0 ||
	    (comments_of > 0 && store_batch_comments_done(m.b,
	    comments_of, err) < 0)) {
		if (m.b)
			store_batch_abort(m.b);
		rc = -1;
	} else if (store_batch_end(m.b, err) < 0) {
		rc = -2;
	}
	sj_fixed_free();
	mapper_free(&m);
	return rc;
}
