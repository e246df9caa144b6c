/* SPDX-License-Identifier: MIT */
/*
 * Colour roles and the one place text reaches the screen. ui_put draws
 * only what ui_text_next calls printable, so no byte of customer text can
 * become an escape sequence, a cursor move or a carriage return.
 */
#include <curses.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui_int.h"

/* Per role: 8-colour pair, 256-colour pair, extra attributes in colour,
 * attributes on a monochrome terminal (or NO_COLOR). */
static const struct {
	short fg, bg, fg256, bg256;
	int attr, mono;
} roles[ROLE__N] = {
	[ROLE_NORMAL] = { -1, -1, -1, -1, 0, 0 },
	[ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, 255, 24, A_BOLD, A_REVERSE },
	[ROLE_TAB_ACTIVE] = { COLOR_BLACK, COLOR_CYAN, 16, 117, A_BOLD,
	    A_BOLD | A_UNDERLINE },
	[ROLE_HEADER] = { COLOR_CYAN, -1, 110, -1, A_BOLD, A_BOLD },
	[ROLE_STATUS] = { COLOR_WHITE, COLOR_BLUE, 255, 24, 0, A_REVERSE },
	[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 16, 153, 0, A_REVERSE },
	[ROLE_TAGGED] = { COLOR_MAGENTA, -1, 176, -1, A_BOLD, A_BOLD },
	[ROLE_BREACHED] = { COLOR_RED, -1, 196, -1, A_BOLD, A_BOLD },
	[ROLE_SLA_SOON] = { COLOR_YELLOW, -1, 214, -1, 0, A_UNDERLINE },
	[ROLE_URGENT] = { COLOR_RED, -1, 203, -1, 0, A_BOLD },
	[ROLE_VIP] = { COLOR_MAGENTA, -1, 170, -1, A_BOLD, A_BOLD },
	[ROLE_PENDING] = { COLOR_YELLOW, -1, 178, -1, 0, 0 },
	[ROLE_CONFLICT] = { COLOR_WHITE, COLOR_RED, 231, 124, A_BOLD,
	    A_REVERSE | A_BOLD },
	[ROLE_NOTE] = { COLOR_YELLOW, -1, 220, 236, 0, A_DIM },
	[ROLE_PUBLIC] = { COLOR_GREEN, -1, 114, -1, 0, 0 },
	[ROLE_CUSTOMER] = { -1, -1, -1, -1, 0, 0 },
	[ROLE_MARKER] = { COLOR_BLACK, COLOR_YELLOW, 16, 221, 0, A_REVERSE },
	[ROLE_ERROR] = { COLOR_RED, -1, 196, -1, A_BOLD, A_BOLD },
	[ROLE_MESSAGE] = { -1, -1, -1, -1, 0, 0 },
};

static int role_attr[ROLE__N];

void
ui_colors_init(int no_color)
{
	int r, c256;

	if (no_color || !has_colors() || start_color() == ERR) {
		for (r = 0; r < ROLE__N; r++)
			role_attr[r] = roles[r].mono;
		return;
	}
	use_default_colors();
	c256 = COLORS >= 256 && COLOR_PAIRS > ROLE__N;
	for (r = 0; r < ROLE__N; r++) {
		short fg = c256 ? roles[r].fg256 : roles[r].fg;
		short bg = c256 ? roles[r].bg256 : roles[r].bg;

		if (fg == -1 && bg == -1) {
			role_attr[r] = roles[r].attr;
			continue;
		}
		init_pair((short)(r + 1), fg, bg);
		role_attr[r] = (int)COLOR_PAIR(r + 1) | roles[r].attr;
	}
	/* without colour the note still needs its text marker; with it,
	 * make sure a selected row stays visible */
	role_attr[ROLE_SELECTED] |= A_BOLD;
}

int
ui_attr(enum ui_role r)
{
	return r < ROLE__N ? role_attr[r] : 0;
}

static void
flush(wchar_t *w, int *n, int attr)
{
	if (*n == 0)
		return;
	attrset(attr);
	addnwstr(w, *n);
	*n = 0;
}

int
ui_put(int y, int x, int maxw, const char *s, enum ui_role r)
{
	struct ui_glyph g;
	wchar_t run[128];
	size_t len, i = 0;
	int n = 0, col = 0, base = 0, attr = ui_attr(r), gw;

	if (s == NULL || maxw <= 0)
		return 0;
	len = strlen(s);
	move(y, x);
	while (i < len) {
		i += ui_text_next(s + i, len - i, base, &g);
		gw = g.width < 0 ? 1 : g.width;
		if (col + gw > maxw)
			break;
		if (n >= (int)ARRAY_LEN(run) - 2)
			flush(run, &n, attr);
		if (g.width < 0) {
			run[n++] = L' ';
			base = 0;
		} else if (g.marker[0] != '\0') {
			flush(run, &n, attr);
			attrset(ui_attr(ROLE_MARKER) | (attr & A_REVERSE));
			addstr(g.marker);
			base = 0;
		} else {
			run[n++] = (wchar_t)g.cp;
			base = 1;
		}
		col += gw;
	}
	flush(run, &n, attr);
	attrset(A_NORMAL);
	return col;
}

void
ui_fill(int y, int x, enum ui_role r)
{
	int cols = getmaxx(stdscr);

	if (x >= cols)
		return;
	attrset(ui_attr(r));
	mvhline(y, x, ' ', cols - x);
	attrset(A_NORMAL);
}

/* With nothing to say, the bottom line of the queue shows the four keys
 * a newcomer needs first. */
static void
draw_first_keys(struct ui *ui)
{
	if (ui->screen != SCREEN_LIST)
		return;
	ui_put(ui->rows - 1, 0, ui->cols, " Enter open   r reply   / search   "
	    "? help and every key", ROLE_MESSAGE);
}

static void
draw_status(struct ui *ui)
{
	struct buf b = BUF_INIT;

	if (ui->qerr != NULL && ui->screen == SCREEN_LIST)
		buf_printf(&b, " %s |", ui->qerr);
	buf_printf(&b, " %s", ui->opts->desk_name ? ui->opts->desk_name :
	    "tdesk");
	if (ui->screen == SCREEN_LIST || ui->screen == SCREEN_TICKET) {
		if (ui->total >= 0)
			buf_printf(&b, "  %lld/%lld", (long long)(ui->total ?
			    ui->cur + 1 : 0), (long long)ui->total);
		else
			buf_printf(&b, "  %lld/?", (long long)ui->cur + 1);
		if (ui->limit != NULL && ui->screen == SCREEN_LIST)
			buf_printf(&b, "  limit: %s", ui->limit);
		if (ui->n_tagged)
			buf_printf(&b, "  tagged:%zu", ui->n_tagged);
		if (ui->prefix)
			buf_adds(&b, "  [;]");
	}
	if (ui->n_pending > 0)
		buf_printf(&b, "  outbox:%lld", (long long)ui->n_pending);
	if (ui->n_conflict > 0)
		buf_printf(&b, "  conflicts:%lld", (long long)ui->n_conflict);
	if (ui->n_failed > 0)
		buf_printf(&b, "  failed:%lld", (long long)ui->n_failed);
	buf_adds(&b, "  | ");
	ui_sync_status(ui, &b);
	buf_adds(&b, "  | ?:help");
	ui_fill(ui->rows - 2, 0, ROLE_STATUS);
	ui_put(ui->rows - 2, 0, ui->cols, b.data, ui->qerr != NULL &&
	    ui->screen == SCREEN_LIST ? ROLE_ERROR : ROLE_STATUS);
	buf_free(&b);

	move(ui->rows - 1, 0);
	clrtoeol();
	if (ui->msg[0] != '\0')
		ui_put(ui->rows - 1, 0, ui->cols, ui->msg,
		    ui->msg_error ? ROLE_ERROR : ROLE_MESSAGE);
	else
		draw_first_keys(ui);
}

void
ui_draw(struct ui *ui)
{
	if (ui->dirty & DIRTY_CLEAR)
		clearok(curscr, TRUE);
	erase();
	if (ui->rows < 5 || ui->cols < 20) {
		ui_put(0, 0, ui->cols, "terminal too small", ROLE_ERROR);
		return;
	}
	if (ui->pick != NULL) {
		ui_picker_draw(ui);
		draw_status(ui);
		return;
	}
	switch (ui->screen) {
	case SCREEN_LIST:
		ui_list_draw(ui);
		break;
	case SCREEN_TICKET:
		ui_ticket_draw(ui);
		break;
	case SCREEN_OUTBOX:
		ui_outbox_draw(ui);
		break;
	case SCREEN_HELP:
		ui_help_draw(ui);
		break;
	case SCREEN_STATS:
		ui_stats_draw(ui);
		break;
	}
	draw_status(ui);
	if (ui->prompt != NULL)
		ui_prompt_draw(ui);
}
