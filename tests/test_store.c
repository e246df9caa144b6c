/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the replica: migrations from every earlier schema, ingest
 * of tricky JSON, stale copies, sanitising, search in Chinese and English,
 * the outbox (queue, re-apply over fresher copies, drop), and YAML errors.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_int.h"
#include "sync/sync.h"
#include "tests/check.h"

static char dir[] = "/tmp/tdesk-test-store-XXXXXX";

static char *
path_for(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int64_t
scalar(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	} else {
		fprintf(stderr, "sql error: %s\n", sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	return v;
}

static char *
text(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	char *v = NULL;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
			v = xstrdup((const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

static int
ingest(struct store *st, const char *json, struct store_ingest_stats *stats)
{
	struct tdesk_err err = { 0 };
	int rc = sync_zendesk_ingest(st, json, strlen(json), 0, stats, &err);

	if (rc < 0)
		fprintf(stderr, "ingest: %s\n", err.msg);
	return rc;
}

/*
 * Whether PRAGMA integrity_check says exactly "ok". It answers with text:
 * "ok", or one row per problem. (Reading it as a number, as this file
 * once did, gives 0 for "ok" and for every problem alike.)
 */
static int
integrity_ok(const char *path, int quiet)
{
	char *v = text(path, "SELECT group_concat(integrity_check, '; ')"
	    " FROM pragma_integrity_check");
	int ok = v && strcmp(v, "ok") == 0;

	if (!ok && !quiet)
		fprintf(stderr, "integrity_check of %s: %s\n", path,
		    v ? v : "(no answer)");
	free(v);
	return ok;
}

/* The check above fails on a damaged file: an index whose entries no
 * longer match their table, made by rewriting bytes of the index page. */
static void
test_integrity_detects_damage(void)
{
	char *p = path_for("damaged.db");
	sqlite3 *db;
	int64_t root, psize;

	CHECK(sqlite3_open(p, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "PRAGMA journal_mode = DELETE;"
	    "CREATE TABLE t(a TEXT); CREATE INDEX t_a ON t(a);"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	    " WHERE i < 50) INSERT INTO t SELECT 'key-' || i FROM n;",
	    NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	CHECK(integrity_ok(p, 0));
	root = scalar(p, "SELECT rootpage FROM sqlite_schema WHERE name ="
	    " 't_a'");
	psize = scalar(p, "PRAGMA page_size");
	CHECK(root > 1 && psize > 0);

	struct buf b = BUF_INIT;
	struct tdesk_err err = { 0 };
	CHECK(buf_read_file(&b, p, 1 << 24, &err) == 0);
	size_t n = 0;
	for (size_t i = (size_t)((root - 1) * psize); b.data &&
	    i + 4 <= b.len && i < (size_t)(root * psize); i++) {
		if (memcmp(b.data + i, "key-", 4) == 0) {
			b.data[i] = 'K';	/* sorts elsewhere: index is wrong */
			n++;
		}
	}
	CHECK(n > 0);
	FILE *f = fopen(p, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(b.data, 1, b.len, f) == b.len);
		fclose(f);
	}
	buf_free(&b);
	CHECK(!integrity_ok(p, 1));
	/* what this file used to check passes on the damaged file */
	CHECK_INT(scalar(p, "PRAGMA integrity_check = 1") == -1, 0);
	free(p);
}

static void
test_migrations(void)
{
	struct tdesk_err err = { 0 };

	for (int from = 0; from < STORE_SCHEMA_VERSION; from++) {
		char name[32];
		snprintf(name, sizeof(name), "mig%d.db", from);
		char *p = path_for(name);
		sqlite3 *db;
		CHECK(sqlite3_open(p, &db) == SQLITE_OK);
		for (int v = 0; v < from; v++)
			CHECK(sqlite3_exec(db, store_migrations[v], NULL, NULL,
			    NULL) == SQLITE_OK);
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d",
		    from);
		sqlite3_exec(db, pragma, NULL, NULL, NULL);
		if (from >= 1) {
			CHECK(sqlite3_exec(db, "INSERT INTO tickets(id, subject,"
			    " status, status_rank, updated_at) VALUES(7,"
			    " '提现 stuck', 'open', 1, 100)", NULL, NULL, NULL) ==
			    SQLITE_OK);
			if (from >= 2)	/* as every ingest does */
				sqlite3_exec(db, "INSERT INTO fts_dirty"
				    " VALUES(7)", NULL, NULL, NULL);
		}
		sqlite3_close(db);

		struct store *st = store_open(p, 0, &err);
		CHECK(st != NULL);
		if (st == NULL) {
			fprintf(stderr, "open v%d: %s\n", from, err.msg);
			free(p);
			continue;
		}
		CHECK(store_fts_refresh(st, &err) == 0);
		store_close(st);
		CHECK_INT(scalar(p, "PRAGMA user_version"),
		    STORE_SCHEMA_VERSION);
		CHECK(integrity_ok(p, 0));
		if (from >= 1) {
			CHECK_INT(scalar(p, "SELECT count(*) FROM tickets"), 1);
			/* tickets from before the index are searchable */
			CHECK_INT(scalar(p, "SELECT rowid FROM ticket_fts WHERE"
			    " ticket_fts MATCH '\"提 现\"'"), 7);
		}
		free(p);
	}

	/* a replica from a newer tdesk is refused, not damaged */
	char *p = path_for("future.db");
	sqlite3 *db;
	sqlite3_open(p, &db);
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	CHECK(store_open(p, 0, &err) == NULL);
	CHECK(strstr(err.msg, "newer") != NULL);
	CHECK_INT(scalar(p, "PRAGMA user_version"), 99);
	free(p);

	/* not a database at all */
	p = path_for("notadb.db");
	FILE *f = fopen(p, "w");
	fputs("this is not sqlite, just text that is long enough to be a "
	    "header and more and more and more and more and more\n", f);
	fclose(f);
	CHECK(store_open(p, 0, &err) == NULL);
	CHECK(strstr(err.msg, "not") != NULL);
	free(p);

	/* a missing desk is not created without STORE_CREATE */
	p = path_for("missing.db");
	CHECK(store_open(p, 0, &err) == NULL);
	CHECK_INT(err.kind, TDESK_ENOTFOUND);
	CHECK(access(p, F_OK) != 0);
	free(p);
}

static const char tricky_page[] =
    "{\"tickets\":["
    "{\"id\":101,\"subject\":\"提现没到账 \\\"USDT\\\" \\ud83d\\ude80\","
    "\"description\":\"line1\\nline2 \\u001b[31mred\\u001b[0m "
    "\\u202Egnp.exe\","
    "\"status\":\"open\",\"priority\":\"high\",\"type\":null,"
    "\"via\":{\"channel\":\"chat\",\"source\":{\"from\":{},\"to\":{}}},"
    "\"requester_id\":360000000001,\"assignee_id\":360000000009,"
    "\"group_id\":5,\"tags\":[\"VIP\",\"deposit\"],"
    "\"created_at\":\"2026-11-20T10:00:00Z\","
    "\"updated_at\":\"2026-11-21T10:00:00Z\","
    "\"custom_fields\":[{\"id\":1,\"value\":[1,2,{\"x\":null}]}],"
    "\"slas\":{\"policy_metrics\":["
    "{\"breach_at\":\"2026-11-22T12:00:00Z\",\"stage\":\"active\","
    "\"metric\":\"first_reply_time\",\"hours\":2},"
    "{\"breach_at\":\"2026-11-21T12:00:00Z\",\"stage\":\"achieved\","
    "\"metric\":\"requester_wait_time\"}]}},"
    "{\"id\":102,\"subject\":\"Login\\r\\rOVERWRITTEN\",\"status\":\"new\","
    "\"via\":{\"channel\":\"any_channel\",\"source\":{\"rel\":\"telegram\"}},"
    "\"updated_at\":\"2026-11-21T09:00:00+00:00\"},"
    "{\"id\":103,\"status\":\"pending\",\"updated_at\":\"2026-11-21T08:00:00Z\","
    "\"subject\":\"x\\u0000y\\u009bz\"}"
    "],"
    "\"users\":[{\"id\":360000000001,\"name\":\"王小明\",\"email\":"
    "\"xm@example.com\",\"role\":\"end-user\",\"locale\":\"zh-CN\","
    "\"tags\":[]},"
    "{\"id\":360000000009,\"name\":\"Ana Agent\",\"email\":\"ana@desk\","
    "\"role\":\"agent\",\"locale\":\"en-US\"}],"
    "\"groups\":[{\"id\":5,\"name\":\"Deposits & Withdrawals\"}],"
    "\"meta\":{\"has_more\":false},\"links\":{\"next\":\"https://x\"}}";

static void
test_ingest(void)
{
	struct tdesk_err err = { 0 };
	struct store_ingest_stats stats = { 0 };
	char *p = path_for("ingest.db");
	struct store *st = store_open(p, STORE_CREATE, &err);
	char *s;

	CHECK(st != NULL);
	CHECK(ingest(st, tricky_page, &stats) == 0);
	CHECK_INT(stats.tickets, 3);
	CHECK_INT(stats.written, 3);
	CHECK_INT(stats.users, 2);

	s = text(p, "SELECT subject FROM tickets WHERE id = 101");
	CHECK_STR(s, "提现没到账 \"USDT\" 🚀");
	free(s);
	/* escapes and bidi made visible; newlines kept in bodies */
	s = text(p, "SELECT description FROM tickets WHERE id = 101");
	CHECK_STR(s, "line1\nline2 ^[[31mred^[[0m <U+202E>gnp.exe");
	free(s);
	s = text(p, "SELECT subject FROM tickets WHERE id = 102");
	CHECK_STR(s, "Login^M^MOVERWRITTEN");
	free(s);
	s = text(p, "SELECT subject FROM tickets WHERE id = 103");
	CHECK_STR(s, "x\xe2\x90\x80y<U+009B>z");
	free(s);
	CHECK_INT(scalar(p, "SELECT count(*) FROM tickets WHERE"
	    " instr(subject || description, char(27)) > 0"), 0);

	/* fields, sideloads and derived facts */
	CHECK(store_fts_refresh(st, &err) == 0);
	CHECK_INT(scalar(p, "SELECT sla_breach_at FROM tickets WHERE id=101"),
	    1795348800);	/* the active target only */
	CHECK_INT(scalar(p, "SELECT lang = 'zh' AND vip = 1 AND"
	    " channel = 'chat' AND tags = ' vip deposit ' FROM tickets"
	    " WHERE id = 101"), 1);
	CHECK_INT(scalar(p, "SELECT count(*) FROM ticket_tags"
	    " WHERE ticket_id = 101"), 2);
	CHECK_INT(scalar(p, "SELECT count(*) FROM slas"), 2);
	CHECK_INT(scalar(p, "SELECT assignee_id FROM tickets WHERE id = 101"),
	    360000000009LL);
	CHECK_INT(scalar(p, "SELECT sla_breach_at FROM tickets WHERE id=102"),
	    INT64_MAX);
	s = text(p, "SELECT channel FROM tickets WHERE id = 102");
	CHECK_STR(s, "telegram");
	free(s);
	CHECK_INT(scalar(p, "SELECT status_rank FROM tickets WHERE id=103"),
	    2);

	/* an older copy never overwrites a newer one */
	memset(&stats, 0, sizeof(stats));
	CHECK(ingest(st, "{\"ticket\":{\"id\":101,\"subject\":\"OLD\","
	    "\"status\":\"solved\",\"updated_at\":\"2026-11-20T00:00:00Z\"}}",
	    &stats) == 0);
	CHECK_INT(stats.stale, 1);
	s = text(p, "SELECT status FROM tickets WHERE id = 101");
	CHECK_STR(s, "open");
	free(s);

	/* bad JSON changes nothing */
	CHECK(sync_zendesk_ingest(st, "{\"tickets\":[{\"id\":1,", 21, 0, NULL,
	    &err) < 0);
	CHECK(strstr(err.msg, "JSON") != NULL);
	CHECK(sync_zendesk_ingest(st, "[1,2]", 5, 0, NULL, &err) < 0);
	CHECK(sync_zendesk_ingest(st, "<html>oops</html>", 17, 0, NULL, &err) < 0);
	CHECK_INT(scalar(p, "SELECT count(*) FROM tickets"), 3);

	/* a huge body and an emoji-heavy one */
	struct buf big = BUF_INIT;
	buf_adds(&big, "{\"tickets\":[{\"id\":200,\"status\":\"open\","
	    "\"subject\":\"big\",\"updated_at\":\"2026-11-21T00:00:00Z\","
	    "\"description\":\"");
	for (int i = 0; i < 20000; i++)
		buf_adds(&big, "退款 refund \\\" 😀 ");
	buf_adds(&big, "\"}]}");
	CHECK(ingest(st, big.data, NULL) == 0);
	/* all of it but the space at its end (bodies are tidied) */
	CHECK_INT(scalar(p, "SELECT length(description) FROM tickets WHERE"
	    " id = 200"), 20000 * 14 - 1);
	buf_free(&big);

	/* comments, and search in both languages */
	const char comments[] = "{\"comments\":["
	    "{\"id\":9001,\"author_id\":360000000001,\"body\":\"我要退款\","
	    "\"plain_body\":\"我要退款，谢谢\",\"public\":true,"
	    "\"created_at\":\"2026-11-21T10:00:00Z\"},"
	    "{\"id\":9002,\"author_id\":360000000009,\"body\":\"Checking the "
	    "blockchain explorer\",\"public\":false,"
	    "\"created_at\":\"2026-11-21T10:05:00Z\"}]}";
	CHECK(sync_zendesk_ingest(st, comments, strlen(comments), 101, NULL,
	    &err) == 0);
	CHECK_INT(scalar(p, "SELECT count(*) FROM comments WHERE"
	    " ticket_id = 101"), 2);
	CHECK(store_fts_refresh(st, &err) == 0);
	CHECK_INT(scalar(p, "SELECT count(*) FROM fts_dirty"), 0);
	CHECK_INT(scalar(p, "SELECT count(*) FROM ticket_fts WHERE"
	    " ticket_fts MATCH '\"退 款\"'"), 2);
	CHECK_INT(scalar(p, "SELECT rowid FROM ticket_fts WHERE"
	    " ticket_fts MATCH 'explorer'"), 101);

	store_close(st);
	free(p);
}

struct collect {
	int64_t ids[16];
	int n;
};

static int
collect_ticket(const struct store_ticket *t, void *arg)
{
	struct collect *c = arg;

	if (c->n < 16)
		c->ids[c->n++] = t->id;
	return 0;
}

static void
test_outbox(void)
{
	struct tdesk_err err = { 0 };
	char *p = path_for("outbox.db");
	struct store *st = store_open(p, STORE_CREATE, &err);
	char *s;

	CHECK(ingest(st, tricky_page, NULL) == 0);
	CHECK(store_state_set(st, "me.id", "360000000009", &err) == 0);

	const char *add[] = { "kyc" }, *rem[] = { "deposit" };
	struct store_change ch = { .status = "pending", .priority = "urgent",
	    .add_tags = add, .n_add = 1, .remove_tags = rem, .n_remove = 1,
	    .comment = "Hi \"friend\", 请提供交易哈希 🙏", .comment_public = 1 };
	int64_t id = store_action(st, 101, &ch, &err);
	CHECK(id > 0);
	CHECK_INT(scalar(p, "SELECT count(*) FROM outbox"), 1);
	s = text(p, "SELECT comment || '|' || comment_public || '|' ||"
	    " change_status || '|' || change_priority || '|' || add_tags ||"
	    " '|' || remove_tags || '|' || (change_type IS NULL) FROM outbox");
	CHECK_STR(s, "Hi \"friend\", 请提供交易哈希 🙏|1|pending|urgent|kyc|"
	    "deposit|1");
	free(s);
	s = text(p, "SELECT seen_updated_at || ' ' || undo FROM outbox");
	CHECK_STR(s, "2026-11-21T10:00:00Z {\"status\":\"open\",\"priority\":"
	    "\"high\",\"tags\":\"vip deposit\"}");
	free(s);
	s = text(p, "SELECT status || priority || tags FROM tickets WHERE"
	    " id = 101");
	CHECK_STR(s, "pendingurgent vip kyc ");
	free(s);
	CHECK_INT(scalar(p, "SELECT count(*) FROM comments WHERE id < 0"), 1);
	CHECK_INT(scalar(p, "SELECT count(*) FROM audit"), 1);
	CHECK_INT(scalar(p, "SELECT length(client_id) FROM outbox"), 36);
	/* a long Chinese note is summarised by characters, never cut inside
	 * one */
	struct store_change zh = { .comment = "A您好，我们已经收到您的提现申请，"
	    "正在加急处理中，预计两个小时内到账，请您耐心等待，如有任何问题"
	    "请随时联系我们。谢谢您的理解与支持！祝您生活愉快，投资顺利。",
	    .comment_public = 0 };
	int64_t zid = store_action(st, 103, &zh, &err);
	CHECK(zid > 0);
	char *zs = text(p, "SELECT summary FROM outbox WHERE kind = 'note'");
	CHECK(zs && utf8_valid(zs, strlen(zs)) && strstr(zs, "...") != NULL);
	free(zs);
	CHECK_INT(store_outbox_drop(st, zid, &err), 1);

	/* a fresher remote copy keeps the waiting change on top */
	CHECK(ingest(st, "{\"ticket\":{\"id\":101,\"subject\":\"新\","
	    "\"status\":\"open\",\"priority\":\"high\",\"tags\":[\"vip\","
	    "\"deposit\",\"new\"],\"updated_at\":\"2026-11-22T00:00:00Z\"}}",
	    NULL) == 0);
	s = text(p, "SELECT status || priority || tags FROM tickets WHERE"
	    " id = 101");
	CHECK_STR(s, "pendingurgent vip new kyc ");
	free(s);

	/* the query language sees the waiting action */
	struct store_query *q = store_query_parse("is:pending", &err);
	struct collect c = { 0 };
	CHECK(q != NULL);
	CHECK(store_list(st, q, NULL, collect_ticket, &c, &err) == 0);
	CHECK_INT(c.n, 1);
	CHECK_INT(c.ids[0], 101);
	store_query_free(q);

	/* dropping undoes it */
	CHECK_INT(store_outbox_drop(st, id, &err), 1);
	s = text(p, "SELECT status || priority || tags FROM tickets WHERE"
	    " id = 101");
	CHECK_STR(s, "openhigh vip deposit ");
	free(s);
	CHECK_INT(scalar(p, "SELECT count(*) FROM comments WHERE id < 0"), 0);
	CHECK_INT(scalar(p, "SELECT count(*) FROM outbox"), 0);
	CHECK_INT(store_outbox_drop(st, id, &err), 0);

	/* unknown tickets and bad values queue nothing */
	struct store_change note = { .comment = "internal", .comment_public = 0 };
	CHECK_INT(store_action(st, 999, &note, &err), 0);
	CHECK_INT(err.kind, TDESK_ENOTFOUND);
	struct store_change bad = { .status = "fixed" };
	CHECK_INT(store_action(st, 101, &bad, &err), -1);
	CHECK(strstr(err.msg, "unknown status 'fixed'") != NULL);
	struct store_change nobody = { .assignee = "nobody@x" };
	CHECK_INT(store_action(st, 101, &nobody, &err), -1);
	CHECK_INT(err.kind, TDESK_ENOTFOUND);
	CHECK_INT(scalar(p, "SELECT count(*) FROM outbox"), 0);

	/* assign by name, to a group by name */
	struct store_change assign = { .assignee = "ana agent",
	    .group = "deposits & withdrawals" };
	CHECK(store_action(st, 102, &assign, &err) > 0);
	CHECK_INT(scalar(p, "SELECT assignee_id FROM tickets WHERE id = 102"),
	    360000000009LL);
	s = text(p, "SELECT change_assignee_id || ' ' || change_group_id ||"
	    " ' ' || (change_status IS NULL) FROM outbox WHERE ticket_id = 102");
	CHECK_STR(s, "360000000009 5 1");
	free(s);

	/* conflicts can be kept or edited */
	int64_t nid = store_action(st, 103, &note, &err);
	CHECK(nid > 0);
	CHECK(store_outbox_set_state(st, nid, STORE_OUTBOX_CONFLICT,
	    "customer wrote",
	    &err) == 0);
	CHECK_INT(store_outbox_retry(st, nid, "edited text", &err), 1);
	s = text(p, "SELECT state || ' ' || comment FROM"
	    " outbox WHERE kind = 'note'");
	CHECK_STR(s, "pending edited text");
	free(s);
	s = text(p, "SELECT body FROM comments WHERE id < 0 AND ticket_id=103");
	CHECK_STR(s, "edited text");
	free(s);

	/* closed tickets are immutable, as on Zendesk */
	CHECK(ingest(st, "{\"ticket\":{\"id\":104,\"status\":\"closed\","
	    "\"updated_at\":\"2026-11-22T00:00:00Z\"}}", NULL) == 0);
	CHECK_INT(store_action(st, 104, &note, &err), -1);
	CHECK(strstr(err.msg, "closed") != NULL);

	store_close(st);
	free(p);
}

static void
test_yaml(void)
{
	struct tdesk_err err = { 0 };
	const char good[] = "a: 1\nlist:\n  - x\n  - \"y\"\nmap: {k: v}\n";
	struct ynode *n = yaml_load_string("good.yaml", good, strlen(good),
	    &err);

	CHECK(n != NULL);
	CHECK_STR(ynode_get(n, "a")->value, "1");
	CHECK_INT(ynode_get(n, "list")->n, 2);
	CHECK_INT(ynode_get(n, "list")->items[1]->line, 4);
	CHECK_INT(ynode_get(n, "list")->items[1]->col, 5);
	static const char *const allowed[] = { "a", "list", NULL };
	CHECK(ynode_check_keys(n, allowed, "test", &err) < 0);
	CHECK_STR(err.msg, "good.yaml:5:1: unknown key 'map' in test");
	ynode_free(n);

	const char bad[] = "a: 1\nb: [1, 2\nc: 3\n";
	CHECK(yaml_load_string("bad.yaml", bad, strlen(bad), &err) == NULL);
	CHECK(strncmp(err.msg, "bad.yaml:", 9) == 0);
	const char dup[] = "a: 1\na: 2\n";
	CHECK(yaml_load_string("dup.yaml", dup, strlen(dup), &err) == NULL);
	CHECK_STR(err.msg, "dup.yaml:2:1: duplicate key 'a' (first at line 1)");
	const char alias[] = "a: &x 1\nb: *x\n";
	CHECK(yaml_load_string("al.yaml", alias, strlen(alias), &err) == NULL);
	CHECK(strstr(err.msg, "al.yaml:2:4: aliases") != NULL);
	CHECK(yaml_load_string("u.yaml", "a: \xff\n", 6, &err) == NULL);
	n = yaml_load_string("empty.yaml", "", 0, &err);
	CHECK(n != NULL && n->kind == YNODE_MAP && n->n == 0);
	ynode_free(n);
}

static void
test_text(void)
{
	struct buf b = BUF_INIT;

	static const char osc[] = "a\r\nb\rc\x1b]52;c;Zm9v\x07\xc2\x9b";
	text_sanitize(&b, osc, sizeof(osc) - 1, 1);
	CHECK_STR(b.data, "a\nb^Mc^[]52;c;Zm9v^G<U+009B>");
	buf_reset(&b);
	static const char bidi[] = "ok\xe2\x80\xae" "evil\xe2\x81\xa6\xff";
	text_sanitize(&b, bidi, sizeof(bidi) - 1, 0);
	CHECK_STR(b.data, "ok<U+202E>evil<U+2066>\xef\xbf\xbd");
	buf_reset(&b);
	text_cjk_split(&b, "USDT提现abc", 13);
	CHECK_STR(b.data, "USDT 提  现 abc");
	CHECK(text_has_cjk("hello 你", 9));
	CHECK(!text_has_cjk("hello", 5));
	buf_free(&b);

	int64_t t;
	CHECK(time_parse_iso("2024-05-01T10:11:12Z", &t) == 0);
	CHECK_INT(t, 1714558272);
	CHECK(time_parse_iso("2024-05-01T12:11:12+02:00", &t) == 0);
	CHECK_INT(t, 1714558272);
	CHECK(time_parse_iso("2024-05-01T05:11:12-0500", &t) == 0);
	CHECK_INT(t, 1714558272);
	CHECK(time_parse_iso("yesterday", &t) < 0);
	CHECK(time_parse_duration("90m", &t) == 0 && t == 5400);
	CHECK(time_parse_duration("2x", &t) < 0);
}

/* Outbox states and kinds: each name is read back as the same value, the
 * words the SQL writes are the table's, and a state lookup tells "not
 * set" from "cannot read". */
static void
test_outbox_names(void)
{
	struct tdesk_err err = { 0 };
	char *p = path_for("names.db");
	struct store *st = store_open(p, STORE_CREATE, &err);
	enum store_outbox_state state;
	enum store_outbox_kind kind;
	char *v = NULL;

	for (int i = 0; i < STORE_OUTBOX_N_STATES; i++) {
		CHECK_INT(store_outbox_state_parse(store_outbox_state_name(
		    (enum store_outbox_state)i), &state), 1);
		CHECK_INT(state, i);
	}
	for (int i = 0; i < STORE_OUTBOX_N_KINDS; i++) {
		CHECK_INT(store_outbox_kind_parse(store_outbox_kind_name(
		    (enum store_outbox_kind)i), &kind), 1);
		CHECK_INT(kind, i);
	}
	CHECK_INT(store_outbox_state_parse("sent", &state), 0);
	CHECK_INT(store_outbox_state_parse("", &state), 0);
	CHECK_INT(store_outbox_kind_parse("Reply", &kind), 0);
	CHECK_STR(store_outbox_state_name(STORE_OUTBOX_N_STATES), "?");
	/* the SQL's "still shows in the replica" is the C one */
	for (int i = 0; i < STORE_OUTBOX_N_STATES; i++) {
		char *q = xasprintf("SELECT '%s' IN " OB_SQL_LIVE,
		    store_outbox_state_name((enum store_outbox_state)i));
		CHECK_INT(scalar(p, q),
		    store_outbox_state_live((enum store_outbox_state)i));
		free(q);
	}
	CHECK(!store_outbox_state_live(STORE_OUTBOX_DONE));
	CHECK(store_outbox_state_live(STORE_OUTBOX_CONFLICT));

	CHECK(ingest(st, tricky_page, NULL) == 0);
	struct store_change ch = { .comment = "note", .comment_public = 0 };
	int64_t id = store_action(st, 101, &ch, &err);
	CHECK(id > 0);
	/* the schema's default state and the kind written are the table's */
	v = text(p, "SELECT state FROM outbox");
	CHECK_STR(v, store_outbox_state_name(STORE_OUTBOX_PENDING));
	free(v);
	v = text(p, "SELECT kind FROM outbox");
	CHECK_STR(v, store_outbox_kind_name(STORE_OUTBOX_NOTE));
	free(v);
	CHECK_INT(store_outbox_set_state(st, id, STORE_OUTBOX_FAILED, "no",
	    &err), 0);
	int64_t n = -1;
	CHECK(store_outbox_count(st, STORE_OUTBOX_FAILED, &n, &err) == 0);
	CHECK_INT(n, 1);
	CHECK_INT(scalar(p, "SELECT count(*) FROM tickets t WHERE id = 101"
	    " AND EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id"
	    " AND o.state IN " OB_SQL_STUCK ")"), 1);
	CHECK_INT(store_outbox_row_state(st, id, &state, &n, &err), 1);
	CHECK_INT(state, STORE_OUTBOX_FAILED);
	CHECK_INT(n, 101);
	CHECK_INT(store_outbox_row_state(st, id + 100, &state, &n, &err), 0);

	CHECK_INT(store_state_lookup(st, "nothing.here", &v, &err), 0);
	CHECK(v == NULL);
	CHECK(store_state_set(st, "some.key", "42", &err) == 0);
	CHECK_INT(store_state_lookup(st, "some.key", &v, &err), 1);
	CHECK_STR(v, "42");
	free(v);
	store_close(st);
	/* a replica whose state table cannot be read: an error, not unset */
	CHECK_INT(scalar(p, "DROP TABLE sync_state"), -1);
	st = store_open(p, STORE_READONLY, &err);
	CHECK(st != NULL);
	if (st) {
		err_clear(&err);
		CHECK_INT(store_state_lookup(st, "some.key", &v, &err), -1);
		CHECK(v == NULL && err.msg[0] != '\0');
		store_close(st);
	}
	free(p);
}

/* An authorizer that refuses to read sync_state.value: a read of the
 * desk's state that fails while writes still work. */
static int
deny_state_reads(void *u, int action, const char *a, const char *b,
    const char *c, const char *d)
{
	(void)u;
	(void)c;
	(void)d;
	if (action == SQLITE_READ && a && b && strcmp(a, "sync_state") == 0 &&
	    strcmp(b, "value") == 0)
		return SQLITE_DENY;
	return SQLITE_OK;
}

/* The redaction salt is made once per desk: a failed read of it must not
 * replace it (the hashes of every secret redacted before would stop
 * matching, and the guard could no longer see them quoted back). */
static void
test_salt_kept_on_read_error(void)
{
	struct tdesk_err err = { 0 };
	char *p = path_for("salt.db"), *first, *kept;
	struct store *st = store_open(p, STORE_CREATE, &err);

	CHECK(st != NULL);
	if (st == NULL)
		return;
	first = xstrdup(store_salt(st));
	store_close(st);
	st = store_open(p, 0, &err);
	CHECK(st != NULL);
	if (st == NULL)
		return;
	sqlite3_set_authorizer(st->db, deny_state_reads, NULL);
	CHECK(store_salt(st) != NULL);
	sqlite3_set_authorizer(st->db, NULL, NULL);
	store_close(st);
	kept = text(p, "SELECT value FROM sync_state WHERE key = 'redact.salt'");
	CHECK_STR(kept, first);
	free(first);
	free(kept);
	free(p);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 2;
	check_pin_clock("2026-11-22T10:00:00Z");
	test_text();
	test_yaml();
	test_integrity_detects_damage();
	test_migrations();
	test_ingest();
	test_outbox();
	test_outbox_names();
	test_salt_kept_on_read_error();
	int rc = check_done("test_store");
	if (rc == 0) {
		char *cmd = xasprintf("rm -rf '%s'", dir);
		if (system(cmd) != 0)
			rc = 1;
		free(cmd);
	}
	return rc;
}
