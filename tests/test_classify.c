/* SPDX-License-Identifier: MIT */
/*
 * Triage, below the command line: rules files (every mistake at its
 * file:line:col, the whole file refused), the script detection that
 * tells Japanese and Korean from Chinese, and the queue's triage order
 * cut in windows (offset, limit, from the end) giving exactly the rows
 * of the whole ordered list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/triage.h"
#include "store/classify_int.h"
#include "sync/sync.h"
#include "tests/check.h"

static char tmpdir[] = "/tmp/tdesk-test-classify-XXXXXX";

static const char *
rules_error(const char *text)
{
	static struct tdesk_err err;
	const char *files[] = { "r.yaml" };
	const char *texts[] = { text };
	struct store_rules *r;

	memset(&err, 0, sizeof(err));
	r = store_rules_load(files, texts, 1, &err);
	if (r) {
		store_rules_free(r);
		return "";
	}
	return err.msg;
}

struct ids {
	int64_t v[400];
	size_t n;
};

static int
add_id(const struct store_ticket *t, void *arg)
{
	struct ids *ids = arg;

	if (ids->n < 400)
		ids->v[ids->n++] = t->id;
	return 0;
}

/* The zone (ZONE_NEW, ZONE_QUOTED, ZONE_SIG) of the first place of
 * needle in the body as cls_prepare reads it; -1 when not there. */
static int
zone_of(const char *body, const char *needle)
{
	struct text t;
	const char *p;
	int z = -1;

	cls_prepare(&t, "subject", 7, body, strlen(body));
	if ((p = strstr(t.s + t.subj_end, needle)) != NULL)
		z = cls_zone(&t, (size_t)(p - t.s));
	free(t.s);
	return z;
}

/* The body as cls_prepare reads it. */
static const char *
prepared(const char *body)
{
	static char out[256];
	struct text t;

	cls_prepare(&t, "", 0, body, strlen(body));
	snprintf(out, sizeof(out), "%s", t.s + t.subj_end);
	free(t.s);
	return out;
}

static int
starter_rules_path(char *out, size_t size)
{
	const char *src = getenv("TDESK_SRCDIR");

	snprintf(out, size, "%s/store/starter/rules.yaml", src ? src : ".");
	return access(out, R_OK);
}

int
main(void)
{
	struct tdesk_err err = { 0 };
	char path[512], rules[512];

	/* rules files */
	CHECK_STR(rules_error("rules:\n  - name: a\n    category: trade\n"
	    "    match: [fee]\n"), "");
	CHECK_STR(rules_error("rules:\n  - name: a\n    category: art\n"
	    "    match: [x]\n"), "r.yaml:3:15: unknown category 'art' (one "
	    "of account_access, kyc, deposit, withdrawal, trade, security, "
	    "compliance, api, other)");
	CHECK(strstr(rules_error("rules:\n  - name: a\n    category: api\n"
	    "    regex: '(x'\n"), "r.yaml:4:12: bad regex") != NULL);
	CHECK_STR(rules_error("rules:\n  - name: a\n    match: [x]\n"),
	    "r.yaml:2:5: rule 'a' decides nothing: give it a category, "
	    "incident: true or urgent: true");
	CHECK(strstr(rules_error("rules:\n  - name: a\n    urgent: true\n"
	    "    match: [x]\n    colour: red\n"), "r.yaml:5:5") != NULL);
	CHECK_STR(rules_error("categories:\n  trade: {priority: asap}\n"),
	    "r.yaml:2:21: priority is low, normal, high or urgent");

	/* the phrase prefilters (byte pairs, 4-byte windows) never hide a
	 * phrase that is there: every length, at the subject's start, the
	 * body's end and across the line between them */
	{
		static const char *const ph[] = { "ab", "abc", "abcd",
		    "abcde", "abcdefgh", "提", "提现", "提现卡住", "x提现y" };
		struct store_rules *pr;
		struct buf y = BUF_INIT;
		const char *files[] = { "p.yaml" };
		const char *texts[1];

		buf_adds(&y, "rules:\n");
		for (size_t i = 0; i < sizeof(ph) / sizeof(*ph); i++)
			buf_printf(&y, "  - name: p%zu\n    category: trade\n"
			    "    match: [\"%s\"]\n", i, ph[i]);
		texts[0] = y.data;
		pr = store_rules_load(files, texts, 1, &err);
		CHECK(pr != NULL);
		for (size_t i = 0; pr && i < sizeof(ph) / sizeof(*ph); i++) {
			struct store_class c;
			char name[8], subj[64], body[64];
			size_t n = strlen(ph[i]);
			snprintf(name, sizeof(name), "p%zu", i);
			store_classify_text(pr, ph[i], "zz", NULL, NULL, &c);
			CHECK(strstr(c.rules, name) != NULL);
			snprintf(body, sizeof(body), "q %s", ph[i]);
			store_classify_text(pr, "zz", body, NULL, NULL, &c);
			CHECK(strstr(c.rules, name) != NULL);
			/* upper case in, found lower case */
			snprintf(subj, sizeof(subj), "%s", ph[i]);
			for (char *p = subj; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 32);
			store_classify_text(pr, subj, "", NULL, NULL, &c);
			CHECK(strstr(c.rules, name) != NULL);
			/* one byte short: not there */
			snprintf(subj, sizeof(subj), "%.*s", (int)n - 1, ph[i]);
			store_classify_text(pr, subj, "", NULL, NULL, &c);
			CHECK(strstr(c.rules, name) == NULL);
		}
		store_rules_free(pr);
		buf_free(&y);
	}

	/* a mail as the rules read it: the customer's new words, quoted
	 * history, the signature */
	CHECK(zone_of("Any update?\n\nOn Mon, Nov 30, 2026 at 9:14 AM "
	    "Support <s@x.example> wrote:\n> your withdrawal is processed",
	    "update") == ZONE_NEW);
	CHECK(zone_of("Any update?\n\nOn Mon, Nov 30, 2026 at 9:14 AM "
	    "Support <s@x.example> wrote:\n> your withdrawal is processed",
	    "withdrawal") == ZONE_QUOTED);
	CHECK(zone_of("still nothing\n> we sent it\nplease check", "please")
	    == ZONE_NEW);
	CHECK(zone_of("still nothing\n> we sent it\nplease check", "we sent")
	    == ZONE_QUOTED);
	CHECK(zone_of("Any news?\n________________________________\nFrom: "
	    "Support\nSent: Friday\n\nDear customer, your deposit",
	    "deposit") == ZONE_QUOTED);
	CHECK(zone_of("Not there.\nFrom: Support\nSent: Friday\nyour deposit",
	    "deposit") == ZONE_QUOTED);
	CHECK(zone_of("还是没到\n\n在 2026年12月1日，客服 写道：\n> 您的提现已处理",
	    "提现") == ZONE_QUOTED);
	CHECK(zone_of("还是没到\n-----原始邮件-----\n发件人：客服\n关于提现",
	    "提现") == ZONE_QUOTED);
	CHECK(zone_of("help\n\n-- \nMark\nThis e-mail is confidential, "
	    "unauthorised use prohibited", "unauthorised") == ZONE_SIG);
	CHECK(zone_of("help\n\nSent from my iPhone", "iphone") == ZONE_SIG);
	CHECK(zone_of("Best regards\nTom\n\nOn Dec 1 Ann wrote:\n> deposit",
	    "deposit") == ZONE_QUOTED);
	CHECK(zone_of("還是沒到\n寄件者: 客服\n寄件日期: 2026年12月5日\n關於提現",
	    "提现") == ZONE_QUOTED);
	CHECK(zone_of("ok done\n\n##- Please type your reply above this line -##"
	    "\n\nYour request (123) has been updated: deposit credited",
	    "deposit") == ZONE_QUOTED);
	/* a chat transcript: the bot's and the agent's lines are not the
	 * customer's */
	CHECK(zone_of("Bot: Please choose a topic: Deposit, Withdrawal\n"
	    "Visitor: my withdrawal is pending", "deposit") == ZONE_QUOTED);
	CHECK(zone_of("Bot: Please choose a topic: Deposit, Withdrawal\n"
	    "Visitor: my withdrawal is pending", "my withdrawal") == ZONE_NEW);
	CHECK(zone_of("机器人：请选择问题类型：充值、提现\n用户：登录不了", "充值") ==
	    ZONE_QUOTED);
	/* "from:" inside a sentence starts nothing */
	CHECK(zone_of("I sent it from: my Ledger\nstill pending", "pending")
	    == ZONE_NEW);
	/* HTML as text, entities decoded, full-width letters as ASCII */
	CHECK_STR(prepared("<p>It&#39;s <b>pending</b></p>"), "it's pending");
	CHECK_STR(prepared("ＵＳＤＴ　ｏｎ　ＴＲＣ２０，提現"), "usdt on trc20，提现");
	CHECK_STR(prepared("帳戶沒有入帳，到帐了吗"), "账户没有入账，到账了吗");
	CHECK_STR(prepared("a <b> b"), "a <b> b");
	/* odd spacing: runs of blanks as one, none between Han characters,
	 * invisible characters gone */
	CHECK_STR(prepared("not \t  arrived"), "not arrived");
	CHECK_STR(prepared("提 现　卡住 了 usdt"), "提现卡住了 usdt");
	CHECK_STR(prepared("with\xe2\x80\x8b" "draw\xc2\xa0" "pending"),
	    "withdraw pending");

	/* scripts */
	CHECK(text_cjk_script("hello", 5) == NULL);
	CHECK_STR(text_cjk_script("提现卡住了", strlen("提现卡住了")), "zh");
	CHECK_STR(text_cjk_script("入金が反映されません",
	    strlen("入金が反映されません")), "ja");
	CHECK_STR(text_cjk_script("출금이 안 돼요", strlen("출금이 안 돼요")),
	    "ko");
	CHECK_STR(text_cjk_script("カード", strlen("カード")), "ja");

	/* a desk: the triage order in windows equals the whole order */
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/t.db", tmpdir);
	struct store *st = store_open(path, STORE_CREATE, &err);
	CHECK(st != NULL);
	if (st == NULL)
		return check_done("test_classify");
	struct store_rules *rs = NULL;
	if (starter_rules_path(rules, sizeof(rules)) == 0) {
		const char *files[] = { rules };
		rs = store_rules_load(files, NULL, 1, &err);
		CHECK(rs != NULL);
		store_set_rules(st, rs);
	}
	CHECK(store_demo_fill(st, TDESK_SRCDIR "/store/demo/text.yaml", 300, 7,
	    sync_zendesk_ingest, &err) == 0);
	struct store_query *q = store_query_parse("", &err);
	struct ids all = { .n = 0 }, win = { .n = 0 };
	CHECK(store_list(st, q, NULL, add_id, &all, &err) == 0);
	CHECK(all.n == 300);
	int64_t incidents = 0;
	struct store_query *qi = store_query_parse("is:incident", &err);
	CHECK(store_count(st, qi, &incidents, &err) == 0);
	CHECK(incidents > 0);
	store_query_free(qi);
	for (int64_t off = 0; off < 300; off += 37) {
		struct store_list_opts o = { .order = STORE_ORDER_URGENT,
		    .offset = off, .limit = 25 };
		win.n = 0;
		CHECK(store_list(st, q, &o, add_id, &win, &err) == 0);
		for (size_t i = 0; i < win.n; i++)
			CHECK_INT(win.v[i], all.v[off + (int64_t)i]);
		o.from_end = 1;
		win.n = 0;
		CHECK(store_list(st, q, &o, add_id, &win, &err) == 0);
		for (size_t i = 0; i < win.n; i++)
			CHECK_INT(win.v[i], all.v[all.n - 1 - (size_t)off - i]);
	}
	/* incidents lead */
	struct store_ticket t;
	CHECK(store_ticket_get(st, all.v[0], &t, &err) == 1);
	CHECK(t.incident == 1);
	store_ticket_clear(&t);
	store_query_free(q);
	store_close(st);
	store_rules_free(rs);
	unlink(path);
	char p2[600];
	snprintf(p2, sizeof(p2), "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
	rmdir(tmpdir);
	return check_done("test_classify");
}
