/* SPDX-License-Identifier: MIT */
/*
 * Internal to the classifier (store/classify.c, store/classify_text.c):
 * a ticket's text as the rules read it, cut into sentences with their
 * weights, and the questions asked of a phrase found in it (negated? the
 * purpose of the ask? background to it?).
 */
#ifndef TDESK_CLASSIFY_INT_H
#define TDESK_CLASSIFY_INT_H

#include <stddef.h>
#include <stdint.h>

/* A byte pair's bit in a text's set of pairs. */
#define BG_BITS 4096
static inline unsigned short
bg_hash(unsigned char a, unsigned char b)
{
	return (unsigned short)((a * 131u + b * 7u) & (BG_BITS - 1));
}

/* A 4-byte window's bit in a text's set of windows: a phrase of 4 bytes
 * or more is looked for only when its first, middle and last windows are
 * all there (pairs alone let an eighth of the phrases through to memmem,
 * most of the classifier's time). */
#define QG_BITS 16384
static inline unsigned short
qg_hash(const char *p)
{
	uint32_t w = (uint32_t)(unsigned char)p[0] |
	    (uint32_t)(unsigned char)p[1] << 8 |
	    (uint32_t)(unsigned char)p[2] << 16 |
	    (uint32_t)(unsigned char)p[3] << 24;

	return (unsigned short)((w * 2654435761u) >> 18);
}

#define MAX_SENT 64

struct text;
/* Whether the cue c (4 bytes or more) may be in t: its first and last
 * 4-byte windows are (when not, it is not). */
int cls_may_hold(const struct text *t, const char *c, size_t len);

struct sent {
	size_t start, end;	/* byte range in the lower-cased text */
	double weight;
	int subject;
	int zone;		/* ZONE_NEW, ZONE_QUOTED or ZONE_SIG */
};

/* Parts of a mail's body: the customer's new words, quoted history,
 * the signature (store/classify_prep.c). */
enum { ZONE_NEW, ZONE_QUOTED, ZONE_SIG };
#define MAX_ZONE 32

struct text {
	char *s;		/* subject "\n" body, ASCII lower-cased */
	size_t len;
	uint64_t bg[BG_BITS / 64];	/* the byte pairs present */
	uint64_t qg[QG_BITS / 64];	/* the 4-byte windows present */
	size_t subj_end;
	struct sent sent[MAX_SENT];
	int n_sent;
	int has_bg;		/* holds a cue of background() at all */
	int has_purpose;	/* holds a cue of cls_purpose() at all */
	struct {
		size_t start;	/* from here on (a line's start) ... */
		int kind;	/* ... the text is of this ZONE_ */
	} zone[MAX_ZONE];
	int n_zone;
};

/* Fill t->s (subject "\n" body, lower case, HTML as text, full-width
 * letters as ASCII, traditional Chinese as simplified), t->len,
 * t->subj_end, the sets of byte pairs and 4-byte windows, and the
 * zones of the body. */
void cls_prepare(struct text *t, const char *subject, size_t sl,
    const char *body, size_t bl);
/* The ZONE_ of the text at pos. */
int cls_zone(const struct text *t, size_t pos);

/* Cut t into sentences and weigh them: the subject 2, the first sentence
 * of the message 1.5, later ones 1; a question or a turn to the problem
 * half again; from an aside on 0.3. */
void cls_split(struct text *t);
/* Whether s[0..len) starts with w. */
int cls_starts(const char *s, size_t len, const char *w);
/* Whether s[0..len) starts with any of the n words w. */
int cls_starts_any(const char *s, size_t len, const char *const *w,
    size_t n);
/* Whether c is a letter, digit or underscore of an ASCII word. */
int cls_word_char(unsigned char c);
/* Whether a negation governs the phrase at pos (sentence from sstart). */
int cls_negated(const struct text *t, size_t sstart, size_t pos);
/* Whether t holds any cue cls_purpose looks for. */
int cls_has_purpose(const struct text *t);
/* Whether the phrase at pos only says why the customer needs something
 * (t->has_purpose set first). */
int cls_purpose(const struct text *t, size_t sstart, size_t pos);
/* Whether t holds any cue cls_background looks for. */
int cls_has_background(const struct text *t);
/* The factor a category phrase at pos in sentence s is taken with: 1
 * for the ask, less for background to it. */
double cls_background(const struct text *t, const struct sent *s,
    size_t pos);
/* Whether the phrase at pos is followed in its sentence by a turn to
 * the problem (", but", "，但是"; with bare, " but" too). */
int cls_turn_follows(const struct text *t, const struct sent *s,
    size_t pos, int bare);

#endif
