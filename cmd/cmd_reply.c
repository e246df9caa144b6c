/* SPDX-License-Identifier: MIT */
/*
 * tdesk reply and tdesk note: a public reply or an internal note to one
 * ticket or many, from -m, a file, stdin or the agent's editor; queued in
 * the outbox until the next sync.
 */
#include "cmd/write.h"

#include <stdlib.h>
#include <string.h>

static int
faq_text(const struct store_faq *f, void *arg)
{
	char **out = arg;

	free(*out);
	*out = xstrdup(f->body ? f->body : "");
	return 0;
}

/* --faq ID: the answer in the first ticket's language (else another of
 * its languages) when no text is given; the reply is then counted as
 * answered by a FAQ answer (tdesk stats). 0, or an exit status. */
static int
faq_body(struct cmd_ctx *ctx, const struct cmd_entry *e, const char *faq,
    int64_t first, char **body)
{
	struct tdesk_err err = { 0 };
	struct store_ticket t;
	char lang[8] = "en";
	int rc;

	memset(&t, 0, sizeof(t));
	if (store_ticket_get(ctx->st, first, &t, &err) > 0) {
		snprintf(lang, sizeof(lang), "%s", t.lang ? t.lang : "en");
		store_ticket_clear(&t);
	}
	rc = store_faq_get(ctx->st, faq, lang, faq_text, body, &err);
	if (rc < 0)
		return cmd_fail(&err);
	if (rc == 0) {
		free(*body);
		*body = NULL;
		return cmd_usage_error(e, "no FAQ answer '%s' (see 'tdesk faq "
		    "list')", faq);
	}
	return 0;
}

/* A reply also takes --faq (the answer it sends, for the stats) and
 * --override (the reply guard's block, for a reason); a note's options
 * are the rest: &reply_opts[2]. */
static const struct cmd_opt reply_opts[] = {
	{ 0, "faq", "answer", "send this FAQ answer (in the ticket's "
	    "language), or mark the text as it", 0, 0 },
	{ 0, "override", "reason", "queue a text the reply guard blocks, for "
	    "this reason (audited)", 0, 0 },
	{ 'm', "message", "text", "the message's text", 1,
	    CMD_OPT_SHORT },
	{ 'F', "file", "file", "read the message from file ('-' for stdin)",
	    1, CMD_OPT_SHORT },
	{ 's', "status", "status", "also set the tickets' status", 0,
	    CMD_OPT_SHORT },
	{ 'n', "dry-run", NULL, "check everything and show what would be "
	    "queued", 0, 0 },
	{ 'y', "yes", NULL, "do not ask before touching many tickets", 0, 0 },
	{ 0 }
};

static int
exec_comment(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	int public = strcmp(e->name, "reply") == 0;
	struct cmd_write_opts o = { .what = public ? "reply" : "note" };
	struct store_change ch = { .comment_public = public };
	struct tdesk_err err = { 0 };
	const char *text = cmd_opt(a, "message"), *file = cmd_opt(a, "file");
	struct buf below = BUF_INIT;
	char *body = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	ch.status = cmd_opt(a, "status");
	ch.faq = public ? cmd_opt(a, "faq") : NULL;
	ch.guard_override = public ? cmd_opt(a, "override") : NULL;
	if (ch.guard_override && *ch.guard_override == '\0')
		return cmd_usage_error(e, "--override needs a reason");
	o.dry_run = cmd_flag(a, "dry-run");
	o.yes = cmd_flag(a, "yes");
	for (int j = 0; j < a->argc; j++)
		if (!strcmp(a->argv[j], "-") && file && !strcmp(file, "-"))
			return cmd_usage_error(e, "stdin cannot hold both "
			    "the message and the ids");
	if (cmd_read_ids(a->argc, a->argv, 0, &ids, &n, &err) < 0)
		return cmd_fail(&err);
	if (n == 0) {
		free(ids);
		return cmd_usage_error(e, "give at least one ticket id");
	}
	if (ch.faq) {
		if ((rc = cmd_content_refresh(ctx, 1)) == 0)
			rc = faq_body(ctx, e, ch.faq, ids[0], &body);
		if (rc != 0) {
			free(body);
			free(ids);
			return rc;
		}
	}
	if (body != NULL && (text || file)) {
		free(body);	/* the agent's own text, marked as the answer */
		body = NULL;
	}
	if (body == NULL) {
		if (!text && !file)
			cmd_editor_context(ctx, public ? "reply" :
			    "internal note", ids, n, &below);
		rc = cmd_read_body(ctx, text, file, below.data ? below.data :
		    "", &body, &err);
		buf_free(&below);
		if (rc < 0) {
			free(ids);
			return cmd_fail(&err);
		}
	}
	ch.comment = body;
	rc = cmd_write_apply(ctx, ids, n, &ch, &o);
	free(body);
	free(ids);
	return rc;
}

const struct cmd_entry cmd_reply_entry = {
	.name = "reply",
	.summary = "queue a public reply to tickets",
	.flags = CMD_DESK,
	.opts = reply_opts,
	.operands = "id ...",
	.exec = exec_comment,
};

const struct cmd_entry cmd_note_entry = {
	.name = "note",
	.summary = "queue an internal note on tickets",
	.flags = CMD_DESK,
	.opts = &reply_opts[2],
	.operands = "id ...",
	.exec = exec_comment,
};
