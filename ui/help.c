/* SPDX-License-Identifier: MIT */
/*
 * The help screen: the screens' actions grouped by task (move, reply, act,
 * bulk, views, then every other bound action), each with the keys the
 * keymap binds to it, then the picker, browse and prompt tables binding by
 * binding. Laid out in columns and pages so 80x24 shows the first page;
 * '/' keeps the lines matching a word.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

static const struct {
	const char *name;
	const char *acts[16];
} groups[] = {
	{ "move", { "down", "up", "page-down", "page-up", "top", "bottom",
	    "open", "back", "next-ticket", "prev-ticket", "redraw" } },
	{ "reply", { "reply", "reply-editor", "note", "note-editor", "faq",
	    "macro" } },
	{ "act", { "status", "priority", "tags-add", "tags-remove", "assign",
	    "group", "category", "attachment", "sync", "outbox", "keep", "edit", "drop" } },
	{ "bulk", { "tag", "tag-query", "untag-all", "tag-prefix" } },
	{ "views", { "limit", "view-next", "view-prev", "view-1", "view-2",
	    "view-3", "view-4", "view-5", "view-6", "view-7", "view-8",
	    "view-9", "stats", "help", "quit" } },
};

/* The tables whose actions are grouped, and the ones listed as they are. */
static const enum ui_table screens[] = {
	UI_TABLE_GLOBAL, UI_TABLE_LIST, UI_TABLE_TICKET, UI_TABLE_OUTBOX,
	UI_TABLE_HELP,
};
static const enum ui_table others[] = {
	UI_TABLE_PICKER, UI_TABLE_BROWSE, UI_TABLE_PROMPT,
};

#define KEYS_W	9	/* the keys column */

struct line {
	char *text;
	int header;
};

struct lines {
	struct line *v;
	size_t n, cap;
};

static void
add(struct lines *l, char *text, int header)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].text = text;
	l->v[l->n++].header = header;
}

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
}

static int
grouped(const char *name)
{
	for (size_t g = 0; g < ARRAY_LEN(groups); g++)
		for (size_t i = 0; groups[g].acts[i] != NULL; i++)
			if (strcmp(groups[g].acts[i], name) == 0)
				return 1;
	return 0;
}

/* One action's keys over the screen tables, each key once. */
struct collect {
	const char *name;
	const struct ui_action *a;
	int keys[32];
	size_t n;
};

static void
collect_one(enum ui_table t, int key, const struct ui_action *a, void *arg)
{
	struct collect *c = arg;

	(void)t;
	if (strcmp(a->name, c->name) != 0)
		return;
	if (c->a == NULL)
		c->a = a;
	for (size_t i = 0; i < c->n; i++)
		if (c->keys[i] == key)
			return;
	if (c->n < ARRAY_LEN(c->keys))
		c->keys[c->n++] = key;
}

static int
matches(const struct ui *ui, const char *s)
{
	return ui->help_search == NULL || ui->help_search[0] == '\0' ||
	    strcasestr(s, ui->help_search) != NULL;
}

/* "  keys name help": the keys that fit the column, every key searched. */
static char *
format_line(const struct ui *ui, const int *keys, size_t n,
    const struct ui_action *a)
{
	struct buf shown = BUF_INIT, all = BUF_INIT;
	char kb[16], *s = NULL;
	const char *k;

	for (size_t i = 0; i < n; i++) {
		k = ui_key_name(keys[i], kb);
		buf_printf(&all, "%s ", k);
		if (shown.len + (shown.len > 0) + strlen(k) <= KEYS_W)
			buf_printf(&shown, "%s%s", shown.len ? " " : "", k);
	}
	buf_printf(&all, "%s %s", a->name, a->help);
	if (matches(ui, all.data))
		s = xasprintf("  %-*s %-12s %s", KEYS_W,
		    shown.data ? shown.data : "", a->name, a->help);
	buf_free(&shown);
	buf_free(&all);
	return s;
}

static char *
action_line(const struct ui *ui, const char *name)
{
	struct collect c = { .name = name };

	for (size_t t = 0; t < ARRAY_LEN(screens); t++)
		ui_keymap_each(ui->km, screens[t], collect_one, &c);
	if (c.n == 0)
		return NULL;
	return format_line(ui, c.keys, c.n, c.a);
}

/* A heading, dropped again when the search left nothing under it. */
static void
group_end(struct lines *l, size_t at)
{
	if (l->n == at + 1) {
		free(l->v[at].text);
		l->n = at;
	}
}

static void
other_one(enum ui_table t, int key, const struct ui_action *a, void *arg)
{
	const char **names = arg;
	size_t i;

	(void)t;
	(void)key;
	if (grouped(a->name))
		return;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], a->name) == 0)
			return;
	if (i < 63)
		names[i] = a->name;
}

struct table_ctx {
	const struct ui *ui;
	struct lines *l;
};

static void
table_one(enum ui_table t, int key, const struct ui_action *a, void *arg)
{
	struct table_ctx *c = arg;
	char *s;

	(void)t;
	if ((s = format_line(c->ui, &key, 1, a)) != NULL)
		add(c->l, s, 0);
}

/* Every line of the help after the search, headings included. */
static void
build(const struct ui *ui, struct lines *l)
{
	const char *names[64] = { 0 };
	struct table_ctx tc = { ui, l };
	size_t at;
	char *s;

	for (size_t g = 0; g < ARRAY_LEN(groups); g++) {
		at = l->n;
		add(l, xstrdup(groups[g].name), 1);
		for (size_t i = 0; groups[g].acts[i] != NULL; i++)
			if ((s = action_line(ui, groups[g].acts[i])) != NULL)
				add(l, s, 0);
		group_end(l, at);
	}
	/* nothing bound is lost: the actions no group names */
	for (size_t t = 0; t < ARRAY_LEN(screens); t++)
		ui_keymap_each(ui->km, screens[t], other_one, names);
	at = l->n;
	add(l, xstrdup("other"), 1);
	for (size_t i = 0; names[i] != NULL; i++)
		if ((s = action_line(ui, names[i])) != NULL)
			add(l, s, 0);
	group_end(l, at);
	for (size_t t = 0; t < ARRAY_LEN(others); t++) {
		at = l->n;
		add(l, xstrdup(ui_table_name(others[t])), 1);
		ui_keymap_each(ui->km, others[t], table_one, &tc);
		group_end(l, at);
	}
}

/* Lines per column, columns per page, and each line's slot: a heading
 * never ends a column. */
struct geometry {
	int rows, cols, width;
};

static struct geometry
geometry(const struct ui *ui)
{
	struct geometry g;

	g.rows = ui->rows - 3 > 1 ? ui->rows - 3 : 1;
	g.cols = ui->cols >= 80 ? 2 : 1;
	g.width = ui->cols / g.cols;
	return g;
}

static int64_t
place(const struct lines *l, const struct geometry *g, int64_t *slot)
{
	int64_t s = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].header && s % g->rows == g->rows - 1)
			s++;
		if (slot != NULL)
			slot[i] = s;
		s++;
	}
	return s;
}

static int64_t
pages_of(const struct lines *l, const struct geometry *g)
{
	int64_t per = (int64_t)g->rows * g->cols;
	int64_t p = (place(l, g, NULL) + per - 1) / per;

	return p > 0 ? p : 1;
}

/* A help text too long for its column ends at a word, not inside one. */
static void
cut_words(char *text, size_t width)
{
	size_t n = strlen(text);
	const size_t help_at = 2 + KEYS_W + 1 + 12 + 1;

	if (n <= width || width <= help_at)
		return;
	while (width > help_at && text[width] != ' ')
		width--;
	if (width > help_at)
		text[width] = '\0';
}

void
ui_help_draw(struct ui *ui)
{
	struct lines l = { 0 };
	struct geometry g = geometry(ui);
	struct buf b = BUF_INIT;
	int64_t pages, page, per = (int64_t)g.rows * g.cols, *slot;

	build(ui, &l);
	pages = pages_of(&l, &g);
	page = ui->help_scroll < pages ? ui->help_scroll : pages - 1;
	buf_printf(&b, " tdesk keys, page %lld/%lld", (long long)page + 1,
	    (long long)pages);
	if (ui->help_search != NULL && ui->help_search[0] != '\0')
		buf_printf(&b, ", matching '%s'", ui->help_search);
	buf_adds(&b, "  (Space: next, /: search, q: back)  flags: V vip  "
	    "! urgent  ^ in outbox  C conflict");
	ui_fill(0, 0, ROLE_TITLE);
	ui_put(0, 0, ui->cols, b.data, ROLE_TITLE);
	if (l.n == 0)
		ui_put(1, 2, ui->cols - 2, "no key matches the search",
		    ROLE_HEADER);
	slot = xcalloc(l.n + 1, sizeof(*slot));
	place(&l, &g, slot);
	for (size_t i = 0; i < l.n; i++) {
		int64_t s = slot[i] - page * per;

		if (s < 0 || s >= per)
			continue;
		cut_words(l.v[i].text, (size_t)g.width - 1);
		ui_put(1 + (int)(s % g.rows), (int)(s / g.rows) * g.width,
		    g.width - 1, l.v[i].text,
		    l.v[i].header ? ROLE_HEADER : ROLE_NORMAL);
	}
	free(slot);
	buf_free(&b);
	lines_free(&l);
}

static void
count_one(enum ui_table t, int key, const struct ui_action *a, void *arg)
{
	(void)t;
	(void)key;
	(void)a;
	(*(int64_t *)arg)++;
}

/* The stats screen shares the help table and scrolls by lines, as far as
 * the help would when listed line by line. */
static int
stats_mover(struct ui *ui, enum ui_move how)
{
	int64_t max = UI_TABLE__N - (ui->rows - 3);

	for (int t = 0; t < UI_TABLE__N; t++)
		ui_keymap_each(ui->km, (enum ui_table)t, count_one, &max);

	switch (how) {
	case MOVE_DOWN: ui->help_scroll++; break;
	case MOVE_UP: ui->help_scroll--; break;
	case MOVE_PAGE_DOWN: ui->help_scroll += ui->rows - 4; break;
	case MOVE_PAGE_UP: ui->help_scroll -= ui->rows - 4; break;
	case MOVE_TOP: ui->help_scroll = 0; break;
	case MOVE_BOTTOM: ui->help_scroll += 1000; break;
	}
	if (ui->help_scroll > max)
		ui->help_scroll = max;
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
	return DIRTY_DRAW;
}

/* In help, down and page-down turn the page, up and page-up turn back. */
int
ui_help_mover(struct ui *ui, enum ui_move how)
{
	struct lines l = { 0 };
	struct geometry g = geometry(ui);
	int64_t pages;

	if (ui->screen != SCREEN_HELP)
		return stats_mover(ui, how);
	build(ui, &l);
	pages = pages_of(&l, &g);
	lines_free(&l);
	switch (how) {
	case MOVE_DOWN: case MOVE_PAGE_DOWN: ui->help_scroll++; break;
	case MOVE_UP: case MOVE_PAGE_UP: ui->help_scroll--; break;
	case MOVE_TOP: ui->help_scroll = 0; break;
	case MOVE_BOTTOM: ui->help_scroll = pages - 1; break;
	}
	if (ui->help_scroll >= pages)
		ui->help_scroll = pages - 1;
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
	return DIRTY_DRAW;
}

static void
search_live(struct ui *ui, const char *text, void *arg)
{
	(void)arg;
	free(ui->help_search);
	ui->help_search = xstrdup(text);
	ui->help_scroll = 0;
	ui->dirty |= DIRTY_DRAW;
}

int
act_help_search(struct ui *ui, int arg)
{
	char *old, *text;

	(void)arg;
	if (ui->screen != SCREEN_HELP)
		return DIRTY_DRAW;
	old = xstrdup(ui->help_search ? ui->help_search : "");
	text = ui_prompt(ui, "search the keys: ", old, search_live, NULL, 0,
	    NULL);
	free(ui->help_search);
	if (text != NULL) {
		ui->help_search = text;
		free(old);
	} else {
		ui->help_search = old;	/* Esc: the search before */
	}
	ui->help_scroll = 0;
	return DIRTY_DRAW;
}
