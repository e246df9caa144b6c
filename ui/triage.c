/* SPDX-License-Identifier: MIT */
/*
 * Triage in the ticket view: the category and why (the rules), the
 * suggested priority and group, how long the customer has waited, and
 * the FAQ answers and macros that fit; opening a ticket counts as the
 * agent looking at it (no longer "new").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/triage.h"
#include "ui/ui_int.h"

/* After the conversation: the suggested answers. */
void
ui_triage_tail(struct ui *ui)
{
	if (ui->triage_tail.len == 0)
		return;
	ui_lines_add(&ui->lines, &ui->n_lines, &ui->cap_lines, "",
	    ROLE_NORMAL, 0);
	ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines,
	    ui->triage_tail.data, ui->cols, ROLE_HEADER, 0);
	buf_reset(&ui->triage_tail);
}

void
ui_triage_lines(struct ui *ui)
{
	struct store_ticket_class tc;
	struct store_suggestion faq[3], mac[3];
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT;
	int nf, nm;

	if (store_ticket_class_get(ui->st, ui->tid, &tc, &err) <= 0)
		return;
	/* one line (wrapped when narrow): the screen belongs to the
	 * conversation */
	nf = store_suggest(ui->st, ui->tid, 1, faq, 3, &err);
	nm = store_suggest(ui->st, ui->tid, 0, mac, 3, &err);
	buf_printf(&b, "Triage: %s%s%s%s%s  why: %s", tc.category,
	    tc.incident ? " [SECURITY INCIDENT]" : tc.urgent ? " [urgent]" :
	    "", *tc.override ? " (set by an agent; rules: " : "",
	    *tc.override ? tc.rule_category : "", *tc.override ? ")" : "",
	    *tc.rules ? tc.rules : "no rule matched");
	if (tc.waiting_since > 0) {
		char w[16];
		time_format_short(time_now() - tc.waiting_since, w);
		buf_printf(&b, "  waiting: %s", w);
	}
	if (tc.is_new)
		buf_adds(&b, "  [new reply]");
	ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, b.data,
	    ui->cols, tc.incident ? ROLE_BREACHED : ROLE_HEADER, 0);
	/* the suggestions close the conversation, where the reply starts */
	buf_reset(&ui->triage_tail);
	for (int i = 0; i < nf; i++)
		buf_printf(&ui->triage_tail, "%s%s", i ? ", " :
		    "Suggested answers (f): ", faq[i].id);
	if (nf > 0 && nm > 0)
		buf_adds(&ui->triage_tail, "  ");
	for (int i = 0; i < nm; i++)
		buf_printf(&ui->triage_tail, "%s%s", i ? ", " :
		    "macros (m): ", mac[i].id);
	buf_free(&b);
	store_ticket_seen(ui->st, ui->tid, &err);
}

static void
stats_line(struct ui *ui, int *y, enum ui_role role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
stats_line(struct ui *ui, int *y, enum ui_role role, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	int row = *y - (int)ui->help_scroll;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (row >= 1 && row < ui->rows - 1)
		ui_put(row, 0, ui->cols, b.data, role);
	buf_free(&b);
	(*y)++;
}

/*
 * The numbers on screen: computed when the stats view opens, when the
 * replica changes and once a minute, not on every redraw (a pass over a
 * 100k-ticket desk takes a good part of a second): one UI per process,
 * so one cache.
 */
static struct {
	struct stats_report r;
	int valid;
	int64_t version, at;
	char err[256];
} stats_cache;

static const struct stats_report *
stats_get(struct ui *ui)
{
	struct tdesk_err err = { 0 };
	int64_t now = time_now();

	if (stats_cache.valid && stats_cache.version == ui->data_version &&
	    now - stats_cache.at < 60)
		return &stats_cache.r;
	if (stats_cache.valid)
		stats_report_clear(&stats_cache.r);
	stats_cache.valid = 0;
	stats_cache.version = ui->data_version;
	stats_cache.at = now;
	if (store_stats(ui->st, now - 7 * 86400, STATS_BY_CATEGORY,
	    &stats_cache.r, &err) < 0) {
		snprintf(stats_cache.err, sizeof(stats_cache.err), "%.255s",
		    err.msg);
		return NULL;
	}
	stats_cache.valid = 1;
	return &stats_cache.r;
}

/* "label  median / p90" for the desk and for me. */
static void
spread_line(struct ui *ui, int *y, const char *label, double tm, double tp,
    double mm, double mp)
{
	char a[16], b[16], c[16], d[16];

	stats_format_duration(tm, a);
	stats_format_duration(tp, b);
	stats_format_duration(mm, c);
	stats_format_duration(mp, d);
	stats_line(ui, y, ROLE_NORMAL, "%-26s %5s / %-4s  %5s / %-4s", label,
	    a, b, c, d);
}

/* "label  12% (3)" for the desk and for me. */
static void
share_line(struct ui *ui, int *y, const char *label, int64_t tp, int64_t tw,
    int64_t mp, int64_t mw)
{
	char s1[32], s2[32];

	stats_format_share(tp, tw, 1, s1, sizeof(s1));
	stats_format_share(mp, mw, 1, s2, sizeof(s2));
	stats_line(ui, y, ROLE_NORMAL, "%-26s %12s %12s", label, s1, s2);
}

void
ui_stats_draw(struct ui *ui)
{
	const struct stats_report *rp;
	char a[16], b[16];
	int y = 1;

	ui_fill(0, 0, ROLE_TITLE);
	ui_put(0, 0, ui->cols, " tdesk stats: the last 7 days (q: back) ",
	    ROLE_TITLE);
	if ((rp = stats_get(ui)) == NULL) {
		ui_put(2, 0, ui->cols, stats_cache.err, ROLE_ERROR);
		return;
	}
	const struct stats_report r = *rp;
	const struct stats_row *t = &r.total, *m = &r.mine;
	stats_line(ui, &y, ROLE_HEADER, "%-26s %12s %12s", "", "desk",
	    r.has_me ? "me" : "");
	stats_line(ui, &y, ROLE_NORMAL, "%-26s %12lld %12lld", "created",
	    (long long)t->created, (long long)m->created);
	stats_line(ui, &y, ROLE_NORMAL, "%-26s %12lld %12lld", "solved",
	    (long long)t->solved, (long long)m->solved);
	spread_line(ui, &y, "first reply median/p90", t->frt_median,
	    t->frt_p90, m->frt_median, m->frt_p90);
	spread_line(ui, &y, "resolution median/p90", t->res_median,
	    t->res_p90, m->res_median, m->res_p90);
	stats_line(ui, &y, t->sla_breached ? ROLE_BREACHED : ROLE_NORMAL,
	    "%-26s %12lld %12lld", "SLA breached", (long long)t->sla_breached,
	    (long long)m->sla_breached);
	if (t->sat_good >= 0) {
		share_line(ui, &y, "satisfied (good)", t->sat_good,
		    t->sat_good + t->sat_bad, m->sat_good,
		    m->sat_good + m->sat_bad);
	}
	share_line(ui, &y, "answered by macro or FAQ", t->by_canned,
	    t->created, m->by_canned, m->created);
	share_line(ui, &y, "  by a macro", t->by_macro, t->created,
	    m->by_macro, m->created);
	share_line(ui, &y, "  by a FAQ answer", t->by_faq, t->created,
	    m->by_faq, m->created);
	stats_format_duration(r.backlog_age_median, a);
	stats_format_duration(r.backlog_age_p90, b);
	stats_line(ui, &y, ROLE_NORMAL, "%-26s %12lld   age %s / %s",
	    "backlog now", (long long)r.backlog, a, b);
	y++;
	stats_line(ui, &y, ROLE_HEADER, "by category");
	int64_t max = 1;
	for (size_t i = 0; i < r.n_rows; i++)
		if (r.rows[i].created > max)
			max = r.rows[i].created;
	int barw = ui->cols - 16 - 8 - 2;
	if (barw > 40)
		barw = 40;
	for (size_t i = 0; i < r.n_rows && barw > 0; i++) {
		struct buf bar = BUF_INIT;
		int64_t n = r.rows[i].created * barw / max;
		for (int64_t k = 0; k < n; k++)
			buf_addc(&bar, '#');
		if (n == 0 && r.rows[i].created)
			buf_addc(&bar, '#');
		stats_line(ui, &y, ROLE_NORMAL, "  %-14.14s %-*s %6lld",
		    r.rows[i].key, barw, bar.data ? bar.data : "",
		    (long long)r.rows[i].created);
		buf_free(&bar);
	}
}

void
ui_triage_category(struct ui *ui)
{
	struct tdesk_err err = { 0 };
	struct store_ticket_class tc;
	int64_t id = ui->screen == SCREEN_TICKET ? ui->tid :
	    ui_list_current_id(ui);
	char *text;

	if (id <= 0) {
		ui_message(ui, 1, "no ticket selected");
		return;
	}
	if (store_ticket_class_get(ui->st, id, &tc, &err) < 0)
		tc.category[0] = '\0';
	text = ui_prompt(ui, "category (account_access kyc deposit withdrawal "
	    "trade security compliance api other; none: the rules'): ",
	    tc.category, NULL, NULL, 0, NULL);
	if (text == NULL) {
		ui_message(ui, 0, "cancelled");
		return;
	}
	if (store_class_override_send(ui->st, id, strcmp(text, "none") == 0 ?
	    "" : text, ui->opts->category_field, &err) < 0)
		ui_message(ui, 1, "%s", err.msg);
	else
		ui_message(ui, 0, "#%lld: category %s%s", (long long)id,
		    strcmp(text, "none") == 0 ? "from the rules" : text,
		    ui->opts->category_field > 0 ? " (queued for the helpdesk)" :
		    "");
	free(text);
	ui->dirty |= DIRTY_ROWS | DIRTY_TICKET | DIRTY_DRAW;
}

int
act_stats(struct ui *ui, int arg)
{
	(void)arg;
	if (ui->screen != SCREEN_HELP && ui->screen != SCREEN_STATS)
		ui->help_from = ui->screen;
	ui->screen = SCREEN_STATS;
	ui->help_scroll = 0;
	stats_cache.at = 0;	/* fresh numbers each time it opens */
	return DIRTY_DRAW;
}

int
act_category(struct ui *ui, int arg)
{
	(void)arg;
	ui_triage_category(ui);
	return DIRTY_DRAW;
}
