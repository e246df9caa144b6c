/* SPDX-License-Identifier: MIT */
/*
 * Internal to the Request Tracker backend: rt.c (the run, HTTP and JSON),
 * rt_map.c (RT's records in the replica's words), rt_pull.c and
 * rt_push.c. Never included outside sync/.
 */
#ifndef TDESK_RT_INT_H
#define TDESK_RT_INT_H

#include "sync/sync_int.h"

#include <json-c/json.h>
#include <string.h>
#include <stdlib.h>

#define RT_API "/REST/2.0"
#define RT_PER_PAGE 100
#define RT_MAX_PAGES 1000

/* One run against an RT desk: the engine's state (store, options,
 * client, stats, the agent's id, backoff) and the agent's RT user name. */
struct rt {
	struct engine e;
	char *me_name;
	long last_status;	/* HTTP status of rt_ask's last answer */
	char trouble[512];	/* why an action was left for later */
};

/* --- JSON (json-c): small helpers; RT sends ids as strings or numbers ---- */

typedef struct json_object JV;

#define J_FOREACH(a, i, v) \
	for ((i) = 0; (i) < j_len(a) && (((v) = j_at((a), (i))), 1); (i)++)

static inline JV *
j_get(const JV *o, const char *key)
{
	JV *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static inline int j_isstr(const JV *v) { return v && json_object_is_type(v, json_type_string); }
static inline int j_isarr(const JV *v) { return v && json_object_is_type(v, json_type_array); }
static inline int j_isobj(const JV *v) { return v && json_object_is_type(v, json_type_object); }

static inline const char *
j_strval(const JV *v)
{
	return j_isstr(v) ? json_object_get_string((JV *)v) : NULL;
}

static inline size_t
j_len(const JV *a)
{
	return j_isarr(a) ? json_object_array_length(a) : 0;
}

static inline JV *
j_at(const JV *a, size_t i)
{
	return j_isarr(a) ? json_object_array_get_idx(a, i) : NULL;
}

static inline JV *
j_new_str(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static inline JV *j_obj(void) { return json_object_new_object(); }
static inline JV *j_arr(void) { return json_object_new_array(); }

static inline const char *
jstr(const JV *o, const char *key)
{
	return j_strval(j_get(o, key));
}

/* A number, or a string of digits; 0 otherwise. */
int64_t rt_jint_val(const JV *v);

static inline int64_t
jint(const JV *o, const char *key)
{
	return rt_jint_val(j_get(o, key));
}

/* A time; RT's "1970-01-01T00:00:00Z" (unset) is 0. */
int64_t rt_jtime(const JV *o, const char *key);
/* Parse len bytes: strict, valid UTF-8 only, nesting bounded. NULL and
 * why (a short text) and where when it is not one JSON document. */
JV *rt_jparse(const char *data, size_t len, const char **why, size_t *at);
/* The compact text of v (caller frees). */
char *rt_jdump(JV *v);

/* --- rt.c: HTTP ---------------------------------------------------------- */

enum rt_outcome { RT_OK, RT_RETRY, RT_NOTFOUND, RT_CONFLICT, RT_FAIL,
    RT_FATAL };

/* Send r and wait for it. */
void rt_run(struct rt *rt, struct http_req *r, int64_t delay_ms);
/* How a finished request went, err filled when not RT_OK. */
enum rt_outcome rt_classify(const struct http_req *r, struct tdesk_err *err);
/*
 * Ask path (under RT_API) and parse the answer; retries what can be
 * retried. 0 and *out (and the answer's ETag in etag when given), -1 with
 * err (kind NOTFOUND for a 404).
 */
int rt_ask(struct rt *rt, const char *method, const char *path,
    const char *body, JV **out, char *etag, size_t etag_len,
    struct tdesk_err *err);
int rt_get(struct rt *rt, const char *path, JV **out, char *etag,
    size_t etag_len, struct tdesk_err *err);
/* Every page of a collection under path (which has a '?'), asked with
 * method and body (a JSON search is a POST that changes nothing), items
 * appended to all. */
int rt_get_all(struct rt *rt, const char *method, const char *path,
    const char *body, JV *all, struct tdesk_err *err);
/* A number kept in the replica's state (0 when unset). */
int64_t rt_state_int(struct rt *rt, const char *key);
int rt_state_set_int(struct rt *rt, const char *key, int64_t n,
    struct tdesk_err *err);

/* --- rt_map.c: RT's records in tdesk's words ----------------------------- */

const char *rt_status_from(const char *s);
const char *rt_status_to(const char *s);
const char *rt_priority_from(int64_t p);
int64_t rt_priority_to(const char *p);
/* An RT user object into the batch; its id in *id (0: none). */
int rt_put_user(struct store_batch *b, const JV *u, const char *role,
    int64_t *id, struct tdesk_err *err);
/* One RT ticket (a search item with expanded fields) into the batch. */
int rt_put_ticket(struct store_batch *b, const JV *t, struct tdesk_err *err);
/* Create, Correspond and Comment: the transactions that carry text. */
int rt_is_message(const char *type);
/* The role of a message's author (agent or end-user). */
const char *rt_author_role(struct rt *rt, const JV *creator,
    const char *type);

/* A ticket's messages: transactions (history) and the text of each,
 * {"txn id": [text, is_plain]}. */
struct rt_msgs {
	JV *txns;
	JV *text;
};

void rt_msgs_clear(struct rt_msgs *m);
/* Add the attachments' texts to m->text: the first text/plain part of a
 * transaction wins, HTML only without one. */
void rt_msgs_texts(struct rt_msgs *m, const JV *atts);
/* The text of transaction txn, or NULL. */
const char *rt_msg_text(const struct rt_msgs *m, int64_t txn);

/* --- rt_pull.c, rt_push.c ------------------------------------------------ */

int rt_pull(struct rt *rt, struct tdesk_err *err);
int rt_push(struct rt *rt, struct tdesk_err *err);

#endif
