/* SPDX-License-Identifier: MIT */
/*
 * tdesk show: one ticket, its fields and its whole conversation, with
 * internal notes marked so they survive a plain-text terminal.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

static const struct cmd_opt show_opts[] = {
	{ 0, "json", NULL, "print the ticket and its comments as JSON", 0, 0 },
	{ 0 }
};

void cmd_ticket_json(FILE *f, const struct store_ticket *t);

struct show_out {
	int json;
	int n;
};

static int
print_comment(const struct store_comment *c, void *arg)
{
	struct show_out *o = arg;
	char when[21];

	time_format_iso(c->created_at, when);
	if (o->json) {
		fprintf(stdout, "%s{\"id\":%lld,\"author\":", o->n ? "," : "",
		    (long long)c->id);
		cmd_json_str(stdout, c->author);
		fprintf(stdout, ",\"agent\":%s,\"public\":%s,\"created_at\":"
		    "\"%s\",\"pending\":%s,\"body\":",
		    c->author_is_agent ? "true" : "false",
		    c->public ? "true" : "false", when,
		    *c->state && strcmp(c->state, "done") ? "true" : "false");
		cmd_json_str(stdout, c->body);
		fputc('}', stdout);
		o->n++;
		return 0;
	}
	int unsent = *c->state && strcmp(c->state, "done") != 0;
	printf("\n--- %s%s, %s%s%s%s%s ---\n", c->public ? "" :
	    "[internal note] ", c->author, when,
	    c->author_is_agent ? " (agent)" : "",
	    unsent ? " [not sent: " : "", unsent ? c->state : "",
	    unsent ? "]" : "");
	/* body text is sanitised at ingest; indent notes to set them apart */
	const char *p = c->body;
	while (*p) {
		size_t n = strcspn(p, "\n");
		printf("%s%.*s\n", c->public ? "" : "| ", (int)n, p);
		p += n + (p[n] == '\n');
	}
	o->n++;
	return 0;
}

static int
exec_show(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct show_out out = { .json = cmd_flag(a, "json") };
	struct tdesk_err err = { 0 };
	struct store_ticket t = { 0 };
	int64_t *ids = NULL;
	size_t n_ids = 0;

	if (a->argc != 1)
		return cmd_usage_error(e, "give one ticket id");
	if (cmd_read_ids(a->argc, a->argv, 0, &ids, &n_ids, &err) < 0)
		return cmd_fail(&err);
	if (n_ids != 1) {
		free(ids);
		return cmd_usage_error(e, "give one ticket id");
	}
	int rc = store_ticket_get(ctx->st, ids[0], &t, &err);
	if (rc < 0) {
		free(ids);
		return cmd_fail(&err);
	}
	if (rc == 0) {
		fprintf(stderr, "tdesk: no ticket %lld in desk '%s'\n",
		    (long long)ids[0], ctx->desk_name);
		free(ids);
		return EXIT_NOTFOUND;
	}
	free(ids);
	if (out.json) {
		fputs("{\"ticket\":", stdout);
		cmd_ticket_json(stdout, &t);
		fputs(",\"description\":", stdout);
		cmd_json_str(stdout, t.description);
		fputs(",\"comments\":[", stdout);
	} else {
		char sla[16] = "none", age[16];
		int64_t now = time_now();
		if (t.sla_breach_at)
			time_format_short(t.sla_breach_at - now, sla);
		time_format_short(now - t.created_at, age);
		printf("#%lld %s\n", (long long)t.id, t.subject);
		printf("status: %s  priority: %s  type: %s  channel: %s  "
		    "lang: %s\n", t.status, *t.priority ? t.priority : "-",
		    *t.type ? t.type : "-", *t.channel ? t.channel : "-",
		    t.lang);
		if (*t.requester_name && *t.requester)
			printf("requester: %s <%s>\n", t.requester_name,
			    t.requester);
		else if (*t.requester_name || *t.requester)
			printf("requester: %s\n", *t.requester_name ?
			    t.requester_name : t.requester);
		else
			printf("requester: (unknown)\n");
		printf("assignee: %s  group: %s\n", *t.assignee ? t.assignee :
		    "-", *t.group ? t.group : "-");
		printf("tags: %s\n", *t.tags ? t.tags : "-");
		printf("sla: %s%s  age: %s%s%s%s%s\n", sla,
		    t.sla_breach_at && t.sla_breach_at <= now ? " (breached)" :
		    "", age, t.vip ? "  VIP" : "", t.urgent ? "  URGENT" : "",
		    t.pending ? "  [pending sync]" : "",
		    t.conflict ? "  [needs attention: see tdesk outbox]" : "");
	}
	if (store_comments(ctx->st, t.id, print_comment, &out, &err) < 0) {
		store_ticket_clear(&t);
		return cmd_fail(&err);
	}
	if (out.json)
		fputs("]}\n", stdout);
	else if (out.n == 0 && *t.description)
		printf("\n--- description ---\n%s\n", t.description);
	store_ticket_clear(&t);
	return EXIT_OK;
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.summary = "show a ticket and its conversation",
	.flags = CMD_DESK | CMD_PAGER,
	.opts = show_opts,
	.operands = "id",
	.exec = exec_show,
};
