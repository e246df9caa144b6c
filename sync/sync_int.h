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

#include <pthread.h>

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
	int64_t date;			/* the server's Date (Unix s), 0 none */
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
/* Forget every request not started yet (a run that stops). */
void http_drop_queued(struct http *h);
/* Hold every new request until the time given (after a 429). */
void http_hold(struct http *h, int64_t until);
/* Requests sent so far and 429 answers received. */
int64_t http_sent(const struct http *h);
int64_t http_throttled(const struct http *h);
/* An HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT") as Unix seconds, or 0
 * when v is not one. */
int64_t http_parse_date(const char *v, size_t vlen);
/* Append s percent-encoded to b (RFC 3986 unreserved kept): one encoder
 * for every backend's query strings. */
void http_add_escaped(struct buf *b, const char *s);
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

/* --- JSON (zendesk_map.c; json-c is used only in sync/) ---------------- */

struct json_object;
/* Parse an answer: strict JSON, valid UTF-8, nesting <= 64, < 2 GB. */
int sj_parse(const char *json, size_t len, struct json_object **out,
    struct tdesk_err *err);
/* The same with a tokener kept for many parses (json_tokener_free). */
struct json_tokener;
struct json_tokener *sj_tokener(void);
int sj_parse_with(struct json_tokener *tok, const char *json, size_t len,
    struct json_object **out, struct tdesk_err *err);
/* The same, failing with TDESK_ENETWORK (the engine retries those). */
int sj_parse_net(const char *json, size_t len, struct json_object **out,
    struct tdesk_err *err);
/* Members of an object; NULL/0 when absent, null or of another type.
 * sj_int reads ids given as strings too. Strings are borrowed from the
 * document (or, with an escaped NUL, valid until sj_fixed_free). */
struct json_object *sj_get(struct json_object *o, const char *key);
struct json_object *sj_array(struct json_object *o, const char *key);
const char *sj_str(struct json_object *o, const char *key);
int64_t sj_int(struct json_object *o, const char *key);
int sj_bool(struct json_object *o, const char *key, int dflt);
void sj_fixed_free(void);
/* One parsed page into a committed batch of its own (tdesk import): -1
 * when it does not map, -2 when the commit failed. */
/* sync/zendesk_body.c: whether s is NULL or white space only; a body's
 * readable text (plain as written and tidied, HTML as text; unindent:
 * plain is Zendesk's plain_body); a call's text from its data; a subject
 * on one line. Each result is s itself or lives in b. */
int zd_blank(const char *s);
const char *zd_readable(struct buf *b, const char *plain, const char *html,
    int unindent);
const char *zd_voice_text(struct buf *b, struct json_object *data,
    const char *body);
const char *zd_one_line(struct buf *b, const char *s);
int zd_ingest_tree(struct store *st, struct json_object *root,
    int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err);
/* A time member (ISO 8601) as Unix seconds, 0 when absent. */
int64_t sj_time(struct json_object *o, const char *key);
/*
 * The plain members of a record, read from a JSON object by one table
 * (key, how to read it, where it goes) instead of a run of assignments
 * in each mapper: users, tickets, comments, attachments, macros and
 * articles are filled by sj_read.
 */
enum sj_kind { SJ_STR, SJ_INT, SJ_TIME, SJ_FLAG_ON, SJ_FLAG_OFF };
struct sj_member {
	const char *key;
	enum sj_kind kind;	/* SJ_FLAG_*: a bool, and its default */
	size_t off;		/* const char *, int64_t or int member */
};
#define SJ_M(rec, member, kind) { #member, kind, offsetof(rec, member) }
#define SJ_K(rec, member, key, kind) { key, kind, offsetof(rec, member) }
void sj_read(struct json_object *o, void *rec, const struct sj_member *m,
    size_t n);
/* Forget the last answer the engine had parsed (kept so that checking,
 * paging and ingesting an answer parse it once). */
void sj_memo_drop(void);


/* One page of a cursor-paginated list, items under key. */
struct sync_page_info {
	int has_more;		/* meta.has_more is true */
	char *after_cursor;	/* meta.after_cursor or NULL */
	int64_t n;		/* items on the page */
};
int sync_page_info(const char *json, size_t len, const char *key,
    struct sync_page_info *pi, struct tdesk_err *err);
void sync_page_info_clear(struct sync_page_info *pi);
/* Parse a page without the engine's memo (on any thread): its root
 * (caller frees) and page info; -1 with err (TDESK_ENETWORK) when it is
 * not JSON or has no key array. */
int sync_page_parse(const char *json, size_t len, const char *key,
    struct json_object **root, struct sync_page_info *pi,
    struct tdesk_err *err);
/* Whether json is JSON with key at its top: 0, or -1 with err. */
int sync_page_check(const char *json, size_t len, const char *key,
    struct tdesk_err *err);

/* --- backends -------------------------------------------------------- */

struct backend_me {
	int64_t id;
	char *name;
	char *email;
	char *role;
};

/*
 * A helpdesk as the engine sees it: paths to ask, how to map the answers
 * into the replica (ingest: the backend's own JSON to store_batch_*
 * records) and how to turn an outbox row into a request (push_request,
 * audits_find, conflict_check). The engine (sync.c) knows no wire
 * format. Paths and bodies are newly allocated. Lists use cursor
 * pagination; a NULL cursor asks for the first page.
 */
struct backend {
	const char *name;
	char *(*me_path)(void);
	/* 0 and me, or -1: TDESK_EAUTH when the identity is not an agent */
	int (*me_parse)(const char *json, size_t len,
	    struct backend_me *me, struct tdesk_err *err);
	/* the agent's tickets, newest change first, size a page (<= 100);
	 * items under list_key */
	char *(*assigned_path)(int64_t me, const char *cursor, int size);
	const char *list_key;
	/* count of the agent's tickets, or NULL if the backend cannot */
	char *(*assigned_count_path)(int64_t me);
	int (*count_parse)(const char *json, size_t len,
	    int64_t *n, struct tdesk_err *err);
	/* a group's open tickets changed since (0: all); items under
	 * queue_key */
	char *(*queue_path)(const char *group, int64_t since,
	    const char *cursor);
	const char *queue_key;
	char *(*show_many_path)(const int64_t *ids, size_t n);
	int max_show_many;
	char *(*ticket_path)(int64_t id);
	char *(*comments_path)(int64_t id, const char *cursor);
	/* the newest comments first (one page), for the 409 check */
	char *(*recent_comments_path)(int64_t id);
	/* the ticket's audits, page (from 1) of the log, newest first
	 * where the server honours it */
	char *(*audits_path)(int64_t id, int page);
	/* the request that applies an outbox row's change on top of stamp;
	 * fresh is the ticket as read at that stamp, or NULL */
	int (*push_request)(struct store *st,
	    const struct store_outbox_row *row, const char *stamp,
	    const char *fresh, size_t fresh_len, struct http_req **out,
	    struct tdesk_err *err);
	/* 1: a change of tags is sent as the whole list, so it goes only
	 * on a stamp whose ticket was just read (fresh) */
	int tags_need_fresh;
	/* whether an audits_path answer holds the action with client_id:
	 * 1 yes, 0 no, -1 unreadable */
	int (*audits_find)(const char *json, size_t len,
	    const char *client_id, struct tdesk_err *err);
	/* where to ask the server to redact a string in a comment
	 * (body {"text": ...}); NULL when the backend cannot */
	char *(*redact_path)(int64_t ticket, int64_t comment);
	/* the server's words from an error answer (one line, sanitised),
	 * or NULL */
	char *(*error_text)(const char *json, size_t len);
	/*
	 * After a 409: compare the fresh ticket (ticket_path) and its newest
	 * comments (recent_comments_path) with what the agent saw when
	 * acting (row->undo, row->seen_updated_at). 1 and *why ("conflict:
	 * ...") when the action collides, 0 when it can be re-sent on the
	 * new stamp, -1 on an unreadable answer.
	 */
	int (*conflict_check)(struct store *st, const char *ticket,
	    size_t ticket_len, const char *comments, size_t comments_len,
	    const struct store_outbox_row *row, int64_t me_id, char **why,
	    struct tdesk_err *err);
	/*
	 * Answers: the agent's active macros and the help-center articles
	 * of each locale in locales (NULL-terminated), read by
	 * answers_ingest. A list
	 * ends at meta.has_more == false (cursor pages) or at next_page ==
	 * null (offset pages, whose next_page URL must be on the desk).
	 */
	char *(*macros_path)(const char *cursor, int size);
	const char *macros_key;
	char *(*articles_path)(const char *locale, const char *cursor,
	    int size);
	const char *articles_key;
	const char *const *locales;
	/* map one page of macros (macros != 0) or articles into the
	 * replica (store_macro_put_remote, store_faq_put_article) */
	int (*answers_ingest)(struct store *st, int macros, const char *json,
	    size_t len, struct tdesk_err *err);
	/* the custom fields' definitions (id -> name), items under
	 * fields_key; NULL when the backend has none */
	char *(*fields_path)(void);
	const char *fields_key;
	/* Map n answers (ticket pages, search results, or one ticket's
	 * comment pages when comments_of > 0) into the replica in one
	 * batch. */
	int (*ingest)(struct store *st, char *const *pages,
	    const size_t *lens, size_t n, int64_t comments_of,
	    struct store_ingest_stats *stats, struct tdesk_err *err);
	/* The same for answers parsed already (sync_page_parse; lens their
	 * sizes): the engine's helper threads parse them. */
	int (*ingest_roots)(struct store *st, struct json_object *const *roots,
	    const size_t *lens, size_t n, int64_t comments_of,
	    struct store_ingest_stats *stats, struct tdesk_err *err);
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

/* --- the engine (sync.c) ----------------------------------------------- */

/* One run of sync_run: what the pull (sync.c) and push (push.c) share. */
struct engine {
	struct store *st;
	const struct sync_opts *o;
	const struct backend *be;
	struct http *h;
	struct sync_stats *stats;
	int64_t me;
	unsigned rng;
	int max_attempts;
	int fatal;			/* stop: auth or config trouble */
	struct tdesk_err ferr;		/* the fatal error */
	char trouble[400];		/* the last answer worth a retry */
};

/* How a finished request went. */
enum outcome {
	OUT_OK,			/* 2xx, complete */
	OUT_RETRY,		/* try again later */
	OUT_NOTFOUND,		/* 404 */
	OUT_FAIL,		/* permanent for this request */
	OUT_FATAL,		/* stop the run (auth, redirect) */
};

/* A progress line (when the caller asked for them). */
void eng_note(struct engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Stop the run with err (the first one wins). */
void eng_fatal(struct engine *e, const struct tdesk_err *err);
/* Full jitter backoff for the attempt; Retry-After (capped) a minimum. */
int64_t eng_backoff(struct engine *e, int attempt, long retry_after);
/* The server's complaint for humans, one line. */
void eng_describe(struct engine *e, const struct http_req *r, char *out,
    size_t n);
enum outcome eng_classify(struct engine *e, const struct http_req *r,
    struct tdesk_err *err);
/* Wait for r alone (submitting it unless running), retrying what can be
 * retried; with key, the body must be a page with that array. 0, or -1
 * with err (a fatal answer also stops the run). */
int eng_fetch_wait(struct engine *e, struct http_req *r, int running,
    const char *key, struct tdesk_err *err);
int eng_fetch(struct engine *e, struct http_req *r, const char *key,
    struct tdesk_err *err);

/* --- pull.c, pull_ahead.c, answers.c ---------------------------------- */

/* zendesk_map.c: ingest_roots of the Zendesk backend */
int sync_zendesk_ingest_roots(struct store *st, struct json_object *const *roots,
    const size_t *lens, size_t n, int64_t comments_of,
    struct store_ingest_stats *stats, struct tdesk_err *err);
/* pull_comments.c: fetch the comments of the n tickets of todo and write
 * them with their marks; *incomplete when some kept failing. 0, or -1
 * (the run's fatal error is set). */
int pull_comments_fetch(struct engine *e, const struct store_sync_todo *todo,
    size_t n, int *incomplete, struct tdesk_err *err);

/* The path of a list's page after cursor (NULL: the first). */
typedef char *(*list_path_fn)(struct engine *e, const void *arg,
    const char *cursor);
/* A list walk's open transaction: pages share one for up to 250 ms. */
struct list_txn {
	int in_txn;
	int64_t last_commit;
	int64_t pages;
};
/* One page into the replica (from the answer r, or from root when r is
 * NULL), within lt's transaction; the ids seen are recorded when seen. */
int list_page_store(struct engine *e, struct list_txn *lt,
    struct http_req *r, struct json_object *root, size_t len,
    const char *key, int seen, struct store_ingest_stats *is,
    struct tdesk_err *err);
/* End lt's transaction (commit); rc stays when the walk failed. */
int list_txn_end(struct engine *e, struct list_txn *lt, int rc,
    struct tdesk_err *err);
/*
 * Parsed trees a writer thread is done with, handed back to the helper
 * thread that parsed them, which frees them (its memory: freeing them
 * there keeps the writer's time for writing). mu guards the bin.
 */
#define TREE_BIN_MAX 64
struct tree_bin {
	struct json_object *t[TREE_BIN_MAX];
	size_t n;
};
/* The writer: put n trees in the bin; what does not fit it frees. */
void tree_bin_put(pthread_mutex_t *mu, struct tree_bin *b,
    struct json_object *const *t, size_t n);
/* The helper: free what the bin holds. */
void tree_bin_empty(pthread_mutex_t *mu, struct tree_bin *b);

/* A whole list (no stop) with a thread fetching and parsing the next
 * page while this one maps and writes the last (pull_ahead.c). */
int walk_list_ahead(struct engine *e, list_path_fn pathf, const void *arg,
    const char *key, int seen, int64_t *max_updated, struct tdesk_err *err);

/* Pull the changed tickets and their comments, then the answers when
 * due. 0, or -1 with err. */
int pull_run(struct engine *e, struct tdesk_err *err);
/* Refresh the remote macros and articles (stats->macros/articles -1 on
 * failure, which is noted, not fatal). */
int pull_answers(struct engine *e, struct tdesk_err *err);

/* --- push.c ------------------------------------------------------------ */

/* Push the outbox exactly once (see push.c). 0, or -1 with err when the
 * run had to stop (credentials, database). */
int push_outbox(struct engine *e, struct tdesk_err *err);
/* The REDACT actions (sync/redact_push.c), before the others. */
int push_redactions(struct engine *e, struct tdesk_err *err);

/* zendesk_push.c */
int zd_push_request(struct store *st, const struct store_outbox_row *row,
    const char *stamp, const char *fresh, size_t fresh_len,
    struct http_req **out, struct tdesk_err *err);
int zd_audits_find(const char *json, size_t len, const char *client_id,
    struct tdesk_err *err);
char *zd_error_text(const char *json, size_t len);
int zd_conflict_check(struct store *st, const char *ticket,
    size_t ticket_len, const char *comments, size_t comments_len,
    const struct store_outbox_row *row, int64_t me_id, char **why,
    struct tdesk_err *err);

#endif
