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

void
ui_update(struct ui *ui)
{
	/* first forget the counts, so a window near the end is never placed
	 * by a total from before the change */
	if (ui->dirty & DIRTY_COUNTS) {
		ui->counts_next = 0;
		ui->total = -1;
		ui->dirty &= ~DIRTY_COUNTS;
	}
	if (ui->dirty & DIRTY_ROWS)
		ui_list_fetch(ui);
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
		ui->dirty &= ~(DIRTY_DRAW | DIRTY_CLEAR);
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
	    DIRTY_DRAW;
}

void
ui_idle(struct ui *ui)
{
	int64_t v, now = time_now();

	if (ui->painted)
		ui_list_count_step(ui);
	ui_sync_poll(ui);
	if (store_data_version(ui->st, &v, NULL) == 0 &&
	    v != ui->data_version) {
		ui->data_version = v;
		ui->dirty |= DIRTY_ROWS | DIRTY_COUNTS | DIRTY_TICKET |
		    DIRTY_OUTBOX | DIRTY_DRAW;
		ui_sync_notice(ui);
	}
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
	if (ui_list_set_query(ui, text, 0) == 0)
		ui_list_fetch(ui);
}

static void
do_limit(struct ui *ui)
{
	char *old = xstrdup(ui_list_query_text(ui)), *text;

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
}

static void
tag_query(struct ui *ui)
{
	char *text = ui_prompt(ui, "tag tickets matching: ", "", NULL, NULL,
	    0, NULL);

	if (text != NULL && *text != '\0')
		ui_list_tag_query(ui, text);
	free(text);
}

static int
global_action(struct ui *ui, enum ui_action a)
{
	switch (a) {
	case ACT_QUIT:
		ui->quit = 1;
		return 1;
	case ACT_HELP:
		if (ui->screen != SCREEN_HELP)
			ui->help_from = ui->screen;
		ui->screen = SCREEN_HELP;
		ui->help_scroll = 0;
		break;
	case ACT_SYNC:
		ui_sync_start(ui);
		break;
	case ACT_OUTBOX:
		ui->screen = SCREEN_OUTBOX;
		ui->ob_cur = 0;
		ui->dirty |= DIRTY_OUTBOX;
		break;
	case ACT_LIMIT:
		do_limit(ui);
		break;
	case ACT_REDRAW:
		ui->dirty |= DIRTY_CLEAR;
		break;
	case ACT_VIEW_NEXT:
	case ACT_VIEW_PREV:
		ui->screen = SCREEN_LIST;
		ui_list_select_view(ui, (ui->view + (a == ACT_VIEW_NEXT ? 1 :
		    ui->n_views - 1)) % ui->n_views);
		break;
	case ACT_VIEW_1: case ACT_VIEW_2: case ACT_VIEW_3: case ACT_VIEW_4:
	case ACT_VIEW_5: case ACT_VIEW_6: case ACT_VIEW_7: case ACT_VIEW_8:
	case ACT_VIEW_9:
		ui->screen = SCREEN_LIST;
		ui_list_select_view(ui, (size_t)(a - ACT_VIEW_1));
		break;
	case ACT_TAG_PREFIX:
		if (ui->n_tagged == 0)
			ui_message(ui, 1, "no tagged tickets");
		else {
			ui->prefix = 1;
			ui_message(ui, 0, "next action applies to %zu tagged "
			    "tickets", ui->n_tagged);
		}
		return 1;
	case ACT_REPLY: case ACT_REPLY_EDITOR: case ACT_NOTE:
	case ACT_NOTE_EDITOR: case ACT_STATUS: case ACT_PRIORITY:
	case ACT_TAGS_ADD: case ACT_TAGS_REMOVE:
	case ACT_ASSIGN: case ACT_GROUP: case ACT_FAQ: case ACT_MACRO:
		ui_act(ui, a);
		return 1;
	default:
		return 0;
	}
	ui->dirty |= DIRTY_DRAW;
	return 1;
}

static void
list_action(struct ui *ui, enum ui_action a)
{
	int64_t page = ui_list_body_rows(ui);

	switch (a) {
	case ACT_DOWN: ui_list_move(ui, 1); break;
	case ACT_UP: ui_list_move(ui, -1); break;
	case ACT_TOP: ui_list_goto(ui, 0); break;
	case ACT_BOTTOM: ui_list_goto(ui, INT64_MAX / 2); break;
	case ACT_PAGE_DOWN:
		ui->top += page;
		if (ui->total >= 0 && ui->top >= ui->total)
			ui->top = ui->total > page ? ui->total - page : 0;
		ui->dirty |= DIRTY_ROWS;
		ui_list_fetch(ui);
		ui_list_goto(ui, ui->cur + page);
		break;
	case ACT_PAGE_UP:
		ui->top = ui->top > page ? ui->top - page : 0;
		ui_list_fetch(ui);
		ui_list_goto(ui, ui->cur - page);
		break;
	case ACT_OPEN:
		ui_ticket_open(ui, ui_list_current_id(ui));
		break;
	case ACT_TAG:
		ui_list_tag_toggle(ui, ui_list_current_id(ui));
		ui_list_move(ui, 1);
		break;
	case ACT_TAG_QUERY: tag_query(ui); break;
	case ACT_UNTAG_ALL:
		ui->n_tagged = 0;
		ui_message(ui, 0, "no ticket tagged");
		break;
	default:
		ui_message(ui, 1, "'%s' does nothing in the list",
		    ui_action_name(a));
	}
}

static void
back(struct ui *ui)
{
	/* a ticket opened from the outbox goes back there */
	if (ui->screen == SCREEN_TICKET && ui->ticket_from == SCREEN_OUTBOX) {
		ui->screen = SCREEN_OUTBOX;
		ui->dirty |= DIRTY_OUTBOX | DIRTY_DRAW;
		return;
	}
	ui->screen = SCREEN_LIST;
	ui->dirty |= DIRTY_ROWS | DIRTY_DRAW;
}

static void
ticket_action(struct ui *ui, enum ui_action a)
{
	int64_t page = ui->rows - 3;

	switch (a) {
	case ACT_DOWN: ui_ticket_scroll(ui, 1); break;
	case ACT_UP: ui_ticket_scroll(ui, -1); break;
	case ACT_TOP: ui_ticket_scroll(ui, -INT64_MAX / 2); break;
	case ACT_BOTTOM: ui_ticket_scroll(ui, INT64_MAX / 2); break;
	case ACT_PAGE_DOWN: ui_ticket_scroll(ui, page); break;
	case ACT_PAGE_UP: ui_ticket_scroll(ui, -page); break;
	case ACT_BACK: back(ui); break;
	case ACT_NEXT_TICKET:
	case ACT_PREV_TICKET:
		ui_list_move(ui, a == ACT_NEXT_TICKET ? 1 : -1);
		ui_ticket_open(ui, ui_list_current_id(ui));
		break;
	case ACT_TAG:
		ui_list_tag_toggle(ui, ui->tid);
		ui_message(ui, 0, "#%lld %s", (long long)ui->tid,
		    ui_list_is_tagged(ui, ui->tid) ? "tagged" : "untagged");
		break;
	default:
		ui_message(ui, 1, "'%s' does nothing here",
		    ui_action_name(a));
	}
}

static void
help_action(struct ui *ui, enum ui_action a)
{
	if (a == ACT_BACK) {
		ui->screen = ui->help_from;
		if (ui->screen == SCREEN_OUTBOX)
			ui->dirty |= DIRTY_OUTBOX;
		ui->dirty |= DIRTY_DRAW;
		return;
	}
	ui_help_key(ui, a);	/* pages and search: ui/help.c */
}

static void
handle_key(struct ui *ui, int key)
{
	static const enum ui_table tables[] = {
		[SCREEN_LIST] = UI_TABLE_LIST,
		[SCREEN_TICKET] = UI_TABLE_TICKET,
		[SCREEN_OUTBOX] = UI_TABLE_OUTBOX,
		[SCREEN_HELP] = UI_TABLE_HELP,
	};
	enum ui_action a = ui_keymap_lookup(ui->km, tables[ui->screen], key);
	int prefix = ui->prefix;
	char kb[16];

	ui->msg[0] = '\0';
	if (a == ACT_NONE) {
		ui_message(ui, 1, "key '%s' is not bound (? for help)",
		    ui_key_name(key, kb));
		ui->prefix = 0;
		return;
	}
	if (ui->screen == SCREEN_HELP)
		help_action(ui, a);
	else if (ui->screen == SCREEN_OUTBOX && a != ACT_QUIT &&
	    a != ACT_HELP &&
	    a != ACT_SYNC && a != ACT_LIMIT && a != ACT_REDRAW &&
	    (a < ACT_VIEW_NEXT || a > ACT_VIEW_9)) {
		if (a == ACT_BACK)
			back(ui);
		else
			ui_outbox_key(ui, a);
	} else if (!global_action(ui, a)) {
		if (ui->screen == SCREEN_LIST)
			list_action(ui, a);
		else
			ticket_action(ui, a);
	}
	if (prefix && a != ACT_TAG_PREFIX)
		ui->prefix = 0;
	ui->dirty |= DIRTY_DRAW;
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

static void
ui_free(struct ui *ui)
{
	ui_list_free(ui);
	if (ui->have_ticket)
		store_ticket_clear(&ui->ticket);
	ui_lines_reset(&ui->lines, &ui->n_lines);
	free(ui->lines);
	ui_outbox_free(ui);
	ui_keymap_free(ui->km);
	free(ui->help_search);
	if (ui->trace != NULL)
		fclose(ui->trace);
}

int
ui_run(struct store *st, const struct ui_opts *opts, struct tdesk_err *err)
{
	struct ui ui = { 0 };
	const char *nc = getenv("NO_COLOR"), *tr = getenv("TDESK_UI_TRACE");
	SCREEN *scr;
	int64_t t0;
	int key;

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
	ui.no_color = opts->no_color || (nc != NULL && *nc != '\0');
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
		    "UI: unknown terminal '%s'", getenv("TERM") ?
		    getenv("TERM") : "");
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

	while (!ui.quit) {
		ui_update(&ui);
		if (!read_key(&ui, &key)) {
			ui_idle(&ui);
			continue;
		}
		t0 = ui_now_us();
		handle_key(&ui, key);
		if (!ui.quit) {
			ui_update(&ui);
			if (ui.trace != NULL) {
				char kb[16];

				ui_trace_key(&ui, t0, ui_key_name(key, kb));
			}
		}
	}
	ui_sync_stop(&ui);
	endwin();
	delscreen(scr);
	ui_free(&ui);
	return 0;
}
