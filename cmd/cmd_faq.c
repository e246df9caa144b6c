/* SPDX-License-Identifier: MIT */
/*
 * tdesk faq: search the canned answers (Chinese and English, ranked),
 * show one in the customer's language, list them all.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

static const struct cmd_opt faq_opts[] = {
	{ 0, "json", NULL, "print JSON", 0, 0 },
	{ 0, "lang", "lang", "the answers' language (en, zh)", 0, 0 },
	{ 0, "body", NULL, "show: only the answer's text, ready for 'tdesk "
	    "reply -F -'", 0, 0 },
	{ 0 }
};

/* cmd_macro.c */

struct out {
	int json;
	int full;		/* print the body too */
	int body_only;		/* only the answer's text (for a reply) */
	int n;
};

static int
print_faq(const struct store_faq *f, void *arg)
{
	struct out *o = arg;

	if (o->json) {
		fputs(o->full ? "" : o->n ? ",\n" : "[\n", stdout);
		fputs("{\"id\":", stdout);
		cmd_json_str(stdout, f->id);
		cmd_json_member(stdout, "category", f->category, 0);
		cmd_json_member(stdout, "lang", f->lang, 0);
		cmd_json_member(stdout, "langs", f->langs, 0);
		cmd_json_member(stdout, "source", f->source, 0);
		cmd_json_member(stdout, "keywords", f->keywords, 0);
		cmd_json_member(stdout, "title", f->title, 0);
		cmd_json_member(stdout, "body", f->body, 0);
		if (f->rank != 0)
			printf(",\"rank\":%.4f", f->rank);
		fputs(o->full ? "}\n" : "}", stdout);
	} else if (o->full && o->body_only) {
		printf("%s\n", f->body);
	} else if (o->full) {
		printf("%s\n\n%s\n\n[%s, %s; languages: %s]\n", f->title,
		    f->body, f->id, f->category, f->langs);
	} else {
		printf("%-22s %-18s %-2s %s\n", f->id, f->category, f->lang,
		    f->title);
	}
	o->n++;
	return 0;
}

static int
exec_faq(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct tdesk_err err = { 0 };
	struct out o = { .json = cmd_flag(a, "json") };
	const char *lang = cmd_opt(a, "lang"), *sub;
	int rc, nargs = a->argc - 1;
	char **args = a->argv + 1;

	if (a->argc < 1)
		return cmd_usage_error(e, "give list, search or show");
	sub = a->argv[0];
	if (lang && (strlen(lang) != 2 || strspn(lang,
	    "abcdefghijklmnopqrstuvwxyz") != 2))
		return cmd_usage_error(e, "invalid language '%s' (two letters, "
		    "such as en or zh)", lang);
	if ((rc = cmd_content_refresh(ctx, 1)) != 0)
		return rc;
	if (strcmp(sub, "list") == 0) {
		if (nargs)
			return cmd_usage_error(e, "list takes no arguments");
		rc = store_faq_list(ctx->st, lang, print_faq, &o, &err);
		if (rc == 0 && o.json)
			fputs(o.n ? "\n]\n" : "[]\n", stdout);
	} else if (strcmp(sub, "search") == 0) {
		struct buf text = BUF_INIT;

		if (nargs == 0)
			return cmd_usage_error(e, "give the words to search");
		for (int i = 0; i < nargs; i++) {
			if (i)
				buf_addc(&text, ' ');
			buf_adds(&text, args[i]);
		}
		rc = store_faq_search(ctx->st, text.data, lang, 20, print_faq,
		    &o, &err);
		if (rc == 0 && o.json)
			fputs(o.n ? "\n]\n" : "[]\n", stdout);
		if (rc == 0 && o.n == 0 && !o.json)
			fprintf(stderr, "tdesk: no FAQ answer matches '%s'\n",
			    text.data);
		buf_free(&text);
		if (rc == 0 && o.n == 0)
			return EXIT_NOTFOUND;
	} else if (strcmp(sub, "show") == 0) {
		if (nargs != 1)
			return cmd_usage_error(e, "give one FAQ id");
		o.full = 1;
		/* piped into `tdesk reply -F -`, the footer would reach
		 * the customer: a pipe gets the answer alone */
		o.body_only = cmd_flag(a, "body") || !ctx->is_tty_out;
		rc = store_faq_get(ctx->st, args[0], lang, print_faq, &o,
		    &err);
		if (rc == 0) {
			fprintf(stderr, "tdesk: no FAQ answer '%s' (see 'tdesk "
			    "faq list')\n", args[0]);
			return EXIT_NOTFOUND;
		}
		if (rc > 0)
			rc = 0;
	} else
		return cmd_usage_error(e, "unknown action '%s' (list, search "
		    "or show)", sub);
	if (rc < 0)
		return cmd_fail(&err);
	return EXIT_OK;
}

const struct cmd_entry cmd_faq_entry = {
	.name = "faq",
	.summary = "search and show canned FAQ answers (English, Chinese)",
	.flags = CMD_DESK | CMD_PAGER,
	.verbs = "list|search|show",
	.opts = faq_opts,
	.operands = "[text ... | id]",
	.exec = exec_faq,
};
