/* SPDX-License-Identifier: MIT */
/*
 * Internal to ui/: the UI state shared by the views, the named actions and
 * key tables, colour roles and the one sanitising draw path. Never included
 * outside ui/.
 */
#ifndef TDESK_UI_INT_H
#define TDESK_UI_INT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "ui/ui.h"

/* How long a read waits for a key before idle work, in ms. */
#define UI_TICK_MS 250

/* --- text (pure, no curses) ------------------------------------------- */

/* One displayable unit of customer text: either a code point of the given
 * width (1 or 2, or 0 for a combining mark following a base), or a visible
 * ASCII marker standing for something unprintable ("^[", "<U+202E>"). */
struct ui_glyph {
	uint32_t cp;
	int width;
	char marker[16];	/* "" unless the unit is shown as a marker */
};

/* Decode the next unit of s (len bytes left, > 0). have_base says whether a
 * printable character precedes (combining marks need one). Newlines and
 * tabs come back as themselves with width -1: the caller decides. Returns
 * the bytes consumed. */
size_t ui_text_next(const char *s, size_t len, int have_base,
    struct ui_glyph *g);
/* Append s made printable and cut to at most width display columns
 * (newlines and tabs become spaces); pad with spaces to width when pad.
 * A cut string ends with "…". Returns the columns appended. */
int ui_text_fit(struct buf *out, const char *s, int width, int pad);
/* Display columns s would take after ui_text_fit's cleaning. */
int ui_text_width(const char *s);
/* Split s into lines of at most width columns as ui_put will draw them
 * (words kept whole when possible); fn gets each line as a raw slice of s,
 * to be cleaned when drawn. */
typedef void (*ui_line_fn)(const char *line, size_t len, void *arg);
void ui_text_wrap(const char *s, int width, ui_line_fn fn, void *arg);

/* --- colour roles --------------------------------------------------------- */

enum ui_role {
	ROLE_NORMAL,
	ROLE_TITLE,		/* top bar */
	ROLE_TAB_ACTIVE,	/* the current saved view in the top bar */
	ROLE_HEADER,		/* column headings, field names */
	ROLE_STATUS,		/* status bar */
	ROLE_SELECTED,		/* cursor row */
	ROLE_TAGGED,
	ROLE_BREACHED,		/* SLA breached */
	ROLE_SLA_SOON,		/* breaching within the hour */
	ROLE_URGENT,
	ROLE_VIP,
	ROLE_PENDING,		/* waiting in the outbox */
	ROLE_CONFLICT,
	ROLE_NOTE,		/* internal note */
	ROLE_PUBLIC,		/* public reply by an agent */
	ROLE_CUSTOMER,		/* message from the requester */
	ROLE_MARKER,		/* what the sanitiser made visible */
	ROLE_ERROR,
	ROLE_MESSAGE,
	ROLE__N
};

/* --- actions and key tables -------------------------------------------- */

enum ui_table {
	UI_TABLE_GLOBAL,
	UI_TABLE_LIST,
	UI_TABLE_TICKET,
	UI_TABLE_OUTBOX,
	UI_TABLE_HELP,
	UI_TABLE__N
};

enum ui_action {
	ACT_NONE = 0,
	ACT_QUIT, ACT_HELP, ACT_SYNC, ACT_OUTBOX, ACT_LIMIT, ACT_REDRAW,
	ACT_VIEW_NEXT, ACT_VIEW_PREV,
	ACT_VIEW_1, ACT_VIEW_2, ACT_VIEW_3, ACT_VIEW_4, ACT_VIEW_5,
	ACT_VIEW_6, ACT_VIEW_7, ACT_VIEW_8, ACT_VIEW_9,
	ACT_DOWN, ACT_UP, ACT_TOP, ACT_BOTTOM, ACT_PAGE_DOWN, ACT_PAGE_UP,
	ACT_OPEN, ACT_BACK,
	ACT_TAG, ACT_TAG_QUERY, ACT_UNTAG_ALL, ACT_TAG_PREFIX,
	ACT_REPLY, ACT_REPLY_EDITOR, ACT_NOTE, ACT_NOTE_EDITOR,
	ACT_STATUS, ACT_PRIORITY, ACT_TAGS_ADD, ACT_TAGS_REMOVE, ACT_ASSIGN,
	ACT_GROUP, ACT_FAQ, ACT_MACRO,
	ACT_NEXT_TICKET, ACT_PREV_TICKET,
	ACT_KEEP, ACT_EDIT, ACT_DROP,
	ACT__N
};

/* Keys: a character is its code point; curses KEY_* codes are offset. */
#define UI_KEYCODE(k)	(0x200000 + (k))

const char *ui_action_name(enum ui_action a);
const char *ui_action_help(enum ui_action a);
const char *ui_table_name(enum ui_table t);
/* The key's name as written in config ("j", "C-d", "Enter"); buf >= 16. */
const char *ui_key_name(int key, char buf[static 16]);
/* -1 when the name is not a key. */
int ui_key_parse(const char *name);

struct ui_keymap;
/* Build the tables with the config bindings applied; NULL and err when a
 * binding is bad. */
struct ui_keymap *ui_keymap_new(const struct ui_keybind *keys, size_t n,
    struct tdesk_err *err);
void ui_keymap_free(struct ui_keymap *km);
/* The action for key in table t, falling back to the global table. */
enum ui_action ui_keymap_lookup(const struct ui_keymap *km, enum ui_table t,
    int key);
/* Call fn for every binding of table t, in table order. */
typedef void (*ui_binding_fn)(enum ui_table t, int key, enum ui_action a,
    void *arg);
void ui_keymap_each(const struct ui_keymap *km, enum ui_table t,
    ui_binding_fn fn, void *arg);

/* --- the UI ------------------------------------------------------------- */

enum ui_screen {
	SCREEN_LIST,
	SCREEN_TICKET,
	SCREEN_OUTBOX,
	SCREEN_HELP,
};

/* Reaction flags: what the next loop turn must refetch or redraw. */
enum {
	DIRTY_DRAW = 1 << 0,	/* repaint the screen */
	DIRTY_ROWS = 1 << 1,	/* refetch the visible list window */
	DIRTY_COUNTS = 1 << 2,	/* recount views and the list total */
	DIRTY_TICKET = 1 << 3,	/* reload the open ticket */
	DIRTY_OUTBOX = 1 << 4,	/* reload the outbox rows */
	DIRTY_CLEAR = 1 << 5,	/* clear the terminal before drawing */
};

struct ui_row {
	int64_t id;
	struct store_ticket t;	/* owned copy */
};

struct ui_saved {
	char *name;
	char *query;
	struct store_query *q;	/* NULL when the query does not parse */
	int64_t count;		/* -1 until counted */
};

struct ui_line {
	char *text;
	enum ui_role role;
	int indent;
};

struct ui_obrow {
	int64_t id;
	int64_t ticket_id;
	int64_t created_at;
	char *kind;
	char *state;
	char *summary;
	char *body;
	char *error;
};

struct ui_sync {
	pid_t pid;		/* 0 when not running */
	int errfd;		/* stderr of the child, non-blocking */
	char lasterr[160];
	int64_t last_start;
	int64_t last_ok;	/* time of the last successful sync */
	int last_status;	/* exit status of the last sync, -1 none */
};

struct ui {
	struct store *st;
	const struct ui_opts *opts;
	struct ui_keymap *km;
	int dirty;
	int quit;
	enum ui_screen screen;
	enum ui_screen help_from;
	enum ui_screen ticket_from;	/* where q from a ticket returns */
	int rows, cols;
	int64_t data_version;
	int no_color;

	/* saved views and the list */
	struct ui_saved *views;
	size_t n_views;
	size_t view;		/* current saved view */
	char *limit;		/* a limit replacing the view's query */
	struct store_query *q;	/* the query shown */
	char *qerr;		/* last query error, shown in the status line */
	int64_t top, cur;	/* first visible row, selected row */
	int64_t total;		/* -1 until counted */
	struct ui_row *win;	/* the visible window of rows */
	size_t n_win, cap_win;
	int64_t *tagged;	/* sorted ticket ids */
	size_t n_tagged, cap_tagged;
	int prefix;		/* ';' pressed: next action on tagged */
	int counts_next;	/* next saved view to count, -1 done */

	/* the open ticket */
	int64_t tid;
	struct store_ticket ticket;
	int have_ticket;
	struct ui_line *lines;
	size_t n_lines, cap_lines;
	int64_t scroll;

	/* outbox view */
	struct ui_obrow *ob;
	size_t n_ob, cap_ob;
	int64_t ob_cur;
	struct ui_line *oblines;	/* detail pane of the selected row */
	size_t n_oblines, cap_oblines;

	int64_t help_scroll;		/* the help page shown */
	char *help_search;		/* '/' on the help screen */

	char msg[256];		/* message line */
	int msg_error;

	struct ui_sync sync;
	int64_t next_sync;

	struct ui_picker *pick;	/* open FAQ or macro picker, drawn on top */

	FILE *trace;
	int64_t t0_us;
	int painted;
};

/* draw.c: colour roles and the one place that puts text on the screen */
void ui_colors_init(int no_color);
int ui_attr(enum ui_role r);	/* curses attributes for a role */
/* Draw s at (y, x) in at most maxw columns with role r, cleaned through
 * ui_text_next (markers in ROLE_MARKER); returns columns used. */
int ui_put(int y, int x, int maxw, const char *s, enum ui_role r);
/* Fill the rest of row y from x with blanks in role r. */
void ui_fill(int y, int x, enum ui_role r);
void ui_draw(struct ui *ui);
/* The help screen by task, in pages (help.c); help_scroll is the page. */
void ui_help_draw(struct ui *ui);
int64_t ui_help_pages(struct ui *ui);
/* Paging and '/' search on the help screen; 0 when a is not one. */
int ui_help_key(struct ui *ui, enum ui_action a);

/* ui.c */
void ui_message(struct ui *ui, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int64_t ui_now_us(void);
/* Act on the reaction flags: refetch what is stale, draw, refresh. */
void ui_update(struct ui *ui);
/* Background work while no key is pressed (counts, sync, data_version). */
void ui_idle(struct ui *ui);
void ui_resize(struct ui *ui);
/* With TDESK_UI_TRACE: log a key handled at t0 as drawn now. */
void ui_trace_key(struct ui *ui, int64_t t0, const char *what);

/* list.c */
void ui_list_init(struct ui *ui);
void ui_list_free(struct ui *ui);
int ui_list_set_query(struct ui *ui, const char *text, int quiet);
const char *ui_list_query_text(const struct ui *ui);
void ui_list_fetch(struct ui *ui);
void ui_list_draw(struct ui *ui);
void ui_list_move(struct ui *ui, int64_t delta);
void ui_list_goto(struct ui *ui, int64_t row);
int ui_list_count_step(struct ui *ui);
int64_t ui_list_current_id(const struct ui *ui);
int ui_list_is_tagged(const struct ui *ui, int64_t id);
void ui_list_tag_toggle(struct ui *ui, int64_t id);
void ui_list_tag_query(struct ui *ui, const char *text);
void ui_list_select_view(struct ui *ui, size_t v);
int ui_list_body_rows(const struct ui *ui);

/* ticket.c */
void ui_ticket_open(struct ui *ui, int64_t id);
void ui_ticket_load(struct ui *ui);
void ui_ticket_draw(struct ui *ui);
void ui_ticket_scroll(struct ui *ui, int64_t delta);
void ui_lines_reset(struct ui_line **lines, size_t *n);
void ui_lines_add(struct ui_line **lines, size_t *n, size_t *cap,
    const char *text, enum ui_role role, int indent);
/* Add s wrapped to width, each line with role and indent. */
void ui_lines_wrap(struct ui_line **lines, size_t *n, size_t *cap,
    const char *s, int width, enum ui_role role, int indent);

/* outbox.c */
void ui_outbox_load(struct ui *ui);
void ui_outbox_draw(struct ui *ui);
void ui_outbox_free(struct ui *ui);
void ui_outbox_key(struct ui *ui, enum ui_action a);

/* prompt.c */
/* Read a line at the bottom of the screen. Returns a malloced UTF-8
 * string, or NULL on cancel. With live, fn is called after every edit.
 * C-e hands the text to the editor when editor_ok (sets *to_editor). */
typedef void (*ui_prompt_fn)(struct ui *ui, const char *text, void *arg);
char *ui_prompt(struct ui *ui, const char *label, const char *init,
    ui_prompt_fn live, void *arg, int editor_ok, int *to_editor);
/* One key among choices (e.g. "nophsc"); 0 on cancel. */
int ui_choose(struct ui *ui, const char *label, const char *choices);
/* y/N question; 1 only for y. */
int ui_confirm(struct ui *ui, const char *question);
/* Run $VISUAL/$EDITOR on a temp file holding init; the edited text
 * (malloced), or NULL when empty, unchanged-empty or failed. */
char *ui_editor(struct ui *ui, const char *init);

/* child.c */
void ui_sync_start(struct ui *ui);
/* Reap and read the child; returns 1 when its state changed. */
int ui_sync_poll(struct ui *ui);
void ui_sync_stop(struct ui *ui);
/* Take up a sync finished elsewhere (a shell, cron): the replica says when. */
void ui_sync_notice(struct ui *ui);
void ui_sync_status(const struct ui *ui, struct buf *out);

/* actions.c */
void ui_act(struct ui *ui, enum ui_action a);
/* The tickets an action applies to: the tagged ones after ';', else the
 * selected or open one. Caller frees *ids; 0 when none. */
size_t ui_act_targets(struct ui *ui, int64_t **ids);
/* Ask "what on N tickets?" when n is above the confirm threshold; 1 go. */
int ui_act_confirm(struct ui *ui, const char *what, size_t n);
/* The compose path of 'r' / 'n' with the text pre-filled (init may be
 * NULL): inline prompt, C-e or editor for $EDITOR, then the outbox. */
void ui_act_comment(struct ui *ui, int public, int editor, const char *init);

/* picker.c: modal pickers drawn over the screen */
/* FAQ answers: search as you type, Enter opens a reply pre-filled with
 * the answer in the requester's language. */
void ui_pick_faq(struct ui *ui);
/* Macros: filter as you type, preview on the current ticket, Enter
 * applies (to the tagged tickets after ';'). */
void ui_pick_macro(struct ui *ui);
/* Draw the open picker over rows 0 .. rows-3 (called by ui_draw). */
void ui_picker_draw(struct ui *ui);

#endif
