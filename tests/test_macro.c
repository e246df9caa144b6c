/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of macros: YAML loading and its positioned errors, rendering
 * placeholders (missing values, characters that must survive), language
 * choice, Zendesk action semantics, and bulk application to 10,000
 * tickets in one transaction, undone by dropping the outbox rows.
 */
#include "store/store.h"
#include "sync/sync.h"
#include "tests/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/test_macro.XXXXXX";

static void
write_file(const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", tmpdir, rel);
	FILE *f;

	for (char *s = p + strlen(tmpdir) + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	f = fopen(p, "w");
	if (f == NULL)
		BUG("cannot write %s", p);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void
ingest(struct store *st, const char *json)
{
	struct tdesk_err err = { 0 };

	if (sync_zendesk_ingest(st, json, strlen(json), 0, NULL, &err) < 0)
		BUG("ingest: %s", err.msg);
}

static void
msg_print(const char *msg, void *arg)
{
	int *n = arg;

	(*n)++;
	fprintf(stderr, "  (reported) %s\n", msg);
}

static const char good_macros[] =
    "macros:\n"
    "  - name: Greet\n"
    "    description: say hello\n"
    "    actions:\n"
    "      status: pending\n"
    "      comment:\n"
    "        en: \"Hello {{requester.first_name}}, re: {{ticket.subject}}"
    " (#{{ticket.id}}) -- {{agent.name}}\"\n"
    "        zh: \"{{requester.name}}，您好 -- {{ agent.name }}\"\n"
    "  - name: Tags\n"
    "    actions:\n"
    "      remove_tags: [old]\n"
    "      add_tags: [a, b]\n"
    "      set_tags: [x, y, a]\n"
    "  - name: Coin\n"
    "    actions:\n"
    "      comment: \"withdrawals of {{coin}} delayed\"\n"
    "  - name: Note\n"
    "    actions:\n"
    "      priority: urgent\n"
    "      comment:\n"
    "        public: false\n"
    "        en: \"for {{requester.email}}\"\n";

/* The second entry is fine, the first has a typo: nothing loads. */
static const char bad_macros[] =
    "macros:\n"
    "  - name: Fine one\n"
    "    actions:\n"
    "      status: open\n"
    "  - name: Typo\n"
    "    actions:\n"
    "      stauts: open\n";

struct names {
	char buf[2048];
};

static int
collect_name(const struct store_macro *m, void *arg)
{
	struct names *n = arg;

	strncat(n->buf, m->name, sizeof(n->buf) - strlen(n->buf) - 2);
	strcat(n->buf, "|");
	return 0;
}

static void
test_load(struct store *st)
{
	struct tdesk_err err = { 0 };
	const char *dirs[] = { tmpdir };
	struct names n = { "" };
	int reported = 0;
	char *want;

	write_file("macros/a.yaml", good_macros);
	write_file("macros/b.yaml", bad_macros);
	write_file("macros/c.yaml", "name: Bad placeholder\nactions:\n"
	    "  comment: \"hi {{ticket.nope}}\"\n");
	write_file("macros/d.yaml", "name: [unclosed\n");
	write_file("macros/e.yaml", "name: Bad status\nactions:\n"
	    "  status: closed\n");
	CHECK(store_macros_load_dirs(st, dirs, 1, msg_print, &reported,
	    &err) == 4);
	CHECK(reported == 4);
	want = xasprintf("%s/macros/b.yaml:7:7: unknown key 'stauts'",
	    tmpdir);
	CHECK_HAS(err.msg, want);
	free(want);
	CHECK(err.kind == TDESK_EUSAGE);
	CHECK(store_macro_list(st, collect_name, &n, &err) == 0);
	CHECK_STR(n.buf, "Coin|Greet|Note|Tags|");

	/* each bad file says where */
	{ char *p_ = xasprintf("%s/macros/b.yaml", tmpdir); unlink(p_); free(p_); }
	{
		struct tdesk_err e2 = { 0 };
		const char *one[] = { tmpdir };
		int k = store_macros_load_dirs(st, one, 1, NULL, NULL, &e2);
		CHECK(k == 3);
		want = xasprintf("%s/macros/c.yaml:3:12: unknown placeholder "
		    "'{{ticket.nope}}'", tmpdir);
		CHECK_HAS(e2.msg, want);
		free(want);
	}
	{ char *p_ = xasprintf("%s/macros/c.yaml", tmpdir); unlink(p_); free(p_); }
	{ char *p_ = xasprintf("%s/macros/d.yaml", tmpdir); unlink(p_); free(p_); }
	{ char *p_ = xasprintf("%s/macros/e.yaml", tmpdir); unlink(p_); free(p_); }
	CHECK(store_macros_load_dirs(st, dirs, 1, NULL, NULL, &err) == 0);
}

static void
test_render(struct store *st)
{
	struct tdesk_err err = { 0 };
	struct store_macro_result r;
	struct store_macro_opts o = { 0 };
	const char *vars[] = { "coin=USDT \"TRC20\"" };

	ingest(st, "{\"tickets\":["
	    "{\"id\":1,\"subject\":\"Où est mon dépôt? \\\"quotes\\\" \\\\ "
	    "back\",\"status\":\"open\",\"requester_id\":11,"
	    "\"tags\":[\"old\",\"keep\"],"
	    "\"updated_at\":\"2024-05-01T10:00:00Z\"},"
	    "{\"id\":2,\"subject\":\"提现没到账\",\"status\":\"new\","
	    "\"requester_id\":12,\"updated_at\":\"2024-05-01T10:00:00Z\"},"
	    "{\"id\":3,\"subject\":\"no name\",\"status\":\"open\","
	    "\"requester_id\":13,\"updated_at\":\"2024-05-01T10:00:00Z\"}],"
	    "\"users\":["
	    "{\"id\":11,\"name\":\"Zoë {{agent.name}} \\\"Q\\\" \\\\ 😀\","
	    "\"email\":\"zoe@example.com\",\"locale\":\"en-US\"},"
	    "{\"id\":12,\"name\":\"王小明\",\"email\":\"wang@example.cn\","
	    "\"locale\":\"zh-CN\"},"
	    "{\"id\":13,\"name\":\"\",\"email\":\"\",\"locale\":\"\"}]}");
	store_state_set(st, "me.name", "Ana Agent", &err);

	CHECK(store_macro_preview(st, "Greet", 1, NULL, &r, &err) == 1);
	/* the {{ in the customer's name is not expanded again */
	CHECK_STR(r.comment, "Hello Zoë, re: Où est mon dépôt? \"quotes\" "
	    "\\ back (#1) -- Ana Agent");
	CHECK_STR(r.lang, "en");
	CHECK_STR(r.status, "pending");
	CHECK(r.comment_public == 1);
	store_macro_result_clear(&r);

	o.lang = "zh";
	CHECK(store_macro_preview(st, "greet", 1, &o, &r, &err) == 1);
	CHECK_STR(r.comment, "Zoë {{agent.name}} \"Q\" \\ 😀，您好 -- "
	    "Ana Agent");
	store_macro_result_clear(&r);

	/* the requester's locale picks the language */
	CHECK(store_macro_preview(st, "Greet", 2, NULL, &r, &err) == 1);
	CHECK_STR(r.lang, "zh");
	CHECK_STR(r.comment, "王小明，您好 -- Ana Agent");
	store_macro_result_clear(&r);
	o.lang = "en";
	CHECK(store_macro_preview(st, "Greet", 2, &o, &r, &err) == 1);
	CHECK_STR(r.lang, "en");
	CHECK_HAS(r.comment, "Hello 王小明, re: 提现没到账 (#2)");
	store_macro_result_clear(&r);

	/* a missing value is an error naming placeholder and ticket */
	CHECK(store_macro_preview(st, "Greet", 3, NULL, &r, &err) == -1);
	CHECK_HAS(err.msg, "ticket 3");
	CHECK_HAS(err.msg, "{{requester.first_name}}");
	CHECK(r.comment == NULL);
	CHECK(store_macro_preview(st, "Note", 3, NULL, &r, &err) == -1);
	CHECK_HAS(err.msg, "{{requester.email}}");
	CHECK(store_macro_preview(st, "Coin", 1, NULL, &r, &err) == -1);
	CHECK_HAS(err.msg, "{{coin}}");
	CHECK_HAS(err.msg, "ticket 1");
	o.lang = NULL;
	o.vars = vars;
	o.n_vars = 1;
	CHECK(store_macro_preview(st, "Coin", 1, &o, &r, &err) == 1);
	CHECK_STR(r.comment, "withdrawals of USDT \"TRC20\" delayed");
	store_macro_result_clear(&r);

	/* agent name unknown */
	store_state_set(st, "me.name", NULL, &err);
	CHECK(store_macro_preview(st, "Greet", 1, NULL, &r, &err) == -1);
	CHECK_HAS(err.msg, "{{agent.name}}");
	o.agent_name = "Config Name";
	o.vars = NULL;
	o.n_vars = 0;
	CHECK(store_macro_preview(st, "Greet", 1, &o, &r, &err) == 1);
	CHECK_HAS(r.comment, "-- Config Name");
	store_macro_result_clear(&r);
	store_state_set(st, "me.name", "Ana Agent", &err);

	/* internal notes stay internal */
	CHECK(store_macro_preview(st, "Note", 1, NULL, &r, &err) == 1);
	CHECK(r.comment_public == 0);
	CHECK_STR(r.priority, "urgent");
	store_macro_result_clear(&r);

	/* tag actions run in order, like Zendesk: remove old, add a b,
	 * set x y a (keep drops) */
	CHECK(store_macro_preview(st, "Tags", 1, NULL, &r, &err) == 1);
	CHECK_STR(r.add_tags, "x y a");
	CHECK_STR(r.remove_tags, "old keep");
	CHECK(r.comment == NULL);
	store_macro_result_clear(&r);

	CHECK(store_macro_preview(st, "Nope", 1, NULL, &r, &err) == 0);
	CHECK(err.kind == TDESK_ENOTFOUND);
	CHECK(store_macro_preview(st, "Greet", 99, NULL, &r, &err) == 0);
	CHECK_STR(store_lang_pick("zh-TW", "en"), "zh");
	CHECK_STR(store_lang_pick("ZH", "en"), "zh");
	CHECK_STR(store_lang_pick("", "zh"), "zh");
	CHECK_STR(store_lang_pick("en-GB", "zh"), "en");
	CHECK_STR(store_lang_pick("zu", "zh"), "en");
}

static void
test_remote(struct store *st)
{
	struct tdesk_err err = { 0 };
	struct store_macro_result r;
	static const char page[] = "{\"macros\":["
	    "{\"id\":25,\"title\":\"Close and Save\",\"active\":true,"
	    "\"description\":\"Sets solved\",\"actions\":["
	    "{\"field\":\"status\",\"value\":\"solved\"},"
	    "{\"field\":\"comment_value_html\",\"value\":\"<p>Hi "
	    "{{ticket.requester.first_name}},</p><p>done &amp; dusted</p>\"},"
	    "{\"field\":\"comment_mode_is_public\",\"value\":\"false\"},"
	    "{\"field\":\"current_tags\",\"value\":\"closed_by_macro vip\"},"
	    "{\"field\":\"priority\",\"value\":\"high\"}],"
	    "\"updated_at\":\"2019-09-16T02:17:38Z\"},"
	    "{\"id\":26,\"title\":\"Greet\",\"active\":true,\"actions\":["
	    "{\"field\":\"set_tags\",\"value\":\"only\"},"
	    "{\"field\":\"comment_value\",\"value\":[\"channel:all\","
	    "\"Dear {{ticket.requester.name}}\"]},"
	    "{\"field\":\"comment_mode_is_public\",\"value\":true}]},"
	    "{\"id\":27,\"title\":\"Survey\",\"active\":true,\"actions\":["
	    "{\"field\":\"satisfaction_score\",\"value\":"
	    "\"offered_to_requester\"}]},"
	    "{\"id\":28,\"title\":\"Old\",\"active\":false,\"actions\":[]}]}";

	CHECK(zd_answers_ingest(st, 1, page, strlen(page), &err) == 0);
	CHECK(store_macro_preview(st, "Close and Save", 1, NULL, &r, &err) == 1);
	CHECK_STR(r.status, "solved");
	CHECK_STR(r.priority, "high");
	CHECK_STR(r.comment, "Hi Zoë,\n\ndone & dusted");
	CHECK(r.comment_public == 0);
	CHECK_STR(r.add_tags, "closed_by_macro vip");
	CHECK(r.remove_tags == NULL);
	store_macro_result_clear(&r);
	/* the local "Greet" keeps its name; the remote one is renamed */
	CHECK(store_macro_preview(st, "Greet (remote)", 1, NULL, &r, &err)
	    == 1);
	CHECK_STR(r.comment, "Dear Zoë {{agent.name}} \"Q\" \\ 😀");
	CHECK(r.comment_public == 1);
	CHECK_STR(r.add_tags, "only");
	CHECK_STR(r.remove_tags, "old keep");
	store_macro_result_clear(&r);
	/* what tdesk cannot do offline is refused, not half done */
	CHECK(store_macro_preview(st, "Survey", 1, NULL, &r, &err) == -1);
	CHECK_HAS(err.msg, "satisfaction_score");
	CHECK(store_macro_preview(st, "Old", 1, NULL, &r, &err) == 0);
	/* a reload of local files keeps remote rows */
	{
		const char *dirs[] = { tmpdir };
		CHECK(store_macros_load_dirs(st, dirs, 1, NULL, NULL, &err)
		    == 0);
		CHECK(store_macro_preview(st, "Close and Save", 1, NULL, &r,
		    &err) == 1);
		store_macro_result_clear(&r);
	}
}

struct counter {
	int64_t n;
	int64_t *ids;
};

static int
count_result(const struct store_macro_result *r, void *arg)
{
	struct counter *c = arg;

	(void)r;
	c->n++;
	return 0;
}

static int
collect_outbox(const struct store_outbox_row *r, void *arg)
{
	struct counter *c = arg;

	if (r->kind == STORE_OUTBOX_MACRO)
		c->ids[c->n++] = r->id;
	return 0;
}

static int
status_count(const struct store_ticket *t, void *arg)
{
	struct counter *c = arg;

	if (strcmp(t->status, "pending") == 0)
		c->n++;
	return 0;
}

static void
test_bulk(struct store *st)
{
	enum { N = 10000 };
	struct tdesk_err err = { 0 };
	struct buf page = BUF_INIT;
	int64_t *ids = xmalloc((N + 2) * sizeof(*ids)), n;
	struct counter c = { 0 };
	struct store_macro_opts o = { 0 };
	struct store_query *q;

	for (int p = 0; p < N / 1000; p++) {
		buf_reset(&page);
		buf_adds(&page, "{\"tickets\":[");
		for (int i = 0; i < 1000; i++)
			buf_printf(&page, "%s{\"id\":%d,\"subject\":\"bulk %d\","
			    "\"status\":\"open\",\"requester_id\":11,"
			    "\"updated_at\":\"2024-05-01T10:00:00Z\"}",
			    i ? "," : "", 1000 + p * 1000 + i, i);
		buf_adds(&page, "]}");
		ingest(st, page.data);
	}
	buf_free(&page);
	for (int i = 0; i < N; i++)
		ids[i] = 1000 + i;
	ids[N] = 1000;		/* duplicates apply once */
	ids[N + 1] = 1001;

	/* one bad ticket: nothing at all is applied */
	ids[5] = 3;
	CHECK(store_macro_apply(st, "Greet", ids, N + 2, NULL, count_result,
	    &c, &err) == -1);
	CHECK_HAS(err.msg, "ticket 3");
	CHECK(store_outbox_count(st, STORE_OUTBOX_PENDING, &n, &err) == 0 &&
	    n == 0);
	ids[5] = 1005;

	/* dry run: renders all, queues nothing */
	o.dry_run = 1;
	c.n = 0;
	CHECK(store_macro_apply(st, "Greet", ids, N + 2, &o, count_result,
	    &c, &err) == 0);
	CHECK(c.n == N);
	CHECK(store_outbox_count(st, STORE_OUTBOX_PENDING, &n, &err) == 0 &&
	    n == 0);

	c.n = 0;
	CHECK(store_macro_apply(st, "Greet", ids, N + 2, NULL, count_result,
	    &c, &err) == 0);
	CHECK(c.n == N);
	CHECK(store_outbox_count(st, STORE_OUTBOX_PENDING, &n, &err) == 0 &&
	    n == N);
	q = store_query_parse("", &err);
	c.n = 0;
	store_list(st, q, &(struct store_list_opts){ .order = STORE_ORDER_ID },
	    status_count, &c, &err);
	CHECK(c.n == N);

	/* dropping the actions before sync undoes them */
	c.n = 0;
	c.ids = xmalloc(N * 2 * sizeof(*c.ids));
	CHECK(store_outbox_list(st, 0, collect_outbox, &c, &err) == 0);
	CHECK(c.n == N);
	store_begin(st, &err);
	for (int64_t i = 0; i < c.n; i++)
		CHECK(store_outbox_drop(st, c.ids[i], &err) == 1 || (fprintf(
		    stderr, "drop: %s\n", err.msg), 0));
	store_commit(st, &err);
	CHECK(store_outbox_count(st, STORE_OUTBOX_PENDING, &n, &err) == 0 &&
	    n == 0);
	c.n = 0;
	store_list(st, q, &(struct store_list_opts){ .order = STORE_ORDER_ID },
	    status_count, &c, &err);
	CHECK(c.n == 0);
	store_query_free(q);
	free(c.ids);
	free(ids);
}

int
main(void)
{
	struct tdesk_err err = { 0 };
	struct store *st;
	char *db;

	if (mkdtemp(tmpdir) == NULL)
		BUG("mkdtemp");
	db = xasprintf("%s/desk.db", tmpdir);
	st = store_open(db, STORE_CREATE, &err);
	if (st == NULL)
		BUG("open: %s", err.msg);
	test_load(st);
	test_render(st);
	test_remote(st);
	test_bulk(st);
	store_close(st);
	if (check_failures == 0) {
		char *cmd = xasprintf("rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmpdir);
		free(cmd);
	}
	free(db);
	return check_done("test_macro");
}
