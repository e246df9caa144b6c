/* SPDX-License-Identifier: MIT */
/*
 * Internal to sync/: the HTTP client (the only libcurl user), credential
 * loading and the backend interface the sync engine drives. Never
 * included outside sync/.
 */
#ifndef TDESK_SYNC_INT_H
#define TDESK_SYNC_INT_H

#include "store/store.h"
#include "sync/sync.h"

/* --- http.c ---------------------------------------------------------- */

struct http;

struct http_opts {
	const char *base_url;		/* checked by sync_url_check */
	const char *auth_header;	/* "Authorization: ..." (secret) */
	int parallel;
	long connect_timeout_ms;
	long low_speed_time_s;
	size_t max_body;		/* larger responses are refused */
	sync_note_fn trace;		/* redacted trace, or NULL */
	void *arg;
};

/* One request and, once http_next returned it, its outcome. */
struct http_req {
	/* set by the caller */
	const char *method;		/* "GET", "PUT" */
	char *path;			/* "/api/v2/...", owned */
	char *body;			/* owned, may be NULL */
	int64_t not_before;		/* do not start earlier (http_now) */
	void *owner;			/* for the caller */
	int tag;
	char *if_match;			/* If-Match value, owned, or NULL */
	/* filled by http_next */
	long status;			/* HTTP status, 0 if none arrived */
	struct buf resp;
	int failed;			/* transport failure (timeout, reset,
					 * truncated, too large) */
	int unreachable;		/* could not resolve or connect */
	char error[256];		/* what failed, for humans */
	long retry_after;		/* seconds from Retry-After, -1 none */
	char *location;			/* Location of a 3xx, or NULL */
	char etag[64];			/* ETag of the answer, "" if none */
	char content_type[64];		/* Content-Type, "" if none */
	char hdr_location[256];		/* Location of any answer, "" if none */
	/* private */
	void *easy;
	void *hdrs;			/* this request's header list */
	struct http_req *next;
	struct http *h;
	int too_large;
	long hdr_retry_after;
	long hdr_remaining;
};

/* Create a client. The auth header is copied into memory wiped by
 * http_free. NULL and err on failure. */
struct http *http_new(const struct http_opts *o, struct tdesk_err *err);
/* Load libcurl (once); every curl_* call of sync/ goes through it. */
int sync_curl_load(struct tdesk_err *err);

void http_free(struct http *h);
/* Milliseconds on a monotonic clock. */
int64_t http_now(void);
/* A request for path (copied); body (copied) may be NULL. */
struct http_req *http_req_new(const char *method, const char *path,
    const char *body);
void http_req_free(struct http_req *r);
/* Reset the outcome so the request can be submitted again. */
void http_req_rearm(struct http_req *r);
/* Queue r; it starts when a slot and the rate limit allow. */
void http_submit(struct http *h, struct http_req *r);
/* Run transfers until one finishes and return it (the caller owns it
 * again); NULL when nothing is queued or running. */
struct http_req *http_next(struct http *h);
/* Start what may start and move running transfers along, without
 * waiting. */
void http_poke(struct http *h);
/* Hold every new request until the time given (after a 429). */
void http_hold(struct http *h, int64_t until);
/* Requests sent so far and 429 answers received. */
int64_t http_sent(const struct http *h);
int64_t http_throttled(const struct http *h);
/* The base64 encoding of p (caller frees). */
char *http_base64(const char *p, size_t n);

/* --- token.c --------------------------------------------------------- */

/*
 * Read the credential the remote names and return the whole Authorization
 * header line for it in *out (wipe and free with token_free). Core dumps
 * are disabled while a token is held. -1 with err (TDESK_EAUTH or
 * TDESK_EUSAGE); the message never contains the token.
 */
int token_load(const struct sync_remote *r, char **out,
    struct tdesk_err *err);
void token_free(char *secret);

/* --- backends -------------------------------------------------------- */

struct backend_me {
	int64_t id;
	char *name;
	char *email;
	char *role;
};

/*
 * A helpdesk as the engine sees it: paths to ask and how to read the
 * answers into the replica. Paths and bodies are newly allocated. Lists
 * use cursor pagination; a NULL cursor asks for the first page.
 */
struct backend {
	const char *name;
	char *(*me_path)(void);
	/* 0 and me, or -1: TDESK_EAUTH when the identity is not an agent */
	int (*me_parse)(struct store *st, const char *json, size_t len,
	    struct backend_me *me, struct tdesk_err *err);
	/* the agent's tickets, newest change first, size a page (<= 100);
	 * items under list_key */
	char *(*assigned_path)(int64_t me, const char *cursor, int size);
	const char *list_key;
	/* count of the agent's tickets, or NULL if the backend cannot */
	char *(*assigned_count_path)(int64_t me);
	int (*count_parse)(struct store *st, const char *json, size_t len,
	    int64_t *n, struct tdesk_err *err);
	/* a group's open tickets changed since (0: all); items under
	 * queue_key, converted for ingest by store_sync_pages_merge */
	char *(*queue_path)(const char *group, int64_t since,
	    const char *cursor);
	const char *queue_key;
	char *(*show_many_path)(const int64_t *ids, size_t n);
	int max_show_many;
	char *(*ticket_path)(int64_t id);
	char *(*comments_path)(int64_t id, const char *cursor);
	/* the newest comments first (one page), for the 409 check */
	char *(*recent_comments_path)(int64_t id);
	char *(*audits_path)(int64_t id);
	/* the request that applies an outbox row on top of stamp */
	int (*push_request)(struct store *st,
	    const struct store_outbox_row *row, const char *stamp,
	    struct http_req **out, struct tdesk_err *err);
	/*
	 * Answers: the agent's active macros and the help-center articles
	 * of each locale in locales (NULL-terminated), in the shapes
	 * store_macros_ingest and store_faq_ingest_articles read. A list
	 * ends at meta.has_more == false (cursor pages) or at next_page ==
	 * null (offset pages, whose next_page URL must be on the desk).
	 */
	char *(*macros_path)(const char *cursor, int size);
	const char *macros_key;
	char *(*articles_path)(const char *locale, const char *cursor,
	    int size);
	const char *articles_key;
	const char *const *locales;
	/* a backend that drives its own run (RT): when set, sync_run calls
	 * it after setting up the client instead of the steps above */
	int (*run)(struct store *st, const struct sync_opts *o,
	    struct http *h, struct sync_stats *stats, struct tdesk_err *err);
};

extern const struct backend backend_zendesk;
extern const struct backend backend_rt;

/* --- rt.c: the whole run for a Request Tracker desk -------------------- */

/* Identity, push and pull against RT's REST 2.0 through h (already set
 * up with the desk's credentials); fills stats like sync_run. */
int rt_sync_run(struct store *st, const struct sync_opts *o, struct http *h,
    struct sync_stats *stats, struct tdesk_err *err);

#endif
