/* SPDX-License-Identifier: MIT */
/*
 * The help screen: every binding of the key tables, grouped by task (move,
 * reply, act, bulk, views), laid out in columns and pages so that 80x24
 * holds the first page; '/' keeps the lines matching a word.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/ui_int.h"

static const struct {
	const char *name;
	enum ui_action acts[16];
} groups[] = {
	{ "move", { ACT_DOWN, ACT_UP, ACT_PAGE_DOWN, ACT_PAGE_UP, ACT_TOP,
	    ACT_BOTTOM, ACT_OPEN, ACT_BACK, ACT_NEXT_TICKET, ACT_PREV_TICKET,
	    ACT_REDRAW } },
	{ "reply", { ACT_REPLY, ACT_REPLY_EDITOR, ACT_NOTE, ACT_NOTE_EDITOR,
	    ACT_FAQ, ACT_MACRO } },
	{ "act", { ACT_STATUS, ACT_PRIORITY, ACT_TAGS_ADD, ACT_TAGS_REMOVE,
	    ACT_ASSIGN, ACT_GROUP, ACT_SYNC, ACT_OUTBOX, ACT_KEEP, ACT_EDIT,
	    ACT_DROP } },
	{ "bulk", { ACT_TAG, ACT_TAG_QUERY, ACT_UNTAG_ALL, ACT_TAG_PREFIX } },
	{ "views", { ACT_LIMIT, ACT_VIEW_NEXT, ACT_VIEW_PREV, ACT_VIEW_1,
	    ACT_VIEW_2, ACT_VIEW_3, ACT_VIEW_4, ACT_VIEW_5, ACT_VIEW_6,
	    ACT_VIEW_7, ACT_VIEW_8, ACT_VIEW_9, ACT_HELP, ACT_QUIT } },
};

/* Columns of 40 show keys and what they do; from 120 columns on, 60
 * with the action's name (as config.yaml's keys: spell it). */
#define HELP_COL_W(cols)	((cols) >= 120 ? 60 : 40)

struct lines {
	char **v;
	size_t n, cap;
	int *header;
};

static void
add(struct lines *l, char *s, int header)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
		l->header = xrealloc(l->header, l->cap * sizeof(int));
	}
	l->header[l->n] = header;
	l->v[l->n++] = s;
}

struct collect {
	enum ui_action a;
	struct buf keys;	/* "j Down" */
	int seen[64];		/* keys already listed for this action */
	size_t n_seen;
};

static void
one(enum ui_table t, int key, enum ui_action a, void *arg)
{
	struct collect *c = arg;
	char kb[16];

	(void)t;
	if (a != c->a)
		return;
	for (size_t i = 0; i < c->n_seen; i++)
		if (c->seen[i] == key)
			return;
	if (c->n_seen < ARRAY_LEN(c->seen))
		c->seen[c->n_seen++] = key;
	buf_printf(&c->keys, "%s%s", c->keys.len ? " " : "",
	    ui_key_name(key, kb));
}

/* One action's line: all its keys, (its name,) what it does; NULL when
 * it has no key or the search leaves it out. */
static char *
action_line(struct ui *ui, enum ui_action a)
{
	struct collect c = { .a = a, .keys = BUF_INIT };
	char *s = NULL;

	for (int t = 0; t < UI_TABLE__N; t++)
		ui_keymap_each(ui->km, (enum ui_table)t, one, &c);
	if (c.keys.len == 0)
		goto out;
	if (HELP_COL_W(ui->cols) >= 60)
		s = xasprintf("  %-12s %-12s %s", c.keys.data,
		    ui_action_name(a), ui_action_help(a));
	else
		s = xasprintf("  %-10s %s", c.keys.data, ui_action_help(a));
	if (ui->help_search && *ui->help_search &&
	    strcasestr(s, ui->help_search) == NULL &&
	    strcasestr(ui_action_name(a), ui->help_search) == NULL) {
		free(s);
		s = NULL;
	}
out:
	buf_free(&c.keys);
	return s;
}

/* Every line of the help, headers included, after the search. */
static void
build(struct ui *ui, struct lines *l)
{
	for (size_t g = 0; g < ARRAY_LEN(groups); g++) {
		size_t at = l->n;
		int any = 0;

		add(l, xstrdup(groups[g].name), 1);
		for (size_t i = 0; groups[g].acts[i] != ACT_NONE; i++) {
			char *s = action_line(ui, groups[g].acts[i]);
			if (s != NULL) {
				add(l, s, 0);
				any = 1;
			}
		}
		if (!any) {	/* a group the search emptied */
			free(l->v[at]);
			l->n = at;
		}
	}
}

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->header);
}

static void
geometry(const struct ui *ui, int *rows, int *cols)
{
	*rows = ui->rows - 3 > 1 ? ui->rows - 3 : 1;
	*cols = ui->cols / HELP_COL_W(ui->cols) > 0 ?
	    ui->cols / HELP_COL_W(ui->cols) : 1;
}

int64_t
ui_help_pages(struct ui *ui)
{
	struct lines l = { 0 };
	int rows, cols;
	int64_t pages;

	build(ui, &l);
	geometry(ui, &rows, &cols);
	pages = ((int64_t)l.n + rows * cols - 1) / (rows * cols);
	lines_free(&l);
	return pages > 0 ? pages : 1;
}

void
ui_help_draw(struct ui *ui)
{
	struct lines l = { 0 };
	struct buf title = BUF_INIT;
	int rows, cols, per_page;
	int64_t pages, page;

	build(ui, &l);
	geometry(ui, &rows, &cols);
	per_page = rows * cols;
	pages = ((int64_t)l.n + per_page - 1) / per_page;
	if (pages < 1)
		pages = 1;
	page = ui->help_scroll < pages ? ui->help_scroll : pages - 1;
	buf_printf(&title, " tdesk keys, page %lld/%lld  (Space/PgDn next, / "
	    "search, q back)  flags: V vip ! urgent ^ outbox C conflict",
	    (long long)page + 1, (long long)pages);
	ui_fill(0, 0, ROLE_TITLE);
	ui_put(0, 0, ui->cols, title.data, ROLE_TITLE);
	if (l.n == 0)
		ui_put(1, 2, ui->cols - 2, "no key matches the search",
		    ROLE_HEADER);
	for (int i = 0; i < per_page; i++) {
		size_t k = (size_t)(page * per_page + i);
		int x = (i / rows) * HELP_COL_W(ui->cols), y = 1 + i % rows;

		if (k >= l.n)
			break;
		ui_put(y, x, cols > 1 ? HELP_COL_W(ui->cols) - 1 : ui->cols,
		    l.v[k],
		    l.header[k] ? ROLE_HEADER : ROLE_NORMAL);
	}
	if (ui->help_search && *ui->help_search) {
		buf_reset(&title);
		buf_printf(&title, "search: %s  (/ and Enter on nothing "
		    "shows all)", ui->help_search);
		ui_put(ui->rows - 2, 0, ui->cols, title.data, ROLE_STATUS);
	}
	buf_free(&title);
	lines_free(&l);
}

int
ui_help_key(struct ui *ui, enum ui_action a)
{
	int64_t pages = ui_help_pages(ui);
	char *s;

	switch (a) {
	case ACT_DOWN: case ACT_PAGE_DOWN: case ACT_NEXT_TICKET:
		ui->help_scroll++;
		break;
	case ACT_UP: case ACT_PAGE_UP: case ACT_PREV_TICKET:
		ui->help_scroll--;
		break;
	case ACT_TOP: ui->help_scroll = 0; break;
	case ACT_BOTTOM: ui->help_scroll = pages - 1; break;
	case ACT_LIMIT:
		s = ui_prompt(ui, "search the keys: ", ui->help_search ?
		    ui->help_search : "", NULL, NULL, 0, NULL);
		if (s != NULL) {
			free(ui->help_search);
			ui->help_search = s;
			ui->help_scroll = 0;
		}
		break;
	default:
		return 0;
	}
	pages = ui_help_pages(ui);
	if (ui->help_scroll >= pages)
		ui->help_scroll = pages - 1;
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
	ui->dirty |= DIRTY_DRAW;
	return 1;
}
