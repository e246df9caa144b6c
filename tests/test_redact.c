/* SPDX-License-Identifier: MIT */
/*
 * Secret redaction: SHA-256 against the FIPS 180-4 example vectors,
 * base58check and the BIP39 checksum, the redaction corpus
 * (tests/corpus/redact.tsv: secrets in the shapes customers paste them,
 * and look-alikes that must stay), the salted hashes the guard uses to
 * catch a secret quoted back, and bad input.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "store/guard.h"
#include "store/redact.h"
#include "store/redact_int.h"
#include "store/store.h"

static void
hex(const uint8_t *h, char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void
sha(void)
{
	uint8_t h[32];
	char s[65];
	struct buf m = BUF_INIT;

	sha256("", 0, h);
	hex(h, s);
	CHECK_STR(s, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855");
	sha256("abc", 3, h);
	hex(h, s);
	CHECK_STR(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	sha256(two, strlen(two), h);
	hex(h, s);
	CHECK_STR(s, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd4"
	    "19db06c1");
	for (int i = 0; i < 1000000; i++)
		buf_addc(&m, 'a');
	sha256(m.data, m.len, h);
	hex(h, s);
	CHECK_STR(s, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39cc"
	    "c7112cd0");
	/* lengths around the padding boundary */
	for (size_t n = 50; n < 70; n++) {
		uint8_t a[32], b[32];
		sha256(m.data, n, a);
		sha256(m.data, n, b);
		CHECK(memcmp(a, b, 32) == 0);
	}
	buf_free(&m);
}

static void
bip39(void)
{
	int idx[24];

	CHECK_STR(bip39_english[0], "abandon");
	CHECK_STR(bip39_english[2047], "zoo");
	CHECK_INT(bip39_en_index("ABANDON", 7), 0);
	CHECK_INT(bip39_en_index("aban", 4), 0);
	CHECK_INT(bip39_en_index("abandonment", 11), -1);
	CHECK_INT(bip39_en_index("the", 3), -1);
	CHECK_INT(bip39_zh_index(0x7684), 0);	/* 的 */
	/* "abandon" x 11 + "about" is the all-zero entropy phrase */
	for (int i = 0; i < 11; i++)
		idx[i] = 0;
	idx[11] = bip39_en_index("about", 5);
	CHECK(bip39_checksum_ok(idx, 12));
	idx[11] = bip39_en_index("abandon", 7);
	CHECK(!bip39_checksum_ok(idx, 12));
	/* 24 words: 23 x abandon + art */
	for (int i = 0; i < 23; i++)
		idx[i] = 0;
	idx[23] = bip39_en_index("art", 3);
	CHECK(bip39_checksum_ok(idx, 24));
	CHECK(!bip39_checksum_ok(idx, 11));
}

/* HMAC-SHA512: RFC 4231 test case 2 */
static void
hmac512(void)
{
	uint8_t h[64];
	char s[129];

	redact_hmac_sha512("Jefe", 4, "what do ya want for nothing?", 28, h);
	for (int i = 0; i < 64; i++)
		snprintf(s + 2 * i, 3, "%02x", h[i]);
	CHECK_STR(s, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7"
	    "ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a"
	    "38bce737");
}

static void
base58(void)
{
	uint8_t out[64];
	/* "1" is one zero byte; "2g" is 0x61 */
	CHECK_INT(base58_decode("1", 1, out, sizeof(out)), 1);
	CHECK_INT(out[0], 0);
	CHECK_INT(base58_decode("2g", 2, out, sizeof(out)), 1);
	CHECK_INT(out[0], 0x61);
	CHECK_INT(base58_decode("0OIl", 4, out, sizeof(out)), -1);
}

struct corpus_run {
	int secrets, found, clean, touched;
};

static void
corpus_line(const char *label, char *text, void *arg)
{
	struct corpus_run *run = arg;
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;
	size_t n = redact_text(text, strlen(text), "salt", &out, &res);

	if (!strcmp(label, "clean")) {
		run->clean++;
		if (n || strcmp(out.data, text) != 0) {
			run->touched++;
			fprintf(stderr, "corpus: touched %s -> %s\n", text,
			    out.data);
		}
	} else {
		run->secrets++;
		if (n && strstr(out.data, "redacted"))
			run->found++;
		else
			fprintf(stderr, "corpus: missed %s: %s\n", label, text);
		CHECK(res.n_hashes > 0);
	}
	redact_result_free(&res);
	buf_free(&out);
}

static void
corpus(void)
{
	struct corpus_run run = { 0 };

	check_corpus("redact.tsv", corpus_line, &run);
	printf("secrets removed %d/%d, look-alikes touched %d/%d\n", run.found,
	    run.secrets, run.touched, run.clean);
	CHECK_INT(run.found, run.secrets);
	CHECK_INT(run.touched, 0);
}

/* Text that must stay as it is, though it looks like a secret. */
static void
kept_whole(const char *text)
{
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;

	CHECK_INT(redact_text(text, strlen(text), "salt", &out, &res), 0);
	CHECK_STR(out.data, text);
	redact_result_free(&res);
	buf_free(&out);
}

/* The secret is gone, the text around it stays. */
static void
gone(const char *text, const char *secret, const char *kept)
{
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;

	CHECK(redact_text(text, strlen(text), "salt", &out, &res) > 0);
	if (strstr(out.data, secret) || !strstr(out.data, kept)) {
		fprintf(stderr, "%s -> %s\n", text, out.data);
		CHECK(0);
	}
	redact_result_free(&res);
	buf_free(&out);
}

/* Blocks: a PEM key (whole or cut), a keystore's ciphertext, backup
 * codes; passwords after a traditional 密碼 or "pass is". */
static void
blocks(void)
{
	gone("key:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBx7Qk2a9fE0pLq"
	    "\nZ1tR8vUw==\n-----END EC PRIVATE KEY-----\nthanks", "MHcCAQEE",
	    "thanks");
	gone("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA"
	    "\nQyNTUxOQAAACB9\n\nwhat now?", "QyNTUxOQ", "what now?");
	gone("{\"crypto\":{\"ciphertext\":\"7c1d4e0f9a2b3c4d5e6f7a8b9c0d1e2f"
	    "3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d\",\"kdf\":\"scrypt\"}}",
	    "7c1d4e0f", "scrypt");
	gone("my backup codes: 4860-8291 9000-6001, 1099-0967\nplease",
	    "9000-6001", "please");
	gone("谷歌备用码是 38a9k2p1 77q2m8x0 请帮我", "77q2m8x0", "请帮我");
	gone("密碼是Qwe123456，帳號是 a@b.c", "Qwe123456", "帳號是");
	gone("my pass is Xk9mq2Lz I think", "Xk9mq2Lz", "I think");
	gone("login: li@x.io pw: sunFlower_88", "sunFlower_88", "li@x.io");
	gone("资金口令是 778899ab 谢谢", "778899ab", "谢谢");
	gone("secret key = 9fK2mQ7xLp3vR8tW1zY6", "9fK2mQ7xLp3vR8tW1zY6", "secret");
	kept_whole("my boarding pass is expired and my backup codes are lost");
	kept_whole("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0\n"
	    "-----END PUBLIC KEY-----");
}

static void
look_alikes(void)
{
	/* a clause of 12 list characters whose checksum holds by chance */
	kept_whole("你好，请帮忙看一下我的提币记录。");
	kept_whole("请帮忙看一下我的提币记录");
}

static void
quoted_back(void)
{
	const char *customer = "help!! my seed: abandon amount liar amount "
	    "expire adjust cage candy arch gather drum buyer and my "
	    "password is Hunter2-x";
	struct redact_result res = { 0 };
	struct redact_hashes hs = { 0 };
	struct guard_result r = { 0 };
	struct buf out = BUF_INIT;
	const char *h;

	CHECK_INT(redact_text(customer, strlen(customer), "s4lt", &out, &res),
	    2);
	CHECK(strstr(out.data, "[seed phrase redacted: 12 words]") != NULL);
	CHECK(strstr(out.data, "[password redacted]") != NULL);
	CHECK(strstr(out.data, "Hunter2") == NULL);
	h = res.hashes.data;
	for (size_t i = 0; i < res.n_hashes; i++, h += 33)
		redact_hashes_add(&hs, h);
	hs.salt = xstrdup("s4lt");
	/* three words of it in order, or the password, come back: block */
	const char *r1 = "Is it 'expire adjust cage'? Please check.";
	redact_guard_scan(r1, strlen(r1), &hs, &r);
	CHECK_INT(r.verdict, GUARD_BLOCK);
	guard_result_free(&r);
	const char *r2 = "We reset Hunter2-x for you.";
	redact_guard_scan(r2, strlen(r2), &hs, &r);
	CHECK_INT(r.verdict, GUARD_BLOCK);
	guard_result_free(&r);
	const char *r3 = "We will abandon the old cage about this.";
	redact_guard_scan(r3, strlen(r3), &hs, &r);
	CHECK_INT(r.verdict, GUARD_OK);
	guard_result_free(&r);
	/* another salt: nothing matches */
	free(hs.salt);
	hs.salt = xstrdup("other");
	redact_guard_scan(r2, strlen(r2), &hs, &r);
	CHECK_INT(r.verdict, GUARD_OK);
	guard_result_free(&r);
	redact_hashes_free(&hs);
	redact_result_free(&res);
	buf_free(&out);
}

/* A ticket where a customer pasted a long run of list words holds many
 * hashes (looked up through a table past 32 of them): a reply quoting
 * three words of a phrase in order is still caught, one with the same
 * words out of order is not, and a long reply on such a ticket takes
 * moments (a minute for 1 MB when every word scanned every hash). */
static void
quoted_back_many(void)
{
	struct redact_result res = { 0 };
	struct redact_hashes hs = { 0 };
	struct guard_result r = { 0 };
	struct buf b = BUF_INIT, reply = BUF_INIT;
	const char *h;
	clock_t t0;

	for (int i = 0; i < 20000; i++) {
		buf_adds(&b, bip39_english[(i * 7919 + 5) % 2048]);
		buf_addc(&b, ' ');
	}
	redact_text(b.data, b.len, "s4lt", NULL, &res);
	CHECK(res.n > 10);
	CHECK(res.n_hashes >= 32);
	h = res.hashes.data;
	for (size_t i = 0; i < res.n_hashes; i++, h += 33)
		redact_hashes_add(&hs, h);
	hs.salt = xstrdup("s4lt");
	/* the first three words of the last phrase found, in order */
	const struct redact_finding *f = &res.f[res.n - 1];
	size_t e = f->start;
	for (int w = 0; w < 3; w++) {
		e += strcspn(b.data + e, " ");
		e += w < 2;
	}
	buf_adds(&reply, "You wrote: ");
	buf_add(&reply, b.data + f->start, e - f->start);
	redact_guard_scan(reply.data, reply.len, &hs, &r);
	CHECK_INT(r.verdict, GUARD_BLOCK);
	CHECK(r.n > 0 && !strcmp(r.r[0].rule, "quotes-secret"));
	guard_result_free(&r);
	/* the same three words backwards */
	buf_reset(&reply);
	for (int w = 2; w >= 0; w--) {
		size_t a = f->start;
		for (int k = 0; k < w; k++)
			a += strcspn(b.data + a, " ") + 1;
		buf_add(&reply, b.data + a, strcspn(b.data + a, " "));
		buf_addc(&reply, ' ');
	}
	redact_guard_scan(reply.data, reply.len, &hs, &r);
	CHECK_INT(r.verdict, GUARD_OK);
	guard_result_free(&r);
	/* a reply as long as the paste */
	t0 = clock();
	redact_guard_scan(b.data, b.len, &hs, &r);
	CHECK_INT(r.verdict, GUARD_BLOCK);
	printf("20k-word reply against %zu hashes: %.2f s\n", hs.n,
	    (double)(clock() - t0) / CLOCKS_PER_SEC);
	guard_result_free(&r);
	redact_hashes_free(&hs);
	redact_result_free(&res);
	buf_free(&b);
	buf_free(&reply);
}

static void
bad_input(void)
{
	struct redact_result res = { 0 };
	struct buf b = BUF_INIT, out = BUF_INIT;
	clock_t t0 = clock();

	/* 100k words, all from the list: bounded, and every byte accounted
	 * for (text or a marker) */
	for (int i = 0; i < 100000; i++) {
		buf_adds(&b, bip39_english[(i * 7919) % 2048]);
		buf_addc(&b, ' ');
	}
	redact_text(b.data, b.len, NULL, &out, &res);
	CHECK(out.len > 0);
	printf("100k list words: %zu phrases found\n", res.n);
	buf_reset(&b);
	buf_reset(&out);
	/* 1 MB of one character, and of digits */
	for (int i = 0; i < (1 << 20); i++)
		buf_addc(&b, i % 7 ? '7' : ' ');
	redact_text(b.data, b.len, NULL, &out, &res);
	buf_reset(&b);
	buf_reset(&out);
	for (int i = 0; i < 256; i++)
		buf_addc(&b, (char)i);
	redact_text(b.data, b.len, NULL, &out, &res);
	CHECK_INT(out.len, 256);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("bad input: %.2f s\n", secs);
	CHECK(secs < 30);
	redact_result_free(&res);
	buf_free(&b);
	buf_free(&out);
}

/* Every word of a phrase is gone from the text, whatever its shape; the
 * prose around it stays. */
static void
seed_whole(const char *text, const char *const *words, size_t n,
    const char *kept)
{
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;

	CHECK(redact_text(text, strlen(text), "salt", &out, &res) > 0);
	for (size_t i = 0; i < n; i++)
		if (strstr(out.data, words[i]) != NULL) {
			fprintf(stderr, "seed word %s left in: %s\n", words[i],
			    out.data);
			CHECK(0);
		}
	if (kept && !strstr(out.data, kept)) {
		fprintf(stderr, "lost \"%s\": %s\n", kept, out.data);
		CHECK(0);
	}
	redact_result_free(&res);
	buf_free(&out);
}

static void
seed_shapes(void)
{
	/* split by prose that holds a list word ("then") */
	static const char *const a[] = { "depend", "negative", "theme",
	    "fortune", "garlic", "paddle", "grape", "online", "forest",
	    "oil", "ankle", "wolf", "bleak", "letter", "spice", "uniform",
	    "bread", "empower" };
	seed_whole("I wrote: depend negative theme fortune garlic paddle "
	    "grape online forest\nand then on the back oil ankle wolf bleak "
	    "letter spice uniform bread empower", a, 18, "I wrote:");
	/* numbered columns, list words after them */
	static const char *const b[] = { "bike", "exotic", "jeans", "lunar",
	    "inside", "winter", "mask", "mean", "ability", "wolf", "erase",
	    "symptom" };
	seed_whole("Seed:\n1. bike    7. mask\n2. exotic    8. mean\n"
	    "3. jeans    9. ability\n4. lunar    10. wolf\n5. inside    "
	    "11. erase\n6. winter    12. symptom\nplease help fast",
	    b, 12, "please help fast");
	/* prose with two list words inside: a window passes by chance from
	 * the third word; the first two go with it */
	static const char *const c[] = { "victory", "tube", "moon", "sort",
	    "hero", "couple", "group", "isolate", "current", "access",
	    "spot", "offer" };
	seed_whole("my seed victory tube moon sort hero couple (that's the "
	    "first half) group isolate current access spot offer thanks", c,
	    12, "my seed ");
}

/* Fewer words than a phrase, a checksum that is not BIP39's, a Chinese
 * phrase written on from its label: after a label, all of it goes. */
static void
labelled_shapes(void)
{
	static const char *const a[] = { "occur", "possible", "leisure",
	    "little", "foil", "upgrade", "economy", "ketchup", "ten", "crazy",
	    "flight" };
	seed_whole("my seed is occur possible leisure little foil upgrade "
	    "economy ketchup ten crazy flight", a, 11, "my seed is");
	static const char *const b[] = { "dignity", "close", "chunk",
	    "penalty", "thought", "roof", "write", "medal", "sweet" };
	seed_whole("Seed phrase: dignity close chunk penalty thought roof "
	    "write medal sweet and the rest I forgot", b, 9,
	    "and the rest I forgot");
	/* an Electrum seed: list words, its own checksum */
	static const char *const c[] = { "soda", "paddle", "slim",
	    "hamster", "gym", "fee", "cheap", "matrix", "earth", "shoulder",
	    "reject", "absorb" };
	seed_whole("Electrum seed: soda paddle slim hamster gym fee cheap "
	    "matrix earth shoulder reject absorb thanks", c, 12, "thanks");
	static const char *const d[] = { "夺嘛促均伍料疫尽态训涌粘" };
	seed_whole("助记词是夺嘛促均伍料疫尽态训涌粘请帮我", d, 1, "请帮我");
	static const char *const e[] = { "心", "械", "扫", "影", "顺", "测",
	    "寸", "冒", "求", "唱" };
	seed_whole("助记词：心 械 扫 影 顺 测 寸 冒 求 唱", e, 10, "助记词");
	/* traditional characters, standing alone */
	static const char *const g[] = { "呼", "汁", "潑", "蓄", "跳", "赫", "體", "盡", "持", "糖", "毫", "溪" };
	seed_whole("我的錢包助記詞：呼 汁 潑 蓄 跳 赫 體 盡 持 糖 毫 溪", g, 12, "我的錢包助記詞");
	/* typos after the first four letters, where a label says so */
	static const char *const t[] = { "swap", "sustain", "turtle",
	    "burden", "stadiun", "becoem", "isolat", "circle", "erase",
	    "oyster", "sing", "suspect" };
	seed_whole("Recovery phrase: swap sustain turtle burden stadiun becoem "
	    "isolat circle erase oyster sing suspect pls help", t, 12,
	    "pls help");
	/* "Seed" and the first 11 words pass the checksum too: a phrase
	 * never starts at a word with a colon after it */
	static const char *const v[] = { "minimum", "cave", "guard",
	    "practice", "notable", "oxygen", "flash", "noble", "royal",
	    "satisfy", "universe", "bonus" };
	seed_whole("Seed:\nminimum cave guard practice\nnotable oxygen flash "
	    "noble\nroyal satisfy universe bonus\n\nThanks", v, 12, "Seed:");
	/* an Electrum seed (segwit version 100), no label, not BIP39 */
	static const char *const x[] = { "worry", "wheat", "divert",
	    "exhibit", "shrug", "quit", "border", "feature", "stadium", "once",
	    "aerobic", "pool" };
	seed_whole("I typed worry wheat divert exhibit shrug quit border feature "
	    "stadium once aerobic pool into the app and it failed", x, 12,
	    "into the app");
	/* a typo in the first letters: an unknown word between list words */
	static const char *const u[] = { "link", "audit", "qauntum", "trap",
	    "region", "depth", "system", "online", "scrub", "divide", "key",
	    "armed", "sister", "marriage", "cruise" };
	seed_whole("my seed words are link audit qauntum trap region depth "
	    "system online scrub divide key armed sister marriage cruise\n"
	    "thanks, Li", u, 15, "thanks, Li");
	kept_whole("my seed phrase was stolen yesterday, someone used it to "
	    "empty my wallet. what can you do about the recovery words?");
	/* a whole run of characters, no label: the checksum and the
	 * list's order (random characters, not prose) say it */
	static const char *const h[] = { "云左姿库既夫下璃王酱柱脂" };
	seed_whole("云左姿库既夫下璃王酱柱脂\n钱没了", h, 1, "钱没了");
	static const char *const i[] = { "雪泥判绒扣鸣俄振芳肚润令束港租务顺否音配"
	    "饰掘斯湘" };
	seed_whole("怎么办！雪泥判绒扣鸣俄振芳肚润令束港租务顺否音配饰掘斯湘", i, 1,
	    "怎么办！");
	/* a 2FA setup key in groups, a keypair file's bytes */
	static const char *const f[] = { "hisg", "spoq", "mpaj", "4vt5" };
	seed_whole("谷歌验证器密钥：hisg spoq mpaj 4vt5 请帮我重置", f, 4,
	    "请帮我重置");
}

/* BIP39's other lists: accents or none, any case, NFD, ideographic
 * spaces, numbered; and a phrase in mail HTML, a tag between words. */
static void
other_lists(void)
{
	static const char *const es[] = { "negro", "oscuro", "seta", "gratis",
	    "llevar", "lienzo", "maestro", "bolero", "coccion", "cruz",
	    "remo", "sardina" };
	seed_whole("mi frase: negro oscuro seta gratis llevar lienzo maestro "
	    "bolero coccion cruz remo sardina, gracias", es, 12, "gracias");
	static const char *const fr[] = { "BOUSSOLE", "STERNUM", "INCENDIE",
	    "IMPACT", "LUTTER", "VASSAL", "TITANE", "LECTRON", "INCIDENT",
	    "FUGITIF", "IMP", "HONNEUR" };
	seed_whole("Bonjour : BOUSSOLE STERNUM INCENDIE IMPACT LUTTER VASSAL "
	    "TITANE \xC3\x89LECTRON INCIDENT FUGITIF IMPE\xCC\x81RIAL HONNEUR "
	    "merci", fr, 12, "merci");
	static const char *const ja[] = { "にりんしゃ", "つごう", "せいげん",
	    "さみだれ", "もえる", "やける", "おうふく", "しゅくはく",
	    "にってい", "いりょう", "がんか", "いじわる" };
	seed_whole("復元フレーズ：にりんしゃ　つごう　せいげん　さみだれ　もえる　"
	    "やける　おうふく　しゅくはく　にってい　いりょう　がんか　いじわる"
	    "　よろしく", ja, 12, "よろしく");
	static const char *const ko[] = { "월세", "지갑", "장점", "타자기",
	    "오페라", "열기", "비타민", "한눈", "통제", "법원", "판매", "장미" };
	seed_whole("1. 월세\n2. 지갑\n3. 장점\n4. 타자기\n5. 오페라\n6. 열기\n"
	    "7. 비타민\n8. 한눈\n9. 통제\n10. 법원\n11. 판매\n12. 장미\n"
	    "도와주세요", ko, 12, "도와주세요");
	static const char *const en[] = { "rib", "bullet", "sick", "subject",
	    "angle", "rain", "slush", "april", "skill", "tube", "elevator",
	    "filter" };
	seed_whole("<div>my words</div><div>rib<br>bullet<br>sick<br>subject"
	    "<br>angle<br>rain<br>slush<br>april<br>skill<br>tube<br>"
	    "elevator<br>filter</div><div>&nbsp;thanks</div>", en, 12,
	    "thanks");
}

int
main(void)
{
	sha();
	bip39();
	base58();
	hmac512();
	corpus();
	seed_shapes();
	labelled_shapes();
	other_lists();
	look_alikes();
	blocks();
	quoted_back();
	quoted_back_many();
	bad_input();
	return check_done("test_redact");
}
