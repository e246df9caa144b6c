/* SPDX-License-Identifier: MIT */
/*
 * A ticket's text made ready for the rules (store/classify.c): HTML mail
 * as plain text, full-width letters and digits as ASCII ("ＵＳＤＴ"),
 * lower case, traditional Chinese as simplified, and the parts of a mail
 * that are not the customer's new words marked: quoted history ("> ...",
 * "On ... wrote:", "-----Original Message-----", "发件人：", "在 ...
 * 写道：") and the signature ("--", "Sent from my iPhone", "Best
 * regards", a confidentiality notice). They still tell the topic when
 * the new words do not ("Any update?"), but weigh little and never make
 * an incident.
 */
#include "store/store_int.h"
#include "store/text.h"
#include "store/classify_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Whether the lower-cased s looks like HTML mail. */
static int
looks_html(const char *s, size_t len)
{
	static const char *const tags[] = { "<p>", "<p ", "<div", "<br",
		"<html", "<span", "<table", "<blockquote", "</p>", "</div>" };

	if (memchr(s, '<', len) == NULL)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(tags); i++)
		if (memmem(s, len, tags[i], strlen(tags[i])))
			return 1;
	return 0;
}

/* Whether the 3 bytes at p are a CJK ideograph (U+4E00..U+9FFF). */
static int
is_han3(const char *p)
{
	unsigned char c = (unsigned char)p[0];

	return c >= 0xe4 && c <= 0xe9 && ((unsigned char)p[1] & 0xc0) == 0x80 &&
	    ((unsigned char)p[2] & 0xc0) == 0x80;
}

/* Add a space to d[0..j): none twice in a row, and none between two Han
 * characters ("提 现" is 提现); next is what follows in the input. */
static size_t
add_space(char *d, size_t j, const char *next, size_t left)
{
	while (left && (*next == ' ' || *next == '\t'))
		next++, left--;
	if (j && d[j - 1] == ' ')
		return j;
	if (j >= 3 && is_han3(d + j - 3) && left >= 3 && is_han3(next))
		return j;
	d[j++] = ' ';
	return j;
}

/* The length of a character fold_into drops or makes a space at s[0]
 * (0 if none), *space set when it is a space: U+3000, no-break space,
 * zero-width spaces and joiners, the byte order mark. */
static size_t
blank_at(const char *s, size_t left, int *space)
{
	const unsigned char *u = (const unsigned char *)s;

	*space = 1;
	if (left >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (left >= 3 && u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	*space = 0;
	if (left >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x8b &&
	    u[2] <= 0x8d)
		return 3;
	if (left >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return 3;
	return 0;
}

/* Copy s to d lower-cased, full-width ASCII letters and digits
 * (U+FF10..) as ASCII, runs of blanks as one space (none between Han
 * characters), invisible characters dropped; full-width punctuation
 * stays (the Chinese rules and sentence ends read it). Returns the bytes
 * written (never more than len). */
static size_t
fold_into(char *d, const char *s, size_t len)
{
	size_t j = 0, n;
	int space;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t') {
			j = add_space(d, j, s + i + 1, len - i - 1);
			continue;
		}
		if (c < 0x80) {
			d[j++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			continue;
		}
		if ((n = blank_at(s + i, len - i, &space)) > 0) {
			if (space)
				j = add_space(d, j, s + i + n, len - i - n);
			i += n - 1;
			continue;
		}
		if (c == 0xef && i + 2 < len && ((unsigned char)s[i + 1] ==
		    0xbc || (unsigned char)s[i + 1] == 0xbd)) {
			uint32_t cp = 0xff00u | ((unsigned char)s[i + 1] &
			    1u) << 6 | ((unsigned char)s[i + 2] & 0x3fu);
			if ((cp >= 0xff10 && cp <= 0xff19) || (cp >= 0xff21 &&
			    cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a)) {
				d[j++] = (char)tolower((int)(cp - 0xfee0));
				i += 2;
				continue;
			}
		}
		d[j++] = (char)c;
	}
	return j;
}

static int
line_has(const char *s, size_t len, const char *w)
{
	return memmem(s, len, w, strlen(w)) != NULL;
}

/* The line that starts rest, without its leading blanks. */
static const char *
next_line(const char *rest, size_t rlen, size_t *n)
{
	const char *eol = memchr(rest, '\n', rlen);
	size_t e = eol ? (size_t)(eol - rest) : rlen, a = 0;

	while (a < e && (rest[a] == ' ' || rest[a] == '\t'))
		a++;
	*n = e - a;
	return rest + a;
}

/* Whether the line (trimmed, lower case) opens quoted history: all that
 * follows is earlier mail. rest is the text after it (the next line is
 * read only after a "From:"). */
static int
quote_header(const char *s, size_t len, const char *rest, size_t rlen)
{
	static const char *const starts[] = { "-----original message",
		"----- original message", "---------- forwarded message",
		"-------- forwarded message", "begin forwarded message",
		"________________", "-----原始邮件", "原始邮件", "转发的邮件",
		"------------------ 原始", "----- 回复的原邮件" };

	/* every header starts with one of these bytes or ends with a colon
	 * (most lines do neither: the lists are not read for them) */
	const char *next;
	size_t nlen;

	if (!memchr("-_#bf\xe5\xe8", s[0], 7) && !(len && s[len - 1] == ':') &&
	    !(len >= 3 && memcmp(s + len - 3, "：", 3) == 0))
		return 0;
	if (cls_starts_any(s, len, starts, ARRAY_LEN(starts)))
		return 1;
	/* the help desk's own mail: "##- Please type your reply above this
	 * line -##" */
	if (cls_starts(s, len, "##") && (line_has(s, len, "above this line") ||
	    line_has(s, len, "此行")))
		return 1;
	/* "On Mon, ... wrote:", "在 2026年12月1日，客服 写道：" */
	if ((len >= 6 && memcmp(s + len - 6, "wrote:", 6) == 0) ||
	    (len >= 9 && (memcmp(s + len - 9, "写道：", 9) == 0 ||
	    memcmp(s + len - 7, "写道:", 7) == 0)))
		return 1;
	/* Outlook: "From: ..." then "Sent: ..." / "Date: ..." */
	if (!cls_starts(s, len, "from:") && !cls_starts(s, len, "发件人") &&
	    !cls_starts(s, len, "寄件者") && !cls_starts(s, len, "寄件人"))
		return 0;
	next = next_line(rest, rlen, &nlen);
	if ((cls_starts(next, nlen, "sent:") || cls_starts(next, nlen,
	    "date:") || cls_starts(next, nlen, "to:") || cls_starts(next,
	    nlen, "发送时间") || cls_starts(next, nlen, "收件人") ||
	    cls_starts(next, nlen, "收件者") || cls_starts(next, nlen,
	    "寄件日期") || cls_starts(next, nlen, "日期")))
		return 1;
	return 0;
}

/* Whether the line (trimmed, lower case) opens a signature or a
 * confidentiality notice (looked for only when the body holds one of
 * the words every notice has: notices). */
static int
sig_start(const char *s, size_t len, int notices_too)
{
	static const char *const starts[] = { "sent from my", "get outlook",
		"sent from outlook", "sent from mail for", "sent from yahoo",
		"best regards", "kind regards",
		"warm regards", "best wishes", "yours sincerely",
		"yours faithfully", "yours truly", "sincerely", "此致",
		"发自我的" };
	static const char *const notices[] = { "this email and any",
		"this e-mail and any", "this e-mail is confidential",
		"this email is confidential", "this message is confidential",
		"intended only for", "intended solely for",
		"if you received this", "if you have received this",
		"免责声明", "本邮件及其附件" };
	static const char *const alone[] = { "--", "regards", "regards,",
		"best", "best,", "cheers", "cheers,", "thanks", "thanks,",
		"thanks!", "thank you", "thank you,", "thank you!",
		"many thanks", "many thanks,", "thanks in advance",
		"thanks in advance,", "br", "br,", "祝好", "谢谢", "谢谢！",
		"谢谢!" };

	/* sign-offs are short lines; a notice may be long */
	if (len > 40 && !notices_too)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(alone); i++)
		if (len == strlen(alone[i]) && memcmp(s, alone[i], len) == 0)
			return 1;
	if (cls_starts_any(s, len, starts, ARRAY_LEN(starts)))
		return 1;
	for (size_t i = 0; notices_too && i < ARRAY_LEN(notices); i++)
		if (line_has(s, len, notices[i]))
			return 1;
	return 0;
}

/* Whether the body may hold a confidentiality notice at all. */
static int
may_have_notice(const struct text *t)
{
	static const char *const words[] = { "intended", "confidential",
		"and any",
		"received this", "免责声明", "本邮件" };
	const char *b = t->s + t->subj_end;
	size_t bl = t->len - t->subj_end;

	for (size_t i = 0; i < ARRAY_LEN(words); i++) {
		size_t l = strlen(words[i]);
		if (cls_may_hold(t, words[i], l) && memmem(b, bl, words[i], l))
			return 1;
	}
	return 0;
}

/* Whether the line is someone else's in a chat transcript: the bot's,
 * the system's or the agent's ("Bot: Please choose a topic: Deposit,
 * Withdrawal, ..."). */
static int
others_line(const char *s, size_t len)
{
	static const char *const who[] = { "bot:", "bot ：", "bot：",
		"system:", "agent:", "support:", "机器人：", "机器人:",
		"系统：", "系统:", "客服：", "客服:", "智能客服" };

	if (!memchr("bsa\xe6\xe7\xe5", s[0], 6))
		return 0;
	return cls_starts_any(s, len, who, ARRAY_LEN(who));
}

static void
add_zone(struct text *t, size_t at, int kind)
{
	if (t->n_zone > 0 && t->zone[t->n_zone - 1].kind == kind)
		return;
	if (t->n_zone == MAX_ZONE)
		return;
	t->zone[t->n_zone].start = at;
	t->zone[t->n_zone].kind = kind;
	t->n_zone++;
}

/* Mark the body's quoted history and signature, line by line. */
static void
mark_zones(struct text *t)
{
	size_t i = t->subj_end;
	int sticky = ZONE_NEW, notices = may_have_notice(t), lines = 0;

	t->n_zone = 0;
	while (i < t->len) {
		const char *eol = memchr(t->s + i, '\n', t->len - i);
		size_t e = eol ? (size_t)(eol - t->s) : t->len;
		size_t a = i, z = e;
		while (a < z && (t->s[a] == ' ' || t->s[a] == '\t'))
			a++;
		while (z > a && (t->s[z - 1] == ' ' || t->s[z - 1] == '\r'))
			z--;
		size_t n = e < t->len ? e + 1 : t->len;
		int kind = sticky;
		if (a < z && (t->s[a] == '>' || others_line(t->s + a, z - a)))
			kind = ZONE_QUOTED;
		else if (sticky != ZONE_QUOTED && quote_header(t->s + a, z - a,
		    t->s + n, t->len - n))
			kind = sticky = ZONE_QUOTED;
		else if (sticky == ZONE_NEW && lines > 0 && sig_start(t->s + a,
		    z - a, notices))
			kind = sticky = ZONE_SIG;	/* after the message */
		if (a < z) {
			add_zone(t, i, kind);
			lines++;
		}
		i = e + 1;
	}
}

int
cls_zone(const struct text *t, size_t pos)
{
	int kind = ZONE_NEW;

	for (int i = 0; i < t->n_zone && t->zone[i].start <= pos; i++)
		kind = t->zone[i].kind;
	return kind;
}

void
cls_prepare(struct text *t, const char *subject, size_t sl,
    const char *body, size_t bl)
{
	size_t n;

	/* long conversations: the first 8 kB says what it is about (of
	 * HTML mail: of its text) */
	if (bl > 65536)
		bl = 65536;
	t->s = xmalloc(sl + bl + 2);
	n = fold_into(t->s, subject, sl);
	for (size_t i = 0; i < n; i++)
		if (t->s[i] == '\n')
			t->s[i] = ' ';
	t->s[n++] = '\n';
	t->subj_end = n;
	n += fold_into(t->s + n, body, bl);
	t->s[n] = '\0';
	if (looks_html(t->s + t->subj_end, n - t->subj_end)) {
		struct buf h = BUF_INIT;
		store_html_to_text(&h, t->s + t->subj_end);
		/* the text is never longer than its HTML */
		n = t->subj_end + (h.len < n - t->subj_end ? h.len :
		    n - t->subj_end);
		/* entities may have brought capitals back */
		for (size_t i = t->subj_end; i < n; i++)
			t->s[i] = (char)tolower((unsigned char)
			    h.data[i - t->subj_end]);
		buf_free(&h);
	}
	if (n - t->subj_end > 8192)
		n = t->subj_end + 8192;
	t->s[n] = '\0';
	t->len = n;
	zh_fold_t2s(t->s, t->len);	/* 提現 is 提现 */
	/* 帳 folds to 帐, which the rules (and most writers) spell 账 */
	for (char *p = t->s; (p = memmem(p, (size_t)(t->s + t->len - p),
	    "\xe5\xb8\x90", 3)) != NULL; p += 3)
		memcpy(p, "\xe8\xb4\xa6", 3);
	memset(t->bg, 0, sizeof(t->bg));
	for (size_t i = 0; i + 1 < t->len; i++) {
		unsigned short h = bg_hash((unsigned char)t->s[i],
		    (unsigned char)t->s[i + 1]);
		t->bg[h >> 6] |= 1ULL << (h & 63);
	}
	memset(t->qg, 0, sizeof(t->qg));
	for (size_t i = 0; i + 4 <= t->len; i++) {
		unsigned short h = qg_hash(t->s + i);
		t->qg[h >> 6] |= 1ULL << (h & 63);
	}
	mark_zones(t);
}
