/* SPDX-License-Identifier: MIT */
/*
 * tdesk list: the queue, or any query over it, most urgent first, as
 * aligned text for people or JSON for scripts.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static const struct cmd_opt list_opts[] = {
	{ 0, "json", NULL, "print a JSON array of tickets", 0, 0 },
	{ 0, "count", NULL, "print only how many tickets match", 0, 0 },
	{ 'n', "limit", "n", "at most n tickets", 0, 0 },
	{ 0, "order", "urgent|updated|id", "sort order (default urgent)",
	    0, 0 },
	{ 0 }
};

struct list_out {
	int json;
	int64_t n;
	int64_t now;
	int cols;		/* on a terminal: its width; else 0, no cut */
};

/* Print s cut to at most w display columns (CJK count two). */
static void
put_fit(const char *s, int w)
{
	mbstate_t ps;
	size_t len = strlen(s), k;
	int used = 0;
	wchar_t wc;

	memset(&ps, 0, sizeof(ps));
	while (len > 0 && (k = mbrtowc(&wc, s, len, &ps)) != 0 &&
	    k != (size_t)-1 && k != (size_t)-2) {
		int cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (used + cw > w - 1 && k < len) {
			/* room for the ellipsis only when more follows */
			if (used + 1 <= w)
				fputs("\u2026", stdout);
			return;
		}
		fwrite(s, 1, k, stdout);
		used += cw;
		s += k;
		len -= k;
	}
}


void
cmd_ticket_json(FILE *f, const struct store_ticket *t)
{
	char created[21], updated[21], sla[21];

	time_format_iso(t->created_at, created);
	time_format_iso(t->updated_at, updated);
	time_format_iso(t->sla_breach_at, sla);
	fprintf(f, "{\"id\":%lld,\"subject\":", (long long)t->id);
	cmd_json_str(f, t->subject);
	cmd_json_member(f, "status", t->status, 0);
	cmd_json_member(f, "priority", t->priority, 1);
	cmd_json_member(f, "requester", t->requester, 0);
	cmd_json_member(f, "assignee", t->assignee, 1);
	cmd_json_member(f, "group", t->group, 1);
	fputs(",\"tags\":", f);
	cmd_json_words(f, t->tags);
	cmd_json_member(f, "channel", t->channel, 0);
	cmd_json_member(f, "lang", t->lang, 0);
	fprintf(f, ",\"vip\":%s,\"urgent\":%s,\"created_at\":\"%s\","
	    "\"updated_at\":\"%s\",\"sla_breach_at\":", t->vip ? "true" :
	    "false", t->urgent ? "true" : "false", created, updated);
	if (t->sla_breach_at)
		fprintf(f, "\"%s\"", sla);
	else
		fputs("null", f);
	fprintf(f, ",\"pending\":%s,\"conflict\":%s", t->pending ? "true" :
	    "false", t->conflict ? "true" : "false");
	/* triage */
	cmd_json_member(f, "category", t->category, 1);
	fprintf(f, ",\"security_incident\":%s,\"new\":%s,\"waiting_since\":",
	    t->incident ? "true" : "false", t->is_new ? "true" : "false");
	if (t->waiting_since > 0) {
		char ws[21];
		time_format_iso(t->waiting_since, ws);
		fprintf(f, "\"%s\"", ws);
	} else {
		fputs("null", f);
	}
	fputc('}', f);
}

/* One aligned line: id, SLA countdown, priority, status, channel, lang,
 * flags (V vip, ! urgent, P pending sync, C conflict, N new reply),
 * category (INC! for a security incident), customer's wait, age,
 * subject. */
static int
print_row(const struct store_ticket *t, void *arg)
{
	struct list_out *o = arg;
	char sla[16] = "-", age[16], wait[16] = "-";

	if (o->json) {
		fputs(o->n ? ",\n" : "[\n", stdout);
		cmd_ticket_json(stdout, t);
		o->n++;
		return 0;
	}
	if (t->sla_breach_at)
		time_format_short(t->sla_breach_at - o->now, sla);
	time_format_short(o->now - t->created_at, age);
	if (t->waiting_since > 0 && o->now > t->waiting_since)
		time_format_short(o->now - t->waiting_since, wait);
	/* triage columns (category, waiting) unless the terminal is too
	 * narrow for them beside the subject; scripts always get them */
	int wide = o->cols == 0 || o->cols >= 110;
	/* a header row for people; scripts read the rows alone */
	if (o->cols && o->n == 0) {
		printf("%-8s %6s %-7s %-8s %-10s %-4s ", "ID", "SLA", "PRI",
		    "STATUS", "CHANNEL", "LANG");
		if (wide)
			printf("%-5s %-14s %5s %5s  SUBJECT\n", "FLAG",
			    "CATEGORY", "WAIT", "AGE");
		else
			printf("%-4s %5s  SUBJECT\n", "FLAG", "AGE");
	}
	printf("%-8lld %6s %-7s %-8s %-10s %-4s %c%c%c%c",
	    (long long)t->id, sla, *t->priority ? t->priority : "-",
	    t->status, *t->channel ? t->channel : "-", t->lang,
	    t->vip ? 'V' : '-', t->urgent ? '!' : '-', t->pending ? 'P' : '-',
	    t->conflict ? 'C' : '-');
	if (wide)
		printf("%c %-14s %5s %5s  ", t->is_new ? 'N' : '-',
		    t->incident ? "INCIDENT" : *t->category ? t->category :
		    "-", wait, age);
	else
		printf(" %5s  ", age);
	/* the columns before the subject (84 wide, 61 narrow); the subject
	 * gets the rest */
	if (o->cols > 70)
		put_fit(t->subject, o->cols - (wide ? 85 : 62));
	else
		fputs(t->subject, stdout);
	putchar('\n');
	o->n++;
	return 0;
}

static int
exec_list(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct store_list_opts opts = { .order = STORE_ORDER_URGENT };
	struct list_out out = { .now = time_now(),
	    .cols = ctx->is_tty_out ? ctx->cols : 0 };
	struct tdesk_err err = { 0 };
	struct buf qtext = BUF_INIT;
	int count = cmd_flag(a, "count");
	const char *v;

	out.json = cmd_flag(a, "json");
	if ((v = cmd_opt(a, "limit")) != NULL) {
		char *end;
		opts.limit = strtoll(v, &end, 10);
		if (*end || opts.limit <= 0)
			return cmd_usage_error(e, "'%s' is not a positive "
			    "number", v);
	}
	if ((v = cmd_opt(a, "order")) != NULL) {
		if (!strcmp(v, "urgent"))
			opts.order = STORE_ORDER_URGENT;
		else if (!strcmp(v, "updated"))
			opts.order = STORE_ORDER_UPDATED;
		else if (!strcmp(v, "id"))
			opts.order = STORE_ORDER_ID;
		else
			return cmd_usage_error(e, "unknown order '%s' (urgent, "
			    "updated or id)", v);
	}
	for (int i = 0; i < a->argc; i++)
		buf_printf(&qtext, "%s%s", qtext.len ? " " : "", a->argv[i]);
	struct store_query *q = store_query_parse(qtext.len ? qtext.data :
	    "status<solved", &err);
	buf_free(&qtext);
	if (q == NULL)
		return cmd_fail(&err);
	int rc;
	if (count) {
		int64_t n;
		rc = store_count(ctx->st, q, &n, &err);
		if (rc == 0)
			printf(out.json ? "{\"count\":%lld}\n" : "%lld\n",
			    (long long)n);
	} else {
		rc = store_list(ctx->st, q, &opts, print_row, &out, &err);
		if (rc == 0 && out.json)
			fputs(out.n ? "\n]\n" : "[]\n", stdout);
	}
	store_query_free(q);
	if (rc < 0)
		return cmd_fail(&err);
	return EXIT_OK;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.summary = "list tickets matching a query, most urgent first",
	/* "-tag:vip" is a query term */
	.flags = CMD_DESK | CMD_DASH_OPERANDS | CMD_PAGER,
	.opts = list_opts,
	.operands = "[query ...]",
	.exec = exec_list,
};
