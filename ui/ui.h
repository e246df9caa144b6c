/* SPDX-License-Identifier: MIT */
/*
 * The full-screen terminal UI over the replica. cmd/ fills ui_opts from the
 * configuration; the UI never reads config files and never links sync/: it
 * runs `tdesk sync` as a child process and watches the replica.
 */
#ifndef TDESK_UI_H
#define TDESK_UI_H

#include <stdio.h>

#include "store/store.h"

struct ui_view {
	const char *name;
	const char *query;
};

/* A rebinding from config: in view ("list", "ticket", "outbox", "global"),
 * key (e.g. "j", "C-d", "Enter", "F5") runs the named action. */
struct ui_keybind {
	const char *view;
	const char *key;
	const char *action;
};

struct ui_opts {
	const char *desk_name;		/* shown in the status line */
	const char *self_exe;		/* path of tdesk, to run `tdesk sync` */
	const char *desk_arg;		/* value to pass as -d to children */
	int sync_interval;		/* seconds between syncs, 0 = never */
	int confirm_threshold;		/* bulk actions above this ask */
	const struct ui_view *views;	/* extra saved views from config */
	size_t n_views;
	const struct ui_keybind *keys;
	size_t n_keys;
	int no_color;			/* NO_COLOR set or --no-color */
	const char *editor;		/* command for long text ("vi") */
	const char *tmpdir;		/* for the editor's file; NULL /tmp */
	const char *trace_path;		/* log key times here; NULL none */
	const char *term;		/* $TERM, for error messages */
	const char *initial_query;	/* NULL: the first saved view */
	const char *signature;		/* ends a FAQ reply; NULL: agent name */
	int no_redact_api;		/* the helpdesk cannot redact (RT) */
	const char *opener;		/* $TDESK_OPENER; NULL: xdg-open */
	int attach_timeout;		/* seconds a download may take, 0: 60 */
	int64_t category_field;		/* the backend's field for the
					 * agent's category; 0: local only */
};

/* Run the UI until the agent quits. Returns 0, or -1 with err filled
 * (e.g. not a terminal, bad key binding). */
int ui_run(struct store *st, const struct ui_opts *opts,
    struct tdesk_err *err);

/* Validate config key bindings without starting curses (for cmd/). */
int ui_keys_check(const struct ui_keybind *keys, size_t n,
    struct tdesk_err *err);

/*
 * Format one queue row for ticket t in exactly width display columns
 * (appended to out, no newline): id, SLA countdown relative to now,
 * priority, status, channel, language, flags (V vip, ! urgent, ^ waiting
 * in the outbox, C conflict), [requester at width >= 100], subject, age.
 * Customer text is cleaned and cut by display columns. Pure: no curses.
 */
void ui_row_format(struct buf *out, const struct store_ticket *t, int width,
    int64_t now);
/* How wide the channel column is in a row of width columns. */
int ui_row_chan_width(int width);
/* Where the flags sit in a row of width columns (for colouring them). */
#define UI_ROW_FLAG_COL(width)	(28 + ui_row_chan_width(width))
/* Where the SLA column sits in a row (for colouring it). */
#define UI_ROW_SLA_COL	8
#define UI_ROW_SLA_WIDTH	5

/* Print the default key tables, one binding a line:
 * "VIEW<TAB>KEY<TAB>ACTION<TAB>DESCRIPTION". */
void ui_keys_dump(FILE *f);

#endif
