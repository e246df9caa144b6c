/* SPDX-License-Identifier: MIT */
/*
 * FAQ answers (store/faq.c): loaded from YAML files and from the
 * helpdesk's help center, searched in every language they are written in.
 */
#ifndef TDESK_STORE_FAQ_H
#define TDESK_STORE_FAQ_H

#include <stddef.h>
#include <stdint.h>

#include "store/base.h"
#include "store/ynode.h"

struct store;

/* Load FAQ answers from DIR/faq/ID.yaml for each of the n dirs, as
 * store_macros_load_dirs does macros (a later dir's answer replaces an
 * earlier one with the same id). */
int store_faq_load_dirs(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);
/* Like the above, but a no-op when no file under the dirs changed since
 * the last clean load. */
int store_faq_refresh(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);

/*
 * Help-center articles, for sync/, as typed records (each backend maps
 * its own answers). Each call runs in its own nested transaction.
 */
struct store_article_rec {
	int64_t remote_id;
	const char *key;	/* the FAQ id, e.g. "zd-360001" */
	const char *title;
	const char *body_html;
	const char *locale;	/* "en-us", "zh-cn" */
	const char *labels;	/* keywords, comma separated */
	int64_t section_id;	/* 0: none */
	int64_t updated_at;
	int draft;		/* 1: remove this locale's text */
};
int store_faq_put_article(struct store *st, const struct store_article_rec *a,
    struct tdesk_err *err);
/* After a list of articles: drop entries left without text and rebuild
 * the FAQ index. */
int store_faq_articles_done(struct store *st, struct tdesk_err *err);
/* Delete every remote answer: call inside store_begin() before
 * ingesting a complete list, so the ones deleted remotely go too. */
int store_faq_remote_clear(struct store *st, struct tdesk_err *err);

struct store_faq {
	const char *id;
	const char *category;
	const char *keywords;	/* comma separated */
	const char *source;	/* "local", "starter", "remote" */
	const char *lang;	/* language of title and body */
	const char *langs;	/* all languages, space separated */
	const char *title;
	const char *body;
	double rank;		/* search: bm25, lower is better */
};
typedef int (*store_faq_fn)(const struct store_faq *f, void *arg);
/*
 * Full-text search over titles (weighted most), keywords and bodies of
 * every language; Chinese works down to one character. Entries come
 * best first, shown in lang (NULL: zh when text has Chinese, else en;
 * falls back to en, then any). limit 0 means 20. Return non-zero from
 * fn to stop.
 */
int store_faq_search(struct store *st, const char *text, const char *lang,
    int limit, store_faq_fn fn, void *arg, struct tdesk_err *err);
/* One entry in lang (NULL: en, else any). 1 found, 0 not, -1 error. */
int store_faq_get(struct store *st, const char *id, const char *lang,
    store_faq_fn fn, void *arg, struct tdesk_err *err);
/* Every entry by category then id, in lang (NULL: en, else any). */
int store_faq_list(struct store *st, const char *lang, store_faq_fn fn,
    void *arg, struct tdesk_err *err);

#endif
