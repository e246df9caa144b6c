/* SPDX-License-Identifier: MIT */
/*
 * Triage in the ticket view: the category and why (the rules), the
 * suggested priority and group, how long the customer has waited, and
 * the FAQ answers and macros that fit; opening a ticket counts as the
 * agent looking at it (no longer "new").
 */
#include <stdio.h>
#include <string.h>

#include "store/triage.h"
#include "ui/ui_int.h"

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
	buf_printf(&b, "Triage: %s%s%s%s  suggests %s, group %s",
	    tc.category, tc.incident ? "  [SECURITY INCIDENT]" : tc.urgent ?
	    "  [urgent]" : "", *tc.override ? "  (set by an agent; rules: " :
	    "", *tc.override ? tc.rule_category : "", *tc.priority ?
	    tc.priority : "-", *tc.group ? tc.group : "-");
	if (*tc.override)
		buf_adds(&b, ")");
	ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, b.data,
	    ui->cols, tc.incident ? ROLE_BREACHED : ROLE_NORMAL, 0);
	buf_reset(&b);
	buf_printf(&b, "Why: %s", *tc.rules ? tc.rules : "no rule matched");
	if (tc.waiting_since > 0) {
		char w[16];
		time_format_short(time_now() - tc.waiting_since, w);
		buf_printf(&b, "  Waiting: %s", w);
	}
	if (tc.is_new)
		buf_adds(&b, "  [new reply]");
	ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, b.data,
	    ui->cols, ROLE_HEADER, 0);
	nf = store_suggest(ui->st, ui->tid, 1, faq, 3, &err);
	nm = store_suggest(ui->st, ui->tid, 0, mac, 3, &err);
	if (nf > 0 || nm > 0) {
		buf_reset(&b);
		buf_adds(&b, "Suggested (f/m):");
		for (int i = 0; i < nf; i++)
			buf_printf(&b, "%s %s", i ? "," : "", faq[i].id);
		if (nm > 0)
			buf_adds(&b, nf > 0 ? "  |" : "");
		for (int i = 0; i < nm; i++)
			buf_printf(&b, "%s %s", i ? "," : "", mac[i].id);
		ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, b.data,
		    ui->cols, ROLE_NORMAL, 0);
	}
	buf_free(&b);
	store_ticket_seen(ui->st, ui->tid, &err);
}
