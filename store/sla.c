/* SPDX-License-Identifier: MIT */
/*
 * Local SLA policies: where the helpdesk sends no SLA targets for a
 * ticket, the agent's config gives first-reply and next-reply targets
 * per priority, counted from the customer's oldest unanswered message,
 * optionally in business hours only. The targets land in
 * tickets.sla_breach_at like the helpdesk's, so the queue, `sla<1h` and
 * the breach colours work the same.
 */
#include "store/store_int.h"
#include "store/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
store_set_sla_policy(struct store *st, const struct store_sla_policy *p)
{
	st->sla = p;
}

static int
targets(const struct ynode *n, int64_t out[5], struct tdesk_err *err)
{
	static const char *const prios[] = { "low", "normal", "high",
		"urgent", NULL };

	if (n->kind != YNODE_MAP)
		return ynode_err(n, err, "expected a map of priority to a "
		    "duration (normal: 8h)");
	if (ynode_check_keys(n, prios, "sla targets", err) < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		const char *s;
		int64_t d;
		if (ynode_str(n->items[i], &s, err) < 0)
			return -1;
		if (time_parse_duration(s, &d) < 0 || d <= 0)
			return ynode_err(n->items[i], err, "'%s' is not a "
			    "duration (30m, 4h, 2d)", s);
		out[store_priority_rank(n->keys[i]->value)] = d;
	}
	/* no priority: as normal */
	out[0] = out[2];
	return 0;
}

static int
hhmm(const struct ynode *n, int *out, struct tdesk_err *err)
{
	const char *s;
	int h, m;
	char c;

	if (ynode_str(n, &s, err) < 0)
		return -1;
	if (sscanf(s, "%d:%d%c", &h, &m, &c) != 2 || h < 0 || h > 24 ||
	    m < 0 || m > 59 || (h == 24 && m))
		return ynode_err(n, err, "'%s' is not a time of day (09:00)",
		    s);
	*out = h * 60 + m;
	return 0;
}

static int
days(const struct ynode *n, int *out, struct tdesk_err *err)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed",
		"thu", "fri", "sat" };
	const char *s;
	char a[4], b[4];

	if (ynode_str(n, &s, err) < 0)
		return -1;
	*out = 0;
	/* "mon-fri", or a comma list "mon,tue,sat" */
	if (strlen(s) == 7 && s[3] == '-') {
		int x = -1, y = -1;
		snprintf(a, sizeof(a), "%.3s", s);
		snprintf(b, sizeof(b), "%.3s", s + 4);
		for (int i = 0; i < 7; i++) {
			if (!strcmp(a, names[i]))
				x = i;
			if (!strcmp(b, names[i]))
				y = i;
		}
		if (x < 0 || y < 0)
			return ynode_err(n, err, "days: '%s' is not a range "
			    "such as mon-fri", s);
		for (int i = x;; i = (i + 1) % 7) {
			*out |= 1 << i;
			if (i == y)
				break;
		}
		return 0;
	}
	for (const char *p = s; *p;) {
		size_t l = strcspn(p, ", ");
		int found = 0;
		for (int i = 0; i < 7; i++)
			if (l == 3 && !strncmp(p, names[i], 3)) {
				*out |= 1 << i;
				found = 1;
			}
		if (!found)
			return ynode_err(n, err, "days: '%s' is not a range "
			    "(mon-fri) or a list (mon,tue)", s);
		p += l;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

int
store_sla_policy_parse(const struct ynode *n, struct store_sla_policy *p,
    struct tdesk_err *err)
{
	static const char *const keys[] = { "first_reply", "next_reply",
		"business_hours", NULL };
	static const char *const bh_keys[] = { "days", "from", "to",
		"utc_offset", NULL };
	const struct ynode *v;

	memset(p, 0, sizeof(*p));
	if (n->kind != YNODE_MAP)
		return ynode_err(n, err, "sla: expected a map with first_reply:"
		    " and next_reply:");
	if (ynode_check_keys(n, keys, "sla", err) < 0)
		return -1;
	if ((v = ynode_get(n, "first_reply")) && targets(v, p->first_reply,
	    err) < 0)
		return -1;
	if ((v = ynode_get(n, "next_reply")) && targets(v, p->next_reply,
	    err) < 0)
		return -1;
	if ((v = ynode_get(n, "business_hours")) != NULL) {
		const struct ynode *x;
		if (v->kind != YNODE_MAP)
			return ynode_err(v, err, "business_hours: a map of "
			    "days:, from:, to: and utc_offset:");
		if (ynode_check_keys(v, bh_keys, "business_hours", err) < 0)
			return -1;
		p->bh = 1;
		p->bh_days = 0x3e;	/* mon-fri */
		p->bh_from = 9 * 60;
		p->bh_to = 18 * 60;
		if ((x = ynode_get(v, "days")) && days(x, &p->bh_days,
		    err) < 0)
			return -1;
		if ((x = ynode_get(v, "from")) && hhmm(x, &p->bh_from, err) < 0)
			return -1;
		if ((x = ynode_get(v, "to")) && hhmm(x, &p->bh_to, err) < 0)
			return -1;
		if ((x = ynode_get(v, "utc_offset")) != NULL) {
			long long off;
			if (ynode_int(x, -14 * 60, 14 * 60, &off, err) < 0)
				return -1;
			p->bh_offset = (int)off;
		}
		if (p->bh_to <= p->bh_from || p->bh_days == 0)
			return ynode_err(v, err, "business_hours: 'to' must be "
			    "after 'from', on at least one day");
	}
	return 0;
}

int64_t
sla_add(const struct store_sla_policy *p, int64_t start, int64_t secs)
{
	int64_t off = p && p->bh ? (int64_t)p->bh_offset * 60 : 0;
	int64_t t = start + off;	/* local time */

	if (p == NULL || !p->bh)
		return start + secs;
	/* at most a few years of days: a policy always has open hours */
	for (int guard = 0; guard < 4000; guard++) {
		int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
		int64_t sod = t - day * 86400;	/* seconds of the day */
		int dow = (int)(((day + 4) % 7 + 7) % 7);	/* 1970-01-01: Thu */
		int64_t from = (int64_t)p->bh_from * 60;
		int64_t to = (int64_t)p->bh_to * 60;
		if (!(p->bh_days >> dow & 1) || sod >= to) {
			t = (day + 1) * 86400;
			continue;
		}
		if (sod < from) {
			t = day * 86400 + from;
			sod = from;
		}
		if (secs <= to - sod)
			return t + secs - off;
		secs -= to - sod;
		t = (day + 1) * 86400;
	}
	return start + secs;
}

int
store_sla_local_refresh(struct store *st, int all, struct tdesk_err *err)
{
	const struct store_sla_policy *p = st->sla;
	sqlite3_stmt *sel, *upd;
	int rc;

	if (p == NULL)
		return 0;
	sel = store_prepare(st, all ? "SELECT t.id, t.priority_rank,"
	    " tc.waiting_since, tc.first_reply_at, t.status_rank FROM tickets t"
	    " JOIN ticket_class tc ON tc.ticket_id = t.id WHERE t.sla_json = ''"
	    : "SELECT t.id, t.priority_rank, tc.waiting_since,"
	    " tc.first_reply_at, t.status_rank FROM class_dirty d"
	    /* the dirty few first, not a scan of every ticket */
	    " CROSS JOIN tickets t ON t.id = d.ticket_id"
	    " JOIN ticket_class tc ON tc.ticket_id = t.id WHERE t.sla_json = ''",
	    err);
	if (sel == NULL)
		return -1;
	upd = store_prepare(st, "UPDATE tickets SET sla_breach_at = ?2"
	    " WHERE id = ?1 AND sla_breach_at <> ?2", err);
	if (upd == NULL) {
		store_done(st, sel);
		return -1;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		int prio = sqlite3_column_int(sel, 1);
		int64_t waiting = sqlite3_column_int64(sel, 2);
		int64_t first = sqlite3_column_int64(sel, 3);
		int srank = sqlite3_column_int(sel, 4);
		int64_t target = 0, breach = SLA_NONE;
		if (prio < 0 || prio > 4)
			prio = 0;
		target = first ? p->next_reply[prio] : p->first_reply[prio];
		/* only open tickets with a customer waiting for us */
		if (waiting > 0 && target > 0 && srank < 4)
			breach = sla_add(p, waiting, target);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_int64(upd, 2, breach);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			sqlite3_reset(upd);
			rc = SQLITE_ERROR;
			break;
		}
		sqlite3_reset(upd);
	}
	store_done(st, sel);
	store_done(st, upd);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	return 0;
}
