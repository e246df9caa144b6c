/* SPDX-License-Identifier: MIT */
/*
 * The command table: one file per subcommand, each exporting a
 * `const struct cmd_entry`. Internal to cmd/.
 */
#ifndef TDESK_CMD_H
#define TDESK_CMD_H

#include <stdio.h>
#include <sys/types.h>

#include "cmd/args.h"
#include "cmd/config.h"
#include "store/store.h"

/* Exit statuses, documented in tdesk(1) EXIT STATUS. */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,		/* database, I/O, unexpected */
	EXIT_USAGE = 2,		/* bad arguments, query, config; --yes needed */
	EXIT_NOTFOUND = 3,	/* unknown ticket, action, desk */
	EXIT_CONFLICT = 4,	/* actions need the agent (outbox conflicts) */
	EXIT_NETWORK = 5,	/* remote unreachable or failing */
	EXIT_PARTIAL = 6,	/* some items of a batch failed */
	EXIT_AUTH = 7,		/* credentials refused */
	EXIT_BUSY = 8,		/* locked by another writer, or another sync
				 * runs on this desk */
	EXIT_NOSPACE = 9,	/* the disk or the file size limit is full */
	EXIT_READONLY = 10,	/* the replica cannot be written */
	EXIT_SIGNAL = 128,	/* + the signal that stopped a write */
	EXIT_BLOCKED = 11,	/* the reply guard blocked the text */
};

enum cmd_flags {
	CMD_DESK = 1 << 0,	/* needs an existing desk (ctx->st open) */
	CMD_DESK_CREATE = 1 << 1, /* creates the desk if missing */
	CMD_NOCONFIG = 1 << 2,	/* runs even when config.yaml is bad */
	CMD_DEFAULT = 1 << 3,	/* what `tdesk` alone runs on a terminal */
	CMD_DEMO_DESK = 1 << 4,	/* without -d, works on the demo desk */
	CMD_DASH_OPERANDS = 1 << 5, /* "-word" no option claims is an operand */
	CMD_PAGER = 1 << 6,	/* on a terminal, output goes to a pager */
};

/* What the environment says, read once by cmd_env_load (cmd/env.c). */
struct cmd_env {
	const char *editor;	/* $VISUAL, else $EDITOR; NULL when neither */
	const char *tmpdir;	/* $TMPDIR, NULL when unset */
	const char *ui_trace;	/* $TDESK_UI_TRACE: the UI logs key times */
	const char *term;	/* $TERM */
	int no_color;		/* $NO_COLOR set and not empty */
	const char *opener;	/* $TDESK_OPENER: opens attachments */
	int attach_timeout;	/* $TDESK_ATTACHMENT_TIMEOUT seconds, 0 unset */
};

/* Read the environment into env; pins the clock when TDESK_NOW is set. */
void cmd_env_load(struct cmd_env *env);
/* A data file (or folder) of tdesk: the installed one (DATADIR/installed)
 * or the source tree's (SRCDIR/in_source). A binary run from its build
 * tree prefers the source tree's, any other the installed one; the other
 * is taken when the preferred one is missing. Caller frees. */
struct cmd_ctx;
char *cmd_data_file(const struct cmd_ctx *ctx, const char *installed,
    const char *in_source);

struct cmd_ctx {
	const char *progname;	/* "tdesk" */
	const char *self_exe;	/* absolute path of this binary */
	const char *desk_arg;	/* -d/--desk as given, or NULL */
	char *desk_name;	/* resolved name ("demo", "work", path) */
	char *desk_path;	/* resolved replica file */
	struct config *cfg;	/* never NULL */
	struct store *st;	/* open when the entry has CMD_DESK */
	int is_tty_out;		/* stdout is a terminal (before any pager) */
	int is_tty_in;
	struct cmd_env env;
	int cols;		/* the terminal's width, 80 when unknown */
	pid_t pager_pid;	/* > 0 while stdout goes to a pager */
	int saved_stdout;
};

/*
 * One subcommand. Its usage line, generated from verbs, opts and operands,
 * equals its SYNOPSIS line in tdesk(1); `tdesk CMD --help` adds a line
 * per option.
 */
struct cmd_entry {
	const char *name;
	const char *summary;	/* one line for `tdesk --help` */
	int flags;		/* enum cmd_flags */
	const char *verbs;	/* "list|show|apply" before the options */
	const struct cmd_opt *opts; /* ends with a zeroed entry */
	const char *operands;	/* "id ...", after the options */
	const char *paged_verbs; /* CMD_PAGER: only these ("list show") */
	/* a holds the parsed options and operands; an exit status */
	int (*exec)(struct cmd_ctx *ctx, const struct cmd_entry *e,
	    struct cmd_args *a);
};

extern const struct cmd_entry *const cmd_table[];

#define CMD_MAIN_USAGE \
    "usage: tdesk [-d desk] [-c config] [--no-pager] [command [args ...]]\n"
/* What `tdesk --help` prints: usage and one line per command. */
void cmd_main_help(FILE *f);

/* A ticket as one JSON object (tdesk list --json, tdesk show --json;
 * cmd_list.c). */
void cmd_ticket_json(FILE *f, const struct store_ticket *t);
/* Print "tdesk: msg" to stderr and return the exit status for err. */
int cmd_fail(const struct tdesk_err *err);
/* The triage lines of tdesk show (category, why, wait, suggestions), as
 * JSON members when json (cmd_classify.c). */
void cmd_triage_show(struct cmd_ctx *ctx, int64_t id, int json);
/* Print "tdesk CMD: msg" and return EXIT_USAGE. */
int cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print "usage: ..." for e to f. */
void cmd_print_usage(const struct cmd_entry *e, FILE *f);
int cmd_exit_for(enum tdesk_errkind kind);

/* Whether s is a desk name: letters, digits, '.', '_' and '-', not
 * starting with '.' or '-' (cmd_init.c). */
int cmd_desk_name_ok(const char *s);

/* Open ctx->desk_path into ctx->st (create when create != 0). */
int cmd_open_desk(struct cmd_ctx *ctx, int create, struct tdesk_err *err);

/* Call fn for each replica in the data directory that no configured desk
 * names: its name and file (cmd_desks.c). */
void cmd_local_replicas(struct cmd_ctx *ctx, void (*fn)(const char *name,
    const char *file, void *arg), void *arg);

/* tdesk redact --server (cmd_redact_server.c). */
int cmd_redact_server(struct cmd_ctx *ctx, const struct cmd_entry *e,
    const struct cmd_args *a);

/* A positive id, "#" allowed before it: 0, or -1 when s is none. */
int cmd_parse_id(const char *s, int64_t *out);

/* Read ticket ids from argv[from..argc) and, for "-", from stdin. */
int cmd_read_ids(int argc, char **argv, int from, int64_t **ids, size_t *n,
    struct tdesk_err *err);

/*
 * Ask before a write that touches n tickets: passes when n is within the
 * configured threshold or yes is set; on a terminal it asks; otherwise it
 * fails with a message naming --yes. Returns 0 to go on, else an exit
 * status.
 */
int cmd_confirm_bulk(struct cmd_ctx *ctx, size_t n, int yes,
    const char *what);

/* The line below which the editor's file is tdesk's, not the message
 * (as git commit's): it cannot collide with a line of a reply. */
#define CMD_SCISSORS "# ------------------------ >8 ------------------------"

/* Read a message body: -m TEXT, -F FILE ("-" for stdin), else $VISUAL /
 * $EDITOR on a temporary file holding an empty first line, then the
 * scissors line and template (context for the agent), all cut off again.
 * Fails on empty or non-UTF-8 bodies. */
int cmd_read_body(struct cmd_ctx *ctx, const char *text, const char *file,
    const char *template, char **out, struct tdesk_err *err);

/* The editor's context for a reply or note ("what") to ids: who it goes
 * to and, for one ticket, the customer's latest messages quoted. */
void cmd_editor_context(struct cmd_ctx *ctx, const char *what,
    const int64_t *ids, size_t n, struct buf *out);

/* Load the starter pack and the agent's macros (faq == 0) or FAQ answers
 * (faq == 1) into the desk when their files changed; an exit status. */
int cmd_content_refresh(struct cmd_ctx *ctx, int faq);
/* The custom field the desk's backend keeps the agent's category in
 * (`zendesk: category_field:` for a Zendesk desk), 0 when it has none:
 * the category then stays local. */
int64_t cmd_category_field(const struct cmd_ctx *ctx);

/* Run the reply guard on a public comment for each ticket before it is
 * queued: print the reasons, refuse a block without an override, ask
 * about a warning on a terminal (unless yes). 0 to go on, else an exit
 * status. */
int cmd_guard_confirm(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, int yes, const char *what);

/* termsafe.c: route stdout and stderr through the output sanitiser (on
 * for every command but the UI); off restores the real streams. The raw
 * stderr is for tdesk's own cursor control (sync progress). */
void cmd_termsafe_on(void);
void cmd_termsafe_off(void);
FILE *cmd_raw_stderr(void);
/* The terminal's width in columns (COLUMNS, else 80). */
int cmd_term_cols(void);
/* Send stdout through the pager ($TDESK_PAGER, $PAGER, less -FRX);
 * nothing when it is "" or "cat". cmd_pager_end waits for it. */
void cmd_pager_start(struct cmd_ctx *ctx);
void cmd_pager_end(struct cmd_ctx *ctx);

/* Fill r from the desk's config entry (cmd_sync.c); r borrows from
 * ctx->cfg. 0, or -1 with err (TDESK_EUSAGE) when the desk has no
 * remote. */
struct sync_remote;
int cmd_sync_remote(struct cmd_ctx *ctx, struct sync_remote *r,
    struct tdesk_err *err);

/* Open the full-screen UI on ctx->st (query may be NULL). */
int cmd_run_ui(struct cmd_ctx *ctx, const char *query);

/* Write s as a JSON string literal to f. */
void cmd_json_str(FILE *f, const char *s);
/* Write ',"key":' then s as a JSON string, or null when s is NULL or
 * empty and empty_null is set. */
void cmd_json_member(FILE *f, const char *key, const char *s, int empty_null);
/* Write ',"key":' then s as a JSON string ("" when s is NULL). */
void cmd_json_text(FILE *f, const char *key, const char *s);
/* Write the space-separated words of s (tags, rule names) as a JSON array
 * of strings. */
void cmd_json_words(FILE *f, const char *s);

#endif
