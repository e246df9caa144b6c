/* SPDX-License-Identifier: MIT */
/*
 * ui_run: curses set-up and the loop. Keys map to named actions through the
 * key tables; handlers only set reaction flags; ui_update is the one place
 * that refetches and draws per loop turn. Idle turns count views, reap the
 * sync child and watch the replica's data_version.
 */
#include <curses.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ui/ui_int.h"


int64_t
ui_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
ui_message(struct ui *ui, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_error = error;
	ui->dirty |= DIRTY_DRAW;
}

void
ui_trace_key(struct ui *ui, int64_t t0, const char *what)
{
	if (ui->trace == NULL)
		return;
	fprintf(ui->trace, "key %s %lld\n", what,
	    (long long)(ui_now_us() - t0));
	fflush(ui->trace);
}

/* The outbox counts of the status line; -1 (hidden) when unknown. */
static void
outbox_counts(struct ui *ui)
{
	if (store_outbox_count(ui->st, STORE_OUTBOX_PENDING, &ui->n_pending,
	    NULL) < 0)
		ui->n_pending = -1;
	if (store_outbox_count(ui->st, STORE_OUTBOX_CONFLICT,
	    &ui->n_conflict, NULL) < 0)
		ui->n_conflict = -1;
	if (store_outbox_count(ui->st, STORE_OUTBOX_FAILED, &ui->n_failed,
	    NULL) < 0)
		ui->n_failed = -1;
}

void
ui_update(struct ui *ui)
{
	int drew = 0;

	/* what was typed first: a live limit sets the query fetched below */
	if (ui->dirty & (DIRTY_INPUT | DIRTY_DETAIL)) {
		if (ui->pick != NULL)
			ui_picker_update(ui, ui->dirty & DIRTY_INPUT);
		else if (ui->prompt != NULL && (ui->dirty & DIRTY_INPUT))
			ui_prompt_live(ui);
		else if (ui->screen == SCREEN_OUTBOX &&
		    !(ui->dirty & DIRTY_OUTBOX))
			ui_outbox_detail(ui);
		ui->dirty &= ~(DIRTY_INPUT | DIRTY_DETAIL);
	}
	/* then forget the counts, so a window near the end is never placed
	 * by a total from before the change */
	if (ui->dirty & DIRTY_COUNTS) {
		ui_list_refresh(ui);
		outbox_counts(ui);
		ui->dirty &= ~DIRTY_COUNTS;
	}
	if (ui->dirty & DIRTY_TAGQ) {
		if (ui->tagq != NULL)
			ui_list_tag_query(ui, ui->tagq);
		free(ui->tagq);
		ui->tagq = NULL;
		ui->dirty &= ~DIRTY_TAGQ;
	}
	if (ui->dirty & DIRTY_ROWS)
		ui_list_fetch(ui);
	if (ui->dirty & DIRTY_OPEN) {
		ui->dirty &= ~DIRTY_OPEN;
		ui_ticket_open(ui, ui_list_current_id(ui));
	}
	if (ui->dirty & DIRTY_TICKET) {
		if (ui->screen == SCREEN_TICKET ||
		    (ui->screen == SCREEN_HELP &&
		    ui->help_from == SCREEN_TICKET))
			ui_ticket_load(ui);
		ui->dirty &= ~DIRTY_TICKET;
	}
	if (ui->dirty & DIRTY_OUTBOX) {
		if (ui->screen == SCREEN_OUTBOX)
			ui_outbox_load(ui);
		ui->dirty &= ~DIRTY_OUTBOX;
	}
	if (ui->dirty & (DIRTY_DRAW | DIRTY_CLEAR)) {
		ui_draw(ui);
		drew = 1;
	} else if ((ui->dirty & DIRTY_PROMPT) && ui->prompt != NULL) {
		ui_prompt_draw(ui);
		drew = 1;
	}
	ui->dirty &= ~(DIRTY_DRAW | DIRTY_CLEAR | DIRTY_PROMPT);
	if (!drew)
		return;
	if (ui->pick != NULL && ui->prompt == NULL)
		ui_picker_cursor(ui);
	else if (ui->prompt == NULL)
		curs_set(0);
	refresh();
	if (!ui->painted) {
		ui->painted = 1;
		if (ui->trace != NULL) {
			fprintf(ui->trace, "paint %lld %lld\n",
			    (long long)(ui_now_us() - ui->t0_us),
			    (long long)real_ns());
			fflush(ui->trace);
		}
	}
}

void
ui_resize(struct ui *ui)
{
	int body;

	getmaxyx(stdscr, ui->rows, ui->cols);
	body = ui_list_body_rows(ui);
	if (ui->cur >= ui->top + body)
		ui->top = ui->cur - body + 1;
	ui->dirty |= DIRTY_ROWS | DIRTY_TICKET | DIRTY_OUTBOX | DIRTY_CLEAR |
	    DIRTY_DRAW | (ui->pick != NULL ? DIRTY_DETAIL : 0);
}

void
ui_idle(struct ui *ui)
{
	int64_t v, now = time_now();

	if (ui->painted)
		ui_list_count_step(ui);
	ui_sync_poll(ui);
	ui_attach_poll(ui);
	if (store_data_version(ui->st, &v, NULL) == 0 &&
	    v != ui->data_version) {
		ui->data_version = v;
		ui->dirty |= DIRTY_ROWS | DIRTY_COUNTS | DIRTY_TICKET |
		    DIRTY_OUTBOX | DIRTY_DRAW;
		ui_sync_notice(ui);
	}
	/* relative times in the queries ("sla<1h") move on with the clock */
	if (ui->painted && now - ui->compiled_at >= UI_RECOMPILE_S)
		ui->dirty |= DIRTY_ROWS | DIRTY_COUNTS | DIRTY_DRAW;
	if (ui->opts->sync_interval > 0 && ui->sync.pid == 0 &&
	    ui->painted && now >= ui->next_sync) {
		ui->next_sync = now + ui->opts->sync_interval;
		ui_sync_start(ui);
	}
}

static int
idle_pending(const struct ui *ui)
{
	return ui->painted && (ui->total < 0 || ui->counts_next >= 0);
}

static void
limit_live(struct ui *ui, const char *text, void *arg)
{
	(void)arg;
	ui_list_set_query(ui, text, 0);
}

int
act_limit(struct ui *ui, int arg)
{
	char *old = xstrdup(ui_list_query_text(ui)), *text;

	(void)arg;
	ui->screen = SCREEN_LIST;
	/* an empty prompt: a pasted tx hash is a search, not a query error
	 * glued to the view's query (Esc keeps the old one) */
	text = ui_prompt(ui, "limit: ", "", limit_live, NULL, 0, NULL);
	if (text == NULL || ui_list_set_query(ui, text, 0) < 0) {
		if (text != NULL)
			ui_message(ui, 1, "%s", ui->qerr ? ui->qerr : "");
		ui_list_set_query(ui, old, 1);
	} else {
		free(ui->limit);
		ui->limit = NULL;
		if (strcmp(text, ui->views[ui->view].query) != 0)
			ui->limit = xstrdup(text);
	}
	free(text);
	free(old);
	return DIRTY_DRAW;
}

int
act_quit(struct ui *ui, int arg)
{
	(void)arg;
	ui->quit = 1;
	return R_DONE;
}

int
act_help(struct ui *ui, int arg)
{
	(void)arg;
	if (ui->screen != SCREEN_HELP)
		ui->help_from = ui->screen;
	ui->screen = SCREEN_HELP;
	ui->help_scroll = 0;
	free(ui->help_search);
	ui->help_search = NULL;
	return DIRTY_DRAW;
}

int
act_help_back(struct ui *ui, int arg)
{
	(void)arg;
	ui->screen = ui->help_from;
	return ui->screen == SCREEN_OUTBOX ? DIRTY_OUTBOX | DIRTY_DRAW :
	    DIRTY_DRAW;
}

int
act_sync(struct ui *ui, int arg)
{
	(void)arg;
	ui_sync_start(ui);
	return DIRTY_DRAW;
}

int
act_outbox(struct ui *ui, int arg)
{
	(void)arg;
	ui->screen = SCREEN_OUTBOX;
	ui->ob_cur = 0;
	return DIRTY_OUTBOX | DIRTY_DRAW;
}

int
act_redraw(struct ui *ui, int arg)
{
	(void)ui;
	(void)arg;
	return DIRTY_CLEAR | DIRTY_DRAW;
}

int
act_view_step(struct ui *ui, int step)
{
	ui->screen = SCREEN_LIST;
	ui_list_select_view(ui, (ui->view + (step > 0 ? 1 : ui->n_views - 1)) %
	    ui->n_views);
	return DIRTY_DRAW;
}

int
act_view(struct ui *ui, int n)
{
	ui->screen = SCREEN_LIST;
	ui_list_select_view(ui, (size_t)n);
	return DIRTY_DRAW;
}

int
act_tag_prefix(struct ui *ui, int arg)
{
	(void)arg;
	if (ui->n_tagged == 0) {
		ui_message(ui, 1, "no tagged tickets");
		return DIRTY_DRAW;
	}
	ui->prefix = 1;
	ui_message(ui, 0, "next action applies to %zu tagged tickets",
	    ui->n_tagged);
	return R_KEEP_PREFIX | DIRTY_DRAW;
}

int
act_back(struct ui *ui, int arg)
{
	(void)arg;
	/* a ticket opened from the outbox goes back there */
	if (ui->screen == SCREEN_TICKET && ui->ticket_from == SCREEN_OUTBOX) {
		ui->screen = SCREEN_OUTBOX;
		return DIRTY_OUTBOX | DIRTY_DRAW;
	}
	ui->screen = SCREEN_LIST;
	return DIRTY_ROWS | DIRTY_DRAW;
}

int
act_unbound(struct ui *ui, int arg)
{
	char kb[16];

	(void)arg;
	ui_message(ui, 1, "key '%s' is not bound (? for help)",
	    ui_key_name(ui->key, kb));
	return DIRTY_DRAW;
}

int
act_cancel(struct ui *ui, int arg)
{
	(void)ui;
	(void)arg;
	return R_CANCEL;
}

const struct store_ticket *
ui_current_ticket(const struct ui *ui)
{
	int64_t i = ui->cur - ui->top;

	if (ui->screen == SCREEN_TICKET)
		return ui->have_ticket ? &ui->ticket : NULL;
	if (i < 0 || i >= (int64_t)ui->n_win)
		return NULL;
	return &ui->win[i].t;
}

/* The table of what has the keyboard: a question, a picker, a screen. */
static enum ui_table
focus(const struct ui *ui)
{
	if (ui->prompt != NULL)
		return ui_prompt_choosing(ui) ? UI_TABLE_CHOOSE :
		    UI_TABLE_PROMPT;
	if (ui->pick != NULL)
		return ui_picker_browsing(ui) ? UI_TABLE_BROWSE :
		    UI_TABLE_PICKER;
	return ui_table_of_screen(ui->screen);
}

static int
read_key(struct ui *ui, int *key)
{
	wint_t ch;
	int r;

	timeout(idle_pending(ui) ? 0 : UI_TICK_MS);
	r = get_wch(&ch);
	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES) {
		if (ch == KEY_RESIZE) {
			ui_resize(ui);
			return 0;
		}
		*key = ch == KEY_ENTER ? '\n' : UI_KEYCODE((int)ch);
		return 1;
	}
	if (ch == '\r')
		ch = '\n';
	if (ch == 127 || ch == 8)
		*key = UI_KEYCODE(KEY_BACKSPACE);
	else
		*key = (int)ch;
	return 1;
}

/* Dispatch one key; on a screen the message line is cleared first, the
 * screen is redrawn after and ';' lasts for one action. */
static int
dispatch(struct ui *ui, enum ui_table t, int key)
{
	int screen = t <= UI_TABLE_HELP, prefix = ui->prefix, r;

	ui->key = key;
	if (screen)
		ui->msg[0] = '\0';
	r = ui_table_dispatch(ui, t, key);
	if (screen) {
		if (prefix && !(r & R_KEEP_PREFIX))
			ui->prefix = 0;
		r |= DIRTY_DRAW;
	}
	ui->dirty |= r & DIRTY__ALL;
	return r;
}

int
ui_loop(struct ui *ui)
{
	enum ui_table t;
	int64_t t0;
	char kb[16];
	int key, r;

	for (;;) {
		ui_update(ui);
		if (!read_key(ui, &key)) {
			ui_idle(ui);
			continue;
		}
		t0 = ui_now_us();
		t = focus(ui);
		r = dispatch(ui, t, key);
		if (r & (R_DONE | R_CANCEL))
			return r & (R_DONE | R_CANCEL);
		ui_update(ui);
		if (t <= UI_TABLE_HELP)
			ui_trace_key(ui, t0, ui_key_name(key, kb));
		else if (t == UI_TABLE_PROMPT && (r & DIRTY_INPUT) &&
		    ui_prompt_is_live(ui))
			ui_trace_key(ui, t0, "prompt");
		else if ((t == UI_TABLE_PICKER || t == UI_TABLE_BROWSE) &&
		    (r & (DIRTY_INPUT | DIRTY_DETAIL)))
			ui_trace_key(ui, t0, "picker");
	}
}

static void
ui_free(struct ui *ui)
{
	ui_list_free(ui);
	if (ui->have_ticket)
		store_ticket_clear(&ui->ticket);
	ui_lines_reset(&ui->lines, &ui->n_lines);
	free(ui->lines);
	buf_free(&ui->triage_tail);
	ui_outbox_free(ui);
	ui_attach_free(ui);
	ui_keymap_free(ui->km);
	free(ui->help_search);
	if (ui->trace != NULL)
		fclose(ui->trace);
}

int
ui_run(struct store *st, const struct ui_opts *opts, struct tdesk_err *err)
{
	struct ui ui = { 0 };
	const char *tr = opts->trace_path;
	SCREEN *scr;
	ui.t0_us = ui_now_us();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(err, TDESK_EUSAGE, "the UI needs a terminal");
	if ((ui.km = ui_keymap_new(opts->keys, opts->n_keys, err)) == NULL)
		return -1;
	ui.st = st;
	ui.opts = opts;
	ui.sync.last_status = -1;
	ui_sync_notice(&ui);
	ui.sync.errfd = -1;
	ui.no_color = opts->no_color;
	if (tr != NULL && *tr != '\0') {
		ui.trace = fopen(tr, "a");
		if (ui.trace != NULL)
			fprintf(ui.trace, "start %lld\n", (long long)real_ns());
	}
	setlocale(LC_ALL, "");
	if ((scr = newterm(NULL, stdout, stdin)) == NULL) {
		ui_keymap_free(ui.km);
		if (ui.trace != NULL)
			fclose(ui.trace);
		return err_set(err, TDESK_EUSAGE, "cannot start the terminal "
		    "UI: unknown terminal '%s'", opts->term ? opts->term :
		    "");
	}
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	ui_colors_init(ui.no_color);
	getmaxyx(stdscr, ui.rows, ui.cols);
	ui_list_init(&ui);
	store_data_version(st, &ui.data_version, NULL);
	if (opts->initial_query != NULL) {
		ui.limit = xstrdup(opts->initial_query);
		ui_list_set_query(&ui, ui.limit, 0);
	} else if (ui.n_views > 0)
		ui_list_set_query(&ui, ui.views[0].query, 0);
	ui.next_sync = time_now();
	ui.dirty |= DIRTY_ROWS | DIRTY_DRAW | DIRTY_COUNTS;

	ui_loop(&ui);
	ui_sync_stop(&ui);
	endwin();
	delscreen(scr);
	ui_free(&ui);
	return 0;
}
