/* SPDX-License-Identifier: MIT */
/*
 * The queue list: saved views with counts, and a window of rows read from
 * SQL (offset + limit of the visible lines). The queue itself is never held
 * in memory; counts are taken after the first paint, one per idle turn.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

static const struct ui_view builtin_views[] = {
	{ "My open", "assignee:me status<solved" },
	{ "Pending", "is:pending" },
	{ "Breaching 1h", "sla<1h status<solved" },
	{ "VIP", "vip:yes status<solved" },
	{ "Conflicts", "is:conflict" },
};

#define LIST_TOP	2	/* title bar and column headings above */

int
ui_list_body_rows(const struct ui *ui)
{
	int n = ui->rows - LIST_TOP - 2;

	return n > 0 ? n : 1;
}

static void
add_view(struct ui *ui, const char *name, const char *query)
{
	struct ui_saved *v = &ui->views[ui->n_views++];

	v->name = xstrdup(name);
	v->query = xstrdup(query ? query : "");
	v->q = NULL;		/* compiled by ui_list_refresh */
	v->count = -1;
}

void
ui_list_init(struct ui *ui)
{
	const struct ui_opts *o = ui->opts;
	size_t i;

	ui->views = xcalloc(ARRAY_LEN(builtin_views) + o->n_views,
	    sizeof(*ui->views));
	for (i = 0; i < ARRAY_LEN(builtin_views); i++)
		add_view(ui, builtin_views[i].name, builtin_views[i].query);
	for (i = 0; i < o->n_views; i++)
		add_view(ui, o->views[i].name, o->views[i].query);
	ui->total = -1;
	ui->counts_next = -1;
}

static void
win_clear(struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->n_win; i++)
		store_ticket_clear(&ui->win[i].t);
	ui->n_win = 0;
}

void
ui_list_free(struct ui *ui)
{
	size_t i;

	win_clear(ui);
	free(ui->win);
	for (i = 0; i < ui->n_views; i++) {
		free(ui->views[i].name);
		free(ui->views[i].query);
		store_query_free(ui->views[i].q);
	}
	free(ui->views);
	free(ui->limit);
	free(ui->qerr);
	free(ui->tagged);
	store_query_free(ui->q);
}

void
ui_list_refresh(struct ui *ui)
{
	struct store_query *q;
	size_t i;

	for (i = 0; i < ui->n_views; i++) {
		store_query_free(ui->views[i].q);
		ui->views[i].q = store_query_parse(ui->views[i].query, NULL);
	}
	if (ui->q != NULL && ui->prompt == NULL &&
	    (q = store_query_parse(ui_list_query_text(ui), NULL)) != NULL) {
		store_query_free(ui->q);
		ui->q = q;
	}
	ui->compiled_at = time_now();
	ui->counts_next = 0;
	ui->total = -1;
}

const char *
ui_list_query_text(const struct ui *ui)
{
	if (ui->limit != NULL)
		return ui->limit;
	return ui->n_views ? ui->views[ui->view].query : "";
}

int
ui_list_set_query(struct ui *ui, const char *text, int quiet)
{
	struct tdesk_err err = { 0 };
	struct store_query *q;

	q = store_query_parse(text, &err);
	free(ui->qerr);
	ui->qerr = NULL;
	if (q == NULL) {
		if (!quiet)
			ui->qerr = xstrdup(err.msg);
		ui->dirty |= DIRTY_DRAW;
		return -1;
	}
	store_query_free(ui->q);
	ui->q = q;
	ui->top = ui->cur = 0;
	ui->total = -1;		/* counted again when idle */
	/* the saved views' counts do not depend on the limit: recounting
	 * them on every keystroke of a filter delayed the next keystroke */
	ui->dirty |= DIRTY_ROWS | DIRTY_DRAW;
	return 0;
}

void
ui_list_select_view(struct ui *ui, size_t v)
{
	if (v >= ui->n_views) {
		ui_message(ui, 1, "no saved view %zu", v + 1);
		return;
	}
	ui->view = v;
	free(ui->limit);
	ui->limit = NULL;
	ui_list_set_query(ui, ui->views[v].query, 0);
}

static int
fetch_row(const struct store_ticket *t, void *arg)
{
	struct ui *ui = arg;

	if (ui->n_win == ui->cap_win) {
		ui->cap_win = ui->cap_win ? ui->cap_win * 2 : 64;
		ui->win = xrealloc(ui->win, ui->cap_win * sizeof(*ui->win));
	}
	ui->win[ui->n_win].id = t->id;
	store_ticket_dup(&ui->win[ui->n_win].t, t);
	ui->n_win++;
	return 0;
}

static void
count_total(struct ui *ui)
{
	struct tdesk_err err = { 0 };

	if (ui->q == NULL) {
		ui->total = 0;
		return;
	}
	if (store_count(ui->st, ui->q, &ui->total, &err) < 0) {
		ui->total = 0;
		ui_message(ui, 1, "%s", err.msg);
	}
}

void
ui_list_fetch(struct ui *ui)
{
	struct store_list_opts lo = { .order = STORE_ORDER_URGENT };
	struct tdesk_err err = { 0 };

	win_clear(ui);
	ui->dirty &= ~DIRTY_ROWS;
	ui->dirty |= DIRTY_DRAW;
	if (ui->q == NULL)
		return;
	lo.offset = ui->top;
	lo.limit = ui_list_body_rows(ui);
	if (ui->total >= 0 && ui->top > ui->total / 2) {
		/* in the back half, count from the end: G on 100k tickets
		 * otherwise walks 100k rows of the index */
		lo.from_end = 1;
		lo.offset = ui->total - ui->top - lo.limit;
		if (lo.offset < 0) {
			lo.limit += lo.offset;
			lo.offset = 0;
		}
	}
	if (store_list(ui->st, ui->q, &lo, fetch_row, ui, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	if (lo.from_end) {
		/* fetched last first: put the window back in order */
		for (size_t i = 0, j = ui->n_win; i + 1 < j; i++, j--) {
			struct ui_row tmp = ui->win[i];
			ui->win[i] = ui->win[j - 1];
			ui->win[j - 1] = tmp;
		}
	}
	if (ui->cur >= ui->top + (int64_t)ui->n_win) {
		/* the list shrank under us */
		if (ui->n_win > 0)
			ui->cur = ui->top + (int64_t)ui->n_win - 1;
		else if (ui->top > 0) {
			count_total(ui);
			ui->top = ui->total - ui_list_body_rows(ui);
			if (ui->top < 0)
				ui->top = 0;
			ui->cur = ui->total > 0 ? ui->total - 1 : 0;
			ui_list_fetch(ui);
		} else
			ui->cur = 0;
	}
}

/* Select row: the window follows; the rows are fetched by ui_update,
 * which also pulls a selection past the end back to the last row. */
void
ui_list_goto(struct ui *ui, int64_t row)
{
	int64_t body = ui_list_body_rows(ui), ntop = ui->top;

	if (ui->total >= 0 && row >= ui->total)
		row = ui->total - 1;
	if (row < 0)
		row = 0;
	if (row < ui->top)
		ntop = row;
	else if (row >= ui->top + body)
		ntop = row - body + 1;
	ui->cur = row;
	if (ntop != ui->top) {
		ui->top = ntop;
		ui->dirty |= DIRTY_ROWS;
	}
	ui->dirty |= DIRTY_DRAW;
}

void
ui_list_move(struct ui *ui, int64_t delta)
{
	ui_list_goto(ui, ui->cur + delta);
}

int
ui_list_mover(struct ui *ui, enum ui_move how)
{
	int64_t page = ui_list_body_rows(ui);

	switch (how) {
	case MOVE_DOWN: ui_list_move(ui, 1); break;
	case MOVE_UP: ui_list_move(ui, -1); break;
	case MOVE_TOP: ui_list_goto(ui, 0); break;
	case MOVE_BOTTOM: ui_list_goto(ui, INT64_MAX / 2); break;
	case MOVE_PAGE_DOWN:
		ui->top += page;
		if (ui->total >= 0 && ui->top >= ui->total)
			ui->top = ui->total > page ? ui->total - page : 0;
		ui_list_goto(ui, ui->cur + page);
		break;
	case MOVE_PAGE_UP:
		ui->top = ui->top > page ? ui->top - page : 0;
		ui_list_goto(ui, ui->cur - page);
		break;
	}
	return DIRTY_ROWS | DIRTY_DRAW;
}

int
act_list_open(struct ui *ui, int arg)
{
	(void)arg;
	ui_ticket_open(ui, ui_list_current_id(ui));
	return DIRTY_DRAW;
}

int
act_list_tag(struct ui *ui, int arg)
{
	(void)arg;
	ui_list_tag_toggle(ui, ui_list_current_id(ui));
	ui_list_move(ui, 1);
	return DIRTY_DRAW;
}

int
act_tag_query(struct ui *ui, int arg)
{
	char *text = ui_prompt(ui, "tag tickets matching: ", "", NULL, NULL,
	    0, NULL);

	(void)arg;
	if (text == NULL || *text == '\0') {
		free(text);
		return DIRTY_DRAW;
	}
	free(ui->tagq);
	ui->tagq = text;
	return DIRTY_TAGQ | DIRTY_DRAW;
}

int
act_untag_all(struct ui *ui, int arg)
{
	(void)arg;
	ui->n_tagged = 0;
	ui_message(ui, 0, "no ticket tagged");
	return DIRTY_DRAW;
}

int64_t
ui_list_current_id(const struct ui *ui)
{
	int64_t i = ui->cur - ui->top;

	if (i < 0 || i >= (int64_t)ui->n_win)
		return 0;
	return ui->win[i].id;
}

/* --- counts -------------------------------------------------------------- */

/* One unit of deferred counting; returns 1 when it did something. */
int
ui_list_count_step(struct ui *ui)
{
	struct ui_saved *v;

	if (ui->total < 0 && ui->q != NULL) {
		count_total(ui);
		ui->dirty |= DIRTY_DRAW;
		return 1;
	}
	if (ui->counts_next < 0 || (size_t)ui->counts_next >= ui->n_views) {
		ui->counts_next = -1;
		return 0;
	}
	v = &ui->views[ui->counts_next++];
	if (v->q == NULL || store_count(ui->st, v->q, &v->count, NULL) < 0)
		v->count = -2;
	ui->dirty |= DIRTY_DRAW;
	return 1;
}

/* --- tagging ------------------------------------------------------------- */

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
ui_list_is_tagged(const struct ui *ui, int64_t id)
{
	return ui->n_tagged && bsearch(&id, ui->tagged, ui->n_tagged,
	    sizeof(int64_t), cmp_id) != NULL;
}

static void
tag_add(struct ui *ui, int64_t id)
{
	if (ui->n_tagged == ui->cap_tagged) {
		ui->cap_tagged = ui->cap_tagged ? ui->cap_tagged * 2 : 64;
		ui->tagged = xrealloc(ui->tagged,
		    ui->cap_tagged * sizeof(int64_t));
	}
	ui->tagged[ui->n_tagged++] = id;
}

static void
tags_sort(struct ui *ui)
{
	size_t i, j;

	qsort(ui->tagged, ui->n_tagged, sizeof(int64_t), cmp_id);
	for (i = j = 0; i < ui->n_tagged; i++)
		if (j == 0 || ui->tagged[j - 1] != ui->tagged[i])
			ui->tagged[j++] = ui->tagged[i];
	ui->n_tagged = j;
}

void
ui_list_tag_toggle(struct ui *ui, int64_t id)
{
	int64_t *p;

	if (id <= 0)
		return;
	p = ui->n_tagged ? bsearch(&id, ui->tagged, ui->n_tagged,
	    sizeof(int64_t), cmp_id) : NULL;
	if (p != NULL) {
		memmove(p, p + 1, (size_t)(ui->tagged + ui->n_tagged - p - 1) *
		    sizeof(int64_t));
		ui->n_tagged--;
	} else {
		tag_add(ui, id);
		tags_sort(ui);
	}
	ui->dirty |= DIRTY_DRAW;
}

static int
tag_row(const struct store_ticket *t, void *arg)
{
	tag_add(arg, t->id);
	return 0;
}

void
ui_list_tag_query(struct ui *ui, const char *text)
{
	struct store_list_opts lo = { .order = STORE_ORDER_ID };
	struct tdesk_err err = { 0 };
	struct store_query *q = NULL;
	const char *cur = ui_list_query_text(ui);
	size_t before = ui->n_tagged;
	char *both;

	/* within the list shown, like mutt's tag-pattern: terms AND */
	if (*cur != '\0') {
		both = xasprintf("%s %s", cur, text);
		q = store_query_parse(both, NULL);
		free(both);
	}
	if (q == NULL && (q = store_query_parse(text, &err)) == NULL) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	if (store_list(ui->st, q, &lo, tag_row, ui, &err) < 0)
		ui_message(ui, 1, "%s", err.msg);
	store_query_free(q);
	tags_sort(ui);
	ui_message(ui, 0, "tagged %zu more (%zu in all)",
	    ui->n_tagged - before, ui->n_tagged);
}

/* --- drawing ------------------------------------------------------------- */

#define SEL_ROW	A_STANDOUT	/* recolor(): the cell is on the selected row */

static void
recolor(int y, int x, int n, enum ui_role r, int keep)
{
	int a = ui_attr(r) | keep;

	/* on the selected row the bar wins: its colours, the cell in bold,
	 * so the bar covers every cell */
	if (keep & SEL_ROW)
		a = ui_attr(ROLE_SELECTED) | A_BOLD;

	mvchgat(y, x, n, (attr_t)(a & ~A_COLOR), (short)PAIR_NUMBER(a), NULL);
}

static void
draw_title(struct ui *ui)
{
	struct buf b = BUF_INIT;
	size_t i;
	int x;

	ui_fill(0, 0, ROLE_TITLE);
	x = ui_put(0, 0, ui->cols, " tdesk ", ROLE_TITLE);
	for (i = 0; i < ui->n_views && x < ui->cols; i++) {
		struct ui_saved *v = &ui->views[i];

		buf_reset(&b);
		if (i < 9)
			buf_printf(&b, "%zu:", i + 1);
		buf_adds(&b, v->name);
		if (v->count >= 0)
			buf_printf(&b, " %lld", (long long)v->count);
		else if (v->count == -2)
			buf_adds(&b, " !");
		x += ui_put(0, x, ui->cols - x, " ", ROLE_TITLE);
		x += ui_put(0, x, ui->cols - x, b.data,
		    i == ui->view && ui->limit == NULL ? ROLE_TAB_ACTIVE :
		    ROLE_TITLE);
	}
	buf_free(&b);
}

void
ui_list_draw(struct ui *ui)
{
	struct buf b = BUF_INIT;
	int64_t now = time_now();
	size_t i;
	int y, w = ui->cols - 2;

	draw_title(ui);
	buf_printf(&b, "  %7s %5s %-4s %-4s %-*s %-2s %-5s %-4s %4s ", "#",
	    "SLA", "Pri", "Stat", ui_row_chan_width(w), "Chan", "Lg", "Flag",
	    "Cat", "Wait");
	if (w >= 100)
		buf_printf(&b, "%-16s ", "Requester");
	buf_adds(&b, "Subject");
	/* the age column, right-aligned above the rows' last cells */
	if ((int)b.len + 5 <= ui->cols)
		buf_printf(&b, "%*s", ui->cols - (int)b.len, "Age");
	ui_put(1, 0, ui->cols, b.data, ROLE_HEADER);
	for (i = 0; i < ui->n_win; i++) {
		const struct store_ticket *t = &ui->win[i].t;
		int sel = ui->top + (int64_t)i == ui->cur;
		int tag = ui_list_is_tagged(ui, t->id);
		enum ui_role base = sel ? ROLE_SELECTED :
		    tag ? ROLE_TAGGED : ROLE_NORMAL;
		int keep = sel ? SEL_ROW : 0;

		y = LIST_TOP + (int)i;
		if (sel)
			ui_fill(y, 0, ROLE_SELECTED);
		buf_reset(&b);
		ui_row_format(&b, t, w, now);
		ui_put(y, 0, 2, tag ? "* " : "  ", base);
		ui_put(y, 2, w, b.data, base);
		/* triage: a new reply from the customer makes the row bold */
		if (t->is_new)
			mvchgat(y, 2, w, (attr_t)((ui_attr(base) | A_BOLD) &
			    ~A_COLOR), (short)PAIR_NUMBER(ui_attr(base)), NULL);
		if (t->sla_breach_at > 0 && t->sla_breach_at <= now)
			recolor(y, 2 + UI_ROW_SLA_COL, UI_ROW_SLA_WIDTH,
			    ROLE_BREACHED, keep);
		else if (t->sla_breach_at > 0 && t->sla_breach_at < now + 3600)
			recolor(y, 2 + UI_ROW_SLA_COL, UI_ROW_SLA_WIDTH,
			    ROLE_SLA_SOON, keep);
		/* the flag letters, each in its colour when set */
		const struct { int on, at, width, role; } flag[] = {
			{ t->vip, 0, 1, ROLE_VIP },
			{ t->urgent, 1, 1, ROLE_URGENT },
			{ t->pending, 2, 1, ROLE_PENDING },
			{ t->conflict, 3, 1, ROLE_CONFLICT },
			{ t->incident, 6, 4, ROLE_BREACHED },
		};
		for (size_t k = 0; k < sizeof(flag) / sizeof(flag[0]); k++)
			if (flag[k].on)
				recolor(y, 2 + UI_ROW_FLAG_COL(w) + flag[k].at,
				    flag[k].width, flag[k].role, keep);
	}
	if (ui->n_win == 0)
		ui_put(LIST_TOP, 2, ui->cols - 2, ui->q ? "no tickets match" :
		    "no query", ROLE_HEADER);
	if (ui->n_win > 0)
		move(LIST_TOP + (int)(ui->cur - ui->top), 0);
	buf_free(&b);
}
