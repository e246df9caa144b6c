/* SPDX-License-Identifier: MIT */
/*
 * Zendesk's answers mapped into the replica: the agent's active macros
 * and the help-center articles (read by sync/answers.c through the
 * backend's answers_ingest).
 */
#include "sync/sync_int.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

#define M struct store_macro_rec
#define X struct store_article_rec
static const struct sj_member macro_members[] = {
	SJ_K(M, remote_id, "id", SJ_INT), SJ_M(M, title, SJ_STR),
	SJ_M(M, description, SJ_STR), SJ_M(M, active, SJ_FLAG_ON),
	SJ_M(M, updated_at, SJ_TIME),
}, article_members[] = {
	SJ_K(X, remote_id, "id", SJ_INT), SJ_M(X, title, SJ_STR),
	SJ_K(X, body_html, "body", SJ_STR), SJ_M(X, locale, SJ_STR),
	SJ_M(X, section_id, SJ_INT), SJ_M(X, updated_at, SJ_TIME),
	SJ_M(X, draft, SJ_FLAG_OFF),
};
#undef M
#undef X

static int
map_macro(struct store *st, struct json_object *m, struct tdesk_err *err)
{
	struct store_macro_rec r = { 0 };
	struct json_object *a = sj_array(m, "actions");

	sj_read(m, &r, macro_members, ARRAY_LEN(macro_members));
	/* Zendesk's actions ({"field", "value"}) are the replica's own
	 * macro vocabulary: handed over as they are */
	r.actions = a ? json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "[]";
	return store_macro_put_remote(st, &r, err);
}

static int
map_article(struct store *st, struct json_object *x, struct tdesk_err *err)
{
	struct store_article_rec r = { 0 };
	struct json_object *labels = sj_array(x, "label_names");
	struct buf lb = BUF_INIT;
	char key[32];
	int rc;

	sj_read(x, &r, article_members, ARRAY_LEN(article_members));
	snprintf(key, sizeof(key), "zd-%lld", (long long)r.remote_id);
	r.key = key;
	for (size_t i = 0; labels && i < json_object_array_length(labels);
	    i++) {
		struct json_object *l = json_object_array_get_idx(labels, i);
		if (json_object_is_type(l, json_type_string))
			buf_printf(&lb, "%s%s", lb.len ? ", " : "",
			    json_object_get_string(l));
	}
	r.labels = lb.data;
	rc = store_faq_put_article(st, &r, err);
	buf_free(&lb);
	return rc;
}

int
zd_answers_ingest(struct store *st, int macros, const char *json,
    size_t len, struct tdesk_err *err)
{
	struct json_object *root, *a;
	int rc = 0;

	if (sj_parse_net(json, len, &root, err) < 0)
		return -1;
	a = sj_array(root, macros ? "macros" : "articles");
	for (size_t i = 0; rc == 0 && a && i < json_object_array_length(a);
	    i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		if (json_object_is_type(o, json_type_object))
			rc = macros ? map_macro(st, o, err) :
			    map_article(st, o, err);
	}
	json_object_put(root);
	sj_fixed_free();
	return rc;
}
