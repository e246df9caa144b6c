/* SPDX-License-Identifier: MIT */
/*
 * The Zendesk side of pushing an outbox action: the request that applies
 * tdesk's own change (struct store_outbox_change) to a ticket, how to
 * find an action's audit by its client id, the server's words from an
 * error answer, and the collision check after a 409. JSON with json-c;
 * no SQL (what the replica knows comes through the store API).
 */
#include "sync/sync_int.h"
#include "store/triage.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
add_tag_array(struct json_object *o, const char *key, const char *list)
{
	struct json_object *a;
	char *copy, *save = NULL;

	if (list == NULL || *list == '\0')
		return;
	a = json_object_new_array();
	copy = xstrdup(list);
	for (char *t = strtok_r(copy, " ", &save); t;
	    t = strtok_r(NULL, " ", &save))
		json_object_array_add(a, json_object_new_string(t));
	free(copy);
	json_object_object_add(o, key, a);
}

static int
in_list(const char *list, const char *tag)
{
	size_t n = strlen(tag);

	for (const char *p = list ? list : ""; *p; ) {
		while (*p == ' ')
			p++;
		if (strncmp(p, tag, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		while (*p && *p != ' ')
			p++;
	}
	return 0;
}

/*
 * A single ticket update replaces the tags ("additional_tags" and
 * "remove_tags" are documented for update_many only, and a single update
 * drops them like any unknown key): so the whole list, built on the
 * ticket read at the stamp the update goes on (fresh; safe_update makes
 * sure it still is). Without it, the two keys, as before.
 */
static void
add_tags(struct json_object *t, const struct store_outbox_change *ch,
    const char *fresh, size_t fresh_len)
{
	struct json_object *root, *have, *a;

	if (fresh == NULL || sj_parse(fresh, fresh_len, &root, NULL) < 0)
		root = NULL;
	/* no list to build on: replacing it would drop the others' tags */
	if ((have = sj_array(sj_get(root, "ticket"), "tags")) == NULL) {
		json_object_put(root);
		sj_fixed_free();
		add_tag_array(t, "additional_tags", ch->add_tags);
		add_tag_array(t, "remove_tags", ch->remove_tags);
		return;
	}
	a = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(have); i++) {
		const char *tag = json_object_get_string(
		    json_object_array_get_idx(have, i));
		if (tag && !in_list(ch->remove_tags, tag))
			json_object_array_add(a, json_object_new_string(tag));
	}
	json_object_put(root);
	sj_fixed_free();
	if (ch->add_tags && *ch->add_tags) {
		char *copy = xstrdup(ch->add_tags), *save = NULL;

		for (char *x = strtok_r(copy, " ", &save); x;
		    x = strtok_r(NULL, " ", &save)) {
			int dup = 0;
			for (size_t i = 0; i < json_object_array_length(a);
			    i++)
				dup |= strcmp(json_object_get_string(
				    json_object_array_get_idx(a, i)), x) == 0;
			if (!dup && !in_list(ch->remove_tags, x))
				json_object_array_add(a,
				    json_object_new_string(x));
		}
		free(copy);
	}
	json_object_object_add(t, "tags", a);
}

/* "" clears: JSON null */
static void
add_clearable(struct json_object *o, const char *key, const char *v)
{
	if (v == NULL)
		return;
	json_object_object_add(o, key, *v ? json_object_new_string(v) : NULL);
}

static void
add_id(struct json_object *o, const char *key, int64_t v)
{
	if (v < 0)
		return;
	json_object_object_add(o, key, v ? json_object_new_int64(v) : NULL);
}

/* The agent's category, where the desk keeps it in a custom field:
 * "custom_fields": [{"id": FIELD, "value": CATEGORY}] ("" clears). */
static int
add_category(struct store *st, int64_t outbox_id, struct json_object *t,
    struct tdesk_err *err)
{
	struct json_object *a, *f;
	int64_t field;
	char *value;
	int rc = store_outbox_field(st, outbox_id, &field, &value, err);

	if (rc <= 0)
		return rc;
	f = json_object_new_object();
	json_object_object_add(f, "id", json_object_new_int64(field));
	json_object_object_add(f, "value", *value ?
	    json_object_new_string(value) : NULL);
	a = json_object_new_array();
	json_object_array_add(a, f);
	json_object_object_add(t, "custom_fields", a);
	free(value);
	return 0;
}

/*
 * {"ticket": {fields..., "tags": [...], "comment": {"body", "public"},
 * "safe_update": true, "updated_stamp": stamp, "metadata":
 * {"client_msg_id": id}}}:
 * the update applies only on top of the stamp the agent saw (409
 * otherwise), and the client id lands in the audit for reconciling.
 */
int
zd_push_request(struct store *st, const struct store_outbox_row *row,
    const char *stamp, const char *fresh, size_t fresh_len,
    struct http_req **out, struct tdesk_err *err)
{
	const struct store_outbox_change *ch = &row->ch;
	struct json_object *root = json_object_new_object();
	struct json_object *t = json_object_new_object(), *meta;
	char *path;

	if (ch->comment) {
		struct json_object *c = json_object_new_object();
		json_object_object_add(c, "body",
		    json_object_new_string(ch->comment));
		json_object_object_add(c, "public",
		    json_object_new_boolean(ch->comment_public));
		json_object_object_add(t, "comment", c);
	}
	if (ch->status)
		json_object_object_add(t, "status",
		    json_object_new_string(ch->status));
	add_clearable(t, "priority", ch->priority);
	add_clearable(t, "type", ch->type);
	add_id(t, "assignee_id", ch->assignee_id);
	add_id(t, "group_id", ch->group_id);
	if ((ch->add_tags && *ch->add_tags) ||
	    (ch->remove_tags && *ch->remove_tags))
		add_tags(t, ch, fresh, fresh_len);
	if (add_category(st, row->id, t, err) < 0) {
		json_object_put(root);
		json_object_put(t);
		return -1;
	}
	json_object_object_add(t, "safe_update", json_object_new_boolean(1));
	json_object_object_add(t, "updated_stamp",
	    json_object_new_string(stamp ? stamp : ""));
	meta = json_object_new_object();
	json_object_object_add(meta, "client_msg_id",
	    json_object_new_string(row->client_id));
	json_object_object_add(t, "metadata", meta);
	json_object_object_add(root, "ticket", t);
	path = xasprintf("/api/v2/tickets/%lld.json",
	    (long long)row->ticket_id);
	*out = http_req_new("PUT", path, json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	free(path);
	json_object_put(root);
	return 0;
}

int
zd_audits_find(const char *json, size_t len, const char *client_id,
    struct tdesk_err *err)
{
	struct json_object *root, *a;
	int found = 0;

	if (sj_parse_net(json, len, &root, err) < 0)
		return -1;
	a = sj_array(root, "audits");
	for (size_t i = 0; a && !found && i < json_object_array_length(a);
	    i++) {
		struct json_object *au = json_object_array_get_idx(a, i);
		const char *id = sj_str(sj_get(sj_get(au, "metadata"),
		    "custom"), "client_msg_id");
		found = id && strcmp(id, client_id) == 0;
	}
	json_object_put(root);
	sj_fixed_free();
	return found;
}

/* "description: field: detail; ..." from Zendesk's error shapes. */
char *
zd_error_text(const char *json, size_t len)
{
	struct json_object *root, *e, *d;
	struct buf b = BUF_INIT, clean = BUF_INIT;
	const char *msg;

	if (sj_parse(json, len, &root, NULL) < 0)
		return NULL;
	e = sj_get(root, "error");
	msg = sj_str(root, "description");
	if (msg == NULL)
		msg = sj_str(e, "message");
	if (msg == NULL)
		msg = sj_str(e, "title");
	if (msg == NULL && sj_array(root, "errors")) {
		struct json_object *first = json_object_array_get_idx(
		    sj_array(root, "errors"), 0);
		msg = sj_str(first, "detail");
		if (msg == NULL)
			msg = sj_str(first, "title");
	}
	if (msg == NULL && e && json_object_is_type(e, json_type_string))
		msg = json_object_get_string(e);
	if (msg)
		buf_adds(&b, msg);
	if ((d = sj_get(root, "details")) != NULL &&
	    json_object_is_type(d, json_type_object)) {
		int n = 0;
		json_object_object_foreach(d, key, val) {
			if (!json_object_is_type(val, json_type_array))
				continue;
			for (size_t i = 0; i < json_object_array_length(val);
			    i++) {
				struct json_object *x =
				    json_object_array_get_idx(val, i);
				const char *t = sj_str(x, "description");
				if (t == NULL && json_object_is_type(x,
				    json_type_string))
					t = json_object_get_string(x);
				if (t == NULL)
					continue;
				buf_printf(&b, "%s%s %s", n++ ? "; " :
				    b.len ? ": " : "", key, t);
			}
		}
	}
	json_object_put(root);
	sj_fixed_free();
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	/* one line, inert */
	text_sanitize(&clean, b.data, b.len, 0);
	buf_free(&b);
	/* trim */
	while (clean.len && clean.data[clean.len - 1] == ' ')
		clean.data[--clean.len] = '\0';
	if (clean.len == 0) {
		buf_free(&clean);
		return NULL;
	}
	return buf_detach(&clean);
}

/* A value as the collision check compares it: "" for null, 0 and
 * absent; numbers as decimal text. */
static void
value_str(struct json_object *v, char *out, size_t n)
{
	out[0] = '\0';
	if (v == NULL)
		return;
	switch (json_object_get_type(v)) {
	case json_type_string:
		snprintf(out, n, "%s", json_object_get_string(v));
		break;
	case json_type_int:
		if (json_object_get_int64(v) != 0)
			snprintf(out, n, "%lld",
			    (long long)json_object_get_int64(v));
		break;
	default:
		break;
	}
}

static void
mine_str(const struct store_outbox_change *ch, const char *key, char *out,
    size_t n)
{
	const char *s = NULL;
	int64_t id = -1;

	out[0] = '\0';
	if (strcmp(key, "status") == 0)
		s = ch->status;
	else if (strcmp(key, "priority") == 0)
		s = ch->priority;
	else if (strcmp(key, "type") == 0)
		s = ch->type;
	else if (strcmp(key, "assignee_id") == 0)
		id = ch->assignee_id;
	else if (strcmp(key, "group_id") == 0)
		id = ch->group_id;
	if (s)
		snprintf(out, n, "%s", s);
	else if (id > 0)
		snprintf(out, n, "%lld", (long long)id);
}

static int
sets(const struct store_outbox_change *ch, const char *key)
{
	if (strcmp(key, "status") == 0)
		return ch->status != NULL;
	if (strcmp(key, "priority") == 0)
		return ch->priority != NULL;
	if (strcmp(key, "type") == 0)
		return ch->type != NULL;
	if (strcmp(key, "assignee_id") == 0)
		return ch->assignee_id >= 0;
	if (strcmp(key, "group_id") == 0)
		return ch->group_id >= 0;
	return 0;
}

/* Fields the action sets whose remote value is neither what the agent
 * saw nor what the action sets. */
static int
field_collisions(struct json_object *ticket,
    const struct store_outbox_row *row, struct buf *why,
    struct tdesk_err *err)
{
	struct json_object *undo;
	int n = 0;

	if (sj_parse(row->undo && *row->undo ? row->undo : "{}",
	    row->undo && *row->undo ? strlen(row->undo) : 2, &undo, err) < 0)
		return -1;
	if (json_object_is_type(undo, json_type_object)) {
		json_object_object_foreach(undo, key, val) {
			char seen[128], remote[128], mine[128];
			if (!sets(&row->ch, key))
				continue;
			value_str(val, seen, sizeof(seen));
			value_str(sj_get(ticket, key), remote, sizeof(remote));
			mine_str(&row->ch, key, mine, sizeof(mine));
			if (strcmp(remote, seen) == 0 ||
			    strcmp(remote, mine) == 0)
				continue;
			buf_printf(why, "%s%s changed remotely from %s to %s"
			    " (you set %s)", n++ ? "; " : "conflict: ", key,
			    *seen ? seen : "none", *remote ? remote : "none",
			    *mine ? mine : "none");
		}
	}
	json_object_put(undo);
	return n;
}

/* Public comments by customers created after the agent's stamp. */
static int64_t
new_customer_messages(struct store *st, struct json_object *page,
    const struct store_outbox_row *row, int64_t me_id)
{
	struct json_object *cs = sj_array(page, "comments");
	struct json_object *us = sj_array(page, "users");
	int64_t seen = 0, n = 0;

	if (time_parse_iso(row->seen_updated_at, &seen) < 0)
		return 0;
	for (size_t i = 0; cs && i < json_object_array_length(cs); i++) {
		struct json_object *c = json_object_array_get_idx(cs, i);
		const char *at = sj_str(c, "created_at");
		int64_t t, author = sj_int(c, "author_id");
		const char *role = NULL;
		char known[16];

		if (at == NULL || time_parse_iso(at, &t) < 0 || t <= seen ||
		    author == me_id)
			continue;
		for (size_t k = 0; us && k < json_object_array_length(us);
		    k++) {
			struct json_object *u = json_object_array_get_idx(us, k);
			if (sj_int(u, "id") == author)
				role = sj_str(u, "role");
		}
		if (role == NULL && store_user_role(st, author, known,
		    sizeof(known)) == 1)
			role = known;
		if (role == NULL || strcmp(role, "end-user") == 0)
			n++;
	}
	return n;
}

int
zd_conflict_check(struct store *st, const char *ticket, size_t ticket_len,
    const char *comments, size_t comments_len,
    const struct store_outbox_row *row, int64_t me_id, char **why,
    struct tdesk_err *err)
{
	struct json_object *tk = NULL, *cm = NULL;
	struct buf b = BUF_INIT;
	int64_t n = 0;
	int rc = -1;

	*why = NULL;
	if (sj_parse_net(ticket, ticket_len, &tk, err) < 0)
		return -1;
	if (row->ch.comment && row->ch.comment_public && comments != NULL) {
		if (sj_parse_net(comments, comments_len, &cm, err) < 0)
			goto out;
		n = new_customer_messages(st, cm, row, me_id);
		if (n > 0)
			buf_printf(&b, "conflict: customer wrote %lld new"
			    " message%s since you replied", (long long)n,
			    n == 1 ? "" : "s");
	}
	if (n == 0 && field_collisions(sj_get(tk, "ticket"), row, &b,
	    err) < 0)
		goto out;
	rc = 0;
	if (b.len) {
		*why = buf_detach(&b);
		rc = 1;
	}
out:
	buf_free(&b);
	json_object_put(tk);
	json_object_put(cm);
	sj_fixed_free();
	return rc;
}
