/* SPDX-License-Identifier: MIT */
/*
 * The queue row: one ticket in a fixed column layout, width-exact. Pure
 * (no curses) so tests compare rows at fixed widths against golden files.
 */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"

static const char *
short_priority(const char *p)
{
	if (p == NULL || *p == '\0')
		return "-";
	if (strcmp(p, "urgent") == 0)
		return "URG";
	if (strcmp(p, "normal") == 0)
		return "norm";
	return p;
}

static const char *
short_status(const char *s)
{
	static const char *const map[][2] = {
		{ "pending", "pend" }, { "solved", "solv" },
		{ "closed", "clos" }, { "deleted", "del" },
	};
	size_t i;

	if (s == NULL || *s == '\0')
		return "-";
	for (i = 0; i < ARRAY_LEN(map); i++)
		if (strcmp(s, map[i][0]) == 0)
			return map[i][1];
	return s;
}

/* The category in four columns. */
static const char *
short_category(const char *c)
{
	static const char *const map[][2] = {
		{ "account_access", "acct" }, { "deposit", "dep" },
		{ "withdrawal", "wdr" }, { "trade", "trad" },
		{ "security", "sec" }, { "compliance", "comp" },
		{ "other", "oth" },
	};

	if (c == NULL || *c == '\0')
		return "";
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (strcmp(c, map[i][0]) == 0)
			return map[i][1];
	return c;
}

/* Append s cleaned into exactly w columns, left or right aligned. */
static void
col(struct buf *out, const char *s, int w, int right)
{
	struct buf tmp = BUF_INIT;
	int used;

	used = ui_text_fit(&tmp, s, w, 0);
	if (right)
		for (; used < w; used++)
			buf_addc(out, ' ');
	buf_add(out, tmp.data ? tmp.data : "", tmp.len);
	if (!right)
		for (; used < w; used++)
			buf_addc(out, ' ');
	buf_free(&tmp);
}

int
ui_row_chan_width(int width)
{
	/* "mobile_sdk", "facebook": whole once the row has room for them */
	return width >= 150 ? 12 : 5;
}

void
ui_row_format(struct buf *out, const struct store_ticket *t, int width,
    int64_t now)
{
	struct buf row = BUF_INIT;
	char id[24], sla[16], age[16], wait[16] = "", flags[6];
	const char *req;
	int subj_w, fixed;

	snprintf(id, sizeof(id), "%lld", (long long)t->id);
	if (t->sla_breach_at > 0)
		time_format_short(t->sla_breach_at - now, sla);
	else
		strcpy(sla, "-");
	time_format_short(now - t->created_at, age);
	flags[0] = t->vip ? 'V' : ' ';
	flags[1] = t->urgent ? '!' : ' ';
	flags[2] = t->pending ? '^' : ' ';
	flags[3] = t->conflict ? 'C' : ' ';
	flags[4] = t->is_new ? 'N' : ' ';
	flags[5] = '\0';
	/* triage: how long the customer has waited for us */
	if (t->waiting_since > 0 && now > t->waiting_since)
		time_format_short(now - t->waiting_since, wait);

	col(&row, id, 7, 1);
	buf_addc(&row, ' ');
	col(&row, sla, UI_ROW_SLA_WIDTH, 1);
	buf_addc(&row, ' ');
	col(&row, short_priority(t->priority), 4, 0);
	buf_addc(&row, ' ');
	col(&row, short_status(t->status), 4, 0);
	buf_addc(&row, ' ');
	col(&row, t->channel, ui_row_chan_width(width), 0);
	buf_addc(&row, ' ');
	col(&row, t->lang, 2, 0);
	buf_addc(&row, ' ');
	buf_adds(&row, flags);
	buf_addc(&row, ' ');
	col(&row, t->incident ? "INC!" : short_category(t->category), 4, 0);
	buf_addc(&row, ' ');
	col(&row, wait, 4, 1);
	buf_addc(&row, ' ');
	fixed = 38 + ui_row_chan_width(width) + 11;
	if (width >= 100) {
		req = t->requester_name && *t->requester_name ?
		    t->requester_name : t->requester;
		col(&row, req, 16, 0);
		buf_addc(&row, ' ');
		fixed += 17;
	}
	subj_w = width - fixed;
	if (subj_w > 0) {
		col(&row, t->subject, subj_w, 0);
		buf_addc(&row, ' ');
		col(&row, age, 4, 1);
	}
	/* narrow terminals: cut the whole row by columns */
	ui_text_fit(out, row.data ? row.data : "", width, 1);
	buf_free(&row);
}
