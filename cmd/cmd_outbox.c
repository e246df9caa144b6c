/* SPDX-License-Identifier: MIT */
/*
 * tdesk outbox: the actions waiting to be sent, and the ones that need the
 * agent (conflicts, failures): list, show, drop, keep or edit them.
 */
#include "cmd/write.h"

#include <stdlib.h>
#include <string.h>

static const struct cmd_opt outbox_opts[] = {
	{ 0, "all", NULL, "list: also the actions already sent", 0, 0 },
	{ 0, "json", NULL, "list, show: print JSON", 0, 0 },
	{ 'y', "yes", NULL, "drop: do not ask before dropping many", 0, 0 },
	{ 'm', "message", "text", "edit: the new text", 1, CMD_OPT_SHORT },
	{ 'F', "file", "file", "edit: read the new text from file ('-' for "
	    "stdin)", 1, CMD_OPT_SHORT },
	{ 0 }
};

/* tdesk's own change as JSON: the fields it sets ("" or 0 clears: null),
 * the tags it adds and removes, the comment and whether it is public. */
static void
print_change(const struct store_outbox_change *ch)
{
	int n = 0;

	fputc('{', stdout);
	const char *keys[] = { "status", "priority", "type" };
	const char *vals[] = { ch->status, ch->priority, ch->type };
	for (int i = 0; i < 3; i++) {
		if (vals[i] == NULL)
			continue;
		printf("%s\"%s\":", n++ ? "," : "", keys[i]);
		if (*vals[i])
			cmd_json_str(stdout, vals[i]);
		else
			fputs("null", stdout);
	}
	const char *ikeys[] = { "assignee_id", "group_id" };
	int64_t ivals[] = { ch->assignee_id, ch->group_id };
	for (int i = 0; i < 2; i++) {
		if (ivals[i] < 0)
			continue;
		printf("%s\"%s\":", n++ ? "," : "", ikeys[i]);
		if (ivals[i])
			printf("%lld", (long long)ivals[i]);
		else
			fputs("null", stdout);
	}
	const char *tkeys[] = { "add_tags", "remove_tags" };
	const char *tvals[] = { ch->add_tags, ch->remove_tags };
	for (int i = 0; i < 2; i++) {
		const char *p = tvals[i];
		if (p == NULL || *p == '\0')
			continue;
		printf("%s\"%s\":[", n++ ? "," : "", tkeys[i]);
		for (int k = 0; *p; k++) {
			size_t len = strcspn(p, " ");
			char *t = xstrndup(p, len);
			if (k)
				fputc(',', stdout);
			cmd_json_str(stdout, t);
			free(t);
			p += len;
			p += strspn(p, " ");
		}
		fputc(']', stdout);
	}
	if (ch->comment) {
		printf("%s\"comment\":", n++ ? "," : "");
		cmd_json_str(stdout, ch->comment);
		printf(",\"public\":%s", ch->comment_public ? "true" : "false");
	}
	fputc('}', stdout);
}

struct ob_out {
	int json;
	int n;
	int64_t now;
};

static void
row_json(const struct store_outbox_row *r)
{
	char created[21];

	time_format_iso(r->created_at, created);
	printf("{\"id\":%lld,\"client_id\":\"%s\",\"ticket_id\":%lld,"
	    "\"kind\":\"%s\",\"state\":\"%s\",\"summary\":", (long long)r->id,
	    r->client_id, (long long)r->ticket_id,
	    store_outbox_kind_name(r->kind), store_outbox_state_name(r->state));
	cmd_json_str(stdout, r->summary);
	fputs(",\"error\":", stdout);
	if (*r->error)
		cmd_json_str(stdout, r->error);
	else
		fputs("null", stdout);
	printf(",\"seen_updated_at\":\"%s\",\"created_at\":\"%s\","
	    "\"attempts\":%d,\"change\":", r->seen_updated_at, created,
	    r->attempts);
	print_change(&r->ch);
	fputc('}', stdout);
}

static int
print_row(const struct store_outbox_row *r, void *arg)
{
	struct ob_out *o = arg;
	char age[16];

	if (o->json) {
		fputs(o->n ? ",\n" : "[\n", stdout);
		row_json(r);
	} else {
		time_format_short(o->now - r->created_at, age);
		printf("%-6lld #%-8lld %-8s %-7s %5s  %s%s%s\n",
		    (long long)r->id, (long long)r->ticket_id,
		    store_outbox_state_name(r->state),
		    store_outbox_kind_name(r->kind), age, r->summary,
		    *r->error ? "\n       ! " : "",
		    r->error);
	}
	o->n++;
	return 0;
}

struct since {
	int64_t after;
	int n;
};

static int
print_new_message(const struct store_comment *c, void *arg)
{
	struct since *s = arg;
	char when[21];

	if (c->created_at <= s->after || c->author_is_agent || c->id < 0)
		return 0;
	time_format_iso(c->created_at, when);
	if (s->n++ == 0)
		printf("\nnew customer messages since this action was "
		    "written:\n");
	printf("--- %s, %s ---\n%s\n", c->author, when, c->body);
	return 0;
}

static int
show_row(const struct store_outbox_row *r, void *arg)
{
	struct ob_out *o = arg;
	char created[21];

	if (o->json) {
		row_json(r);
		fputc('\n', stdout);
		return 0;
	}
	time_format_iso(r->created_at, created);
	printf("action %lld: %s on ticket #%lld\nstate: %s%s%s\n"
	    "client id: %s\nwritten: %s (the ticket as of %s)\n"
	    "summary: %s\nchange: ", (long long)r->id,
	    store_outbox_kind_name(r->kind), (long long)r->ticket_id,
	    store_outbox_state_name(r->state), *r->error ? " — " : "",
	    r->error, r->client_id, created, r->seen_updated_at, r->summary);
	print_change(&r->ch);
	fputc('\n', stdout);
	o->n = (int)r->ticket_id;
	o->now = r->created_at;
	return 0;
}

static int
parse_one_id(const char *s, int64_t *id)
{
	char *end;

	*id = strtoll(s, &end, 10);
	return *end || *id <= 0 ? -1 : 0;
}

static int
outbox_list(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a, int n_ids)
{
	struct ob_out out = { .now = time_now(), .json = cmd_flag(a, "json") };
	struct tdesk_err err = { 0 };

	if (n_ids)
		return cmd_usage_error(e, "list takes no ids");
	if (store_outbox_list(ctx->st, cmd_flag(a, "all"), print_row, &out,
	    &err) < 0)
		return cmd_fail(&err);
	if (out.json)
		fputs(out.n ? "\n]\n" : "[]\n", stdout);
	else if (out.n == 0)
		fprintf(stderr, "the outbox is empty\n");
	return EXIT_OK;
}

/* One action, and (as text) what the customer wrote since. */
static int
outbox_show(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a, char **ids, int n_ids)
{
	struct ob_out out = { .now = time_now(), .json = cmd_flag(a, "json") };
	struct tdesk_err err = { 0 };
	int64_t id;
	int found;

	if (n_ids != 1 || parse_one_id(ids[0], &id) < 0)
		return cmd_usage_error(e, "show needs one action id");
	found = store_outbox_get(ctx->st, id, show_row, &out, &err);
	if (found < 0)
		return cmd_fail(&err);
	if (found == 0) {
		fprintf(stderr, "tdesk: no action %lld in the outbox\n",
		    (long long)id);
		return EXIT_NOTFOUND;
	}
	if (!out.json) {
		struct since s = { .after = out.now };
		if (store_comments(ctx->st, out.n, print_new_message, &s,
		    &err) < 0)
			return cmd_fail(&err);
	}
	return EXIT_OK;
}

/* What drop, keep or edit did to aids, on stderr. */
static void
outbox_changed(const char *sub, const int64_t *aids, int n_ids)
{
	int drop = !strcmp(sub, "drop");
	const char *verb = drop ? "dropped" : !strcmp(sub, "keep") ?
	    "will resend" : "edited, will resend";

	if (n_ids <= 20)
		for (int j = 0; j < n_ids; j++)
			fprintf(stderr, "%s action %lld\n", verb,
			    (long long)aids[j]);
	else
		fprintf(stderr, "%s %d actions\n", drop ? "dropped" :
		    "re-queued", n_ids);
}

/* drop, keep (resend as it is) or edit (resend with a new text) the
 * actions ids, in one batch: all or nothing, ten thousand drops in one
 * sync to disk. */
static int
outbox_change(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a, const char *sub, char **ids, int n_ids)
{
	struct tdesk_err err = { 0 };
	int drop = !strcmp(sub, "drop"), rc = EXIT_OK, r;
	char *body = NULL;
	int64_t *aids;

	if (n_ids == 0)
		return cmd_usage_error(e, "%s needs action ids", sub);
	if (drop && (rc = cmd_confirm_bulk(ctx, (size_t)n_ids,
	    cmd_flag(a, "yes"), "drop")) != 0)
		return rc;
	if (!strcmp(sub, "edit")) {
		if (n_ids != 1)
			return cmd_usage_error(e, "edit one action at a time");
		if (cmd_read_body(ctx, cmd_opt(a, "message"),
		    cmd_opt(a, "file"), "Edit the message above this line.\n",
		    &body, &err) < 0)
			return cmd_fail(&err);
	}
	aids = xcalloc((size_t)n_ids, sizeof(*aids));
	for (int j = 0; j < n_ids && rc == EXIT_OK; j++)
		if (parse_one_id(ids[j], &aids[j]) < 0)
			rc = cmd_usage_error(e, "'%s' is not an action id",
			    ids[j]);
	if (rc == EXIT_OK) {
		cmd_write_signals(1);
		r = drop ? store_outbox_drop_many(ctx->st, aids, (size_t)n_ids,
		    &cmd_write_stop, &err) : store_outbox_retry_many(ctx->st,
		    aids, (size_t)n_ids, body, &cmd_write_stop, &err);
		cmd_write_signals(0);
		if (r < 0)
			rc = cmd_write_fail(&err, "nothing was changed");
		else
			outbox_changed(sub, aids, n_ids);
	}
	free(aids);
	free(body);
	return rc;
}

static int
exec_outbox(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	const char *sub = a->argc ? a->argv[0] : "list";
	char **ids = a->argc ? a->argv + 1 : a->argv;
	int n_ids = a->argc ? a->argc - 1 : 0;

	if (!strcmp(sub, "list"))
		return outbox_list(ctx, e, a, n_ids);
	if (!strcmp(sub, "show"))
		return outbox_show(ctx, e, a, ids, n_ids);
	if (!strcmp(sub, "drop") || !strcmp(sub, "keep") ||
	    !strcmp(sub, "edit"))
		return outbox_change(ctx, e, a, sub, ids, n_ids);
	return cmd_usage_error(e, "unknown outbox command '%s'", sub);
}

const struct cmd_entry cmd_outbox_entry = {
	.name = "outbox",
	.summary = "list, show, drop, keep or edit actions waiting to sync",
	.flags = CMD_DESK | CMD_PAGER,
	.verbs = "[list|show|drop|keep|edit]",
	.paged_verbs = "list show",
	.opts = outbox_opts,
	.operands = "[id ...]",
	.exec = exec_outbox,
};
