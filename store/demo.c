/* SPDX-License-Identifier: MIT */
/*
 * The offline demo desk: a deterministic queue of a crypto exchange's
 * support team, generated from a seed and fed through the same JSON ingest
 * path as sync, so `tdesk demo` looks and behaves like a real desk.
 */
#include "store/demo_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- content: everything a customer or an agent says ------------------- */

/*
 * The words live in text.yaml (installed in share/tdesk/demo/), loaded by
 * demo_words_load. Templates use {slot} placeholders filled per ticket (see
 * demo_slots). Index 0 of each pair is English, 1 is Simplified Chinese.
 */
const char *const demo_group_names[G_COUNT] = {
	"Account Security", "Deposits & Withdrawals", "KYC", "Trading",
	"Compliance", "API Support", "Tier 1",
};

const struct demo_topic demo_topics[TP_COUNT] = {
	[TP_LOCK] = { 7, G_TIER1, "question", 1, 8, CH_ANY, LONG_NONE,
	    { "login", "account_locked" }, "lock" },
	[TP_PWD] = { 5, G_TIER1, "question", 1, 5, CH_ANY, LONG_NONE,
	    { "login", "password_reset" }, "pwd" },
	[TP_2FA] = { 8, G_SECURITY, "question", 1, 6, CH_ANY, LONG_NONE,
	    { "2fa", "login" }, "tfa" },
	[TP_KYCS] = { 7, G_KYC, "question", 0, 5, CH_NONE, LONG_NONE,
	    { "kyc", "kyc_pending" }, "kycs" },
	[TP_KYCR] = { 6, G_KYC, "question", 1, 5, CH_NONE, LONG_NONE,
	    { "kyc", "kyc_rejected" }, "kycr" },
	[TP_DEP] = { 12, G_FUNDS, "incident", 1, 8, CH_ANY, LONG_DEPOSITS,
	    { "deposit" }, "dep" },
	[TP_WD] = { 9, G_FUNDS, "incident", 1, 8, CH_ANY, LONG_NONE,
	    { "withdrawal" }, "wd" },
	[TP_NET] = { 4, G_FUNDS, "question", 1, 10, CH_WRONGNET, LONG_NONE,
	    { "deposit", "wrong_network" }, "net" },
	[TP_MEMO] = { 4, G_FUNDS, "question", 1, 8, CH_MEMO, LONG_NONE,
	    { "deposit", "missing_memo" }, "memo" },
	[TP_SLIP] = { 4, G_TRADING, "question", 1, 5, CH_NONE, LONG_ORDERS,
	    { "trading", "slippage" }, "slip" },
	[TP_LIQ] = { 6, G_TRADING, "incident", 2, 10, CH_NONE, LONG_ORDERS,
	    { "futures", "liquidation" }, "liq" },
	[TP_MM] = { 3, G_TRADING, "question", 1, 3, CH_NONE, LONG_NONE,
	    { "futures", "margin_mode" }, "mm" },
	[TP_FEE] = { 3, G_TRADING, "question", 0, 0, CH_NONE, LONG_NONE,
	    { "trading", "fees" }, "fee" },
	[TP_HACK] = { 5, G_SECURITY, "incident", 3, 35, CH_ANY, LONG_NONE,
	    { "security", "account_takeover" }, "hack" },
	[TP_UNAUTH] = { 4, G_SECURITY, "incident", 3, 30, CH_ANY, LONG_NONE,
	    { "security", "unauthorized_withdrawal" }, "unauth" },
	[TP_FRZ] = { 3, G_SECURITY, "problem", 2, 20, CH_ANY, LONG_NONE,
	    { "account_frozen" }, "frz" },
	[TP_AML] = { 3, G_COMPLIANCE, "task", 1, 5, CH_ANY, LONG_NONE,
	    { "compliance_hold", "aml_review" }, "aml" },
	[TP_REG] = { 2, G_COMPLIANCE, "question", 0, 0, CH_NONE, LONG_NONE,
	    { "compliance", "regional_restriction" }, "reg" },
	[TP_LAW] = { 1, G_COMPLIANCE, "task", 2, 0, CH_ANY, LONG_NONE,
	    { "compliance", "legal_request" }, "law" },
	[TP_KEY] = { 3, G_API, "problem", 1, 5, CH_NONE, LONG_WSLOG,
	    { "api", "api_key" }, "key" },
	[TP_RATE] = { 2, G_API, "question", 0, 3, CH_NONE, LONG_WSLOG,
	    { "api", "rate_limit" }, "rate" },
	[TP_WS] = { 2, G_API, "problem", 0, 3, CH_NONE, LONG_WSLOG,
	    { "api", "websocket" }, "ws" },
};

/* --- the people ------------------------------------------------------ */

const struct demo_agent demo_agents[DEMO_N_AGENTS] = {
	{ "Chen Lin", "chen.lin@kestrel.example", "en-US", G_TIER1 },
	{ "Priya Raman", "priya.raman@kestrel.example", "en-US",
	    G_COMPLIANCE },
	{ "张敏", "zhang.min@kestrel.example", "zh-CN", G_KYC },
	{ "Marco Bianchi", "marco.bianchi@kestrel.example", "en-US",
	    G_TRADING },
	{ "Sara Okonkwo", "sara.okonkwo@kestrel.example", "en-US", G_API },
	{ "王磊", "wang.lei@kestrel.example", "zh-CN", G_SECURITY },
	{ "Tom Eriksen", "tom.eriksen@kestrel.example", "en-US", G_TIER1 },
	{ "刘洋", "liu.yang@kestrel.example", "zh-CN", G_FUNDS },
};

static const int demo_zh_agents[] = { 2, 5, 7 };

static const char *const en_locales[] = {
	"en-US", "en-US", "en-US", "en-GB", "en-GB", "en-AU", "en-CA",
	"en-SG",
};
/* Customers elsewhere in the world, writing English. */
static const struct demo_foreign {
	const char *locale;
	const char *first;
	const char *full;
	const char *mail;
} demo_foreigners[] = {
	{ "de", "Jonas", "Jonas Becker", "jonas.becker" },
	{ "es", "Lucía", "Lucía Fernández", "lucia.fdez" },
	{ "pt-BR", "Rafael", "Rafael Souza", "rafa.souza" },
	{ "ru", "Dmitri", "Dmitri Volkov", "d.volkov" },
	{ "tr", "Emre", "Emre Yılmaz", "emre.yilmaz" },
	{ "vi", "Thảo", "Nguyễn Thị Thảo", "thao.nguyen" },
	{ "ko", "Min-jun", "Kim Min-jun", "minjun.kim" },
	{ "ja", "Yuki", "Sato Yuki", "yuki.sato" },
	{ "fr", "Camille", "Camille Laurent", "camille.laurent" },
	{ "id", "Putri", "Putri Santoso", "putri.santoso" },
	{ "pl", "Kasia", "Katarzyna Nowak", "k.nowak" },
	{ "uk", "Oksana", "Oksana Kovalenko", "oksana.kov" },
};

static const char *const mail_domains[] = {
	"example.com", "example.net", "example.org", "mail.example.com",
};

/* --- coins, chains, markets ----------------------------------------- */

enum demo_tx { TX_0X, TX_HEX, TX_HEXUP, TX_B58 };
enum demo_addr {
	AD_0X, AD_TRON, AD_BC1, AD_B58, AD_XRP, AD_XLM, AD_EOS, AD_DOGE,
	AD_LTC
};

struct demo_chain {
	const char *coin;
	const char *net;
	const char *net2;	/* the network the address was for */
	enum demo_tx tx;
	enum demo_addr addr;
	const char *memo;	/* NULL, "Destination Tag", "Memo" */
	double lo, hi;
	int decimals;
};

static const struct demo_chain demo_chains[] = {
	{ "USDT", "TRC20 (Tron)", NULL, TX_HEX, AD_TRON, NULL, 20, 250000, 2 },
	{ "USDT", "ERC20 (Ethereum)", NULL, TX_0X, AD_0X, NULL, 50, 250000, 2 },
	{ "USDT", "BEP20 (BNB Smart Chain)", NULL, TX_0X, AD_0X, NULL, 20,
	    90000, 2 },
	{ "USDC", "Solana", NULL, TX_B58, AD_B58, NULL, 20, 80000, 2 },
	{ "BTC", "Bitcoin", NULL, TX_HEX, AD_BC1, NULL, 0.002, 3, 4 },
	{ "BTC", "Bitcoin", NULL, TX_HEX, AD_BC1, NULL, 0.01, 1.5, 4 },
	{ "ETH", "Ethereum", NULL, TX_0X, AD_0X, NULL, 0.05, 60, 3 },
	{ "ETH", "Arbitrum One", NULL, TX_0X, AD_0X, NULL, 0.05, 20, 3 },
	{ "SOL", "Solana", NULL, TX_B58, AD_B58, NULL, 1, 800, 2 },
	{ "TRX", "Tron", NULL, TX_HEX, AD_TRON, NULL, 100, 300000, 0 },
	{ "DOGE", "Dogecoin", NULL, TX_HEX, AD_DOGE, NULL, 100, 900000, 0 },
	{ "LTC", "Litecoin", NULL, TX_HEX, AD_LTC, NULL, 0.5, 300, 3 },
	{ "XRP", "XRP Ledger", NULL, TX_HEXUP, AD_XRP, "Destination Tag", 20,
	    90000, 2 },
};

static const struct demo_chain demo_memo_chains[] = {
	{ "XRP", "XRP Ledger", NULL, TX_HEXUP, AD_XRP, "Destination Tag", 20,
	    90000, 2 },
	{ "XLM", "Stellar", NULL, TX_HEX, AD_XLM, "Memo", 50, 200000, 0 },
	{ "EOS", "EOS", NULL, TX_HEX, AD_EOS, "Memo", 5, 8000, 2 },
	{ "XRP", "XRP Ledger", NULL, TX_HEXUP, AD_XRP, "Destination Tag",
	    200, 20000, 0 },
};

static const struct demo_chain demo_wrongnet_chains[] = {
	{ "USDT", "BEP20 (BNB Smart Chain)", "ERC20 (Ethereum)", TX_0X, AD_0X,
	    NULL, 50, 60000, 2 },
	{ "USDT", "ERC20 (Ethereum)", "BEP20 (BNB Smart Chain)", TX_0X, AD_0X,
	    NULL, 50, 60000, 2 },
	{ "ETH", "Arbitrum One", "Ethereum", TX_0X, AD_0X, NULL, 0.05, 10,
	    3 },
	{ "ETH", "Optimism", "Ethereum", TX_0X, AD_0X, NULL, 0.05, 10, 3 },
	{ "USDC", "Polygon", "Ethereum", TX_0X, AD_0X, NULL, 50, 40000, 2 },
};

static const struct demo_pair {
	const char *name;
	double price;
	int decimals;
} demo_pairs[] = {
	{ "BTCUSDT", 64250, 1 }, { "ETHUSDT", 3120, 2 },
	{ "SOLUSDT", 146, 3 }, { "BNBUSDT", 592, 2 },
	{ "XRPUSDT", 0.52, 4 }, { "DOGEUSDT", 0.153, 5 },
	{ "BTCUSDT", 64250, 1 }, { "ETHUSDT", 3120, 2 },
};

static const char *const demo_levs[] = {
	"5x", "10x", "20x", "20x", "25x", "50x", "75x", "100x", "125x",
};
/* --- one ticket ------------------------------------------------------ */

/* The values a ticket's templates draw from. */
struct demo_slots {
	char name[64], fullname[64], agent[64];
	char coin[16], net[40], net2[40], amount[40], tx[100], addr[80];
	char memo_name[40], memo[24], pair[16], lev[8], price[32];
	char order[24], time[24], date[16], uid[16], ip[20], doc[40];
	char casen[24], fee[32], country[40], dup[24];
};

static void
demo_tag(struct demo_ticket *t, const char *tag)
{
	for (int i = 0; i < t->ntags; i++)
		if (strcmp(t->tags[i], tag) == 0)
			return;
	if (t->ntags < DEMO_MAX_TAGS)
		t->tags[t->ntags++] = tag;
}

static void
demo_amount(struct demo_rng *r, const struct demo_chain *c, char *out,
    size_t cap)
{
	double v = c->lo * pow(c->hi / c->lo, rng_unit(r));
	int dec = c->decimals;

	if (rng_pct(r, 30) && v >= 20) {	/* people like round numbers */
		v = (double)(int64_t)(v / 10) * 10;
		dec = 0;
	}
	snprintf(out, cap, "%.*f", dec, v);
}

static void
demo_tx(struct demo_rng *r, enum demo_tx kind, char *out)
{
	switch (kind) {
	case TX_0X:
		out[0] = '0';
		out[1] = 'x';
		rng_chars(r, out + 2, "0123456789abcdef", 64);
		break;
	case TX_HEX:
		rng_chars(r, out, "0123456789abcdef", 64);
		break;
	case TX_HEXUP:
		rng_chars(r, out, "0123456789ABCDEF", 64);
		break;
	case TX_B58:
		rng_chars(r, out, "123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
		    "abcdefghijkmnopqrstuvwxyz", 87);
		break;
	}
}

static void
demo_addr(struct demo_rng *r, enum demo_addr kind, char *out)
{
	static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	    "abcdefghijkmnopqrstuvwxyz";
	static const char bech[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

	switch (kind) {
	case AD_0X:
		memcpy(out, "0x", 2);
		rng_chars(r, out + 2, "0123456789abcdef", 40);
		break;
	case AD_TRON:
		out[0] = 'T';
		rng_chars(r, out + 1, b58, 33);
		break;
	case AD_BC1:
		memcpy(out, "bc1q", 4);
		rng_chars(r, out + 4, bech, 38);
		break;
	case AD_B58:
		rng_chars(r, out, b58, 44);
		break;
	case AD_XRP:
		out[0] = 'r';
		rng_chars(r, out + 1, b58, 33);
		break;
	case AD_XLM:
		out[0] = 'G';
		rng_chars(r, out + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 55);
		break;
	case AD_EOS:
		rng_chars(r, out, "abcdefghijklmnopqrstuvwxyz12345", 12);
		break;
	case AD_DOGE:
		out[0] = 'D';
		rng_chars(r, out + 1, b58, 33);
		break;
	case AD_LTC:
		memcpy(out, "ltc1q", 5);
		rng_chars(r, out + 5, bech, 38);
		break;
	}
}

static void
demo_clock(int64_t t, const char *fmt, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, cap, fmt, &tm);
}

static void
demo_slots_fill(struct demo_desk *d, struct demo_ticket *t,
    struct demo_slots *s)
{
	struct demo_rng *r = &d->rng;
	const struct demo_topic *tp = &demo_topics[t->topic];
	const struct demo_chain *c;
	const struct demo_pair *p;
	int zh = t->cust->zh;
	double px;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", t->cust->first);
	snprintf(s->fullname, sizeof(s->fullname), "%s", t->cust->name);
	if (tp->chain == CH_MEMO)
		c = &PICK(r, demo_memo_chains);
	else if (tp->chain == CH_WRONGNET)
		c = &PICK(r, demo_wrongnet_chains);
	else
		c = &PICK(r, demo_chains);
	snprintf(s->coin, sizeof(s->coin), "%s", c->coin);
	snprintf(s->net, sizeof(s->net), "%s", c->net);
	snprintf(s->net2, sizeof(s->net2), "%s", c->net2 ? c->net2 : c->net);
	demo_amount(r, c, s->amount, sizeof(s->amount));
	demo_tx(r, c->tx, s->tx);
	demo_addr(r, c->addr, s->addr);
	if (c->memo && strcmp(c->memo, "Memo") == 0)
		snprintf(s->memo_name, sizeof(s->memo_name), "%s",
		    zh ? "备注(Memo)" : "Memo");
	else
		snprintf(s->memo_name, sizeof(s->memo_name), "%s",
		    zh ? "标签(Tag)" : "Destination Tag");
	snprintf(s->memo, sizeof(s->memo), "%" PRId64,
	    rng_range(r, 100000, 999999999));

	p = &PICK(r, demo_pairs);
	snprintf(s->pair, sizeof(s->pair), "%s", p->name);
	px = p->price * (0.92 + 0.16 * rng_unit(r));
	snprintf(s->price, sizeof(s->price), "%.*f", p->decimals, px);
	snprintf(s->lev, sizeof(s->lev), "%s", PICK(r, demo_levs));
	snprintf(s->order, sizeof(s->order), "8%" PRId64 "%09" PRId64,
	    rng_range(r, 10000000, 99999999), rng_range(r, 0, 999999999));
	snprintf(s->fee, sizeof(s->fee), "%" PRId64 ".%02" PRId64 " USDT",
	    rng_range(r, 3, 480), rng_range(r, 0, 99));

	demo_clock(t->created - rng_range(r, 600, 3 * 3600), "%H:%M UTC",
	    s->time, sizeof(s->time));
	demo_clock(t->created - rng_range(r, 1, 12) * 86400, "%Y-%m-%d",
	    s->date, sizeof(s->date));
	snprintf(s->uid, sizeof(s->uid), "%" PRId64,
	    rng_range(r, 10000000, 899999999));
	snprintf(s->ip, sizeof(s->ip), "%s.%" PRId64,
	    rng_pct(r, 50) ? "198.51.100" : "203.0.113",
	    rng_range(r, 2, 254));
	snprintf(s->doc, sizeof(s->doc), "%s",
	    rng_pool(r, d->w->docs[zh]));
	snprintf(s->country, sizeof(s->country), "%s",
	    rng_pool(r, d->w->countries[zh]));
	snprintf(s->casen, sizeof(s->casen), "%" PRId64,
	    rng_range(r, 1000000, 9999999));
	snprintf(s->dup, sizeof(s->dup), "%" PRId64,
	    t->id - rng_range(r, 1, 40));
	if (tp->chain != CH_NONE && t->topic != TP_LOCK &&
	    t->topic != TP_PWD && t->topic != TP_2FA)
		snprintf(t->coin_tag, sizeof(t->coin_tag), "%s", c->coin);
	for (char *q = t->coin_tag; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
}

/* Replace {slot}s in tpl; agent is the name used for {agent}. */
static void
demo_expand(struct buf *out, const char *tpl, const struct demo_slots *s,
    const char *agent, int64_t hours)
{
	const struct {
		const char *k;
		const char *v;
	} tab[] = {
		{ "name", s->name }, { "fullname", s->fullname },
		{ "agent", agent }, { "coin", s->coin }, { "net", s->net },
		{ "net2", s->net2 }, { "amount", s->amount }, { "tx", s->tx },
		{ "addr", s->addr }, { "memo_name", s->memo_name },
		{ "memo", s->memo }, { "pair", s->pair }, { "lev", s->lev },
		{ "price", s->price }, { "order", s->order },
		{ "time", s->time }, { "date", s->date }, { "uid", s->uid },
		{ "ip", s->ip }, { "doc", s->doc }, { "case", s->casen },
		{ "fee", s->fee }, { "country", s->country },
		{ "dup", s->dup },
	};
	const char *p = tpl;

	while (*p) {
		const char *open = strchr(p, '{');
		const char *close;
		size_t k, i;

		if (open == NULL) {
			buf_adds(out, p);
			return;
		}
		buf_add(out, p, (size_t)(open - p));
		close = strchr(open, '}');
		if (close == NULL)
			BUG("unterminated slot in '%s'", tpl);
		k = (size_t)(close - open - 1);
		if (k == 5 && memcmp(open + 1, "hours", 5) == 0) {
			buf_printf(out, "%" PRId64, hours);
		} else {
			for (i = 0; i < ARRAY_LEN(tab); i++)
				if (strlen(tab[i].k) == k &&
				    memcmp(tab[i].k, open + 1, k) == 0)
					break;
			if (i == ARRAY_LEN(tab))
				BUG("unknown slot '%.*s'", (int)k, open + 1);
			buf_adds(out, tab[i].v);
		}
		p = close + 1;
	}
}

/* A few KB of pasted logs or history under the customer's message. */
static void
demo_long_tail(struct demo_desk *d, struct buf *b, enum demo_long_kind k,
    const struct demo_slots *s, int64_t at)
{
	struct demo_rng *r = &d->rng;
	int lines = (int)rng_range(r, 35, 60);
	char iso[21];

	switch (k) {
	case LONG_NONE:
		return;
	case LONG_WSLOG:
		buf_adds(b, "\n\nLog from my client:\n");
		for (int i = 0; i < lines; i++) {
			int64_t t = at - (lines - i) * rng_range(r, 20, 90);

			time_format_iso(t, iso);
			iso[19] = '\0';
			switch (rng_below(r, 4)) {
			case 0:
				buf_printf(b, "%s.%03dZ WARN ws[%s] closed "
				    "code=1006 reason=\"\", reconnect in "
				    "%dms\n", iso, (int)rng_below(r, 1000),
				    s->pair, 250 << (i % 5));
				break;
			case 1:
				buf_printf(b, "%s.%03dZ INFO ws[%s] depth "
				    "snapshot lastUpdateId=%" PRId64 "\n",
				    iso, (int)rng_below(r, 1000), s->pair,
				    rng_range(r, 40000000000, 49999999999));
				break;
			case 2:
				buf_printf(b, "%s.%03dZ ERROR rest POST "
				    "/api/v3/order -> %s\n", iso,
				    (int)rng_below(r, 1000),
				    rng_pct(r, 50) ? "429 Too Many Requests" :
				    "401 {\"code\":-1022,\"msg\":\"Signature "
				    "for this request is not valid.\"}");
				break;
			default:
				buf_printf(b, "%s.%03dZ DEBUG ws[%s] gap: "
				    "U=%" PRId64 " expected <= %" PRId64 "\n",
				    iso, (int)rng_below(r, 1000), s->pair,
				    rng_range(r, 40000000000, 49999999999),
				    rng_range(r, 40000000000, 49999999999));
				break;
			}
		}
		break;
	case LONG_ORDERS:
		buf_adds(b, "\n\nMy order history for that day:\n"
		    "time                  pair      side  type    qty      "
		    "avg price     status\n");
		for (int i = 0; i < lines; i++) {
			int64_t t = at - (lines - i) * rng_range(r, 60, 900);

			time_format_iso(t, iso);
			buf_printf(b, "%s  %-8s  %-4s  %-6s  %7.3f  %12s  "
			    "%s  #8%" PRId64 "\n", iso, s->pair,
			    rng_pct(r, 50) ? "BUY" : "SELL",
			    rng_pct(r, 60) ? "LIMIT" : "MARKET",
			    0.001 * (double)rng_range(r, 1, 9000), s->price,
			    rng_pct(r, 85) ? "FILLED" : "LIQUIDATED",
			    rng_range(r, 100000000000000, 999999999999999));
		}
		break;
	case LONG_DEPOSITS:
		buf_adds(b, "\n\nAll my transfers this month, none of the "
		    "last ones arrived:\n");
		for (int i = 0; i < lines / 2; i++) {
			char tx[100];

			demo_tx(r, TX_0X, tx);
			time_format_iso(at - (lines - i) * 7200, iso);
			buf_printf(b, "%s  %s  %s  %s\n", iso, s->coin, tx,
			    i < lines / 2 - 3 ? "credited" : "MISSING");
		}
		break;
	}
}

static const char *
demo_channel(struct demo_rng *r, int zh)
{
	int x = (int)rng_below(r, 100);

	if (x < 30)
		return "web";
	if (x < 50)
		return "email";
	if (x < 67)
		return "chat";
	if (x < 82)
		return "mobile_sdk";
	if (x < 88)
		return zh ? "any_channel" : "twitter";
	if (x < 92)
		return zh ? "any_channel" : "facebook";
	if (x < 98)
		return "any_channel";	/* Telegram */
	return "api";
}

static const char *const demo_prio_names[] = {
	"low", "normal", "high", "urgent",
};

/* The topic of ticket number i: a hostile ticket's (returned), or one
 * drawn by weight. */
static const struct demo_hostile *
demo_ticket_topic(struct demo_desk *d, int i, struct demo_ticket *t)
{
	const struct demo_hostile *h = NULL;
	int w;

	if (i % 37 == 11 && (size_t)(i / 37) < d->w->n_hostiles)
		h = &d->w->hostiles[i / 37];
	if (h) {
		t->topic = h->topic;
		return h;
	}
	w = (int)rng_below(&d->rng, (uint64_t)d->topic_weight);
	for (t->topic = 0; t->topic < TP_COUNT - 1; t->topic++) {
		w -= demo_topics[t->topic].weight;
		if (w < 0)
			break;
	}
	return NULL;
}

/* Priority, type, group, assignee and tags, as triage left them. */
static void
demo_ticket_triage(struct demo_desk *d, struct demo_ticket *t,
    const struct demo_hostile *h, int shout)
{
	const struct demo_topic *tp = &demo_topics[t->topic];
	struct demo_rng *r = &d->rng;
	int prio = tp->prio, x, isnew;

	if (rng_pct(r, 20))
		prio++;
	else if (rng_pct(r, 20))
		prio--;
	if (t->cust->vip || (shout && rng_pct(r, 30)))
		prio++;
	prio = prio < 0 ? 0 : prio > 3 ? 3 : prio;
	t->priority = demo_prio_names[prio];
	t->type = rng_pct(r, 80) ? tp->type :
	    rng_pct(r, 50) ? "question" : "incident";
	if (strcmp(t->status, "new") == 0 && !h && rng_pct(r, 35)) {
		t->priority = NULL;	/* not triaged yet */
		t->type = NULL;
	}

	t->group = tp->group;
	if (strcmp(t->status, "new") == 0 && rng_pct(r, 35))
		t->group = G_TIER1;
	x = (int)rng_below(r, 100);
	isnew = strcmp(t->status, "new") == 0;
	if (x < (isnew ? 45 : 6))
		t->assignee = -1;
	else if (x < (isnew ? 80 : 78))
		t->assignee = DEMO_ME;
	else if (t->cust->zh && rng_pct(r, 70))
		t->assignee = PICK(r, demo_zh_agents);
	else
		t->assignee = 1 + (int)rng_below(r, ARRAY_LEN(demo_agents) - 1);

	for (int k = 0; k < 3 && tp->tags[k]; k++)
		demo_tag(t, tp->tags[k]);
	if (t->cust->vip)
		demo_tag(t, "vip");
}

/* What a ticket's comments say, given who writes them. */
struct demo_talk {
	const struct demo_hostile *h;
	const struct demo_slots *s;
	int64_t hours;
	int shout;
	int nreply;
};

/* The first message of the requester. */
static void
demo_first_message(struct demo_desk *d, struct demo_ticket *t,
    struct demo_talk *k, struct buf *b, const char *agent, int64_t at)
{
	const struct demo_topic *tp = &demo_topics[t->topic];
	struct demo_rng *r = &d->rng;
	int zh = t->cust->zh;
	const char *tpl;

	if (k->h) {
		buf_adds(b, k->h->body);
		return;
	}
	demo_expand(b, rng_pool(r, d->w->greet[zh]), k->s, agent, k->hours);
	tpl = rng_pool(r, d->w->body[t->topic][zh]);
	demo_expand(b, tpl, k->s, agent, k->hours);
	if (strstr(tpl, "{tx}"))
		demo_tag(t, "tx_hash_provided");
	if (k->shout)
		buf_adds(b, zh ? "\n\n非常紧急，请优先处理！" :
		    "\n\nThis is URGENT, please handle it first.");
	if (tp->longk != LONG_NONE && rng_pct(r, 22))
		demo_long_tail(d, b, tp->longk, k->s, at);
	demo_expand(b, rng_pool(r, d->w->close[zh]), k->s, agent, k->hours);
}

/* Comment n of the script: its author and its text. */
static void
demo_comment_make(struct demo_desk *d, struct demo_ticket *t,
    struct demo_talk *k, const char *script, int n)
{
	struct demo_comment *c = &t->c[n];
	struct demo_rng *r = &d->rng;
	struct buf b = BUF_INIT;
	int zh = t->cust->zh;
	const char *tpl, *agent;

	c->id = d->next_comment++;
	c->public = script[n] != 'N';
	c->author = -1;
	if (script[n] == 'A' || script[n] == 'D' || script[n] == 'N') {
		c->author = t->assignee >= 0 ? t->assignee :
		    zh ? DEMO_TIER1_ZH : DEMO_TIER1_EN;
		if (script[n] == 'N' && rng_pct(r, 40))
			c->author = (int)rng_below(r, ARRAY_LEN(demo_agents));
	}
	agent = c->author >= 0 ? demo_agents[c->author].name : "";
	switch (script[n]) {
	case 'C':
		demo_first_message(d, t, k, &b, agent, c->at);
		break;
	case 'F':
		tpl = rng_pool(r, k->nreply > 0 ? d->w->answer[zh] :
		    d->w->nudge[zh]);
		demo_expand(&b, tpl, k->s, agent,
		    (c->at - t->created) / 3600 + 1);
		break;
	case 'A':
		tpl = k->nreply++ == 0 ? rng_pool(r,
		    d->w->reply[t->topic][zh]) : rng_pool(r, d->w->hold[zh]);
		demo_expand(&b, tpl, k->s, agent, k->hours);
		break;
	case 'D':
		demo_expand(&b, rng_pool(r, d->w->done[t->topic][zh]), k->s,
		    agent, k->hours);
		break;
	case 'N':
		tpl = rng_pct(r, 75) ? rng_pool(r, d->w->note[t->topic]) :
		    rng_pool(r, d->w->note_generic);
		if (text_has_cjk(tpl, strlen(tpl)) &&
		    strcmp(demo_agents[c->author].locale, "zh-CN")) {
			c->author = PICK(r, demo_zh_agents);
			agent = demo_agents[c->author].name;
		}
		demo_expand(&b, tpl, k->s, agent, k->hours);
		break;
	}
	c->body = buf_detach(&b);
}

/* Choose who, what and when for ticket number i. */
static void
demo_ticket_make(struct demo_desk *d, int i, struct demo_ticket *t)
{
	struct demo_rng *r = &d->rng;
	struct demo_talk k = { 0 };
	struct demo_slots s;
	struct buf b = BUF_INIT;
	const char *script;
	int zh;

	memset(t, 0, sizeof(*t));
	t->id = DEMO_TICKET_BASE + i;
	k.h = demo_ticket_topic(d, i, t);

	/* The requester: a hostile ticket picks one of the right language. */
	t->cust = &d->cust[rng_below(r, (uint64_t)d->ncust)];
	while (k.h && t->cust->zh != k.h->zh)
		t->cust = &d->cust[rng_below(r, (uint64_t)d->ncust)];
	zh = t->cust->zh;

	t->status = k.h ? (rng_pct(r, 50) ? "new" : "open") : demo_status(r);
	t->channel = demo_channel(r, zh);
	t->ascii = k.h != NULL || i % 9 == 4;
	k.shout = rng_pct(r, demo_topics[t->topic].urgent_pct +
	    (t->cust->vip ? 5 : 0));
	demo_ticket_triage(d, t, k.h, k.shout);

	script = demo_script(r, t->status);
	t->nc = (int)strlen(script);
	demo_timeline(d, t, script);
	demo_slots_fill(d, t, &s);
	if (t->coin_tag[0] && k.h == NULL)
		demo_tag(t, t->coin_tag);
	k.s = &s;
	k.hours = (d->now - t->created) / 3600 + 1;

	/* Subject. */
	if (k.h) {
		t->subject = xstrdup(k.h->subject);
	} else {
		if (k.shout)
			buf_adds(&b, rng_pool(r, d->w->shout[zh]));
		demo_expand(&b, rng_pool(r, d->w->subj[t->topic][zh]), &s, "",
		    k.hours);
		t->subject = buf_detach(&b);
	}
	/* Comments, in order. */
	for (int n = 0; n < t->nc; n++)
		demo_comment_make(d, t, &k, script, n);
}

static void
demo_ticket_free(struct demo_ticket *t)
{
	free(t->subject);
	for (int k = 0; k < t->nc; k++)
		free(t->c[k].body);
	memset(t, 0, sizeof(*t));
}

/* --- the desk -------------------------------------------------------- */

static void
demo_customers_make(struct demo_desk *d, int n)
{
	struct demo_rng *r = &d->rng;

	d->ncust = n * 2 / 3 < 24 ? 24 : n * 2 / 3;
	d->cust = xcalloc((size_t)d->ncust, sizeof(*d->cust));
	for (int k = 0; k < d->ncust; k++) {
		struct demo_customer *c = &d->cust[k];
		int x = (int)(((unsigned)k * 7 + 3) % 10) * 10;
		const char *dom = PICK(r, mail_domains);
		int num = (int)rng_range(r, 1, 99);

		c->id = DEMO_USER_BASE + (int64_t)k * 17 + 3;
		c->vip = rng_pct(r, 10);
		if (x < 40) {
			size_t a = rng_below(r, d->w->zh_sur.n);
			size_t g = rng_below(r, d->w->zh_given.n);

			c->zh = 1;
			c->locale = "zh-CN";
			snprintf(c->name, sizeof(c->name), "%s%s",
			    d->w->zh_sur.s[a], d->w->zh_given.s[g]);
			snprintf(c->first, sizeof(c->first), "%s", c->name);
			snprintf(c->email, sizeof(c->email), "%s%s%d@%s",
			    d->w->zh_sur_py.s[a], d->w->zh_given_py.s[g],
			    1970 + num % 36, dom);
		} else if (x < 90) {
			const char *f = rng_pool(r, d->w->en_first);
			const char *l = rng_pool(r, d->w->en_last);

			c->locale = PICK(r, en_locales);
			snprintf(c->name, sizeof(c->name), "%s %s", f, l);
			snprintf(c->first, sizeof(c->first), "%s", f);
			snprintf(c->email, sizeof(c->email), "%s.%s%d@%s", f,
			    l, num, dom);
		} else {
			const struct demo_foreign *f = &PICK(r,
			    demo_foreigners);

			c->locale = f->locale;
			snprintf(c->name, sizeof(c->name), "%s", f->full);
			snprintf(c->first, sizeof(c->first), "%s", f->first);
			snprintf(c->email, sizeof(c->email), "%s%d@%s",
			    f->mail, num, dom);
		}
		for (char *q = c->email; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	}
}

#define DEMO_PAGE 100

int
store_demo_fill(struct store *st, const char *text, int n, unsigned seed,
    store_page_ingest_fn ingest, struct tdesk_err *err)
{
	struct demo_words w;
	struct demo_desk d;
	struct demo_ticket *page = NULL;
	struct buf b = BUF_INIT;
	char id[32];
	int rc = -1, done = 0, began = 0;

	if (n < 0 || n > 1000000)
		return err_set(err, TDESK_EUSAGE, "demo: cannot make %d "
		    "tickets", n);
	if (demo_words_load(&w, text, err) < 0)
		return -1;
	memset(&d, 0, sizeof(d));
	d.w = &w;
	d.rng.s = UINT64_C(0x7464657368) ^ ((uint64_t)seed << 17) ^ seed;
	d.now = time_now();
	d.next_comment = DEMO_COMMENT_BASE + 1;
	for (int k = 0; k < TP_COUNT; k++)
		d.topic_weight += demo_topics[k].weight;
	demo_customers_make(&d, n);
	page = xcalloc(DEMO_PAGE, sizeof(*page));

	if (store_begin(st, err) < 0)
		goto out;
	began = 1;
	snprintf(id, sizeof(id), "%" PRId64, DEMO_AGENT_BASE + DEMO_ME);
	if (store_state_set(st, "me.id", id, err) < 0 ||
	    store_state_set(st, "me.name", demo_agents[DEMO_ME].name,
	    err) < 0 ||
	    store_state_set(st, "me.email", demo_agents[DEMO_ME].email,
	    err) < 0 ||
	    store_state_set(st, "desk.kind", "demo", err) < 0)
		goto out;

	while (done < n) {
		int m = n - done < DEMO_PAGE ? n - done : DEMO_PAGE;

		for (int k = 0; k < m; k++)
			demo_ticket_make(&d, done + k, &page[k]);
		buf_reset(&b);
		demo_page_json(&d, &b, page, m);
		if (ingest(st, b.data, b.len, 0, NULL, err) < 0)
			goto out;
		for (int k = 0; k < m; k++) {
			buf_reset(&b);
			demo_comments_json(&b, &page[k]);
			if (ingest(st, b.data, b.len, page[k].id, NULL,
			    err) < 0)
				goto out;
		}
		for (int k = 0; k < m; k++)
			demo_ticket_free(&page[k]);
		done += m;
	}
	if (store_fts_refresh(st, err) < 0 || store_fts_optimize(st, err) < 0)
		goto out;
	if (store_commit(st, err) < 0)
		goto out;
	began = 0;
	rc = 0;
out:
	if (began)
		store_rollback(st);
	for (int k = 0; k < DEMO_PAGE; k++)
		demo_ticket_free(&page[k]);
	free(page);
	free(d.cust);
	buf_free(&b);
	demo_words_free(&w);
	return rc;
}
