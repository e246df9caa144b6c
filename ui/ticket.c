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

static int
add_comment(const struct store_comment *c, void *arg)
{
	struct ui *ui = arg;
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
	    c->state && *c->state ? "  (outbox: " : "",
	    c->state && *c->state ? c->state : "",
	    c->state && *c->state ? ")" : "");
	ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, c->body,
	    ui->cols, role, 2);
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
	add(ui, ROLE_NORMAL, "Assignee: %s  Group: %s",
	    *t->assignee ? t->assignee : "-", *t->group ? t->group : "-");
	add(ui, ROLE_NORMAL, "Tags: %s", *t->tags ? t->tags : "-");
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
	if (t->conflict)
		add(ui, ROLE_CONFLICT, "[conflict] an action needs you: "
		    "press $ for the outbox");
	else if (t->pending)
		add(ui, ROLE_PENDING, "[outbox] %d action(s) waiting to sync",
		    t->pending);
	if (store_comments(ui->st, ui->tid, add_comment, ui, &err) < 0)
		ui_message(ui, 1, "%s", err.msg);
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
	ui_ticket_load(ui);
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
