/* SPDX-License-Identifier: MIT */
/*
 * tdesk demo: a realistic desk to try tdesk offline. Creates (or reuses)
 * the desk named demo, then opens the queue; in a script it only prints
 * the desk's path.
 */
#include "cmd/cmd.h"
#include "sync/sync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_opt demo_opts[] = {
	{ 0, "reset", NULL, "start the demo desk afresh", 0, 0 },
	{ 0, "tickets", "n", "how many tickets a new demo desk gets (300)",
	    0, 0 },
	{ 0 }
};

#define DEMO_TICKETS 300
#define DEMO_SEED 20261122u

static int
desk_is_empty(struct store *st, int *empty, struct tdesk_err *err)
{
	struct store_query *q = store_query_parse("", err);
	int64_t n = 0;

	if (q == NULL)
		return -1;
	int rc = store_count(st, q, &n, err);
	store_query_free(q);
	*empty = n == 0;
	return rc;
}

static int
exec_demo(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct tdesk_err err = { 0 };
	int reset = cmd_flag(a, "reset"), tickets = DEMO_TICKETS, empty;
	const char *t = cmd_opt(a, "tickets");
	int rc;

	if (a->argc)
		return cmd_usage_error(e, "unknown argument '%s'", a->argv[0]);
	if (t) {
		char *end;
		long v = strtol(t, &end, 10);
		if (*end || v < 1 || v > 1000000)
			return cmd_usage_error(e, "--tickets takes 1 to "
			    "1000000");
		tickets = (int)v;
	}
	if (reset) {
		const char *sfx[] = { "", "-wal", "-shm" };
		for (size_t i = 0; i < ARRAY_LEN(sfx); i++) {
			char *p = xasprintf("%s%s", ctx->desk_path, sfx[i]);
			if (unlink(p) < 0 && errno != ENOENT) {
				fprintf(stderr, "tdesk: cannot remove '%s': "
				    "%s\n", p, strerror(errno));
				free(p);
				return EXIT_ERROR;
			}
			free(p);
		}
	}
	if (cmd_open_desk(ctx, 1, &err) < 0)
		return cmd_fail(&err);
	if (desk_is_empty(ctx->st, &empty, &err) < 0)
		return cmd_fail(&err);
	if (empty) {
		char *text = cmd_data_file(ctx, "demo/text.yaml",
		    "store/demo/text.yaml");

		store_bulk(ctx->st);
		rc = store_demo_fill(ctx->st, text, tickets, DEMO_SEED,
		    sync_zendesk_ingest, &err);
		free(text);
		if (rc < 0)
			return cmd_fail(&err);
		if (ctx->is_tty_out)
			fprintf(stderr, "created the demo desk: %d tickets\n",
			    tickets);
	}
	rc = cmd_content_refresh(ctx, 0);
	if (rc == 0)
		rc = cmd_content_refresh(ctx, 1);
	if (rc != 0)
		return rc;
	if (!ctx->is_tty_out || !ctx->is_tty_in) {
		printf("%s\n", ctx->desk_path);
		return EXIT_OK;
	}
	return cmd_run_ui(ctx, NULL);
}

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.summary = "create a demo desk and open it (no server needed)",
	.flags = CMD_DEMO_DESK,
	.opts = demo_opts,
	.exec = exec_demo,
};
