/* SPDX-License-Identifier: MIT */
/*
 * tdesk reply and tdesk note: a public reply or an internal note to one
 * ticket or many, from -m, a file, stdin or the agent's editor; queued in
 * the outbox until the next sync.
 */
#include "cmd/write.h"

#include <stdlib.h>
#include <string.h>

static const char reply_usage[] =
    "reply [-m text | -F file] [-s status] [--override reason] [--dry-run] "
    "[--yes] id ...";
static const char note_usage[] =
    "note [-m text | -F file] [-s status] [--dry-run] [--yes] id ...";

static int
exec_comment(struct cmd_ctx *ctx, int argc, char **argv,
    const struct cmd_entry *e, int public)
{
	struct cmd_write_opts o = { .what = public ? "reply" : "note" };
	struct store_change ch = { .comment_public = public };
	struct tdesk_err err = { 0 };
	const char *text = NULL, *file = NULL;
	char *body = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-m") || !strcmp(a, "--message")) {
			if (++i >= argc)
				return cmd_usage_error(e, "%s needs text", a);
			text = argv[i];
		} else if (!strcmp(a, "-F") || !strcmp(a, "--file")) {
			if (++i >= argc)
				return cmd_usage_error(e, "%s needs a file", a);
			file = argv[i];
		} else if (!strcmp(a, "-s") || !strcmp(a, "--status")) {
			if (++i >= argc)
				return cmd_usage_error(e, "%s needs a status",
				    a);
			ch.status = argv[i];
		} else if (!strcmp(a, "--override") && public) {
			if (++i >= argc || !*argv[i])
				return cmd_usage_error(e, "--override needs a "
				    "reason");
			ch.guard_override = argv[i];
		} else if (!strcmp(a, "--dry-run") || !strcmp(a, "-n")) {
			o.dry_run = 1;
		} else if (!strcmp(a, "--yes") || !strcmp(a, "-y")) {
			o.yes = 1;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (a[0] == '-' && a[1]) {
			return cmd_usage_error(e, "unknown option '%s'", a);
		} else {
			break;
		}
	}
	if (text && file)
		return cmd_usage_error(e, "give -m or -F, not both");
	for (int j = i; j < argc; j++)
		if (!strcmp(argv[j], "-") && file && !strcmp(file, "-"))
			return cmd_usage_error(e, "stdin cannot hold both "
			    "the message and the ids");
	if (cmd_read_ids(argc, argv, i, &ids, &n, &err) < 0)
		return cmd_fail(&err);
	if (n == 0) {
		free(ids);
		return cmd_usage_error(e, "give at least one ticket id");
	}
	if (cmd_read_body(ctx, text, file, public ? "# Write your reply "
	    "above. Lines starting with # are dropped.\n" : "# Write your "
	    "internal note above. Lines starting with # are dropped.\n",
	    &body, &err) < 0) {
		free(ids);
		return cmd_fail(&err);
	}
	ch.comment = body;
	rc = cmd_write_apply(ctx, ids, n, &ch, &o);
	free(body);
	free(ids);
	return rc;
}

static int
exec_reply(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_reply_entry;
	return exec_comment(ctx, argc, argv, &cmd_reply_entry, 1);
}

static int
exec_note(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_note_entry;
	return exec_comment(ctx, argc, argv, &cmd_note_entry, 0);
}

const struct cmd_entry cmd_reply_entry = {
	.name = "reply",
	.usage = reply_usage,
	.summary = "queue a public reply to tickets",
	.flags = CMD_DESK,
	.exec = exec_reply,
};

const struct cmd_entry cmd_note_entry = {
	.name = "note",
	.usage = note_usage,
	.summary = "queue an internal note on tickets",
	.flags = CMD_DESK,
	.exec = exec_note,
};
