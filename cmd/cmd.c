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
extern const struct cmd_entry cmd_classify_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_guard_entry;
extern const struct cmd_entry cmd_redact_entry;
extern const struct cmd_entry cmd_audit_entry;
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
	&cmd_classify_entry,
	&cmd_stats_entry,
	&cmd_guard_entry,
	&cmd_redact_entry,
	&cmd_audit_entry,
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
	fprintf(f, "usage: tdesk %s\n", e->usage);
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

static int
parse_id(const char *s, int64_t *out)
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
				if (parse_id(p, &(*ids)[*n]) < 0) {
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
		if (parse_id(argv[i], &(*ids)[*n]) < 0) {
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
		if (editor_run(ctx->env.editor, ctx->env.tmpdir, template,
		    &b, err) < 0) {
			if (err != NULL && err->kind == TDESK_EUSAGE)
				err_set(err, TDESK_EUSAGE, "the editor ('%s') "
				    "failed; nothing was queued",
				    ctx->env.editor);
			goto fail;
		}
		/* drop the template's comment lines */
		if (template) {
			struct buf kept = BUF_INIT;
			char *line = b.data ? b.data : "";
			while (*line) {
				size_t n = strcspn(line, "\n");
				if (line[0] != '#')
					buf_add(&kept, line, n + (line[n] ==
					    '\n'));
				line += n + (line[n] == '\n');
			}
			buf_free(&b);
			b = kept;
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
