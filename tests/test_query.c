/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the query language: what each term selects over a small
 * desk, the default urgency order, Chinese and English full-text search,
 * and positioned errors for bad queries.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "sync/sync.h"
#include "tests/check.h"

/* now = 2026-11-22T10:00:00Z */
static const char page[] = "{\"tickets\":["
    "{\"id\":1,\"subject\":\"充值未到账 退款\",\"status\":\"open\","
    "\"priority\":\"high\",\"via\":{\"channel\":\"chat\"},\"requester_id\":11,"
    "\"assignee_id\":99,\"group_id\":5,\"tags\":[\"deposit\",\"vip\"],"
    "\"created_at\":\"2026-11-20T10:00:00Z\","
    "\"updated_at\":\"2026-11-22T09:00:00Z\",\"slas\":{\"policy_metrics\":"
    "[{\"breach_at\":\"2026-11-22T10:20:00Z\",\"stage\":\"active\"}]}},"
    "{\"id\":2,\"subject\":\"Withdrawal pending for hours\","
    "\"status\":\"pending\",\"priority\":\"normal\",\"via\":{\"channel\":"
    "\"email\"},\"requester_id\":12,\"assignee_id\":0,\"group_id\":6,"
    "\"tags\":[\"withdrawal\"],\"created_at\":\"2026-11-21T10:00:00Z\","
    "\"updated_at\":\"2026-11-21T10:00:00Z\",\"slas\":{\"policy_metrics\":"
    "[{\"breach_at\":\"2026-11-22T08:00:00Z\",\"stage\":\"active\"}]}},"
    "{\"id\":3,\"subject\":\"URGENT account hacked\",\"status\":\"new\","
    "\"priority\":\"urgent\",\"via\":{\"channel\":\"web\"},"
    "\"requester_id\":11,\"assignee_id\":99,\"group_id\":6,\"tags\":[],"
    "\"created_at\":\"2026-11-22T09:30:00Z\","
    "\"updated_at\":\"2026-11-22T09:30:00Z\"},"
    "{\"id\":4,\"subject\":\"Thanks, solved\",\"status\":\"solved\","
    "\"priority\":\"low\",\"via\":{\"channel\":\"chat\"},\"requester_id\":12,"
    "\"assignee_id\":99,\"group_id\":5,\"tags\":[\"deposit\"],"
    "\"created_at\":\"2026-11-01T10:00:00Z\","
    "\"updated_at\":\"2026-11-02T10:00:00Z\"}],"
    "\"users\":[{\"id\":11,\"name\":\"Li Lei\",\"email\":\"li@example.cn\","
    "\"locale\":\"zh-CN\"},{\"id\":12,\"name\":\"Bob\",\"email\":"
    "\"bob@example.com\",\"locale\":\"en-US\"},{\"id\":99,\"name\":"
    "\"Me Agent\",\"email\":\"me@desk\",\"role\":\"agent\"}],"
    "\"groups\":[{\"id\":5,\"name\":\"Deposits\"},{\"id\":6,\"name\":"
    "\"Security Team\"}]}";

static struct store *st;

static int
add_id(const struct store_ticket *t, void *arg)
{
	struct buf *b = arg;

	buf_printf(b, "%s%lld", b->len ? " " : "", (long long)t->id);
	return 0;
}

/* The ids a query selects, in the default order, as "1 2 3" (then
 * "(counted N)" when store_count says otherwise). */
static char *
ids(const char *query)
{
	struct tdesk_err err = { 0 };
	struct store_query *q = store_query_parse(query, &err);
	struct buf b = BUF_INIT;

	if (q == NULL)
		return xasprintf("error: %s", err.msg);
	if (store_list(st, q, NULL, add_id, &b, &err) < 0)
		buf_printf(&b, "error: %s", err.msg);
	/* and store_count (kept counts for some queries) agrees */
	int64_t n = -1, listed = b.len ? 1 : 0;
	for (size_t i = 0; i < b.len; i++)
		listed += b.data[i] == ' ';
	if (store_count(st, q, &n, &err) < 0 || n != listed)
		buf_printf(&b, " (counted %lld)", (long long)n);
	store_query_free(q);
	return buf_detach(&b);
}

#define CHECK_IDS(query, want) do {					\
	char *got_ = ids(query);					\
	CHECK_STR(got_, want);						\
	free(got_);							\
} while (0)

static const char *
parse_error(const char *query)
{
	static struct tdesk_err err;
	struct store_query *q = store_query_parse(query, &err);

	if (q) {
		store_query_free(q);
		return "(parsed)";
	}
	return err.msg;
}

int
main(void)
{
	char dir[] = "/tmp/tdesk-test-query-XXXXXX";
	struct tdesk_err err = { 0 };

	check_pin_clock("2026-11-22T10:00:00Z");
	if (mkdtemp(dir) == NULL)
		return 2;
	char *path = xasprintf("%s/q.db", dir);
	st = store_open(path, STORE_CREATE, &err);
	CHECK(st != NULL);
	CHECK(sync_zendesk_ingest(st, page, strlen(page), 0, NULL, &err) == 0);
	static const char cm[] = "{\"comments\":[{\"id\":5,"
	    "\"body\":\"someone moved my BTC to an unknown address, tx"
	    " 8f3a9c21d4e5\","
	    "\"created_at\":\"2026-11-22T09:30:00Z\"}]}";
	CHECK(sync_zendesk_ingest(st, cm, strlen(cm), 3, NULL, &err) == 0);
	CHECK(store_fts_refresh(st, &err) == 0);
	CHECK(store_state_set(st, "me.id", "99", &err) == 0);

	/* default order: breached SLA first, then by breach time, then
	 * priority, then age */
	CHECK_IDS("", "2 1 3 4");
	CHECK_IDS("status<solved", "2 1 3");
	CHECK_IDS("status:open", "1");
	CHECK_IDS("status:new,open", "1 3");
	CHECK_IDS("-status:pending", "1 3 4");
	CHECK_IDS("status>=pending", "2 4");
	CHECK_IDS("priority>=high", "1 3");
	CHECK_IDS("priority<normal", "4");
	CHECK_IDS("tag:deposit", "1 4");
	CHECK_IDS("tag:DEPOSIT -tag:vip", "4");
	CHECK_IDS("group:deposits", "1 4");
	CHECK_IDS("group:\"Security Team\"", "2 3");
	CHECK_IDS("assignee:me status<solved", "1 3");
	CHECK_IDS("assignee:none", "2");
	CHECK_IDS("requester:li@example.cn", "1 3");
	CHECK_IDS("lang:zh", "1 3");	/* 3: a zh-CN requester */
	CHECK_IDS("lang:en", "2 4");
	CHECK_IDS("channel:chat", "1 4");
	CHECK_IDS("vip:yes", "1");
	CHECK_IDS("vip:no status<solved", "2 3");
	CHECK_IDS("urgent:yes", "3");
	CHECK_IDS("updated<2h", "1 3");
	CHECK_IDS("updated>1d", "4");
	CHECK_IDS("created>2026-11-21", "2 3");
	CHECK_IDS("created>2026-11-21T12:00:00Z", "3");
	CHECK_IDS("sla<30m", "2 1");
	CHECK_IDS("sla:breached", "2");
	CHECK_IDS("sla:none", "3 4");
	CHECK_IDS("is:open", "2 1 3");
	CHECK_IDS("is:unassigned", "2");
	CHECK_IDS("is:pending", "");
	CHECK_IDS("#3", "3");
	CHECK_IDS("id:1,4", "1 4");
	/* full text: Chinese (single characters too), English, phrases */
	CHECK_IDS("退款", "1");
	CHECK_IDS("款", "1");
	CHECK_IDS("到账", "1");
	CHECK_IDS("账到", "");
	CHECK_IDS("withdrawal", "2");
	CHECK_IDS("\"unknown address\"", "3");
	CHECK_IDS("\"address unknown\"", "");
	CHECK_IDS("btc hacked", "3");
	CHECK_IDS("btc -hacked", "");
	CHECK_IDS("-hacked -withdrawal", "1 4");
	CHECK_IDS("退款 -withdrawal -hacked", "1");
	CHECK_IDS("btc -\"unknown address\"", "");
	CHECK_IDS("btc -\"address unknown\"", "3");
	CHECK_IDS("solved -status:solved", "");
	CHECK_IDS("\"quote \"\" inside\"", "");
	CHECK_IDS("AND OR NOT", "");
	/* a pasted hash (with or without 0x, by prefix) next to a word:
	 * FTS5 failed on the implicit AND before its parentheses */
	CHECK_IDS("0x8f3a9c21", "3");
	CHECK_IDS("btc 0x8f3a9c21", "3");
	CHECK_IDS("8f3a9c21 hacked btc", "3");
	CHECK_IDS("withdrawal 8f3a9c21", "");

	/* a window from the end comes last first, and matches the tail of
	 * the forward order */
	{
		struct store_query *q = store_query_parse("", &err);
		struct store_list_opts back = { .limit = 3, .from_end = 1 };
		struct store_list_opts skip = { .limit = 2, .offset = 1,
		    .from_end = 1 };
		struct buf b = BUF_INIT;
		CHECK(store_list(st, q, &back, add_id, &b, &err) == 0);
		CHECK_STR(b.data, "4 3 1");
		buf_reset(&b);
		CHECK(store_list(st, q, &skip, add_id, &b, &err) == 0);
		CHECK_STR(b.data, "3 1");
		buf_free(&b);
		store_query_free(q);
	}

	/* errors name the column */
	CHECK_STR(parse_error("status:open foo:bar"),
	    "query:13: unknown field 'foo' (try status, priority, tag, group, "
	    "assignee, requester, lang, channel, vip, updated, sla, category, is)");
	CHECK_STR(parse_error("status:fixed"), "query:1: unknown status 'fixed'");
	CHECK_STR(parse_error("priority>=critical"),
	    "query:1: unknown priority 'critical'");
	CHECK_STR(parse_error("updated<soon"), "query:1: 'soon' is not a "
	    "duration (30m, 2h, 3d) or a date (2024-05-01)");
	CHECK_STR(parse_error("tag<x"), "query:1: 'tag' compares with ':' "
	    "only");
	CHECK_STR(parse_error("  \"open"), "query:3: unterminated quote");
	CHECK_STR(parse_error("is:sleeping"), "query:1: unknown is:sleeping "
	    "(pending, conflict, failed, open, vip, urgent, unassigned, mine, "
	    "breached, incident, new, secret)");
	CHECK_STR(parse_error("vip:maybe"), "query:1: expected yes or no, not "
	    "'maybe'");
	CHECK_STR(parse_error("status:"), "query:1: 'status' needs a value");
	CHECK_STR(parse_error("sla=5m"), "query:1: compare times with < or >, "
	    "as in sla<2h");

	/* the kept counts follow a ticket's status, assignee and VIP flag
	 * through updates */
	static const char upd[] = "{\"tickets\":[{\"id\":1,\"subject\":"
	    "\"充值未到账 退款\",\"status\":\"solved\",\"priority\":\"high\","
	    "\"requester_id\":11,\"assignee_id\":0,\"group_id\":5,"
	    "\"tags\":[\"deposit\"],\"created_at\":\"2026-11-20T10:00:00Z\","
	    "\"updated_at\":\"2026-11-22T09:40:00Z\"},{\"id\":4,\"subject\":"
	    "\"Thanks, solved\",\"status\":\"open\",\"priority\":\"low\","
	    "\"requester_id\":12,\"assignee_id\":99,\"group_id\":5,"
	    "\"tags\":[\"vip\"],\"created_at\":\"2026-11-01T10:00:00Z\","
	    "\"updated_at\":\"2026-11-22T09:41:00Z\"}]}";
	CHECK_IDS("status<solved", "2 1 3");
	CHECK_IDS("vip:yes", "1");
	CHECK(sync_zendesk_ingest(st, upd, strlen(upd), 0, NULL, &err) == 0);
	CHECK(store_fts_refresh(st, &err) == 0);
	CHECK_IDS("status<solved", "2 4 3");
	CHECK_IDS("assignee:me status<solved", "4 3");
	CHECK_IDS("assignee:none", "2 1");
	CHECK_IDS("status:solved", "1");
	CHECK_IDS("vip:yes", "4");
	CHECK_IDS("is:mine -vip:yes", "3");
	CHECK_IDS("is:unassigned is:open", "2");

	store_close(st);
	free(path);
	int rc = check_done("test_query");
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = 1;
	free(cmd);
	return rc;
}
