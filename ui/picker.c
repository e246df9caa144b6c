/* SPDX-License-Identifier: MIT */
/*
 * The FAQ and macro pickers: a modal list over the screen with a query
 * line that filters as you type and a preview of the selected entry. The
 * FAQ picker hands the chosen answer to the reply compose path; the macro
 * picker previews store_macro_preview and applies with store_macro_apply.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui_int.h"

#define PICK_TICK_MS	250
#define PICK_MAX	200	/* entries kept for one query */

struct ui_pick_item {
	char *key;		/* FAQ id or macro name */
	char *label;		/* the line shown in the list */
	char *filter;		/* lowercased text the query must occur in */
};

struct ui_picker {
	const char *title;
	struct buf query;
	struct ui_pick_item *items;
	size_t n, cap;
	int64_t cur, top;
	int browse;		/* Tab: j/k move instead of typing */
	struct ui_line *lines;	/* preview of the selected entry */
	size_t n_lines, cap_lines;
	int cx;			/* cursor column on the query line */
	void (*fill)(struct ui *, struct ui_picker *);
	void (*preview)(struct ui *, struct ui_picker *);
	/* the ticket previews and answers are for */
	int64_t tid;
	char lang[8];		/* requester's language: "zh" or "en" */
	/* macro picker: every macro, filtered in memory */
	struct ui_pick_item *all;
	size_t n_all, cap_all;
};

#define PICK_TOP	2	/* title and query lines */

static void
items_add(struct ui_pick_item **v, size_t *n, size_t *cap, const char *key,
    const char *label, const char *filter)
{
	char *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[*n].key = xstrdup(key);
	(*v)[*n].label = xstrdup(label);
	(*v)[*n].filter = xstrdup(filter ? filter : "");
	for (p = (*v)[*n].filter; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	(*n)++;
}

static void
items_clear(struct ui_pick_item *v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		free(v[i].key);
		free(v[i].label);
		free(v[i].filter);
	}
	*n = 0;
}

static const char *
query(struct ui_picker *p)
{
	return p->query.len ? p->query.data : "";
}

static int
list_rows(const struct ui *ui)
{
	int n = (ui->rows - PICK_TOP - 3) / 2;

	return n > 1 ? n : 1;
}

static void
pick_wrap(struct ui *ui, struct ui_picker *p, const char *text,
    enum ui_role role, int indent)
{
	ui_lines_wrap(&p->lines, &p->n_lines, &p->cap_lines, text, ui->cols,
	    role, indent);
}

/* Refill for the query, keep the selection in range, rebuild preview. */
static void
refresh_items(struct ui *ui, struct ui_picker *p, int refill)
{
	if (refill) {
		p->fill(ui, p);
		p->cur = p->top = 0;
	}
	if (p->cur >= (int64_t)p->n)
		p->cur = (int64_t)p->n - 1;
	if (p->cur < 0)
		p->cur = 0;
	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + list_rows(ui))
		p->top = p->cur - list_rows(ui) + 1;
	ui_lines_reset(&p->lines, &p->n_lines);
	if (p->n > 0)
		p->preview(ui, p);
	ui->dirty |= DIRTY_DRAW;
}

void
ui_picker_draw(struct ui *ui)
{
	struct ui_picker *p = ui->pick;
	struct buf b = BUF_INIT;
	int64_t i;
	int y, x, lr = list_rows(ui);
	size_t l;

	ui_fill(0, 0, ROLE_TITLE);
	buf_printf(&b, " %s for #%lld  (%s; Enter choose, Esc cancel)",
	    p->title, (long long)p->tid, p->browse ?
	    "j/k move, / or Tab: type" : "type to filter, Up/Down move, "
	    "Tab: j/k");
	ui_put(0, 0, ui->cols, b.data, ROLE_TITLE);
	x = ui_put(1, 0, ui->cols, p->browse ? "filter (Tab to edit): " :
	    "filter: ", ROLE_HEADER);
	p->cx = x + ui_put(1, x, ui->cols - x - 1, query(p), ROLE_NORMAL);
	for (i = p->top, y = PICK_TOP; i < (int64_t)p->n &&
	    y < PICK_TOP + lr; i++, y++) {
		int sel = i == p->cur;

		if (sel)
			ui_fill(y, 0, ROLE_SELECTED);
		ui_put(y, 0, 2, sel ? "> " : "  ",
		    sel ? ROLE_SELECTED : ROLE_NORMAL);
		ui_put(y, 2, ui->cols - 2, p->items[i].label,
		    sel ? ROLE_SELECTED : ROLE_NORMAL);
	}
	if (p->n == 0)
		ui_put(PICK_TOP, 2, ui->cols - 2, "nothing matches",
		    ROLE_HEADER);
	y = PICK_TOP + lr;
	attrset(ui_attr(ROLE_HEADER));
	mvhline(y, 0, ACS_HLINE, ui->cols);
	attrset(A_NORMAL);
	for (l = 0, y++; l < p->n_lines && y < ui->rows - 2; l++, y++) {
		const struct ui_line *ln = &p->lines[l];

		x = ln->indent < ui->cols ? ln->indent : 0;
		ui_put(y, x, ui->cols - x, ln->text, ln->role);
	}
	buf_free(&b);
}

static void
query_backspace(struct buf *q)
{
	if (q->len == 0)
		return;
	q->len--;
	while (q->len > 0 && ((unsigned char)q->data[q->len] & 0xc0) == 0x80)
		q->len--;
	q->data[q->len] = '\0';
}

/* Run the picker: 1 with p->cur on the choice, 0 when cancelled. */
static int
pick_run(struct ui *ui, struct ui_picker *p)
{
	int64_t t0;
	wint_t ch;
	int r, changed, moved, chosen = -1;

	buf_adds(&p->query, "");
	ui->pick = p;
	ui->msg[0] = '\0';
	refresh_items(ui, p, 1);
	while (chosen < 0) {
		ui_update(ui);
		move(1, p->cx);
		curs_set(p->browse ? 0 : 1);
		refresh();
		timeout(PICK_TICK_MS);
		r = get_wch(&ch);
		if (r == ERR) {
			ui_idle(ui);
			continue;
		}
		t0 = ui_now_us();
		changed = moved = 0;
		if (r == KEY_CODE_YES) {
			switch (ch) {
			case KEY_RESIZE:
				ui_resize(ui);
				moved = 1;
				break;
			case KEY_DOWN: p->cur++; moved = 1; break;
			case KEY_UP: p->cur--; moved = 1; break;
			case KEY_NPAGE: p->cur += list_rows(ui); moved = 1;
				break;
			case KEY_PPAGE: p->cur -= list_rows(ui); moved = 1;
				break;
			case KEY_HOME: p->cur = 0; moved = 1; break;
			case KEY_END: p->cur = (int64_t)p->n; moved = 1; break;
			case KEY_BACKSPACE:
				query_backspace(&p->query);
				changed = 1;
				break;
			case KEY_ENTER:
				chosen = 1;
				break;
			default:
				break;
			}
		} else if (ch == '\r' || ch == '\n') {
			chosen = 1;
		} else if (ch == 27 || ch == 7) {	/* Esc, C-g */
			chosen = 0;
		} else if (ch == '\t') {
			p->browse = !p->browse;
			ui->dirty |= DIRTY_DRAW;
		} else if (ch == 14 || ch == 16) {	/* C-n, C-p */
			p->cur += ch == 14 ? 1 : -1;
			moved = 1;
		} else if (ch == 127 || ch == 8) {
			query_backspace(&p->query);
			p->browse = 0;
			changed = 1;
		} else if (ch == 21) {			/* C-u */
			buf_reset(&p->query);
			buf_adds(&p->query, "");
			changed = 1;
		} else if (p->browse && (ch == 'j' || ch == 'k')) {
			p->cur += ch == 'j' ? 1 : -1;
			moved = 1;
		} else if (p->browse && ch == '/') {
			p->browse = 0;
			ui->dirty |= DIRTY_DRAW;
		} else if (ch >= 0x20 && wcwidth((wchar_t)ch) >= 0 &&
		    p->query.len < 1000) {
			utf8_encode(&p->query, (uint32_t)ch);
			p->browse = 0;
			changed = 1;
		}
		if (chosen == 1 && p->n == 0) {
			ui_message(ui, 1, "nothing to choose");
			chosen = -1;
		}
		if (changed || moved) {
			refresh_items(ui, p, changed);
			ui_update(ui);
			ui_trace_key(ui, t0, "picker");
		}
	}
	ui->pick = NULL;
	curs_set(0);
	ui->dirty |= DIRTY_DRAW | DIRTY_CLEAR;
	return chosen;
}

static void
pick_free(struct ui_picker *p)
{
	items_clear(p->items, &p->n);
	free(p->items);
	items_clear(p->all, &p->n_all);
	free(p->all);
	ui_lines_reset(&p->lines, &p->n_lines);
	free(p->lines);
	buf_free(&p->query);
}

/* Set p->tid and p->lang from the open or selected ticket; 0 if none. */
static int
pick_ticket(struct ui *ui, struct ui_picker *p)
{
	struct store_ticket t;
	int64_t id;

	id = ui->screen == SCREEN_TICKET ? ui->tid : ui_list_current_id(ui);
	if (id <= 0 || store_ticket_get(ui->st, id, &t, NULL) <= 0) {
		ui_message(ui, 1, "no ticket selected");
		return 0;
	}
	p->tid = id;
	snprintf(p->lang, sizeof(p->lang), "%s",
	    store_lang_pick(t.requester_locale, t.lang));
	store_ticket_clear(&t);
	return 1;
}

/* --- FAQ ----------------------------------------------------------------- */

static int
faq_item(const struct store_faq *f, void *arg)
{
	struct ui_picker *p = arg;
	char *label;

	label = xasprintf("%-18s %s  [%s]", f->id, f->title,
	    f->category ? f->category : "");
	items_add(&p->items, &p->n, &p->cap, f->id, label, NULL);
	free(label);
	return p->n >= PICK_MAX;
}

/* The answers matching the ticket's subject, best first. */
static int
faq_suggest(struct ui *ui, struct ui_picker *p, struct tdesk_err *err)
{
	struct store_ticket t = { 0 };
	int r = 0;

	if (p->tid > 0 && store_ticket_get(ui->st, p->tid, &t, NULL) > 0 &&
	    *t.subject)
		r = store_faq_search(ui->st, t.subject, NULL, PICK_MAX,
		    faq_item, p, err);
	store_ticket_clear(&t);
	return r < 0 ? -1 : 0;
}

static void
faq_fill(struct ui *ui, struct ui_picker *p)
{
	struct tdesk_err err = { 0 };
	const char *q = query(p);
	int r;

	items_clear(p->items, &p->n);
	if (q[strspn(q, " ")] == '\0') {
		/* before any word: the answers the subject suggests first */
		r = faq_suggest(ui, p, &err);
		if (r == 0 && p->n == 0)
			r = store_faq_list(ui->st, p->lang, faq_item, p, &err);
	} else
		r = store_faq_search(ui->st, q, NULL, PICK_MAX, faq_item, p,
		    &err);
	if (r < 0)
		ui_message(ui, 1, "%s", err.msg);
	else
		ui->msg[0] = '\0';
}

struct faq_text {
	char *title;
	char *body;
	char lang[8];
};

static int
faq_text_get(const struct store_faq *f, void *arg)
{
	struct faq_text *t = arg;

	t->title = xstrdup(f->title ? f->title : "");
	t->body = xstrdup(f->body ? f->body : "");
	snprintf(t->lang, sizeof(t->lang), "%s", f->lang ? f->lang : "");
	return 0;
}

/* The answer id in lang (falls back to another language); 1 found. */
static int
faq_answer(struct ui *ui, const char *id, const char *lang,
    struct faq_text *t, struct tdesk_err *err)
{
	memset(t, 0, sizeof(*t));
	return store_faq_get(ui->st, id, lang, faq_text_get, t, err);
}

static void
faq_preview(struct ui *ui, struct ui_picker *p)
{
	struct tdesk_err err = { 0 };
	struct faq_text t;
	char *head;
	int r;

	r = faq_answer(ui, p->items[p->cur].key, p->lang, &t, &err);
	if (r <= 0) {
		pick_wrap(ui, p, r < 0 ? err.msg : "answer not found",
		    ROLE_ERROR, 0);
		return;
	}
	head = xasprintf("answer in %s (requester's language: %s): %s",
	    t.lang, p->lang, t.title);
	pick_wrap(ui, p, head, ROLE_HEADER, 0);
	pick_wrap(ui, p, t.body, ROLE_PUBLIC, 2);
	free(head);
	free(t.title);
	free(t.body);
}

/* A reply from a FAQ answer: greeting by the requester's name, the
 * answer, the agent's signature (config.yaml, else the desk's name). */
static char *
faq_reply_text(struct ui *ui, const char *lang, const char *body)
{
	struct store_ticket t = { 0 };
	struct buf b = BUF_INIT;
	const char *sig = ui->opts->signature;
	char *me = NULL;
	int64_t id = ui->screen == SCREEN_TICKET ? ui->tid :
	    ui_list_current_id(ui);
	int zh = strcmp(lang, "zh") == 0, one = !ui->prefix;

	if (one && store_ticket_get(ui->st, id, &t, NULL) > 0 &&
	    *t.requester_name) {
		size_t n = strcspn(t.requester_name, " ");
		if (zh)
			buf_printf(&b, "%s 您好，\n\n", t.requester_name);
		else
			buf_printf(&b, "Hi %.*s,\n\n", (int)n,
			    t.requester_name);
	} else {
		buf_adds(&b, zh ? "您好，\n\n" : "Hi,\n\n");
	}
	store_ticket_clear(&t);
	buf_adds(&b, body);
	if (sig == NULL || *sig == '\0')
		sig = me = store_state_get(ui->st, "me.name");
	if (sig && *sig)
		buf_printf(&b, "\n\n%s", sig);
	free(me);
	return buf_detach(&b);
}

void
ui_pick_faq(struct ui *ui)
{
	struct ui_picker p = { 0 };
	struct tdesk_err err = { 0 };
	struct faq_text t;
	int r;

	p.title = "FAQ answers";
	p.fill = faq_fill;
	p.preview = faq_preview;
	if (!pick_ticket(ui, &p))
		return;
	if (pick_run(ui, &p) != 1) {
		ui_message(ui, 0, "cancelled");
		pick_free(&p);
		return;
	}
	r = faq_answer(ui, p.items[p.cur].key, p.lang, &t, &err);
	pick_free(&p);
	if (r <= 0) {
		ui_message(ui, 1, "%s", r < 0 ? err.msg : "answer not found");
		return;
	}
	ui_update(ui);
	/* the whole answer, ready to send, in the editor: not one line */
	char *text = faq_reply_text(ui, p.lang, t.body);
	ui_act_comment(ui, 1, 1, text);
	free(text);
	free(t.title);
	free(t.body);
}

/* --- macros -------------------------------------------------------------- */

static int
macro_item(const struct store_macro *m, void *arg)
{
	struct ui_picker *p = arg;
	char *label, *filter;

	label = xasprintf("%s  - %s", m->name,
	    m->description ? m->description : "");
	filter = xasprintf("%s\n%s", m->name,
	    m->description ? m->description : "");
	items_add(&p->all, &p->n_all, &p->cap_all, m->name, label, filter);
	free(label);
	free(filter);
	return 0;
}

static void
macro_fill(struct ui *ui, struct ui_picker *p)
{
	char *q = xstrdup(query(p)), *c;
	size_t i;

	(void)ui;
	for (c = q; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	items_clear(p->items, &p->n);
	for (i = 0; i < p->n_all; i++)
		if (strstr(p->all[i].filter, q) != NULL)
			items_add(&p->items, &p->n, &p->cap, p->all[i].key,
			    p->all[i].label, NULL);
	free(q);
}

static void
preview_field(struct ui *ui, struct ui_picker *p, const char *name,
    const char *value)
{
	char *s;

	if (value == NULL)
		return;
	s = xasprintf("%s: %s", name, *value ? value : "(cleared)");
	pick_wrap(ui, p, s, ROLE_NORMAL, 2);
	free(s);
}

static void
macro_preview(struct ui *ui, struct ui_picker *p)
{
	struct store_macro_result res = { 0 };
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT;
	char *head;
	int r;

	r = store_macro_preview(ui->st, p->items[p->cur].key, p->tid, NULL,
	    &res, &err);
	head = xasprintf("applying '%s' to #%lld would:",
	    p->items[p->cur].key, (long long)p->tid);
	pick_wrap(ui, p, head, ROLE_HEADER, 0);
	free(head);
	if (r <= 0) {
		pick_wrap(ui, p, err.msg, ROLE_ERROR, 2);
		store_macro_result_clear(&res);
		return;
	}
	preview_field(ui, p, "status", res.status);
	preview_field(ui, p, "priority", res.priority);
	preview_field(ui, p, "type", res.type);
	preview_field(ui, p, "assignee", res.assignee);
	preview_field(ui, p, "group", res.group);
	if (res.add_tags != NULL && *res.add_tags)
		buf_printf(&b, "+%s ", res.add_tags);
	if (res.remove_tags != NULL && *res.remove_tags)
		buf_printf(&b, "-%s", res.remove_tags);
	if (b.len)
		preview_field(ui, p, "tags", b.data);
	if (res.comment != NULL) {
		buf_reset(&b);
		buf_printf(&b, "%s (%s):", res.comment_public ?
		    "public reply" : "internal note", res.lang);
		pick_wrap(ui, p, b.data, ROLE_HEADER, 2);
		pick_wrap(ui, p, res.comment, res.comment_public ?
		    ROLE_PUBLIC : ROLE_NOTE, 4);
	}
	if (p->n_lines == 1)
		pick_wrap(ui, p, "(nothing)", ROLE_NORMAL, 2);
	buf_free(&b);
	store_macro_result_clear(&res);
}

/*
 * A macro with custom placeholders ({{coin}}): ask for each value the
 * render reports missing (the store names it as "--set NAME=VALUE"), as
 * the CLI takes them with --set. Fills o->vars; 0 when cancelled.
 */
static int
ask_placeholders(struct ui *ui, const char *name, int64_t tid,
    struct store_macro_opts *o, char ***vars)
{
	struct tdesk_err err = { 0 };

	for (int round = 0; round < 16; round++) {
		struct store_macro_result res = { 0 };
		const char *set, *eq;
		char *key, *label, *val;

		err_clear(&err);
		int r = store_macro_preview(ui->st, name, tid, o, &res, &err);
		store_macro_result_clear(&res);
		if (r >= 0 || (set = strstr(err.msg, "--set ")) == NULL)
			return 1;	/* ready, or an error apply reports */
		set += 6;
		if ((eq = strchr(set, '=')) == NULL)
			return 1;
		key = xstrndup(set, (size_t)(eq - set));
		label = xasprintf("value for {{%s}}: ", key);
		val = ui_prompt(ui, label, "", NULL, NULL, 0, NULL);
		free(label);
		if (val == NULL || *val == '\0') {
			free(key);
			free(val);
			return 0;
		}
		*vars = xrealloc(*vars, (o->n_vars + 1) * sizeof(char *));
		(*vars)[o->n_vars++] = xasprintf("%s=%s", key, val);
		o->vars = (const char *const *)*vars;
		free(key);
		free(val);
	}
	return 1;
}

void
ui_pick_macro(struct ui *ui)
{
	struct ui_picker p = { 0 };
	struct tdesk_err err = { 0 };
	struct store_macro_opts mo = { 0 };
	char **vars = NULL;
	int64_t *ids = NULL;
	size_t n;
	char *name, *what;

	p.title = "macros";
	p.fill = macro_fill;
	p.preview = macro_preview;
	if (!pick_ticket(ui, &p))
		return;
	if (store_macro_list(ui->st, macro_item, &p, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		pick_free(&p);
		return;
	}
	if (pick_run(ui, &p) != 1) {
		ui_message(ui, 0, "cancelled");
		pick_free(&p);
		return;
	}
	name = xstrdup(p.items[p.cur].key);
	pick_free(&p);
	what = xasprintf("macro '%s'", name);
	n = ui_act_targets(ui, &ids);
	if (n == 0)
		ui_message(ui, 1, ui->prefix ? "no tagged tickets" :
		    "no ticket selected");
	else if (!ask_placeholders(ui, name, ids[0], &mo, &vars))
		ui_message(ui, 0, "cancelled");
	else if (ui_act_confirm(ui, what, n)) {
		if (store_macro_apply(ui->st, name, ids, n, &mo, NULL, NULL,
		    &err) < 0)
			ui_message(ui, 1, "nothing queued: %s", err.msg);
		else if (n == 1)
			ui_message(ui, 0, "%s on #%lld: queued for sync", what,
			    (long long)ids[0]);
		else
			ui_message(ui, 0, "%s on %zu tickets: queued for sync",
			    what, n);
		ui->dirty |= DIRTY_ROWS | DIRTY_COUNTS | DIRTY_TICKET |
		    DIRTY_DRAW;
	}
	for (size_t i = 0; i < mo.n_vars; i++)
		free(vars[i]);
	free(vars);
	free(ids);
	free(what);
	free(name);
}
