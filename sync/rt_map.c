/* SPDX-License-Identifier: MIT */
/*
 * RT's records in the replica's words: lifecycle statuses and numeric
 * priorities as tdesk's, users, queues as groups, custom fields as field
 * values and as tags "name=value" (which is how an agent changes them),
 * and the texts of a ticket's messages.
 */
#include "sync/rt_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RT lifecycle statuses as tdesk's, and back. */
const char *
rt_status_from(const char *s)
{
	if (s == NULL)
		return "new";
	if (!strcmp(s, "stalled"))
		return "pending";
	if (!strcmp(s, "resolved"))
		return "solved";
	if (!strcmp(s, "rejected"))
		return "closed";
	return s;	/* new, open, deleted, or a custom status */
}

const char *
rt_status_to(const char *s)
{
	if (!strcmp(s, "pending") || !strcmp(s, "hold"))
		return "stalled";
	if (!strcmp(s, "solved") || !strcmp(s, "closed"))
		return "resolved";
	return s;
}

/* RT priorities are numbers (Low 0, Medium 50, High 100 by default). */
const char *
rt_priority_from(int64_t p)
{
	return p < 25 ? "low" : p < 75 ? "normal" : p < 125 ? "high" :
	    "urgent";
}

int64_t
rt_priority_to(const char *p)
{
	return !strcmp(p, "normal") ? 50 : !strcmp(p, "high") ? 100 :
	    !strcmp(p, "urgent") ? 150 : 0;
}

/* An RT user object ({"id","Name","EmailAddress","RealName"}) into the
 * batch; its id in *id (0: none). */
int
rt_put_user(struct store_batch *b, const JV *u, const char *role,
    int64_t *id, struct tdesk_err *err)
{
	struct store_user_rec r;
	const char *name = jstr(u, "RealName");

	*id = jint(u, "id");
	if (*id <= 0) {
		*id = 0;
		return 0;
	}
	if (name == NULL || *name == '\0')
		name = jstr(u, "Name");
	memset(&r, 0, sizeof(r));
	r.id = *id;
	r.name = name;
	r.email = jstr(u, "EmailAddress");
	r.role = role;
	return store_batch_user(b, &r, err);
}

/* A tag from a custom field value: "name=value", lower case name, no
 * spaces. */
static void
cf_tag(struct buf *b, const char *name, const char *value)
{
	const char *p;

	for (p = name; *p; p++)
		buf_addc(b, *p == ' ' ? '_' : (char)(*p >= 'A' && *p <= 'Z' ?
		    *p - 'A' + 'a' : *p));
	buf_addc(b, '=');
	for (p = value; *p; p++)
		buf_addc(b, *p == ' ' || *p == '\t' || *p == '\n' ? '_' : *p);
}

/*
 * One RT ticket (as the search answers it, with expanded fields) into
 * the batch: its requestor and owner, its queue as the group, its custom
 * fields as field values and as tags "name=value" (which is how an agent
 * changes them), RT's status and priority in tdesk's words.
 */
int
rt_put_ticket(struct store_batch *b, const JV *t, struct tdesk_err *err)
{
	const JV *owner = j_get(t, "Owner"), *queue = j_get(t, "Queue");
	const JV *reqs = j_get(t, "Requestor"), *cfs = j_get(t, "CustomFields");
	const char *ownername = jstr(owner, "Name");
	struct store_ticket_rec r;
	struct store_field_value *fv = NULL;
	char **tags = NULL;
	size_t ncf = j_len(cfs), ntags = 0, nfv = 0, i, k;
	const JV *v, *val;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	if (j_len(reqs) > 0 && rt_put_user(b, j_at(reqs, 0), "end-user",
	    &r.requester_id, err) < 0)
		return -1;
	if (ownername && strcmp(ownername, "Nobody") != 0 &&
	    rt_put_user(b, owner, "agent", &r.assignee_id, err) < 0)
		return -1;
	if ((r.group_id = jint(queue, "id")) > 0) {
		struct store_group_rec g = { r.group_id, jstr(queue, "Name") };

		if (store_batch_group(b, &g, err) < 0)
			return -1;
	}
	fv = xcalloc(ncf ? ncf : 1, sizeof(*fv));
	J_FOREACH(cfs, i, v) {
		const char *name = jstr(v, "name") ? jstr(v, "name") :
		    jstr(v, "Name");
		struct store_field_rec f = { jint(v, "id"), name, "text" };
		struct buf joined = BUF_INIT;

		if (name == NULL || f.id <= 0)
			continue;
		if (store_batch_field(b, &f, err) < 0)
			goto done;
		J_FOREACH(j_get(v, "values"), k, val) {
			struct buf tb = BUF_INIT;

			if (!j_isstr(val) || *j_strval(val) == '\0')
				continue;
			if (joined.len)
				buf_adds(&joined, ", ");
			buf_adds(&joined, j_strval(val));
			cf_tag(&tb, name, j_strval(val));
			tags = xrealloc(tags, (ntags + 1) * sizeof(*tags));
			tags[ntags++] = buf_detach(&tb);
		}
		if (joined.len) {
			fv[nfv].field_id = f.id;
			fv[nfv++].value = buf_detach(&joined);
		}
		buf_free(&joined);
	}
	r.id = jint(t, "id");
	r.subject = jstr(t, "Subject");
	r.status = rt_status_from(jstr(t, "Status"));
	r.priority = rt_priority_from(jint(t, "Priority"));
	r.channel = "email";
	r.created_at = rt_jtime(t, "Created");
	r.updated_at = rt_jtime(t, "LastUpdated");
	r.tags = (const char *const *)tags;
	r.n_tags = ntags;
	r.fields = fv;
	r.n_fields = nfv;
	rc = store_batch_ticket(b, &r, err);
done:
	for (i = 0; i < ntags; i++)
		free(tags[i]);
	free(tags);
	for (i = 0; i < nfv; i++)
		free((char *)fv[i].value);
	free(fv);
	return rc;
}


void
rt_msgs_clear(struct rt_msgs *m)
{
	json_object_put(m->txns);
	json_object_put(m->text);
	m->txns = m->text = NULL;
}

/* A message part as the desk shows it: HTML as text (store/text_html.c),
 * in b; plain text as it is (rt_push.c finds the replies it sent by
 * their text). */
static const char *
readable_part(struct buf *b, const char *c, int plain)
{
	if (plain)
		return c;
	buf_reset(b);
	text_html_to_text(b, c, strlen(c));
	buf_addc(b, '\0');
	return b->data;
}

void
rt_msgs_texts(struct rt_msgs *m, const JV *atts)
{
	size_t i;
	const JV *a;
	struct buf b = BUF_INIT;

	if (m->text == NULL)
		m->text = j_obj();
	J_FOREACH(atts, i, a) {
		const char *ct = jstr(a, "ContentType"), *c = jstr(a, "Content");
		char key[24];
		int plain = ct && strncasecmp(ct, "text/plain", 10) == 0;
		const JV *had;
		JV *pair;

		if (c == NULL || ct == NULL || (!plain &&
		    strncasecmp(ct, "text/html", 9) != 0))
			continue;
		snprintf(key, sizeof(key), "%lld",
		    (long long)jint(a, "TransactionId"));
		had = j_get(m->text, key);
		if (had && (!plain || json_object_get_int64(j_at(had, 1)) == 1))
			continue;
		pair = j_arr();
		json_object_array_add(pair, j_new_str(readable_part(&b, c,
		    plain)));
		json_object_array_add(pair, json_object_new_int(plain));
		json_object_object_add(m->text, key, pair);
	}
	buf_free(&b);
}

const char *
rt_msg_text(const struct rt_msgs *m, int64_t txn)
{
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)txn);
	return j_strval(j_at(j_get(m->text, key), 0));
}

int
rt_is_message(const char *type)
{
	return type && (!strcmp(type, "Create") ||
	    !strcmp(type, "Correspond") || !strcmp(type, "Comment"));
}

/*
 * The role of a message's author. RT does not tell who is privileged; the
 * replica may know (an owner is an agent, a requestor a customer), else
 * an internal Comment can only come from an agent, and anyone else who
 * writes is taken for a customer.
 */
const char *
rt_author_role(struct rt *rt, const JV *creator, const char *type)
{
	static char known[16];
	int64_t id = jint(creator, "id");

	if (id == rt->e.me)
		return "agent";
	if (store_user_role(rt->e.st, id, known, sizeof(known)) == 1 &&
	    known[0])
		return known;
	return !strcmp(type, "Comment") ? "agent" : "end-user";
}
