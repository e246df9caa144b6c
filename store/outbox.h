/* SPDX-License-Identifier: MIT */
/*
 * Local actions and the outbox (store/outbox.c, store/outbox_undo.c,
 * store/batch.c): every agent action is applied to the replica and queued
 * with a client id and the stamp the agent saw, in one transaction, and
 * audited; sync/ pushes the queue and settles each action's state.
 *
 * States and kinds are enums; their names (the words in the outbox table,
 * in `tdesk outbox` and in the audit log) are spelled once, in the lists
 * below, and converted only at the SQL and output boundary.
 *
 * Adding a kind of action is a one-place change in store/: its tail in
 * STORE_OUTBOX_KINDS below and its word beside it (STORE_OUTBOX_x_NAME:
 * stored in outbox.kind, shown, and its audit action); then the writer that
 * queues it (store_action, or a new one beside it) names it. The backends
 * build their requests from the change (struct store_outbox_change), not
 * from the kind: a kind whose effect the change cannot say (say, redacting
 * a comment on the server) also needs its columns (a migration in
 * store/db.c, read in outbox_rows) and a branch in each backend's
 * push_request (sync/zendesk_push.c, sync/rt.c).
 */
#ifndef TDESK_STORE_OUTBOX_H
#define TDESK_STORE_OUTBOX_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

struct store;

/*
 * The life of an action: PENDING until a copy is about to leave,
 * INFLIGHT while it may be on its way (or a sync was cut short), then
 * DONE (the server has it), FAILED (refused for good) or CONFLICT (the
 * ticket changed under it: the agent keeps, edits or drops it). Keep and
 * edit put a FAILED or CONFLICT action back to PENDING.
 */
#define STORE_OUTBOX_STATES(X) \
	X(PENDING) X(INFLIGHT) X(DONE) X(FAILED) X(CONFLICT)
#define STORE_OUTBOX_PENDING_NAME "pending"
#define STORE_OUTBOX_INFLIGHT_NAME "inflight"
#define STORE_OUTBOX_DONE_NAME "done"
#define STORE_OUTBOX_FAILED_NAME "failed"
#define STORE_OUTBOX_CONFLICT_NAME "conflict"

/* What an action does (UPDATE and MACRO may change fields and carry a
 * comment as well). */
#define STORE_OUTBOX_KINDS(X) \
	X(REPLY) X(NOTE) X(UPDATE) X(MACRO) X(REDACT) X(CATEGORY)
#define STORE_OUTBOX_REPLY_NAME "reply"	/* a public comment only */
#define STORE_OUTBOX_NOTE_NAME "note"	/* an internal note only */
#define STORE_OUTBOX_UPDATE_NAME "update" /* fields, maybe a comment */
#define STORE_OUTBOX_MACRO_NAME "macro"	/* what a macro did */
#define STORE_OUTBOX_REDACT_NAME "redact" /* a comment's secrets removed on
				 * the server (store/outbox_redact.c) */
/* the agent's category, sent as a custom field (store/triage.c) */
#define STORE_OUTBOX_CATEGORY_NAME "category"

#define STORE_OUTBOX_ENUM_(e) STORE_OUTBOX_##e,
enum store_outbox_state {
	STORE_OUTBOX_STATES(STORE_OUTBOX_ENUM_)
	STORE_OUTBOX_N_STATES
};
enum store_outbox_kind {
	STORE_OUTBOX_KINDS(STORE_OUTBOX_ENUM_)
	STORE_OUTBOX_N_KINDS
};
#undef STORE_OUTBOX_ENUM_

/* The word for a state or kind (static; "?" for a value out of range). */
const char *store_outbox_state_name(enum store_outbox_state s);
const char *store_outbox_kind_name(enum store_outbox_kind k);
/* 1 and *out when name is a state's (kind's) word, 0 when it is not. */
int store_outbox_state_parse(const char *name, enum store_outbox_state *out);
int store_outbox_kind_parse(const char *name, enum store_outbox_kind *out);
/* Whether an action in state still waits to reach the server (and its
 * change still shows in the replica): every state but DONE. */
int store_outbox_state_live(enum store_outbox_state s);

/* A change to a ticket's fields; NULL members are left alone. "" clears
 * assignee or group. Tags are lists of names. */
struct store_change {
	const char *status;
	const char *priority;
	const char *type;
	const char *assignee;	/* "me", "none"/"", user id, email or name */
	const char *group;	/* group name or id, "" or "none" clears */
	const char **add_tags;
	size_t n_add;
	const char **remove_tags;
	size_t n_remove;
	const char *comment;	/* optional comment sent with the change */
	int comment_public;
	const char *macro;	/* name of the macro that produced this */
	const char *faq;	/* id of the FAQ answer the comment began as */
	const char *category;	/* the agent's category ("" back to the
				 * rules), sent as custom field
				 * category_field (store/triage.c) */
	int64_t category_field;
	const char *guard_override; /* reason to queue a public comment
				 * the reply guard blocks (audited) */
};

/*
 * Apply the change to the replica and queue it in the outbox, with a
 * fresh client id and the ticket's updated_at as seen, in one
 * transaction, and record it in the audit log. Returns the outbox id,
 * 0 when the ticket does not exist (err says so, kind NOTFOUND) or -1.
 */
int64_t store_action(struct store *st, int64_t ticket_id,
    const struct store_change *ch, struct tdesk_err *err);
/* Validate a change without touching anything (for --dry-run). */
int store_change_check(struct store *st, const struct store_change *ch,
    struct tdesk_err *err);

/*
 * One multi-item write. Every write that touches more than one ticket or
 * outbox action goes through store_multi_run: tdesk reply, note and set,
 * the UI's ';' actions, macro apply, outbox drop, keep and edit.
 *
 * The rule is all or nothing. Under the write lock, check runs for every
 * item first (the ticket exists and is open to changes, the action waits
 * in a state that allows it); if any item fails, nothing is written and
 * err gives the first failure, with "(and N more of M)" when several
 * failed. Then write runs for each item, each in its own savepoint inside
 * one transaction, and the audit rows are the item writers' own (one per
 * ticket or action, the same from the CLI and the UI). A failure of any
 * write (the database, a full disk, a locked replica) or a non-zero *stop
 * (a signal) rolls the whole batch back: a rerun starts it again from
 * nothing. Returns 0, or -1 with err (kinds NOTFOUND, USAGE, CONFLICT for
 * the items; BUSY, NOSPACE, READONLY, INTR, GENERIC for the rest).
 */
struct store_multi {
	const char *what;	/* names the job in messages */
	/* 1 when the item may be written, 0 not found, -1 not allowed
	 * (err says why; kinds other than NOTFOUND, USAGE and CONFLICT
	 * are database failures and stop the batch at once) */
	int (*check)(struct store *st, int64_t id, void *arg,
	    struct tdesk_err *err);
	/* > 0 written (e.g. the outbox id), 0 gone, -1 error */
	int64_t (*write)(struct store *st, int64_t id, void *arg,
	    struct tdesk_err *err);
	/* optional: each item written (before the commit) */
	void (*done)(int64_t id, int64_t result, void *arg);
	void *arg;
	const volatile sig_atomic_t *stop;	/* may be NULL */
	int check_only;		/* run the checks only (dry run) */
	size_t n_bad;		/* out: items that failed their check */
	size_t n_done;		/* out: items written (0 unless committed) */
};
int store_multi_run(struct store *st, const int64_t *ids, size_t n,
    struct store_multi *b, struct tdesk_err *err);

/* store_action for each of n tickets through store_multi_run (all or
 * nothing); outbox_ids (may be NULL) gets the n new action ids. */
int store_write_tickets(struct store *st, const int64_t *ids, size_t n,
    const struct store_change *ch, const volatile sig_atomic_t *stop,
    int64_t *outbox_ids, struct tdesk_err *err);

/*
 * tdesk's own change, as the outbox keeps it (in columns; each backend
 * turns it into its request). Names are resolved to ids.
 */
struct store_outbox_change {
	const char *status;	/* NULL: unchanged */
	const char *priority;	/* NULL: unchanged, "": clear */
	const char *type;	/* NULL: unchanged, "": clear */
	int64_t assignee_id;	/* -1: unchanged, 0: clear */
	int64_t group_id;	/* -1: unchanged, 0: clear */
	const char *add_tags;	/* space separated, "" none */
	const char *remove_tags;
	const char *comment;	/* NULL: none; as the agent wrote it */
	int comment_public;
};
/* A copy that owns its strings; free with store_outbox_change_free. */
void store_outbox_change_dup(struct store_outbox_change *dst,
    const struct store_outbox_change *src);
void store_outbox_change_free(struct store_outbox_change *c);

struct store_outbox_row {
	int64_t id;
	char client_id[37];
	int64_t ticket_id;
	enum store_outbox_kind kind;
	enum store_outbox_state state;
	const char *summary;	/* one line for humans */
	struct store_outbox_change ch;	/* what to send */
	const char *error;	/* "" unless failed or conflict */
	const char *seen_updated_at;	/* ISO stamp the agent saw */
	const char *undo;	/* the fields' values before, as a JSON object
				 * of status, priority, type, assignee_id,
				 * group_id, tags (tdesk's own) */
	const char *sent_stamp;	/* stamp of the last copy sent, "" none */
	int64_t created_at;
	int attempts;		/* copies sent (or about to be) so far */
	int64_t comment_id;	/* REDACT: the server's comment, else 0 */
};

typedef int (*store_outbox_fn)(const struct store_outbox_row *r, void *arg);
/* Rows not yet done (all rows if all != 0), oldest first. */
int store_outbox_list(struct store *st, int all, store_outbox_fn fn,
    void *arg, struct tdesk_err *err);
/* 1 found, 0 not found, -1 error. */
int store_outbox_get(struct store *st, int64_t id, store_outbox_fn fn,
    void *arg, struct tdesk_err *err);
/* Drop a not-yet-sent action and undo exactly what it changed in the
 * replica, keeping the effects of later actions on the same ticket. 1
 * dropped, 0 not found (or already sent), -1 error (an action being sent
 * cannot be dropped: kind CONFLICT). */
int store_outbox_drop(struct store *st, int64_t id, struct tdesk_err *err);
/* Mark a conflicting or failed action to be sent again (on the newest
 * stamp); with new_body (may be NULL) replacing the comment text, which
 * passes the reply guard again when public. 1 re-queued, 0 not in the
 * outbox, -1 error (kind USAGE when it is neither conflict nor failure). */
int store_outbox_retry(struct store *st, int64_t id, const char *new_body,
    struct tdesk_err *err);
/* Drop, or keep / edit (new_body not NULL), n actions through
 * store_multi_run: all or nothing. */
int store_outbox_drop_many(struct store *st, const int64_t *ids, size_t n,
    const volatile sig_atomic_t *stop, struct tdesk_err *err);
int store_outbox_retry_many(struct store *st, const int64_t *ids, size_t n,
    const char *new_body, const volatile sig_atomic_t *stop,
    struct tdesk_err *err);
/* Push bookkeeping for sync/: set an action's state and error text (NULL:
 * none). INFLIGHT counts an attempt; DONE, FAILED and CONFLICT are
 * audited ("sent", "failed", "conflict") in the same transaction. */
int store_outbox_set_state(struct store *st, int64_t id,
    enum store_outbox_state state, const char *error, struct tdesk_err *err);
/* How many actions are in state. */
int store_outbox_count(struct store *st, enum store_outbox_state state,
    int64_t *n, struct tdesk_err *err);
/*
 * Record, durably, that a copy of a pending or in-flight action is about
 * to be sent on stamp: state inflight, sent_stamp, attempts + 1. Call it
 * before the request leaves. 1 recorded, 0 the action is no longer
 * pending or in flight (dropped, done: do not send), -1 error.
 */
int store_outbox_mark_sent(struct store *st, int64_t id, const char *stamp,
    struct tdesk_err *err);

/*
 * store/outbox_redact.c. Queue REDACT actions for ticket's server
 * comments that carry a secret tdesk redacted (just comment_id when not
 * 0), one per comment not queued already, audited, in one transaction:
 * their outbox ids in *ids (caller frees; *n may be 0 when all were
 * queued before). -1 with err: NOTFOUND (no such ticket), USAGE (no such
 * comment holds a redacted secret). Only on an agent's request.
 */
int store_redact_server(struct store *st, int64_t ticket, int64_t comment_id,
    int64_t **ids, size_t *n, struct tdesk_err *err);
/* Whether s holds a marker the redactor writes ("[seed phrase redacted"). */
int store_has_redaction_marker(const char *s);

#endif
