/* SPDX-License-Identifier: MIT */
/*
 * Between the parts of the reply guard (guard.c: configuration, result,
 * tokens, phones, placeholders, the whole check and its output;
 * guard_rules.c: the lexicon, the scan and the rules on each sentence;
 * guard_links.c: links and look-alike hosts). Not for the rest of tdesk:
 * see guard.h.
 */
#ifndef TDESK_GUARD_INT_H
#define TDESK_GUARD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store/guard.h"
#include "store/ascii.h"
#include "store/redact_int.h"

/* What a lexicon term means (a term may mean several things). */
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
	L_OWN = 1 << 23,	/* our, 我们的: "our safe wallet" */
	L_PAY = 1 << 24,	/* pay, 支付, 缴纳 */
	L_FEE = 1 << 25,	/* fee, 保证金, 费用 */
	L_UNLOCK = 1 << 26,	/* unlock, release, 解冻: with a fee, a scam */
	L_SCAM = 1 << 27,	/* a scam on its own: 扫码登录, "unlocking fee" */
	L_UNINSTALL = 1 << 28,	/* uninstall, 卸载: AnyDesk near it is advice */
	L_QUEST = 1 << 29,	/* what is the, which, 是多少: asks in a question */
	L_FIRST = 1 << 30,	/* first, in advance, 先: a fee paid before */
	L_RESET = 1u << 31,	/* reset, set up, 重置: "to reset 2FA" names
				 * no secret to send */
};

struct strlist {
	char **v;
	size_t n;
};

enum { LANG_EN, LANG_ZH, N_LANGS };

struct guard_config {
	struct strlist official, allow;
	struct strlist block[N_LANGS], warn[N_LANGS];
};

/* A lexicon term found: where, in which token, sentence and clause. */
struct hit {
	size_t pos, end;
	int tok, sent, clause;
	unsigned mask;
};

struct text_runs;

enum { NORM_NOTES = 64 };	/* places noted where a text may hide words */

struct scan {
	const char *s;		/* the text */
	const struct text_runs *runs;	/* its words (redact_int.h) */
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
	/* where it may hide a word (guard_norm.c), the first few places;
	 * n_norm past them: there are more */
	size_t norm[NORM_NOTES];
	int n_norm;
	/* where the arrays start: no allocation for a short text */
	struct hit h_in[32];
	size_t breaks_in[32];
	char low_in[512];
	unsigned char sent_in[2][64];
};

/* Seen by scan_text: a scanner whose first byte never occurs is skipped
 * (a superset of where it could find anything). */
enum {
	SEEN_LINK = 1,		/* "://" or a '.' not ending a sentence */
	SEEN_PHONE = 2,		/* a digit, '+' or '(' */
	SEEN_PLACEHOLDER = 4,	/* { [ < $ % or U+3010 */
	SEEN_HTML = 8,		/* < & */
};

/* Sentence and clause breaks, tokens, lexicon hits (and sc->seen). */
void guard_scan_text(struct scan *sc);
/* The sentence byte pos is in (the same numbering as the hits). */
int guard_sent_of(const struct scan *sc, size_t pos);
/* The rules on the hits lo..hi-1 of one sentence. */
void guard_rules_sentence(const struct scan *sc, size_t lo, size_t hi,
    struct guard_result *r);
/* Whether hit vi is negated; whether a hit with mask stands between
 * hits a and b (guard_rules.c). */
int guard_negated(const struct scan *sc, size_t lo, size_t vi);
int guard_has_between(const struct scan *sc, size_t a, size_t b,
    unsigned mask);
/* guard_ask.c: the word after hit o names what o is part of ("password
 * manager"); "account recovery" is the exchange's own; a secret asked
 * for in a question; named in the sentence before and asked for with
 * "it" in this one. */
int guard_modifier_follows(const struct scan *sc, const struct hit *o);
int guard_account_recovery(const struct scan *sc, const struct hit *v);
void guard_rule_question(const struct scan *sc, size_t lo, size_t hi,
    size_t k, struct guard_result *r);
void guard_rule_ask_before(const struct scan *sc, size_t lo, size_t hi,
    struct guard_result *r);
/* Links with a scheme and bare host names; marks sc->sent_link. */
void guard_scan_links(const struct guard_config *c, struct scan *sc,
    struct guard_result *r);
/* Where a text may hide words from the lexicon from byte from on (len:
 * nowhere): full-width letters, invisible characters or look-alike
 * letters inside words, s p a c e d letters, l33t; and the text with
 * that undone (guard_norm.c). */
int guard_norm_leet(const char *s, size_t len, size_t i);
int guard_norm_char(uint32_t cp);
int guard_norm_cjk(const char *s, size_t len, size_t i);
size_t guard_norm_html(const char *s, size_t len);
size_t guard_norm_find(const char *s, size_t len, const struct text_runs *tr,
    size_t from);
struct buf;
void guard_norm(const char *s, size_t len, struct buf *out, size_t **map);
/* The ASCII letter a look-alike (Cyrillic, Greek, full-width, accented)
 * letter imitates, or 0 (guard_links.c). */
char guard_skeleton_cp(uint32_t cp);
/* Invisible format characters; bidi controls. */
int guard_hidden_cp(uint32_t cp);
int guard_bidi_cp(uint32_t cp);

/* Note that the text may hide a word at pos. */
static inline void
guard_norm_note(struct scan *sc, size_t pos)
{
	if (sc->n_norm < NORM_NOTES)
		sc->norm[sc->n_norm] = pos;
	if (sc->n_norm <= NORM_NOTES)
		sc->n_norm++;
}

/* guard_norm_char, inline for the characters that cannot be one */
static inline int
guard_norm_char_fast(uint32_t cp)
{
	return (cp - 0x370 < 0x1C0 || cp - 0xFF10 < 0x4B || cp - 0x200B < 3 ||
	    cp == 0x2060 || cp == 0xFEFF || cp == 0xAD || cp == 0x180E) &&
	    guard_norm_char(cp);
}

/* What separates the letters of a s p a c e d word. */
static inline int
guard_norm_spacer(unsigned char c)
{
	return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' ||
	    c == '|' || c == '/' || c == '+';
}

/* Whether word k of the text may hide a word: the third one-letter word
 * in a row, one spacer apart (*single counts them), or l33t. */
static inline int
guard_norm_run(const char *s, size_t len, const struct text_runs *tr,
    size_t k, int *single)
{
	const struct text_run *r = &tr->r[k];

	if (r->end - r->start > 1) {
		*single = 0;
	} else if (*single == 0 || (r->start == (unsigned)tr->r[k - 1].end +
	    1 && guard_norm_spacer((unsigned char)s[r->start - 1]))) {
		if (++*single >= 3)
			return 1;
	} else {
		*single = 1;
	}
	/* the first letters of the words l33t may hide: a b c k m o p r s t
	 * v w (guard_norm.c) */
	unsigned c = (unsigned)(s[r->start] | 0x20) - 'a';
	return (r->digits || (r->end < len && (s[r->end] == '@' ||
	    s[r->end] == '$'))) && c < 26 && (0x6ED407u >> c & 1) &&
	    guard_norm_leet(s, len, r->start);
}

#endif
