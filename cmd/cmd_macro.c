/* SPDX-License-Identifier: MIT */
/*
 * tdesk macro: list the macros (starter pack, your YAML files, the
 * helpdesk's), show one, and apply one to one ticket or ten thousand in
 * a single transaction, with a dry run and a confirmation for bulk.
 * Also where macros and FAQ files are looked for (shared with faq).
 */
#include "cmd/write.h"

#include <stdlib.h>
#include <string.h>

static const struct cmd_opt macro_opts[] = {
	{ 0, "json", NULL, "print JSON", 0, 0 },
	{ 'n', "dry-run", NULL, "apply: check everything, show the change, "
	    "queue nothing", 0, 0 },
	{ 'y', "yes", NULL, "apply: do not ask before touching many tickets",
	    0, 0 },
	{ 0, "lang", "lang", "the text's language (en, zh) instead of the "
	    "ticket's", 0, 0 },
	{ 0, "set", "key=value", "a value for the macro's {{key}} "
	    "(repeatable)", 0, CMD_OPT_MULTI },
	{ 0, "query", "q", "apply: to every ticket the query matches", 0, 0 },
	{ 0, "override", "reason", "apply: queue a reply the guard blocks, "
	    "for this reason (audited)", 0, 0 },
	{ 0 }
};

/*
 * Where macros/ and faq/ are loaded from, in order (later wins): the
 * starter pack (the source tree's when run from a build tree, else the
 * installed one: cmd_data_file), then $XDG_CONFIG_HOME/tdesk. Caller
 * frees each and the array.
 */
char **cmd_content_dirs(const struct cmd_ctx *ctx, size_t *n);
char **
cmd_content_dirs(const struct cmd_ctx *ctx, size_t *n)
{
	char **d = xcalloc(3, sizeof(*d));

	*n = 0;
	d[(*n)++] = cmd_data_file(ctx, "starter", "store/starter");
	d[(*n)++] = config_dir();
	return d;
}

void cmd_content_free(char **dirs, size_t n);
void
cmd_content_free(char **dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

static void
warn_file(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "tdesk: %s (file ignored)\n", msg);
}

/*
 * Bring the desk's macros (faq == 0) or FAQ (faq != 0) up to date with
 * the files; mistakes are printed and their files ignored. Returns 0 or
 * an exit status.
 */
int cmd_content_refresh(struct cmd_ctx *ctx, int faq);
int
cmd_content_refresh(struct cmd_ctx *ctx, int faq)
{
	struct tdesk_err err = { 0 };
	size_t n;
	char **dirs = cmd_content_dirs(ctx, &n);
	int rc = (faq ? store_faq_refresh : store_macros_refresh)(ctx->st,
	    (const char *const *)dirs, n, warn_file, NULL, &err);

	cmd_content_free(dirs, n);
	if (rc < 0)
		return cmd_fail(&err);
	return 0;
}

/* --- list and show --------------------------------------------------------- */

struct out {
	int json;
	int n;
};

static int
print_macro(const struct store_macro *m, void *arg)
{
	struct out *o = arg;

	if (o->json) {
		fputs(o->n ? ",\n" : "[\n", stdout);
		fputs("{\"name\":", stdout);
		cmd_json_str(stdout, m->name);
		cmd_json_text(stdout, "description", m->description);
		cmd_json_text(stdout, "source", m->source);
		if (m->remote_id)
			printf(",\"remote_id\":%lld", (long long)m->remote_id);
		cmd_json_text(stdout, "langs", m->langs);
		printf(",\"actions\":%s}", m->definition);
	} else
		printf("%-34s %-7s %-6s %s\n", m->name, m->source,
		    *m->langs ? m->langs : "-", m->description);
	o->n++;
	return 0;
}

static int
print_action(const char *field, const char *value, const char *lang,
    void *arg)
{
	(void)arg;
	if (strncmp(field, "comment_value", 13) == 0) {
		const char *p = value;
		printf("  %s%s%s:\n", field, lang ? " " : "", lang ? lang : "");
		while (*p) {
			size_t n = strcspn(p, "\n");
			printf("    %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	} else
		printf("  %s: %s\n", field, *value ? value : "(clear)");
	return 0;
}

static int
exec_show(struct cmd_ctx *ctx, const char *name, int json)
{
	struct tdesk_err err = { 0 };
	struct out o = { json, 0 };
	int rc;

	if (json) {
		rc = store_macro_get(ctx->st, name, print_macro, &o, &err);
		if (rc == 1)
			fputs("\n]\n", stdout);
	} else {
		o.n = 0;
		rc = store_macro_get(ctx->st, name, print_macro, &o, &err);
		if (rc == 1)
			rc = store_macro_actions(ctx->st, name, print_action,
			    NULL, &err);
	}
	if (rc < 0)
		return cmd_fail(&err);
	if (rc == 0) {
		fprintf(stderr, "tdesk: no macro '%s' (see 'tdesk macro "
		    "list')\n", name);
		return EXIT_NOTFOUND;
	}
	return EXIT_OK;
}

/* --- apply -------------------------------------------------------------------- */

struct apply_out {
	int json;
	int dry;
	int verbose;		/* print the whole comment */
	size_t n;
};

static void
json_opt(const char *key, const char *v)
{
	if (v == NULL)
		return;
	printf(",\"%s\":", key);
	cmd_json_str(stdout, v);
}

static int
print_result(const struct store_macro_result *r, void *arg)
{
	struct apply_out *o = arg;

	if (o->json) {
		fputs(o->n ? ",\n" : "[\n", stdout);
		printf("{\"ticket\":%lld", (long long)r->ticket_id);
		if (r->outbox_id)
			printf(",\"outbox_id\":%lld", (long long)r->outbox_id);
		json_opt("status", r->status);
		json_opt("priority", r->priority);
		json_opt("type", r->type);
		json_opt("assignee", r->assignee);
		json_opt("group", r->group);
		json_opt("add_tags", r->add_tags);
		json_opt("remove_tags", r->remove_tags);
		if (r->comment) {
			json_opt("lang", r->lang);
			printf(",\"public\":%s", r->comment_public ? "true" :
			    "false");
			json_opt("comment", r->comment);
		}
		fputc('}', stdout);
		o->n++;
		return 0;
	}
	printf("%s #%lld:", o->dry ? "would change" : "queued",
	    (long long)r->ticket_id);
	if (r->status)
		printf(" status %s", r->status);
	if (r->priority)
		printf(" priority %s", *r->priority ? r->priority : "none");
	if (r->type)
		printf(" type %s", *r->type ? r->type : "none");
	if (r->assignee)
		printf(" assignee %s", *r->assignee ? r->assignee : "none");
	if (r->group)
		printf(" group %s", *r->group ? r->group : "none");
	if (r->add_tags)
		printf(" +tags %s", r->add_tags);
	if (r->remove_tags)
		printf(" -tags %s", r->remove_tags);
	if (r->comment)
		printf(" %s (%s)", r->comment_public ? "reply" : "note",
		    r->lang);
	fputc('\n', stdout);
	if (r->comment && o->verbose) {
		const char *p = r->comment;
		while (*p) {
			size_t n = strcspn(p, "\n");
			printf("%s%.*s\n", n == 0 ? "" : r->comment_public ?
			    "  " : "  | ", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	o->n++;
	return 0;
}

static int
collect_id(const struct store_ticket *t, void *arg)
{
	struct buf *b = arg;

	buf_add(b, &t->id, sizeof(t->id));
	return 0;
}

static int
exec_apply(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv, int from, struct store_macro_opts *o, const char *query,
    int yes, int json)
{
	struct tdesk_err err = { 0 };
	struct apply_out out = { .json = json, .dry = o->dry_run };
	const char *name;
	int64_t *ids = NULL;
	size_t n = 0;
	char *me = NULL, *what;
	int rc;

	if (from >= argc)
		return cmd_usage_error(e, "give the macro's name");
	name = argv[from++];
	if (query && from < argc)
		return cmd_usage_error(e, "give ticket ids or --query, not "
		    "both");
	if (query) {
		struct buf b = BUF_INIT;
		struct store_query *q = store_query_parse(query, &err);
		struct store_list_opts lo = { .order = STORE_ORDER_ID };

		if (q == NULL)
			return cmd_fail(&err);
		rc = store_list(ctx->st, q, &lo, collect_id, &b, &err);
		store_query_free(q);
		if (rc < 0) {
			buf_free(&b);
			return cmd_fail(&err);
		}
		n = b.len / sizeof(int64_t);
		ids = (int64_t *)(void *)buf_detach(&b);
		if (n == 0) {
			free(ids);
			fprintf(stderr, "tdesk: no ticket matches '%s'\n",
			    query);
			return EXIT_NOTFOUND;
		}
	} else {
		if (from >= argc)
			return cmd_usage_error(e, "give ticket ids, '-' to "
			    "read them from stdin, or --query");
		if (cmd_read_ids(argc, argv, from, &ids, &n, &err) < 0)
			return cmd_fail(&err);
		if (n == 0) {
			free(ids);
			return cmd_usage_error(e, "no ticket ids given");
		}
	}
	/* the desk's own name for the agent wins over config.yaml's */
	me = store_state_get(ctx->st, "me.name");
	if ((me == NULL || *me == '\0') && ctx->cfg->agent_name)
		o->agent_name = ctx->cfg->agent_name;
	free(me);
	out.verbose = n == 1 && o->dry_run;
	if (!o->dry_run) {
		what = xasprintf("macro '%s'", name);
		rc = cmd_confirm_bulk(ctx, n, yes, what);
		free(what);
		if (rc != 0) {
			free(ids);
			return rc;
		}
	}
	o->stop = &cmd_write_stop;
	cmd_write_signals(1);
	rc = store_macro_apply(ctx->st, name, ids, n, o, print_result, &out,
	    &err);
	cmd_write_signals(0);
	free(ids);
	if (json && out.n)
		fputs("\n]\n", stdout);
	else if (json)
		fputs("[]\n", stdout);
	if (rc < 0) {
		if (!o->dry_run)
			return cmd_write_fail(&err, "nothing was queued");
		return cmd_fail(&err);
	}
	if (!o->dry_run && ctx->is_tty_out)
		fprintf(stderr, "tdesk: macro '%s' queued for %zu ticket%s; "
		    "'tdesk outbox' lists them, 'tdesk sync' sends them\n",
		    name, out.n, out.n == 1 ? "" : "s");
	return EXIT_OK;
}

static int
exec_macro(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct store_macro_opts mo = { 0 };
	const char *query = cmd_opt(a, "query"), *sub;
	int json = cmd_flag(a, "json"), yes = cmd_flag(a, "yes"), rc;

	if (a->argc < 1)
		return cmd_usage_error(e, "give list, show or apply");
	sub = a->argv[0];
	mo.dry_run = cmd_flag(a, "dry-run");
	mo.lang = cmd_opt(a, "lang");
	mo.vars = cmd_opt_all(a, "set", &mo.n_vars);
	mo.guard_override = cmd_opt(a, "override");
	if (mo.guard_override && *mo.guard_override == '\0')
		return cmd_usage_error(e, "--override needs a reason");
	if ((rc = cmd_content_refresh(ctx, 0)) != 0)
		return rc;
	if (strcmp(sub, "list") == 0) {
		struct tdesk_err err = { 0 };
		struct out o = { json, 0 };

		if (a->argc > 1)
			return cmd_usage_error(e, "list takes no arguments");
		if (store_macro_list(ctx->st, print_macro, &o, &err) < 0)
			return cmd_fail(&err);
		if (json)
			fputs(o.n ? "\n]\n" : "[]\n", stdout);
		return EXIT_OK;
	}
	if (strcmp(sub, "show") == 0) {
		if (a->argc != 2)
			return cmd_usage_error(e, "give one macro name");
		return exec_show(ctx, a->argv[1], json);
	}
	if (strcmp(sub, "apply") == 0)
		return exec_apply(ctx, e, a->argc, a->argv, 1, &mo, query,
		    yes, json);
	return cmd_usage_error(e, "unknown action '%s' (list, show or apply)",
	    sub);
}

const struct cmd_entry cmd_macro_entry = {
	.name = "macro",
	.summary = "list, show and apply macros (one ticket or thousands)",
	.flags = CMD_DESK,
	.verbs = "list|show|apply",
	.opts = macro_opts,
	.operands = "[name] [id ...]",
	.exec = exec_macro,
};
