/* SPDX-License-Identifier: MIT */
/*
 * A secret split across two comments: a customer pastes half a phrase,
 * then the rest in the next comment (a chat window cut the paste, or the
 * words were on two sheets). Alone each half is too short to be a
 * phrase; the end of one comment and the start of the next, read as one
 * text, are not. Once a ticket's comments are written, each two in a
 * row by one author are read so: a secret across the seam leaves a
 * marker in both, their HTML copies go, its hashes join the ticket's.
 */
#include "store/store_int.h"
#include "store/ascii.h"
#include "store/redact.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* characters read on each side of a seam (24 long words fit) */
#define SEAM "700"

struct side {
	int64_t id, author;
	char *tail, *head;	/* the last and first SEAM characters */
	size_t body_len;	/* bytes of the whole body */
};

static void
side_free(struct side *c)
{
	free(c->tail);
	free(c->head);
	memset(c, 0, sizeof(*c));
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return xstrdup(t ? t : "");
}

/* The body of comment id with [a, b) replaced by the marker of f. */
static int
rewrite(struct store *st, int64_t id, size_t a, size_t b,
    const struct redact_finding *f, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT body FROM comments WHERE"
	    " id = ?1", err);
	struct redact_result one = { 0 };
	struct buf out = BUF_INIT;
	char *body;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_done(st, s);
		return 0;
	}
	body = col_dup(s, 0);
	store_done(st, s);
	size_t n = strlen(body);
	if (a > n || b > n || a > b) {
		free(body);
		return 0;
	}
	one.f = &(struct redact_finding){ f->kind, a, b, f->words };
	one.n = 1;
	redact_render(body, n, &one, &out);
	free(body);
	if ((s = store_prepare(st, "UPDATE comments SET body = ?2, html = ''"
	    " WHERE id = ?1", err)) == NULL) {
		buf_free(&out);
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, out.data, (int)out.len, SQLITE_STATIC);
	rc = store_step_done(st, s, err);
	store_done(st, s);
	buf_free(&out);
	return rc;
}

/*
 * Whether a text may end in part of a phrase: two of its last three
 * words are list words (English, or Chinese characters), or one is in
 * another script (kana, Hangul, accented letters: the other lists are
 * not looked up here). Most comments end in prose, and their seam is
 * not read at all.
 */
static int
ends_in_words(const char *s, size_t n)
{
	int words = 0, en = 0, zh = 0, other = 0;
	size_t e = n;

	while (e > 0 && words < 3) {
		unsigned char c = (unsigned char)s[e - 1];
		if (a_alpha(c)) {
			size_t a = e;
			while (a > 0 && a_alpha((unsigned char)s[a - 1]))
				a--;
			en += bip39_en_index(s + a, e - a) >= 0;
			words++;
			e = a;
		} else if (c >= 0x80) {
			size_t a = e - 1;
			uint32_t cp;
			while (a > 0 && ((unsigned char)s[a] & 0xC0) == 0x80)
				a--;
			u8_decode(s + a, e - a, &cp);
			if ((cp >= 0xC0 && cp <= 0x24F) || (cp >= 0x3041 &&
			    cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7A3)) {
				other++;
				words++;
			} else if (u8_is_cjk(cp)) {
				zh += bip39_zh_index(cp) >= 0;
				words++;
			}
			e = a;
		} else {
			e--;
		}
	}
	return en >= 2 || zh >= 2 || other > 0;
}

/* The seam between p and q: a secret across it is rewritten in both.
 * Returns 1 when one was, 0 when none, -1 on error. */
static int
seam(struct store *st, const struct side *p, const struct side *q,
    struct store_secrets *acc, struct tdesk_err *err)
{
	struct redact_result res = { 0 };
	struct buf j = BUF_INIT;
	size_t tl = strlen(p->tail), hl = strlen(q->head);
	int rc = 0;

	if (!ends_in_words(p->tail, tl))
		return 0;
	buf_add(&j, p->tail, tl);
	buf_addc(&j, '\n');
	buf_add(&j, q->head, hl);
	redact_text(j.data, j.len, store_salt(st), NULL, &res);
	for (size_t i = 0; i < res.n && rc == 0; i++) {
		const struct redact_finding *f = &res.f[i];
		if (f->start >= tl || f->end <= tl + 1)
			continue;
		/* from the finding's start to the end of p, from q's start
		 * to its end */
		size_t a = p->body_len - tl + f->start;
		if (rewrite(st, p->id, a, p->body_len, f, err) < 0 ||
		    rewrite(st, q->id, 0, f->end - tl - 1, f, err) < 0)
			rc = -1;
		else
			rc = 1;
	}
	if (rc == 1)
		store_secrets_add(acc, &res);
	redact_result_free(&res);
	buf_free(&j);
	return rc;
}

int
store_redact_across(struct store *st, int64_t ticket_id,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, author_id,"
	    " substr(body, -" SEAM "), substr(body, 1, " SEAM "),"
	    " length(CAST(body AS BLOB)) FROM comments WHERE ticket_id = ?1"
	    " AND id > 0 ORDER BY created_at, id", err);
	struct side prev = { 0 }, cur;
	struct store_secrets acc = { 0 };
	int rc = 0, r = SQLITE_DONE, k, skip = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	/* skip: the last comment was rewritten, its tail read is old */
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		cur.id = sqlite3_column_int64(s, 0);
		cur.author = sqlite3_column_int64(s, 1);
		cur.tail = col_dup(s, 2);
		cur.head = col_dup(s, 3);
		cur.body_len = (size_t)sqlite3_column_int64(s, 4);
		k = prev.id && !skip && prev.author == cur.author ? seam(st,
		    &prev, &cur, &acc, err) : 0;
		rc = k < 0 ? -1 : 0;
		skip = k > 0;
		side_free(&prev);
		prev = cur;
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = store_dberr(st, err, "cannot read the comments");
	side_free(&prev);
	store_done(st, s);
	if (rc == 0)
		rc = store_secrets_flush(st, ticket_id, &acc, err);
	store_secrets_free(&acc);
	return rc;
}
