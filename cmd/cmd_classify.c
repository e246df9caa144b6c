/* SPDX-License-Identifier: MIT */
/*
 * tdesk classify: the triage rules over JSON lines (--jsonl) or over the
 * desk's replica (--desk, printing what changed), and a category
 * override (--set). Also where the rules are loaded from for every
 * command that opens a desk: the starter rules.yaml, then the agent's
 * $XDG_CONFIG_HOME/tdesk/rules.yaml; a refused file of the agent's
 * gives way to its last good copy, kept in the desk.
 */
#include "cmd/cmd.h"

#include <json-c/json.h>
#include "store/triage.h"
#include "sync/sync.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>


char **cmd_content_dirs(const struct cmd_ctx *ctx, size_t *n);
void cmd_content_free(char **dirs, size_t n);

static struct store_rules *loaded;

static void
rules_free(void)
{
	store_rules_free(loaded);
	loaded = NULL;
}

/*
 * The rules for ctx (loaded once). A mistake in the agent's file is
 * printed as a warning when warn is set; the desk then keeps the last
 * good copy of that file. Returns NULL (err filled) only when even the
 * starter rules cannot be read.
 */
struct store_rules *cmd_rules(struct cmd_ctx *ctx, int warn,
    struct tdesk_err *err);
struct store_rules *
cmd_rules(struct cmd_ctx *ctx, int warn, struct tdesk_err *err)
{
	size_t nd;
	char **dirs;
	const char *files[2];
	const char *texts[2] = { NULL, NULL };
	char *user = NULL, *starter = NULL, *good = NULL;
	struct buf ub = BUF_INIT;
	struct tdesk_err uerr = { 0 };
	size_t n = 1;

	if (loaded)
		return loaded;
	dirs = cmd_content_dirs(ctx, &nd);
	starter = xasprintf("%s/rules.yaml", dirs[0]);
	files[0] = starter;
	if (nd > 1 && access((user = xasprintf("%s/rules.yaml", dirs[1])),
	    R_OK) == 0) {
		files[1] = user;
		n = 2;
		if (buf_read_file(&ub, user, 4 << 20, &uerr) == 0)
			texts[1] = ub.data ? ub.data : "";
	}
	cmd_content_free(dirs, nd);
	if (n == 2 && texts[1] == NULL) {
		if (warn)
			fprintf(stderr, "tdesk: warning: %s\n", uerr.msg);
		n = 1;
	}
	loaded = store_rules_load(files, texts, n, &uerr);
	if (loaded && n == 2 && ctx->st) {
		/* keep the good copy for the day the file breaks */
		char *old = store_state_get(ctx->st, "triage.rules.good");
		if (old == NULL || strcmp(old, texts[1]) != 0)
			store_state_set(ctx->st, "triage.rules.good", texts[1],
			    NULL);
		free(old);
	}
	if (loaded == NULL && n == 2) {
		if (warn)
			fprintf(stderr, "tdesk: warning: %s (rules file "
			    "refused: using its last good copy)\n", uerr.msg);
		good = ctx->st ? store_state_get(ctx->st,
		    "triage.rules.good") : NULL;
		texts[1] = good;
		n = good ? 2 : 1;
		loaded = store_rules_load(files, texts, n, &uerr);
	}
	if (loaded == NULL)
		*err = uerr;
	else
		atexit(rules_free);
	free(good);
	free(user);
	free(starter);
	buf_free(&ub);
	return loaded;
}

/* For cmd_open_desk: classify with the rules; a broken starter file is
 * only a warning here. */
void cmd_rules_install(struct cmd_ctx *ctx);
void
cmd_rules_install(struct cmd_ctx *ctx)
{
	struct tdesk_err err = { 0 };
	struct store_rules *r = cmd_rules(ctx, 1, &err);

	if (r == NULL)
		fprintf(stderr, "tdesk: warning: %s (tickets are not "
		    "classified)\n", err.msg);
	store_set_rules(ctx->st, r);
	store_set_sla_policy(ctx->st, ctx->cfg->sla);
	store_set_category_field(ctx->st, cmd_category_field(ctx));
}

static void
print_class(int64_t id, const char *idtext, const struct store_class *c)
{
	fputs("{\"id\":", stdout);
	if (idtext)
		fputs(idtext, stdout);
	else
		printf("%lld", (long long)id);
	printf(",\"category\":\"%s\",\"security_incident\":%s,"
	    "\"urgent\":%s,\"priority\":\"%s\",\"group\":",
	    class_names[c->category], c->incident ? "true" : "false",
	    c->urgent ? "true" : "false", c->priority);
	cmd_json_str(stdout, c->group);
	fputs(",\"rules\":[", stdout);
	const char *p = c->rules;
	int first = 1;
	while (*p) {
		size_t l = strcspn(p, " ");
		printf("%s\"%.*s\"", first ? "" : ",", (int)l, p);
		first = 0;
		p += l;
		while (*p == ' ')
			p++;
	}
	fputs("]}\n", stdout);
}

/* A member of o as a string (NULL when absent or not a string). */
static const char *
member_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* One line of --jsonl: parsed once, classified, printed; -1 when it is
 * not an object with an id (said on stderr). */
static int
jsonl_line(const struct store_rules *r, struct json_tokener *tok,
    const char *line, size_t len, long lineno)
{
	struct json_object *o, *id;
	struct store_class c;

	json_tokener_reset(tok);
	o = json_tokener_parse_ex(tok, line, (int)len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "id", &id) || id == NULL ||
	    json_object_is_type(id, json_type_object) ||
	    json_object_is_type(id, json_type_array)) {
		fprintf(stderr, "tdesk: line %ld: not a JSON object with an "
		    "\"id\"\n", lineno);
		json_object_put(o);
		return -1;
	}
	store_classify_text(r, member_str(o, "subject"), member_str(o,
	    "body"), member_str(o, "lang"), member_str(o, "channel"), &c);
	/* the id as given: a number stays a number, a string a string */
	print_class(0, json_object_to_json_string_ext(id,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), &c);
	json_object_put(o);
	return 0;
}

static int
run_jsonl(struct cmd_ctx *ctx)
{
	struct tdesk_err err = { 0 };
	struct store_rules *r = cmd_rules(ctx, 1, &err);
	struct json_tokener *tok;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int bad = 0;

	if (r == NULL)
		return cmd_fail(&err);
	tok = json_tokener_new();
	while ((len = getline(&line, &cap, stdin)) > 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > 0 && len < INT32_MAX &&
		    jsonl_line(r, tok, line, (size_t)len, lineno) < 0)
			bad++;
	}
	json_tokener_free(tok);
	free(line);
	return bad ? EXIT_PARTIAL : EXIT_OK;
}

struct changed {
	int json;
	int64_t n;
};

static int
print_change(int64_t id, const char *oc, const char *nc, int oi, int ni,
    int ou, int nu, void *arg)
{
	struct changed *ch = arg;

	ch->n++;
	if (ch->json) {
		printf("{\"id\":%lld,\"from\":{\"category\":", (long long)id);
		if (*oc)
			cmd_json_str(stdout, oc);
		else
			fputs("null", stdout);
		printf(",\"security_incident\":%s,\"urgent\":%s},\"to\":"
		    "{\"category\":\"%s\",\"security_incident\":%s,"
		    "\"urgent\":%s}}\n", oi ? "true" : "false",
		    ou ? "true" : "false", nc, ni ? "true" : "false",
		    nu ? "true" : "false");
		return 0;
	}
	printf("#%-7lld %-14s -> %-14s%s%s\n", (long long)id, *oc ? oc : "-",
	    nc, oi != ni ? (ni ? "  +incident" : "  -incident") : "",
	    ou != nu ? (nu ? "  +urgent" : "  -urgent") : "");
	return 0;
}

/* --check: load the rules files and report the first mistake; refuse,
 * do not fall back (a script checking a file). */
static int
check_rules(struct cmd_ctx *ctx)
{
	struct tdesk_err err = { 0 };
	size_t nd, n = 0;
	char **dirs = cmd_content_dirs(ctx, &nd);
	char *files[2];
	struct store_rules *r;

	files[n++] = xasprintf("%s/rules.yaml", dirs[0]);
	if (nd > 1) {
		files[n] = xasprintf("%s/rules.yaml", dirs[1]);
		if (access(files[n], R_OK) == 0)
			n++;
		else
			free(files[n]);
	}
	cmd_content_free(dirs, nd);
	r = store_rules_load((const char *const *)files, NULL, n, &err);
	if (r)
		printf("%zu rules from %s%s%s\n", store_rules_count(r),
		    files[0], n > 1 ? " and " : "", n > 1 ? files[1] : "");
	store_rules_free(r);
	for (size_t k = 0; k < n; k++)
		free(files[k]);
	return r ? EXIT_OK : cmd_fail(&err);
}

int64_t
cmd_category_field(const struct cmd_ctx *ctx)
{
	const struct config_desk *d = ctx->desk_name ?
	    config_desk_find(ctx->cfg, ctx->desk_name) : NULL;

	if (d == NULL || d->url == NULL ||
	    (d->backend && strcmp(d->backend, "zendesk") != 0))
		return 0;
	return ctx->cfg->zd_category_field;
}

/* --set CATEGORY ID...: the agent's category over the rules. */
static int
set_category(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a, const char *set)
{
	struct tdesk_err err = { 0 };
	const char *cat = strcmp(set, "none") == 0 ? "" : set;
	int64_t *ids = NULL;
	size_t n = 0;

	if (cmd_read_ids(a->argc, a->argv, 0, &ids, &n, &err) < 0)
		return cmd_fail(&err);
	if (n == 0)
		return cmd_usage_error(e, "give ticket ids");
	for (size_t k = 0; k < n; k++) {
		if (store_class_override_send(ctx->st, ids[k], cat,
		    cmd_category_field(ctx), &err) < 0) {
			free(ids);
			return cmd_fail(&err);
		}
	}
	free(ids);
	return EXIT_OK;
}

static int
exec_classify(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	struct tdesk_err err = { 0 };
	const char *set = cmd_opt(a, "set");
	int json = cmd_flag(a, "json") > 0;

	if (!cmd_flag(a, "jsonl") && !cmd_flag(a, "desk") &&
	    !cmd_flag(a, "check") && set == NULL)
		return cmd_usage_error(e, "give one of --jsonl, --desk, --set "
		    "or --check");
	if (set == NULL && a->argc > 0)
		return cmd_usage_error(e, "ticket ids go with --set");
	if (json && !cmd_flag(a, "desk"))
		return cmd_usage_error(e, "--json goes with --desk");
	if (cmd_flag(a, "check"))
		return check_rules(ctx);
	if (cmd_flag(a, "jsonl"))
		return run_jsonl(ctx);
	if (cmd_open_desk(ctx, 0, &err) < 0)
		return cmd_fail(&err);
	if (set)
		return set_category(ctx, e, a, set);
	struct changed ch = { .json = json };
	int64_t seen = 0;
	if (store_classify_all(ctx->st, print_change, &ch, &seen, &err) < 0)
		return cmd_fail(&err);
	if (!json)
		fprintf(stderr, "%lld tickets classified, %lld changed\n",
		    (long long)seen, (long long)ch.n);
	return EXIT_OK;
}
static const struct cmd_opt classify_opts[] = {
	{ 0, "jsonl", NULL, "classify JSON lines from stdin (no desk needed)",
	    1, 0 },
	{ 0, "desk", NULL, "run the rules again over the replica, print what "
	    "changed", 1, 0 },
	{ 0, "set", "category", "set the tickets' category by hand", 1, 0 },
	{ 0, "check", NULL, "load the rules files and report the first "
	    "mistake", 1, 0 },
	{ 0, "json", NULL, "with --desk: one JSON object a line", 0, 0 },
	{ 0 }
};

const struct cmd_entry cmd_classify_entry = {
	.name = "classify",
	.summary = "classify tickets by the triage rules",
	.flags = 0,
	.opts = classify_opts,
	.operands = "[id ...]",
	.exec = exec_classify,
};

/* --- for tdesk show -------------------------------------------------------- */

/*
 * What triage says of ticket id, and why: its category and the rules
 * that decided, the suggestions, how long the customer has waited, and
 * the best FAQ answers and macros. With json, one ',"triage":{...}'
 * member. Showing a ticket counts as the agent looking at it.
 */
void
cmd_triage_show(struct cmd_ctx *ctx, int64_t id, int json)
{
	struct store_ticket_class tc;
	struct store_suggestion faq[3], mac[3];
	struct tdesk_err err = { 0 };
	int nf, nm;

	if (store_ticket_class_get(ctx->st, id, &tc, &err) <= 0)
		return;
	nf = store_suggest(ctx->st, id, 1, faq, 3, &err);
	nm = store_suggest(ctx->st, id, 0, mac, 3, &err);
	if (json) {
		fputs(",\"triage\":{\"category\":", stdout);
		cmd_json_str(stdout, tc.category);
		cmd_json_member(stdout, "override", tc.override, 1);
		printf(",\"security_incident\":%s,\"urgent\":%s,\"new\":%s",
		    tc.incident ? "true" : "false",
		    tc.urgent ? "true" : "false", tc.is_new ? "true" : "false");
		cmd_json_member(stdout, "priority", tc.priority, 1);
		cmd_json_member(stdout, "group", tc.group, 1);
		fputs(",\"rules\":", stdout);
		cmd_json_words(stdout, tc.rules);
		fputs(",\"waiting_since\":", stdout);
		if (tc.waiting_since) {
			char ws[21];
			time_format_iso(tc.waiting_since, ws);
			printf("\"%s\"", ws);
		} else {
			fputs("null", stdout);
		}
		fputs(",\"faq\":[", stdout);
		for (int i = 0; i < nf; i++) {
			if (i)
				fputc(',', stdout);
			cmd_json_str(stdout, faq[i].id);
		}
		fputs("],\"macros\":[", stdout);
		for (int i = 0; i < nm; i++) {
			if (i)
				fputc(',', stdout);
			cmd_json_str(stdout, mac[i].id);
		}
		fputs("]}", stdout);
	} else {
		char wait[16] = "";
		if (tc.waiting_since)
			time_format_short(time_now() - tc.waiting_since, wait);
		printf("triage: %s%s%s%s%s  (suggests priority %s, group %s)\n",
		    tc.category, *tc.override ? " (set by an agent; rules "
		    "say " : "", *tc.override ? tc.rule_category : "",
		    *tc.override ? ")" : "",
		    tc.incident ? "  SECURITY INCIDENT" : tc.urgent ?
		    "  urgent" : "", *tc.priority ? tc.priority : "-",
		    *tc.group ? tc.group : "-");
		printf("why: %s\n", *tc.rules ? tc.rules : "no rule matched");
		if (*wait || tc.is_new)
			printf("waiting: %s%s\n", *wait ? wait : "-",
			    tc.is_new ? "  (new reply since you looked)" : "");
		if (nf > 0 || nm > 0) {
			fputs("suggested:", stdout);
			for (int i = 0; i < nf; i++)
				printf("%s faq %s", i ? "," : "", faq[i].id);
			for (int i = 0; i < nm; i++)
				printf("%s macro \"%s\"", i || nf > 0 ? "," : "",
				    mac[i].id);
			fputc('\n', stdout);
		}
	}
	if (store_ticket_seen(ctx->st, id, &err) < 0 && !json)
		fprintf(stderr, "tdesk: warning: %s\n", err.msg);
}
