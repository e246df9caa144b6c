/* SPDX-License-Identifier: MIT */
/*
 * --dry-run for every write: each ticket's change is really made, in a
 * transaction that is then rolled back, so the dry run passes every check
 * the real run does (a closed ticket is refused the same way) and shows
 * the exact change: each field before and after, and the queued action.
 */
#include "cmd/write.h"

#include <stdlib.h>
#include <string.h>

static int
row_summary(const struct store_outbox_row *r, void *arg)
{
	struct buf *b = arg;

	buf_adds(b, r->summary);
	return 0;
}

static void
field(const char *name, const char *before, const char *after)
{
	if (strcmp(before, after) != 0)
		printf("  %s: %s -> %s\n", name, *before ? before : "-",
		    *after ? after : "-");
}

/* Show one ticket's change; 0, or -1 with err when it is refused. */
static int
dry_one(struct cmd_ctx *ctx, int64_t id, const struct store_change *ch,
    const struct cmd_write_opts *o, struct tdesk_err *err)
{
	struct store_ticket was = { 0 }, now = { 0 };
	struct buf sum = BUF_INIT;
	int64_t action;
	int rc = -1;

	if (store_ticket_get(ctx->st, id, &was, err) != 1) {
		if (err->kind == TDESK_EOK)
			err_set(err, TDESK_ENOTFOUND, "no ticket %lld in desk "
			    "'%s'", (long long)id, ctx->desk_name);
		return -1;
	}
	if (store_begin(ctx->st, err) < 0)
		goto out;
	action = store_action(ctx->st, id, ch, err);
	if (action > 0 && store_ticket_get(ctx->st, id, &now, err) == 1 &&
	    store_outbox_get(ctx->st, action, row_summary, &sum, err) >= 0) {
		printf("would %s #%lld %s\n", o->what, (long long)id,
		    was.subject);
		field("status", was.status, now.status);
		field("priority", was.priority, now.priority);
		field("type", was.type, now.type);
		field("assignee", was.assignee, now.assignee);
		field("group", was.group, now.group);
		field("tags", was.tags, now.tags);
		if (sum.len)
			printf("  queues: %s\n", sum.data);
		rc = 0;
	}
	store_rollback(ctx->st);
out:
	store_ticket_clear(&was);
	store_ticket_clear(&now);
	buf_free(&sum);
	return rc;
}

int
cmd_write_dry_run(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, const struct cmd_write_opts *o)
{
	struct tdesk_err err = { 0 }, first = { 0 };
	size_t refused = 0;

	for (size_t i = 0; i < n; i++) {
		err_clear(&err);
		if (dry_one(ctx, ids[i], ch, o, &err) == 0)
			continue;
		if (refused++ == 0)
			first = err;
		fprintf(stderr, "tdesk: %s\n", err.msg);
	}
	if (refused) {
		fprintf(stderr, "tdesk: dry run: the real run would queue "
		    "nothing (%zu of %zu ticket%s refused)\n", refused, n,
		    n == 1 ? "" : "s");
		return cmd_exit_for(first.kind == TDESK_EOK ? TDESK_EGENERIC :
		    first.kind);
	}
	printf("dry run: %zu ticket%s, nothing queued\n", n,
	    n == 1 ? "" : "s");
	return EXIT_OK;
}
