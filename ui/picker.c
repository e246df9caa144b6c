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

#include "store/triage.h"
#include "ui/ui_int.h"

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
	int loaded;		/* fill has read what it filters */
	char *answer;		/* FAQ picker: the previewed answer's text */
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

/* --- triage: suggestions lead the pickers (store_suggest) ------------- */

/* Add the suggested FAQ answers (faq) or macros of ticket tid; returns
 * how many lead the list. */
static size_t
ui_triage_suggest(struct ui *ui, int64_t tid, int faq,
    struct ui_pick_item **v, size_t *n, size_t *cap)
{
	struct store_suggestion sg[3];
	struct tdesk_err err = { 0 };
	int k = tid > 0 ? store_suggest(ui->st, tid, faq, sg, 3, &err) : 0;

	for (int i = 0; i < k; i++) {
		char *label = faq ? xasprintf("%-18s %s  [suggested]", sg[i].id,
		    sg[i].title) : xasprintf("%s  [suggested]", sg[i].id);
		items_add(v, n, cap, sg[i].id, label, NULL);
		free(label);
	}
	return k > 0 ? (size_t)k : 0;
}

/* Drop the later copies of the first lead items. */
static void
ui_triage_dedup(struct ui_pick_item *v, size_t *n, size_t lead)
{
	size_t w = lead;

	for (size_t i = lead; i < *n; i++) {
		int dup = 0;
		for (size_t j = 0; j < lead; j++)
			if (strcmp(v[i].key, v[j].key) == 0)
				dup = 1;
		if (dup) {
			free(v[i].key);
			free(v[i].label);
			free(v[i].filter);
		} else {
			v[w++] = v[i];
		}
	}
	*n = w;
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

/* Update step: refill for the query, keep the selection in range,
 * rebuild the preview. */
void
ui_picker_update(struct ui *ui, int refill)
{
	struct ui_picker *p = ui->pick;

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
	free(p->answer);
	p->answer = NULL;
	if (p->n > 0)
		p->preview(ui, p);
	ui->dirty |= DIRTY_DRAW;
}

void
ui_picker_cursor(struct ui *ui)
{
	move(1, ui->pick->cx);
	curs_set(ui->pick->browse ? 0 : 1);
}

int
ui_picker_browsing(const struct ui *ui)
{
	return ui->pick != NULL && ui->pick->browse;
}

#define KEY_FOR(t, action, buf) \
	ui_key_for(ui, UI_TABLE_##t, action, buf)

void
ui_picker_draw(struct ui *ui)
{
	char k1[16], k2[16], k3[16], k4[16], k5[16];
	struct ui_picker *p = ui->pick;
	struct buf b = BUF_INIT;
	int64_t i;
	int y, x, lr = list_rows(ui);
	size_t l;

	ui_fill(0, 0, ROLE_TITLE);
	buf_printf(&b, " %s for #%lld  (", p->title, (long long)p->tid);
	if (p->browse)
		buf_printf(&b, "%s/%s move, %s or %s: type",
		    KEY_FOR(BROWSE, "down", k1), KEY_FOR(BROWSE, "up", k2),
		    KEY_FOR(BROWSE, "type", k3), KEY_FOR(PICKER, "browse", k4));
	else
		buf_printf(&b, "type to filter, %s/%s move, %s: %s/%s",
		    KEY_FOR(PICKER, "up", k1), KEY_FOR(PICKER, "down", k2),
		    KEY_FOR(PICKER, "browse", k3), KEY_FOR(BROWSE, "down", k4),
		    KEY_FOR(BROWSE, "up", k5));
	buf_printf(&b, "; %s choose, %s cancel)", KEY_FOR(PICKER, "accept", k1),
	    KEY_FOR(PICKER, "cancel", k2));
	ui_put(0, 0, ui->cols, b.data, ROLE_TITLE);
	buf_reset(&b);
	if (p->browse)
		buf_printf(&b, "filter (%s to edit): ",
		    KEY_FOR(PICKER, "browse", k1));
	x = ui_put(1, 0, ui->cols, p->browse ? b.data : "filter: ",
	    ROLE_HEADER);
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

int
ui_picker_mover(struct ui *ui, enum ui_move how)
{
	struct ui_picker *p = ui->pick;

	switch (how) {
	case MOVE_DOWN: p->cur++; break;
	case MOVE_UP: p->cur--; break;
	case MOVE_TOP: p->cur = 0; break;
	case MOVE_BOTTOM: p->cur = (int64_t)p->n; break;
	case MOVE_PAGE_DOWN: p->cur += list_rows(ui); break;
	case MOVE_PAGE_UP: p->cur -= list_rows(ui); break;
	}
	return DIRTY_DETAIL;
}

int
act_pick_accept(struct ui *ui, int arg)
{
	(void)arg;
	if (ui->pick->n == 0) {
		ui_message(ui, 1, "nothing to choose");
		return DIRTY_DRAW;
	}
	return R_DONE;
}

int
act_pick_browse(struct ui *ui, int arg)
{
	(void)arg;
	ui->pick->browse = !ui->pick->browse;
	return DIRTY_DRAW;
}

int
act_pick_type(struct ui *ui, int arg)
{
	(void)arg;
	ui->pick->browse = 0;
	return DIRTY_DRAW;
}

/* arg: 0 the last character (and back to typing), 1 the whole filter */
int
act_pick_erase(struct ui *ui, int arg)
{
	struct ui_picker *p = ui->pick;

	if (arg) {
		buf_reset(&p->query);
		buf_adds(&p->query, "");
	} else {
		query_backspace(&p->query);
		p->browse = 0;
	}
	return DIRTY_INPUT;
}

int
act_pick_insert(struct ui *ui, int arg)
{
	struct ui_picker *p = ui->pick;
	int k = ui->key;

	(void)arg;
	if (k < 0x20 || k >= UI_KEYCODE(0) || wcwidth((wchar_t)k) < 0 ||
	    p->query.len >= 1000)
		return 0;
	utf8_encode(&p->query, (uint32_t)k);
	p->browse = 0;
	return DIRTY_INPUT;
}

static int pick_ticket(struct ui *ui, struct ui_picker *p);
static void pick_free(struct ui_picker *p);

/* Run the picker on the open or selected ticket: 1 with p->cur on the
 * choice, 0 when cancelled or no ticket (p freed). */
static int
pick_run(struct ui *ui, struct ui_picker *p)
{
	int r;

	if (!pick_ticket(ui, p))
		return 0;
	buf_adds(&p->query, "");
	ui->pick = p;
	ui->msg[0] = '\0';
	ui->dirty |= DIRTY_INPUT | DIRTY_DRAW;
	r = ui_loop(ui);
	ui->pick = NULL;
	curs_set(0);
	ui->dirty |= DIRTY_DRAW | DIRTY_CLEAR;
	if (r == R_DONE)
		return 1;
	ui_message(ui, 0, "cancelled");
	pick_free(p);
	return 0;
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
	free(p->answer);
}

/* Set p->tid and p->lang from the open or selected ticket; 0 if none. */
static int
pick_ticket(struct ui *ui, struct ui_picker *p)
{
	const struct store_ticket *t = ui_current_ticket(ui);

	if (t == NULL || t->id <= 0) {
		ui_message(ui, 1, "no ticket selected");
		return 0;
	}
	p->tid = t->id;
	snprintf(p->lang, sizeof(p->lang), "%s",
	    store_lang_pick(t->requester_locale, t->lang));
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

static void
faq_fill(struct ui *ui, struct ui_picker *p)
{
	struct tdesk_err err = { 0 };
	const char *q = query(p);
	int r;

	items_clear(p->items, &p->n);
	if (q[strspn(q, " ")] == '\0') {
		/* triage: the answers that fit this ticket lead */
		size_t lead = ui_triage_suggest(ui, p->tid, 1, &p->items,
		    &p->n, &p->cap);
		r = store_faq_list(ui->st, p->lang, faq_item, p, &err);
		ui_triage_dedup(p->items, &p->n, lead);
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
	p->answer = t.body;	/* what Enter puts in the reply */
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

int
act_faq(struct ui *ui, int arg)
{
	struct ui_picker p = { 0 };
	char *answer;

	(void)arg;
	p.title = "FAQ answers";
	p.fill = faq_fill;
	p.preview = faq_preview;
	if (!pick_run(ui, &p))
		return DIRTY_DRAW;
	answer = p.answer;
	p.answer = NULL;
	char lang[8];
	snprintf(lang, sizeof(lang), "%s", p.lang);
	char *faq_id = p.cur >= 0 && (size_t)p.cur < p.n ?
	    xstrdup(p.items[p.cur].key) : NULL;
	pick_free(&p);
	if (answer == NULL) {
		free(faq_id);
		ui_message(ui, 1, "answer not found");
		return DIRTY_DRAW;
	}
	ui_update(ui);
	/* the whole answer, ready to send, in the editor: not one line */
	char *text = faq_reply_text(ui, lang, answer);
	ui_act_comment(ui, 1, 1, text, faq_id);
	free(text);
	free(faq_id);
	free(answer);
	return DIRTY_DRAW;
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
	struct tdesk_err err = { 0 };
	char *q = xstrdup(query(p)), *c;
	size_t i;

	if (!p->loaded) {
		p->loaded = 1;
		if (store_macro_list(ui->st, macro_item, p, &err) < 0)
			ui_message(ui, 1, "%s", err.msg);
	}
	for (c = q; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	items_clear(p->items, &p->n);
	/* triage: with no query, the macros that fit this ticket lead */
	size_t lead = *q ? 0 : ui_triage_suggest(ui, p->tid, 0, &p->items,
	    &p->n, &p->cap);
	for (i = 0; i < p->n_all; i++)
		if (strstr(p->all[i].filter, q) != NULL)
			items_add(&p->items, &p->n, &p->cap, p->all[i].key,
			    p->all[i].label, NULL);
	ui_triage_dedup(p->items, &p->n, lead);
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

int
act_macro(struct ui *ui, int arg)
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
	(void)arg;
	if (!pick_run(ui, &p))
		return DIRTY_DRAW;
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
	return DIRTY_DRAW;
}
