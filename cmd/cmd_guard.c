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

/* One JSON line's answer after {"id":..: the rest of the object. */
typedef void (*jsonl_fn)(struct cmd_ctx *ctx, const struct buf *line,
    const struct buf *text, struct buf *out);

/* Read {"id","text",...} lines on stdin, one answer line each: blank
 * lines skipped, a line without a text string answered with an error. */
static int
jsonl_each(struct cmd_ctx *ctx, jsonl_fn fn)
{
	struct buf line = BUF_INIT, out = BUF_INIT;

	while (read_line(stdin, &line)) {
		struct buf id = BUF_INIT, text = BUF_INIT;
		if (strspn(line.data, " \t\r") == line.len)
			continue;
		int ok = json_member(line.data, line.len, "text", NULL, &text);
		json_member(line.data, line.len, "id", &id, NULL);
		buf_reset(&out);
		buf_adds(&out, "{\"id\":");
		id_json(&out, &id);
		if (ok != 1) {
			buf_adds(&out, ",\"error\":\"expected an object with "
			    "a \\\"text\\\" string\"}\n");
		} else {
			if (text.data == NULL)
				buf_adds(&text, "");
			fn(ctx, &line, &text, &out);
		}
		fwrite(out.data, 1, out.len, stdout);
		buf_free(&id);
		buf_free(&text);
	}
	buf_free(&line);
	buf_free(&out);
	return EXIT_OK;
}

static void
guard_line(struct cmd_ctx *ctx, const struct buf *line,
    const struct buf *text, struct buf *out)
{
	struct buf lang = BUF_INIT;
	struct guard_result r = { 0 };

	json_member(line->data, line->len, "lang", NULL, &lang);
	guard_check(ctx->cfg->guard, text->data, text->len, lang.len ?
	    lang.data : NULL, NULL, &r);
	buf_addc(out, ',');
	size_t at = out->len;
	guard_json(&r, text->data, text->len, out);
	/* {"id":..,{"verdict":..}} -> one object */
	memmove(out->data + at, out->data + at + 1, out->len - at);
	out->len--;
	buf_adds(out, "\n");
	guard_result_free(&r);
	buf_free(&lang);
}

/* The text of -m, -F FILE or the operand "-" (stdin; also when none is
 * given). Returns 0, or an exit status. */
static int
text_arg(const struct cmd_entry *e, const struct cmd_args *a,
    struct buf *b)
{
	const char *text = cmd_opt(a, "message"), *file = cmd_opt(a, "file");
	struct tdesk_err err = { 0 };

	for (int i = 0; i < a->argc; i++) {
		if (strcmp(a->argv[i], "-") != 0)
			return cmd_usage_error(e, "unknown argument '%s'",
			    a->argv[i]);
		if (file == NULL)
			file = "-";
		else if (strcmp(file, "-") != 0)
			return cmd_usage_error(e, "give -F or -, not both");
	}
	if (text && file)
		return cmd_usage_error(e, "give -m or -F, not both");
	if (text)
		buf_adds(b, text);
	else if (buf_read_file(b, file ? file : "-", 16 << 20, &err) < 0)
		return cmd_fail(&err);
	if (b->data == NULL)
		buf_adds(b, "");
	return 0;
}

static int
exec_guard(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	struct buf b = BUF_INIT, out = BUF_INIT;
	struct guard_result r = { 0 };
	int rc;

	if (cmd_flag(a, "jsonl"))
		return jsonl_each(ctx, guard_line);
	if ((rc = text_arg(e, a, &b)) != 0) {
		buf_free(&b);
		return rc;
	}
	guard_check(ctx->cfg->guard, b.data, b.len, cmd_opt(a, "lang"), NULL,
	    &r);
	if (cmd_flag(a, "json")) {
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

static void
redact_line(struct cmd_ctx *ctx, const struct buf *line,
    const struct buf *text, struct buf *out)
{
	struct redact_result res = { 0 };
	struct buf red = BUF_INIT;

	(void)ctx;
	(void)line;
	redact_text(text->data, text->len, NULL, &red, &res);
	buf_adds(out, ",\"redacted_text\":");
	json_str(out, red.data, red.len);
	buf_addc(out, ',');
	findings_json(out, &res);
	buf_adds(out, "}\n");
	redact_result_free(&res);
	buf_free(&red);
}

static int
exec_redact(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	struct buf b = BUF_INIT, red = BUF_INIT;
	struct redact_result res = { 0 };
	int rc;

	if (cmd_flag(a, "server"))
		return cmd_redact_server(ctx, e, a);
	if (cmd_flag(a, "jsonl"))
		return jsonl_each(ctx, redact_line);
	if ((rc = text_arg(e, a, &b)) == 0) {
		redact_text(b.data, b.len, NULL, &red, &res);
		fwrite(red.data, 1, red.len, stdout);
		if (red.len && red.data[red.len - 1] != '\n')
			putchar('\n');
	}
	redact_result_free(&res);
	buf_free(&b);
	buf_free(&red);
	return rc;
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
	{ 0, "jsonl", NULL, "redact JSON lines {id, text} from stdin", 1, 0 },
	{ 0, "server", NULL, "queue the redaction of a ticket's comments on "
	    "the server", 1, 0 },
	{ 'm', "message", "text", "the text to redact", 2, CMD_OPT_SHORT },
	{ 'F', "file", "file", "read the text from file ('-' for stdin)", 2,
	    CMD_OPT_SHORT },
	{ 0 }
};

const struct cmd_entry cmd_guard_entry = {
	.name = "guard",
	.summary = "check a reply with the reply guard",
	.flags = 0,
	.opts = guard_opts,
	.operands = "[-]",
	.exec = exec_guard,
};

const struct cmd_entry cmd_redact_entry = {
	.name = "redact",
	.summary = "remove secrets (seed phrases, keys, codes) from text",
	.flags = CMD_NOCONFIG,
	.opts = redact_opts,
	.operands = "[- | ticket [comment]]",
	.exec = exec_redact,
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
