/* SPDX-License-Identifier: MIT */
/*
 * tdesk ui (and tdesk with no arguments on a terminal): the full-screen
 * queue. Fills the UI's options from the configuration.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "ui/ui.h"

static int
count_row(const struct store_outbox_row *r, void *arg)
{
	(void)r;
	++*(int64_t *)arg;
	return 0;
}

/* Leaving the queue with actions not yet sent: say so, and how. */
static void
remind_unsent(struct cmd_ctx *ctx)
{
	struct tdesk_err err = { 0 };
	int64_t n = 0;

	if (store_outbox_list(ctx->st, 0, count_row, &n, &err) == 0 && n > 0)
		fprintf(stderr, "tdesk: %lld action%s waiting to sync: 'tdesk "
		    "sync' sends %s, 'tdesk outbox' lists %s\n", (long long)n,
		    n == 1 ? "" : "s", n == 1 ? "it" : "them",
		    n == 1 ? "it" : "them");
}

int
cmd_run_ui(struct cmd_ctx *ctx, const char *query)
{
	struct tdesk_err err = { 0 };
	cmd_termsafe_off();	/* curses draws through its own sanitiser */
	struct ui_view *views = xcalloc(ctx->cfg->n_views + 1,
	    sizeof(*views));
	struct ui_keybind *keys = xcalloc(ctx->cfg->n_keys + 1,
	    sizeof(*keys));
	const struct config_desk *desk = config_desk_find(ctx->cfg,
	    ctx->desk_name);
	struct ui_opts o = {
		.desk_name = ctx->desk_name,
		.self_exe = ctx->self_exe,
		/* the child runs `tdesk -d NAME sync`: the name finds the
		 * desk's remote in config.yaml, its file would not */
		.desk_arg = ctx->desk_name,
		.sync_interval = ctx->cfg->sync_interval,
		.confirm_threshold = ctx->cfg->confirm_threshold,
		.views = views,
		.n_views = ctx->cfg->n_views,
		.keys = keys,
		.n_keys = ctx->cfg->n_keys,
		.no_color = ctx->env.no_color,
		/* the full screen can always start vi */
		.editor = ctx->env.editor ? ctx->env.editor : "vi",
		.tmpdir = ctx->env.tmpdir,
		.trace_path = ctx->env.ui_trace,
		.term = ctx->env.term,
		.initial_query = query,
		.signature = ctx->cfg->signature ? ctx->cfg->signature :
		    ctx->cfg->agent_name,
		.no_redact_api = desk && desk->backend &&
		    strcmp(desk->backend, "rt") == 0,
		.opener = ctx->env.opener,
		.attach_timeout = ctx->env.attach_timeout,
		.category_field = cmd_category_field(ctx),
	};
	int rc;

	for (size_t i = 0; i < ctx->cfg->n_views; i++) {
		views[i].name = ctx->cfg->views[i].name;
		views[i].query = ctx->cfg->views[i].query;
	}
	for (size_t i = 0; i < ctx->cfg->n_keys; i++) {
		keys[i].view = ctx->cfg->keys[i].view;
		keys[i].key = ctx->cfg->keys[i].key;
		keys[i].action = ctx->cfg->keys[i].action;
	}
	if (ui_keys_check(keys, o.n_keys, &err) < 0) {
		if (ctx->cfg->path)
			fprintf(stderr, "tdesk: %s: %s\n", ctx->cfg->path,
			    err.msg);
		else
			fprintf(stderr, "tdesk: %s\n", err.msg);
		rc = EXIT_USAGE;
	} else if (!ctx->is_tty_out || !ctx->is_tty_in) {
		fprintf(stderr, "tdesk: the queue needs a terminal; use "
		    "'tdesk list' in scripts\n");
		rc = EXIT_USAGE;
	} else {
		/* the pickers offer the starter pack and the agent's files
		 * as `tdesk macro` and `tdesk faq` do (a desk made by init
		 * or import had none); a bad file is named and skipped */
		cmd_content_refresh(ctx, 0);
		cmd_content_refresh(ctx, 1);
		rc = ui_run(ctx->st, &o, &err) < 0 ? cmd_fail(&err) : EXIT_OK;
		if (rc == EXIT_OK)
			remind_unsent(ctx);
	}
	free(views);
	free(keys);
	return rc;
}

static int
exec_ui(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct buf q = BUF_INIT;
	int rc;

	(void)e;
	for (int i = 0; i < a->argc; i++)
		buf_printf(&q, "%s%s", q.len ? " " : "", a->argv[i]);
	if (q.len) {
		struct tdesk_err err = { 0 };
		struct store_query *sq = store_query_parse(q.data, &err);
		if (sq == NULL) {
			buf_free(&q);
			return cmd_fail(&err);
		}
		store_query_free(sq);
	}
	rc = cmd_run_ui(ctx, q.len ? q.data : NULL);
	buf_free(&q);
	return rc;
}

const struct cmd_entry cmd_ui_entry = {
	.name = "ui",
	.summary = "open the full-screen queue (the default on a terminal)",
	.flags = CMD_DESK | CMD_DEFAULT | CMD_DASH_OPERANDS,
	.operands = "[query]",
	.exec = exec_ui,
};
