/* SPDX-License-Identifier: MIT */
/*
 * The one path of every multi-item write: tdesk reply, note and set on
 * many tickets, the UI's ';' actions, macro apply, and outbox drop, keep
 * and edit all run through store_multi_run, so they share its checks,
 * its all-or-nothing rule and the audit rows of the item writers.
 */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

static int
stopped(const struct store_multi *b, struct tdesk_err *err)
{
	if (b->stop && *b->stop)
		return err_set(err, TDESK_EINTR, "%s stopped by a signal: "
		    "nothing was written", b->what);
	return 0;
}

int
store_multi_run(struct store *st, const int64_t *ids, size_t n,
    struct store_multi *b, struct tdesk_err *err)
{
	struct tdesk_err first = { 0 }, e;
	int began = 0;

	b->n_bad = 0;
	b->n_done = 0;
	if (n == 0)
		return err_set(err, TDESK_EUSAGE, "%s: nothing to do",
		    b->what);
	/* the checks run under the write lock, so what they saw still
	 * holds when the items are written */
	if (!b->check_only) {
		if (store_begin(st, err) < 0)
			return -1;
		began = 1;
	}
	for (size_t i = 0; i < n; i++) {
		int r;

		if (stopped(b, err) < 0)
			goto fail;
		memset(&e, 0, sizeof(e));
		r = b->check(st, ids[i], b->arg, &e);
		if (r < 0 && e.kind != TDESK_EUSAGE && e.kind !=
		    TDESK_ENOTFOUND && e.kind != TDESK_ECONFLICT) {
			/* the database failed, not the item */
			*err = e;
			goto fail;
		}
		if (r <= 0) {
			if (e.kind == TDESK_EOK)
				err_set(&e, TDESK_ENOTFOUND, "%s: item %lld "
				    "not found", b->what, (long long)ids[i]);
			if (b->n_bad++ == 0)
				first = e;
		}
	}
	if (b->n_bad) {
		if (b->n_bad == 1)
			*err = first;
		else
			err_set(err, first.kind, "%s (and %zu more of %zu)",
			    first.msg, b->n_bad - 1, n);
		goto fail;
	}
	if (b->check_only)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int64_t r;

		if (stopped(b, err) < 0)
			goto fail;
		/* each item in its own savepoint: a writer that fails
		 * unwinds its own rows before the whole batch goes */
		if (store_begin(st, err) < 0)
			goto fail;
		r = b->write(st, ids[i], b->arg, err);
		if (r <= 0) {
			if (r == 0 && err->kind == TDESK_EOK)
				err_set(err, TDESK_ENOTFOUND, "%s: item %lld "
				    "is gone", b->what, (long long)ids[i]);
			store_rollback(st);
			goto fail;
		}
		if (store_commit(st, err) < 0)
			goto fail;
		b->n_done++;
		if (b->done)
			b->done(ids[i], r, b->arg);
	}
	if (stopped(b, err) < 0)
		goto fail;
	began = 0;
	if (store_commit(st, err) < 0) {
		b->n_done = 0;
		return -1;
	}
	return 0;
fail:
	if (began)
		store_rollback(st);
	b->n_done = 0;
	return -1;
}

/* --- the same change to many tickets ------------------------------------ */

struct tickets_arg {
	const struct store_change *ch;
	int64_t *outbox_ids;
	size_t at;
};

static int
ticket_check(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT status = 'closed' FROM"
	    " tickets WHERE id = ?1", err);
	int64_t closed = -1;

	(void)arg;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (store_step_int(st, s, &closed, err) < 0)
		return -1;
	return store_ticket_changeable(id, closed < 0 ? NULL : closed ?
	    "closed" : "open", err);
}

static int64_t
ticket_write(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	struct tickets_arg *a = arg;
	int64_t r = store_action(st, id, a->ch, err);

	if (r > 0 && a->outbox_ids)
		a->outbox_ids[a->at++] = r;
	return r;
}

int
store_write_tickets(struct store *st, const int64_t *ids, size_t n,
    const struct store_change *ch, const volatile sig_atomic_t *stop,
    int64_t *outbox_ids, struct tdesk_err *err)
{
	struct tickets_arg a = { ch, outbox_ids, 0 };
	struct store_multi b = {
		.what = "write", .check = ticket_check, .write = ticket_write,
		.arg = &a, .stop = stop,
	};

	if (store_change_check(st, ch, err) < 0)
		return -1;
	return store_multi_run(st, ids, n, &b, err);
}
