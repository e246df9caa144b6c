/* SPDX-License-Identifier: MIT */
/*
 * The reply guard. One pass finds the words that matter (a lexicon of
 * secrets, requests, negations, warnings, tools, messengers, ...) with
 * their sentence, clause and token position; rules then look at each
 * sentence: a request for a secret is blocked, the same words inside a
 * warning ("never share your seed phrase with anyone, including us") are
 * not. Links, phone numbers, wallet addresses, placeholders and hidden
 * characters are found by small scanners of their own.
 */
#include "store/guard.h"
#include "store/ascii.h"
#include "store/redact.h"
#include "store/store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --- lexicon -------------------------------------------------------------- */

enum {
	L_STRONG = 1 << 0,	/* seed phrase, private key: never asked */
	L_WEAK = 1 << 1,	/* password, 2FA code: never sent to us */
	L_ASK = 1 << 2,		/* send, provide, tell, 发送, 提供 */
	L_ENTER = 1 << 3,	/* enter, type, fill in: bad on a page */
	L_NEG = 1 << 4,		/* not, don't, 不要 (near the verb) */
	L_NEGS = 1 << 5,	/* never, no one, 绝不 (whole clause) */
	L_WARN = 1 << 6,	/* scam, phishing, 诈骗: a warning */
	L_REMOTE = 1 << 7,	/* AnyDesk, TeamViewer, 向日葵 */
	L_MSG = 1 << 8,		/* Telegram, WhatsApp, 微信 */
	L_SAFE = 1 << 9,	/* safe wallet, 安全钱包 */
	L_MOVE = 1 << 10,	/* transfer, move, 转移 */
	L_FUNDS = 1 << 11,	/* your funds, 资产 */
	L_DISABLE = 1 << 12,	/* disable, turn off, 关闭 */
	L_SECFEAT = 1 << 13,	/* 2FA, whitelist, 白名单 */
	L_TIPOFF = 1 << 14,	/* suspicious activity report, 可疑交易报告 */
	L_PAGE = 1 << 15,	/* this page, the link below, 链接 */
	L_SKIP = 1 << 16,	/* "don't worry": not a negation */
	L_PHONE = 1 << 17,	/* call, phone, 电话 */
	L_ADDR = 1 << 18,	/* "this address", 以下地址 */
	L_ANYONE = 1 << 19,	/* anyone, 任何人: with a negation, a warning */
	L_WRITE = 1 << 20,	/* write: asks only on a page or in a reply */
	L_SAFEADJ = 1 << 21,	/* safe, secure, escrow, 托管 ... */
	L_SAFENOUN = 1 << 22,	/* wallet, address, vault, 地址 ... */
};

struct term {
	const char *s;
	unsigned mask;
};

/*
 * ASCII terms match at word boundaries, case-insensitively: a space
 * matches any run of blanks, '-' matches '-', a blank or nothing, '\''
 * matches ' or U+2019 or nothing, a final '*' makes the term a prefix.
 * Other terms (Chinese) match anywhere.
 */
static const struct term lexicon[] = {
	/* secrets nobody may ask for */
	{ "seed phrase", L_STRONG }, { "seed phrases", L_STRONG },
	{ "seed words", L_STRONG }, { "seed", L_STRONG },
	{ "recovery phrase", L_STRONG }, { "recovery words", L_STRONG },
	{ "recovery seed", L_STRONG }, { "secret phrase", L_STRONG },
	{ "secret recovery phrase", L_STRONG }, { "backup phrase", L_STRONG },
	{ "mnemonic*", L_STRONG }, { "12 words", L_STRONG },
	{ "24 words", L_STRONG }, { "12-word", L_STRONG },
	{ "24-word", L_STRONG }, { "twelve words", L_STRONG },
	{ "private key*", L_STRONG }, { "privkey", L_STRONG },
	{ "keystore*", L_STRONG }, { "wallet.dat", L_STRONG },
	{ "api secret*", L_STRONG }, { "secret key*", L_STRONG },
	{ "api key*", L_STRONG }, { "words of your", L_STRONG },
	{ "backup key*", L_STRONG }, { "recovery key*", L_STRONG },
	{ "setup key*", L_STRONG }, { "2fa secret", L_STRONG },
	{ "12个单词", L_STRONG }, { "24个单词", L_STRONG },
	{ "助记单词", L_STRONG }, { "钱包单词", L_STRONG },
	{ "十二个单词", L_STRONG }, { "备份密钥", L_STRONG },
	{ "助记词", L_STRONG }, { "私钥", L_STRONG }, { "密钥", L_STRONG },
	{ "秘钥", L_STRONG }, { "种子短语", L_STRONG }, { "恢复短语", L_STRONG },
	{ "备份短语", L_STRONG }, { "钱包备份", L_STRONG },
	{ "keystore文件", L_STRONG }, { "api secret", L_STRONG },
	{ "password*", L_WEAK }, { "passcode*", L_WEAK },
	{ "passphrase*", L_WEAK }, { "pin", L_WEAK }, { "pin code", L_WEAK },
	{ "2fa", L_WEAK | L_SECFEAT }, { "2fa code*", L_WEAK },
	{ "2-fa", L_WEAK | L_SECFEAT }, { "two-factor", L_WEAK | L_SECFEAT },
	{ "two-factor code*", L_WEAK }, { "verification code*", L_WEAK },
	{ "sms code*", L_WEAK }, { "email code*", L_WEAK },
	{ "authentication code*", L_WEAK }, { "authenticator code*", L_WEAK },
	{ "google authenticator", L_WEAK | L_SECFEAT },
	{ "authenticator", L_SECFEAT }, { "otp", L_WEAK },
	{ "one-time code*", L_WEAK }, { "one-time password*", L_WEAK },
	{ "security code*", L_WEAK }, { "6-digit code*", L_WEAK },
	{ "six-digit code*", L_WEAK }, { "login code*", L_WEAK },
	{ "credentials", L_WEAK }, { "login details", L_WEAK },
	{ "code from your", L_WEAK }, { "code from the", L_WEAK },
	{ "code in your", L_WEAK }, { "code we sent", L_WEAK },
	{ "code we just sent", L_WEAK }, { "code you received", L_WEAK },
	{ "code you just received", L_WEAK }, { "code sent to your", L_WEAK },
	{ "authenticator app code", L_WEAK }, { "收到的代码", L_WEAK },
	{ "密码", L_WEAK }, { "验证码", L_WEAK }, { "动态码", L_WEAK },
	{ "动态口令", L_WEAK }, { "口令", L_WEAK }, { "校验码", L_WEAK },
	{ "2fa码", L_WEAK }, { "谷歌验证", L_WEAK | L_SECFEAT },
	{ "二次验证", L_WEAK | L_SECFEAT }, { "双重验证", L_SECFEAT },
	{ "身份验证器", L_SECFEAT }, { "两步验证", L_SECFEAT },

	/* asking */
	{ "send", L_ASK }, { "sent", L_ASK }, { "provide", L_ASK },
	{ "share", L_ASK }, { "tell", L_ASK }, { "give", L_ASK },
	{ "reply", L_ASK }, { "respond with", L_ASK }, { "upload", L_ASK },
	{ "attach", L_ASK }, { "paste", L_ASK }, { "forward", L_ASK },
	{ "read out", L_ASK }, { "dm", L_ASK }, { "let us know", L_ASK },
	{ "let me know", L_ASK }, { "ask for", L_ASK },
	{ "write", L_WRITE }, { "write down", L_SKIP },
	{ "ask you for", L_ASK }, { "we need your", L_ASK },
	{ "i need your", L_ASK }, { "we require your", L_ASK },
	{ "requires the", L_ASK }, { "require the", L_ASK },
	{ "requires your", L_ASK }, { "require your", L_ASK },
	{ "needs your", L_ASK }, { "we need the", L_ASK },
	{ "what is your", L_ASK }, { "what's your", L_ASK },
	{ "photo", L_ASK }, { "picture", L_ASK }, { "screenshot", L_ASK },
	{ "confirm your", L_ASK }, { "verify your", L_ENTER },
	{ "enter", L_ENTER }, { "type", L_ENTER }, { "input", L_ENTER },
	{ "fill in", L_ENTER }, { "submit", L_ENTER }, { "log in with", L_ENTER },
	{ "sign in with", L_ENTER }, { "import", L_ASK | L_ENTER },
	{ "sync your wallet", L_ASK }, { "validate your wallet", L_ASK },
	{ "发送", L_ASK }, { "发给", L_ASK }, { "发我", L_ASK },
	{ "发过来", L_ASK }, { "发来", L_ASK }, { "发一下", L_ASK },
	{ "提供", L_ASK }, { "告诉", L_ASK }, { "告知", L_ASK },
	{ "分享", L_ASK }, { "回复", L_ASK }, { "上传", L_ASK },
	{ "拍照", L_ASK }, { "拍下", L_ASK }, { "截图", L_ASK },
	{ "给我", L_ASK }, { "私信", L_ASK }, { "报一下", L_ASK },
	{ "说一下", L_ASK }, { "索要", L_ASK }, { "透露", L_ASK },
	{ "导入", L_ASK | L_ENTER },
	{ "输入", L_ENTER }, { "填写", L_ENTER }, { "填入", L_ENTER },
	{ "提交", L_ENTER }, { "验证您的钱包", L_ASK },

	/* negations and warnings */
	{ "not", L_NEG }, { "don't", L_NEG }, { "do not", L_NEG },
	{ "doesn't", L_NEG }, { "does not", L_NEG }, { "won't", L_NEG },
	{ "will not", L_NEG }, { "cannot", L_NEG }, { "can't", L_NEG },
	{ "shouldn't", L_NEG }, { "should not", L_NEG }, { "must not", L_NEG },
	{ "mustn't", L_NEG }, { "avoid", L_NEG }, { "refuse", L_NEG },
	{ "nor", L_NEG }, { "no need", L_NEG }, { "without", L_NEG },
	{ "never", L_NEGS }, { "no one", L_NEGS }, { "nobody", L_NEGS },
	{ "no-one", L_NEGS }, { "under no circumstances", L_NEGS },
	{ "don't worry", L_SKIP }, { "do not worry", L_SKIP },
	{ "not sure", L_SKIP }, { "not a problem", L_SKIP },
	{ "if not", L_SKIP },
	{ "不要", L_NEG }, { "勿", L_NEG }, { "别", L_NEG }, { "不能", L_NEG },
	{ "不得", L_NEG }, { "禁止", L_NEG }, { "无需", L_NEG },
	{ "不需要", L_NEG }, { "不必", L_NEG }, { "拒绝", L_NEG },
	{ "不会", L_NEGS }, { "绝不", L_NEGS }, { "绝对不", L_NEGS },
	{ "永远不", L_NEGS }, { "从不", L_NEGS }, { "从来不", L_NEGS },
	{ "切勿", L_NEGS }, { "千万不要", L_NEGS },
	{ "scam*", L_WARN }, { "fraud*", L_WARN }, { "phishing", L_WARN },
	{ "impersonat*", L_WARN }, { "fake", L_WARN }, { "beware", L_WARN },
	{ "be careful", L_WARN }, { "be wary", L_WARN }, { "warning", L_WARN },
	{ "including us", L_WARN }, { "anyone who asks", L_WARN },
	{ "anyone asking", L_WARN }, { "if someone asks", L_WARN },
	{ "if anyone asks", L_WARN }, { "claims to be", L_WARN },
	{ "claiming to be", L_WARN }, { "pretend*", L_WARN },
	{ "criminal*", L_WARN }, { "attacker*", L_WARN },
	{ "诈骗", L_WARN }, { "骗子", L_WARN }, { "骗局", L_WARN },
	{ "钓鱼", L_WARN }, { "冒充", L_WARN }, { "假冒", L_WARN },
	{ "谨防", L_WARN }, { "警惕", L_WARN }, { "小心", L_WARN },
	{ "包括我们", L_WARN }, { "如有人", L_WARN }, { "如果有人", L_WARN },
	{ "anyone", L_ANYONE }, { "whoever", L_ANYONE },
	{ "no matter who", L_ANYONE }, { "任何人", L_ANYONE | L_NEGS },
	{ "任何", L_ANYONE }, { "陌生", L_ANYONE },
	{ "官方不会", L_WARN }, { "提防", L_WARN }, { "骗取", L_WARN },

	/* remote access and screen sharing */
	{ "anydesk", L_REMOTE }, { "teamviewer", L_REMOTE },
	{ "team viewer", L_REMOTE }, { "sunlogin", L_REMOTE },
	{ "rustdesk", L_REMOTE }, { "ultraviewer", L_REMOTE },
	{ "todesk", L_REMOTE }, { "quicksupport", L_REMOTE },
	{ "quick assist", L_REMOTE }, { "logmein", L_REMOTE },
	{ "splashtop", L_REMOTE }, { "supremo", L_REMOTE },
	{ "chrome remote desktop", L_REMOTE }, { "remote desktop", L_REMOTE },
	{ "remote access", L_REMOTE }, { "remote control", L_REMOTE },
	{ "remote support app", L_REMOTE }, { "screen sharing", L_REMOTE },
	{ "screen share", L_REMOTE }, { "share your screen", L_REMOTE },
	{ "screenshare", L_REMOTE },
	{ "向日葵", L_REMOTE }, { "远程协助", L_REMOTE },
	{ "远程控制", L_REMOTE }, { "远程桌面", L_REMOTE },
	{ "屏幕共享", L_REMOTE }, { "共享屏幕", L_REMOTE },
	{ "共享桌面", L_REMOTE }, { "远程软件", L_REMOTE },

	/* other messengers */
	{ "telegram", L_MSG }, { "whatsapp", L_MSG }, { "wechat", L_MSG },
	{ "weixin", L_MSG }, { "viber", L_MSG }, { "skype", L_MSG },
	{ "kakaotalk", L_MSG }, { "signal app", L_MSG }, { "on signal", L_MSG },
	{ "discord", L_MSG }, { "t.me", L_MSG }, { "wa.me", L_MSG },
	{ "qq", L_MSG }, { "vx", L_MSG }, { "line app", L_MSG },
	{ "微信", L_MSG }, { "电报", L_MSG }, { "飞机号", L_MSG },
	{ "加v", L_MSG }, { "加我", L_MSG }, { "qq号", L_MSG },
	{ "私聊", L_MSG }, { "企业微信", L_MSG },

	/* funds to a "safe" place */
	{ "safe wallet", L_SAFE }, { "secure wallet", L_SAFE },
	{ "safe address", L_SAFE }, { "secure address", L_SAFE },
	{ "safety wallet", L_SAFE }, { "protected wallet", L_SAFE },
	{ "safe account", L_SAFE }, { "secure vault", L_SAFE },
	{ "safe vault", L_SAFE }, { "holding wallet", L_SAFE },
	{ "temporary wallet", L_SAFE }, { "escrow wallet", L_SAFE },
	{ "safe", L_SAFEADJ }, { "secure", L_SAFEADJ },
	{ "protected", L_SAFEADJ }, { "escrow", L_SAFEADJ },
	{ "holding", L_SAFEADJ }, { "temporary", L_SAFEADJ },
	{ "insured", L_SAFEADJ }, { "isolated", L_SAFEADJ },
	{ "wallet", L_SAFENOUN }, { "address", L_SAFENOUN },
	{ "vault", L_SAFENOUN }, { "account", L_SAFENOUN },
	{ "安全", L_SAFEADJ }, { "托管", L_SAFEADJ }, { "保险", L_SAFEADJ },
	{ "临时", L_SAFEADJ }, { "隔离", L_SAFEADJ },
	{ "钱包", L_SAFENOUN }, { "地址", L_SAFENOUN }, { "账户", L_SAFENOUN },
	{ "安全钱包", L_SAFE }, { "安全地址", L_SAFE }, { "安全账户", L_SAFE },
	{ "保险账户", L_SAFE }, { "临时钱包", L_SAFE }, { "保护钱包", L_SAFE },
	{ "transfer", L_MOVE }, { "move", L_MOVE }, { "withdraw", L_MOVE },
	{ "deposit", L_MOVE }, { "send", L_MOVE }, { "sweep", L_MOVE },
	{ "转移", L_MOVE }, { "转到", L_MOVE }, { "转入", L_MOVE },
	{ "转账", L_MOVE }, { "提币到", L_MOVE }, { "充值到", L_MOVE },
	{ "your funds", L_FUNDS }, { "your assets", L_FUNDS },
	{ "your coins", L_FUNDS }, { "your balance", L_FUNDS },
	{ "your crypto", L_FUNDS }, { "all your", L_FUNDS },
	{ "all funds", L_FUNDS }, { "all of your", L_FUNDS },
	{ "资金", L_FUNDS }, { "资产", L_FUNDS }, { "余额", L_FUNDS },
	{ "usdt", L_FUNDS }, { "btc", L_FUNDS }, { "eth", L_FUNDS },
	{ "bitcoin", L_FUNDS }, { "tokens", L_FUNDS }, { "coins", L_FUNDS },
	{ "币", L_FUNDS },
	{ "所有币", L_FUNDS },
	{ "this address", L_ADDR }, { "the address below", L_ADDR },
	{ "following address", L_ADDR }, { "address below", L_ADDR },
	{ "new address", L_ADDR }, { "this wallet", L_ADDR },
	{ "以下地址", L_ADDR }, { "这个地址", L_ADDR }, { "该地址", L_ADDR },
	{ "下面的地址", L_ADDR }, { "新地址", L_ADDR },

	/* turning protection off */
	{ "disable", L_DISABLE }, { "turn off", L_DISABLE },
	{ "switch off", L_DISABLE }, { "remove", L_DISABLE },
	{ "deactivate", L_DISABLE }, { "unbind", L_DISABLE },
	{ "unlink", L_DISABLE }, { "delete", L_DISABLE },
	{ "关闭", L_DISABLE }, { "解除", L_DISABLE }, { "解绑", L_DISABLE },
	{ "停用", L_DISABLE }, { "取消", L_DISABLE }, { "删除", L_DISABLE },
	{ "whitelist*", L_SECFEAT }, { "allowlist*", L_SECFEAT },
	{ "anti-phishing code", L_SECFEAT }, { "withdrawal lock", L_SECFEAT },
	{ "security key", L_SECFEAT }, { "yubikey", L_SECFEAT },
	{ "白名单", L_SECFEAT }, { "防钓鱼码", L_SECFEAT },
	{ "提币锁", L_SECFEAT },

	/* tipping off */
	{ "suspicious activity report*", L_TIPOFF }, { "sar", L_TIPOFF },
	{ "sars", L_TIPOFF }, { "filed a report", L_TIPOFF },
	{ "money laundering investigation", L_TIPOFF },
	{ "aml investigation", L_TIPOFF }, { "reported you", L_TIPOFF },
	{ "reported your account", L_TIPOFF }, { "fincen", L_TIPOFF },
	{ "可疑交易报告", L_TIPOFF }, { "反洗钱调查", L_TIPOFF },
	{ "洗钱调查", L_TIPOFF }, { "已上报", L_TIPOFF },
	{ "上报监管", L_TIPOFF },

	/* a page to type into */
	{ "this page", L_PAGE }, { "this link", L_PAGE }, { "the link", L_PAGE },
	{ "this form", L_PAGE }, { "the form", L_PAGE }, { "below", L_PAGE },
	{ "this site", L_PAGE }, { "the site", L_PAGE },
	{ "this website", L_PAGE }, { "the following", L_PAGE },
	{ "here", L_PAGE }, { "validation", L_PAGE }, { "dapp", L_PAGE },
	{ "reply box", L_PAGE }, { "in your reply", L_PAGE },
	{ "in your next reply", L_PAGE }, { "in the reply", L_PAGE },
	{ "in this ticket", L_PAGE }, { "in the chat", L_PAGE },
	{ "链接", L_PAGE }, { "网页", L_PAGE }, { "页面", L_PAGE },
	{ "网站", L_PAGE }, { "表单", L_PAGE }, { "下方", L_PAGE },
	{ "以下", L_PAGE },

	/* phones */
	{ "call", L_PHONE }, { "phone", L_PHONE }, { "hotline", L_PHONE },
	{ "tel", L_PHONE }, { "dial", L_PHONE }, { "mobile", L_PHONE },
	{ "ring us", L_PHONE }, { "text us", L_PHONE },
	{ "电话", L_PHONE }, { "热线", L_PHONE }, { "拨打", L_PHONE },
	{ "致电", L_PHONE }, { "手机", L_PHONE }, { "来电", L_PHONE },
};

/* --- configuration --------------------------------------------------------- */

struct strlist {
	char **v;
	size_t n;
};

enum { LANG_EN, LANG_ZH, N_LANGS };
static const char *const lang_names[N_LANGS] = { "en", "zh" };

struct guard_config {
	struct strlist official, allow;
	struct strlist block[N_LANGS], warn[N_LANGS];
};

static const char *const default_official[] = {
	"kestrel.example", "kestrel-exchange.example",
};
static const char *const default_allow[] = {
	"zendesk.com", "etherscan.io", "blockchair.com", "mempool.space",
	"tronscan.org", "bscscan.com", "wikipedia.org", "github.com",
};
static const char *const shorteners[] = {
	"bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd", "ow.ly",
	"cutt.ly", "rebrand.ly", "t.ly", "s.id", "rb.gy", "tiny.cc",
	"shorturl.at", "buff.ly", "dwz.cn", "url.cn", "t.cn", "v.gd",
	"shorte.st", "bl.ink", "lnkd.in", "qr.net", "tiny.one", "surl.li",
	"u.to", "clck.ru", "reurl.cc", "suo.im", "985.so", "kurl.ru",
};
/* the last label of a host name written without a scheme */
static const char *const tlds[] = {
	"com", "net", "org", "io", "co", "app", "xyz", "top", "info", "help",
	"support", "site", "online", "live", "me", "cc", "ly", "gl", "gd",
	"us", "uk", "cn", "hk", "sg", "link", "club", "vip", "pro",
	"biz", "finance", "exchange", "wallet", "example", "tk", "ml", "ga",
	"cf", "gq", "ru", "de", "jp", "kr", "ai", "dev", "page", "one",
	"world", "cloud", "tech", "shop", "store", "services", "network",
	"digital", "money", "cash", "bank", "gg", "fm", "tv", "ws", "be",
	"am", "ch", "fr", "nl", "eu", "ca", "au", "tw",
	"su", "website", "space", "fun", "icu", "buzz",
	"services", "security", "center", "today", "net", "global", "codes",
	"ltd", "inc", "llc", "group", "team", "chat", "news", "blog", "web",
	"mobi", "asia", "ph", "vn", "th", "ae", "tr", "br",
	"mx", "ar", "es", "pl", "se", "fi", "dk", "cz", "ua",
	"test", "zone", "claims", "claim", "airdrop", "markets",
	"trade", "ventures", "capital", "fund", "credit", "loans", "nft",
};

static void
strlist_set(struct strlist *l, const char *const *v, size_t n)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = xcalloc(n ? n : 1, sizeof(*l->v));
	for (size_t i = 0; i < n; i++)
		l->v[i] = xstrdup(v[i]);
	l->n = n;
}

static void
strlist_free(struct strlist *l)
{
	strlist_set(l, NULL, 0);
	free(l->v);
	l->v = NULL;
}

struct guard_config *
guard_config_new(void)
{
	struct guard_config *c = xcalloc(1, sizeof(*c));

	strlist_set(&c->official, default_official, ARRAY_LEN(default_official));
	strlist_set(&c->allow, default_allow, ARRAY_LEN(default_allow));
	for (int i = 0; i < N_LANGS; i++) {
		strlist_set(&c->block[i], NULL, 0);
		strlist_set(&c->warn[i], NULL, 0);
	}
	return c;
}

void
guard_config_free(struct guard_config *c)
{
	if (c == NULL)
		return;
	strlist_free(&c->official);
	strlist_free(&c->allow);
	for (int i = 0; i < N_LANGS; i++) {
		strlist_free(&c->block[i]);
		strlist_free(&c->warn[i]);
	}
	free(c);
}

static void
lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)a_lower((unsigned char)*s);
}

/* A YAML list of scalars into l; hosts are checked for shape. */
static int
load_list(struct strlist *l, const struct ynode *n, int hosts,
    struct tdesk_err *err)
{
	if (n->kind != YNODE_SEQ)
		return ynode_err(n, err, "expected a list");
	strlist_free(l);
	l->v = xcalloc(n->n ? n->n : 1, sizeof(*l->v));
	for (size_t i = 0; i < n->n; i++) {
		const char *s;
		if (ynode_str(n->items[i], &s, err) < 0)
			return -1;
		if (*s == '\0' || strlen(s) > 200)
			return ynode_err(n->items[i], err, "an empty or overlong "
			    "entry");
		if (!utf8_valid(s, strlen(s)))
			return ynode_err(n->items[i], err, "not UTF-8");
		if (hosts && (strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(s) ||
		    !strchr(s, '.') || s[0] == '.' || s[0] == '-'))
			return ynode_err(n->items[i], err, "'%s' is not a host "
			    "name (ASCII letters, digits, '-' and '.'; IDN as "
			    "xn--)", s);
		l->v[l->n] = xstrdup(s);
		lower_ascii(l->v[l->n++]);
	}
	return 0;
}

int
guard_config_load(struct guard_config *c, const struct ynode *n,
    struct tdesk_err *err)
{
	static const char *const keys[] = { "official_domains", "allow_hosts",
	    "phrases", NULL };
	static const char *const lkeys[] = { "en", "zh", NULL };
	static const char *const pkeys[] = { "block", "warn", NULL };

	if (n == NULL)
		return 0;
	if (ynode_check_keys(n, keys, "guard", err) < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value;
		const struct ynode *v = n->items[i];
		if (!strcmp(k, "official_domains")) {
			if (load_list(&c->official, v, 1, err) < 0)
				return -1;
		} else if (!strcmp(k, "allow_hosts")) {
			if (load_list(&c->allow, v, 1, err) < 0)
				return -1;
		} else {
			if (ynode_check_keys(v, lkeys, "guard phrases", err) < 0)
				return -1;
			for (size_t j = 0; j < v->n; j++) {
				int l = strcmp(v->keys[j]->value, "zh") == 0;
				const struct ynode *p = v->items[j];
				if (ynode_check_keys(p, pkeys, "guard phrases",
				    err) < 0)
					return -1;
				for (size_t q = 0; q < p->n; q++) {
					int blk = !strcmp(p->keys[q]->value,
					    "block");
					if (load_list(blk ? &c->block[l] :
					    &c->warn[l], p->items[q], 0,
					    err) < 0)
						return -1;
				}
			}
		}
	}
	return 0;
}

/* --- the result -------------------------------------------------------- */

void
guard_add(struct guard_result *r, enum guard_verdict level,
    const char *rule, size_t start, size_t end)
{
	/* one reason per rule and span */
	for (size_t i = 0; i < r->n; i++)
		if (r->r[i].rule == rule && r->r[i].start == start)
			return;
	if (r->n >= 64)		/* enough to explain any verdict */
		goto verdict;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->r = xrealloc(r->r, r->cap * sizeof(*r->r));
	}
	r->r[r->n++] = (struct guard_reason){ level, rule, start, end };
verdict:
	if (level > r->verdict)
		r->verdict = level;
}

void
guard_result_free(struct guard_result *r)
{
	free(r->r);
	memset(r, 0, sizeof(*r));
}

const char *
guard_verdict_name(enum guard_verdict v)
{
	return v == GUARD_BLOCK ? "block" : v == GUARD_WARN ? "warn" : "ok";
}

/* --- the scan ------------------------------------------------------------ */

struct hit {
	size_t pos, end;
	int tok, sent, clause;
	unsigned mask;
};

struct scan {
	const char *s;		/* the text */
	char *low;		/* ASCII-lowercased copy */
	size_t len;
	struct hit *h;
	size_t n, cap;
	/* sentences with a link / a wallet address in them */
	unsigned char *sent_link, *sent_addr;
	int n_sent;
	size_t *breaks;		/* where each sentence ends */
	size_t n_breaks, cap_breaks;
	unsigned seen;		/* SEEN_*: what the later scanners need */
};

/* Seen by scan_text: a scanner whose first byte never occurs is skipped
 * (a superset of where it could find anything). */
enum {
	SEEN_LINK = 1,		/* "://" or a '.' not ending a sentence */
	SEEN_PHONE = 2,		/* a digit, '+' or '(' */
	SEEN_PLACEHOLDER = 4,	/* { [ < $ % or U+3010 */
};

static unsigned
seen_ascii(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (a_digit(c) || c == '+' || c == '(')
		return SEEN_PHONE;
	if (c == '{' || c == '[' || c == '<' || c == '$' || c == '%')
		return SEEN_PLACEHOLDER;
	if ((c == '.' && i + 1 < len && !a_space((unsigned char)s[i + 1])) ||
	    (c == ':' && i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/'))
		return SEEN_LINK;
	return 0;
}

static void
add_break(struct scan *sc, size_t pos)
{
	if (sc->n_breaks == sc->cap_breaks) {
		sc->cap_breaks = sc->cap_breaks ? 2 * sc->cap_breaks : 32;
		sc->breaks = xrealloc(sc->breaks, sc->cap_breaks *
		    sizeof(*sc->breaks));
	}
	sc->breaks[sc->n_breaks++] = pos;
}

/* The sentence byte pos is in (the same numbering as the hits). */
static int
sent_of(const struct scan *sc, size_t pos)
{
	size_t lo = 0, hi = sc->n_breaks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sc->breaks[mid] < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo;
}

static inline int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Match term t at low[i..]; returns the end or 0. */
static size_t
term_match(const char *low, size_t len, size_t i, const char *t)
{
	int ascii = (unsigned char)t[0] < 0x80;

	while (*t) {
		char c = *t;
		if (c == '*' && t[1] == '\0')
			return i;
		if (ascii && c == ' ') {
			if (i >= len || (low[i] != ' ' && low[i] != '\t' &&
			    low[i] != '\n' && low[i] != '\r'))
				return 0;
			while (i < len && (low[i] == ' ' || low[i] == '\t' ||
			    low[i] == '\n' || low[i] == '\r'))
				i++;
			t++;
			continue;
		}
		if (ascii && c == '-') {
			if (i < len && (low[i] == '-' || low[i] == ' '))
				i++;
			t++;
			continue;
		}
		if (ascii && c == '\'') {
			if (i < len && low[i] == '\'')
				i++;
			else if (i + 2 < len && !memcmp(low + i, "\xE2\x80\x99",
			    3))
				i += 3;
			t++;
			continue;
		}
		if (i >= len || low[i] != c)
			return 0;
		i++;
		t++;
	}
	if (ascii && i < len && is_alnum((unsigned char)low[i]))
		return 0;
	return i;
}

/* Terms by their first character (ASCII: the byte lowercased; other
 * scripts: the code point, hashed), longest first. */
#define N_BUCKETS 2048
static uint16_t bucket_start[N_BUCKETS + 1];
static uint16_t bucket_terms[ARRAY_LEN(lexicon)];
static int buckets_ready;

static unsigned
term_key(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;

	if (c < 0x80) {
		/* and the next letter, past what term_match lets vary */
		size_t i = 1;
		while (i < len && (s[i] == ' ' || s[i] == '-' || s[i] == '\'' ||
		    s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		unsigned char d = i < len ? (unsigned char)s[i] : 0;
		if (d >= 'A' && d <= 'Z')
			d |= 0x20;
		return (c * 131u + d) % 1536;
	}
	u8_decode(s, len, &cp);
	return 1536 + cp % (N_BUCKETS - 1536);
}

static int
cmp_term(const void *a, const void *b)
{
	const struct term *x = &lexicon[*(const uint16_t *)a];
	const struct term *y = &lexicon[*(const uint16_t *)b];
	unsigned kx = term_key(x->s, strlen(x->s));
	unsigned ky = term_key(y->s, strlen(y->s));
	if (kx != ky)
		return kx < ky ? -1 : 1;
	size_t lx = strlen(x->s), ly = strlen(y->s);
	return lx > ly ? -1 : lx < ly;
}

static void
buckets_init(void)
{
	size_t n = ARRAY_LEN(lexicon);

	if (buckets_ready)
		return;
	for (size_t i = 0; i < n; i++)
		bucket_terms[i] = (uint16_t)i;
	qsort(bucket_terms, n, sizeof(bucket_terms[0]), cmp_term);
	for (unsigned b = 0, i = 0; b <= N_BUCKETS; b++) {
		while (i < n && term_key(lexicon[bucket_terms[i]].s,
		    strlen(lexicon[bucket_terms[i]].s)) < b)
			i++;
		bucket_start[b] = (uint16_t)i;
	}
	buckets_ready = 1;
}

static void
add_hit(struct scan *sc, size_t pos, size_t end, int tok, int sent,
    int clause, unsigned mask)
{
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 64;
		sc->h = xrealloc(sc->h, sc->cap * sizeof(*sc->h));
	}
	sc->h[sc->n++] = (struct hit){ pos, end, tok, sent, clause, mask };
}

static void
scan_terms(struct scan *sc, size_t i, int tok, int sent, int clause)
{
	unsigned b = term_key(sc->low + i, sc->len - i);

	/* a word inside a term found before is part of it: the "phishing"
	 * of "anti-phishing code" is no warning */
	if (sc->n && i < sc->h[sc->n - 1].end)
		return;
	for (int k = bucket_start[b]; k < bucket_start[b + 1]; k++) {
		const struct term *t = &lexicon[bucket_terms[k]];
		size_t end = term_match(sc->low, sc->len, i, t->s);
		if (end) {
			add_hit(sc, i, end, tok, sent, clause, t->mask);
			return;		/* the longest term here */
		}
	}
}

/* Sentence and clause breaks, tokens, lexicon hits. */
static void
scan_text(struct scan *sc)
{
	const char *s = sc->s;
	size_t len = sc->len, i = 0;
	int tok = 0, sent = 0, clause = 0;

	buckets_init();
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (a_alpha(c)) {
				if (i == 0 || !is_alnum((unsigned char)s[i - 1])) {
					tok++;
					scan_terms(sc, i, tok, sent, clause);
				}
				i++;
				continue;
			}
			sc->seen |= seen_ascii(s, len, i);
			if (a_digit(c)) {
				if (i == 0 || !is_alnum((unsigned char)s[i - 1])) {
					tok++;
					scan_terms(sc, i, tok, sent, clause);
				}
			} else if (c == '\n' || c == '!' || c == '?' ||
			    c == ';' || (c == '.' && (i + 1 >= len ||
			    s[i + 1] == ' ' || s[i + 1] == '\n'))) {
				add_break(sc, i);
				sent++;
				clause++;
			} else if (c == ',' || c == '(' || c == ')') {
				clause++;
			} else if (c == '\'' || c == '-') {
				/* "don't", "2-fa" */
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);
		if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F ||
		    cp == 0xFF1B || cp == 0x2028 || cp == 0x2029) {
			add_break(sc, i);
			sent++;
			clause++;
		} else if (cp == 0xFF0C || cp == 0x3001) {
			clause++;
		} else if (cp == 0x3010) {
			sc->seen |= SEEN_PLACEHOLDER;
		} else if (utf8_is_cjk(cp)) {
			tok++;
			scan_terms(sc, i, tok, sent, clause);
		}
		i += n;
	}
	sc->n_sent = sent + 1;
}

/* --- rules on the hits ----------------------------------------------------- */

/* Whether hit v is negated: a "never"-like word earlier in its sentence,
 * or a "not"-like word a few tokens before it in its clause. */
static int
negated(const struct scan *sc, size_t lo, size_t vi)
{
	const struct hit *v = &sc->h[vi];

	for (size_t k = lo; k < vi; k++) {
		const struct hit *n = &sc->h[k];
		if (n->sent != v->sent)
			continue;
		if (n->mask & L_NEGS)
			return 1;
		/* a Chinese negation stands further from its verb:
		 * 不要把验证码告诉 */
		if ((n->mask & L_NEG) && n->clause == v->clause &&
		    v->tok - n->tok <= ((unsigned char)sc->s[n->pos] >= 0x80 ?
		    9 : 5))
			return 1;
	}
	return 0;
}

static int
has_between(const struct scan *sc, size_t a, size_t b, unsigned mask)
{
	if (a > b) {
		size_t t = a;
		a = b;
		b = t;
	}
	for (size_t k = a + 1; k < b; k++)
		if (sc->h[k].mask & mask)
			return 1;
	return 0;
}

static void
rules_sentence(const struct scan *sc, size_t lo, size_t hi,
    struct guard_result *r)
{
	int warned = 0, page = 0, addr = 0, anyone = 0, neg = 0, move = 0;
	int sent = sc->h[lo].sent;

	for (size_t k = lo; k < hi; k++) {
		const struct hit *h = &sc->h[k];
		if (h->mask & L_WARN) {
			/* "this is not a scam" is no warning */
			int neg = 0;
			for (size_t j = lo; j < k; j++)
				if ((sc->h[j].mask & (L_NEG | L_NEGS)) &&
				    h->tok - sc->h[j].tok <= 2)
					neg = 1;
			if (!neg)
				warned = 1;
		}
		if (h->mask & L_PAGE)
			page = 1;
		if (h->mask & L_ANYONE)
			anyone = 1;
		if (h->mask & L_MOVE)
			move = 1;
		if (h->mask & (L_NEG | L_NEGS))
			neg = 1;
		if (h->mask & L_ADDR)
			addr = 1;
	}
	/* "do not tell anyone", "不要告诉任何人": a warning */
	if (anyone && neg)
		warned = 1;
	if (sc->sent_link[sent])
		page = 1;
	if (sc->sent_addr[sent])
		addr = 1;
	if (warned)
		goto always;

	for (size_t k = lo; k < hi; k++) {
		const struct hit *v = &sc->h[k];
		if ((v->mask & (L_ASK | L_ENTER)) || ((v->mask & L_WRITE) &&
		    page)) {
			if (negated(sc, lo, k))
				continue;
			for (size_t j = lo; j < hi; j++) {
				const struct hit *o = &sc->h[j];
				int strong = (o->mask & L_STRONG) != 0;
				if (j == k || !(o->mask & (L_STRONG | L_WEAK)))
					continue;
				if (abs(o->tok - v->tok) > 10)
					continue;
				/* English asks for what follows the verb ("reset
				 * your 2FA and tell us" asks for nothing);
				 * Chinese may put it first (请把助记词发给我) */
				if (o->pos < v->pos && (unsigned char)sc->s[v->pos]
				    < 0x80)
					continue;
				if (has_between(sc, k, j, L_NEG | L_NEGS))
					continue;
				if (!(v->mask & L_ASK) && !strong && !page)
					continue;
				guard_add(r, GUARD_BLOCK, strong ?
				    "ask-secret" : "ask-credential",
				    v->pos < o->pos ? v->pos : o->pos,
				    v->end > o->end ? v->end : o->end);
				break;
			}
		}
		if ((v->mask & L_REMOTE) && !negated(sc, lo, k))
			guard_add(r, GUARD_BLOCK, "remote-access", v->pos,
			    v->end);
		if ((v->mask & L_MSG) && !negated(sc, lo, k))
			guard_add(r, GUARD_BLOCK, "off-platform", v->pos,
			    v->end);
		if ((v->mask & L_SAFE) && !negated(sc, lo, k))
			guard_add(r, GUARD_BLOCK, "safe-wallet", v->pos,
			    v->end);
		/* "our secure escrow address", "安全托管地址": with a verb
		 * that moves funds */
		if ((v->mask & L_SAFEADJ) && move && !negated(sc, lo, k))
			for (size_t j = k + 1; j < hi && j <= k + 2; j++)
				if ((sc->h[j].mask & L_SAFENOUN) &&
				    sc->h[j].tok - v->tok <= 2) {
					guard_add(r, GUARD_BLOCK, "safe-wallet",
					    v->pos, sc->h[j].end);
					break;
				}
		if ((v->mask & L_MOVE) && addr && !negated(sc, lo, k)) {
			for (size_t j = lo; j < hi; j++)
				if ((sc->h[j].mask & L_FUNDS) &&
				    abs(sc->h[j].tok - v->tok) <= 8) {
					guard_add(r, GUARD_BLOCK,
					    "move-funds", v->pos, v->end);
					break;
				}
		}
		if ((v->mask & L_DISABLE) && !negated(sc, lo, k)) {
			for (size_t j = lo; j < hi; j++)
				if (j != k && (sc->h[j].mask & L_SECFEAT) &&
				    abs(sc->h[j].tok - v->tok) <= 6 &&
				    !has_between(sc, k, j, L_NEG | L_NEGS)) {
					guard_add(r, GUARD_BLOCK,
					    "disable-security", v->pos,
					    sc->h[j].end > v->end ?
					    sc->h[j].end : v->end);
					break;
				}
		}
	}
always:
	for (size_t k = lo; k < hi; k++)
		if (sc->h[k].mask & L_TIPOFF)
			guard_add(r, GUARD_BLOCK, "tipping-off", sc->h[k].pos,
			    sc->h[k].end);
}

/* --- links -------------------------------------------------------------- */

static int
is_hidden_cp(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A &&
	    cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x00AD ||
	    cp == 0x061C || cp == 0x180E || (cp >= 0xE0000 && cp <= 0xE007F);
}

static int
is_bidi_cp(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 &&
	    cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* A character that may be part of a host name as written (letters of
 * any script: look-alikes are Cyrillic or Greek; hidden characters too,
 * so that they are caught inside the link). */
static size_t
host_char_wide(const char *s, size_t len, size_t i)
{
	uint32_t cp;
	size_t n;

	n = u8_decode(s + i, len - i, &cp);
	if (cp == 0xFFFD || utf8_is_cjk(cp) || (cp >= 0x2000 && cp <= 0x206F &&
	    !is_hidden_cp(cp)) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF65) || cp == 0x00A0)
		return 0;
	return n;
}

static inline size_t
host_char(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (c < 0x80)
		return (is_alnum(c) || c == '-' || c == '.' || c == '_') ? 1 : 0;
	return host_char_wide(s, len, i);
}

/* Latin look-alikes of Cyrillic and Greek letters, full-width forms and
 * the digits/letters people swap; an ASCII "skeleton" of a label. */
static char
skeleton_cp(uint32_t cp)
{
	static const struct { uint32_t cp; char c; } map[] = {
		{ 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043E, 'o' },
		{ 0x0440, 'p' }, { 0x0441, 'c' }, { 0x0443, 'y' },
		{ 0x0445, 'x' }, { 0x0456, 'i' }, { 0x0458, 'j' },
		{ 0x04BB, 'h' }, { 0x0455, 's' }, { 0x051B, 'q' },
		{ 0x051D, 'w' }, { 0x0501, 'd' }, { 0x043A, 'k' },
		{ 0x0442, 't' }, { 0x043D, 'h' }, { 0x0432, 'b' },
		{ 0x043C, 'm' }, { 0x0433, 'r' },
		{ 0x03B1, 'a' }, { 0x03BF, 'o' }, { 0x03C1, 'p' },
		{ 0x03BD, 'v' }, { 0x03B9, 'i' }, { 0x03BA, 'k' },
		{ 0x03C4, 't' }, { 0x03B5, 'e' }, { 0x03C5, 'u' },
		{ 0x0261, 'g' }, { 0x0251, 'a' }, { 0x026A, 'i' },
		{ 0x1E37, 'l' }, { 0x0131, 'i' }, { 0x0142, 'l' },
	};
	if (cp >= 0xFF21 && cp <= 0xFF3A)
		return (char)('a' + (cp - 0xFF21));
	if (cp >= 0xFF41 && cp <= 0xFF5A)
		return (char)('a' + (cp - 0xFF41));
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return (char)('0' + (cp - 0xFF10));
	if (cp >= 0xE0 && cp <= 0xE5)
		return 'a';
	if (cp >= 0xE8 && cp <= 0xEB)
		return 'e';
	if (cp >= 0xEC && cp <= 0xEF)
		return 'i';
	if ((cp >= 0xF2 && cp <= 0xF6) || cp == 0xF8)
		return 'o';
	if (cp >= 0xF9 && cp <= 0xFC)
		return 'u';
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (map[i].cp == cp)
			return map[i].c;
	return 0;
}

/* ASCII skeleton of host: look-alike letters folded, digits and '-'
 * that imitate letters folded ("0"->o, "1"->l, "rn"->m, "vv"->w). */
static void
skeleton(struct buf *out, const char *h, size_t len, int *non_ascii,
    int *mixed, int *hidden)
{
	int latin = 0, other = 0;

	buf_reset(out);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)h[i];
		if (c == '.') {
			if (latin && other)
				*mixed = 1;
			latin = other = 0;
			buf_addc(out, '.');
			i++;
			continue;
		}
		if (c < 0x80) {
			char l = (char)a_lower(c);
			if (l >= 'a' && l <= 'z')
				latin = 1;
			if (l == '0')
				l = 'o';
			else if (l == '1')
				l = 'l';
			else if (l == '3')
				l = 'e';
			else if (l == '5')
				l = 's';
			else if (l == '-' || l == '_')
				l = 0;
			if (l)
				buf_addc(out, l);
			i++;
			continue;
		}
		uint32_t cp;
		i += u8_decode(h + i, len - i, &cp);
		*non_ascii = 1;
		if (is_hidden_cp(cp)) {
			*hidden = 1;
			continue;
		}
		char k = skeleton_cp(cp);
		other = 1;
		if (k)
			buf_addc(out, k);
		else
			buf_addc(out, '?');
	}
	if (latin && other)
		*mixed = 1;
	/* rn -> m, vv -> w, l and i alike */
	size_t w = 0;
	for (size_t r = 0; r < out->len; r++) {
		char c = out->data[r];
		if (c == 'r' && r + 1 < out->len && out->data[r + 1] == 'n') {
			c = 'm';
			r++;
		} else if (c == 'v' && r + 1 < out->len &&
		    out->data[r + 1] == 'v') {
			c = 'w';
			r++;
		} else if (c == 'i') {
			c = 'l';
		}
		out->data[w++] = c;
	}
	out->len = w;
	if (out->data)
		out->data[w] = '\0';
}

/* Damerau-Levenshtein distance of short strings, capped at 9. */
static int
edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	int d[34][34];

	if (la > 32 || lb > 32)
		return 9;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb] > 9 ? 9 : d[la][lb];
}

static int
host_under(const char *host, size_t hl, const char *dom)
{
	size_t dl = strlen(dom);

	if (hl == dl)
		return strncasecmp(host, dom, dl) == 0;
	return hl > dl && host[hl - dl - 1] == '.' &&
	    strncasecmp(host + hl - dl, dom, dl) == 0;
}

static int
in_list(const char *host, size_t hl, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (host_under(host, hl, v[i]))
			return 1;
	return 0;
}

/* Whether the skeleton of a host imitates an official domain: holds its
 * brand, or a label a typo or two away from the brand. */
static int
imitates(const struct guard_config *c, const struct buf *sk)
{
	if (sk->len == 0)
		return 0;
	for (size_t i = 0; i < c->official.n; i++) {
		struct buf b = BUF_INIT;
		int dummy = 0, dummy2 = 0, dummy3 = 0, hit = 0;
		const char *dom = c->official.v[i];
		const char *dot = strchr(dom, '.');
		skeleton(&b, dom, dot ? (size_t)(dot - dom) : strlen(dom),
		    &dummy, &dummy2, &dummy3);
		if (b.len >= 4 && strstr(sk->data, b.data))
			hit = 1;
		for (size_t p = 0; !hit && p < sk->len;) {
			size_t q = p;
			while (q < sk->len && sk->data[q] != '.')
				q++;
			int lim = b.len >= 6 ? 2 : 1;
			if (b.len >= 4 && q - p >= 3 && edit_distance(sk->data
			    + p, q - p, b.data, b.len) <= lim)
				hit = 1;
			p = q + 1;
		}
		buf_free(&b);
		if (hit)
			return 1;
	}
	return 0;
}

static int
is_tld(const char *s, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(tlds); i++)
		if (strlen(tlds[i]) == n && strncasecmp(s, tlds[i], n) == 0)
			return 1;
	return n > 4 && strncasecmp(s, "xn--", 4) == 0;
}

static void
check_host(const struct guard_config *c, const char *s, size_t hs,
    size_t he, size_t ls, size_t le, int userinfo, struct guard_result *r)
{
	/* userinfo: 1 for user@host in a link, 2 for an e-mail address */
	struct buf sk = BUF_INIT;
	int non_ascii = 0, mixed = 0, hidden = 0;
	const char *h = s + hs;
	size_t hl = he - hs;

	while (hl && h[hl - 1] == '.')
		hl--;
	if (userinfo == 1) {
		guard_add(r, GUARD_BLOCK, "link-userinfo", ls, le);
		return;
	}
	skeleton(&sk, h, hl, &non_ascii, &mixed, &hidden);
	if (hidden) {
		guard_add(r, GUARD_BLOCK, "link-hidden-char", ls, le);
		goto out;
	}
	if (!non_ascii && in_list(h, hl, (const char *const *)c->official.v,
	    c->official.n))
		goto out;
	if (!non_ascii && in_list(h, hl, (const char *const *)c->allow.v,
	    c->allow.n)) {
		if (userinfo != 2)
			guard_add(r, GUARD_WARN, "link-unofficial", ls, le);
		goto out;
	}
	if (!non_ascii && in_list(h, hl, shorteners, ARRAY_LEN(shorteners))) {
		guard_add(r, GUARD_BLOCK, "link-shortener", ls, le);
		goto out;
	}
	if (bspan(h, hl, "0123456789.") == hl) {
		guard_add(r, GUARD_BLOCK, "link-ip", ls, le);
		goto out;
	}
	for (size_t i = 0; i + 4 <= hl; i++)
		if (!strncasecmp(h + i, "xn--", 4) && (i == 0 ||
		    h[i - 1] == '.')) {
			guard_add(r, GUARD_BLOCK, "link-punycode", ls, le);
			goto out;
		}
	if (mixed) {
		guard_add(r, GUARD_BLOCK, "link-mixed-script", ls, le);
		goto out;
	}
	if (imitates(c, &sk)) {
		guard_add(r, GUARD_BLOCK, non_ascii ? "link-homoglyph" :
		    "link-lookalike", ls, le);
		goto out;
	}
	if (userinfo != 2)
		guard_add(r, GUARD_WARN, "link-unofficial", ls, le);
out:
	buf_free(&sk);
}

/* Find links: scheme://..., www...., user@host, bare host.tld. */
static void
scan_links(const struct guard_config *c, struct scan *sc,
    struct guard_result *r)
{
	const char *s = sc->s;
	size_t len = sc->len, i = 0;

	while (i < len) {
		unsigned char ch = (unsigned char)s[i];
		/* a scheme */
		if ((ch == 'h' || ch == 'H') && i + 7 < len &&
		    (i == 0 || !is_alnum((unsigned char)s[i - 1]))) {
			size_t p = i;
			while (p < len && p - i < 10 &&
			    a_alpha((unsigned char)s[p]))
				p++;
			if (p + 3 <= len && !memcmp(s + p, "://", 3) &&
			    (!strncasecmp(s + i, "http", 4) ||
			    !strncasecmp(s + i, "hxxp", 4))) {
				size_t a = p + 3, e = a, hs, he;
				int at = 0;
				/* the authority: up to / ? # or a blank */
				while (e < len) {
					size_t n = host_char(s, len, e);
					if (n == 0 && (s[e] == '@' ||
					    s[e] == ':' || s[e] == '%')) {
						n = 1;
					}
					if (n == 0)
						break;
					e += n;
				}
				hs = a;
				for (size_t q = a; q < e; q++)
					if (s[q] == '@') {
						at = 1;
						hs = q + 1;
					}
				he = hs;
				while (he < e && s[he] != ':')
					he++;
				size_t le = e;
				while (le < len && !a_space((unsigned char)
				    s[le]) && (unsigned char)s[le] >= 0x21)
					le++;
				sc->sent_link[sent_of(sc, i)] = 1;
				/* a hidden character anywhere in the link */
				for (size_t q = a; q < le;) {
					uint32_t cp;
					size_t n = u8_decode(s + q, le - q,
					    &cp);
					if (is_hidden_cp(cp)) {
						guard_add(r, GUARD_BLOCK,
						    "link-hidden-char", i, le);
						break;
					}
					q += n;
				}
				check_host(c, s, hs, he, i, le, at, r);
				i = le;
				continue;
			}
		}
		/* a bare host: label(.label)+ ending in a known TLD */
		size_t n = host_char(s, len, i);
		if (n && (ch != '.' && ch != '-' && ch != '_') &&
		    (i == 0 || !host_char(s, len, i - 1) ||
		    (unsigned char)s[i - 1] >= 0x80)) {
			size_t e = i, last = i;
			int dots = 0;
			while (e < len && (n = host_char(s, len, e)) != 0) {
				if (s[e] == '.') {
					dots++;
					last = e + 1;
				}
				e += n;
			}
			size_t he = e;
			while (he > i && (s[he - 1] == '.' || s[he - 1] == '-'))
				he--;
			if (last > he)
				last = he;
			if (dots && last < he && last > i &&
			    is_tld(s + last, he - last)) {
				size_t ls = i, le = he;
				int at = 0;
				/* user@host: the part before @ is the user;
				 * "official.com@evil" style tricks */
				if (he < len && s[he] == '@') {
					size_t hs2 = he + 1, he2 = hs2;
					while (he2 < len && host_char(s, len,
					    he2))
						he2 += host_char(s, len, he2);
					while (he2 > hs2 && s[he2 - 1] == '.')
						he2--;
					if (he2 > hs2 && memchr(s + hs2, '.',
					    he2 - hs2)) {
						at = 1;
						le = he2;
					}
				}
				/* the rest of a path */
				while (le < len && (s[le] == '/' || s[le] ==
				    '?' || s[le] == '#') && le < len) {
					while (le < len && !a_space(
					    (unsigned char)s[le]) &&
					    (unsigned char)s[le] >= 0x21)
						le++;
				}
				sc->sent_link[sent_of(sc, i)] = 1;
				if (at && in_list(s + i, he - i,
				    (const char *const *)c->official.v,
				    c->official.n))
					guard_add(r, GUARD_BLOCK,
					    "link-userinfo", ls, le);
				else if (i > 0 && s[i - 1] == '@')
					/* an e-mail address: only imitations
					 * count */
					check_host(c, s, i, he, ls, le, 2, r);
				else
					check_host(c, s, i, he, ls, le, 0, r);
				i = le > e ? le : e;
				continue;
			}
			i = e;
			continue;
		}
		if (n == 0)	/* skip a character by its lead byte */
			n = ch < 0xC0 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
		i += n < len - i ? n : len - i;
	}
}

/* --- phones, addresses, placeholders, hidden characters ------------------- */

static int
is_b58(unsigned char c)
{
	return is_alnum(c) && c != '0' && c != 'O' && c != 'I' && c != 'l';
}

static void
scan_tokens(const struct guard_config *c, struct scan *sc,
    struct guard_result *r)
{
	const char *s = sc->s;
	size_t len = sc->len;
	(void)c;

	for (size_t i = 0; i < len;) {
		unsigned char ch = (unsigned char)s[i];
		if (!is_alnum(ch) && ch != '+' && ch != '(') {
			if (ch >= 0x80) {
				uint32_t cp;
				size_t n = u8_decode(s + i, len - i, &cp);
				if (is_bidi_cp(cp))
					guard_add(r, GUARD_BLOCK,
					    "hidden-bidi", i, i + n);
				else if (is_hidden_cp(cp) && cp != 0x200D)
					guard_add(r, GUARD_WARN,
					    "hidden-char", i, i + n);
				i += n;
			} else {
				i++;
			}
			continue;
		}
		if (i > 0 && is_alnum((unsigned char)s[i - 1])) {
			i++;
			continue;
		}
		/* one token: letters and digits */
		size_t e = i;
		while (e < len && is_alnum((unsigned char)s[e]))
			e++;
		size_t tl = e - i;
		int sent = sent_of(sc, i);
		/* wallet addresses */
		if (tl == 42 && s[i] == '0' && (s[i + 1] == 'x' ||
		    s[i + 1] == 'X') && bspan(s + i + 2, 40,
		    "0123456789abcdefABCDEF") >= 40) {
			guard_add(r, GUARD_WARN, "wallet-address", i, e);
			if (sent < sc->n_sent)
				sc->sent_addr[sent] = 1;
		} else if (tl >= 14 && tl <= 90 && (!strncasecmp(s + i, "bc1",
		    3) || !strncasecmp(s + i, "tb1", 3) ||
		    !strncasecmp(s + i, "ltc1", 4))) {
			guard_add(r, GUARD_WARN, "wallet-address", i, e);
			if (sent < sc->n_sent)
				sc->sent_addr[sent] = 1;
		} else if (tl >= 26 && tl <= 35 && (s[i] == '1' || s[i] == '3' ||
		    s[i] == 'T' || s[i] == 'L' || s[i] == 'M' || s[i] == 'D')) {
			int ok = 1, up = 0, lo = 0, dig = 0;
			for (size_t q = i; q < e; q++) {
				unsigned char d = (unsigned char)s[q];
				ok &= is_b58(d);
				up |= d >= 'A' && d <= 'Z';
				lo |= d >= 'a' && d <= 'z';
				dig |= d >= '0' && d <= '9';
			}
			if (ok && up && lo && dig && (s[i] != 'T' || tl == 34)) {
				guard_add(r, GUARD_WARN, "wallet-address", i,
				    e);
				if (sent < sc->n_sent)
					sc->sent_addr[sent] = 1;
			}
		}
		/* XXX as a placeholder */
		if (tl >= 3 && bspan(s + i, tl, "X") == tl)
			guard_add(r, GUARD_BLOCK, "placeholder", i, e);
		i = e > i ? e : i + 1;
	}
}

/* A phone number: "+" and 8-15 digits, or 7-15 digits in groups with a
 * phone word nearby, or a Chinese mobile number written in groups. Not
 * order numbers, ids, amounts or dates (no "+", no groups). */
static void
scan_phones(struct scan *sc, struct guard_result *r)
{
	const char *s = sc->s;
	size_t len = sc->len;
	unsigned char *ctx = xcalloc((size_t)sc->n_sent + 1, 1);

	/* sentences with a phone word (call, 电话) or a messenger */
	for (size_t k = 0; k < sc->n; k++)
		if (sc->h[k].mask & (L_PHONE | L_MSG))
			ctx[sc->h[k].sent] = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		int plus = 0;
		int here = -1;	/* a phone word in the sentence: asked late */
		if (ch == '+' && i + 1 < len && (a_digit((unsigned char)
		    s[i + 1]) || s[i + 1] == '(' || s[i + 1] == ' '))
			plus = 1;
		else if (!a_digit(ch) && ch != '(')
			continue;
		if (i > 0 && (is_alnum((unsigned char)s[i - 1]) ||
		    s[i - 1] == '.' || s[i - 1] == ',' || s[i - 1] == '/' ||
		    s[i - 1] == '#' || s[i - 1] == '-' || s[i - 1] == '$' ||
		    s[i - 1] == ':'))
			continue;
		size_t e = i + plus, lastd = e;
		int digits = 0, groups = 1, seps = 0, paren = 0;
		while (e < len) {
			unsigned char d = (unsigned char)s[e];
			if (a_digit(d)) {
				digits++;
				lastd = e + 1;
				e++;
			} else if ((d == ' ' || d == '-' || d == '.' ||
			    d == '(' || d == ')') && e + 1 < len &&
			    (a_digit((unsigned char)s[e + 1]) ||
			    s[e + 1] == '(' || (d == ')' && s[e + 1] == ' '))
			    && digits < 16) {
				if (d == '(' || d == ')')
					paren = 1;
				if (d == '.' && !seps)
					break;	/* an amount: 1234.56 */
				groups++;
				seps++;
				e++;
			} else {
				break;
			}
		}
		if (lastd < len && is_alnum((unsigned char)s[lastd]))
			goto next;
		int phone = 0;
		if (plus && digits >= 8 && digits <= 15)
			phone = 1;
		else if (digits >= 7 && digits <= 15 && (groups >= 2 ||
		    paren) && (here = ctx[sent_of(sc, i)]))
			phone = 1;
		else if (digits == 11 && s[i] == '1' && groups >= 2 &&
		    groups <= 4 && strchr("3456789", s[i + 1]))
			phone = 1;	/* 138 0013 8000 */
		else if (digits >= 7 && digits <= 15 && groups == 1 &&
		    (here < 0 ? ctx[sent_of(sc, i)] : here) && !(digits == 8 &&
		    (s[i] == '1' || s[i] == '2')))
			phone = 1;
		if (phone)
			guard_add(r, GUARD_BLOCK, "phone-number", i, lastd);
next:
		i = lastd > i ? lastd - 1 : i;
	}
	free(ctx);
}

static void
scan_placeholders(struct scan *sc, struct guard_result *r)
{
	static const char *const open[] = { "{{", "{%", "[[", "<<", "${",
	    "%s", "%d" };
	static const char *const close[] = { "}}", "%}", "]]", ">>", "}", "",
	    "" };
	const char *s = sc->s;
	size_t len = sc->len;

	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != '{' && c != '[' && c != '<' && c != '$' && c != '%' &&
		    c != 0xE3)
			continue;
		for (size_t k = 0; k < ARRAY_LEN(open); k++) {
			if (s[i] != open[k][0] || s[i + 1] != open[k][1])
				continue;
			if (!*close[k]) {
				if (i + 2 < len && is_alnum((unsigned char)
				    s[i + 2]))
					continue;
				guard_add(r, GUARD_BLOCK, "placeholder", i,
				    i + 2);
				continue;
			}
			const char *e = NULL;
			size_t lim = len - i > 80 ? 80 : len - i;
			for (size_t q = i + 2; q + strlen(close[k]) <= i + lim;
			    q++)
				if (!memcmp(s + q, close[k], strlen(close[k]))) {
					e = s + q + strlen(close[k]);
					break;
				}
			if (e)
				guard_add(r, GUARD_BLOCK, "placeholder", i,
				    (size_t)(e - s));
		}
		/* [NAME], [CUSTOMER_NAME], 【姓名】 */
		if (s[i] == '[') {
			size_t q = i + 1;
			while (q < len && q - i < 40 && ((s[q] >= 'A' &&
			    s[q] <= 'Z') || s[q] == '_' || s[q] == ' '))
				q++;
			if (q < len && s[q] == ']' && q - i >= 4)
				guard_add(r, GUARD_BLOCK, "placeholder", i,
				    q + 1);
		}
		if ((unsigned char)s[i] == 0xE3 && i + 2 < len &&
		    ((unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2]
		    == 0x90)) {
			static const char *const what[] = { "姓名", "名字",
			    "金额", "日期", "时间", "编号", "单号", "客户",
			    "用户名", "填写", "xx", "XX" };
			const char *e = NULL;
			for (size_t q = i + 3; q + 3 <= len && q < i + 40; q++)
				if (!memcmp(s + q, "\xE3\x80\x91", 3)) {
					e = s + q;
					break;
				}
			if (e == NULL)
				continue;
			for (size_t k = 0; k < ARRAY_LEN(what); k++)
				if (memmem(s + i, (size_t)(e - s) - i, what[k],
				    strlen(what[k]))) {
					guard_add(r, GUARD_BLOCK,
					    "placeholder", i, (size_t)(e - s)
					    + 3);
					break;
				}
		}
	}
}

static void
scan_phrases(const struct guard_config *c, struct scan *sc, const char *lang,
    struct guard_result *r)
{
	for (int l = 0; l < N_LANGS; l++) {
		if (lang && *lang && strncmp(lang, lang_names[l], 2) != 0)
			continue;
		for (int blk = 0; blk < 2; blk++) {
			const struct strlist *p = blk ? &c->block[l] :
			    &c->warn[l];
			for (size_t i = 0; i < p->n; i++) {
				size_t pl = strlen(p->v[i]);
				const char *h = sc->low;
				size_t left = sc->len;
				const char *m;
				while ((m = memmem(h, left, p->v[i], pl))) {
					size_t at = (size_t)(m - sc->low);
					guard_add(r, blk ? GUARD_BLOCK :
					    GUARD_WARN, blk ? "phrase-block" :
					    "phrase-warn", at, at + pl);
					left = sc->len - at - pl;
					h = m + pl;
				}
			}
		}
	}
}

void
guard_check(const struct guard_config *c, const char *text, size_t len,
    const char *lang, const struct redact_hashes *secrets,
    struct guard_result *out)
{
	struct scan sc = { .s = text, .len = len };

	out->verdict = GUARD_OK;
	out->n = 0;
	sc.low = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		sc.low[i] = (char)a_lower((unsigned char)text[i]);
	sc.low[len] = '\0';
	scan_text(&sc);
	sc.sent_link = xcalloc((size_t)sc.n_sent + 1, 1);
	sc.sent_addr = xcalloc((size_t)sc.n_sent + 1, 1);
	if (sc.seen & SEEN_LINK)
		scan_links(c, &sc, out);
	scan_tokens(c, &sc, out);
	for (size_t lo = 0; lo < sc.n;) {
		size_t hi = lo;
		while (hi < sc.n && sc.h[hi].sent == sc.h[lo].sent)
			hi++;
		rules_sentence(&sc, lo, hi, out);
		lo = hi;
	}
	if (sc.seen & SEEN_PHONE)
		scan_phones(&sc, out);
	if (sc.seen & SEEN_PLACEHOLDER)
		scan_placeholders(&sc, out);
	scan_phrases(c, &sc, lang, out);
	redact_guard_scan(text, len, secrets, out);
	free(sc.low);
	free(sc.h);
	free(sc.sent_link);
	free(sc.sent_addr);
	free(sc.breaks);
}

/* --- output ------------------------------------------------------------------ */

void
json_str(struct buf *out, const char *s, size_t len)
{
	buf_addc(out, '"');
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
			buf_addc(out, (char)c);
			i++;
			continue;
		}
		if (c == '"' || c == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)c);
			i++;
			continue;
		}
		if (c == '\n') {
			buf_adds(out, "\\n");
			i++;
			continue;
		}
		if (c < 0x80) {
			buf_printf(out, "\\u%04x", c);
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
		    cp == 0x2029 || is_hidden_cp(cp))
			buf_printf(out, "\\u%04x", (unsigned)(cp & 0xFFFF));
		else if (cp > 0xFFFF && is_hidden_cp(cp))
			buf_adds(out, "\\ufffd");
		else
			utf8_encode(out, cp);
		i += n;
	}
	buf_addc(out, '"');
}

static void
excerpt(struct buf *out, const char *text, size_t len, size_t a, size_t b)
{
	size_t n = b > a ? b - a : 0;
	if (a > len)
		a = len;
	if (n > len - a)
		n = len - a;
	if (n > 80)
		n = 80;
	/* never half a character */
	while (n > 0 && a + n < len && ((unsigned char)text[a + n] & 0xC0) ==
	    0x80)
		n--;
	text_sanitize(out, text + a, n, 0);
}

void
guard_describe(const struct guard_result *r, const char *text, size_t len,
    struct buf *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct guard_reason *g = &r->r[i];
		buf_printf(out, "  %s %s at %zu-%zu: \"",
		    guard_verdict_name(g->level), g->rule, g->start, g->end);
		excerpt(out, text, len, g->start, g->end);
		buf_adds(out, "\"\n");
	}
}

void
guard_json(const struct guard_result *r, const char *text, size_t len,
    struct buf *out)
{
	buf_printf(out, "{\"verdict\":\"%s\",\"reasons\":[",
	    guard_verdict_name(r->verdict));
	for (size_t i = 0; i < r->n; i++) {
		const struct guard_reason *g = &r->r[i];
		struct buf ex = BUF_INIT;
		excerpt(&ex, text, len, g->start, g->end);
		buf_printf(out, "%s{\"rule\":\"%s\",\"level\":\"%s\","
		    "\"start\":%zu,\"end\":%zu,\"text\":", i ? "," : "",
		    g->rule, guard_verdict_name(g->level), g->start, g->end);
		json_str(out, ex.data ? ex.data : "", ex.len);
		buf_addc(out, '}');
		buf_free(&ex);
	}
	buf_adds(out, "]}");
}

/* --- a little JSON reading, for the --jsonl scripting interfaces ---------- */

static size_t
json_skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	return i;
}

/* End of the value starting at i (strings, numbers, literals, nested
 * arrays and objects), or 0 when malformed. */
static size_t
json_value_end(const char *s, size_t len, size_t i)
{
	int depth = 0;

	if (i >= len)
		return 0;
	do {
		if (i >= len)
			return 0;
		char c = s[i];
		if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			if (i >= len)
				return 0;
			i++;
		} else if (c == '{' || c == '[') {
			if (++depth > 64)
				return 0;
			i++;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return 0;
			i++;
		} else if (depth == 0) {
			while (i < len && s[i] != ',' && s[i] != '}' &&
			    s[i] != ']' && s[i] != ' ' && s[i] != '\n')
				i++;
			return i;
		} else {
			i++;
		}
	} while (depth > 0);
	return i;
}

static int
hex4(const char *s, size_t len, size_t i, uint32_t *out)
{
	*out = 0;
	if (i + 4 > len)
		return -1;
	for (size_t k = i; k < i + 4; k++) {
		char c = s[k];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
		    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (v < 0)
			return -1;
		*out = *out << 4 | (uint32_t)v;
	}
	return 0;
}

static void
json_unescape(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\' || i + 1 >= len) {
			buf_addc(out, s[i]);
			continue;
		}
		char c = s[++i];
		switch (c) {
		case 'n': buf_addc(out, '\n'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'u': {
			uint32_t cp, lo;
			if (hex4(s, len, i + 1, &cp) < 0)
				break;
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 2 < len &&
			    s[i + 1] == '\\' && s[i + 2] == 'u' &&
			    hex4(s, len, i + 3, &lo) == 0 && lo >= 0xDC00 &&
			    lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				    (lo - 0xDC00);
				i += 6;
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			utf8_encode(out, cp);
			break;
		}
		default: buf_addc(out, c); break;
		}
	}
}

int
json_member(const char *s, size_t len, const char *key, struct buf *raw,
    struct buf *str)
{
	size_t i = json_skip_ws(s, len, 0), kl = strlen(key);

	if (i >= len || s[i] != '{')
		return -1;
	i = json_skip_ws(s, len, i + 1);
	while (i < len && s[i] != '}') {
		if (s[i] != '"')
			return -1;
		size_t ke = json_value_end(s, len, i);
		if (ke == 0)
			return -1;
		int match = ke - i - 2 == kl && !memcmp(s + i + 1, key, kl);
		i = json_skip_ws(s, len, ke);
		if (i >= len || s[i] != ':')
			return -1;
		i = json_skip_ws(s, len, i + 1);
		size_t ve = json_value_end(s, len, i);
		if (ve == 0)
			return -1;
		if (match) {
			if (raw)
				buf_add(raw, s + i, ve - i);
			if (str && s[i] == '"')
				json_unescape(s + i + 1, ve - i - 2, str);
			return 1;
		}
		i = json_skip_ws(s, len, ve);
		if (i < len && s[i] == ',')
			i = json_skip_ws(s, len, i + 1);
	}
	return i < len ? 0 : -1;
}
