/* SPDX-License-Identifier: MIT */
/*
 * Seed phrases: runs of BIP39 words (any case, 4-letter prefixes,
 * numbered, in columns, in JSON, with a little prose between) whose
 * checksum holds; a Chinese phrase must be written as separate
 * characters, or as one exact run with a word like 助记词 nearby (most
 * list characters are everyday characters).
 */
#include "store/redact.h"
#include "store/ascii.h"
#include "store/redact_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- seed phrases ------------------------------------------------------------ */

static int text_labelled(const char *s, struct seed_ctx *cx);
static int text_labelled_en(const char *s, struct seed_ctx *cx);

static int
has_seed_context(const char *s, size_t len)
{
	static const char *const words[] = { "助记词", "助记", "私钥",
	    "钱包", "备份", "种子", "mnemonic", "seed", "recovery",
	    "words", "phrase", "wallet", "单词", "助記", "私鑰", "錢包", "備份",
	    "種子", "單詞" };
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (memmem(s, len, words[i], strlen(words[i])))
			return 1;
	return 0;
}

static int
cmp_label(const void *a, const void *b)
{
	const struct wtok *x = a, *y = b;
	if (x->label != y->label)
		return x->label < y->label ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * A phrase is random words: few repeats (a table of SELL LIMIT FILLED
 * is not one), and prose may split it only into a few long pieces (not
 * "move ... safe ... here" scattered through a sentence).
 */
static int
plausible(const struct wtok *w, int m)
{
	int repeats = 0, segs = 1, seg = 1, shortest = m;

	for (int j = 1; j < m; j++) {
		if (w[j].gap) {
			if (seg < shortest)
				shortest = seg;
			segs++;
			seg = 1;
		} else {
			seg++;
		}
	}
	if (seg < shortest)
		shortest = seg;
	if (segs > 3 || (segs > 1 && shortest < 3))
		return 0;
	for (int j = 0; j < m && repeats <= 2; j++)
		for (int k = 0; k < j; k++)
			if (w[j].idx == w[k].idx) {
				repeats++;
				break;
			}
	return repeats <= 2;
}

/* Numbered words in columns ("1. a  7. g"): read in their numbers'
 * order. Returns 1 when they are a phrase. */
static int
seed_numbered(size_t len, const struct wtok *w, int n, const char *salt,
    struct redact_result *r)
{
	int idx[24], seq = 1, inorder = 1, found = 0;
	struct wtok *sorted;

	for (int i = 0; i < n; i++)
		if (w[i].label == 0)
			return 0;
	sorted = xmalloc((size_t)n * sizeof(*w));
	memcpy(sorted, w, (size_t)n * sizeof(*w));
	qsort(sorted, (size_t)n, sizeof(*w), cmp_label);
	for (int i = 0; i < n; i++) {
		if (sorted[i].label != i % 24 + 1)
			seq = 0;
		if (w[i].label != i % 24 + 1)
			inorder = 0;
	}
	if (seq && !inorder && n <= 24) {
		for (int i = 0; i < n; i++)
			idx[i] = sorted[i].idx;
		/* a phrase's length in numbered columns is one, typo or
		 * not (list_shape) */
		if (bip39_checksum_ok(idx, n) || (n % 3 == 0 && n >= 12 &&
		    plausible(sorted, n))) {
			size_t a = len, b = 0;
			for (int i = 0; i < n; i++) {
				if (w[i].lstart < a)
					a = w[i].lstart;
				if (w[i].end > b)
					b = w[i].end;
			}
			redact_add_finding(r, "seed-phrase", a, b, n);
			redact_hash_words(r, salt, idx, n);
			found = 1;
		}
	}
	free(sorted);
	return found;
}

/* Whether a and b (a word's end, the next one's start) hold one list
 * comma (",", "、", "，") and blanks, nothing else. */
static int
comma_between(const char *s, size_t a, size_t b)
{
	int commas = 0;

	while (a < b) {
		if (s[a] == ' ' || s[a] == '\t') {
			a++;
		} else if (s[a] == ',') {
			commas++;
			a++;
		} else if (b - a >= 3 && (!memcmp(s + a, "\xE3\x80\x81", 3) ||
		    !memcmp(s + a, "\xEF\xBC\x8C", 3))) {
			commas++;
			a += 3;
		} else {
			return 0;
		}
	}
	return commas == 1;
}

/* A list goes on past p (forward) or before p (back) with another item:
 * blanks, then a list comma. */
static int
list_goes_on(const char *s, size_t len, size_t p, int back)
{
	if (back) {
		while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))
			p--;
		return (p > 0 && s[p - 1] == ',') || (p >= 3 &&
		    (!memcmp(s + p - 3, "\xE3\x80\x81", 3) ||
		    !memcmp(s + p - 3, "\xEF\xBC\x8C", 3)));
	}
	while (p < len && (s[p] == ' ' || s[p] == '\t'))
		p++;
	return (p < len && s[p] == ',') || (p + 3 <= len &&
	    (!memcmp(s + p, "\xE3\x80\x81", 3) ||
	    !memcmp(s + p, "\xEF\xBC\x8C", 3)));
}

/*
 * A phrase's length (12, 15, 18, 21, 24) of list words in the shape of
 * a list, each item one word and nothing else: numbered 1..N in order,
 * or a whole comma list. That is a seed phrase even with a typo (a bad
 * checksum) and no word saying so: nobody writes prose like that, and
 * the customer who pasted it must still not have it stored. Plain runs
 * of words still need the checksum or a keyword. Returns 1 when taken.
 */
static int
seed_list_shape(const char *s, size_t len, const struct wtok *w, int n,
    int zh, const char *salt, struct redact_result *r)
{
	int idx[24], taken = 0;

	for (int i = 0; i < n;) {
		int m = 1, numbered = w[i].label == 1;
		while (i + m < n && !w[i + m].gap && (numbered ?
		    w[i + m].label == m + 1 : w[i + m].label == 0 &&
		    comma_between(s, w[i + m - 1].end, w[i + m].start)))
			m++;
		int ok = m >= 12 && m <= 24 && m % 3 == 0 && plausible(w + i, m);
		if (ok && !numbered && (w[i].label || list_goes_on(s, len,
		    w[i].start, 1) || list_goes_on(s, len, w[i + m - 1].end, 0)))
			ok = 0;
		if (ok && numbered && i + m < n && w[i + m].label == m + 1)
			ok = 0;
		for (int j = 0; ok && j < m; j++) {
			if (zh && !w[i + j].isolated)
				ok = 0;
			idx[j] = w[i + j].idx;
		}
		if (ok) {
			redact_add_finding(r, "seed-phrase", w[i].lstart,
			    w[i + m - 1].end, m);
			redact_hash_words(r, salt, idx, m);
			taken = 1;
		}
		i += m;
	}
	return taken;
}

/* Exactly a phrase's length, nothing between the words, right after
 * "recovery phrase:" / "助记词：": a phrase with a typo is still one.
 * Returns 1 when taken. */
static int
seed_after_context(const char *s, const struct wtok *w, int n, int zh,
    const char *salt, struct redact_result *r)
{
	static const char *const ctx[] = { "seed phrase", "recovery phrase",
	    "secret phrase", "seed words", "mnemonic", "助记词", "助記詞" };
	int idx[24];

	if ((n != 12 && n != 15 && n != 18 && n != 21 && n != 24) ||
	    !plausible(w, n))
		return 0;
	for (int j = 0; j < n; j++)
		if (w[j].gap || (zh && !w[j].isolated))
			return 0;
	if (redact_near_before(s, w[0].lstart, 40, ctx, ARRAY_LEN(ctx)) < 0)
		return 0;
	for (int j = 0; j < n; j++)
		idx[j] = w[j].idx;
	redact_add_finding(r, "seed-phrase", w[0].lstart, w[n - 1].end, n);
	redact_hash_words(r, salt, idx, n);
	return 1;
}

/* Whether the m + 1 words from i, leaving out word j, are plausible as
 * one phrase: j and the prose around it become the next word's gap. */
static int
plausible_without(const struct wtok *w, int i, int m, int j)
{
	struct wtok t[24];
	int o = 0;

	for (int q = i; q <= i + m && o < m; q++) {
		if (q == j)
			continue;
		t[o] = w[q];
		if (q == j + 1)
			t[o].gap += w[j].gap + 1;
		o++;
	}
	return plausible(t, m);
}

/* A phrase split by prose that holds a list word ("... deal and then
 * on the back since ..."): leaving out one word next to the prose, do
 * the m words from i make a phrase? The word left out, or -1; idx gets
 * the phrase. In the relaxed pass (the window as it stands is not
 * plausible) the word must stand alone between two pieces of prose, and
 * the rest must be plausible without it. */
static int
seed_skip_one(const struct wtok *w, int i, int m, int n, int relaxed,
    int *idx)
{
	if (i + m >= n)
		return -1;
	for (int j = i + 1; j <= i + m; j++) {
		if (!w[j].gap && (j == i + m || !w[j + 1].gap))
			continue;
		/* relaxed: only a word alone between two pieces of prose */
		if (relaxed && (!w[j].gap || j == i + m || !w[j + 1].gap))
			continue;
		for (int q = 0, o = 0; q <= m; q++)
			if (i + q != j)
				idx[o++] = w[i + q].idx;
		if (bip39_checksum_ok(idx, m) && (!relaxed ||
		    plausible_without(w, i, m, j)))
			return j;
	}
	return -1;
}

/* Prose between the words, summed, so a window's gaps cost O(1). */
struct sums {
	int *gaps;	/* prose words */
	int *pieces;	/* places with prose */
	int *inrun;	/* words in Han runs */
};

static int label_word(const char *s, const struct wtok *t);

/* Labels that say the words after them are a phrase. */
static const char *const phrase_labels[] = { "seed phrase", "seed words",
    "seed is", "seed:", "seed -", "recovery phrase", "recovery words",
    "backup phrase", "backup words", "secret phrase", "mnemonic",
    "12 words", "24 words", "12-word", "24-word", "助记词", "种子词",
    "恢复词", "备份词", "助记码", "种子短语", "恢复短语", "助記詞", "種子詞",
    "恢復詞", "備份詞", "助記碼", "種子短語", "恢復短語" };

/* Whether a run of characters holds a label ("我的助记词是..." is a
 * label and a phrase, never one phrase). */
static int
holds_label(const char *s, size_t n)
{
	/* every Chinese label ends in 词 詞 语 語 (E8 ..) or 码 碼 (E7 ..):
	 * most texts hold none */
	if (!redact_has_char3(s, n, 0xE8, "\xE8\xAF\x8D\xE8\xA9\x9E"
	    "\xE8\xAF\xAD\xE8\xAA\x9E", 4) && !redact_has_char3(s, n, 0xE7,
	    "\xE7\xA0\x81\xE7\xA2\xBC", 2))
		return 0;
	for (size_t k = 0; k < ARRAY_LEN(phrase_labels); k++)
		if ((unsigned char)phrase_labels[k][0] >= 0x80 &&
		    memmem(s, n, phrase_labels[k], strlen(phrase_labels[k])))
			return 1;
	return 0;
}

/*
 * Whether the whole run of m list characters from i, with no word like
 * 助记词 in the text, reads as random characters rather than prose: no
 * Han character after it (one not in the list ends no run), and the
 * list's order, most frequent characters first, drawn evenly: a phrase's
 * indices average 1024 (below 680 for one in 45 phrases of 12 words, one
 * in 3000 of 24), any 12 characters of prose about 330 (below 610 for 99
 * in 100 of them, the most seen 744). The caller asks for the checksum
 * too: one in 16 of what is left.
 */
static int
zh_run_alone(const char *s, size_t len, const struct wtok *w, int i, int m)
{
	size_t e = w[i + m - 1].end;
	uint32_t cp = 0;
	long sum = 0;

	if (e < len && (unsigned char)s[e] >= 0x80 &&
	    (u8_decode(s + e, len - e, &cp), u8_is_cjk(cp)))
		return 0;
	for (int j = i; j < i + m; j++)
		sum += w[j].idx;
	return sum >= 680L * m;
}

/* Whether the m words from i may be a Chinese phrase: separate
 * characters, or one whole run of characters the text says is a phrase
 * (looked up once, if needed). */
static int
zh_window_ok(const char *s, size_t len, const struct wtok *w, int i, int m,
    int n, const struct sums *sm, struct seed_ctx *cx)
{
	int ok = 1;

	if (sm->inrun[i + m] - sm->inrun[i] == 0)
		return 1;
	/* only as a whole run: cheap tests first, the text's words last */
	if (!w[i].run_start || (i + m < n && !w[i + m].run_start))
		return 0;
	for (int j = 1; ok && j < m; j++)
		if (w[i + j].run_start || w[i + j].start != w[i + j - 1].end)
			ok = 0;
	if (!ok)
		return 0;
	if (cx->zh < 0)
		cx->zh = has_seed_context(s, len);
	return (cx->zh || zh_run_alone(s, len, w, i, m)) &&
	    !holds_label(s + w[i].start, w[i + m - 1].end - w[i].start);
}

/* Whether a label ends right before p: right before it for a Chinese
 * run ("助记词是悟瘦...": the label may be part of the run), within 30
 * bytes otherwise. */
static int
labelled_at(const char *s, size_t p, int inside_run)
{
	static const char *const tails[] = { "", "是", "为", "為", "：", ": " };
	size_t nl = ARRAY_LEN(phrase_labels);

	if (!inside_run)
		return redact_near_before(s, p, 30, phrase_labels, nl) >= 0;
	static const char *const ends[] = { "词", "码", "语", "詞", "碼", "語",
	    "是", "为", "為", "：" };
	int end = p >= 2 && !memcmp(s + p - 2, ": ", 2);

	/* "助记词是..." starts after 是, not at it */
	if (!memcmp(s + p, "是", 3) || !memcmp(s + p, "为", 3) ||
	    !memcmp(s + p, "為", 3))
		return 0;
	/* every label ends in 词 (詞), 码 or 语, every tail in 是, 为 or a colon */
	for (size_t k = 0; !end && p >= 6 && k < ARRAY_LEN(ends); k++)
		end = !memcmp(s + p - 3, ends[k], 3);
	if (!end)
		return 0;
	for (size_t k = 0; k < nl; k++) {
		size_t ll = strlen(phrase_labels[k]);
		for (size_t t = 0; t < ARRAY_LEN(tails); t++) {
			size_t tl = strlen(tails[t]);
			if (p >= ll + tl && !memcmp(s + p - tl, tails[t], tl) &&
			    !memcmp(s + p - tl - ll, phrase_labels[k], ll))
				return 1;
		}
	}
	return 0;
}

/* Whether word j goes on the stretch of word j - 1: nothing between
 * them but blanks and commas; Chinese characters both standing alone or
 * both in one run. */
static int
stretch_goes_on(const struct wtok *w, int j, int zh)
{
	if (w[j].gap)
		return 0;
	if (!zh)
		return 1;
	if (w[j].isolated && w[j - 1].isolated)
		return 1;
	return w[j].start == w[j - 1].end;
}

/*
 * A phrase short of a word or two, or one whose checksum is not BIP39's
 * (a typo, Electrum's own seeds), right after a label that says what it
 * is ("my seed phrase is ...", "助记词是..."): 8 to 24 list words in a row
 * are as good as the phrase, since a missing word or two is found by
 * trying them all. Not so a run of Chinese characters, which everyday
 * prose is too: one right after the label is taken at the longest
 * phrase length whose checksum holds, so the prose after it stays.
 */
static void
seed_labelled(const char *s, const struct wtok *w, int n, int zh,
    struct seed_ctx *cx, const char *salt, struct redact_result *r)
{
	int idx[24];

	for (int i = 0; i + 8 <= n;) {
		/* a Chinese run: the label right before it, and a checksum */
		int run = zh && !w[i].isolated, m = 1;
		if (run && (!cx->zh_marks || !labelled_at(s, w[i].lstart, 1))) {
			i++;
			continue;
		}
		while (i + m < n && m < 24 && stretch_goes_on(w, i + m, zh))
			m++;
		/* an unknown word (a typo) between list words, not at the end */
		while (m > 0 && (w[i + m - 1].idx < 0 || (m >= 2 &&
		    w[i + m - 2].idx < 0)))
			m--;
		if (m < 8) {	/* and every stretch inside it */
			i += m > 0 ? m : 1;
			continue;
		}
		int starts = i == 0 || w[i].gap || (zh ? run ||
		    !stretch_goes_on(w, i, zh) : label_word(s, &w[i - 1]));
		if (!starts || (!run && (!text_labelled(s, cx) ||
		    !labelled_at(s, w[i].lstart, 0))) || !plausible(w + i, m)) {
			i++;
			continue;
		}
		for (int j = 0; j < m; j++)
			idx[j] = w[i + j].idx;
		if (run) {
			int k = m - m % 3;
			while (k >= 12 && !bip39_checksum_ok(idx, k))
				k -= 3;
			if (k < 12) {
				i++;
				continue;
			}
			m = k;
		}
		if (redact_add_finding(r, "seed-phrase", w[i].lstart,
		    w[i + m - 1].end, m))
			redact_hash_words(r, salt, idx, m);
		i += m;
	}
}


/* Numbered columns inside a longer run ("your: 1. job  10. era ...
 * 18. gentle your ...", list words before or after them): each stretch
 * of numbered words is tried as columns, and the words around a taken
 * one are searched on their own. Returns 1 when one was taken. */
static int
seed_numbered_inside(const char *s, size_t len, struct wtok *w, int n,
    int zh, struct seed_ctx *cx, const char *salt, struct redact_result *r)
{
	for (int a = 0; a < n;) {
		int b = a;
		while (b < n && w[b].label)
			b++;
		if (b - a >= 12 && b - a < n &&
		    seed_numbered(len, w + a, b - a, salt, r)) {
			redact_seed_windows(s, len, w, a, zh, cx, salt, r);
			redact_seed_windows(s, len, w + b, n - b, zh, cx, salt, r);
			return 1;
		}
		a = b > a ? b : a + 1;
	}
	return 0;
}

/* Whether only a few blanks or punctuation marks stand between a and b
 * (one word's end and the next one's start): no other script, no digit,
 * and no colon ("Seed: ..." labels what follows, it is not part of it). */
static int
joined(const char *s, size_t a, size_t b)
{
	if (b < a || b - a > 4)
		return 0;
	for (; a < b; a++)
		if (!strchr(" \t\n,.;-", s[a]) || s[a] == '\0')
			return 0;
	return 1;
}

/* List words that name what follows ("my seed ...", "secret phrase
 * ..."): the label stays readable. */
static int
label_word(const char *s, const struct wtok *t)
{
	static const char *const labels[] = { "seed", "word", "key",
	    "private", "secret", "phrase", "code" };
	size_t n = t->end - t->start;

	for (size_t i = 0; i < ARRAY_LEN(labels); i++)
		if (strlen(labels[i]) == n &&
		    strncasecmp(s + t->start, labels[i], n) == 0)
			return 1;
	return 0;
}

/*
 * One pass of windows over a run. The strict pass (mode 0) takes windows
 * that are plausible as they stand (or with one list word next to prose
 * left out). Mode 1 also looks at the others: a phrase split by prose
 * that holds a lone list word ("... deal and then on the back since
 * ..."), plausible once that word is left out. Returns how many words the
 * phrases taken hold.
 */
static int
windows_pass(const char *s, size_t len, struct wtok *w, int n, int zh,
    struct seed_ctx *cx, const struct sums *sm, int mode, const char *salt,
    struct redact_result *r)
{
	static const int sizes[] = { 24, 21, 18, 15, 12 };
	int idx[24], taken = 0;

	for (int i = 0, done = 0; i + 12 <= n;) {
		int found = 0;
		/* a Chinese phrase starts with a character standing alone, or
		 * is a whole run of characters: nothing else can start one */
		if (zh && !w[i].isolated && !w[i].run_start) {
			i++;
			continue;
		}
		/* nor does a word with a colon after it ("Seed: ...") */
		if (w[i].end < len && (s[w[i].end] == ':' || (w[i].end + 3 <= len &&
		    !memcmp(s + w[i].end, "\xEF\xBC\x9A", 3)))) {
			i++;
			continue;
		}
		for (size_t k = 0; k < ARRAY_LEN(sizes) && !found; k++) {
			int m = sizes[k], gaps, last = i + m - 1;
			if (i + m > n)
				continue;
			gaps = sm->gaps[i + m] - sm->gaps[i + 1];
			if (gaps > m / 3 || sm->pieces[i + m] - sm->pieces[i + 1] > 2)
				continue;
			if (zh && !zh_window_ok(s, len, w, i, m, n, sm, cx))
				continue;
			int relaxed = !plausible(w + i, m);
			if (relaxed && !mode)
				continue;
			for (int j = 0; j < m; j++)
				idx[j] = w[i + j].idx;
			/* BIP39's checksum, or Electrum's version (its seeds
			 * have 12 words) */
			if (relaxed || (!bip39_checksum_ok(idx, m) && (zh ||
			    m != 12 || !redact_electrum_ok(idx, m)))) {
				if (zh || i + m >= n || gaps + w[i + m].gap == 0 ||
				    seed_skip_one(w, i, m, n, relaxed, idx) < 0)
					continue;
				last = i + m;
			}
			/* list words right before the phrase go with it: the
			 * windows before this one failed, so a paste with prose
			 * inside ("six words (that's the first half) six more")
			 * may pass only from its third word, and must not keep
			 * its first two in clear. Not after it: "... please
			 * help" is prose the agent needs. */
			int first = i;
			while (!zh && first > done && w[first].gap == 0 &&
			    joined(s, w[first - 1].end, w[first].lstart) &&
			    !label_word(s, &w[first - 1]))
				first--;
			size_t a = w[first].lstart < w[first].start ?
			    w[first].lstart : w[first].start;
			redact_add_finding(r, "seed-phrase", a, w[last].end, m);
			redact_hash_words(r, salt, idx, m);
			i = done = last + 1;
			found = 1;
			taken += m;
		}
		if (!found)
			i++;
	}
	return taken;
}

/* Whether a list word stands alone between two pieces of prose: the
 * only case the relaxed windows (mode 1) can read differently. */
static int
lone_word(const struct wtok *w, int n)
{
	for (int j = 1; j + 1 < n; j++)
		if (w[j].gap && w[j + 1].gap)
			return 1;
	return 0;
}

/* Drop the findings and hashes added since n, h and c. */
static void
findings_back(struct redact_result *r, size_t n, size_t h, size_t c)
{
	r->n = n;
	r->hashes.len = h;
	r->n_hashes = c;
}

/* Look for valid phrases in a run of wordlist tokens. */
void
redact_seed_windows(const char *s, size_t len, struct wtok *w, int n, int zh,
    struct seed_ctx *cx, const char *salt, struct redact_result *r)
{
	int sums_in[3 * 129];
	struct sums sm;

	if (n < 8)
		return;
	if (n < 12 || seed_numbered(len, w, n, salt, r) ||
	    seed_after_context(s, w, n, zh, salt, r) ||
	    seed_list_shape(s, len, w, n, zh, salt, r) ||
	    seed_numbered_inside(s, len, w, n, zh, cx, salt, r)) {
		seed_labelled(s, w, n, zh, cx, salt, r);
		return;
	}
	sm.gaps = n < 129 ? sums_in : xmalloc(3 * ((size_t)n + 1) *
	    sizeof(int));
	sm.pieces = sm.gaps + n + 1;
	sm.inrun = sm.pieces + n + 1;
	sm.gaps[0] = sm.pieces[0] = sm.inrun[0] = 0;
	for (int j = 0; j < n; j++) {
		sm.gaps[j + 1] = sm.gaps[j] + w[j].gap;
		sm.pieces[j + 1] = sm.pieces[j] + (w[j].gap > 0);
		sm.inrun[j + 1] = sm.inrun[j] + !w[j].isolated;
	}
	/* both ways, keeping the one that takes more words: a window that
	 * passes by chance (one in 16 for 12 words) can come first in
	 * either and take words from the real phrase further on */
	size_t n0 = r->n, h0 = r->hashes.len, c0 = r->n_hashes;
	int strict = windows_pass(s, len, w, n, zh, cx, &sm, 0, salt, r);
	if (!zh && lone_word(w, n)) {
		findings_back(r, n0, h0, c0);
		if (windows_pass(s, len, w, n, zh, cx, &sm, 1, salt, r) <=
		    strict) {
			findings_back(r, n0, h0, c0);
			windows_pass(s, len, w, n, zh, cx, &sm, 0, salt, r);
		}
	}
	stack_free(sm.gaps, sums_in);
	seed_labelled(s, w, n, zh, cx, salt, r);
}

/* Whether run a..e is one of the English words a label holds (any
 * case): "seed", "phrase", "mnemonic", "recovery", "backup", "word(s)". */
static int
label_stem(const char *s, size_t a, size_t e)
{
	static const char *const stems[] = { "seed", "phrase", "mnemonic",
	    "recovery", "backup", "word", "words" };
	size_t n = e - a;

	if (n < 4 || n > 8 || !strchr("spmrbwSPMRBW", s[a]))
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(stems); i++)
		if (strlen(stems[i]) == n && !strncasecmp(s + a, stems[i], n))
			return 1;
	return 0;
}

/* Whether the text has an English label word, looked at once. */
static int
text_labelled_en(const char *s, struct seed_ctx *cx)
{
	const struct text_runs *tr = cx->tr;

	if (cx->en_labelled >= 0)
		return cx->en_labelled;
	cx->en_labelled = 0;
	for (size_t k = 0; !cx->en_labelled && k < tr->n; k++)
		cx->en_labelled = !tr->r[k].digits && label_stem(s,
		    tr->r[k].start, tr->r[k].end);
	return cx->en_labelled;
}

/* Whether the text has a label (any case for English), looked at once. */
static int
text_labelled(const char *s, struct seed_ctx *cx)
{
	const struct text_runs *tr = cx->tr;

	if (cx->labelled >= 0)
		return cx->labelled;
	cx->labelled = text_labelled_en(s, cx);
	if (!cx->labelled && tr->n_han >= 2)
		cx->labelled = holds_label(s, cx->len);
	return cx->labelled;
}

/* Whether s has 12 words that may be English list words (3 to 8
 * letters, no digit after: at most one a run of letters and digits, its
 * last letters) or may have 12 Chinese list characters: no phrase
 * without; or 8 of them and a label (seed_labelled). */
static int
may_hold_phrase(const char *s, struct seed_ctx *cx)
{
	const struct text_runs *tr = cx->tr;
	int nen = 0;

	if (tr->n_han >= 12)
		return 1;
	for (size_t k = 0; k < tr->n; k++) {
		size_t a = tr->r[k].start, b = tr->r[k].end, e = b;
		if (tr->r[k].digits)
			while (b > a && a_alpha((unsigned char)s[b - 1]))
				b--;
		else
			b = a;
		if (e - b >= 3 && e - b <= 8 && ++nen >= 12)
			return 1;
	}
	return (nen >= 8 || tr->n_han >= 8) && text_labelled(s, cx);
}

/* Where the letters from i end: the end of its word when the runs say
 * the word holds no digit (*w follows the runs), else looked at. */
static size_t
letters_end(const char *s, size_t len, size_t i, const struct text_runs *tr,
    size_t *w)
{
	size_t e = i;

	while (*w < tr->n && tr->r[*w].start < i)
		(*w)++;
	if (*w < tr->n && tr->r[*w].start == i && !tr->r[*w].digits)
		return tr->r[*w].end;
	while (e < len && a_alpha((unsigned char)s[e]))
		e++;
	return e;
}

/*
 * The list index of the English word at i..e: the word itself, a typo of
 * it where the text says a phrase is there, or -1 for an unknown word
 * right after a list word in such a text (a typo in its first letters:
 * it stays in the phrase only when a list word follows it). -2: prose.
 */
static int
en_word(const char *s, size_t len, size_t i, size_t e, struct seed_ctx *cx,
    const struct wtok *prev, int gap)
{
	int k;

	if (e < len && a_digit((unsigned char)s[e]))
		return -2;
	if ((k = bip39_en_index(s + i, e - i)) >= 0)
		return k;
	if (e - i < 3 || e - i > 9 || !text_labelled_en(s, cx))
		return -2;
	if (e - i >= 5 && (k = bip39_en_near(s + i, e - i)) >= 0)
		return k;
	return prev && gap == 0 && prev->idx >= 0 ? -1 : -2;
}

/* Tokenise into wordlist runs (English and Chinese separately); a run
 * ends at more than 6 prose words in a row (and never on an unknown
 * word: see en_word). */
void
redact_find_seeds(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct redact_result *r)
{
	struct wtok en_in[64], zh_in[64], *en = en_in, *zh = zh_in;
	size_t nen = 0, cen = ARRAY_LEN(en_in), nzh = 0, czh = ARRAY_LEN(zh_in);
	int gap_en = 0, gap_zh = 0, label = 0;
	struct seed_ctx cx = { tr, len, -1, -1, 0, -1 };
	size_t label_at = 0, i = 0, han_end = 0, w = 0;

	if (!may_hold_phrase(s, &cx))
		return;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t e;
		if (a_alpha(c)) {
			e = letters_end(s, len, i, tr, &w);
			int k = en_word(s, len, i, e, &cx, nen ? &en[nen - 1] :
			    NULL, gap_en);
			if (k >= -1) {
				en = stack_grow(en, en_in, &cen, nen,
				    sizeof(*en));
				en[nen++] = (struct wtok){ i, e, label ?
				    label_at : i, k, label, gap_en, 1, 0 };
				gap_en = 0;
			} else {
				/* an unknown word before prose is prose too */
				if (nen && en[nen - 1].idx < 0) {
					nen--;
					gap_en++;
				}
				if (++gap_en > 6) {
					if (nen >= 8)
						redact_seed_windows(s, len, en,
						    (int)nen, 0, &cx, salt, r);
					nen = 0;
					gap_en = 0;
				}
			}
			label = 0;
			i = e;
			continue;
		}
		if ((a_digit(c) || c == '<' || c == '&') && (e =
		    redact_number_markup(s, len, i, &label, &label_at)) > i) {
			i = e;	/* "1. word", "a<br>b": markup is no prose */
			continue;
		}
		if (c < 0x80) {
			if (!redact_keeps_label(c))
				label = 0;
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);
		if (u8_is_cjk(cp)) {
			int k = bip39_zh_index(cp);
			cx.zh_marks |= cp == 0x8BCD || cp == 0x8A5E ||
			    cp == 0x7801 || cp == 0x78BC || cp == 0x8BED ||
			    cp == 0x8A9E;
			uint32_t nc = 0;
			/* the Han character before ends where this starts */
			int prev_han = han_end == i && i > 0;
			if (i + n < len && (unsigned char)s[i + n] >= 0x80)
				u8_decode(s + i + n, len - i - n, &nc);
			int next_han = nc && u8_is_cjk(nc);
			han_end = i + n;
			if (k >= 0) {
				zh = stack_grow(zh, zh_in, &czh, nzh,
				    sizeof(*zh));
				zh[nzh++] = (struct wtok){ i, i + n, label ?
				    label_at : i, k, label, gap_zh,
				    !prev_han && !next_han, !prev_han };
				gap_zh = 0;
			} else if (++gap_zh > 6) {
				if (nzh >= 8)
					redact_seed_windows(s, len, zh, (int)nzh, 1,
					    &cx, salt, r);
				nzh = 0;
				gap_zh = 0;
			}
			label = 0;
		} else if (cp != 0x3001 && cp != 0xFF0C && cp != 0x3002 &&
		    cp != 0xFF1A && cp != 0x3000) {
			label = 0;
		}
		i += n;
	}
	redact_seed_windows(s, len, en, (int)nen - (nen && en[nen - 1].idx < 0),
	    0, &cx, salt, r);
	if (nzh >= 8)
		redact_seed_windows(s, len, zh, (int)nzh, 1, &cx, salt, r);
	stack_free(en, en_in);
	stack_free(zh, zh_in);
}

/* --- keys, codes, passwords ------------------------------------------------ */
