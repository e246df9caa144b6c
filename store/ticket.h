/* SPDX-License-Identifier: MIT */
/*
 * Tickets and queries (store/query.c, store/ticket.c): the query language
 * of `tdesk list` and the UI, tickets listed, counted and read, their
 * comments and attachments' metadata.
 */
#ifndef TDESK_STORE_TICKET_H
#define TDESK_STORE_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"
#include "store/outbox.h"

struct store;

struct store_query;

/*
 * Parse the query language shared by `tdesk list` and the UI (see
 * tdesk(1)). An empty string matches every ticket. On error, err->msg
 * reads "query:COL: message" with a 1-based column.
 */
struct store_query *store_query_parse(const char *text, struct tdesk_err *err);
void store_query_free(struct store_query *q);

/*
 * A ticket as the list and the ticket view show it. One ownership rule:
 * its strings are const for every reader. The ticket store_list hands a
 * callback is borrowed for the call (its strings are the row being read);
 * keep it with store_ticket_dup. A ticket filled by store_ticket_get or
 * store_ticket_dup owns its strings: free them with store_ticket_clear.
 */
struct store_ticket {
	int64_t id;
	const char *subject;
	const char *description; /* first comment; only filled by _get */
	const char *status;
	const char *priority;	/* "" when none */
	const char *type;	/* "" when none */
	const char *channel;
	const char *requester;	/* email, or name, or "" */
	const char *requester_name;
	const char *requester_locale;
	const char *assignee;	/* name or "" */
	const char *group;	/* name or "" */
	const char *tags;	/* space separated */
	const char *lang;	/* "en", "zh", ... */
	int vip;
	int urgent;
	int64_t created_at;
	int64_t updated_at;
	int64_t sla_breach_at;	/* 0 when no active SLA target */
	int pending;		/* actions waiting in the outbox */
	int conflict;		/* an outbox action needs the agent */
	/* only filled by _get (NULL otherwise) */
	const char *organization; /* the requester's organisation, or "" */
	const char *satisfaction; /* "good", "bad", "offered" or "" */
	const char *satisfaction_comment;
	const char *fields;	/* custom fields, "NAME: VALUE\n" lines */
	/* triage (store/triage.h) */
	const char *category;	/* "" until classified */
	int incident;		/* a security incident */
	int is_new;		/* the customer wrote since the agent looked */
	int64_t waiting_since;	/* oldest unanswered customer message, 0 */
};

/* A copy of src in dst that owns its strings (NULL stays NULL). */
void store_ticket_dup(struct store_ticket *dst,
    const struct store_ticket *src);
/* Free the strings of an owned ticket and set them to NULL. */
void store_ticket_clear(struct store_ticket *t);

enum store_order {
	STORE_ORDER_URGENT = 0,	/* SLA breach time, priority, age */
	STORE_ORDER_UPDATED,	/* most recently updated first */
	STORE_ORDER_ID,
};

struct store_list_opts {
	enum store_order order;
	int64_t offset;
	int64_t limit;		/* 0: no limit */
	int from_end;		/* count offset from the last row, and give
				 * the rows last first (a window near the end
				 * without walking the whole list) */
};

/* Called per row; the ticket is borrowed for the call. Return non-zero
 * to stop early (store_list then returns 0). */
typedef int (*store_ticket_fn)(const struct store_ticket *t, void *arg);

/* The tickets q matches (NULL: all) in opts' order and window (opts may
 * be NULL: urgent order, no window), each to fn; store_count counts them.
 * 0, or -1 with err (kind USAGE when the search text cannot be used). */
int store_list(struct store *st, const struct store_query *q,
    const struct store_list_opts *opts, store_ticket_fn fn, void *arg,
    struct tdesk_err *err);
int store_count(struct store *st, const struct store_query *q, int64_t *n,
    struct tdesk_err *err);

/* 1 and fills t (caller clears) when found, 0 when not, -1 on error. */
int store_ticket_get(struct store *st, int64_t id, struct store_ticket *t,
    struct tdesk_err *err);

struct store_comment {
	int64_t id;		/* negative: local, waiting in the outbox */
	int64_t ticket_id;
	const char *author;	/* name or email */
	int author_is_agent;
	const char *body;
	int public;
	int64_t created_at;
	int local;		/* a copy of an outbox action's comment */
	enum store_outbox_state state;	/* that action's (if local) */
};

/* Called per comment, borrowed for the call; non-zero stops. */
typedef int (*store_comment_fn)(const struct store_comment *c, void *arg);

/* An attachment's metadata (the file stays on the server). */
struct store_attachment {
	int64_t id;
	int64_t comment_id;
	int64_t ticket_id;
	const char *name;	/* sanitised at ingest; not yet a safe path */
	const char *type;
	int64_t size;
	const char *url;
};
typedef int (*store_attachment_fn)(const struct store_attachment *a,
    void *arg);
/* The attachments of a ticket, by comment then id. */
int store_attachments(struct store *st, int64_t ticket_id,
    store_attachment_fn fn, void *arg, struct tdesk_err *err);
/* One attachment by id: 1 found, 0 not, -1 error. */
int store_attachment_get(struct store *st, int64_t id,
    store_attachment_fn fn, void *arg, struct tdesk_err *err);
/* Comments of a ticket, oldest first. */
int store_comments(struct store *st, int64_t ticket_id, store_comment_fn fn,
    void *arg, struct tdesk_err *err);

#endif
