/* SPDX-License-Identifier: MIT */
/*
 * The vendor-neutral replica and the Zendesk mapping onto it: typed
 * batch writes read back through the store API; Zendesk answers as real
 * ones look (search results of every result_type, body vs plain_body,
 * ids past 2^53, invalid UTF-8, \u0000, Japanese and Korean text).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "sync/sync.h"
#include "tests/check.h"

static char dir[] = "/tmp/tdesk-test-model-XXXXXX";

static struct store *
fresh(const char *name)
{
	struct tdesk_err err = { 0 };
	char *p = xasprintf("%s/%s", dir, name);
	struct store *st = store_open(p, STORE_CREATE, &err);

	free(p);
	if (st == NULL)
		BUG("open: %s", err.msg);
	return st;
}

static int
zd(struct store *st, const char *json, int64_t comments_of,
    struct tdesk_err *err)
{
	return sync_zendesk_ingest(st, json, strlen(json), comments_of, NULL,
	    err);
}

struct seen {
	int n;
	char body[256];
	char names[256];
};

static int
first_comment(const struct store_comment *c, void *arg)
{
	struct seen *s = arg;

	if (s->n++ == 0)
		snprintf(s->body, sizeof(s->body), "%s", c->body);
	return 0;
}

static int
att_names(const struct store_attachment *a, void *arg)
{
	struct seen *s = arg;
	size_t n = strlen(s->names);

	snprintf(s->names + n, sizeof(s->names) - n, "%s%s/%s/%lld",
	    n ? " " : "", a->name, a->type, (long long)a->size);
	s->n++;
	return 0;
}

/* The typed API alone, as any backend would use it. */
static void
test_batch(void)
{
	struct tdesk_err err = { 0 };
	struct store *st = fresh("batch.db");
	struct store_ingest_stats stats = { 0 };
	struct store_batch *b = store_batch_begin(st, &stats, &err);
	const char *tags[] = { "VIP", "kyc" };
	struct store_field_value fv[] = { { 7, "apac" }, { 8, "a\tb" } };
	struct store_attachment_rec att[] = { { 55, "passport.jpg",
	    "image/jpeg", 204800, "https://x/55" } };
	struct store_ticket t = { 0 };
	struct seen sn = { 0 };

	CHECK(b != NULL);
	CHECK(store_batch_org(b, &(struct store_org_rec){ 3, "Acme" },
	    &err) == 0);
	CHECK(store_batch_field(b, &(struct store_field_rec){ 7, "Region",
	    "tagger" }, &err) == 0);
	CHECK(store_batch_user(b, &(struct store_user_rec){ .id = 10,
	    .name = "Ann", .email = "ann@x", .locale = "de-DE",
	    .organization_id = 3 }, &err) == 0);
	CHECK(store_batch_ticket(b, &(struct store_ticket_rec){ .id = 1,
	    .subject = "Konto gesperrt", .status = "open",
	    .requester_id = 10, .updated_at = 100, .tags = tags, .n_tags = 2,
	    .fields = fv, .n_fields = 2, .satisfaction = "bad",
	    .satisfaction_comment = "slow\x1b[31m" }, &err) == 0);
	CHECK(store_batch_comment(b, 1, &(struct store_comment_rec){ .id = 9,
	    .author_id = 10, .created_at = 90, .public = 1,
	    .body = "see attached", .html = "<p>see attached</p>",
	    .attachments = att, .n_attachments = 1 }, &err) == 0);
	CHECK(store_batch_comments_done(b, 1, &err) == 0);
	CHECK(store_batch_end(b, &err) == 0);
	CHECK_INT(stats.written, 1);
	CHECK_INT(stats.comments, 1);

	CHECK(store_ticket_get(st, 1, &t, &err) == 1);
	CHECK_STR(t.organization, "Acme");
	CHECK_STR(t.lang, "de");
	CHECK_STR(t.satisfaction, "bad");
	/* sanitised at the write: the escape is inert */
	CHECK(strchr(t.satisfaction_comment, 0x1b) == NULL);
	CHECK_STR(t.fields, "Region: apac\nfield 8: a b\n");
	CHECK(t.vip == 1);
	store_ticket_clear(&t);
	CHECK(store_attachments(st, 1, att_names, &sn, &err) == 0);
	CHECK_STR(sn.names, "passport.jpg/image/jpeg/204800");

	/* an older copy does not overwrite a newer one */
	b = store_batch_begin(st, &stats, &err);
	CHECK(store_batch_ticket(b, &(struct store_ticket_rec){ .id = 1,
	    .subject = "old", .updated_at = 50 }, &err) == 0);
	CHECK(store_batch_end(b, &err) == 0);
	CHECK_INT(stats.stale, 1);
	/* an aborted batch leaves nothing */
	b = store_batch_begin(st, NULL, &err);
	CHECK(store_batch_ticket(b, &(struct store_ticket_rec){ .id = 2,
	    .subject = "gone", .updated_at = 50 }, &err) == 0);
	store_batch_abort(b);
	CHECK(store_ticket_get(st, 2, &t, &err) == 0);
	store_close(st);
}

/* search/export results carry a result_type: only tickets are tickets */
static void
test_results(void)
{
	struct tdesk_err err = { 0 };
	struct store *st = fresh("results.db");
	struct store_ticket t = { 0 };
	int64_t n = -1;

	CHECK(zd(st, "{\"results\":["
	    "{\"result_type\":\"user\",\"id\":501,\"name\":\"Bo\","
	    "\"email\":\"bo@x\",\"role\":\"end-user\",\"locale\":\"ko\"},"
	    "{\"result_type\":\"organization\",\"id\":77,\"name\":\"Org\"},"
	    "{\"result_type\":\"article\",\"id\":900,\"title\":\"FAQ\"},"
	    "{\"result_type\":\"ticket\",\"id\":42,\"subject\":\"x\","
	    "\"status\":\"open\",\"requester_id\":501,\"organization_id\":77,"
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"}],"
	    "\"meta\":{\"has_more\":false}}", 0, &err) == 0);
	struct store_query *q = store_query_parse("", &err);
	CHECK(store_count(st, q, &n, &err) == 0);
	store_query_free(q);
	CHECK_INT(n, 1);
	CHECK(store_ticket_get(st, 501, &t, &err) == 0);
	CHECK(store_ticket_get(st, 900, &t, &err) == 0);
	CHECK(store_ticket_get(st, 42, &t, &err) == 1);
	CHECK_STR(t.requester_name, "Bo");
	CHECK_STR(t.organization, "Org");
	store_ticket_clear(&t);
	store_close(st);
}

static void
test_comments(void)
{
	struct tdesk_err err = { 0 };
	struct store *st = fresh("comments.db");
	struct seen s = { 0 };

	CHECK(zd(st, "{\"ticket\":{\"id\":5,\"status\":\"open\","
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"}}", 0, &err) == 0);
	/* Zendesk's plain_body renders the HTML, with stray spaces and
	 * blank lines; body reads as written */
	CHECK(zd(st, "{\"comments\":[{\"id\":1,\"author_id\":2,"
	    "\"body\":\"Hello,\\n\\nmy deposit is missing.\","
	    "\"plain_body\":\" Hello,\\n \\n\\n my deposit is missing. \","
	    "\"html_body\":\"<p>Hello,</p><p>my deposit is missing.</p>\","
	    "\"public\":true,\"created_at\":\"2026-11-21T09:00:00Z\","
	    "\"attachments\":[{\"id\":8,\"file_name\":\"tx.png\","
	    "\"content_type\":\"image/png\",\"size\":1234,"
	    "\"content_url\":\"https://x/8\"}]}]}", 5, &err) == 0);
	CHECK(store_comments(st, 5, first_comment, &s, &err) == 0);
	CHECK_STR(s.body, "Hello,\n\nmy deposit is missing.");
	memset(&s, 0, sizeof(s));
	CHECK(store_attachments(st, 5, att_names, &s, &err) == 0);
	CHECK_STR(s.names, "tx.png/image/png/1234");
	/* plain_body only when there is no body */
	CHECK(zd(st, "{\"comments\":[{\"id\":1,\"plain_body\":\"only\","
	    "\"created_at\":\"2026-11-21T09:00:00Z\"}]}", 5, &err) == 0);
	memset(&s, 0, sizeof(s));
	CHECK(store_comments(st, 5, first_comment, &s, &err) == 0);
	CHECK_STR(s.body, "only");
	store_close(st);
}

static void
test_wire(void)
{
	struct tdesk_err err = { 0 };
	struct store *st = fresh("wire.db");
	struct store_ticket t = { 0 };

	/* ids past 2^53 stay exact (a double would make ...993 ...992) */
	CHECK(zd(st, "{\"tickets\":[{\"id\":9007199254740993,"
	    "\"subject\":\"big\",\"updated_at\":\"2026-11-21T10:00:00Z\"}]}",
	    0, &err) == 0);
	CHECK(store_ticket_get(st, INT64_C(9007199254740993), &t, &err) == 1);
	store_ticket_clear(&t);
	CHECK(store_ticket_get(st, INT64_C(9007199254740992), &t, &err) == 0);
	/* invalid UTF-8 inside a string: refused whole, nothing written */
	CHECK(zd(st, "{\"tickets\":[{\"id\":7,\"subject\":\"a\xff\xfe\","
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"}]}", 0, &err) < 0);
	CHECK(strstr(err.msg, "invalid JSON") != NULL);
	CHECK(store_ticket_get(st, 7, &t, &err) == 0);
	/* an escaped NUL does not cut the customer's words */
	CHECK(zd(st, "{\"tickets\":[{\"id\":8,\"subject\":\"x\\u0000y\","
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"}]}", 0, &err) == 0);
	CHECK(store_ticket_get(st, 8, &t, &err) == 1);
	CHECK_STR(t.subject, "x\xe2\x90\x80y");
	store_ticket_clear(&t);
	/* nesting beyond the limit is refused, not a stack overflow */
	struct buf deep = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_addc(&deep, '[');
	CHECK(sync_zendesk_ingest(st, deep.data, deep.len, 0, NULL,
	    &err) < 0);
	buf_free(&deep);
	/* trailing garbage after the document */
	CHECK(zd(st, "{\"tickets\":[]} x", 0, &err) < 0);
	CHECK(zd(st, "{\"tickets\":[]}\n", 0, &err) == 0);
	store_close(st);
}

static void
test_lang(void)
{
	struct tdesk_err err = { 0 };
	struct store *st = fresh("lang.db");
	struct store_ticket t = { 0 };
	char out[8];

	CHECK_STR(store_lang_detect("出金できません", 21, NULL, out), "ja");
	CHECK_STR(store_lang_detect("출금이 안 돼요", 20, "", out), "ko");
	CHECK_STR(store_lang_detect("提现卡住了", 15, "en-US", out), "zh");
	CHECK_STR(store_lang_detect("口座凍結", 12, "ja", out), "ja");
	CHECK_STR(store_lang_detect("hello", 5, "pt-BR", out), "pt");
	CHECK_STR(store_lang_detect("hello", 5, NULL, out), "en");

	CHECK(zd(st, "{\"tickets\":["
	    "{\"id\":1,\"subject\":\"出金が反映されません\",\"requester_id\":3,"
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"},"
	    "{\"id\":2,\"subject\":\"입금이 안 됩니다\","
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"},"
	    "{\"id\":3,\"subject\":\"提现没到账\","
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"},"
	    "{\"id\":4,\"subject\":\"本人確認\",\"requester_id\":3,"
	    "\"updated_at\":\"2026-11-21T10:00:00Z\"}],"
	    "\"users\":[{\"id\":3,\"name\":\"Sato\",\"locale\":\"ja\"}]}", 0,
	    &err) == 0);
	const char *want[] = { "ja", "ko", "zh", "ja" };
	for (int i = 0; i < 4; i++) {
		CHECK(store_ticket_get(st, i + 1, &t, &err) == 1);
		CHECK_STR(t.lang, want[i]);
		store_ticket_clear(&t);
	}
	store_close(st);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		return 2;
	test_batch();
	test_results();
	test_comments();
	test_wire();
	test_lang();
	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return check_done("test_model");
}
