/* SPDX-License-Identifier: MIT */
/*
 * The remote: pull the agent's tickets into the replica and push the
 * outbox exactly once. The only public header of sync/; cmd/ fills the
 * plain option structs from config.yaml.
 */
#ifndef TDESK_SYNC_H
#define TDESK_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Where the desk lives and how to authenticate; from the desk's config. */
struct sync_remote {
	const char *backend;		/* "zendesk" (NULL: zendesk) or "rt" */
	const char *url;		/* https://example.zendesk.com */
	const char *email;
	const char *user;		/* RT: the agent's user name */
	const char *token_env;		/* exactly one of these four */
	const char *token_cmd;
	const char *token_file;
	const char *oauth_token_cmd;	/* Bearer */
	char *const *groups;		/* group queues pulled besides assigned
					 * (RT: queues whose unowned tickets
					 * are pulled) */
	size_t n_groups;
};

enum sync_what {
	SYNC_PULL = 1 << 0,
	SYNC_PUSH = 1 << 1,
};

/* Called with one line of progress or of redacted HTTP trace. */
typedef void (*sync_note_fn)(void *arg, const char *line);

struct sync_opts {
	struct sync_remote remote;
	int what;			/* SYNC_PULL | SYNC_PUSH */
	sync_note_fn progress;		/* NULL: quiet */
	sync_note_fn trace;		/* NULL: no HTTP trace */
	void *arg;			/* passed to progress and trace */
	int parallel;			/* transfers at once, 0: default (8) */
	long connect_timeout_ms;	/* 0: 10 s */
	long low_speed_time_s;		/* abort below 64 B/s for this long;
					 * 0: 30 s */
	long max_wait_s;		/* cap on one Retry-After wait; 0: 60 */
	int max_attempts;		/* per action and run; 0: 8 */
	int answers_page;		/* macros/articles a page; 0: 100 */
	int answers_every;		/* seconds between refreshes of
					 * macros/articles; 0: every sync */
	int lock_wait_s;		/* wait this long for another sync
					 * of the replica to end; 0: not */
};

struct sync_stats {
	int64_t pulled;		/* tickets written into the replica */
	int64_t comments;	/* tickets whose comments were fetched */
	int64_t pushed;		/* actions the remote now holds */
	int64_t conflicts;	/* actions waiting for the agent */
	int64_t failed;		/* actions the remote refused */
	int64_t retries;	/* requests sent again (429, 503, unknown) */
	int64_t requests;
	int64_t duration_ms;
	int network_trouble;	/* some work left for the next run */
	/* remote macros and help-center articles, when pulled */
	int answers;		/* 1: the pull asked for them */
	int64_t macros;		/* macros now held, -1: old copy kept */
	int64_t articles;	/* article texts (one per locale), -1 same */
	char answers_error[320]; /* why a copy was kept, "" if none */
};

/*
 * Check the identity, push the outbox and pull changed tickets, as o->what
 * says. Returns 0 when the run completed (stats then say how many actions
 * conflict or failed), or -1 with err: TDESK_EAUTH when the credentials are
 * refused or are not an agent's, TDESK_ENETWORK when the remote cannot be
 * reached or keeps failing, TDESK_EUSAGE for a bad desk configuration,
 * TDESK_EBUSY when another process syncs the same replica (one at a time).
 * stats are filled in either case. Never prints.
 */
int sync_run(struct store *st, const struct sync_opts *o,
    struct sync_stats *stats, struct tdesk_err *err);

/* Whether url is acceptable for a desk: https, or http to a loopback host
 * (127.0.0.0/8, ::1, localhost). 0 or -1 with err (TDESK_EUSAGE). */
int sync_url_check(const char *url, struct tdesk_err *err);

/*
 * Download one attachment (url as the replica holds it) into out_fd: only
 * from the desk's own origin (scheme, host and port of remote->url), with
 * the desk's credentials, verified TLS, at most max_bytes (larger answers
 * are refused before or while they arrive), and at most one redirect,
 * followed without credentials. Nothing is written unless the whole body
 * arrived. *written is the byte count. 0, or -1 with err: TDESK_EUSAGE
 * (refused address or size), TDESK_EAUTH, TDESK_ENOTFOUND,
 * TDESK_ENETWORK, TDESK_ENOSPACE.
 */
int sync_fetch_attachment(const struct sync_remote *remote, const char *url,
    int64_t max_bytes, int out_fd, int64_t *written, struct tdesk_err *err);

/* Whether path may hold a token: a regular file owned by the user with no
 * group or other permissions. 0 or -1 with err (TDESK_EUSAGE). */
int sync_token_file_check(const char *path, struct tdesk_err *err);

/* Whether backend names a backend this tdesk speaks. */
int sync_backend_known(const char *backend);

/*
 * Map Zendesk API answers into the replica (the Zendesk backend's own
 * mapping, sync/zendesk_map.c): ticket pages ({"tickets"}, {"ticket"},
 * search {"results"} of any result_type) with their users, groups,
 * organisations and ticket fields; with comments_of > 0, one ticket's
 * {"comments"} pages. All pages in one transaction. `tdesk import` and
 * `tdesk demo` use it too, so there is one ingest path.
 */
int sync_zendesk_ingest(struct store *st, const char *json, size_t len,
    int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err);
int sync_zendesk_ingest_pages(struct store *st, char *const *pages,
    const size_t *lens, size_t n, int64_t comments_of,
    struct store_ingest_stats *stats, struct tdesk_err *err);
/* The same for n files (tdesk import), each its own batch: the next
 * files are read, parsed and classified on two reader threads while one
 * is written (sync/zendesk_import.c). Errors name the file. */
/* One page of Zendesk's {"macros":[...]} (macros != 0) or Help Center
 * {"articles":[...]} into the replica's remote macros / FAQ answers. */
int zd_answers_ingest(struct store *st, int macros, const char *json,
    size_t len, struct tdesk_err *err);
int sync_zendesk_import(struct store *st, char *const *paths, size_t n,
    int64_t comments_of, struct store_ingest_stats *stats,
    struct tdesk_err *err);

/* The value at path ("$.user.id") of a JSON text: 1 and *out (objects and
 * arrays as JSON text, booleans "1"/"0"), 0 when missing or null, -1 when
 * not JSON. For the commands that read JSON lines (classify, guard). */
int sync_json_get(const char *json, size_t len, const char *path,
    char **out, struct tdesk_err *err);

#endif
