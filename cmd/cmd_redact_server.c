/* SPDX-License-Identifier: MIT */
/*
 * tdesk redact --server TICKET [COMMENT]: queue the removal, on the
 * server, of the secrets tdesk already redacted from a ticket's comments
 * in the replica (an outbox action, sent by the next sync). Only on the
 * agent's word: tdesk flags and suggests, never redacts on its own.
 */
#include "cmd/cmd.h"
#include "cmd/config.h"
#include "store/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cmd_redact_server(struct cmd_ctx *ctx, const struct cmd_entry *e,
    const struct cmd_args *a)
{
	const struct config_desk *d = config_desk_find(ctx->cfg,
	    ctx->desk_name);
	struct tdesk_err err = { 0 };
	int64_t ticket, comment = 0, *ids = NULL;
	size_t n = 0;

	if (cmd_opt(a, "message") || cmd_opt(a, "file"))
		return cmd_usage_error(e, "--server takes a ticket (and a "
		    "comment id), not a text");
	if (a->argc < 1 || a->argc > 2 || cmd_parse_id(a->argv[0], &ticket) <
	    0 || (a->argc == 2 && cmd_parse_id(a->argv[1], &comment) < 0))
		return cmd_usage_error(e, "--server needs a ticket id and, "
		    "optionally, a comment id");
	if (d && d->backend && strcmp(d->backend, "rt") == 0) {
		fprintf(stderr, "tdesk redact: desk '%s' is on RT, which has "
		    "no API to redact a comment: nothing was queued (an RT "
		    "administrator can remove it on the server)\n",
		    ctx->desk_name);
		return EXIT_USAGE;
	}
	if (cmd_open_desk(ctx, 0, &err) < 0 ||
	    store_redact_server(ctx->st, ticket, comment, &ids, &n, &err) < 0)
		return cmd_fail(&err);
	if (n == 0)
		printf("#%lld: the redaction is already queued\n",
		    (long long)ticket);
	for (size_t i = 0; i < n; i++)
		printf("queued #%lld: redact on the server (outbox %lld); "
		    "'tdesk sync' sends it\n", (long long)ticket,
		    (long long)ids[i]);
	free(ids);
	return EXIT_OK;
}
