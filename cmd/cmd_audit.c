/* SPDX-License-Identifier: MIT */
/*
 * tdesk audit: the desk's audit log of agent actions (queued, edited,
 * dropped, guard overrides, sent, failed, conflicts resolved), each row
 * chained to the one before by hash; `tdesk audit verify` checks it.
 */
#include "cmd/cmd.h"
#include "store/guard.h"

#include <stdlib.h>
#include <string.h>

struct audit_out {
	int json, n;
	struct buf b;
};

static int
audit_row(const struct store_audit_row *r, void *arg)
{
	struct audit_out *o = arg;
	char at[21];

	time_format_iso(r->at, at);
	buf_reset(&o->b);
	if (o->json) {
		buf_printf(&o->b, "%s{\"id\":%lld,\"at\":\"%s\",\"action\":",
		    o->n ? "," : "", (long long)r->id, at);
		json_str(&o->b, r->action, strlen(r->action));
		if (r->ticket_id)
			buf_printf(&o->b, ",\"ticket\":%lld",
			    (long long)r->ticket_id);
		else
			buf_adds(&o->b, ",\"ticket\":null");
		buf_adds(&o->b, ",\"detail\":");
		json_str(&o->b, r->detail, strlen(r->detail));
		buf_printf(&o->b, ",\"hash\":\"%s\",\"prev\":\"%s\"}", r->hash,
		    r->prev);
	} else {
		buf_printf(&o->b, "%lld %s %-14s ", (long long)r->id, at,
		    r->action);
		if (r->ticket_id)
			buf_printf(&o->b, "#%lld ", (long long)r->ticket_id);
		text_sanitize(&o->b, r->detail, strlen(r->detail), 0);
		buf_addc(&o->b, '\n');
	}
	fwrite(o->b.data, 1, o->b.len, stdout);
	o->n++;
	return 0;
}

static const struct cmd_opt audit_opts[] = {
	{ 0, "since", "duration", "only the rows of this long (30m, 2h, 7d)",
	    0, 0 },
	{ 0, "json", NULL, "print JSON", 0, 0 },
	{ 0 }
};

static int
audit_verify(struct cmd_ctx *ctx)
{
	struct tdesk_err err = { 0 };
	int64_t bad, rows;

	if (store_audit_verify(ctx->st, &bad, &rows, &err) < 0)
		return cmd_fail(&err);
	if (bad) {
		printf("broken at row %lld: its hash or its link to the row "
		    "before does not match (edited, deleted or inserted)\n",
		    (long long)bad);
		return EXIT_ERROR;
	}
	printf("ok: %lld row%s\n", (long long)rows, rows == 1 ? "" : "s");
	return EXIT_OK;
}

static int
exec_audit(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	struct audit_out o = { 0 };
	struct tdesk_err err = { 0 };
	const char *since_arg = cmd_opt(a, "since");
	int64_t since = 0, d;

	if (a->argc >= 1 && !strcmp(a->argv[0], "verify")) {
		if (a->argc > 1 || since_arg || cmd_flag(a, "json"))
			return cmd_usage_error(e, "verify takes no arguments");
		return audit_verify(ctx);
	}
	if (a->argc > 0)
		return cmd_usage_error(e, "unknown argument '%s'", a->argv[0]);
	if (since_arg) {
		if (time_parse_duration(since_arg, &d) < 0)
			return cmd_usage_error(e, "--since needs a duration "
			    "like 30m, 2h, 7d");
		since = time_now() - d;
	}
	o.json = cmd_flag(a, "json") > 0;
	if (o.json)
		fputs("[", stdout);
	if (store_audit_list(ctx->st, since, audit_row, &o, &err) < 0) {
		buf_free(&o.b);
		return cmd_fail(&err);
	}
	if (o.json)
		fputs("]\n", stdout);
	buf_free(&o.b);
	return EXIT_OK;
}

const struct cmd_entry cmd_audit_entry = {
	.name = "audit",
	.summary = "list the audit log, or verify its hash chain",
	.flags = CMD_DESK,
	.opts = audit_opts,
	.operands = "[verify]",
	.exec = exec_audit,
};
