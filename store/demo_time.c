/* SPDX-License-Identifier: MIT */
/*
 * When things happen on a demo ticket: its status, the script of who
 * writes when, and a timeline of comments and SLA targets around now.
 */
#include "store/demo_int.h"

const char *
demo_status(struct demo_rng *r)
{
	int x = (int)rng_below(r, 100);

	if (x < 18)
		return "new";
	if (x < 52)
		return "open";
	if (x < 72)
		return "pending";
	if (x < 79)
		return "hold";
	if (x < 93)
		return "solved";
	return "closed";
}

/* The shape of a conversation: Customer, Follow-up (customer), Agent
 * public reply, Note (internal), Done (agent's resolution). */
const char *
demo_script(struct demo_rng *r, const char *status)
{
	static const char *const s_new[] = { "C", "C", "C", "CF", "CN" };
	static const char *const s_open[] = {
		"CAF", "CNAF", "CAFAF", "CNAFN", "CF", "CAFN", "CAF",
	};
	static const char *const s_pending[] = {
		"CA", "CNA", "CAFA", "CNAFA", "CAFNA",
	};
	static const char *const s_hold[] = {
		"CAN", "CNAN", "CAFN", "CAFAN",
	};
	static const char *const s_done[] = {
		"CD", "CAD", "CAFD", "CNAFD", "CNAD", "CAFAD",
	};

	if (strcmp(status, "new") == 0)
		return PICK(r, s_new);
	if (strcmp(status, "open") == 0)
		return PICK(r, s_open);
	if (strcmp(status, "pending") == 0)
		return PICK(r, s_pending);
	if (strcmp(status, "hold") == 0)
		return PICK(r, s_hold);
	return PICK(r, s_done);
}

static int64_t
demo_sla_target(const char *priority)
{
	if (strcmp(priority, "urgent") == 0)
		return 3600;
	if (strcmp(priority, "high") == 0)
		return 4 * 3600;
	if (strcmp(priority, "normal") == 0)
		return 8 * 3600;
	return 24 * 3600;
}

/*
 * Place the comments in time. Tickets waiting on us get an SLA target
 * measured from the customer message that started the clock; a sixth of
 * them breached, a sixth due within the hour.
 */
void
demo_timeline(struct demo_desk *d, struct demo_ticket *t, const char *script)
{
	struct demo_rng *r = &d->rng;
	int n = (int)strlen(script), anchor = 0, i;
	int64_t at[DEMO_MAX_COMMENTS], base, gap_hi;
	int waiting = strcmp(t->status, "new") == 0 ||
	    strcmp(t->status, "open") == 0;

	gap_hi = waiting ? 6 * 3600 : 20 * 3600;
	if (waiting && t->priority) {
		int64_t target = demo_sla_target(t->priority), remain;
		int x = (int)rng_below(r, 100);
		int replied = strchr(script, 'A') != NULL;

		for (i = 0; i < n; i++)
			if (replied && (script[i] == 'C' || script[i] == 'F'))
				anchor = i;
		if (x < 17)
			remain = -rng_range(r, 300, target < 4 * 3600 ?
			    target * 2 : 8 * 3600);
		else if (x < 34)
			remain = rng_range(r, 120, target < 3600 ?
			    target - 120 : 3600);
		else
			remain = rng_range(r, target < 7200 ? 120 : 3600,
			    target - 300);
		t->sla_metric = replied ? "next_reply_time" :
		    "first_reply_time";
		t->sla_breach = d->now + remain;
		t->sla_achieved = replied;
		base = t->sla_breach - target;
	} else if (waiting) {
		base = d->now - rng_range(r, 120, 5 * 3600);
	} else {
		static const int64_t age[][2] = {
			{ 1200, 3 * 86400 },		/* pending */
			{ 2 * 3600, 6 * 86400 },	/* hold */
			{ 3600, 7 * 86400 },		/* solved */
			{ 4 * 86400, 28 * 86400 },	/* closed */
		};
		int k = strcmp(t->status, "pending") == 0 ? 0 :
		    strcmp(t->status, "hold") == 0 ? 1 :
		    strcmp(t->status, "solved") == 0 ? 2 : 3;

		anchor = n - 1;
		base = d->now - rng_range(r, age[k][0], age[k][1]);
		t->sla_achieved = 1;
		t->sla_paused = k < 2;
	}
	at[anchor] = base;
	for (i = anchor - 1; i >= 0; i--)
		at[i] = at[i + 1] - rng_range(r, 300, gap_hi);
	for (i = anchor + 1; i < n; i++) {
		int64_t room = (d->now - 30 - at[i - 1]) / (n - i + 1);

		at[i] = at[i - 1] + rng_range(r, room < 60 ? 1 : 60,
		    room < 60 ? 2 : room);
	}
	for (i = 0; i < n; i++)
		t->c[i].at = at[i];
	t->created = at[0];
	t->updated = at[n - 1];
	if (!waiting && t->updated + 20 < d->now)
		t->updated += rng_range(r, 0, 20);
}
