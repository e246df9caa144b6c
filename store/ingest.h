/* SPDX-License-Identifier: MIT */
/*
 * The replica's typed writes (store/ingest.c): what every backend maps its
 * answers to.
 *
 * Vendor-neutral: no endpoint, page shape or wire field name is known here.
 * A backend (sync/zendesk_map.c, sync/rt.c) reads its own JSON and hands
 * the records below to a batch. Strings are NUL-terminated UTF-8 as the
 * server sent them (may be NULL: empty); customer text is sanitised at the
 * write, in one function of store/ingest.c (ingest_clean_text).
 */
#ifndef TDESK_STORE_INGEST_H
#define TDESK_STORE_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

struct store;

struct store_ingest_stats {
	int64_t tickets;	/* ticket records seen */
	int64_t written;	/* inserted or updated (newer or equal) */
	int64_t stale;		/* skipped: older than the stored copy */
	int64_t users;
	int64_t comments;
	int64_t bytes;		/* of the answers (counted by the backend) */
	int64_t max_updated;	/* newest updated_at seen (Unix seconds) */
	int64_t min_updated;	/* oldest updated_at seen, 0 if none */
	struct buf *ids;	/* if set: the ids of the tickets seen are
				 * appended as a JSON array, "[1,2]" */
};

struct store_user_rec {
	int64_t id;
	const char *name, *email;
	const char *role;	/* "end-user", "agent", "admin" */
	const char *locale;	/* "en-US", "zh-CN", "ja" ... */
	int64_t organization_id;
	int vip;
};

struct store_group_rec {
	int64_t id;
	const char *name;
};

struct store_org_rec {
	int64_t id;
	const char *name;
};

/* A custom field's definition (id -> name). */
struct store_field_rec {
	int64_t id;
	const char *name;
	const char *type;	/* "text", "checkbox", "tagger", ... */
};

struct store_sla_rec {
	const char *metric;	/* "first_reply_time", ... (plain words) */
	const char *stage;	/* "active", "paused", "achieved", "" */
	int64_t breach_at;	/* 0: none */
};

/* A custom field's value as text (lists joined with ", "). */
struct store_field_value {
	int64_t field_id;
	const char *value;
};

struct store_ticket_rec {
	int64_t id;
	const char *subject, *description;
	const char *status;	/* new open pending hold solved closed
				 * deleted, or a custom name */
	const char *priority, *type;
	const char *channel;	/* "email", "web", "telegram", ... */
	int64_t requester_id, assignee_id, group_id, organization_id;
	int64_t created_at, updated_at;
	const char *const *tags;
	size_t n_tags;
	const struct store_sla_rec *slas;
	size_t n_slas;
	const struct store_field_value *fields;
	size_t n_fields;
	const char *satisfaction;	/* "good", "bad", "offered", NULL */
	const char *satisfaction_comment;
};

struct store_attachment_rec {
	int64_t id;
	const char *name;
	const char *type;	/* content type */
	int64_t size;
	const char *url;
};

struct store_comment_rec {
	int64_t id;
	int64_t author_id;
	int64_t created_at;
	int public;
	const char *body;	/* plain text */
	const char *html;	/* NULL when the backend has none */
	const struct store_attachment_rec *attachments;
	size_t n_attachments;
};

/*
 * One batch of writes in one (nested) transaction with prepared
 * statements: all or nothing. Users, groups and organisations before the
 * tickets that name them (the language and VIP flag read the requester).
 * store_batch_end commits: tickets written get their derived rows (tags,
 * SLA targets, full text) marked for store_fts_refresh, and waiting local
 * actions re-applied on top; stats may be NULL.
 */
struct store_batch;
struct store_batch *store_batch_begin(struct store *st,
    struct store_ingest_stats *stats, struct tdesk_err *err);
int store_batch_user(struct store_batch *b, const struct store_user_rec *u,
    struct tdesk_err *err);
int store_batch_group(struct store_batch *b, const struct store_group_rec *g,
    struct tdesk_err *err);
int store_batch_org(struct store_batch *b, const struct store_org_rec *o,
    struct tdesk_err *err);
int store_batch_field(struct store_batch *b, const struct store_field_rec *f,
    struct tdesk_err *err);
int store_batch_ticket(struct store_batch *b, const struct store_ticket_rec *t,
    struct tdesk_err *err);
/* The comments of one ticket (a whole list or its newest page). */
int store_batch_comment(struct store_batch *b, int64_t ticket_id,
    const struct store_comment_rec *c, struct tdesk_err *err);
/* After a ticket's comments: drop local copies of sent replies. */
int store_batch_comments_done(struct store_batch *b, int64_t ticket_id,
    struct tdesk_err *err);
/* Commit (0) or, on error, roll back (-1); frees b either way. */
int store_batch_end(struct store_batch *b, struct tdesk_err *err);
/* Roll back and free (after an error of the caller's own). */
void store_batch_abort(struct store_batch *b);

/* Bring the full-text index up to date with tickets changed since. */
int store_fts_refresh(struct store *st, struct tdesk_err *err);
/* Merge the full-text index into one segment, after a bulk load (a
 * common word's first screen probes it per row: one segment is several
 * times cheaper to probe than a dozen). */
int store_fts_optimize(struct store *st, struct tdesk_err *err);

/* The language of a ticket from its text's script and the requester's
 * locale: "ja" for kana, "ko" for hangul, "zh" for Han only (unless the
 * locale is ja or ko), else the locale's language, else "en". */
const char *store_lang_detect(const char *text, size_t len,
    const char *locale, char out[8]);

#endif
