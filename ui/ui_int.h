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
/* Seconds after which the queries are compiled again for the clock. */
#define UI_RECOMPILE_S 60

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

/*
 * The dispatch model: a key is looked up in the key table of what has the
 * keyboard (a screen, the picker, the prompt), the binding names an action,
 * and the action registered under that name for that table runs. Actions
 * are functions (struct ui *, arg) -> reaction bits: the DIRTY_* flags say
 * what ui_update must refetch or redraw, the R_* bits steer the loop. One
 * loop (ui_loop) reads keys for the screens and for every modal question.
 * To add an action: write the function, add one line to the registry in
 * keys.c, and bind it in a default table there.
 */
enum ui_table {
	UI_TABLE_GLOBAL,	/* consulted after list, ticket and outbox */
	UI_TABLE_LIST,
	UI_TABLE_TICKET,
	UI_TABLE_OUTBOX,
	UI_TABLE_HELP,
	UI_TABLE_PICKER,	/* FAQ and macro pickers */
	UI_TABLE_BROWSE,	/* the picker after Tab; then the picker's */
	UI_TABLE_PROMPT,	/* the one-line editor on the bottom line */
	UI_TABLE_CHOOSE,	/* single-key questions: the key is the answer */
	UI_TABLE__N
};

#define UI_IN(t)	(1u << (t))
#define UI_IN_SCREENS	(UI_IN(UI_TABLE_LIST) | UI_IN(UI_TABLE_TICKET) | \
	UI_IN(UI_TABLE_OUTBOX))
#define UI_IN_MOVING	(UI_IN_SCREENS | UI_IN(UI_TABLE_HELP) | \
	UI_IN(UI_TABLE_PICKER) | UI_IN(UI_TABLE_BROWSE))

struct ui;
typedef int ui_act_fn(struct ui *ui, int arg);

struct ui_action {
	const char *name;	/* as bound in config and shown in help */
	ui_act_fn *fn;
	int arg;
	unsigned views;		/* UI_IN() of the tables it applies to */
	const char *help;
};

/* How act_move moves: each table has its own mover. */
enum ui_move {
	MOVE_DOWN, MOVE_UP, MOVE_TOP, MOVE_BOTTOM, MOVE_PAGE_DOWN, MOVE_PAGE_UP,
};

/* Keys: a character is its code point; curses KEY_* codes are offset. */
#define UI_KEYCODE(k)	(0x200000 + (k))

const char *ui_table_name(enum ui_table t);
/* The action called name that applies in table t; NULL when none does. */
const struct ui_action *ui_action_for(const char *name, enum ui_table t);
/* Run the action bound to key in table t (falling back as the table says,
 * else the table's action for other keys); returns the reaction bits. */
int ui_table_dispatch(struct ui *ui, enum ui_table t, int key);
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
/* The action name bound to key in table t alone; NULL when unbound. */
const char *ui_keymap_lookup(const struct ui_keymap *km, enum ui_table t,
    int key);
/* The name of the first key that runs action in table t (for hints on
 * screen), or "unbound". */
const char *ui_key_for(const struct ui *ui, enum ui_table t,
    const char *action, char buf[static 16]);
/* Call fn for every binding of table t, in table order. */
typedef void (*ui_binding_fn)(enum ui_table t, int key,
    const struct ui_action *a, void *arg);
void ui_keymap_each(const struct ui_keymap *km, enum ui_table t,
    ui_binding_fn fn, void *arg);

/* The actions, by the file they live in (registered in keys.c). */
ui_act_fn act_quit, act_help, act_help_back, act_sync, act_outbox,
    act_limit, act_redraw, act_view_step, act_view, act_move, act_back,
    act_tag_prefix, act_unbound, act_cancel;			/* ui.c */
ui_act_fn act_list_open, act_list_tag, act_tag_query, act_untag_all;
								/* list.c */
ui_act_fn act_ticket_tag, act_next_ticket;			/* ticket.c */
ui_act_fn act_ob_open, act_ob_keep, act_ob_edit, act_ob_drop;	/* outbox.c */
ui_act_fn act_comment, act_status, act_priority, act_tags, act_assign,
    act_faq, act_macro;						/* actions.c */
ui_act_fn act_prompt_accept, act_prompt_erase, act_prompt_editor,
    act_prompt_insert, act_choose_key;				/* prompt.c */
ui_act_fn act_pick_accept, act_pick_browse, act_pick_type, act_pick_erase,
    act_pick_insert;						/* picker.c */
ui_act_fn act_stats, act_category;				/* triage.c */
ui_act_fn act_redact_server;					/* redact.c */
ui_act_fn act_help_search;					/* help.c */
ui_act_fn act_attachment;					/* attach.c */
enum { ERASE_CHAR, ERASE_WORD, ERASE_LINE };	/* act_prompt_erase's arg */

/* The movers act_move calls, one per table that moves. */
int ui_list_mover(struct ui *ui, enum ui_move how);
int ui_ticket_mover(struct ui *ui, enum ui_move how);
int ui_outbox_mover(struct ui *ui, enum ui_move how);
int ui_help_mover(struct ui *ui, enum ui_move how);
int ui_picker_mover(struct ui *ui, enum ui_move how);

/* --- the UI ------------------------------------------------------------- */

enum ui_screen {
	SCREEN_LIST,
	SCREEN_TICKET,
	SCREEN_OUTBOX,
	SCREEN_HELP,
	SCREEN_STATS,		/* triage: the desk's numbers (ui/triage.c) */
};
/* The key table a screen reads its keys from (ui/keys.c). */
enum ui_table ui_table_of_screen(enum ui_screen s);

/* Reaction flags: what the next loop turn must refetch or redraw. */
enum {
	DIRTY_DRAW = 1 << 0,	/* repaint the screen */
	DIRTY_ROWS = 1 << 1,	/* refetch the visible list window */
	DIRTY_COUNTS = 1 << 2,	/* recount views and the list total */
	DIRTY_TICKET = 1 << 3,	/* reload the open ticket */
	DIRTY_OUTBOX = 1 << 4,	/* reload the outbox rows */
	DIRTY_CLEAR = 1 << 5,	/* clear the terminal before drawing */
	DIRTY_INPUT = 1 << 6,	/* prompt or picker text changed: live
				 * results, refill the picker */
	DIRTY_DETAIL = 1 << 7,	/* rebuild the outbox or picker detail */
	DIRTY_PROMPT = 1 << 8,	/* redraw the prompt line */
	DIRTY_OPEN = 1 << 9,	/* open the selected row after the fetch */
	DIRTY_TAGQ = 1 << 10,	/* tag the rows of ui->tagq */
	DIRTY__ALL = (1 << 11) - 1,
	/* loop control, returned by actions beside the DIRTY_ flags */
	R_DONE = 1 << 16,	/* leave the loop: quit, accept, choose */
	R_CANCEL = 1 << 17,	/* leave the loop: cancelled */
	R_KEEP_PREFIX = 1 << 18,	/* ';' stays armed for the next key */
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
	enum store_outbox_kind kind;
	enum store_outbox_state state;
	char *summary;
	char *body;	/* the action's comment, NULL when none */
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

struct ui_prompt;
struct ui_picker;
struct ui_attach;

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
	int64_t compiled_at;	/* the clock the queries were compiled at */

	/* the open ticket */
	int64_t tid;
	struct store_ticket ticket;
	struct buf triage_tail;	/* suggestions after the conversation */
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

	int64_t help_scroll;	/* help: the page; stats: the line */
	char *help_search;	/* help keeps the lines matching it */
	char *tagq;		/* a tag query waiting for the update step */
	int key;		/* the key being dispatched */

	char msg[256];		/* message line */
	int msg_error;

	struct ui_sync sync;
	int64_t next_sync;
	int64_t n_pending, n_conflict, n_failed;	/* outbox, for the status */

	struct ui_picker *pick;	/* open FAQ or macro picker, drawn on top */
	struct ui_attach *attach;	/* attachments on screen, download */
	struct ui_prompt *prompt;	/* open question on the bottom line */

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
/* The one key loop: update, read a key, dispatch it in the table of what
 * has the keyboard, apply the reactions; idle work between keys. Returns
 * R_DONE or R_CANCEL from the action that ended it. The screens run it
 * from ui_run; a prompt or picker runs it nested while it is open. */
int ui_loop(struct ui *ui);
/* The ticket under the cursor (open, or the selected row); NULL none. */
const struct store_ticket *ui_current_ticket(const struct ui *ui);

/* list.c */
void ui_list_init(struct ui *ui);
void ui_list_free(struct ui *ui);
/* Refresh: compile the saved views again against the clock of now (their
 * relative times move on) and forget every count. */
void ui_list_refresh(struct ui *ui);
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
/* Rebuild the detail pane of the selected row (update step). */
void ui_outbox_detail(struct ui *ui);

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
/* Draw the open prompt on the bottom line, cursor at its end. */
void ui_prompt_draw(struct ui *ui);
/* Update step: give the edited text to the prompt's live function. */
void ui_prompt_live(struct ui *ui);
/* Whether the open prompt is a single-key question; has a live function. */
int ui_prompt_choosing(const struct ui *ui);
int ui_prompt_is_live(const struct ui *ui);

/* child.c */
void ui_sync_start(struct ui *ui);
/* Reap and read the child; returns 1 when its state changed. */
int ui_sync_poll(struct ui *ui);
void ui_sync_stop(struct ui *ui);
/* Take up a sync finished elsewhere (a shell, cron): the replica says when. */
void ui_sync_notice(struct ui *ui);
void ui_sync_status(const struct ui *ui, struct buf *out);

/* actions.c */
/* The tickets an action applies to: the tagged ones after ';', else the
 * selected or open one. Caller frees *ids; 0 when none. */
size_t ui_act_targets(struct ui *ui, int64_t **ids);
/* guard.c: the reply guard's verdict before a public reply is queued;
 * 0 to send (with *override set when the agent overrode a block), -1
 * when the agent stopped. */
int ui_guard(struct ui *ui, const char *text, char **override);
/* Ask "what on N tickets?" when n is above the confirm threshold; 1 go. */
int ui_act_confirm(struct ui *ui, const char *what, size_t n);
/* The compose path of 'r' / 'n' with the text pre-filled (init may be
 * NULL): inline prompt, C-e or editor for $EDITOR, then the outbox; faq
 * names the FAQ answer init came from (for the stats), else NULL. */
void ui_act_comment(struct ui *ui, int public, int editor, const char *init,
    const char *faq);

/* picker.c: modal pickers drawn over the screen */
/* act_faq: search FAQ answers as you type, Enter opens a reply pre-filled
 * with the answer in the requester's language. act_macro: filter macros as
 * you type, preview on the current ticket, Enter applies (to the tagged
 * tickets after ';'). */
/* Update step: refill (refill) and rebuild the preview of the picker. */
void ui_picker_update(struct ui *ui, int refill);
/* Place the cursor on the picker's query line. */
void ui_picker_cursor(struct ui *ui);
/* Whether the open picker moves with j/k (after Tab). */
int ui_picker_browsing(const struct ui *ui);
/* Draw the open picker over rows 0 .. rows-3 (called by ui_draw). */
void ui_picker_draw(struct ui *ui);

/* triage (ui/triage.c): category, why, wait and suggestions in the
 * ticket view; marks the ticket seen */
void ui_triage_lines(struct ui *ui);
void ui_triage_tail(struct ui *ui);
/* The stats screen: the last 7 days, by category, the agent's own. */
void ui_stats_draw(struct ui *ui);

/* attach.c: the open ticket's attachments, numbered under their comment
 * in view order; one downloaded by a `tdesk attachment get` child and
 * opened when the agent asks (act_attachment) */
int ui_attach_load(struct ui *ui, int64_t ticket, struct tdesk_err *err);
void ui_attach_reset(struct ui *ui);
/* Add the lines of comment_id's attachments to the ticket view. */
void ui_attach_lines(struct ui *ui, int64_t comment_id);
/* Idle step: watch the download, stop it past its time, open the file. */
void ui_attach_poll(struct ui *ui);
void ui_attach_free(struct ui *ui);

/* help.c: the key bindings by task, in pages */
void ui_help_draw(struct ui *ui);
/* Ask for a category and set it on the ticket (the agent's override). */
void ui_triage_category(struct ui *ui);

#endif
