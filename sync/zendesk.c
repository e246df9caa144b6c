/* SPDX-License-Identifier: MIT */
/*
 * The Zendesk Support API v2 backend: which endpoints answer the engine's
 * questions (see ZENDESK_API.md), how to read the identity and how to
 * build a request; zendesk_map.c maps its answers into the replica.
 */
#include "sync/sync_int.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE "page%5Bsize%5D=100"
#define PAGE_FMT "page%%5Bsize%%5D=100"	/* for printf formats */

static void
add_cursor(struct buf *b, const char *cursor)
{
	if (cursor == NULL)
		return;
	buf_adds(b, "&page%5Bafter%5D=");
	http_add_escaped(b, cursor);
}

static char *
zd_me_path(void)
{
	return xstrdup("/api/v2/users/me.json");
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int
zd_me_parse(const char *json, size_t len, struct backend_me *me,
    struct tdesk_err *err)
{
	struct json_object *root, *u;

	memset(me, 0, sizeof(*me));
	if (sj_parse_net(json, len, &root, err) < 0)
		return -1;
	u = sj_get(root, "user");
	if (sj_int(u, "id") <= 0) {
		json_object_put(root);
		return err_set(err, TDESK_EAUTH, "the server did not accept"
		    " the credentials (it answered as an anonymous user):"
		    " check the email and token");
	}
	me->id = sj_int(u, "id");
	me->role = dup_or_null(sj_str(u, "role"));
	me->name = dup_or_null(sj_str(u, "name"));
	me->email = dup_or_null(sj_str(u, "email"));
	json_object_put(root);
	sj_fixed_free();
	if (me->role == NULL || (strcmp(me->role, "agent") != 0 &&
	    strcmp(me->role, "admin") != 0))
		return err_set(err, TDESK_EAUTH, "these credentials belong to"
		    " %s with role '%s', not an agent", me->email ?
		    me->email : "a user", me->role ? me->role : "none");
	return 0;
}

static char *
zd_assigned_path(int64_t me, const char *cursor, int size)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "/api/v2/users/%lld/tickets/assigned.json?"
	    "page%%5Bsize%%5D=%d&sort=-updated_at"
	    "&include=users,groups,organizations,slas",
	    (long long)me, size > 0 && size <= 100 ? size : 100);
	add_cursor(&b, cursor);
	return buf_detach(&b);
}

static char *
zd_assigned_count_path(int64_t me)
{
	return xasprintf("/api/v2/users/%lld/tickets/assigned/count.json",
	    (long long)me);
}

static int
zd_count_parse(const char *json, size_t len, int64_t *n,
    struct tdesk_err *err)
{
	struct json_object *root, *v;

	if (sj_parse_net(json, len, &root, err) < 0)
		return -1;
	v = sj_get(sj_get(root, "count"), "value");
	if (v == NULL || !json_object_is_type(v, json_type_int)) {
		json_object_put(root);
		return err_set(err, TDESK_ENETWORK, "the ticket count has no"
		    " value");
	}
	*n = json_object_get_int64(v);
	json_object_put(root);
	return 0;
}

static char *
zd_queue_path(const char *group, int64_t since, const char *cursor)
{
	struct buf q = BUF_INIT, b = BUF_INIT;

	buf_adds(&q, "type:ticket status<solved group:\"");
	buf_adds(&q, group);
	buf_adds(&q, "\"");
	if (since > 0) {
		char iso[21];

		time_format_iso(since, iso);
		buf_printf(&q, " updated>%s", iso);
	}
	buf_adds(&b, "/api/v2/search/export.json?filter%5Btype%5D=ticket&"
	    PAGE "&include=tickets(users,groups,organizations,slas)&query=");
	http_add_escaped(&b, q.data);
	buf_free(&q);
	add_cursor(&b, cursor);
	return buf_detach(&b);
}

static char *
zd_show_many_path(const int64_t *ids, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "/api/v2/tickets/show_many.json?"
	    "include=users,groups,organizations,slas&ids=");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	return buf_detach(&b);
}

static char *
zd_ticket_path(int64_t id)
{
	return xasprintf("/api/v2/tickets/%lld.json"
	    "?include=users,groups,organizations", (long long)id);
}

static char *
zd_comments_path(int64_t id, const char *cursor)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "/api/v2/tickets/%lld/comments.json?" PAGE_FMT
	    "&include=users", (long long)id);
	add_cursor(&b, cursor);
	return buf_detach(&b);
}

static char *
zd_redact_path(int64_t ticket, int64_t comment)
{
	return xasprintf("/api/v2/tickets/%lld/comments/%lld/redact.json",
	    (long long)ticket, (long long)comment);
}

static char *
zd_recent_comments_path(int64_t id)
{
	return xasprintf("/api/v2/tickets/%lld/comments.json?" PAGE_FMT
	    "&sort=-created_at&include=users", (long long)id);
}

static char *
zd_audits_path(int64_t id, int page)
{
	return xasprintf("/api/v2/tickets/%lld/audits.json?sort_order=desc"
	    "&per_page=100&page=%d", (long long)id, page > 1 ? page : 1);
}

static int
page_size(int size)
{
	return size > 0 && size <= 100 ? size : 100;
}

static char *
zd_macros_path(const char *cursor, int size)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "/api/v2/macros/active.json?page%%5Bsize%%5D=%d",
	    page_size(size));
	add_cursor(&b, cursor);
	return buf_detach(&b);
}

static char *
zd_articles_path(const char *locale, const char *cursor, int size)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "/api/v2/help_center/");
	http_add_escaped(&b, locale);
	buf_printf(&b, "/articles.json?page%%5Bsize%%5D=%d", page_size(size));
	add_cursor(&b, cursor);
	return buf_detach(&b);
}

static char *
zd_fields_path(void)
{
	return xstrdup("/api/v2/ticket_fields.json");
}

/* The languages tdesk answers in (FAQ texts are kept as en and zh). */
static const char *const zd_locales[] = { "en-us", "zh-cn", NULL };

/* Grouped by what the engine asks: each list's path with the key of its
 * items on one line. */
const struct backend backend_zendesk = {
	.name = "zendesk",
	.me_path = zd_me_path, .me_parse = zd_me_parse,
	/* the pull */
	.assigned_path = zd_assigned_path, .list_key = "tickets",
	.assigned_count_path = zd_assigned_count_path,
	.count_parse = zd_count_parse,
	.queue_path = zd_queue_path, .queue_key = "results",
	.show_many_path = zd_show_many_path, .max_show_many = 100,
	.comments_path = zd_comments_path,
	.ingest = sync_zendesk_ingest_pages,
	.ingest_roots = sync_zendesk_ingest_roots,
	/* the push */
	.ticket_path = zd_ticket_path,
	.recent_comments_path = zd_recent_comments_path,
	.audits_path = zd_audits_path, .audits_find = zd_audits_find,
	.push_request = zd_push_request, .tags_need_fresh = 1,
	.error_text = zd_error_text,
	.redact_path = zd_redact_path, .conflict_check = zd_conflict_check,
	/* macros, articles and the custom fields */
	.macros_path = zd_macros_path, .macros_key = "macros",
	.articles_path = zd_articles_path, .articles_key = "articles",
	.locales = zd_locales, .answers_ingest = zd_answers_ingest,
	.fields_path = zd_fields_path, .fields_key = "ticket_fields",
};
