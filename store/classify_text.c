/* SPDX-License-Identifier: MIT */
/*
 * How the classifier reads a ticket (store/classify.c matches the rules):
 * sentences and their weights, clauses, negation ("I did NOT get any
 * strange login email", "没有被盗"), the purpose of an ask ("I need to
 * close a position") and background to it ("my deposit arrived fine.
 * But...", "充值成功了，但是提现..."), in English and Chinese.
 */
#include "store/base.h"
#include "store/classify_int.h"

#include <ctype.h>
#include <string.h>

int
cls_starts(const char *s, size_t len, const char *w)
{
	/* byte by byte: most texts differ at the first */
	for (size_t i = 0; w[i]; i++)
		if (i >= len || s[i] != w[i])
			return 0;
	return 1;
}

int
cls_starts_any(const char *s, size_t len, const char *const *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cls_starts(s, len, w[i]))
			return 1;
	return 0;
}

/* Whether the sentence asks something. */
static int
is_question(const char *s, size_t len)
{
	static const char *const q_en[] = { "how ", "why ", "what ", "when ",
		"where ", "can you", "could you", "can i ", "is it ",
		"is there", "are ", "do you", "does ", "will ", "please "
	};
	static const char *const q_zh[] = { "?", "？", "吗", "怎么", "为什么",
		"如何", "请问", "多久", "什么", "能否", "可以", "帮我", "请",
		"麻烦" };

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	if (cls_starts_any(s, len, q_en, ARRAY_LEN(q_en)))
		return 1;
	if (memchr(s, '?', len))
		return 1;
	int wide = 0;
	for (size_t i = 0; i < len && !wide; i++)
		wide = (unsigned char)s[i] >= 0x80;
	if (!wide)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(q_zh); i++)
		if (memmem(s, len, q_zh[i], strlen(q_zh[i])))
			return 1;
	return 0;
}

/* Whether the sentence turns from what was fine to the problem ("But
 * my order was never filled"): the ask. */
static int
is_turn(const char *s, size_t len)
{
	static const char *const w[] = { "but ", "however", "但是", "可是",
		"不过" };

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	return cls_starts_any(s, len, w, ARRAY_LEN(w));
}

/* Whether the sentence turns to a second, lesser topic. */
static int
is_aside(const char *s, size_t len)
{
	static const char *const w[] = { "also", "by the way", "btw",
		"unrelated", "another question", "one more", "p.s", "ps:",
		"另外", "顺便", "还有", "再问", "另一个问题" };

	while (len && (*s == ' ' || *s == '\t' || *s == ','))
		s++, len--;
	return cls_starts_any(s, len, w, ARRAY_LEN(w));
}

/* Whether the sentence only greets ("Hi team,", "Dear Sir/Madam,",
 * "您好！"). */
static int
is_greeting(const char *s, size_t len)
{
	static const char *const w[] = { "hi ", "hi,", "hi!", "hi\n",
		"hello", "hey ", "hey,", "dear ", "good morning",
		"good afternoon", "good evening", "greetings", "您好", "你好",
		"尊敬的", "客服你好" };

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	if (len > 40)
		return 0;
	if (len == 2 && memcmp(s, "hi", 2) == 0)
		return 1;
	return cls_starts_any(s, len, w, ARRAY_LEN(w));
}

/* Whether the subject is a forwarded mail's ("Fwd: ...", "转发：..."). */
static int
is_forward(const char *s, size_t len)
{
	static const char *const w[] = { "fwd:", "fw:", "fwd ", "转发" };

	while (len && *s == ' ')
		s++, len--;
	return cls_starts_any(s, len, w, ARRAY_LEN(w));
}

/* Length of a sentence end at p (0 if none). */
static size_t
sent_end(const char *p, const char *end)
{
	static const char *const zh[] = { "。", "！", "？", "；" };

	if (*p == '\n' || *p == '!' || *p == '?' || *p == ';')
		return 1;
	if (*p == '.' && (p + 1 == end || p[1] == ' ' || p[1] == '\n'))
		return 1;
	/* the full-width marks start with 0xe3 or 0xef */
	if ((unsigned char)*p != 0xe3 && (unsigned char)*p != 0xef)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(zh); i++)
		if ((size_t)(end - p) >= 3 && memcmp(p, zh[i], 3) == 0)
			return 3;
	return 0;
}

void
cls_split(struct text *t)
{
	size_t i = 0, start = 0;
	int body_n = 0, aside = 0;

	t->n_sent = 0;
	while (i <= t->len && t->n_sent < MAX_SENT) {
		size_t el = i < t->len ? sent_end(t->s + i, t->s + t->len) : 1;
		if (el == 0) {
			i++;
			continue;
		}
		size_t e = i + (i < t->len ? el : 0);
		if (i > start || i == t->subj_end) {
			struct sent *s = &t->sent[t->n_sent];
			s->start = start;
			s->end = i < t->len ? e : t->len;
			s->subject = start < t->subj_end;
			s->zone = s->subject ? ZONE_NEW : cls_zone(t, start);
			if (s->subject && is_forward(t->s + start, s->end -
			    start)) {
				/* the subject of the mail forwarded */
				s->zone = ZONE_QUOTED;
				s->weight = 1;
			} else if (s->subject) {
				s->weight = 2;
			} else if (s->zone != ZONE_NEW) {
				/* history and signature: the topic when the
				 * new words tell none */
				s->weight = s->zone == ZONE_QUOTED ? 0.35 : 0.1;
			} else {
				const char *p = t->s + start;
				size_t l = s->end - start;
				if (is_aside(p, l))
					aside = 1;
				/* "Hi team," is not the first sentence */
				s->weight = is_greeting(p, l) ? 1.0 :
				    body_n++ == 0 ? 1.5 : 1.0;
				if (is_question(p, l) || is_turn(p, l))
					s->weight *= 1.5;
				if (aside)
					s->weight *= 0.3;
			}
			if (s->end > s->start)
				t->n_sent++;
		}
		start = e;
		i = e > i ? e : i + 1;
	}
	if (t->n_sent == 0) {
		t->sent[0] = (struct sent){ 0, t->len, 1, 0, ZONE_NEW };
		t->n_sent = 1;
	}
	/* past MAX_SENT sentences the last one holds the rest of the text:
	 * every match must fall inside a sentence (cls_background measures
	 * clauses from the match to its sentence's end) */
	if (t->sent[t->n_sent - 1].end < t->len)
		t->sent[t->n_sent - 1].end = t->len;
}

int
cls_word_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

/* Clause start before pos, within its sentence. */
static size_t
clause_start(const struct text *t, size_t sstart, size_t pos)
{
	static const char *const zh[] = { "，", "：", "、" };
	size_t i = pos;

	while (i > sstart) {
		const char *p = t->s + i - 1;
		if (*p == ',' || *p == ':')
			return i;
		if (i - sstart >= 3) {
			for (size_t k = 0; k < ARRAY_LEN(zh); k++)
				if (memcmp(p - 2, zh[k], 3) == 0)
					return i;
		}
		if (i - sstart >= 4 && memcmp(p - 3, "but ", 4) == 0)
			return i;
		if (i - sstart >= 3 && memcmp(p - 2, "但", 3) == 0)
			return i;
		i--;
	}
	return sstart;
}

static int
has_word(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w);
	const char *p = s, *end = s + len;

	while ((p = memmem(p, (size_t)(end - p), w, wl)) != NULL) {
		int before = p == s || !cls_word_char((unsigned char)p[-1]);
		int after = p + wl == end || !cls_word_char((unsigned char)p[wl]);
		if (before && after)
			return 1;
		p++;
	}
	return 0;
}

/* Whether a negation governs the phrase at pos: in its clause, a few
 * words before it. */
int
cls_negated(const struct text *t, size_t sstart, size_t pos)
{
	static const char *const en[] = { "not", "no", "never", "nothing",
		"nobody", "without", "neither", "nor", "didn't", "don't",
		"haven't", "hasn't", "wasn't", "isn't", "won't", "didnt",
		"dont", "havent" };
	static const char *const zh[] = { "没", "未", "不", "无", "别", "非" };
	static const char *const zh_not[] = { "不知", "不明", "不认", "不熟",
		"不了", "不上", "不到", "不能", "不可", "不见" };
	size_t cs = clause_start(t, sstart, pos);
	size_t from = pos - cs > 48 ? pos - 48 : cs;
	const char *w = t->s + from;
	size_t wl = pos - from;

	for (size_t i = 0; i < ARRAY_LEN(en); i++)
		if (has_word(w, wl, en[i]))
			return 1;
	if (memmem(w, wl, "n't", 3) && !memmem(w, wl, "n't know", 8) &&
	    !memmem(w, wl, "n't recogni", 11))
		return 1;
	/* Chinese: the few characters right before the phrase */
	if (pos - cs < 1)
		return 0;
	size_t zfrom = pos - cs > 12 ? pos - 12 : cs;
	for (size_t i = 0; i < ARRAY_LEN(zh); i++) {
		const char *p = t->s + zfrom, *end = t->s + pos;
		while ((p = memmem(p, (size_t)(end - p), zh[i], 3)) != NULL) {
			int exempt = 0;
			for (size_t k = 0; k < ARRAY_LEN(zh_not); k++)
				if ((size_t)(t->s + t->len - p) >= 6 &&
				    memcmp(p, zh_not[k], 6) == 0)
					exempt = 1;
			if (!exempt)
				return 1;
			p += 3;
		}
	}
	return 0;
}

/* End of the clause holding pos, within its sentence (before "but"). */
static size_t
clause_end(const struct text *t, size_t send, size_t pos)
{
	static const char *const zh[] = { "，", "：", "、", "但" };

	for (size_t i = pos; i < send; i++) {
		const char *p = t->s + i;
		if (*p == ',' || *p == ':')
			return i;
		if (send - i >= 5 && memcmp(p, " but ", 5) == 0)
			return i;
		for (size_t k = 0; k < ARRAY_LEN(zh); k++)
			if (send - i >= 3 && memcmp(p, zh[k], 3) == 0)
				return i;
	}
	return send;
}

/* The factor a category phrase at pos is taken with: 1 when it is what
 * the customer asks about, less when it is background to the ask: told
 * as settled in its clause ("my deposit arrived fine", "I passed KYC",
 * "充值成功了", not "没有成功"), or followed in its sentence by a turn
 * (", but", "，但是"): the ask comes after. */
static const char *const bg_settled[] = { "arrived fine",
	"went through fine", "is fine", "was fine", "worked fine",
	"is solved", "was solved", "is resolved", "was resolved",
	"no problem", "成功", "没问题", "已解决", "解决了", "正常",
	"完成了", "通过了" };
static const char *const bg_turn[] = { ", but ", "; but ", ", however",
	"，但", "，可是", "，不过" };
static const char *const bg_done[] = { "passed ", "completed ",
	"finished ", "完成了", "通过了", "已经通过", "已完成" };

int
cls_may_hold(const struct text *t, const char *c, size_t len)
{
	unsigned short a, z;

	if (len < 4)
		return 1;
	a = qg_hash(c);
	z = qg_hash(c + len - 4);
	return (t->qg[a >> 6] >> (a & 63) & 1) && (t->qg[z >> 6] >> (z & 63) &
	    1);
}

/* Whether t holds any cue cls_background() looks for (most texts do not:
 * then it costs nothing per match). */
int
cls_has_background(const struct text *t)
{
	static const char *const *const lists[] = { bg_settled, bg_turn,
		bg_done };
	static const size_t lens[] = { ARRAY_LEN(bg_settled),
		ARRAY_LEN(bg_turn), ARRAY_LEN(bg_done) };

	for (size_t l = 0; l < ARRAY_LEN(lists); l++)
		for (size_t i = 0; i < lens[l]; i++) {
			const char *c = lists[l][i];
			size_t cl = strlen(c);
			if (cls_may_hold(t, c, cl) && memmem(t->s, t->len, c,
			    cl))
				return 1;
		}
	return 0;
}

double
cls_background(const struct text *t, const struct sent *s, size_t pos)
{
	const char *const *settled = bg_settled, *const *done = bg_done;
	size_t ce = clause_end(t, s->end, pos), cs = clause_start(t,
	    s->start, pos);
	double f = 1;

	if (!t->has_bg || pos < s->start || pos >= s->end)
		return 1;
	for (size_t i = 0; i < ARRAY_LEN(bg_settled); i++) {
		const char *q = memmem(t->s + pos, ce - pos, settled[i],
		    strlen(settled[i]));
		if (q && !cls_negated(t, cs, (size_t)(q - t->s))) {
			f = 0.3;
			break;
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(bg_done) && f > 0.3; i++) {
		const char *q = memmem(t->s + cs, pos - cs, done[i],
		    strlen(done[i]));
		if (q && !cls_negated(t, cs, (size_t)(q - t->s)))
			f = 0.3;
	}
	if (f > 0.5 && cls_turn_follows(t, s, pos, 0))
		f = 0.5;
	return f;
}

int
cls_turn_follows(const struct text *t, const struct sent *s, size_t pos,
    int bare)
{
	const char *end = t->s + s->end;

	if (pos < s->start || pos >= s->end)
		return 0;
	if (bare && memmem(t->s + pos, (size_t)(end - (t->s + pos)), " but ",
	    5))
		return 1;
	if (!t->has_bg)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(bg_turn); i++)
		if (memmem(t->s + pos, (size_t)(end - (t->s + pos)),
		    bg_turn[i], strlen(bg_turn[i])))
			return 1;
	return 0;
}

/* Whether the phrase at pos is only the purpose of the ask ("I need to
 * close a position", "急着要提现"): it tells why, not what about. */
static const char *const purpose_cues[] = { "need to ", "have to ",
		"so i can ", "so that ", "in order to ", "i need it for",
		"before i can ", "to be able to ", "if you have ",
		"needed to ", "required to ", "i have an open ",
		"i have open ", "questions about ", "急着", "为了", "我有",
		"才能", "如有", "必须要",
		/* a limit the ask would raise, a guess at the cause */
		"to increase ", "to raise ", "提高", "提升", "is it because ",
		"because of my ", "是因为", "是不是因为",
		/* a consequence: "认证不通过就不能入金" */
		"就不能", "就无法", "otherwise i can't", "or else i can't" };

/* Whether t holds any cue cls_purpose looks for (most texts do not). */
int
cls_has_purpose(const struct text *t)
{
	for (size_t i = 0; i < ARRAY_LEN(purpose_cues); i++) {
		const char *c = purpose_cues[i];
		size_t cl = strlen(c);
		if (cls_may_hold(t, c, cl) && memmem(t->s, t->len, c, cl))
			return 1;
	}
	return 0;
}

int
cls_purpose(const struct text *t, size_t sstart, size_t pos)
{
	size_t cs, from;

	if (!t->has_purpose)
		return 0;
	cs = clause_start(t, sstart, pos);
	from = pos - cs > 40 ? pos - 40 : cs;
	for (size_t i = 0; i < ARRAY_LEN(purpose_cues); i++)
		if (memmem(t->s + from, pos - from, purpose_cues[i],
		    strlen(purpose_cues[i])))
			return 1;
	return 0;
}
