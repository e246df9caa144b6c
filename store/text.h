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
/* "ja" (kana), "ko" (hangul), "zh" (Han only) or NULL. */
const char *text_script_lang(const char *s, size_t len);

#endif
