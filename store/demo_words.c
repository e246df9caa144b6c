/* SPDX-License-Identifier: MIT */
/*
 * The words of the demo desk: what its customers and agents say, loaded
 * from text.yaml (share/tdesk/demo/) with the YAML loader.
 */
#include "store/demo_int.h"

#include <stdio.h>
#include <stdlib.h>

/* A non-empty list of strings at path (keys separated by '.') under n. */
static int
words_pool(const struct ynode *n, const char *path, struct demo_pool *p,
    struct tdesk_err *err)
{
	char key[32];
	const char *dot;
	const char **v;

	for (; (dot = strchr(path, '.')) != NULL; path = dot + 1) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		if ((n = ynode_get(n, key)) == NULL)
			return err_set(err, TDESK_EUSAGE, "demo text: no '%s'",
			    key);
	}
	if ((n = ynode_get(n, path)) == NULL)
		return err_set(err, TDESK_EUSAGE, "demo text: no '%s'", path);
	if (n->kind != YNODE_SEQ || n->n == 0)
		return ynode_err(n, err, "demo text: '%s' must be a list of "
		    "texts", path);
	v = xcalloc(n->n, sizeof(*v));
	for (size_t i = 0; i < n->n; i++)
		if (ynode_str(n->items[i], &v[i], err) < 0) {
			free(v);
			return -1;
		}
	p->s = v;
	p->n = n->n;
	return 0;
}

/* The English and Chinese lists of name.en and name.zh. */
static int
words_pair(const struct ynode *n, const char *name, struct demo_pool p[2],
    struct tdesk_err *err)
{
	char path[64];

	snprintf(path, sizeof(path), "%s.en", name);
	if (words_pool(n, path, &p[0], err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s.zh", name);
	return words_pool(n, path, &p[1], err);
}

static int
words_topics(struct demo_words *w, struct tdesk_err *err)
{
	const struct ynode *t, *topics = ynode_get(w->root, "topics");

	for (int k = 0; k < TP_COUNT; k++) {
		if ((t = ynode_get(topics, demo_topics[k].key)) == NULL)
			return err_set(err, TDESK_EUSAGE, "demo text: no "
			    "topic '%s'", demo_topics[k].key);
		if (words_pair(t, "subj", w->subj[k], err) < 0 ||
		    words_pair(t, "body", w->body[k], err) < 0 ||
		    words_pair(t, "reply", w->reply[k], err) < 0 ||
		    words_pair(t, "done", w->done[k], err) < 0 ||
		    words_pool(t, "note", &w->note[k], err) < 0)
			return -1;
	}
	return 0;
}

/* The field name of mapping n; NULL and err when it is missing. */
static const struct ynode *
field(const struct ynode *n, const char *name, struct tdesk_err *err)
{
	const struct ynode *v = ynode_get(n, name);

	if (v == NULL)
		ynode_err(n, err, "demo text: no '%s'", name);
	return v;
}

static int
words_hostile(struct demo_words *w, struct tdesk_err *err)
{
	const struct ynode *l = ynode_get(w->root, "hostile"), *h;
	const char *topic;
	int k;

	if (l == NULL || l->kind != YNODE_SEQ)
		return ynode_err(l ? l : w->root, err, "demo text: 'hostile' "
		    "must be a list");
	w->hostiles = xcalloc(l->n + 1, sizeof(*w->hostiles));
	for (size_t i = 0; i < l->n; i++) {
		struct demo_hostile *d = &w->hostiles[w->n_hostiles++];

		const struct ynode *tp, *zh, *sj, *bd;

		h = l->items[i];
		if ((tp = field(h, "topic", err)) == NULL ||
		    (zh = field(h, "zh", err)) == NULL ||
		    (sj = field(h, "subject", err)) == NULL ||
		    (bd = field(h, "body", err)) == NULL ||
		    ynode_str(tp, &topic, err) < 0 ||
		    ynode_bool(zh, &d->zh, err) < 0 ||
		    ynode_str(sj, &d->subject, err) < 0 ||
		    ynode_str(bd, &d->body, err) < 0)
			return -1;
		for (k = 0; k < TP_COUNT; k++)
			if (strcmp(demo_topics[k].key, topic) == 0)
				break;
		if (k == TP_COUNT)
			return ynode_err(h, err, "demo text: no topic '%s'",
			    topic);
		d->topic = (enum demo_topic_id)k;
	}
	return 0;
}

void
demo_words_free(struct demo_words *w)
{
	struct demo_pool *p = (struct demo_pool *)&w->subj;
	struct demo_pool *end = (struct demo_pool *)&w->hostiles;

	/* every member from subj up to hostiles is a pool */
	for (; p < end; p++)
		free((void *)p->s);
	free(w->hostiles);
	ynode_free(w->root);
	memset(w, 0, sizeof(*w));
}

int
demo_words_load(struct demo_words *w, const char *path, struct tdesk_err *err)
{
	const struct ynode *ph, *nm;

	memset(w, 0, sizeof(*w));
	if ((w->root = yaml_load_file(path, err)) == NULL)
		return -1;
	ph = ynode_get(w->root, "phrases");
	nm = ynode_get(w->root, "names");
	if (words_topics(w, err) < 0 ||
	    words_pair(ph, "nudge", w->nudge, err) < 0 ||
	    words_pair(ph, "answer", w->answer, err) < 0 ||
	    words_pair(ph, "hold", w->hold, err) < 0 ||
	    words_pair(ph, "greet", w->greet, err) < 0 ||
	    words_pair(ph, "close", w->close, err) < 0 ||
	    words_pair(ph, "shout", w->shout, err) < 0 ||
	    words_pool(ph, "note", &w->note_generic, err) < 0 ||
	    words_pool(nm, "en_first", &w->en_first, err) < 0 ||
	    words_pool(nm, "en_last", &w->en_last, err) < 0 ||
	    words_pool(nm, "zh_sur", &w->zh_sur, err) < 0 ||
	    words_pool(nm, "zh_sur_py", &w->zh_sur_py, err) < 0 ||
	    words_pool(nm, "zh_given", &w->zh_given, err) < 0 ||
	    words_pool(nm, "zh_given_py", &w->zh_given_py, err) < 0 ||
	    words_pair(nm, "docs", w->docs, err) < 0 ||
	    words_pair(nm, "countries", w->countries, err) < 0 ||
	    words_hostile(w, err) < 0)
		goto fail;
	if (w->zh_sur.n != w->zh_sur_py.n ||
	    w->zh_given.n != w->zh_given_py.n) {
		err_set(err, TDESK_EUSAGE, "%s: every Chinese name needs its "
		    "pinyin", path);
		goto fail;
	}
	return 0;
fail:
	demo_words_free(w);
	return -1;
}
