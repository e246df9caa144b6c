/* SPDX-License-Identifier: MIT */
/*
 * The ticket view: fields, requester, tags, and the conversation with
 * public replies and internal notes set apart by colour and by a text
 * marker ("[internal note]" and a "| " gutter) that survives NO_COLOR.
 * Lines are wrapped once per load; links are text, never opened.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

#define TICKET_TOP	1

void
ui_lines_reset(struct ui_line **lines, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*lines)[i].text);
	*n = 0;
}

void
ui_lines_add(struct ui_line **lines, size_t *n, size_t *cap,
    const char *text, enum ui_role role, int indent)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*lines = xrealloc(*lines, *cap * sizeof(**lines));
	}
	(*lines)[*n].text = xstrdup(text);
	(*lines)[*n].role = role;
	(*lines)[*n].indent = indent;
	(*n)++;
}

struct wrap_ctx {
	struct ui_line **lines;
	size_t *n, *cap;
	enum ui_role role;
	int indent;
};

static void
wrap_line(const char *s, size_t len, void *arg)
{
	struct wrap_ctx *w = arg;
	char *t = xstrndup(s, len);

	ui_lines_add(w->lines, w->n, w->cap, t, w->role, w->indent);
	free(t);
}

void
ui_lines_wrap(struct ui_line **lines, size_t *n, size_t *cap,
    const char *s, int width, enum ui_role role, int indent)
{
	struct wrap_ctx w = { lines, n, cap, role, indent };

	ui_text_wrap(s, width - indent, wrap_line, &w);
}

static void
add(struct ui *ui, enum ui_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(struct ui *ui, enum ui_role role, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, b.data,
	    ui->cols, role, 0);
	buf_free(&b);
}

/* The conversation's lines go to the ui (attachments numbered under
 * their comment by ui/attach.c). */
struct view_ctx {
	struct ui *ui;
};

static int
add_comment(const struct store_comment *c, void *arg)
{
	struct view_ctx *v = arg;
	struct ui *ui = v->ui;
	char when[21];
	enum ui_role role;
	const char *kind;

	time_format_iso(c->created_at, when);
	when[16] = '\0';
	when[10] = ' ';
	if (!c->public) {
		role = ROLE_NOTE;
		kind = "[internal note]";
	} else if (c->author_is_agent) {
		role = ROLE_PUBLIC;
		kind = "[public reply]";
	} else {
		role = ROLE_CUSTOMER;
		kind = "[customer]";
	}
	ui_lines_add(&ui->lines, &ui->n_lines, &ui->cap_lines, "",
	    ROLE_NORMAL, 0);
	add(ui, role == ROLE_CUSTOMER ? ROLE_HEADER : role,
	    "%s %s  %s%s%s%s", kind, when, c->author ? c->author : "?",
	    c->local ? "  (outbox: " : "",
	    c->local ? store_outbox_state_name(c->state) : "",
	    c->local ? ")" : "");
	ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, c->body,
	    ui->cols, role, 2);
	ui_attach_lines(ui, c->id);
	return 0;
}

void
ui_ticket_load(struct ui *ui)
{
	struct tdesk_err err = { 0 };
	struct store_ticket *t = &ui->ticket;
	char c[21], u[21], sla[16];
	int64_t now = time_now();
	int r;

	ui->dirty &= ~DIRTY_TICKET;
	ui->dirty |= DIRTY_DRAW;
	if (ui->have_ticket)
		store_ticket_clear(t);
	ui->have_ticket = 0;
	ui_lines_reset(&ui->lines, &ui->n_lines);
	r = store_ticket_get(ui->st, ui->tid, t, &err);
	if (r <= 0) {
		if (r < 0)
			ui_message(ui, 1, "%s", err.msg);
		else
			ui_message(ui, 1, "ticket %lld not found",
			    (long long)ui->tid);
		return;
	}
	ui->have_ticket = 1;
	add(ui, ROLE_NORMAL, "Status: %s  Priority: %s  Type: %s  "
	    "Channel: %s  Lang: %s", t->status, *t->priority ?
	    t->priority : "-", *t->type ? t->type : "-", t->channel, t->lang);
	add(ui, t->vip ? ROLE_VIP : ROLE_NORMAL, "Requester: %s <%s>%s%s%s",
	    t->requester_name, t->requester, *t->requester_locale ? "  " : "",
	    t->requester_locale, t->vip ? "  [VIP]" : "");
	if (t->organization && *t->organization)
		add(ui, ROLE_NORMAL, "Organization: %s", t->organization);
	add(ui, ROLE_NORMAL, "Assignee: %s  Group: %s",
	    *t->assignee ? t->assignee : "-", *t->group ? t->group : "-");
	add(ui, ROLE_NORMAL, "Tags: %s", *t->tags ? t->tags : "-");
	/* custom fields by name, "NAME: VALUE" lines */
	for (const char *p = t->fields ? t->fields : "", *nl; *p;
	    p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		char *line = xstrndup(p, (size_t)(nl - p));
		add(ui, ROLE_NORMAL, "  %s", line);
		free(line);
	}
	if (t->satisfaction && *t->satisfaction)
		add(ui, strcmp(t->satisfaction, "bad") == 0 ? ROLE_URGENT :
		    ROLE_NORMAL, "Satisfaction: %s%s%s", t->satisfaction,
		    *t->satisfaction_comment ? " - " : "",
		    t->satisfaction_comment);
	time_format_iso(t->created_at, c);
	time_format_iso(t->updated_at, u);
	c[10] = u[10] = ' ';
	c[16] = u[16] = '\0';
	if (t->sla_breach_at > 0) {
		time_format_short(t->sla_breach_at - now, sla);
		add(ui, t->sla_breach_at <= now ? ROLE_BREACHED :
		    ROLE_NORMAL, "SLA: %s%s  Created: %s  Updated: %s", sla,
		    t->sla_breach_at <= now ? " (breached)" : "", c, u);
	} else
		add(ui, ROLE_NORMAL, "SLA: -  Created: %s  Updated: %s",
		    c, u);
	if (t->urgent)
		add(ui, ROLE_URGENT, "[urgent]");
	char *kinds = NULL;
	if (store_secret_flag(ui->st, t->id, &kinds, &err) > 0) {
		/* the customer exposed a secret (redacted): say so first */
		struct buf note = BUF_INIT;
		store_secret_note(kinds, &note);
		add(ui, ROLE_URGENT, "[secret exposed: %s] suggested note: %s "
		    "(X: redact on the server too)", kinds, note.data);
		buf_free(&note);
	}
	free(kinds);
	if (t->conflict)
		add(ui, ROLE_CONFLICT, "[conflict] an action needs you: "
		    "press $ for the outbox");
	else if (t->pending)
		add(ui, ROLE_PENDING, "[outbox] %d action(s) waiting to sync",
		    t->pending);
	ui_triage_lines(ui);
	struct view_ctx v = { ui };
	if (ui_attach_load(ui, ui->tid, &err) < 0 ||
	    store_comments(ui->st, ui->tid, add_comment, &v, &err) < 0)
		ui_message(ui, 1, "%s", err.msg);
	ui_triage_tail(ui);
	ui_ticket_scroll(ui, 0);
}

void
ui_ticket_open(struct ui *ui, int64_t id)
{
	if (id <= 0)
		return;
	ui->tid = id;
	ui->scroll = 0;
	if (ui->screen != SCREEN_TICKET)
		ui->ticket_from = ui->screen;
	ui->screen = SCREEN_TICKET;
	ui->dirty |= DIRTY_TICKET | DIRTY_DRAW;	/* loaded by ui_update */
}

static int
body_rows(const struct ui *ui)
{
	int n = ui->rows - TICKET_TOP - 2;

	return n > 0 ? n : 1;
}

void
ui_ticket_scroll(struct ui *ui, int64_t delta)
{
	int64_t max = (int64_t)ui->n_lines - body_rows(ui);

	ui->scroll += delta;
	if (ui->scroll > max)
		ui->scroll = max;
	if (ui->scroll < 0)
		ui->scroll = 0;
	ui->dirty |= DIRTY_DRAW;
}

int
ui_ticket_mover(struct ui *ui, enum ui_move how)
{
	int64_t page = ui->rows - 3;

	switch (how) {
	case MOVE_DOWN: ui_ticket_scroll(ui, 1); break;
	case MOVE_UP: ui_ticket_scroll(ui, -1); break;
	case MOVE_TOP: ui_ticket_scroll(ui, -INT64_MAX / 2); break;
	case MOVE_BOTTOM: ui_ticket_scroll(ui, INT64_MAX / 2); break;
	case MOVE_PAGE_DOWN: ui_ticket_scroll(ui, page); break;
	case MOVE_PAGE_UP: ui_ticket_scroll(ui, -page); break;
	}
	return DIRTY_DRAW;
}

int
act_next_ticket(struct ui *ui, int step)
{
	ui_list_move(ui, step);
	return DIRTY_OPEN | DIRTY_DRAW;	/* the row's ticket, once fetched */
}

int
act_ticket_tag(struct ui *ui, int arg)
{
	(void)arg;
	ui_list_tag_toggle(ui, ui->tid);
	ui_message(ui, 0, "#%lld %s", (long long)ui->tid,
	    ui_list_is_tagged(ui, ui->tid) ? "tagged" : "untagged");
	return DIRTY_DRAW;
}

void
ui_ticket_draw(struct ui *ui)
{
	struct buf b = BUF_INIT;
	int64_t i;
	int y, x;

	ui_fill(0, 0, ROLE_TITLE);
	buf_printf(&b, " #%lld ", (long long)ui->tid);
	x = ui_put(0, 0, ui->cols, b.data, ROLE_TITLE);
	if (ui->have_ticket)
		ui_put(0, x, ui->cols - x, ui->ticket.subject, ROLE_TITLE);
	for (y = TICKET_TOP, i = ui->scroll;
	    i < (int64_t)ui->n_lines && y < TICKET_TOP + body_rows(ui);
	    i++, y++) {
		const struct ui_line *l = &ui->lines[i];

		x = 0;
		if (l->indent > 0)
			x = ui_put(y, 0, l->indent, l->role == ROLE_NOTE ?
			    "| " : "  ", l->role);
		ui_put(y, x, ui->cols - x, l->text, l->role);
	}
	buf_free(&b);
}
