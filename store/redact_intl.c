/* SPDX-License-Identifier: MIT */
/*
 * Seed phrases in BIP39's other lists: Spanish, French and Italian
 * (looked up without their accents, as customers often type them: the
 * lists stay unique so), Japanese (hiragana words, blank or ideographic
 * space between) and Korean (Hangul words). Their words are told apart
 * here, then read like English ones (redact_seed_windows): the checksum,
 * numbers, columns and lists.
 */
#include "store/redact.h"
#include "store/ascii.h"
#include "store/redact_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define NLANG 5
#define WORD_MAX 24		/* bytes of the longest folded word (21) */
#define SLOTS 32768		/* a power of two, three times 5 x 2048:
				 * a word not in the lists ends its probe soon */

/* The words of all five lists by their bytes: entry lang * 2048 + index,
 * + 1 (0: an empty slot); a word in two lists has two entries. */
static uint16_t slot[SLOTS];
static uint8_t wlen[NLANG * 2048];
/* two bits of each word's hash in 64k: most prose words ask no slot */
static uint64_t bloom[1024];
static pthread_once_t intl_once = PTHREAD_ONCE_INIT;
static atomic_int intl_ready;

static uint32_t
word_hash(const char *w, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

static void
intl_init(void)
{
	for (int e = 0; e < NLANG * 2048; e++) {
		const char *w = bip39_intl[e / 2048][e % 2048];
		wlen[e] = (uint8_t)strlen(w);
		uint32_t hh = word_hash(w, wlen[e]), h = hh & (SLOTS - 1);
		bloom[(hh >> 6) & 1023] |= (uint64_t)1 << (hh & 63);
		bloom[(hh >> 22) & 1023] |= (uint64_t)1 << ((hh >> 16) & 63);
		while (slot[h])
			h = (h + 1) & (SLOTS - 1);
		slot[h] = (uint16_t)(e + 1);
	}
	DONE(intl_ready);
}

/* The index of the word in each list (-1: not in it); 1 if in any. */
static int
intl_lookup(const char *w, size_t n, int idx[NLANG])
{
	int any = 0;

	uint32_t hh = word_hash(w, n);

	for (int l = 0; l < NLANG; l++)
		idx[l] = -1;
	if (!(bloom[(hh >> 6) & 1023] >> (hh & 63) & 1) ||
	    !(bloom[(hh >> 22) & 1023] >> ((hh >> 16) & 63) & 1))
		return 0;
	for (uint32_t h = hh & (SLOTS - 1); slot[h];
	    h = (h + 1) & (SLOTS - 1)) {
		int e = slot[h] - 1;
		if (wlen[e] == n && !memcmp(bip39_intl[e / 2048][e % 2048], w,
		    n)) {
			idx[e / 2048] = e % 2048;
			any = 1;
		}
	}
	return any;
}

/* The letter at s (len bytes on) folded to lowercase ASCII without its
 * accent: its byte count, 0 when no Latin letter (*c 0 for a combining
 * accent, which is skipped). */
static size_t
latin_letter(const char *s, size_t len, char *c)
{
	/* U+00C0..U+00FF without their accents; '*' for x and division */
	static const char l1[] = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
	    "aaaaaaaceeeeiiiidnooooo*ouuuuyty";
	unsigned char b = (unsigned char)s[0];

	if (a_alpha(b)) {
		*c = (char)(b | 0x20);
		return 1;
	}
	if (len < 2 || ((unsigned char)s[1] & 0xC0) != 0x80)
		return 0;
	if (b == 0xC3 && l1[(unsigned char)s[1] - 0x80] != '*') {
		*c = l1[(unsigned char)s[1] - 0x80];
		return 2;
	}
	/* a combining accent U+0300..U+036F: NFD input */
	if ((b == 0xCC) || (b == 0xCD && (unsigned char)s[1] < 0xB0)) {
		*c = 0;
		return 2;
	}
	return 0;
}

/* Where the word at i ends and its folded bytes in w (*n of them, 0 if
 * too long): Latin letters, or hiragana, or Hangul syllables. i + 0 when
 * no word starts at i. */
static size_t
intl_word(const char *s, size_t len, size_t i, char *w, size_t *n)
{
	size_t e = i, k;
	char c;

	*n = 0;
	if (a_alpha((unsigned char)s[e])) {	/* ASCII letters: the most */
		while (e < len && a_alpha((unsigned char)s[e])) {
			if (*n < WORD_MAX)
				w[*n] = (char)(s[e] | 0x20);
			(*n)++;
			e++;
		}
		if (e >= len || (unsigned char)s[e] < 0x80) {
			if (*n > WORD_MAX)
				*n = 0;
			return e;
		}
		e = i;	/* an accent follows: letter by letter */
		*n = 0;
	}
	if ((k = latin_letter(s + e, len - e, &c)) != 0 && c) {
		while (e < len && (k = latin_letter(s + e, len - e, &c)) != 0) {
			if (c && *n < WORD_MAX)
				w[(*n)++] = c;
			else if (c)
				*n = WORD_MAX + 1;
			e += k;
		}
	} else {
		uint32_t cp, first;
		size_t b = u8_decode(s + e, len - e, &first);
		int kana = first >= 0x3041 && first <= 0x3096;
		int hangul = first >= 0xAC00 && first <= 0xD7A3;
		if (!kana && !hangul)
			return i;
		while (e < len && (b = u8_decode(s + e, len - e, &cp)) == 3 &&
		    (kana ? cp >= 0x3041 && cp <= 0x3096 : cp >= 0xAC00 &&
		    cp <= 0xD7A3)) {
			if (*n + 3 <= WORD_MAX) {
				memcpy(w + *n, s + e, 3);
				*n += 3;
			} else {
				*n = WORD_MAX + 1;
			}
			e += 3;
		}
	}
	if (*n > WORD_MAX)
		*n = 0;
	return e;
}

int
redact_has_char3(const char *s, size_t len, unsigned char lead,
    const char *cs, size_t n)
{
	const char *p = s, *e = s + len;

	while (p + 3 <= e && (p = memchr(p, lead, (size_t)(e - p - 2))) != NULL) {
		for (size_t k = 0; k < n; k++)
			if (p[1] == cs[3 * k + 1] && p[2] == cs[3 * k + 2])
				return 1;
		p++;
	}
	return 0;
}

size_t
redact_number_label(const char *s, size_t len, size_t i, int *label)
{
	int v = 0;

	for (; i < len && a_digit((unsigned char)s[i]); i++)
		if (v < 1000)
			v = v * 10 + (s[i] - '0');
	*label = v >= 1 && v <= 24 ? v : 0;
	return i;
}

int
redact_keeps_label(unsigned char c)
{
	return c == '.' || c == ')' || c == ' ' || c == ':' || c == '-' ||
	    c == '\t' || c == '#';
}

size_t
redact_number_markup(const char *s, size_t len, size_t i, int *label,
    size_t *label_at)
{
	if (a_digit((unsigned char)s[i])) {
		*label_at = i;
		return redact_number_label(s, len, i, label);
	}
	if (s[i] == '<' || s[i] == '&')
		return redact_markup_end(s, len, i);
	return i;
}

size_t
redact_markup_end(const char *s, size_t len, size_t i)
{
	size_t e = i + 1;

	if (s[i] == '&') {
		if (e < len && s[e] == '#')
			e++;
		while (e < len && e - i <= 8 && a_alnum((unsigned char)s[e]))
			e++;
		return e < len && s[e] == ';' && e > i + 1 ? e + 1 : i;
	}
	if (e < len && s[e] == '/')
		e++;
	if (e >= len || !a_alpha((unsigned char)s[e]))
		return i;
	for (; e < len && e - i < 120; e++) {
		if (s[e] == '>')
			return e + 1;
		if (s[e] == '<' || s[e] == '\n')
			return i;
	}
	return i;
}

/* The words of one list, as the tokeniser meets them. */
struct lang_run {
	struct wtok in[32], *w;
	size_t n, cap;
	int gap;
};

static void
run_flush(const char *s, size_t len, struct lang_run *lr, struct seed_ctx *cx,
    const char *salt, struct redact_result *r)
{
	if (lr->n >= 12)
		redact_seed_windows(s, len, lr->w, (int)lr->n, 0, cx, salt, r);
	lr->n = 0;
	lr->gap = 0;
}

/* One word at i..e: a word of the lists it is in, prose for the others
 * (more than 6 prose words end a run). */
static void
intl_token(const char *s, size_t len, size_t i, size_t e, const int idx[NLANG],
    int label, size_t label_at, struct lang_run *lr, struct seed_ctx *cx,
    const char *salt, struct redact_result *r)
{
	int any = 0;

	/* prose with no run open: nothing to count (most words of a text
	 * in another language) */
	for (int l = 0; l < NLANG && !any; l++)
		any = idx[l] >= 0 || lr[l].n;
	for (int l = 0; any && l < NLANG; l++) {
		struct lang_run *x = &lr[l];
		if (idx[l] < 0) {
			if (x->n && ++x->gap > 6)
				run_flush(s, len, x, cx, salt, r);
			continue;
		}
		x->w = stack_grow(x->w, x->in, &x->cap, x->n, sizeof(*x->w));
		x->w[x->n++] = (struct wtok){ i, e, label ? label_at : i,
		    idx[l], label, x->gap, 1, 0 };
		x->gap = 0;
	}
}

/* What s has that its ASCII runs do not show: 2 for hiragana (E3 81,
 * E3 82) or Hangul (EA..ED), 1 for Latin-1 letters (C3 ..) or accents
 * (CC .., CD ..), else 0. */
static int
intl_other_script(const char *s, size_t len)
{
	int latin = 0;

	for (size_t i = 0; i + 1 < len; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0xC3)
			continue;
		if ((b >= 0xEA && b <= 0xED) || (b == 0xE3 &&
		    ((unsigned char)s[i + 1] == 0x81 ||
		    (unsigned char)s[i + 1] == 0x82)))
			return 2;
		latin |= b == 0xC3 || b == 0xCC || b == 0xCD;
	}
	return latin;
}

/* The words of each list among the ASCII runs of s: whether one list
 * has 12 (an English text meets a few French words, no more). */
static int
intl_hits(const char *s, const struct text_runs *tr, int hits[NLANG])
{
	int idx[NLANG], enough = 0;
	char w[WORD_MAX + 1];

	for (size_t k = 0; k < tr->n; k++) {
		size_t a = tr->r[k].start, n = tr->r[k].end - a;
		if (tr->r[k].digits || n < 3 || n > 9)
			continue;
		for (size_t q = 0; q < n; q++)
			w[q] = (char)(s[a + q] | 0x20);
		if (intl_lookup(w, n, idx))
			for (int l = 0; l < NLANG; l++)
				enough |= (hits[l] += idx[l] >= 0) >= 12;
	}
	return enough;
}

/* The words of an ASCII text without markup, read from its runs: a run
 * of letters is a word, one of digits a label when only separators that
 * keep one follow it (the byte loop below reads the same); only the
 * lists with 12 words in it (hits). */
static void
intl_ascii(const char *s, size_t len, const struct text_runs *tr,
    const int hits[NLANG], struct lang_run *lr, struct seed_ctx *cx,
    const char *salt, struct redact_result *r)
{
	static const int none[NLANG] = { -1, -1, -1, -1, -1 };
	int label = 0, idx[NLANG];
	size_t label_at = 0;
	char w[WORD_MAX + 1];

	for (size_t k = 0; k < tr->n; k++) {
		size_t a = tr->r[k].start, b = tr->r[k].end, n = b - a;
		if (tr->r[k].digits) {
			int l = 0;
			if (redact_number_label(s, len, a, &l) != b)
				l = 0;	/* letters in it: prose */
			size_t q = b, e = k + 1 < tr->n ? tr->r[k + 1].start : len;
			while (l && q < e && redact_keeps_label((unsigned char)s[q]))
				q++;
			label = q == e ? l : 0;
			label_at = a;
			if (!l)
				intl_token(s, len, a, b, none, 0, 0, lr, cx, salt, r);
			continue;
		}
		for (size_t q = 0; q < n && q < WORD_MAX; q++)
			w[q] = (char)(s[a + q] | 0x20);
		if (n < 3 || n > 9 || !intl_lookup(w, n, idx))
			memcpy(idx, none, sizeof(idx));
		for (int l = 0; l < NLANG; l++)
			if (hits[l] < 12)
				idx[l] = -1;
		intl_token(s, len, a, b, idx, label, label_at, lr, cx, salt, r);
		label = 0;
	}
}

void
redact_find_seeds_intl(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct redact_result *r)
{
	struct lang_run lr[NLANG];
	struct seed_ctx cx = { tr, len, -1, -1, 0, -1 };
	size_t i = 0, label_at = 0, words = 0;
	int label = 0, hits[NLANG] = { 0 };

	for (size_t k = 0; k < tr->n && words < 12; k++)
		words += !tr->r[k].digits;
	if (words < 12 && !tr->any_wide)
		return;
	ONCE(intl_ready, intl_once, intl_init);
	/* a list's 12 words in the ASCII runs; or half of them and accented
	 * letters (each accented word is pieces there); or kana, Hangul */
	if (!intl_hits(s, tr, hits)) {
		int most = 0, other = tr->any_wide ? intl_other_script(s, len) :
		    0;
		for (int l = 0; l < NLANG; l++)
			most = hits[l] > most ? hits[l] : most;
		if (other < 2 && (other == 0 || most < 6))
			return;
	}
	for (int l = 0; l < NLANG; l++) {
		lr[l].w = lr[l].in;
		lr[l].cap = ARRAY_LEN(lr[l].in);
		lr[l].n = 0;
		lr[l].gap = 0;
	}
	if (!tr->any_wide && !memchr(s, '<', len) && !memchr(s, '&', len)) {
		intl_ascii(s, len, tr, hits, lr, &cx, salt, r);
		i = len;	/* read from its runs: no byte loop */
	}
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		char w[WORD_MAX + 1];
		size_t n, e;
		int idx[NLANG];
		if ((a_digit(c) || c == '<' || c == '&') && (e =
		    redact_number_markup(s, len, i, &label, &label_at)) > i) {
			i = e;	/* "1. word", "a<br>b": markup is no prose */
			continue;
		}
		if (c >= 0xE4 && c <= 0xE9 && i + 2 < len) {
			i += 3;	/* a Han character (U+4000..U+9FFF): prose */
			label = 0;
			continue;
		}
		e = intl_word(s, len, i, w, &n);
		if (e > i) {
			/* Latin words hold 3 to 9 letters, others 6 bytes on */
			if (n < 3 || (n > 9 && (unsigned char)s[i] < 0xE0) ||
			    !intl_lookup(w, n, idx))
				for (int l = 0; l < NLANG; l++)
					idx[l] = -1;
			intl_token(s, len, i, e, idx, label, label_at, lr, &cx,
			    salt, r);
			label = 0;
			i = e;
			continue;
		}
		/* "1. palabra", "1)　단어": an ideographic space keeps it too */
		if (!redact_keeps_label(c) && !(c == 0xE3 && i + 2 < len &&
		    (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] ==
		    0x80))
			label = 0;
		i += c < 0x80 ? 1 : u8_decode(s + i, len - i, &(uint32_t){ 0 });
	}
	for (int l = 0; l < NLANG; l++) {
		run_flush(s, len, &lr[l], &cx, salt, r);
		stack_free(lr[l].w, lr[l].in);
	}
}
