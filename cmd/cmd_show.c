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


struct show_att {
	int64_t id, comment_id, size;
	char *name, *type;
};

struct show_out {
	int json;
	int n;
	struct show_att *att;
	size_t n_att;
};

static int
collect_att(const struct store_attachment *a, void *arg)
{
	struct show_out *o = arg;

	o->att = xrealloc(o->att, (o->n_att + 1) * sizeof(*o->att));
	o->att[o->n_att++] = (struct show_att){ a->id, a->comment_id, a->size,
	    xstrdup(a->name), xstrdup(a->type) };
	return 0;
}

/* "1.2 MB", "640 B" */
static void
human_size(int64_t n, char out[32])
{
	if (n < 1024)
		snprintf(out, 32, "%lld B", (long long)n);
	else if (n < 1024 * 1024)
		snprintf(out, 32, "%.1f KB", (double)n / 1024);
	else
		snprintf(out, 32, "%.1f MB", (double)n / (1024.0 * 1024));
}

static void
print_attachments(const struct show_out *o, int64_t comment_id)
{
	int first = 1;

	for (size_t i = 0; i < o->n_att; i++) {
		const struct show_att *a = &o->att[i];
		char sz[32];
		if (a->comment_id != comment_id)
			continue;
		if (o->json) {
			printf("%s{\"id\":%lld,\"name\":", first ? "" : ",",
			    (long long)a->id);
			cmd_json_str(stdout, a->name);
			cmd_json_text(stdout, "type", a->type);
			printf(",\"size\":%lld}", (long long)a->size);
		} else {
			human_size(a->size, sz);
			printf("[attachment %lld] %s (%s, %s)\n",
			    (long long)a->id, *a->name ? a->name : "(no name)",
			    *a->type ? a->type : "unknown type", sz);
		}
		first = 0;
	}
}

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
		    c->local && store_outbox_state_live(c->state) ? "true" :
		    "false");
		cmd_json_str(stdout, c->body);
		fputs(",\"attachments\":[", stdout);
		print_attachments(o, c->id);
		fputs("]}", stdout);
		o->n++;
		return 0;
	}
	int unsent = c->local && store_outbox_state_live(c->state);
	printf("\n--- %s%s, %s%s%s%s%s ---\n", c->public ? "" :
	    "[internal note] ", c->author, when,
	    c->author_is_agent ? " (agent)" : "",
	    unsent ? " [not sent: " : "",
	    unsent ? store_outbox_state_name(c->state) : "",
	    unsent ? "]" : "");
	/* body text is sanitised at ingest; indent notes to set them apart */
	const char *p = c->body;
	while (*p) {
		size_t n = strcspn(p, "\n");
		printf("%s%.*s\n", c->public ? "" : n ? "| " : "|", (int)n,
		    p);
		p += n + (p[n] == '\n');
	}
	print_attachments(o, c->id);
	o->n++;
	return 0;
}

static void
show_out_free(struct show_out *o)
{
	for (size_t i = 0; i < o->n_att; i++) {
		free(o->att[i].name);
		free(o->att[i].type);
	}
	free(o->att);
	o->att = NULL;
	o->n_att = 0;
}


/* The customer exposed a secret here: say so, with the note to add. */
static void
show_secret_flag(struct cmd_ctx *ctx, int64_t id)
{
	struct tdesk_err err = { 0 };
	struct buf note = BUF_INIT;
	char *kinds = NULL;

	if (store_secret_flag(ctx->st, id, &kinds, &err) <= 0)
		return;
	store_secret_note(kinds, &note);
	printf("SECRET EXPOSED: %s (redacted in this desk)\n"
	    "  suggested internal note: tdesk note -m '%s' %lld\n"
	    "  redact it on the server too: tdesk redact --server %lld\n",
	    kinds, note.data, (long long)id, (long long)id);
	buf_free(&note);
	free(kinds);
}
/* "NAME: VALUE\n" lines of a ticket's fields as a JSON array member. */
static void
show_fields_json(const char *fields)
{
	fputs(",\"fields\":[", stdout);
	for (const char *p = fields, *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		const char *colon = strstr(p, ": ");
		if (nl == NULL || colon == NULL || colon > nl)
			break;
		char *name = xstrndup(p, (size_t)(colon - p));
		char *val = xstrndup(colon + 2, (size_t)(nl - colon - 2));
		fputs(p == fields ? "{\"name\":" : ",{\"name\":", stdout);
		cmd_json_str(stdout, name);
		cmd_json_text(stdout, "value", val);
		fputc('}', stdout);
		free(name);
		free(val);
	}
	fputc(']', stdout);
}

/* The ticket's members of show --json, up to the comments' opening. */
static void
show_head_json(struct cmd_ctx *ctx, const struct store_ticket *t)
{
	struct tdesk_err err = { 0 };
	char *kinds = NULL;

	fputs("{\"ticket\":", stdout);
	cmd_ticket_json(stdout, t);
	cmd_json_text(stdout, "description", t->description);
	cmd_json_text(stdout, "organization", t->organization);
	cmd_json_text(stdout, "satisfaction", t->satisfaction);
	cmd_json_text(stdout, "satisfaction_comment", t->satisfaction_comment);
	show_fields_json(t->fields);
	cmd_triage_show(ctx, t->id, 1);
	if (store_secret_flag(ctx->st, t->id, &kinds, &err) > 0)
		cmd_json_member(stdout, "secret_exposed", kinds, 0);
	free(kinds);
	fputs(",\"comments\":[", stdout);
}

/* The ticket's header lines of show: fields, people, SLA, triage. */
static void
show_head_text(struct cmd_ctx *ctx, const struct store_ticket *t)
{
	char sla[16] = "none", age[16];
	int64_t now = time_now();

	if (t->sla_breach_at)
		time_format_short(t->sla_breach_at - now, sla);
	time_format_short(now - t->created_at, age);
	printf("#%lld %s\n", (long long)t->id, *t->subject ? t->subject :
	    "(no subject)");
	printf("status: %s  priority: %s  type: %s  channel: %s  lang: %s\n",
	    t->status, *t->priority ? t->priority : "-",
	    *t->type ? t->type : "-", *t->channel ? t->channel : "-",
	    t->lang);
	if (*t->requester_name && *t->requester &&
	    strcmp(t->requester_name, t->requester) != 0)
		printf("requester: %s <%s>\n", t->requester_name,
		    t->requester);
	else if (*t->requester_name || *t->requester)
		printf("requester: %s\n", *t->requester_name ?
		    t->requester_name : t->requester);
	else
		printf("requester: (unknown)\n");
	if (*t->organization)
		printf("organization: %s\n", t->organization);
	printf("assignee: %s  group: %s\n", *t->assignee ? t->assignee : "-",
	    *t->group ? t->group : "-");
	printf("tags: %s\n", *t->tags ? t->tags : "-");
	/* NAME: VALUE lines, sanitised at ingest */
	for (const char *p = t->fields, *nl; *p; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		printf("  %.*s\n", (int)(nl - p), p);
	}
	if (*t->satisfaction) {
		/* the customer's lines, each on a line of its own */
		printf("satisfaction: %s%s", t->satisfaction,
		    *t->satisfaction_comment ? " - " : "");
		for (const char *p = t->satisfaction_comment; *p; ) {
			size_t n = strcspn(p, "\n");
			printf("%s%.*s", p == t->satisfaction_comment ? "" :
			    "\n  ", (int)n, p);
			p += n + (p[n] == '\n');
		}
		putchar('\n');
	}
	printf("sla: %s%s  age: %s%s%s%s%s\n", sla,
	    t->sla_breach_at && t->sla_breach_at <= now ? " (breached)" : "",
	    age, t->vip ? "  VIP" : "", t->urgent ? "  URGENT" : "",
	    t->pending ? "  [pending sync]" : "",
	    t->conflict ? "  [needs attention: see tdesk outbox]" : "");
	cmd_triage_show(ctx, t->id, 0);
	show_secret_flag(ctx, t->id);
}

/* The one ticket named by the operands into t. 0, or an exit status. */
static int
show_ticket_get(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a, struct store_ticket *t)
{
	struct tdesk_err err = { 0 };
	int64_t *ids = NULL;
	size_t n_ids = 0;
	int rc;

	if (a->argc != 1)
		return cmd_usage_error(e, "give one ticket id");
	if (cmd_read_ids(a->argc, a->argv, 0, &ids, &n_ids, &err) < 0)
		return cmd_fail(&err);
	if (n_ids != 1) {
		free(ids);
		return cmd_usage_error(e, "give one ticket id");
	}
	rc = store_ticket_get(ctx->st, ids[0], t, &err);
	if (rc == 0) {
		fprintf(stderr, "tdesk: no ticket %lld in desk '%s'\n",
		    (long long)ids[0], ctx->desk_name);
		rc = EXIT_NOTFOUND;
	} else {
		rc = rc < 0 ? cmd_fail(&err) : 0;
	}
	free(ids);
	return rc;
}

static int
exec_show(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct show_out out = { .json = cmd_flag(a, "json") };
	struct tdesk_err err = { 0 };
	struct store_ticket t = { 0 };
	int rc;

	if ((rc = show_ticket_get(ctx, e, a, &t)) != 0)
		return rc;
	if (out.json)
		show_head_json(ctx, &t);
	else
		show_head_text(ctx, &t);
	if (store_attachments(ctx->st, t.id, collect_att, &out, &err) < 0 ||
	    store_comments(ctx->st, t.id, print_comment, &out, &err) < 0) {
		show_out_free(&out);
		store_ticket_clear(&t);
		return cmd_fail(&err);
	}
	show_out_free(&out);
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
