/* SPDX-License-Identifier: MIT */
/*
 * The demo desk as the helpdesk would send it: JSON pages of tickets,
 * users and groups, and each ticket's comments, for the ingest path.
 */
#include "store/demo_int.h"

#include <inttypes.h>
#include <stdio.h>

/* --- JSON text ------------------------------------------------------- */

/*
 * Append s as a JSON string. Quotes, backslashes and control characters
 * are escaped (\n, \t, \r short, the rest \u00XX). With ascii, every
 * non-ASCII character is written as \uXXXX (a surrogate pair above
 * U+FFFF), as some servers do; otherwise UTF-8 passes through raw.
 */
void
demo_json_str(struct buf *b, const char *s, int ascii)
{
	size_t len = strlen(s);
	size_t i = 0;

	buf_addc(b, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
			i++;
		} else if (c == '\n') {
			buf_adds(b, "\\n");
			i++;
		} else if (c == '\t') {
			buf_adds(b, "\\t");
			i++;
		} else if (c == '\r') {
			buf_adds(b, "\\r");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\u%04x", c);
			i++;
		} else if (c < 0x80 || !ascii) {
			buf_addc(b, (char)c);
			i++;
		} else {
			n = utf8_decode(s + i, len - i, &cp);
			if (cp > 0xffff) {
				cp -= 0x10000;
				buf_printf(b, "\\u%04x\\u%04x",
				    0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
			} else {
				buf_printf(b, "\\u%04x", cp);
			}
			i += n;
		}
	}
	buf_addc(b, '"');
}

/* "key":"value" with a leading comma unless first. */
void
demo_json_kv(struct buf *b, const char *key, const char *val, int ascii)
{
	buf_printf(b, ",\"%s\":", key);
	if (val == NULL)
		buf_adds(b, "null");
	else
		demo_json_str(b, val, ascii);
}

void
demo_json_kid(struct buf *b, const char *key, int64_t id)
{
	if (id == 0)
		buf_printf(b, ",\"%s\":null", key);
	else
		buf_printf(b, ",\"%s\":%" PRId64, key, id);
}

void
demo_json_kts(struct buf *b, const char *key, int64_t t)
{
	char iso[21];

	time_format_iso(t, iso);
	buf_printf(b, ",\"%s\":\"%s\"", key, iso);
}

/* --- JSON pages ------------------------------------------------------ */

static void
demo_user_json(struct buf *b, int64_t id, const char *name,
    const char *email, const char *role, const char *locale, int vip,
    int ascii)
{
	buf_printf(b, "{\"id\":%" PRId64, id);
	demo_json_kv(b, "name", name, ascii);
	demo_json_kv(b, "email", email, 0);
	demo_json_kv(b, "role", role, 0);
	demo_json_kv(b, "locale", locale, 0);
	buf_printf(b, ",\"active\":true,\"verified\":true,\"tags\":[%s]}",
	    vip ? "\"vip\"" : "");
}

static void
demo_agents_json(struct buf *b)
{
	for (size_t k = 0; k < ARRAY_LEN(demo_agents); k++) {
		if (k > 0)
			buf_addc(b, ',');
		demo_user_json(b, DEMO_AGENT_BASE + (int64_t)k,
		    demo_agents[k].name, demo_agents[k].email, "agent",
		    demo_agents[k].locale, 0, k % 2);
	}
}

static void
demo_ticket_json(struct buf *b, const struct demo_ticket *t, int64_t now)
{
	const struct demo_customer *cu = t->cust;
	char iso[21];

	buf_printf(b, "{\"id\":%" PRId64 ",\"url\":\"https://demo.zendesk.com"
	    "/api/v2/tickets/%" PRId64 ".json\"", t->id, t->id);
	buf_printf(b, ",\"via\":{\"channel\":\"%s\",\"source\":", t->channel);
	if (strcmp(t->channel, "email") == 0) {
		buf_adds(b, "{\"from\":{\"address\":");
		demo_json_str(b, cu->email, 0);
		demo_json_kv(b, "name", cu->name, t->ascii);
		buf_adds(b, "},\"to\":{\"address\":\"support@kestrel.example\","
		    "\"name\":\"Kestrel Support\"},\"rel\":null}}");
	} else if (strcmp(t->channel, "any_channel") == 0) {
		buf_adds(b, "{\"from\":{\"name\":");
		demo_json_str(b, cu->name, t->ascii);
		buf_adds(b, "},\"to\":{\"name\":\"Telegram\"},"
		    "\"rel\":\"telegram\"}}");
	} else {
		buf_adds(b, "{\"from\":{},\"to\":{},\"rel\":null}}");
	}
	demo_json_kts(b, "created_at", t->created);
	demo_json_kts(b, "updated_at", t->updated);
	demo_json_kv(b, "type", t->type, 0);
	demo_json_kv(b, "subject", t->subject, t->ascii);
	demo_json_kv(b, "raw_subject", t->subject, t->ascii);
	demo_json_kv(b, "description", t->c[0].body, t->ascii);
	demo_json_kv(b, "priority", t->priority, 0);
	demo_json_kv(b, "status", t->status, 0);
	demo_json_kid(b, "requester_id", cu->id);
	demo_json_kid(b, "submitter_id", cu->id);
	demo_json_kid(b, "assignee_id", t->assignee >= 0 ?
	    DEMO_AGENT_BASE + t->assignee : 0);
	demo_json_kid(b, "group_id", DEMO_GROUP_BASE + t->group);
	buf_adds(b, ",\"tags\":[");
	for (int k = 0; k < t->ntags; k++) {
		if (k > 0)
			buf_addc(b, ',');
		demo_json_str(b, t->tags[k], 0);
	}
	buf_adds(b, "],\"custom_fields\":[],\"is_public\":true");
	buf_adds(b, ",\"slas\":{\"policy_metrics\":[");
	if (t->priority && t->sla_achieved)
		buf_adds(b, "{\"breach_at\":null,\"stage\":\"achieved\","
		    "\"metric\":\"first_reply_time\",\"minutes\":0}");
	if (t->priority && t->sla_metric) {
		int64_t left = t->sla_breach - now;

		time_format_iso(t->sla_breach, iso);
		buf_printf(b, "%s{\"breach_at\":\"%s\",\"stage\":\"active\","
		    "\"metric\":\"%s\",", t->sla_achieved ? "," : "", iso,
		    t->sla_metric);
		if (left > -7200 && left < 7200)
			buf_printf(b, "\"minutes\":%" PRId64 "}", left / 60);
		else
			buf_printf(b, "\"hours\":%" PRId64 "}", left / 3600);
	} else if (t->priority && t->sla_achieved) {
		buf_printf(b, ",{\"breach_at\":null,\"stage\":\"%s\","
		    "\"metric\":\"requester_wait_time\",\"minutes\":0}",
		    t->sla_paused ? "paused" : "achieved");
	}
	buf_adds(b, "]}}");
}

void
demo_page_json(struct demo_desk *d, struct buf *b,
    const struct demo_ticket *t, int n)
{
	d->page++;
	buf_adds(b, "{\"tickets\":[");
	for (int k = 0; k < n; k++) {
		if (k > 0)
			buf_addc(b, ',');
		demo_ticket_json(b, &t[k], d->now);
	}
	buf_adds(b, "],\"users\":[");
	demo_agents_json(b);
	for (int k = 0; k < n; k++) {
		struct demo_customer *cu = t[k].cust;

		if (cu->on_page == d->page)
			continue;
		cu->on_page = d->page;
		buf_addc(b, ',');
		demo_user_json(b, cu->id, cu->name, cu->email, "end-user",
		    cu->locale, cu->vip, k % 5 == 0);
	}
	buf_adds(b, "],\"groups\":[");
	for (int g = 0; g < G_COUNT; g++) {
		buf_printf(b, "%s{\"id\":%" PRId64, g ? "," : "",
		    DEMO_GROUP_BASE + g);
		demo_json_kv(b, "name", demo_group_names[g], 0);
		buf_adds(b, "}");
	}
	buf_adds(b, "],\"meta\":{\"has_more\":false,\"after_cursor\":null,"
	    "\"before_cursor\":null},\"links\":{\"next\":null,"
	    "\"prev\":null}}");
}

void
demo_comments_json(struct buf *b, const struct demo_ticket *t)
{
	const struct demo_customer *cu = t->cust;
	int seen[ARRAY_LEN(demo_agents)] = { 0 };

	buf_adds(b, "{\"comments\":[");
	for (int k = 0; k < t->nc; k++) {
		const struct demo_comment *c = &t->c[k];
		int64_t author = c->author >= 0 ?
		    DEMO_AGENT_BASE + c->author : cu->id;

		buf_printf(b, "%s{\"id\":%" PRId64 ",\"type\":\"Comment\","
		    "\"author_id\":%" PRId64, k ? "," : "", c->id, author);
		demo_json_kv(b, "body", c->body, t->ascii);
		demo_json_kv(b, "plain_body", c->body, t->ascii);
		buf_printf(b, ",\"public\":%s", c->public ? "true" : "false");
		demo_json_kts(b, "created_at", c->at);
		buf_printf(b, ",\"via\":{\"channel\":\"%s\",\"source\":"
		    "{\"from\":{},\"to\":{},\"rel\":null}}",
		    c->author >= 0 ? "web" : t->channel);
		buf_adds(b, ",\"attachments\":[],\"metadata\":{\"system\":{},"
		    "\"custom\":{}}}");
	}
	buf_adds(b, "],\"users\":[");
	demo_user_json(b, cu->id, cu->name, cu->email, "end-user",
	    cu->locale, cu->vip, t->ascii);
	for (int k = 0; k < t->nc; k++) {
		int a = t->c[k].author;

		if (a < 0 || seen[a])
			continue;
		seen[a] = 1;
		buf_addc(b, ',');
		demo_user_json(b, DEMO_AGENT_BASE + a, demo_agents[a].name,
		    demo_agents[a].email, "agent", demo_agents[a].locale, 0,
		    t->ascii);
	}
	buf_adds(b, "],\"meta\":{\"has_more\":false},\"links\":"
	    "{\"next\":null}}");
}
