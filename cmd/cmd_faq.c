/* SPDX-License-Identifier: MIT */
/*
 * tdesk faq: search the canned answers (Chinese and English, ranked),
 * show one in the customer's language, list them all.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "faq list|search|show [--json] [--lang lang] [text ... | id]";

/* cmd_macro.c */

struct out {
	int json;
	int full;		/* print the body too */
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
exec_faq(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_faq_entry;
	const struct cmd_entry *e = &cmd_faq_entry;
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "lang", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct tdesk_err err = { 0 };
	struct out o = { 0 };
	const char *lang = NULL, *sub;
	int c, rc, nargs;
	char **args;

	if (argc < 2)
		return cmd_usage_error(e, "give list, search or show");
	sub = argv[1];
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = 1;
			break;
		case 'l':
			lang = optarg;
			if (strlen(lang) != 2 || strspn(lang,
			    "abcdefghijklmnopqrstuvwxyz") != 2)
				return cmd_usage_error(e, "invalid language "
				    "'%s' (two letters, such as en or zh)",
				    lang);
			break;
		case ':':
			return cmd_usage_error(e, "'%s' needs a value",
			    argv[optind]);
		default:
			return cmd_usage_error(e, "unknown option '%s'",
			    argv[optind]);
		}
	}
	args = argv + optind + 1;
	nargs = argc - optind - 1;
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
	.usage = usage,
	.summary = "search and show canned FAQ answers (English, Chinese)",
	.flags = CMD_DESK,
	.exec = exec_faq,
};
