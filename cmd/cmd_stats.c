/* SPDX-License-Identifier: MIT */
/*
 * tdesk stats: the desk's numbers over a period, the agent's own beside
 * them, optionally per category, channel, language, day or agent; as
 * text with bar charts and a sparkline sized to the terminal (colour
 * only on a terminal without NO_COLOR), or as JSON or CSV.
 */
#include "cmd/cmd.h"
#include "store/triage.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>


static void
json_num(const char *key, double v, int first)
{
	printf("%s\"%s\":", first ? "" : ",", key);
	if (v < 0)
		fputs("null", stdout);
	else
		printf("%.0f", v);
}

static void
json_row(const struct stats_row *r, const char *key)
{
	fputc('{', stdout);
	if (key) {
		fputs("\"key\":", stdout);
		cmd_json_str(stdout, key);
		fputc(',', stdout);
	}
	printf("\"created\":%lld,\"solved\":%lld,\"open\":%lld,"
	    "\"replied\":%lld", (long long)r->created, (long long)r->solved,
	    (long long)r->open, (long long)r->replied);
	json_num("first_reply_median_s", r->frt_median, 0);
	json_num("first_reply_p90_s", r->frt_p90, 0);
	json_num("resolution_median_s", r->res_median, 0);
	json_num("resolution_p90_s", r->res_p90, 0);
	printf(",\"sla_total\":%lld,\"sla_breached\":%lld",
	    (long long)r->sla_total, (long long)r->sla_breached);
	if (r->sat_good < 0)
		fputs(",\"satisfaction\":null", stdout);
	else
		printf(",\"satisfaction\":{\"good\":%lld,\"bad\":%lld}",
		    (long long)r->sat_good, (long long)r->sat_bad);
	printf(",\"by_macro\":%lld,\"by_faq\":%lld,\"by_macro_or_faq\":%lld}",
	    (long long)r->by_macro, (long long)r->by_faq,
	    (long long)r->by_canned);
}

static void
csv_field(const char *s)
{
	/* quote, double quotes; a leading = + - @ is neutralised for
	 * spreadsheets */
	fputc('"', stdout);
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		fputc('\'', stdout);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', stdout);
		if ((unsigned char)*s >= 0x20 || *s == '\t')
			fputc(*s, stdout);
	}
	fputc('"', stdout);
}

static void
csv_num(double v)
{
	if (v < 0)
		fputs(",", stdout);
	else
		printf(",%.0f", v);
}

static void
csv_row(const struct stats_row *r, const char *key)
{
	csv_field(key);
	printf(",%lld,%lld,%lld,%lld", (long long)r->created,
	    (long long)r->solved, (long long)r->open, (long long)r->replied);
	csv_num(r->frt_median);
	csv_num(r->frt_p90);
	csv_num(r->res_median);
	csv_num(r->res_p90);
	printf(",%lld,%lld", (long long)r->sla_total,
	    (long long)r->sla_breached);
	if (r->sat_good < 0)
		fputs(",,", stdout);
	else
		printf(",%lld,%lld", (long long)r->sat_good,
		    (long long)r->sat_bad);
	printf(",%lld,%lld,%lld\n", (long long)r->by_macro,
	    (long long)r->by_faq, (long long)r->by_canned);
}

static int
term_width(const struct cmd_ctx *ctx)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (c && atoi(c) >= 20)
		return atoi(c) > 400 ? 400 : atoi(c);
	if (ctx->is_tty_out && ioctl(1, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* A bar of v/max in w cells, in eighths. */
static void
bar(struct buf *b, int64_t v, int64_t max, int w)
{
	static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋",
		"▊", "▉" };
	int64_t eighths = max > 0 ? v * w * 8 / max : 0;

	if (v > 0 && eighths == 0)
		eighths = 1;
	for (int64_t i = 0; i < eighths / 8; i++)
		buf_adds(b, "█");
	buf_adds(b, part[eighths % 8]);
}

static void
sparkline(struct buf *b, const int64_t *v, int n)
{
	static const char *const lv[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇",
		"█" };
	int64_t max = 0;

	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (int i = 0; i < n; i++)
		buf_adds(b, max ? lv[v[i] * 7 / max] : lv[0]);
}

/* Print s, cleaned of anything a terminal would act on. */
static void
put_clean(const char *s, int width)
{
	struct buf b = BUF_INIT;
	int n = 0;

	text_sanitize(&b, s, strlen(s), 0);
	/* cut and pad by display columns (CJK names take two) */
	for (size_t i = 0; b.data && i < b.len;) {
		uint32_t cp;
		size_t l = utf8_decode(b.data + i, b.len - i, &cp);
		int w = wcwidth((wchar_t)cp);
		if (w < 0)
			w = 1;
		if (n + w > width - 1)
			break;
		fwrite(b.data + i, 1, l, stdout);
		i += l;
		n += w;
	}
	for (; n < width; n++)
		fputc(' ', stdout);
	buf_free(&b);
}

/* "  LABEL      desk%    me%": a share of the period's tickets */
static void
share_line(const char *label, int64_t t, int64_t tw, int64_t m, int64_t mw,
    int has_me)
{
	char s1[24], s2[24];

	stats_format_share(t, tw, 0, s1, sizeof(s1));
	stats_format_share(m, mw, 0, s2, sizeof(s2));
	printf("\n  %-24s %10s", label, s1);
	if (has_me)
		printf("  %8s", s2);
}

static void
print_text(const struct cmd_ctx *ctx, const struct stats_report *r,
    const char *since_text, enum stats_by by, const char *by_name)
{
	int color = ctx->is_tty_out && !(getenv("NO_COLOR") &&
	    *getenv("NO_COLOR"));
	int width = term_width(ctx);
	const struct stats_row *t = &r->total, *m = &r->mine;
	char a[16], b[16], c[16], d[16], s1[24];
	struct buf line = BUF_INIT;

	printf("tickets created in the last %s%s\n", since_text,
	    r->has_me ? "            desk        me" : "");
	printf("  %-24s %10lld", "created", (long long)t->created);
	if (r->has_me)
		printf("  %8lld", (long long)m->created);
	printf("\n  %-24s %10lld", "solved", (long long)t->solved);
	if (r->has_me)
		printf("  %8lld", (long long)m->solved);
	printf("\n  %-24s %10lld", "still open", (long long)t->open);
	if (r->has_me)
		printf("  %8lld", (long long)m->open);
	stats_format_duration(t->frt_median, a);
	stats_format_duration(t->frt_p90, b);
	stats_format_duration(m->frt_median, c);
	stats_format_duration(m->frt_p90, d);
	printf("\n  %-24s %4s / %-4s", "first reply median/p90", a, b);
	if (r->has_me)
		printf("  %4s / %-4s", c, d);
	stats_format_duration(t->res_median, a);
	stats_format_duration(t->res_p90, b);
	stats_format_duration(m->res_median, c);
	stats_format_duration(m->res_p90, d);
	printf("\n  %-24s %4s / %-4s", "resolution median/p90", a, b);
	if (r->has_me)
		printf("  %4s / %-4s", c, d);
	share_line("SLA breached", t->sla_breached, t->sla_total,
	    m->sla_breached, m->sla_total, r->has_me);
	if (t->sat_good < 0)
		printf("\n  %-24s %10s", "satisfaction", "n/a");
	else
		share_line("satisfied (good)", t->sat_good, t->sat_good +
		    t->sat_bad, m->sat_good, m->sat_good + m->sat_bad,
		    r->has_me);
	share_line("answered by macro or FAQ", t->by_canned, t->created,
	    m->by_canned, m->created, r->has_me);
	share_line("  by a macro", t->by_macro, t->created, m->by_macro,
	    m->created, r->has_me);
	share_line("  by a FAQ answer", t->by_faq, t->created, m->by_faq,
	    m->created, r->has_me);
	stats_format_duration(r->backlog_age_median, a);
	stats_format_duration(r->backlog_age_p90, b);
	printf("\n  %-24s %10lld\n", "backlog now", (long long)r->backlog);
	printf("  %-24s %4s / %-4s\n", "backlog age median/p90", a, b);
	sparkline(&line, r->daily, r->n_daily);
	printf("  %-24s %s%s%s\n", "created per day", color ? "\033[36m" : "",
	    line.data ? line.data : "", color ? "\033[0m" : "");
	buf_free(&line);
	if (by == STATS_BY_NONE)
		return;
	int64_t max = 0;
	for (size_t i = 0; i < r->n_rows; i++)
		if (r->rows[i].created > max)
			max = r->rows[i].created;
	int keyw = 15, barw = width - keyw - 2 - 8 - 24;
	if (barw < 4)
		barw = 4;
	if (barw > 50)
		barw = 50;
	printf("\nby %s:\n  %*s %7s  %11s  %8s\n", by_name, keyw + barw, "",
	    "created", "first reply", "breached");
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct stats_row *x = &r->rows[i];
		struct buf bb = BUF_INIT;
		int cells;
		fputs("  ", stdout);
		put_clean(x->key, keyw);
		bar(&bb, x->created, max, barw);
		cells = max > 0 ? (int)((x->created * barw * 8 / max + 7) /
		    8) : 0;
		if (x->created > 0 && cells == 0)
			cells = 1;
		printf("%s%s%s%*s", color ? "\033[32m" : "",
		    bb.data ? bb.data : "", color ? "\033[0m" : "",
		    barw - cells, "");
		stats_format_duration(x->frt_median, a);
		stats_format_share(x->sla_breached, x->sla_total, 0, s1, sizeof(s1));
		printf(" %7lld  %11s  %8s\n", (long long)x->created, a, s1);
		buf_free(&bb);
	}
}

static int
exec_stats(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	static const char *const bys[] = { "", "category", "channel", "lang",
		"day", "agent" };
	struct tdesk_err err = { 0 };
	struct stats_report r;
	const char *since_text = cmd_opt(a, "since") ? cmd_opt(a, "since") :
	    "7d", *by_text = cmd_opt(a, "by");
	enum stats_by by = STATS_BY_NONE;
	int json = cmd_flag(a, "json") > 0, csv = cmd_flag(a, "csv") > 0;
	int64_t secs;

	if (a->argc > 0)
		return cmd_usage_error(e, "unknown argument '%s'", a->argv[0]);
	if (by_text != NULL) {
		size_t k;

		for (k = 1; k < ARRAY_LEN(bys); k++)
			if (!strcmp(by_text, bys[k]))
				break;
		if (k == ARRAY_LEN(bys))
			return cmd_usage_error(e, "--by is category, channel, "
			    "lang, day or agent, not '%s'", by_text);
		by = (enum stats_by)k;
	}
	if (json && csv)
		return cmd_usage_error(e, "--json or --csv, not both");
	if (time_parse_duration(since_text, &secs) < 0 || secs <= 0)
		return cmd_usage_error(e, "'%s' is not a duration (24h, 7d, "
		    "30d)", since_text);
	if (store_stats(ctx->st, time_now() - secs, by, &r, &err) < 0)
		return cmd_fail(&err);
	if (json) {
		printf("{\"since\":%lld,\"now\":%lld,\"desk\":",
		    (long long)r.since, (long long)r.now);
		json_row(&r.total, NULL);
		if (r.has_me) {
			fputs(",\"me\":", stdout);
			json_row(&r.mine, NULL);
		}
		printf(",\"backlog\":{\"open\":%lld", (long long)r.backlog);
		json_num("age_median_s", r.backlog_age_median, 0);
		json_num("age_p90_s", r.backlog_age_p90, 0);
		fputs("},\"daily\":[", stdout);
		for (int i = 0; i < r.n_daily; i++)
			printf("%s%lld", i ? "," : "", (long long)r.daily[i]);
		fputc(']', stdout);
		if (by != STATS_BY_NONE) {
			printf(",\"by\":\"%s\",\"rows\":[", bys[by]);
			for (size_t i = 0; i < r.n_rows; i++) {
				if (i)
					fputc(',', stdout);
				json_row(&r.rows[i], r.rows[i].key);
			}
			fputc(']', stdout);
		}
		fputs("}\n", stdout);
	} else if (csv) {
		printf("key,created,solved,open,replied,first_reply_median_s,"
		    "first_reply_p90_s,resolution_median_s,resolution_p90_s,"
		    "sla_total,sla_breached,sat_good,sat_bad,by_macro,by_faq,"
		    "by_macro_or_faq\n");
		csv_row(&r.total, "(desk)");
		if (r.has_me)
			csv_row(&r.mine, "(me)");
		for (size_t i = 0; i < r.n_rows; i++)
			csv_row(&r.rows[i], r.rows[i].key);
	} else {
		print_text(ctx, &r, since_text, by, bys[by]);
	}
	stats_report_clear(&r);
	return EXIT_OK;
}

static const struct cmd_opt stats_opts[] = {
	{ 0, "since", "duration", "the tickets created in this long (7d)",
	    0, 0 },
	{ 0, "by", "key", "one row per category, channel, lang, day or agent",
	    0, 0 },
	{ 0, "json", NULL, "print JSON", 1, 0 },
	{ 0, "csv", NULL, "print CSV", 1, 0 },
	{ 0 }
};

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.summary = "volumes, reply times, SLA breaches and backlog",
	.flags = CMD_DESK | CMD_PAGER,
	.opts = stats_opts,
	.exec = exec_stats,
};
