/* SPDX-License-Identifier: MIT */
/*
 * Text (store/text.c): customer text made safe to show on a terminal, and
 * the CJK helpers of the full-text index and of language detection.
 */
#ifndef TDESK_STORE_TEXT_H
#define TDESK_STORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"

/* Append s to out with control characters, escape sequences and bidi
 * overrides made visible and inert (e.g. "^[", "<U+202E>"); newlines and
 * tabs kept when keep_newlines. Invalid UTF-8 becomes U+FFFD. */
void text_sanitize(struct buf *out, const char *s, size_t len,
    int keep_newlines);
/* Whether cp reorders or hides text (bidi controls, zero-width and
 * joiners, invisible format characters, tags): shown as markers. */
int text_invisible(uint32_t cp);
/* Append s with a space around every CJK character, traditional ones as
 * simplified (for FTS5: the texts and the queries alike). */
void text_cjk_split(struct buf *out, const char *s, size_t len);
/* Whether s contains any CJK character. */
int text_has_cjk(const char *s, size_t len);
/* Traditional Chinese characters of s to their simplified forms, in place
 * (byte offsets unchanged). */
void zh_fold_t2s(char *s, size_t len);
/* HTML (a comment's html_body) as readable plain text appended to out
 * (store/text_html.c): paragraphs and breaks as lines, lists as "- "
 * and "1. " items, table cells joined by " | ", quoted history as "> "
 * lines, a link's target after its text unless the text says it, images
 * as "[image: NAME]", entities decoded, head/style/script dropped. */
void text_html_to_text(struct buf *out, const char *html, size_t len);
/* The first place of the two bytes two in s[0..n), or NULL (memchr
 * fast; memmem is slow for so short a needle). */
const char *text_find2(const char *s, size_t n, const char two[2]);
/* Whether a plain text needs text_tidy (cheap: most bodies do not). */
int text_tidy_needed(const char *s, size_t len);
/* s appended to out with CRLF and CR as LF, no-break spaces as spaces,
 * no white space at line ends,
 * no blank lines at either end, runs of blank lines as one; unindent
 * drops one leading space per line (Zendesk's plain_body). */
void text_tidy(struct buf *out, const char *s, size_t len, int unindent);
/* s appended to out with each markdown image ("![alt](url)", as
 * Zendesk writes inline images into a body) as "[image: NAME]"; 1 when
 * there was one. */
int text_md_images(struct buf *out, const char *s, size_t len);
/* Whether a text that should be plain is an HTML document or fragment
 * (it starts with a common HTML tag). */
int text_looks_html(const char *s, size_t len);
/* "ja" (kana), "ko" (hangul), "zh" (Han only) or NULL. */
const char *text_script_lang(const char *s, size_t len);

#endif
