/* SPDX-License-Identifier: MIT */
/*
 * What sync/ needs of the replica besides the typed writes
 * (store/sync_support.c, store/lock.c): the one-pusher lock, the set of
 * tickets a full pass saw, and which tickets' comments to fetch.
 */
#ifndef TDESK_STORE_SYNC_SUPPORT_H
#define TDESK_STORE_SYNC_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

struct store;

/*
 * One pusher per replica: an exclusive lock on "DB-sync.lock" beside the
 * database, held until store_sync_unlock or the process ends (a SIGKILL
 * releases it too). 1 taken, 0 another process holds it (its pid in
 * *holder when known, else 0), -1 error.
 */
struct store_lock;
int store_sync_lock(struct store *st, struct store_lock **out,
    long *holder, struct tdesk_err *err);
void store_sync_unlock(struct store_lock *l);

/* The set of ticket ids seen by a full pass of the assigned list. */
int store_sync_seen_reset(struct store *st, struct tdesk_err *err);
/* ids: a JSON array of ticket ids, as store_ingest_stats.ids collects */
int store_sync_seen_add(struct store *st, const char *ids, size_t len,
    struct tdesk_err *err);
/* Local tickets assigned to me_id that the pass did not see. */
int store_sync_unseen_assigned(struct store *st, int64_t me_id,
    int64_t **ids, size_t *n, struct tdesk_err *err);
int store_sync_count_assigned(struct store *st, int64_t me_id, int64_t *n,
    struct tdesk_err *err);
/* Whether the ticket is in the replica (1), not (0), -1 on error. */
int store_sync_ticket_known(struct store *st, int64_t id,
    struct tdesk_err *err);
/* Forget a ticket the remote no longer shows us (deleted, no access),
 * unless actions for it wait in the outbox. */
int store_sync_ticket_forget(struct store *st, int64_t id,
    struct tdesk_err *err);

/* Which tickets need their comments fetched: changed since they were last
 * fetched and updated at or after since; active ones first, most urgent
 * first. Solved and closed tickets only when inactive is set. */
struct store_sync_todo {
	int64_t id;
	int64_t updated_at;
};
int store_sync_comments_todo(struct store *st, int64_t since, int inactive,
    struct store_sync_todo **out, size_t *n, struct tdesk_err *err);
/* Record that the comments of id are current as of updated_at; with id 0,
 * mark every solved and closed ticket (first load skips their history). */
int store_sync_comments_mark(struct store *st, int64_t id,
    int64_t updated_at, struct tdesk_err *err);

#endif
