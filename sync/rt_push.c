/* SPDX-License-Identifier: MIT */
/*
 * Pushing the outbox to RT, one action at a time, in order per ticket.
 *
 * RT updates are not atomic and a message cannot be guarded by If-Match
 * (the correspond/comment resources have no ETag: RT 5.0.3 answers 412 to
 * any If-Match there), so an action becomes up to two requests:
 *   1. the field changes: PUT /ticket/N with If-Match: the ETag of the
 *      ticket read just before. 412 means someone changed the ticket: it
 *      is read again; a field the action changes whose value is no longer
 *      what the agent saw is a conflict (like Zendesk's 409), otherwise
 *      the PUT is sent again on the new ETag. RT answers 200 with a list
 *      of messages, some of which may be refusals: the action then fails
 *      with the server's words.
 *   2. the reply or note: POST /ticket/N/correspond or /comment. It is a
 *      conflict when a message by someone else arrived after what the
 *      agent saw (the outbox row's stamp).
 *
 * Exactly once. RT has no client id on a transaction, so the reconcile
 * reads the ticket's history. A ticket's ETag is the id of its newest
 * transaction, and transaction ids only grow. Before a message is first
 * sent, that id is recorded in the replica's state ("rt.sent.<outbox
 * id>", committed before the request leaves), and the row is marked
 * inflight with attempts + 1 (store_outbox_mark_sent) before every copy
 * leaves. When an action's fate is unknown (the answer was lost, the
 * connection reset, tdesk was killed: the row is still "inflight" or has
 * attempts), the ticket's history is read before anything is sent again:
 * a Correspond/Comment transaction after the recorded id, created by the
 * agent, whose text equals the action's text (trailing white space
 * aside), is that action, and it is not sent again. Field changes are
 * made idempotent by comparing: a field already at its target is not
 * sent. The only false match would be the same agent sending the same
 * text to the same ticket from another client in that window: harmless,
 * as the customer already has that exact message. Nothing is written into
 * the customer's message for this.
 *
 * The window this leaves: a copy that RT commits only after the history
 * was read (held inside RT for longer than the client's low-speed
 * timeout, 30 s) is not seen, and the resend lands too. Zendesk closes it
 * with safe_update on the stored stamp; RT cannot, since a message cannot
 * carry If-Match.
 *
 * How an action ends: a ticket merged into another fails it naming the
 * survivor (RT answers for the surviving ticket); a ticket the agent may
 * no longer see (403, e.g. moved to another queue) fails it saying so; a
 * 4xx, or a 200 listing a refusal, fails it with RT's words; a 5xx, a
 * reset, a lost answer or one too large to read keeps it for the next
 * attempt, which looks before sending; refused credentials or a web
 * page instead of JSON stop the run and keep the row for the next sync.
 */
#include "sync/rt_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Ticket's history into m->txns and, when texts, its messages' texts. */
static int
messages_get(struct rt *rt, int64_t ticket, int texts, struct rt_msgs *m,
    struct tdesk_err *err)
{
	char path[256];
	JV *atts;
	int rc;

	m->txns = j_arr();
	m->text = j_obj();
	snprintf(path, sizeof(path), "/ticket/%lld/history?fields=Type,"
	    "Field,Created,Creator&fields%%5BCreator%%5D=id,Name,EmailAddress,"
	    "RealName", (long long)ticket);
	if (rt_get_all(rt, "GET", path, NULL, m->txns, err) < 0) {
		rt_msgs_clear(m);
		return -1;
	}
	if (!texts)
		return 0;
	/* Parent and Filename make RT 5.0.3 answer 500: not asked for */
	snprintf(path, sizeof(path), "/ticket/%lld/attachments?fields="
	    "TransactionId,ContentType,Content", (long long)ticket);
	atts = j_arr();
	if ((rc = rt_get_all(rt, "GET", path, NULL, atts, err)) == 0)
		rt_msgs_texts(m, atts);
	else
		rt_msgs_clear(m);
	json_object_put(atts);
	return rc;
}

/*
 * tdesk's change as the outbox row holds it. NOTE for the lead: today the
 * row holds a Zendesk request body; when the outbox stores tdesk's own
 * change, this reads the row's fields instead.
 */
struct change {
	const char *comment;		/* NULL: none */
	int public;
	const char *status;		/* tdesk names; NULL: unchanged */
	const char *priority;
	int has_owner;
	int64_t owner;			/* 0: nobody */
	int has_queue;
	int64_t queue;
	JV *add_tags, *remove_tags;	/* "name=value" custom fields */
	/* what the agent saw before acting */
	const char *was_status, *was_priority;
	int has_was_owner, has_was_queue;
	int64_t was_owner, was_queue;
	JV *body, *undo;		/* owners of the tag arrays, of
					 * the undo strings */
};

static void
change_clear(struct change *c)
{
	json_object_put(c->body);
	json_object_put(c->undo);
	memset(c, 0, sizeof(*c));
}

/* "a b c" as a JSON array of strings */
static JV *
split_tags(const char *s)
{
	JV *a = j_arr();
	size_t n;

	while (s && *s) {
		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n > 0)
			json_object_array_add(a,
			    json_object_new_string_len(s, (int)n));
		s += n;
	}
	return a;
}

/* tdesk's change, as the outbox row holds it (row->ch), for RT. */
static int
change_from_row(const struct store_outbox_row *row, struct change *c,
    struct tdesk_err *err)
{
	const struct store_outbox_change *ch = &row->ch;
	const char *why, *u = row->undo && *row->undo ? row->undo : "{}";
	size_t at;
	const JV *v;

	memset(c, 0, sizeof(*c));
	if (ch->type != NULL)
		return err_set(err, TDESK_EUSAGE, "RT tickets have no type:"
		    " drop the action (tdesk outbox drop) and use a custom"
		    " field tag name=value instead");
	c->undo = rt_jparse(u, strlen(u), &why, &at);
	if (!j_isobj(c->undo)) {
		json_object_put(c->undo);
		c->undo = j_obj();
	}
	c->body = j_obj();
	c->comment = ch->comment;
	c->public = ch->comment_public;
	c->status = ch->status;
	c->priority = ch->priority;
	if (ch->assignee_id >= 0) {
		c->has_owner = 1;
		c->owner = ch->assignee_id;
	}
	if (ch->group_id >= 0) {
		c->has_queue = 1;
		c->queue = ch->group_id;
	}
	c->add_tags = split_tags(ch->add_tags);
	c->remove_tags = split_tags(ch->remove_tags);
	json_object_object_add(c->body, "add", c->add_tags);
	json_object_object_add(c->body, "remove", c->remove_tags);
	c->was_status = jstr(c->undo, "status");
	if ((v = j_get(c->undo, "priority")) != NULL)
		c->was_priority = j_isstr(v) ? j_strval(v) : "";
	if ((v = j_get(c->undo, "assignee_id")) != NULL) {
		c->has_was_owner = 1;
		c->was_owner = rt_jint_val(v);
	}
	if ((v = j_get(c->undo, "group_id")) != NULL) {
		c->has_was_queue = 1;
		c->was_queue = rt_jint_val(v);
	}
	return 0;
}

/* The ticket as RT has it now. */
struct remote {
	JV *t;
	char etag[64];
};

static int
remote_get(struct rt *rt, int64_t id, struct remote *r,
    struct tdesk_err *err)
{
	char path[64];
	const JV *eff;

	json_object_put(r->t);
	r->t = NULL;
	snprintf(path, sizeof(path), "/ticket/%lld", (long long)id);
	if (rt_get(rt, path, &r->t, r->etag, sizeof(r->etag), err) < 0)
		return -1;
	eff = j_get(r->t, "EffectiveId");
	if (eff && jint(eff, "id") != 0 && jint(eff, "id") != id)
		return err_set(err, TDESK_ENOTFOUND, "ticket %lld was merged"
		    " into #%lld in RT", (long long)id,
		    (long long)jint(eff, "id"));
	return 0;
}

/* The user name of an RT user id (the ticket resource names owners, it
 * does not number them); NULL with err. */
static char *
user_name(struct rt *rt, int64_t id, struct tdesk_err *err)
{
	char path[48];
	JV *j = NULL;
	char *name = NULL;

	if (id == 0)
		return xstrdup("Nobody");
	if (id == rt->e.me)
		return xstrdup(rt->me_name);
	snprintf(path, sizeof(path), "/user/%lld", (long long)id);
	if (rt_get(rt, path, &j, NULL, 0, err) < 0)
		return NULL;
	if (jstr(j, "Name"))
		name = xstrdup(jstr(j, "Name"));
	else
		err_set(err, TDESK_ENOTFOUND, "RT has no user %lld",
		    (long long)id);
	json_object_put(j);
	return name;
}

/* The RT custom field named like tag's "name" part, or NULL. */
static const JV *
remote_cf(const JV *t, const char *tag, const char **value)
{
	const char *eq = strchr(tag, '=');
	size_t i;
	const JV *cf;

	if (eq == NULL)
		return NULL;
	*value = eq + 1;
	J_FOREACH(j_get(t, "CustomFields"), i, cf) {
		const char *n = jstr(cf, "name");
		size_t k, len = (size_t)(eq - tag);

		if (n == NULL || strlen(n) != len)
			continue;
		for (k = 0; k < len; k++) {
			char a = n[k] == ' ' ? '_' : n[k];
			if ((a | 32) != (tag[k] | 32))
				break;
		}
		if (k == len)
			return cf;
	}
	return NULL;
}

static int
cf_has(const JV *cf, const char *value)
{
	size_t i;
	const JV *v;

	J_FOREACH(j_get(cf, "values"), i, v) {
		/* the replica keeps tags in lower case */
		if (j_isstr(v) && !strcasecmp(j_strval(v), value))
			return 1;
	}
	return 0;
}

/*
 * The PUT body still needed to bring the remote ticket to the change, or
 * NULL when every field is already there. When a needed field was changed
 * on the server since the agent saw it, *conflict says which.
 */
static JV *
fields_needed(const struct change *c, const JV *t, const char *owner_to,
    const char *owner_was, char *conflict, size_t clen,
    struct tdesk_err *err)
{
	JV *put = j_obj(), *cfs = j_obj();
	const char *rs = jstr(t, "Status");
	const char *owner = jstr(j_get(t, "Owner"), "id");
	int64_t queue = jint(j_get(t, "Queue"), "id");
	size_t i;
	JV *v;

	conflict[0] = '\0';
	if (c->status && (rs == NULL || strcmp(rs, rt_status_to(c->status)))) {
		json_object_object_add(put, "Status",
		    j_new_str(rt_status_to(c->status)));
		if (c->was_status && rs && strcmp(rt_status_to(c->was_status),
		    rs))
			snprintf(conflict, clen, "the status changed on the"
			    " server to '%s' since you acted",
			    rt_status_from(rs));
	}
	if (c->priority) {
		int64_t p = jint(t, "Priority");
		const char *now = rt_priority_from(p);

		if (strcmp(now, *c->priority ? c->priority : "low")) {
			json_object_object_add(put, "Priority",
			    json_object_new_int64(rt_priority_to(c->priority)));
			if (c->was_priority && strcmp(now, *c->was_priority ?
			    c->was_priority : "low"))
				snprintf(conflict, clen, "the priority changed"
				    " on the server to '%s' since you acted",
				    now);
		}
	}
	if (owner == NULL)
		owner = "Nobody";
	if (owner_to && strcasecmp(owner, owner_to) != 0) {
		json_object_object_add(put, "Owner", j_new_str(owner_to));
		if (owner_was && strcasecmp(owner, owner_was) != 0)
			snprintf(conflict, clen, "the ticket was assigned to"
			    " someone else on the server since you acted");
	}
	if (c->has_queue && c->queue && queue != c->queue) {
		char q[24];

		snprintf(q, sizeof(q), "%lld", (long long)c->queue);
		json_object_object_add(put, "Queue", j_new_str(q));
		if (c->has_was_queue && queue != c->was_queue)
			snprintf(conflict, clen, "the ticket moved to another"
			    " queue on the server since you acted");
	}
	J_FOREACH(c->add_tags, i, v) {
		const char *value = NULL;
		const JV *cf = j_isstr(v) ? remote_cf(t,
		    j_strval(v), &value) : NULL;

		if (cf == NULL) {
			err_set(err, TDESK_EUSAGE, "RT has no custom field for"
			    " the tag '%s' on this ticket (RT desks keep"
			    " custom fields as tags name=value)",
			    j_isstr(v) ? j_strval(v) : "?");
			json_object_put(put);
			json_object_put(cfs);
			return NULL;
		}
		if (!cf_has(cf, value))
			json_object_object_add(cfs, jstr(cf, "name"),
			    j_new_str(value));
	}
	J_FOREACH(c->remove_tags, i, v) {
		const char *value = NULL;
		const JV *cf = j_isstr(v) ? remote_cf(t,
		    j_strval(v), &value) : NULL;

		if (cf && cf_has(cf, value))
			json_object_object_add(cfs, jstr(cf, "name"),
			    j_new_str(""));
	}
	if (json_object_object_length(cfs) > 0)
		json_object_object_add(put, "CustomFields", cfs);
	else
		json_object_put(cfs);
	if (json_object_object_length(put) == 0) {
		json_object_put(put);
		err_clear(err);
		return NULL;
	}
	return put;
}

/* Who a transaction's Creator is, for the agent. */
static const char *
creator_name(const JV *cr)
{
	const char *real = jstr(cr, "RealName");

	if (real && *real)
		return real;
	return jstr(cr, "Name") ? jstr(cr, "Name") : "someone";
}

/* Whether a message from someone else arrived after the agent's stamp
 * (since): the first such author in who. */
static int
newer_message(struct rt *rt, const struct rt_msgs *m, int64_t since,
    char *who, size_t wlen)
{
	size_t i;
	const JV *t;

	J_FOREACH(m->txns, i, t) {
		const JV *cr = j_get(t, "Creator");

		if (!rt_is_message(jstr(t, "Type")) || jint(cr, "id") == rt->e.me ||
		    rt_jtime(t, "Created") <= since)
			continue;
		snprintf(who, wlen, "%s", creator_name(cr));
		return 1;
	}
	return 0;
}

/* Whether someone else changed a field this action changes after the
 * agent's stamp (since): which field and who in why. Our own earlier
 * actions (and what RT did on their account, like opening a new ticket
 * on a reply) are not conflicts. */
static int
newer_field_change(struct rt *rt, const struct rt_msgs *m, int64_t since,
    const struct change *c, char *why, size_t wlen)
{
	int64_t prev = 0;
	size_t i;
	const JV *t;

	J_FOREACH(m->txns, i, t) {
		const JV *cr = j_get(t, "Creator");
		const char *type = jstr(t, "Type"), *field = jstr(t, "Field");
		int64_t by = jint(cr, "id"), was = prev;

		/* RT_System acting right after us (a reply opens a new
		 * ticket) acts on our account */
		if (!(by == 1 && was == rt->e.me))
			prev = by;
		if (type == NULL || by == rt->e.me || (by == 1 &&
		    was == rt->e.me) || rt_jtime(t, "Created") <= since)
			continue;
		if (field == NULL || *field == '\0')
			field = type;
		if (!((c->status && !strcmp(field, "Status")) ||
		    (c->priority && !strcmp(field, "Priority")) ||
		    (c->has_owner && !strcmp(field, "Owner")) ||
		    (c->has_queue && !strcmp(field, "Queue"))))
			continue;
		if (strcmp(type, "Status") && strcmp(type, "Set") &&
		    strcmp(type, "Give") && strcmp(type, "Take") &&
		    strcmp(type, "Steal") && strcmp(type, "Untake"))
			continue;
		snprintf(why, wlen, "%s changed %s on the server since you"
		    " acted", creator_name(cr), !strcmp(field, "Status") ?
		    "the status" : !strcmp(field, "Priority") ? "the priority" :
		    !strcmp(field, "Owner") ? "the owner" : "the queue");
		return 1;
	}
	return 0;
}

static int
same_text(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la && strchr(" \t\r\n", a[la - 1]))
		la--;
	while (lb && strchr(" \t\r\n", b[lb - 1]))
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}

/* The transaction that carries this action's message, or 0. */
static int64_t
find_sent(struct rt *rt, const struct rt_msgs *m, int64_t after,
    const struct change *c)
{
	const char *want = c->public ? "Correspond" : "Comment";
	size_t i;
	const JV *t;

	J_FOREACH(m->txns, i, t) {
		int64_t id = jint(t, "id");
		const char *text;

		if (id <= after || strcmp(jstr(t, "Type") ? jstr(t, "Type") :
		    "", want) != 0 || jint(j_get(t, "Creator"),
		    "id") != rt->e.me)
			continue;
		text = rt_msg_text(m, id);
		if (text && same_text(text, c->comment))
			return id;
	}
	return 0;
}

enum row_end { ROW_DONE, ROW_CONFLICT, ROW_FAILED, ROW_LATER, ROW_FATAL,
    ROW_GONE };
/* Besides a row_end, what one step of push_row leaves to do next. */
enum { STEP_ON = -1, STEP_AGAIN = -2, STEP_READBACK = -3 };

/* Record, durably, that a copy is about to leave (state inflight,
 * attempts + 1): ROW_DONE to go on, ROW_GONE when the agent dropped the
 * action meanwhile, ROW_FATAL on a database error. */
static enum row_end
about_to_send(struct rt *rt, const struct store_outbox_row *row,
    const char *stamp, struct tdesk_err *err)
{
	int k = store_outbox_mark_sent(rt->e.st, row->id, stamp && *stamp ?
	    stamp : row->seen_updated_at, err);

	return k < 0 ? ROW_FATAL : k == 0 ? ROW_GONE : ROW_DONE;
}

/* Send a write (never retried here: the caller looks first). */
static struct http_req *
send_write(struct rt *rt, const char *method, const char *path,
    JV *body, const char *if_match)
{
	char *s = rt_jdump(body);
	char *full = xasprintf("%s%s", RT_API, path);
	struct http_req *r = http_req_new(method, full, s);

	free(full);
	free(s);
	if (if_match)
		r->if_match = xstrdup(if_match);
	rt_run(rt, r, 0);
	return r;
}

/* A 200 to a PUT lists what RT did; some lines may be refusals. */
static int
refusal(const struct http_req *r, char *why, size_t n)
{
	const char *w;
	size_t at;
	JV *j = rt_jparse(r->resp.data, r->resp.len, &w, &at);
	static const char *const bad[] = { "Permission Denied",
	    "isn't a valid", "not a valid", "Couldn't", "Could not",
	    "Unable to", "failed", "Invalid", "No such", "not found",
	    "may not", "not allowed", "denied", "can't", "cannot" };
	size_t i, k;
	JV *v;
	int found = 0;

	J_FOREACH(j, i, v) {
		const char *s = j_strval(v);

		for (k = 0; s && k < ARRAY_LEN(bad); k++)
			if (strcasestr(s, bad[k])) {
				if (!found)
					snprintf(why, n, "RT: %s", s);
				found = 1;
			}
	}
	json_object_put(j);
	return found;
}

static int64_t
last_txn(const struct rt_msgs *m)
{
	int64_t n = 0;
	size_t i;
	const JV *t;

	J_FOREACH(m->txns, i, t)
		if (jint(t, "id") > n)
			n = jint(t, "id");
	return n;
}

/* One outbox row on its way to RT, across attempts. */
struct job {
	struct rt *rt;
	const struct store_outbox_row *row;
	struct change c;
	struct remote rem;
	struct rt_msgs m;
	char key[48];			/* rt.sent.<outbox id> */
	char *owner_to, *owner_was;	/* RT user names */
	int uncertain;			/* an earlier copy may have landed */
	int fields_done, comment_checked;
	int64_t sent_after;		/* history's newest txn before */
	char *msg;			/* why the row ends (for the agent) */
	size_t mlen;
};

/* Reading RT failed: the row's end, or STEP_AGAIN. */
static int
unreadable(struct job *j, struct tdesk_err *err)
{
	if (err->kind == TDESK_ENOTFOUND) {
		snprintf(j->msg, j->mlen, "%s", err->msg);
		return ROW_FAILED;
	}
	/* the credentials were good a moment ago (identity): a 403 here is
	 * about this ticket, e.g. moved to a queue the agent cannot see */
	if (j->rt->last_status == 403) {
		snprintf(j->msg, j->mlen, "RT does not let %s see ticket %lld"
		    " (%s): it may have moved to a queue you cannot see;"
		    " nothing was sent", j->rt->me_name,
		    (long long)j->row->ticket_id, err->msg);
		return ROW_FAILED;
	}
	if (err->kind == TDESK_EAUTH)
		return ROW_FATAL;
	return j->rt->e.stats->network_trouble ? ROW_LATER : STEP_AGAIN;
}

/* A write went wrong: the row's end, or STEP_AGAIN after looking at the
 * history again (412, lost answer, reset, 5xx, an answer too large to
 * read: RT may have applied the write). */
static int
write_failed(struct job *j, const struct http_req *r, enum rt_outcome oc,
    struct tdesk_err *err)
{
	if (oc == RT_FAIL && r->too_large)
		oc = RT_RETRY;
	if (oc == RT_FATAL)
		return ROW_FATAL;
	if (oc == RT_FAIL || oc == RT_NOTFOUND) {
		snprintf(j->msg, j->mlen, "%s", err->msg);
		return ROW_FAILED;
	}
	j->uncertain = 1;
	j->comment_checked = 0;
	return STEP_AGAIN;
}

/* Before any field is touched: did an earlier copy of the message land,
 * did someone change the ticket or write since the agent looked? */
static int
look_first(struct job *j, struct tdesk_err *err)
{
	struct rt *rt = j->rt;
	const struct change *c = &j->c;
	const char *seen = j->row->seen_updated_at;
	int look = c->comment && j->uncertain && j->sent_after > 0;
	char conflict[200];
	int64_t since = 0;
	/* no stamp of what the agent saw: nothing to be newer than it */
	int stamped = seen && time_parse_iso(seen, &since) == 0;

	rt_msgs_clear(&j->m);
	/* the texts only to look for an earlier copy */
	if (messages_get(rt, j->row->ticket_id, look, &j->m, err) < 0)
		return unreadable(j, err);
	if (look && find_sent(rt, &j->m, j->sent_after, c) > 0)
		return ROW_DONE;
	if (stamped && !j->fields_done && newer_field_change(rt, &j->m,
	    since, c, conflict, sizeof(conflict))) {
		snprintf(j->msg, j->mlen, "conflict: %s", conflict);
		return ROW_CONFLICT;
	}
	if (stamped && c->comment && newer_message(rt, &j->m, since,
	    conflict, sizeof(conflict))) {
		snprintf(j->msg, j->mlen, "conflict: %s wrote since you looked"
		    " at the ticket", conflict);
		return ROW_CONFLICT;
	}
	j->comment_checked = 1;
	return STEP_ON;
}

/* The field changes, guarded by the ticket's ETag: STEP_ON when none is
 * (or no longer) needed, STEP_READBACK after a PUT (RT may have taken
 * only part), or the row's end. */
static int
send_fields(struct job *j, struct tdesk_err *err)
{
	struct rt *rt = j->rt;
	const struct change *c = &j->c;
	char conflict[200], path[64];
	struct http_req *r;
	enum rt_outcome oc;
	int end, refused;
	JV *put;

	if (c->has_owner && j->owner_to == NULL &&
	    ((j->owner_to = user_name(rt, c->owner, err)) == NULL ||
	    (c->has_was_owner && (j->owner_was = user_name(rt, c->was_owner,
	    err)) == NULL)))
		return unreadable(j, err);
	if (remote_get(rt, j->row->ticket_id, &j->rem, err) < 0)
		return unreadable(j, err);
	/* conflicts come from the history (look_first): a field that
	 * differs from what the agent saw because of our own earlier
	 * action is not one */
	put = fields_needed(c, j->rem.t, j->owner_to, j->owner_was, conflict,
	    sizeof(conflict), err);
	if (put == NULL && err->kind != TDESK_EOK) {
		snprintf(j->msg, j->mlen, "%s", err->msg);
		return ROW_FAILED;
	}
	if (put == NULL) {
		j->fields_done = 1;
		return STEP_ON;
	}
	snprintf(path, sizeof(path), "/ticket/%lld",
	    (long long)j->row->ticket_id);
	if ((end = about_to_send(rt, j->row, j->rem.etag, err)) != ROW_DONE) {
		json_object_put(put);
		return end;
	}
	r = send_write(rt, "PUT", path, put, j->rem.etag);
	json_object_put(put);
	oc = rt_classify(r, err);
	refused = oc == RT_OK && refusal(r, j->msg, j->mlen);
	end = oc == RT_OK ? STEP_READBACK : write_failed(j, r, oc, err);
	http_req_free(r);
	return refused ? ROW_FAILED : end;
}

/* The reply or note, once: where the history stood is recorded first. */
static int
send_message(struct job *j, struct tdesk_err *err)
{
	struct rt *rt = j->rt;
	struct http_req *r;
	enum rt_outcome oc;
	char path[64];
	JV *body;
	int end;

	if (j->sent_after == 0) {
		j->sent_after = last_txn(&j->m) > 0 ? last_txn(&j->m) : 1;
		if (rt_state_set_int(rt, j->key, j->sent_after, err) < 0)
			return ROW_FATAL;
	}
	if ((end = about_to_send(rt, j->row, NULL, err)) != ROW_DONE)
		return end;
	body = j_obj();
	json_object_object_add(body, "Content", j_new_str(j->c.comment));
	json_object_object_add(body, "ContentType", j_new_str("text/plain"));
	snprintf(path, sizeof(path), "/ticket/%lld/%s",
	    (long long)j->row->ticket_id, j->c.public ? "correspond" :
	    "comment");
	r = send_write(rt, "POST", path, body, NULL);
	json_object_put(body);
	oc = rt_classify(r, err);
	end = oc == RT_OK ? ROW_DONE : write_failed(j, r, oc, err);
	http_req_free(r);
	return end;
}

/* One attempt at the row: its end, or what to do next. */
static int
push_attempt(struct job *j, struct tdesk_err *err)
{
	int k;

	if (!j->comment_checked && (k = look_first(j, err)) != STEP_ON)
		return k;
	if (!j->fields_done && (k = send_fields(j, err)) != STEP_ON)
		return k;
	if (j->c.comment == NULL)
		return ROW_DONE;
	return send_message(j, err);
}

static enum row_end
push_row(struct rt *rt, const struct store_outbox_row *row, char *msg,
    size_t mlen, struct tdesk_err *err)
{
	struct job j;
	int attempt, end = STEP_AGAIN;

	memset(&j, 0, sizeof(j));
	j.rt = rt;
	j.row = row;
	j.msg = msg;
	j.mlen = mlen;
	j.uncertain = row->state == STORE_OUTBOX_INFLIGHT || row->attempts > 0;
	msg[0] = '\0';
	snprintf(j.key, sizeof(j.key), "rt.sent.%lld", (long long)row->id);
	if (change_from_row(row, &j.c, err) < 0) {
		snprintf(msg, mlen, "%s", err->msg);
		return ROW_FAILED;
	}
	j.sent_after = rt_state_int(rt, j.key);
	for (attempt = 0; attempt < rt->e.max_attempts && end < 0; attempt++) {
		if (attempt && end != STEP_READBACK) {
			rt->e.stats->retries++;
			usleep((useconds_t)eng_backoff(&rt->e, attempt, -1) *
			    1000);
		}
		err_clear(err);
		end = push_attempt(&j, err);
	}
	if (end < 0) {
		snprintf(msg, mlen, "%s", err->msg[0] ? err->msg :
		    "too many attempts");
		end = ROW_LATER;
	}
	change_clear(&j.c);
	json_object_put(j.rem.t);
	rt_msgs_clear(&j.m);
	free(j.owner_to);
	free(j.owner_was);
	return end;
}

struct rowlist {
	struct store_outbox_row *rows;
	size_t n;
	int64_t *blocked;		/* tickets with a conflict */
	size_t nb;
};

static int
collect(const struct store_outbox_row *r, void *arg)
{
	struct rowlist *l = arg;
	struct store_outbox_row *c;

	if (r->state == STORE_OUTBOX_CONFLICT) {
		l->blocked = xrealloc(l->blocked, (l->nb + 1) *
		    sizeof(*l->blocked));
		l->blocked[l->nb++] = r->ticket_id;
		return 0;
	}
	if (r->state != STORE_OUTBOX_PENDING &&
	    r->state != STORE_OUTBOX_INFLIGHT)
		return 0;
	l->rows = xrealloc(l->rows, (l->n + 1) * sizeof(*l->rows));
	c = &l->rows[l->n++];
	*c = *r;
	c->summary = NULL;
	store_outbox_change_dup(&c->ch, &r->ch);
	c->error = NULL;
	c->sent_stamp = NULL;
	c->seen_updated_at = xstrdup(r->seen_updated_at ?
	    r->seen_updated_at : "");
	c->undo = xstrdup(r->undo ? r->undo : "{}");
	return 0;
}

static int
blocked(const struct rowlist *l, int64_t ticket)
{
	size_t i;

	for (i = 0; i < l->nb; i++)
		if (l->blocked[i] == ticket)
			return 1;
	return 0;
}

int
rt_push(struct rt *rt, struct tdesk_err *err)
{
	struct rowlist l = { NULL, 0, NULL, 0 };
	size_t i;
	int rc = 0;

	if (store_outbox_list(rt->e.st, 0, collect, &l, err) < 0)
		return -1;
	if (l.n > 0)
		eng_note(&rt->e, "pushing %zu action%s", l.n, l.n == 1 ? "" : "s");
	for (i = 0; i < l.n && rc == 0; i++) {
		struct store_outbox_row *row = &l.rows[i];
		char msg[600], key[48];
		enum row_end end;

		if (blocked(&l, row->ticket_id)) {
			store_outbox_set_state(rt->e.st, row->id, STORE_OUTBOX_PENDING,
			    "waiting: an earlier action on this ticket"
			    " conflicts", NULL);
			continue;
		}
		if (row->kind == STORE_OUTBOX_REDACT) {
			/* tdesk refuses to queue these on an RT desk */
			store_outbox_set_state(rt->e.st, row->id,
			    STORE_OUTBOX_FAILED, "RT has no API to redact a "
			    "comment: remove it on the server by hand", NULL);
			rt->e.stats->failed++;
			continue;
		}
		err_clear(err);
		end = push_row(rt, row, msg, sizeof(msg), err);
		snprintf(key, sizeof(key), "rt.sent.%lld", (long long)row->id);
		switch (end) {
		case ROW_DONE:
			if (store_outbox_set_state(rt->e.st, row->id, STORE_OUTBOX_DONE,
			    NULL, err) < 0) {
				rc = -1;
				break;
			}
			store_state_set(rt->e.st, key, "", NULL);
			rt->e.stats->pushed++;
			break;
		case ROW_CONFLICT:
			store_outbox_set_state(rt->e.st, row->id, STORE_OUTBOX_CONFLICT,
			    msg, NULL);
			rt->e.stats->conflicts++;
			l.blocked = xrealloc(l.blocked, (l.nb + 1) *
			    sizeof(*l.blocked));
			l.blocked[l.nb++] = row->ticket_id;
			break;
		case ROW_FAILED:
			store_outbox_set_state(rt->e.st, row->id, STORE_OUTBOX_FAILED, msg,
			    NULL);
			rt->e.stats->failed++;
			break;
		case ROW_LATER:
			/* stays inflight: the next run looks before sending */
			rt->e.stats->network_trouble = 1;
			if (!err->msg[0])
				err_set(err, TDESK_ENETWORK, "%s", msg);
			snprintf(rt->trouble, sizeof(rt->trouble), "%s",
			    err->msg);
			/* a server that keeps failing fails the others too */
			if (err->kind == TDESK_ENETWORK)
				i = l.n;
			err_clear(err);
			break;
		case ROW_FATAL:
			rc = -1;
			break;
		case ROW_GONE:
			break;	/* dropped by the agent while we looked */
		}
	}
	for (i = 0; i < l.n; i++) {
		store_outbox_change_free(&l.rows[i].ch);
		free((char *)l.rows[i].seen_updated_at);
		free((char *)l.rows[i].undo);
	}
	free(l.rows);
	free(l.blocked);
	return rc;
}
