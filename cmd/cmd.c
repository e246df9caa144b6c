/* SPDX-License-Identifier: MIT */
/*
 * The command table and the helpers every subcommand shares: error
 * reporting with exit statuses, reading ids and message bodies, and the
 * confirmation asked before bulk writes.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_reply_entry;
extern const struct cmd_entry cmd_note_entry;
extern const struct cmd_entry cmd_set_entry;
extern const struct cmd_entry cmd_outbox_entry;
extern const struct cmd_entry cmd_demo_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_ui_entry;
extern const struct cmd_entry cmd_desks_entry;
extern const struct cmd_entry cmd_keys_entry;
extern const struct cmd_entry cmd_sync_entry;
extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_macro_entry;
extern const struct cmd_entry cmd_faq_entry;
extern const struct cmd_entry cmd_attachment_entry;
extern const struct cmd_entry cmd_classify_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_guard_entry;
extern const struct cmd_entry cmd_redact_entry;
extern const struct cmd_entry cmd_audit_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_completion_entry;
/* more entries: add the extern here and the pointer below */

const struct cmd_entry *const cmd_table[] = {
	&cmd_list_entry,
	&cmd_show_entry,
	&cmd_reply_entry,
	&cmd_note_entry,
	&cmd_set_entry,
	&cmd_outbox_entry,
	&cmd_demo_entry,
	&cmd_import_entry,
	&cmd_ui_entry,
	&cmd_desks_entry,
	&cmd_keys_entry,
	&cmd_sync_entry,
	&cmd_init_entry,
	&cmd_macro_entry,
	&cmd_faq_entry,
	&cmd_attachment_entry,
	&cmd_classify_entry,
	&cmd_stats_entry,
	&cmd_guard_entry,
	&cmd_redact_entry,
	&cmd_audit_entry,
	&cmd_help_entry,
	&cmd_completion_entry,
	NULL
};

int
cmd_exit_for(enum tdesk_errkind kind)
{
	switch (kind) {
	case TDESK_EOK: return EXIT_OK;
	case TDESK_EUSAGE: return EXIT_USAGE;
	case TDESK_ENOTFOUND: return EXIT_NOTFOUND;
	case TDESK_ECONFLICT: return EXIT_CONFLICT;
	case TDESK_ENETWORK: return EXIT_NETWORK;
	case TDESK_EPARTIAL: return EXIT_PARTIAL;
	case TDESK_EAUTH: return EXIT_AUTH;
	case TDESK_EBUSY: return EXIT_BUSY;
	case TDESK_ENOSPACE: return EXIT_NOSPACE;
	case TDESK_EREADONLY: return EXIT_READONLY;
	case TDESK_EINTR: return EXIT_SIGNAL + 2;	/* as after SIGINT */
	case TDESK_EBLOCKED: return EXIT_BLOCKED;
	case TDESK_EGENERIC:
	default: return EXIT_ERROR;
	}
}

int
cmd_fail(const struct tdesk_err *err)
{
	fprintf(stderr, "tdesk: %s\n", err->msg[0] ? err->msg :
	    "unknown error");
	return cmd_exit_for(err->kind == TDESK_EOK ? TDESK_EGENERIC :
	    err->kind);
}

void
cmd_print_usage(const struct cmd_entry *e, FILE *f)
{
	char *u = cmd_usage_line(e);

	fprintf(f, "usage: tdesk %s\n", u);
	free(u);
}

int
cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tdesk %s: ", e->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cmd_print_usage(e, stderr);
	return EXIT_USAGE;
}

int
cmd_open_desk(struct cmd_ctx *ctx, int create, struct tdesk_err *err)
{
	if (ctx->st)
		return 0;
	if (create) {
		/* the data dir is private: replicas hold customer data */
		char *dir = xstrdup(ctx->desk_path);
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			for (char *p = dir + 1; *p; p++) {
				if (*p != '/')
					continue;
				*p = '\0';
				mkdir(dir, 0700);
				*p = '/';
			}
			if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
				err_set(err, TDESK_EGENERIC, "cannot create "
				    "'%s': %s", dir, strerror(errno));
				free(dir);
				return -1;
			}
		}
		free(dir);
	}
	ctx->st = store_open(ctx->desk_path, create ? STORE_CREATE : 0, err);
	if (ctx->st == NULL) {
		if (err->kind == TDESK_ENOTFOUND)
			err_set(err, TDESK_ENOTFOUND, "no desk '%s' (%s): "
			    "run 'tdesk demo' or 'tdesk init'",
			    ctx->desk_name, ctx->desk_path);
		return -1;
	}
	/* triage rules: tickets are classified as they are ingested */
	void cmd_rules_install(struct cmd_ctx *ctx);
	cmd_rules_install(ctx);
	store_set_guard(ctx->st, ctx->cfg->guard);
	return 0;
}

int
cmd_parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s == '#')
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end || errno || v <= 0)
		return -1;
	*out = v;
	return 0;
}

int
cmd_read_ids(int argc, char **argv, int from, int64_t **ids, size_t *n,
    struct tdesk_err *err)
{
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	for (int i = from; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			char line[256];
			int lineno = 0;
			while (fgets(line, sizeof(line), stdin)) {
				lineno++;
				char *p = line + strspn(line, " \t");
				p[strcspn(p, " \t\r\n")] = '\0';
				if (*p == '\0')
					continue;
				if (*n == cap) {
					cap = cap ? cap * 2 : 64;
					*ids = xrealloc(*ids, cap *
					    sizeof(**ids));
				}
				if (cmd_parse_id(p, &(*ids)[*n]) < 0) {
					free(*ids);
					*ids = NULL;
					return err_set(err, TDESK_EUSAGE,
					    "<stdin>:%d: '%s' is not a ticket "
					    "id", lineno, p);
				}
				(*n)++;
			}
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		if (cmd_parse_id(argv[i], &(*ids)[*n]) < 0) {
			free(*ids);
			*ids = NULL;
			return err_set(err, TDESK_EUSAGE, "'%s' is not a ticket "
			    "id", argv[i]);
		}
		(*n)++;
	}
	return 0;
}

int
cmd_confirm_bulk(struct cmd_ctx *ctx, size_t n, int yes, const char *what)
{
	int limit = ctx->cfg->confirm_threshold;

	if (yes || n <= (size_t)limit)
		return 0;
	if (!ctx->is_tty_in) {
		fprintf(stderr, "tdesk: %s would touch %zu tickets (more than "
		    "%d): add --yes to confirm\n", what, n, limit);
		return EXIT_USAGE;
	}
	FILE *tty = fopen("/dev/tty", "r+");
	if (tty == NULL) {
		fprintf(stderr, "tdesk: %s would touch %zu tickets: add --yes "
		    "to confirm\n", what, n);
		return EXIT_USAGE;
	}
	fprintf(tty, "%s will touch %zu tickets. Go on? [y/N] ", what, n);
	fflush(tty);
	char line[16] = "";
	int ok = fgets(line, sizeof(line), tty) &&
	    (line[0] == 'y' || line[0] == 'Y');
	fclose(tty);
	if (!ok) {
		fprintf(stderr, "tdesk: nothing changed\n");
		return EXIT_USAGE;
	}
	return 0;
}

int
cmd_read_body(struct cmd_ctx *ctx, const char *text, const char *file,
    const char *template, char **out, struct tdesk_err *err)
{
	struct buf b = BUF_INIT;

	*out = NULL;
	if (text) {
		buf_adds(&b, text);
	} else if (file) {
		if (buf_read_file(&b, file, 1 << 20, err) < 0)
			goto fail;
	} else {
		if (ctx->env.editor == NULL) {
			err_set(err, TDESK_EUSAGE, "no message: give -m TEXT, "
			    "-F FILE, or set $VISUAL or $EDITOR");
			goto fail;
		}
		/* the context goes below a scissors line, as git commit
		 * does: every line above it is the message, # included */
		char *tpl = template ? xasprintf("\n%s\n%s", CMD_SCISSORS,
		    template) : NULL;
		int rc = editor_run(ctx->env.editor, ctx->env.tmpdir, tpl, &b,
		    err);
		free(tpl);
		if (rc < 0) {
			if (err != NULL && err->kind == TDESK_EUSAGE)
				err_set(err, TDESK_EUSAGE, "the editor ('%s') "
				    "failed; nothing was queued",
				    ctx->env.editor);
			goto fail;
		}
		/* everything from the scissors line down is ours */
		if (template && b.data) {
			char *cut = strstr(b.data, CMD_SCISSORS);
			while (cut && cut != b.data && cut[-1] != '\n')
				cut = strstr(cut + 1, CMD_SCISSORS);
			if (cut) {
				*cut = '\0';
				b.len = (size_t)(cut - b.data);
			}
		}
	}
	if (b.len == 0 || strspn(b.data, " \t\r\n") == b.len) {
		err_set(err, TDESK_EUSAGE, "the message is empty; nothing was "
		    "queued");
		goto fail;
	}
	if (!utf8_valid(b.data, b.len) || strlen(b.data) != b.len) {
		err_set(err, TDESK_EUSAGE, "the message is not valid UTF-8 "
		    "text; nothing was queued");
		goto fail;
	}
	/* trailing newlines are an editor's habit, not the agent's */
	while (b.len && (b.data[b.len - 1] == '\n' ||
	    b.data[b.len - 1] == '\r'))
		b.data[--b.len] = '\0';
	*out = buf_detach(&b);
	return 0;
fail:
	buf_free(&b);
	return -1;
}

void
cmd_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : "");
	    *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7F)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}


void
cmd_json_member(FILE *f, const char *key, const char *s, int empty_null)
{
	fprintf(f, ",\"%s\":", key);
	if (s == NULL || (empty_null && *s == '\0'))
		fputs("null", f);
	else
		cmd_json_str(f, s);
}

void
cmd_json_text(FILE *f, const char *key, const char *s)
{
	fprintf(f, ",\"%s\":", key);
	cmd_json_str(f, s);
}

void
cmd_json_words(FILE *f, const char *s)
{
	int first = 1;

	fputc('[', f);
	while (*s) {
		size_t n = strcspn(s, " ");

		if (n) {
			char *w = xstrndup(s, n);

			if (!first)
				fputc(',', f);
			cmd_json_str(f, w);
			free(w);
			first = 0;
		}
		s += n;
		while (*s == ' ')
			s++;
	}
	fputc(']', f);
}

struct quote {
	struct buf text;	/* the customer's latest messages */
	int n;
};

static int
quote_comment(const struct store_comment *c, void *arg)
{
	struct quote *q = arg;
	char when[21];

	/* an agent's answer starts the customer's turn afresh */
	if (c->author_is_agent) {
		if (c->public) {
			buf_reset(&q->text);
			q->n = 0;
		}
		return 0;
	}
	time_format_iso(c->created_at, when);
	buf_printf(&q->text, "\nOn %s, %s wrote:\n", when, c->author);
	for (const char *p = c->body; *p;) {
		size_t n = strcspn(p, "\n");
		buf_printf(&q->text, ">%s%.*s\n", n ? " " : "", (int)n, p);
		p += n + (p[n] == '\n');
	}
	q->n++;
	return 0;
}

void
cmd_editor_context(struct cmd_ctx *ctx, const char *what, const int64_t *ids,
    size_t n, struct buf *out)
{
	struct tdesk_err err = { 0 };
	struct store_ticket t = { 0 };
	struct quote q = { BUF_INIT, 0 };

	buf_printf(out, "Write your %s above this line; this line and "
	    "everything below it\nare left out.", what);
	if (n != 1 || store_ticket_get(ctx->st, ids[0], &t, &err) != 1) {
		buf_printf(out, " It goes to %zu tickets.\n", n);
		return;
	}
	buf_printf(out, " It goes to #%lld \"%s\" (%s).\n",
	    (long long)t.id, t.subject, *t.requester_name ?
	    t.requester_name : *t.requester ? t.requester : "no requester");
	if (store_comments(ctx->st, t.id, quote_comment, &q, &err) == 0 &&
	    q.n > 0)
		buf_add(out, q.text.data, q.text.len);
	else if (*t.description)
		buf_printf(out, "\n%s\n", t.description);
	buf_free(&q.text);
	store_ticket_clear(&t);
}
