/* SPDX-License-Identifier: MIT */
/*
 * The reply guard against its corpus (tests/corpus/guard.tsv, English and
 * Chinese, block / warn / ok), its configuration, JSON output and bad
 * input: huge texts, Unicode oddities, malformed config.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "store/guard.h"
#include "store/store.h"

static const char *
verdict(const struct guard_config *c, const char *text)
{
	struct guard_result r = { 0 };
	static char out[8];

	guard_check(c, text, strlen(text), NULL, NULL, &r);
	snprintf(out, sizeof(out), "%s", guard_verdict_name(r.verdict));
	guard_result_free(&r);
	return out;
}

static int
has_rule(const struct guard_config *c, const char *text, const char *rule)
{
	struct guard_result r = { 0 };
	int found = 0;

	guard_check(c, text, strlen(text), NULL, NULL, &r);
	for (size_t i = 0; i < r.n; i++)
		if (!strcmp(r.r[i].rule, rule))
			found = 1;
	guard_result_free(&r);
	return found;
}

struct corpus_run {
	const struct guard_config *c;
	int got[2][3][3];	/* [lang][want]: counts of each verdict got */
};

static void
corpus_line(const char *label, char *text, void *arg)
{
	struct corpus_run *run = arg;
	int want = !strcmp(label, "block") ? 2 : !strcmp(label, "warn");
	const char *v = verdict(run->c, text);
	int g = !strcmp(v, "block") ? 2 : !strcmp(v, "warn");
	int zh = text_has_cjk(text, strlen(text));

	run->got[zh][want][g]++;
	if (g != want)
		fprintf(stderr, "corpus: wanted %s, got %s: %s\n", label, v,
		    text);
	CHECK(g == want);
}

static void
corpus(const struct guard_config *c)
{
	struct corpus_run run = { .c = c };

	check_corpus("guard.tsv", corpus_line, &run);
	for (int l = 0; l < 2; l++) {
		int (*got)[3] = run.got[l];
		int blocks = got[2][0] + got[2][1] + got[2][2];
		int oks = got[0][0] + got[0][1] + got[0][2];
		printf("%s: block recall %d/%d, ok replies blocked %d/%d\n",
		    l ? "zh" : "en", got[2][2], blocks, got[0][2], oks);
	}
}

static void
config(void)
{
	struct tdesk_err err = { 0 };
	struct guard_config *c = guard_config_new();
	static const char good[] =
	    "guard:\n"
	    "  official_domains: [example-exchange.com]\n"
	    "  allow_hosts: [docs.example.org]\n"
	    "  phrases:\n"
	    "    en: {block: [guaranteed returns], warn: [refund]}\n"
	    "    zh: {block: [保本收益]}\n";
	struct ynode *n = yaml_load_string("config.yaml", good, strlen(good),
	    &err);
	CHECK(n != NULL);
	CHECK_INT(guard_config_load(c, ynode_get(n, "guard"), &err), 0);
	CHECK_STR(verdict(c, "see https://example-exchange.com/x"), "ok");
	CHECK_STR(verdict(c, "see https://docs.example.org/x"), "warn");
	CHECK_STR(verdict(c, "see https://examp1e-exchange.com/x"), "block");
	CHECK_STR(verdict(c, "we offer GUARANTEED returns"), "block");
	CHECK_STR(verdict(c, "about your refund"), "warn");
	CHECK_STR(verdict(c, "这是保本收益产品"), "block");
	ynode_free(n);
	guard_config_free(c);

	/* malformed: positioned errors */
	static const char *const bad[] = {
		"guard:\n  official_domains: kestrel.example\n",
		"guard:\n  official_domains: [\"kes trel.example\"]\n",
		"guard:\n  phrases:\n    fr: {block: [x]}\n",
		"guard:\n  phrases:\n    en: {deny: [x]}\n",
		"guard:\n  colour: red\n",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		c = guard_config_new();
		err_clear(&err);
		n = yaml_load_string("config.yaml", bad[i], strlen(bad[i]),
		    &err);
		CHECK(n != NULL);
		CHECK_INT(guard_config_load(c, ynode_get(n, "guard"), &err),
		    -1);
		CHECK(strncmp(err.msg, "config.yaml:", 12) == 0);
		ynode_free(n);
		guard_config_free(c);
	}
}

static void
rules(const struct guard_config *c)
{
	CHECK(has_rule(c, "Go to https://kеstrel.example/login",
	    "link-homoglyph") || has_rule(c, "Go to https://kеstrel.example/"
	    "login", "link-mixed-script"));
	CHECK(has_rule(c, "https://xn--kstrel-3ve.example", "link-punycode"));
	CHECK(has_rule(c, "go to kestrel.example\xE2\x80\x8B.evil.example",
	    "link-hidden-char"));
	CHECK(has_rule(c, "https://1.2.3.4/login", "link-ip"));
	CHECK(has_rule(c, "visit https://kestrel-help.example.net",
	    "link-lookalike"));
	CHECK(has_rule(c, "visit kestrel.example@phish.example",
	    "link-userinfo"));
	CHECK(has_rule(c, "text \xE2\x80\xAE reversed", "hidden-bidi"));
	CHECK(has_rule(c, "hello ${name}", "placeholder"));
	CHECK(has_rule(c, "Dear XXX,", "placeholder"));
	CHECK(has_rule(c, "联系 138 0013 8000", "phone-number"));
	CHECK_STR(verdict(c, "order 20240518000123 and UID 88231"), "ok");
	CHECK_STR(verdict(c, "amount 1234.5678 on 2024-05-18 12:00"), "ok");
	CHECK_STR(verdict(c, "https://kestrel.example/help"), "ok");
	CHECK_STR(verdict(c, "https://sub.kestrel.example/x?y=1"), "ok");
	CHECK_STR(verdict(c, ""), "ok");
	/* the customer's secret in the reply itself */
	CHECK(has_rule(c, "your words: abandon amount liar amount expire "
	    "adjust cage candy arch gather drum buyer",
	    "secret-in-reply"));
}

/* Words hidden from the lexicon: read again with the hiding undone, the
 * reason placed on the text as written; ordinary text is not changed. */
static void
hidden_words(const struct guard_config *c)
{
	static const char *const scams[] = {
		"Please type your s e e d  p h r a s e in the reply box.",
		"Send me the s.e.e.d words and we will fix the deposit.",
		"We need your s33d phrase to recover the deposit.",
		"Please provide your \xEF\xBD\x93\xEF\xBD\x85\xEF\xBD\x85"
		    "\xEF\xBD\x84 phrase to proceed.",	/* full-width */
		"Please send your se\xE2\x80\x8B" "ed phrase to re-sync.",
		"Please send your s\xD0\xB5\xD0\xB5" "d phrase now.",
		"Reply with your email and p@ssw0rd so I can check.",
		"Give me the 2 F A code to cancel the withdrawal.",
		"Call us: \xEF\xBC\x8B\xEF\xBC\x91 \xEF\xBC\x98\xEF\xBC\x98"
		    "\xEF\xBC\x98 \xEF\xBC\x95\xEF\xBC\x95\xEF\xBC\x95\xEF"
		    "\xBC\x8D\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC"
		    "\x99",	/* ＋１ ８８８ ５５５－０１９９ */
		"\xE5\x8A\xA9 \xE8\xAE\xB0 \xE8\xAF\x8D"
		    "\xE5\x8F\x91\xE4\xB8\x80\xE4\xB8\x8B",	/* 助 记 词发一下 */
		"Please send your private&nbsp;key to us.",	/* HTML */
		"Please send your &#115;eed phrase.",
		"<p>Please send your pri<b>vate</b> key</p>",
	};
	static const char *const fine[] = {
		"Order ID: A1B2C3, status: c o m p l e t e d.",
		"The promo code W3LC0ME gives a fee discount.",
		"Write to support@kestrel.example or p@ss.example.",
		"Your referral code is S33D2024.",
		"<p>Never share your <b>seed phrase</b> with anyone.</p>",
		"Tom &amp; Jerry <3 you &#x41; &#9999999; <a href=x>",
		"\xEF\xBC\xB5\xEF\xBC\xA9\xEF\xBC\xA4 12345678",
	};
	for (size_t i = 0; i < ARRAY_LEN(scams); i++) {
		CHECK_STR(verdict(c, scams[i]), "block");
		if (strcmp(verdict(c, scams[i]), "block"))
			fprintf(stderr, "hidden: not blocked: %s\n", scams[i]);
	}
	for (size_t i = 0; i < ARRAY_LEN(fine); i++)
		CHECK(strcmp(verdict(c, fine[i]), "block") != 0);

	/* the reason's span is on the text as written: the full-width
	 * "ｓｅｅｄ" is 12 bytes from 21 */
	struct guard_result r = { 0 };
	const char *t = scams[3];
	guard_check(c, t, strlen(t), NULL, NULL, &r);
	int spans = 0;
	for (size_t i = 0; i < r.n; i++)
		if (!strcmp(r.r[i].rule, "ask-secret"))
			spans += r.r[i].start < 21 && r.r[i].end >= 33 &&
			    r.r[i].end <= strlen(t);
	CHECK(spans == 1);
	guard_result_free(&r);

	/* every cut of a text full of hiding: nothing read past its end
	 * (under ASan) */
	static const char hiding[] = "s e e d p@ss s33d \xEF\xBD\x93\xEF\xBD"
	    "\x85 se\xE2\x80\x8B" "ed s\xD0\xB5" "d \xE5\x8A\xA9 \xE8\xAE\xB0 "
	    "\xE8\xAF\x8D a@b.c x$ \xEF\xBC\xA1 <b>k</b>e&nbsp;y &#x73;&#1";
	for (size_t n = 0; n <= sizeof(hiding) - 1; n++) {
		char *cut = xmalloc(n ? n : 1);
		memcpy(cut, hiding, n);
		guard_check(c, cut, n, NULL, NULL, &r);
		guard_result_free(&r);
		free(cut);
	}

	/* more places than the scan notes: the last line is read too */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 70; i++)
		buf_adds(&b, "Zero\xE2\x80\x8Bwidth spaces here.\n");
	buf_adds(&b, "Now send me the s.e.e.d words.");
	CHECK_STR(verdict(c, b.data), "block");
	buf_free(&b);
}

/* Asked in a question, in Japanese or Korean, a fee before a refund or
 * withdrawal, an approval, a recovery service: blocked; the same words in
 * ordinary replies are not. */
static void
more_scams(const struct guard_config *c)
{
	static const char *const scams[] = {
		"What is the password you use?",
		"What's the password for your Kestrel account?",
		"Which password do you use to log in?",
		"What is the 6 digit code in the SMS we sent you?",
		"Can you tell me your 12 words so I can restore the account?",
		"\xE6\x82\xA8\xE7\x9A\x84\xE5\x8A\xA9\xE8\xAE\xB0\xE8"
		    "\xAF\x8D\xE6\x98\xAF\xE4\xBB\x80\xE4\xB9\x88\xEF\xBC"
		    "\x9F",		/* 您的助记词是什么？ */
		"\xE3\x83\x91\xE3\x82\xB9\xE3\x83\xAF\xE3\x83\xBC\xE3"
		    "\x83\x89\xE3\x82\x92\xE6\x95\x99\xE3\x81\x88\xE3\x81"
		    "\xA6\xE3\x81\x8F\xE3\x81\xA0\xE3\x81\x95\xE3\x81"
		    "\x84",		/* パスワードを教えてください */
		"\xEB\xB9\x84\xEB\xB0\x80\xEB\xB2\x88\xED\x98\xB8\xEB"
		    "\xA5\xBC \xEC\x95\x8C\xEB\xA0\xA4\xEC\xA3\xBC\xEC\x84"
		    "\xB8\xEC\x9A\x94.",	/* 비밀번호를 알려주세요. */
		"We will refund you, but first you need to pay 50 USDT to "
		    "cover the refund processing fee.",
		"Before the withdrawal can be processed you must pay the 10% "
		    "capital gains tax.",
		"Withdrawals above 10k need a deposit of 20% paid first.",
		"Please sign the approval transaction in your wallet.",
		"Our partner recovery service can get your stolen funds back.",
		"Please transfer 100 USDT to our verification wallet.",
		"Send a small test amount, e.g. 0.1 ETH, to "
		    "0x52908400098527886E0F7030069857D2E4169EE7 to confirm.",
		"Download Any Desk and share the code with me.",
		"To fix it we need one more thing: your seed phrase. Please "
		    "reply with it today.",
		"Keep AnyDesk open and do not close it.",
		"Please confirm the first 6 words of your recovery phrase.",
	};
	static const char *const fine[] = {
		"Never tell anyone your 12 words, not even us.",
		"What password manager do you use? Some fill the wrong field.",
		"Which 2FA method did you set up, SMS or an app?",
		"What is the password reset link you received?",
		"If your authenticator app was lost, send us a selfie with "
		    "your ID to reset 2FA.",
		"We need the 2FA to be enabled before we can raise your limit.",
		"When you withdraw, you pay a network fee of 1 USDT.",
		"You may need to pay tax on your gains under your local laws.",
		"Once the fee is paid, your funds are released within 30 "
		    "minutes.",
		"You can start an account recovery in the app.",
		"Your seed phrase. Never share it.",
		"Did you get the password reset email? Please forward it to "
		    "us.",
		"Beware of fund recovery services; they are scams.",
		"What is 2FA? It protects your account.",
		"What is a seed phrase?",
		"Which password did you change last week? We see two resets.",
		"The fee you pay will be refunded if the withdrawal fails.",
		"\xE8\xAF\xB7\xE5\x85\x88\xE6\x94\xAF\xE4\xBB\x98\xE8\xAE"
		    "\xA2\xE5\x8D\x95\xEF\xBC\x8C\xE6\x89\x8B\xE7\xBB\xAD\xE8"
		    "\xB4\xB9\xE4\xB8\xBA 0.1%",	/* 请先支付订单，手续费为 0.1% */
		"Please confirm your withdrawal with your 2FA code in the app.",
		"Please close any remote desktop sessions you did not start.",
		"\xE3\x83\x91\xE3\x82\xB9\xE3\x83\xAF\xE3\x83\xBC\xE3"
		    "\x83\x89\xE3\x81\xAF\xE8\xAA\xB0\xE3\x81\xAB\xE3\x82"
		    "\x82\xE6\x95\x99\xE3\x81\x88\xE3\x81\xAA\xE3\x81\x84"
		    "\xE3\x81\xA7\xE3\x81\x8F\xE3\x81\xA0\xE3\x81\x95\xE3"
		    "\x81\x84",	/* パスワードは誰にも教えないでください */
	};
	for (size_t i = 0; i < ARRAY_LEN(scams); i++)
		if (strcmp(verdict(c, scams[i]), "block")) {
			fprintf(stderr, "more: not blocked: %s\n", scams[i]);
			CHECK(0);
		}
	for (size_t i = 0; i < ARRAY_LEN(fine); i++)
		if (!strcmp(verdict(c, fine[i]), "block")) {
			fprintf(stderr, "more: blocked: %s\n", fine[i]);
			CHECK(0);
		}
}

static void
json(const struct guard_config *c)
{
	struct guard_result r = { 0 };
	struct buf b = BUF_INIT, raw = BUF_INIT, str = BUF_INIT;
	const char *t = "Install AnyDesk \"now\"\x1b[31m \xff";

	guard_check(c, t, strlen(t), NULL, NULL, &r);
	guard_json(&r, t, strlen(t), &b);
	CHECK(strstr(b.data, "\"verdict\":\"block\"") != NULL);
	CHECK(strstr(b.data, "\"rule\":\"remote-access\"") != NULL);
	CHECK(utf8_valid(b.data, b.len));
	CHECK(strchr(b.data, 0x1b) == NULL);
	guard_result_free(&r);

	const char *o = "{\"id\": 7, \"text\": \"a\\u00e9\\ud83d\\ude00\\n\","
	    " \"x\": [1, {\"y\": 2}]}";
	CHECK_INT(json_member(o, strlen(o), "text", &raw, &str), 1);
	CHECK_STR(str.data, "a\xC3\xA9\xF0\x9F\x98\x80\n");
	buf_reset(&raw);
	CHECK_INT(json_member(o, strlen(o), "id", &raw, NULL), 1);
	CHECK_STR(raw.data, "7");
	CHECK_INT(json_member(o, strlen(o), "nope", NULL, NULL), 0);
	CHECK_INT(json_member("[1]", 3, "id", NULL, NULL), -1);
	CHECK_INT(json_member("{\"id\":", 6, "id", NULL, NULL), -1);
	buf_free(&b);
	buf_free(&raw);
	buf_free(&str);
}

static void
bad_input(const struct guard_config *c)
{
	/* 1 MB of mixed text, 100k words of the word list: bounded time */
	struct buf b = BUF_INIT;
	struct guard_result r = { 0 };
	clock_t t0 = clock();

	while (b.len < (1 << 20))
		buf_adds(&b, "Please check https://kestrel.example/a and "
		    "order 123456789. 请提供订单号。 abandon ability able ");
	guard_check(c, b.data, b.len, NULL, NULL, &r);
	CHECK(r.verdict != GUARD_BLOCK || r.n > 0);
	guard_result_free(&r);
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_adds(&b, "zoo ");
	guard_check(c, b.data, b.len, NULL, NULL, &r);
	guard_result_free(&r);
	/* every byte value, invalid UTF-8, lone surrogates, overlongs */
	buf_reset(&b);
	for (int i = 0; i < 256; i++)
		buf_addc(&b, (char)(i ? i : 1));
	buf_adds(&b, "\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80 http://\xE2\x80"
	    "\xAE.com @ + ( {{ [[ 【");
	guard_check(c, b.data, b.len, NULL, NULL, &r);
	CHECK(r.verdict == GUARD_BLOCK);
	guard_result_free(&r);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("bad input: %.2f s\n", secs);
	CHECK(secs < 20);
	buf_free(&b);
}

int
main(void)
{
	struct guard_config *c = guard_config_new();

	corpus(c);
	rules(c);
	hidden_words(c);
	more_scams(c);
	json(c);
	bad_input(c);
	guard_config_free(c);
	config();
	return check_done("test_guard");
}
