/* SPDX-License-Identifier: MIT */
/*
 * The outbox and conflict view: actions not yet confirmed by the helpdesk
 * (pending, in flight, failed, conflicting) in the upper half, the selected
 * one in the lower half with the customer messages that arrived since it
 * was written, and keep / edit / drop to resolve it.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

static void
ob_clear(struct ui *ui)
{
	size_t i;

	for (i = 0; i < ui->n_ob; i++) {
		free(ui->ob[i].summary);
		free(ui->ob[i].body);
		free(ui->ob[i].error);
	}
	ui->n_ob = 0;
}

void
ui_outbox_free(struct ui *ui)
{
	ob_clear(ui);
	free(ui->ob);
	ui_lines_reset(&ui->oblines, &ui->n_oblines);
	free(ui->oblines);
}

static int
ob_row(const struct store_outbox_row *r, void *arg)
{
	struct ui *ui = arg;
	struct ui_obrow *o;

	if (!store_outbox_state_live(r->state))
		return 0;
	if (ui->n_ob == ui->cap_ob) {
		ui->cap_ob = ui->cap_ob ? ui->cap_ob * 2 : 16;
		ui->ob = xrealloc(ui->ob, ui->cap_ob * sizeof(*ui->ob));
	}
	o = &ui->ob[ui->n_ob++];
	o->id = r->id;
	o->ticket_id = r->ticket_id;
	o->created_at = r->created_at;
	o->kind = r->kind;
	o->state = r->state;
	o->summary = xstrdup(r->summary ? r->summary : "");
	o->body = r->ch.comment ? xstrdup(r->ch.comment) : NULL;
	o->error = xstrdup(r->error ? r->error : "");
	return 0;
}

/* The comment text of an action, as the agent wrote it (the outbox keeps
 * it in a column); NULL when the action has none. */
static char *
body_comment(const char *text)
{
	return text ? xstrdup(text) : NULL;
}

struct since_ctx {
	struct ui *ui;
	int64_t after;
	int n;
	int width;
};

static int
since_comment(const struct store_comment *c, void *arg)
{
	struct since_ctx *s = arg;
	struct ui *ui = s->ui;
	struct buf b = BUF_INIT;
	char when[21];

	if (c->created_at <= s->after || c->id < 0)
		return 0;
	s->n++;
	time_format_iso(c->created_at, when);
	buf_printf(&b, "%s %s  %s", c->public ? (c->author_is_agent ?
	    "[public reply]" : "[customer]") : "[internal note]", when,
	    c->author ? c->author : "?");
	ui_lines_add(&ui->oblines, &ui->n_oblines, &ui->cap_oblines, b.data,
	    c->public ? ROLE_HEADER : ROLE_NOTE, 0);
	ui_lines_wrap(&ui->oblines, &ui->n_oblines, &ui->cap_oblines, c->body,
	    s->width, c->public ? ROLE_CUSTOMER : ROLE_NOTE, 2);
	buf_free(&b);
	return 0;
}

/* "KEY what": the key the outbox binds to action, as rebound. */
static void
hint(const struct ui *ui, struct buf *b, const char *action,
    const char *what)
{
	char kb[16];

	buf_printf(b, "%s %s", ui_key_for(ui, UI_TABLE_OUTBOX, action, kb),
	    what);
}

void
ui_outbox_detail(struct ui *ui)
{
	struct since_ctx s = { ui, 0, 0, ui->cols };
	struct ui_obrow *o;
	struct buf b = BUF_INIT;
	char when[21], *text;

	ui_lines_reset(&ui->oblines, &ui->n_oblines);
	if (ui->ob_cur < 0 || ui->ob_cur >= (int64_t)ui->n_ob)
		return;
	o = &ui->ob[ui->ob_cur];
	time_format_iso(o->created_at, when);
	buf_printf(&b, "action %lld on #%lld: %s, %s, written %s",
	    (long long)o->id, (long long)o->ticket_id,
	    store_outbox_kind_name(o->kind), store_outbox_state_name(o->state),
	    when);
	ui_lines_add(&ui->oblines, &ui->n_oblines, &ui->cap_oblines, b.data,
	    ROLE_HEADER, 0);
	if (*o->error)
		ui_lines_wrap(&ui->oblines, &ui->n_oblines, &ui->cap_oblines,
		    o->error, ui->cols, o->state == STORE_OUTBOX_CONFLICT ?
		    ROLE_CONFLICT : ROLE_ERROR, 0);
	ui_lines_wrap(&ui->oblines, &ui->n_oblines, &ui->cap_oblines,
	    o->summary, ui->cols, ROLE_NORMAL, 0);
	if ((text = body_comment(o->body)) != NULL) {
		ui_lines_add(&ui->oblines, &ui->n_oblines, &ui->cap_oblines,
		    "your text:", ROLE_HEADER, 0);
		ui_lines_wrap(&ui->oblines, &ui->n_oblines, &ui->cap_oblines,
		    text, ui->cols, ROLE_PUBLIC, 2);
		free(text);
	}
	s.after = o->created_at;
	ui_lines_add(&ui->oblines, &ui->n_oblines, &ui->cap_oblines,
	    "since you wrote it:", ROLE_HEADER, 0);
	store_comments(ui->st, o->ticket_id, since_comment, &s, NULL);
	if (s.n == 0)
		ui_lines_add(&ui->oblines, &ui->n_oblines, &ui->cap_oblines,
		    "  (no new messages)", ROLE_NORMAL, 0);
	if (o->state == STORE_OUTBOX_CONFLICT ||
	    o->state == STORE_OUTBOX_FAILED) {
		buf_reset(&b);
		hint(ui, &b, "keep", "keep (send as is)   ");
		hint(ui, &b, "edit", "edit and send   ");
		hint(ui, &b, "drop", "drop");
		ui_lines_add(&ui->oblines, &ui->n_oblines, &ui->cap_oblines,
		    b.data, ROLE_HEADER, 0);
	}
	buf_free(&b);
}

void
ui_outbox_load(struct ui *ui)
{
	struct tdesk_err err = { 0 };
	int64_t keep = ui->ob_cur >= 0 && ui->ob_cur < (int64_t)ui->n_ob ?
	    ui->ob[ui->ob_cur].id : 0;
	size_t i;

	ui->dirty &= ~DIRTY_OUTBOX;
	ui->dirty |= DIRTY_DRAW;
	ob_clear(ui);
	if (store_outbox_list(ui->st, 0, ob_row, ui, &err) < 0)
		ui_message(ui, 1, "%s", err.msg);
	for (i = 0; i < ui->n_ob; i++)
		if (ui->ob[i].id == keep)
			ui->ob_cur = (int64_t)i;
	if (ui->ob_cur >= (int64_t)ui->n_ob)
		ui->ob_cur = (int64_t)ui->n_ob - 1;
	if (ui->ob_cur < 0)
		ui->ob_cur = 0;
	ui_outbox_detail(ui);
}

void
ui_outbox_draw(struct ui *ui)
{
	struct buf b = BUF_INIT;
	int list_h = (ui->rows - 3) / 2, y, top;
	size_t i;

	ui_fill(0, 0, ROLE_TITLE);
	buf_printf(&b, " outbox: %zu action(s) not yet synced  (", ui->n_ob);
	hint(ui, &b, "keep", "keep, ");
	hint(ui, &b, "edit", "edit, ");
	hint(ui, &b, "drop", "drop, ");
	hint(ui, &b, "open", "open ticket, ");
	hint(ui, &b, "back", "back)");
	ui_put(0, 0, ui->cols, b.data, ROLE_TITLE);
	if (list_h < 1)
		list_h = 1;
	top = ui->ob_cur >= list_h ? (int)ui->ob_cur - list_h + 1 : 0;
	for (i = (size_t)top, y = 1; i < ui->n_ob && y <= list_h; i++, y++) {
		struct ui_obrow *o = &ui->ob[i];
		int sel = (int64_t)i == ui->ob_cur;
		enum ui_role r = sel ? ROLE_SELECTED :
		    o->state == STORE_OUTBOX_CONFLICT ? ROLE_CONFLICT :
		    o->state == STORE_OUTBOX_FAILED ? ROLE_ERROR : ROLE_PENDING;

		buf_reset(&b);
		buf_printf(&b, " %6lld #%-8lld %-6s %-9s %s", (long long)o->id,
		    (long long)o->ticket_id, store_outbox_kind_name(o->kind),
		    store_outbox_state_name(o->state), o->summary);
		if (sel)
			ui_fill(y, 0, ROLE_SELECTED);
		ui_put(y, 0, ui->cols, b.data, r);
	}
	if (ui->n_ob == 0)
		ui_put(1, 1, ui->cols - 1, "nothing waiting: every action is "
		    "synced", ROLE_HEADER);
	y = list_h + 1;
	ui_fill(y, 0, ROLE_HEADER);
	attrset(ui_attr(ROLE_HEADER));
	mvhline(y, 0, ACS_HLINE, ui->cols);
	attrset(A_NORMAL);
	for (i = 0, y++; i < ui->n_oblines && y < ui->rows - 2; i++, y++) {
		const struct ui_line *l = &ui->oblines[i];
		int x = 0;

		if (l->indent)
			x = ui_put(y, 0, l->indent, l->role == ROLE_NOTE ?
			    "| " : "  ", l->role);
		ui_put(y, x, ui->cols - x, l->text, l->role);
	}
	buf_free(&b);
}

int
ui_outbox_mover(struct ui *ui, enum ui_move how)
{
	int64_t page = (ui->rows - 3) / 2;

	switch (how) {
	case MOVE_DOWN: ui->ob_cur++; break;
	case MOVE_UP: ui->ob_cur--; break;
	case MOVE_TOP: ui->ob_cur = 0; break;
	case MOVE_BOTTOM: ui->ob_cur = (int64_t)ui->n_ob - 1; break;
	case MOVE_PAGE_DOWN: ui->ob_cur += page > 0 ? page : 1; break;
	case MOVE_PAGE_UP: ui->ob_cur -= page > 0 ? page : 1; break;
	}
	if (ui->ob_cur >= (int64_t)ui->n_ob)
		ui->ob_cur = (int64_t)ui->n_ob - 1;
	if (ui->ob_cur < 0)
		ui->ob_cur = 0;
	return DIRTY_DETAIL | DIRTY_DRAW;
}

/* The selected action; NULL when the outbox is empty. */
static struct ui_obrow *
selected(struct ui *ui)
{
	if (ui->ob_cur >= 0 && ui->ob_cur < (int64_t)ui->n_ob)
		return &ui->ob[ui->ob_cur];
	return NULL;
}

/* After keep, edit or drop: r < 0 shows the error; everything the
 * action may have changed is reloaded. */
static int
resolved(struct ui *ui, int r, const struct tdesk_err *err)
{
	if (r < 0)
		ui_message(ui, 1, "%s", err->msg);
	return DIRTY_OUTBOX | DIRTY_ROWS | DIRTY_COUNTS | DIRTY_DRAW;
}

int
act_ob_open(struct ui *ui, int arg)
{
	struct ui_obrow *o = selected(ui);

	(void)arg;
	if (o != NULL)
		ui_ticket_open(ui, o->ticket_id);
	return DIRTY_DRAW;
}

/* Send the action again, its text replaced when text is not NULL. */
static int
resend(struct ui *ui, const struct ui_obrow *o, const char *text)
{
	struct tdesk_err err = { 0 };
	int r = store_outbox_retry_many(ui->st, &o->id, 1, text, NULL,
	    &err);

	if (r >= 0)
		ui_message(ui, 0, "action %lld %s", (long long)o->id,
		    text ? "edited, will be sent" : "will be sent as it is");
	return resolved(ui, r, &err);
}

/* Sending a conflicting action again goes over the customer's newer
 * words: ask, as dropping does. */
static int
keep_confirmed(struct ui *ui, const struct ui_obrow *o)
{
	if (o->state != STORE_OUTBOX_CONFLICT)
		return 1;
	if (ui_confirm(ui, "send it again although the ticket changed?"))
		return 1;
	ui_message(ui, 0, "action %lld not sent", (long long)o->id);
	return 0;
}

int
act_ob_keep(struct ui *ui, int arg)
{
	struct ui_obrow *o = selected(ui);

	(void)arg;
	if (o == NULL || !keep_confirmed(ui, o))
		return DIRTY_DRAW;
	return resend(ui, o, NULL);
}

int
act_ob_edit(struct ui *ui, int arg)
{
	struct ui_obrow *o = selected(ui);
	char *text, *init;
	int r;

	(void)arg;
	if (o == NULL)
		return DIRTY_DRAW;
	init = body_comment(o->body);
	if (init == NULL) {
		ui_message(ui, 1, "action %lld has no text to edit",
		    (long long)o->id);
		return DIRTY_DRAW;
	}
	text = ui_editor(ui, init);
	free(init);
	if (text == NULL) {
		ui_message(ui, 0, "edit cancelled");
		return DIRTY_DRAW;
	}
	r = resend(ui, o, text);
	free(text);
	return r;
}

int
act_ob_drop(struct ui *ui, int arg)
{
	struct tdesk_err err = { 0 };
	struct ui_obrow *o = selected(ui);
	int r;

	(void)arg;
	if (o == NULL)
		return DIRTY_DRAW;
	if (!ui_confirm(ui, "drop this action and undo it locally?"))
		return DIRTY_DRAW;
	r = store_outbox_drop_many(ui->st, &o->id, 1, NULL, &err);
	if (r == 0)
		ui_message(ui, 0, "action %lld dropped", (long long)o->id);
	return resolved(ui, r, &err);
}
