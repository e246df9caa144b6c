/* SPDX-License-Identifier: MIT */
/*
 * The shared path of every write from the command line: confirm bulk,
 * then apply one change to each ticket in one transaction, all or nothing,
 * or only describe it with --dry-run.
 */
#include "cmd/write.h"

#include <stdlib.h>
#include <string.h>

int
cmd_write_apply(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, const struct cmd_write_opts *o)
{
	struct tdesk_err err = { 0 };
	size_t missing = 0;
	int rc;

	if (n == 0) {
		fprintf(stderr, "tdesk %s: no ticket ids given\n", o->what);
		return EXIT_USAGE;
	}
	if (store_change_check(ctx->st, ch, &err) < 0)
		return cmd_fail(&err);
	if (o->dry_run)
		return cmd_write_dry_run(ctx, ids, n, ch, o);
	/* every id must exist before anything is queued */
	for (size_t i = 0; i < n; i++) {
		struct store_ticket t = { 0 };
		int found = store_ticket_get(ctx->st, ids[i], &t, &err);
		if (found < 0)
			return cmd_fail(&err);
		if (found == 0) {
			fprintf(stderr, "tdesk: no ticket %lld in desk '%s'\n",
			    (long long)ids[i], ctx->desk_name);
			missing++;
		} else if (o->dry_run) {
			printf("would %s #%lld %s\n", o->what,
			    (long long)ids[i], t.subject);
		}
		store_ticket_clear(&t);
	}
	if (missing) {
		fprintf(stderr, "tdesk: nothing was queued\n");
		return EXIT_NOTFOUND;
	}
	if (o->dry_run) {
		printf("dry run: %zu ticket%s, nothing queued\n", n,
		    n == 1 ? "" : "s");
		return EXIT_OK;
	}
	if ((rc = cmd_confirm_bulk(ctx, n, o->yes, o->what)) != 0)
		return rc;
	if (store_begin(ctx->st, &err) < 0)
		return cmd_fail(&err);
	for (size_t i = 0; i < n; i++) {
		if (store_action(ctx->st, ids[i], ch, &err) <= 0) {
			store_rollback(ctx->st);
			rc = cmd_fail(&err);
			fprintf(stderr, "tdesk: nothing was queued\n");
			return rc;
		}
	}
	if (store_commit(ctx->st, &err) < 0) {
		rc = cmd_fail(&err);
		fprintf(stderr, "tdesk: nothing was queued\n");
		return rc;
	}
	if (!o->quiet)
		fprintf(stderr, "queued %s for %zu ticket%s; 'tdesk sync' "
		    "sends it\n", o->what, n, n == 1 ? "" : "s");
	return EXIT_OK;
}
