/* SPDX-License-Identifier: MIT */
/*
 * tdesk guard: check a text with the reply guard, as every public reply
 * is checked before it is queued; and tdesk redact: remove secrets from
 * texts as ingest does. Both read JSON lines for scripts.
 */
#include "cmd/cmd.h"
#include "store/guard.h"
#include "store/redact.h"

#include <stdlib.h>
#include <string.h>


/* Read a line of any length from f into b (without the newline); 0 at
 * the end of input. */
static int
read_line(FILE *f, struct buf *b)
{
	int c;

	buf_reset(b);
	while ((c = getc(f)) != EOF && c != '\n')
		buf_addc(b, (char)c);
	if (b->data == NULL)
		buf_adds(b, "");
	return c != EOF || b->len > 0;
}

/* The "id" given, written back: a string re-encoded, a number as is. */
static void
id_json(struct buf *out, const struct buf *raw)
{
	if (raw->len == 0) {
		buf_adds(out, "null");
	} else if (raw->data[0] == '"') {
		struct buf s = BUF_INIT;
		struct buf obj = BUF_INIT;
		buf_adds(&obj, "{\"i\":");
		buf_add(&obj, raw->data, raw->len);
		buf_addc(&obj, '}');
		json_member(obj.data, obj.len, "i", NULL, &s);
		json_str(out, s.data ? s.data : "", s.len);
		buf_free(&s);
		buf_free(&obj);
	} else if (strspn(raw->data, "-0123456789.eE+") == raw->len) {
		buf_add(out, raw->data, raw->len);
	} else {
		buf_adds(out, "null");
	}
}

static int
guard_jsonl(struct cmd_ctx *ctx)
{
	struct buf line = BUF_INIT, out = BUF_INIT;

	while (read_line(stdin, &line)) {
		struct buf id = BUF_INIT, text = BUF_INIT, lang = BUF_INIT;
		struct guard_result r = { 0 };
		if (strspn(line.data, " \t\r") == line.len)
			continue;
		int ok = json_member(line.data, line.len, "text", NULL, &text);
		json_member(line.data, line.len, "id", &id, NULL);
		json_member(line.data, line.len, "lang", NULL, &lang);
		buf_reset(&out);
		buf_adds(&out, "{\"id\":");
		id_json(&out, &id);
		if (ok != 1) {
			buf_adds(&out, ",\"error\":\"expected an object with "
			    "a \\\"text\\\" string\"}\n");
		} else {
			guard_check(ctx->cfg->guard, text.data ? text.data : "",
			    text.len, lang.len ? lang.data : NULL, NULL, &r);
			buf_addc(&out, ',');
			size_t at = out.len;
			guard_json(&r, text.data ? text.data : "", text.len,
			    &out);
			/* {"id":..,{"verdict":..}} -> one object */
			memmove(out.data + at, out.data + at + 1, out.len - at);
			out.len--;
			buf_adds(&out, "\n");
		}
		fwrite(out.data, 1, out.len, stdout);
		guard_result_free(&r);
		buf_free(&id);
		buf_free(&text);
		buf_free(&lang);
	}
	buf_free(&line);
	buf_free(&out);
	return EXIT_OK;
}

/* The text of -m, -F FILE or "-" (stdin). */
static int
read_text(const char *text, const char *file, struct buf *b,
    struct tdesk_err *err)
{
	if (text) {
		buf_adds(b, text);
		return 0;
	}
	return buf_read_file(b, file ? file : "-", 16 << 20, err);
}

static int
exec_guard(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_guard_entry;
	const struct cmd_entry *e = &cmd_guard_entry;
	const char *text = NULL, *file = NULL, *lang = NULL;
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT, out = BUF_INIT;
	struct guard_result r = { 0 };
	int json = 0, jsonl = 0, rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--jsonl")) {
			jsonl = 1;
		} else if (!strcmp(a, "--lang")) {
			if (++i >= argc)
				return cmd_usage_error(e, "--lang needs en or "
				    "zh");
			lang = argv[i];
		} else if (!strcmp(a, "-m") || !strcmp(a, "--message")) {
			if (++i >= argc)
				return cmd_usage_error(e, "%s needs text", a);
			text = argv[i];
		} else if (!strcmp(a, "-F") || !strcmp(a, "--file")) {
			if (++i >= argc)
				return cmd_usage_error(e, "%s needs a file", a);
			file = argv[i];
		} else if (!strcmp(a, "-")) {
			file = "-";
		} else {
			return cmd_usage_error(e, "unknown argument '%s'", a);
		}
	}
	if (jsonl)
		return guard_jsonl(ctx);
	if (text && file)
		return cmd_usage_error(e, "give -m or -F, not both");
	if (read_text(text, file, &b, &err) < 0)
		return cmd_fail(&err);
	if (b.data == NULL)
		buf_adds(&b, "");
	guard_check(ctx->cfg->guard, b.data, b.len, lang, NULL, &r);
	if (json) {
		guard_json(&r, b.data, b.len, &out);
		buf_addc(&out, '\n');
	} else {
		buf_printf(&out, "%s\n", guard_verdict_name(r.verdict));
		guard_describe(&r, b.data, b.len, &out);
	}
	fwrite(out.data, 1, out.len, stdout);
	rc = r.verdict == GUARD_BLOCK ? EXIT_BLOCKED : EXIT_OK;
	guard_result_free(&r);
	buf_free(&b);
	buf_free(&out);
	return rc;
}

static void
findings_json(struct buf *out, const struct redact_result *res)
{
	buf_adds(out, "\"found\":[");
	for (size_t i = 0; i < res->n; i++) {
		const struct redact_finding *f = &res->f[i];
		buf_printf(out, "%s{\"kind\":\"%s\",\"start\":%zu,\"end\":%zu",
		    i ? "," : "", f->kind, f->start, f->end);
		if (f->words)
			buf_printf(out, ",\"words\":%d", f->words);
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

static int
exec_redact(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_redact_entry;
	const struct cmd_entry *e = &cmd_redact_entry;
	const char *text = NULL, *file = NULL;
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT, out = BUF_INIT, red = BUF_INIT;
	struct redact_result res = { 0 };
	int jsonl = 0;

	(void)ctx;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--jsonl")) {
			jsonl = 1;
		} else if (!strcmp(a, "-m") || !strcmp(a, "--message")) {
			if (++i >= argc)
				return cmd_usage_error(e, "%s needs text", a);
			text = argv[i];
		} else if (!strcmp(a, "-F") || !strcmp(a, "--file")) {
			if (++i >= argc)
				return cmd_usage_error(e, "%s needs a file", a);
			file = argv[i];
		} else if (!strcmp(a, "-")) {
			file = "-";
		} else {
			return cmd_usage_error(e, "unknown argument '%s'", a);
		}
	}
	if (!jsonl) {
		if (text && file)
			return cmd_usage_error(e, "give -m or -F, not both");
		if (read_text(text, file, &b, &err) < 0)
			return cmd_fail(&err);
		redact_text(b.data ? b.data : "", b.len, NULL, &red, &res);
		fwrite(red.data, 1, red.len, stdout);
		if (red.len && red.data[red.len - 1] != '\n')
			putchar('\n');
		goto out;
	}
	while (read_line(stdin, &b)) {
		struct buf id = BUF_INIT, t = BUF_INIT;
		if (strspn(b.data, " \t\r") == b.len)
			continue;
		int ok = json_member(b.data, b.len, "text", NULL, &t);
		json_member(b.data, b.len, "id", &id, NULL);
		buf_reset(&out);
		buf_adds(&out, "{\"id\":");
		id_json(&out, &id);
		if (ok != 1) {
			buf_adds(&out, ",\"error\":\"expected an object with "
			    "a \\\"text\\\" string\"}\n");
		} else {
			buf_reset(&red);
			redact_text(t.data ? t.data : "", t.len, NULL, &red,
			    &res);
			buf_adds(&out, ",\"redacted_text\":");
			json_str(&out, red.data, red.len);
			buf_addc(&out, ',');
			findings_json(&out, &res);
			buf_adds(&out, "}\n");
		}
		fwrite(out.data, 1, out.len, stdout);
		buf_free(&id);
		buf_free(&t);
	}
out:
	redact_result_free(&res);
	buf_free(&b);
	buf_free(&out);
	buf_free(&red);
	return EXIT_OK;
}

static const struct cmd_opt guard_opts[] = {
	{ 0, "json", NULL, "print the verdict and reasons as JSON", 1, 0 },
	{ 0, "jsonl", NULL, "check JSON lines {id, text, lang} from stdin",
	    1, 0 },
	{ 0, "lang", "lang", "the text's language (en, zh)", 0, 0 },
	{ 'm', "message", "text", "the text to check", 2, CMD_OPT_SHORT },
	{ 'F', "file", "file", "read the text from file ('-' for stdin)", 2,
	    CMD_OPT_SHORT },
	{ 0 }
};

static const struct cmd_opt redact_opts[] = {
	{ 0, "jsonl", NULL, "redact JSON lines {id, text} from stdin", 0, 0 },
	{ 'm', "message", "text", "the text to redact", 2, CMD_OPT_SHORT },
	{ 'F', "file", "file", "read the text from file ('-' for stdin)", 2,
	    CMD_OPT_SHORT },
	{ 0 }
};

static int
guard_args(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	struct cmd_legacy l;
	int rc;

	cmd_args_legacy(a, 0, &l);
	rc = strcmp(e->name, "guard") == 0 ? exec_guard(ctx, l.argc, l.argv) :
	    exec_redact(ctx, l.argc, l.argv);
	cmd_legacy_free(&l);
	return rc;
}

const struct cmd_entry cmd_guard_entry = {
	.name = "guard",
	.summary = "check a reply with the reply guard",
	.flags = 0,
	.opts = guard_opts,
	.operands = "[-]",
	.exec = guard_args,
};

const struct cmd_entry cmd_redact_entry = {
	.name = "redact",
	.summary = "remove secrets (seed phrases, keys, codes) from text",
	.flags = CMD_NOCONFIG,
	.opts = redact_opts,
	.operands = "[-]",
	.exec = guard_args,
};

int
cmd_guard_confirm(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, int yes, const char *what)
{
	enum guard_verdict worst = GUARD_OK;
	struct tdesk_err err = { 0 };
	struct buf why = BUF_INIT;

	if (ch->comment == NULL || !ch->comment_public)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct guard_result r = { 0 };
		if (store_guard_ticket(ctx->st, ids[i], ch->comment, NULL, &r,
		    &err) < 0)
			return cmd_fail(&err);
		if (r.verdict > worst || (r.verdict == worst && why.len == 0 &&
		    r.n)) {
			worst = r.verdict;
			buf_reset(&why);
			guard_describe(&r, ch->comment, strlen(ch->comment),
			    &why);
		}
		guard_result_free(&r);
	}
	int rc = 0;
	if (worst == GUARD_BLOCK && (ch->guard_override == NULL ||
	    !*ch->guard_override)) {
		fprintf(stderr, "tdesk %s: blocked by the reply guard:\n%s"
		    "tdesk: nothing was queued; fix the text, or give "
		    "--override REASON to send it anyway (audited)\n", what,
		    why.data);
		rc = EXIT_BLOCKED;
	} else if (worst == GUARD_BLOCK) {
		fprintf(stderr, "tdesk %s: the reply guard blocks this text; "
		    "overridden (%s), recorded in the audit log:\n%s", what,
		    ch->guard_override, why.data);
	} else if (worst == GUARD_WARN) {
		fprintf(stderr, "tdesk %s: the reply guard warns:\n%s", what,
		    why.data);
		FILE *tty = !yes && ctx->is_tty_in ? fopen("/dev/tty", "r+") :
		    NULL;
		if (tty) {
			char line[16];
			fputs("Send it anyway? [y/N] ", tty);
			fflush(tty);
			int ok = fgets(line, sizeof(line), tty) &&
			    (line[0] == 'y' || line[0] == 'Y');
			fclose(tty);
			if (!ok) {
				fputs("tdesk: nothing was queued\n", stderr);
				rc = EXIT_BLOCKED;
			}
		}
	}
	buf_free(&why);
	return rc;
}
