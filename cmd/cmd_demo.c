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

static const char usage[] = "demo [--reset] [--tickets n]";

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
exec_demo(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_demo_entry;
	const struct cmd_entry *e = &cmd_demo_entry;
	struct tdesk_err err = { 0 };
	int reset = 0, tickets = DEMO_TICKETS, empty, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reset")) {
			reset = 1;
		} else if (!strcmp(argv[i], "--tickets") && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 1 || v > 1000000)
				return cmd_usage_error(e, "--tickets takes 1 "
				    "to 1000000");
			tickets = (int)v;
		} else {
			return cmd_usage_error(e, "unknown argument '%s'",
			    argv[i]);
		}
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
		char *text = cmd_data_file("demo/text.yaml",
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
	.usage = usage,
	.summary = "create a demo desk and open it (no server needed)",
	.flags = 0,
	.exec = exec_demo,
};
