/* SPDX-License-Identifier: MIT */
/*
 * Local actions and the outbox. Every agent action is applied to the
 * replica and queued, with a client id and the stamp the agent saw, in one
 * transaction, and recorded in the audit log. The replica shows remote
 * state plus the waiting actions: a fresher remote copy gets them
 * re-applied, and dropping an action undoes it.
 */
#include "store/store_int.h"
#include "store/triage.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const valid_status[] = { "open", "pending", "hold",
    "solved", "closed", NULL };
static const char *const valid_priority[] = { "low", "normal", "high",
    "urgent", "none", "", NULL };
static const char *const valid_type[] = { "question", "incident", "problem",
    "task", "none", "", NULL };

static int
one_of(const char *v, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(v, list[i]) == 0)
			return 1;
	return 0;
}

static int
valid_tag(const char *t)
{
	if (*t == '\0' || strlen(t) > 80)
		return 0;
	for (; *t; t++)
		if ((unsigned char)*t <= ' ' || *t == ',' || *t == '"' ||
		    *t == '\\')
			return 0;
	return 1;
}

int
store_change_check(struct store *st, const struct store_change *ch,
    struct tdesk_err *err)
{
	int64_t id;

	if (ch->status && !one_of(ch->status, valid_status))
		return err_set(err, TDESK_EUSAGE, "unknown status '%s' (open, "
		    "pending, hold, solved, closed)", ch->status);
	if (ch->priority && !one_of(ch->priority, valid_priority))
		return err_set(err, TDESK_EUSAGE, "unknown priority '%s' (low, "
		    "normal, high, urgent, none)", ch->priority);
	if (ch->type && !one_of(ch->type, valid_type))
		return err_set(err, TDESK_EUSAGE, "unknown type '%s' (question, "
		    "incident, problem, task, none)", ch->type);
	for (size_t i = 0; i < ch->n_add; i++)
		if (!valid_tag(ch->add_tags[i]))
			return err_set(err, TDESK_EUSAGE, "invalid tag '%s'",
			    ch->add_tags[i]);
	for (size_t i = 0; i < ch->n_remove; i++)
		if (!valid_tag(ch->remove_tags[i]))
			return err_set(err, TDESK_EUSAGE, "invalid tag '%s'",
			    ch->remove_tags[i]);
	if (ch->assignee && store_resolve_user(st, ch->assignee, &id, err) < 0)
		return -1;
	if (ch->group && store_resolve_group(st, ch->group, &id, err) < 0)
		return -1;
	if (ch->comment) {
		size_t n = strlen(ch->comment);
		if (!utf8_valid(ch->comment, n))
			return err_set(err, TDESK_EUSAGE, "the message is not "
			    "valid UTF-8");
		if (n > 65536)
			return err_set(err, TDESK_EUSAGE, "the message is %zu "
			    "bytes; Zendesk truncates comments over 64 KB", n);
		if (strspn(ch->comment, " \t\r\n") == n)
			return err_set(err, TDESK_EUSAGE, "the message is "
			    "empty");
	}
	if (!ch->status && !ch->priority && !ch->type && !ch->assignee &&
	    !ch->group && !ch->n_add && !ch->n_remove && !ch->comment)
		return err_set(err, TDESK_EUSAGE, "nothing to change");
	return 0;
}

/* Build a JSON value with SQLite: sql is a SELECT of one json text. */
struct jb {
	struct buf sql;
	const char *vals[64];
	int64_t ints[64];
	int kinds[64];		/* 0 text, 1 int, 2 null, 3 json */
	int n;
	int first;
};

static void
jb_key(struct jb *j, const char *key)
{
	buf_printf(&j->sql, "%s'%s', ", j->first ? "" : ", ", key);
	j->first = 0;
}

static void
jb_text(struct jb *j, const char *key, const char *v)
{
	if (j->n >= 60)
		BUG("too many JSON members");
	jb_key(j, key);
	buf_printf(&j->sql, "?%d", j->n + 1);
	j->kinds[j->n] = 0;
	j->vals[j->n++] = v;
}

static void
jb_int(struct jb *j, const char *key, int64_t v)
{
	if (j->n >= 60)
		BUG("too many JSON members");
	jb_key(j, key);
	if (v == 0) {
		buf_adds(&j->sql, "NULL");
		return;
	}
	buf_printf(&j->sql, "?%d", j->n + 1);
	j->kinds[j->n] = 1;
	j->ints[j->n++] = v;
}

static char *
jb_run(struct store *st, struct jb *j, struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	char *out = NULL;

	buf_printf(&sql, "SELECT json_object(%s)", j->sql.data ?
	    j->sql.data : "");
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return NULL;
	for (int i = 0; i < j->n; i++) {
		if (j->kinds[i] == 1)
			sqlite3_bind_int64(s, i + 1, j->ints[i]);
		else
			sqlite3_bind_text(s, i + 1, j->vals[i], -1,
			    SQLITE_STATIC);
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		out = xstrdup(store_col_text(s, 0));
	else
		store_dberr(st, err, "cannot build a request in");
	store_done(st, s);
	return out;
}

/* Ticket fields as the agent sees them now. */
struct cur {
	int found;
	char *status, *priority, *type, *tags;
	int64_t assignee_id, group_id, updated_at;
};

static void
cur_free(struct cur *c)
{
	free(c->status);
	free(c->priority);
	free(c->type);
	free(c->tags);
}

static int
cur_read(struct store *st, int64_t id, struct cur *c, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT status, priority, type,"
	    " trim(tags), assignee_id, group_id, updated_at FROM tickets"
	    " WHERE id = ?1", err);
	int rc;

	memset(c, 0, sizeof(*c));
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->found = 1;
		c->status = xstrdup(store_col_text(s, 0));
		c->priority = xstrdup(store_col_text(s, 1));
		c->type = xstrdup(store_col_text(s, 2));
		c->tags = xstrdup(store_col_text(s, 3));
		c->assignee_id = sqlite3_column_int64(s, 4);
		c->group_id = sqlite3_column_int64(s, 5);
		c->updated_at = sqlite3_column_int64(s, 6);
	}
	store_done(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return 0;
}

static int
run_sql(struct store *st, const char *sql, int64_t id, const char *text,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, sql, err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (text)
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_dberr(st, err, "cannot write to");
	return 0;
}

/*
 * Put back the values an undo object holds (status, priority, type,
 * assignee_id, group_id, tags: tdesk's own JSON, see store_action) in
 * the replica's copy of the ticket.
 */
static int
apply_undo(struct store *st, int64_t id, const char *body,
    struct tdesk_err *err)
{
	/* one statement for the fields and their sort ranks (SET sees the
	 * old row, so the new values are spelled out twice) */
#define NEW_PRIORITY "(CASE json_type(?2, '$.priority') WHEN 'null'" \
	" THEN '' WHEN 'text' THEN ?2 ->> '$.priority' ELSE priority END)"
	static const char upd[] =
	    "UPDATE tickets SET"
	    " status = coalesce(?2 ->> '$.status', status),"
	    " status_rank = CASE coalesce(?2 ->> '$.status', status)"
	    "  WHEN 'new' THEN 0 WHEN 'open' THEN 1 WHEN 'pending' THEN 2"
	    "  WHEN 'hold' THEN 3 WHEN 'solved' THEN 4 WHEN 'closed' THEN 5"
	    "  ELSE status_rank END,"
	    " priority = " NEW_PRIORITY ","
	    " priority_rank = CASE " NEW_PRIORITY " WHEN 'low' THEN 1"
	    "  WHEN 'normal' THEN 2 WHEN 'high' THEN 3 WHEN 'urgent' THEN 4"
	    "  ELSE 0 END,"
	    " urgent = urgent OR " NEW_PRIORITY " = 'urgent',"
	    " type = CASE json_type(?2, '$.type') WHEN 'null' THEN ''"
	    "  WHEN 'text' THEN ?2 ->> '$.type' ELSE type END,"
	    " assignee_id = CASE json_type(?2, '$.assignee_id')"
	    "  WHEN 'null' THEN 0 WHEN 'integer' THEN ?2 ->> '$.assignee_id'"
	    "  ELSE assignee_id END,"
	    " group_id = CASE json_type(?2, '$.group_id')"
	    "  WHEN 'null' THEN 0 WHEN 'integer' THEN ?2 ->> '$.group_id'"
	    "  ELSE group_id END,"
	    " tags = CASE WHEN json_type(?2, '$.tags') = 'array' THEN"
	    "  ' ' || (SELECT group_concat(value, ' ') FROM"
	    "  json_each(?2, '$.tags')) || ' ' ELSE tags END"
	    " WHERE id = ?1";
#undef NEW_PRIORITY
	/* tags: add and remove in the space-framed list, then the index */
	static const char add[] =
	    "UPDATE tickets SET tags = CASE WHEN tags = '' THEN ' ' ELSE tags"
	    " END || (SELECT coalesce(group_concat(v, ' ') || ' ', '') FROM"
	    " (SELECT DISTINCT value AS v FROM json_each(?2,"
	    " '$.additional_tags') WHERE instr(tickets.tags, ' ' || value ||"
	    " ' ') = 0)) WHERE id = ?1";

	if (run_sql(st, upd, id, body, err) < 0)
		return -1;
	/* the rest is about tags: tags, additional_tags, remove_tags */
	if (strstr(body, "tags\"") == NULL)
		return 0;
	if (run_sql(st, add, id, body, err) < 0)
		return -1;
	/* removing tags is clearer in C */
	sqlite3_stmt *s = store_prepare(st, "SELECT value FROM json_each(?1,"
	    " '$.remove_tags')", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, body, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (run_sql(st, "UPDATE tickets SET tags = replace(tags, ' ' ||"
		    " ?2 || ' ', ' ') WHERE id = ?1", id, store_col_text(s, 0),
		    err) < 0) {
			store_done(st, s);
			return -1;
		}
	}
	store_done(st, s);
	/* queries read tickets.tags; the ticket_tags catalogue follows at
	 * the next store_fts_refresh, like every derived row */
	if (run_sql(st, "UPDATE tickets SET tags = '' WHERE id = ?1 AND"
	    " trim(tags) = ''", id, NULL, err) < 0 ||
	    run_sql(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
	    " VALUES(?1)", id, NULL, err) < 0)
		return -1;
	return 0;
}

/* Apply the field changes of outbox action oid to the replica's copy of
 * its ticket (the comment is not touched here). */
static int
apply_change(struct store *st, int64_t id, int64_t oid,
    struct tdesk_err *err)
{
	/* SET sees the old row, so the new values are spelled out twice */
#define NEW(col, field) "coalesce((SELECT " field " FROM outbox" \
	" WHERE id = ?2), " col ")"
	static const char upd[] =
	    "UPDATE tickets SET"
	    " status = " NEW("status", "change_status") ","
	    " status_rank = CASE " NEW("status", "change_status")
	    "  WHEN 'new' THEN 0 WHEN 'open' THEN 1 WHEN 'pending' THEN 2"
	    "  WHEN 'hold' THEN 3 WHEN 'solved' THEN 4 WHEN 'closed' THEN 5"
	    "  ELSE status_rank END,"
	    " priority = " NEW("priority", "change_priority") ","
	    " priority_rank = CASE " NEW("priority", "change_priority")
	    "  WHEN 'low' THEN 1 WHEN 'normal' THEN 2 WHEN 'high' THEN 3"
	    "  WHEN 'urgent' THEN 4 ELSE 0 END,"
	    " urgent = urgent OR " NEW("priority", "change_priority")
	    "  = 'urgent',"
	    " type = " NEW("type", "change_type") ","
	    " assignee_id = " NEW("assignee_id", "change_assignee_id") ","
	    " group_id = " NEW("group_id", "change_group_id")
	    " WHERE id = ?1";
#undef NEW
	sqlite3_stmt *s = store_prepare(st, upd, err);
	char *add = NULL, *rem = NULL;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, oid);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	if ((s = store_prepare(st, "SELECT add_tags, remove_tags FROM outbox"
	    " WHERE id = ?1", err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, oid);
	if (sqlite3_step(s) == SQLITE_ROW) {
		add = xstrdup(store_col_text(s, 0));
		rem = xstrdup(store_col_text(s, 1));
	}
	store_done(st, s);
	if (add == NULL || (*add == '\0' && *rem == '\0')) {
		free(add);
		free(rem);
		return 0;
	}
	/* tags: add and remove in the space-framed list, then the index */
	rc = 0;
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		char *list = pass ? rem : add, *save = NULL;
		for (char *t = strtok_r(list, " ", &save); t && rc == 0;
		    t = strtok_r(NULL, " ", &save))
			rc = run_sql(st, pass ? "UPDATE tickets SET tags ="
			    " replace(tags, ' ' || ?2 || ' ', ' ') WHERE id = ?1" :
			    "UPDATE tickets SET tags = CASE WHEN tags = '' THEN"
			    " ' ' ELSE tags END || ?2 || ' ' WHERE id = ?1 AND"
			    " instr(tags, ' ' || ?2 || ' ') = 0", id, t, err);
	}
	free(add);
	free(rem);
	/* queries read tickets.tags; the ticket_tags catalogue follows at
	 * the next store_fts_refresh, like every derived row */
	if (rc < 0 || run_sql(st, "UPDATE tickets SET tags = '' WHERE id = ?1"
	    " AND trim(tags) = ''", id, NULL, err) < 0 ||
	    run_sql(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
	    " VALUES(?1)", id, NULL, err) < 0)
		return -1;
	return 0;
}

int store_outbox_reapply(struct store *st, int64_t ticket_id,
    struct tdesk_err *err);

int
store_outbox_reapply(struct store *st, int64_t ticket_id,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id FROM outbox"
	    " WHERE ticket_id = ?1 AND state IN ('pending', 'inflight',"
	    " 'failed', 'conflict') ORDER BY id", err);
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_dberr(st, err, "cannot read");
	}
	for (size_t i = 0; i < n; i++)
		if (apply_change(st, ticket_id, ids[i], err) < 0) {
			free(ids);
			return -1;
		}
	free(ids);
	return 0;
}

static void
summarize(struct buf *sum, const struct store_change *ch)
{
	if (ch->macro)
		buf_printf(sum, "macro '%s'", ch->macro);
	if (ch->status)
		buf_printf(sum, "%sstatus=%s", sum->len ? " " : "", ch->status);
	if (ch->priority)
		buf_printf(sum, "%spriority=%s", sum->len ? " " : "",
		    ch->priority);
	if (ch->type)
		buf_printf(sum, "%stype=%s", sum->len ? " " : "", ch->type);
	if (ch->assignee)
		buf_printf(sum, "%sassignee=%s", sum->len ? " " : "",
		    *ch->assignee ? ch->assignee : "none");
	if (ch->group)
		buf_printf(sum, "%sgroup=%s", sum->len ? " " : "",
		    *ch->group ? ch->group : "none");
	for (size_t i = 0; i < ch->n_add; i++)
		buf_printf(sum, "%s+%s", sum->len ? " " : "", ch->add_tags[i]);
	for (size_t i = 0; i < ch->n_remove; i++)
		buf_printf(sum, "%s-%s", sum->len ? " " : "",
		    ch->remove_tags[i]);
	if (ch->comment) {
		struct buf one = BUF_INIT;
		size_t cut = 0, chars = 0;
		text_sanitize(&one, ch->comment, strlen(ch->comment), 0);
		/* the first 60 characters, never half of one */
		while (cut < one.len && chars < 60) {
			uint32_t cp;
			cut += utf8_decode(one.data + cut, one.len - cut, &cp);
			chars++;
		}
		buf_printf(sum, "%s%s: %.*s%s", sum->len ? " " : "",
		    ch->comment_public ? "reply" : "note", (int)cut, one.data,
		    cut < one.len ? "..." : "");
		buf_free(&one);
	}
}

int64_t
store_action(struct store *st, int64_t ticket_id,
    const struct store_change *ch, struct tdesk_err *err)
{
	struct jb undo = { .first = 1 };
	struct buf sum = BUF_INIT, add = BUF_INIT, rem = BUF_INIT;
	struct store_change redacted;
	char *undo_json = NULL, *me = NULL, *note = NULL;
	char uuid[37], stamp[21];
	struct cur c;
	int64_t assignee = 0, group = 0, out = -1;
	const char *kind;
	sqlite3_stmt *s = NULL;

	if (store_change_check(st, ch, err) < 0)
		return -1;
	if (ch->assignee && store_resolve_user(st, ch->assignee, &assignee,
	    err) < 0)
		return -1;
	if (ch->group && store_resolve_group(st, ch->group, &group, err) < 0)
		return -1;
	if (store_begin(st, err) < 0)
		return -1;
	if (cur_read(st, ticket_id, &c, err) < 0)
		goto fail;
	if (!c.found) {
		err_set(err, TDESK_ENOTFOUND, "no ticket %lld in this desk",
		    (long long)ticket_id);
		out = 0;
		goto fail;
	}
	if (strcmp(c.status, "closed") == 0) {
		err_set(err, TDESK_EUSAGE, "ticket %lld is closed: closed "
		    "tickets cannot be changed (ask the customer for a "
		    "follow-up)", (long long)ticket_id);
		goto fail;
	}
	/* the reply guard: one check for every public comment queued;
	 * internal notes pass, with any secret in them redacted */
	if (ch->comment && ch->comment_public && store_guard_gate(st,
	    ticket_id, ch->comment, ch->guard_override, err) < 0)
		goto fail;
	if (ch->comment && !ch->comment_public &&
	    (note = store_redact_note(st, ch->comment)) != NULL) {
		redacted = *ch;
		redacted.comment = note;
		ch = &redacted;
	}

	/* what the action replaces, for undo */
	if (ch->status)
		jb_text(&undo, "status", c.status);
	if (ch->priority)
		jb_text(&undo, "priority", c.priority);
	if (ch->type)
		jb_text(&undo, "type", c.type);
	if (ch->assignee)
		jb_int(&undo, "assignee_id", c.assignee_id);
	if (ch->group)
		jb_int(&undo, "group_id", c.group_id);
	if (ch->n_add || ch->n_remove)
		jb_text(&undo, "tags", c.tags);
	if ((undo_json = jb_run(st, &undo, err)) == NULL)
		goto fail;
	for (size_t i = 0; i < ch->n_add; i++)
		buf_printf(&add, "%s%s", i ? " " : "", ch->add_tags[i]);
	for (size_t i = 0; i < ch->n_remove; i++)
		buf_printf(&rem, "%s%s", i ? " " : "", ch->remove_tags[i]);
	for (size_t i = 0; i < add.len; i++)
		if (add.data[i] >= 'A' && add.data[i] <= 'Z')
			add.data[i] = (char)(add.data[i] + 32);
	for (size_t i = 0; i < rem.len; i++)
		if (rem.data[i] >= 'A' && rem.data[i] <= 'Z')
			rem.data[i] = (char)(rem.data[i] + 32);

	if (ch->macro)
		kind = "macro";
	else if (ch->comment && !ch->status && !ch->priority && !ch->type &&
	    !ch->assignee && !ch->group && !ch->n_add && !ch->n_remove)
		kind = ch->comment_public ? "reply" : "note";
	else
		kind = "update";
	summarize(&sum, ch);
	uuid_v4(uuid);
	time_format_iso(c.updated_at, stamp);

	s = store_prepare(st, "INSERT INTO outbox(client_id, ticket_id, kind,"
	    " summary, undo, seen_updated_at, created_at, change_status,"
	    " change_priority, change_type, change_assignee_id,"
	    " change_group_id, add_tags, remove_tags, comment,"
	    " comment_public) VALUES(?1, ?2, ?3, ?4, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16, ?17)", err);
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, ticket_id);
	sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, sum.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, undo_json, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, time_now());
	store_bind_text(s, 9, ch->status);
	/* "none" or "" clears */
	store_bind_text(s, 10, ch->priority == NULL ? NULL :
	    strcmp(ch->priority, "none") == 0 ? "" : ch->priority);
	store_bind_text(s, 11, ch->type == NULL ? NULL :
	    strcmp(ch->type, "none") == 0 ? "" : ch->type);
	if (ch->assignee)
		sqlite3_bind_int64(s, 12, assignee);
	if (ch->group)
		sqlite3_bind_int64(s, 13, group);
	sqlite3_bind_text(s, 14, add.data ? add.data : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 15, rem.data ? rem.data : "", -1, SQLITE_STATIC);
	store_bind_text(s, 16, ch->comment);
	sqlite3_bind_int(s, 17, ch->comment_public != 0);
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_dberr(st, err, "cannot write to");
		goto fail;
	}
	out = sqlite3_last_insert_rowid(st->db);
	store_done(st, s);
	s = NULL;

	if (apply_change(st, ticket_id, out, err) < 0 ||
	    store_origin_add(st, out, ch, err) < 0)
		goto fail;
	if (ch->comment) {
		struct buf clean = BUF_INIT;
		me = store_state_get(st, "me.id");
		text_sanitize(&clean, ch->comment, strlen(ch->comment), 1);
		s = store_prepare(st, "INSERT INTO comments(id, ticket_id,"
		    " author_id, body, public, created_at, outbox_id)"
		    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", err);
		if (s == NULL) {
			buf_free(&clean);
			goto fail;
		}
		sqlite3_bind_int64(s, 1, -out);
		sqlite3_bind_int64(s, 2, ticket_id);
		sqlite3_bind_int64(s, 3, me ? strtoll(me, NULL, 10) : 0);
		sqlite3_bind_text(s, 4, clean.data, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, ch->comment_public);
		sqlite3_bind_int64(s, 6, time_now());
		sqlite3_bind_int64(s, 7, out);
		int rc = sqlite3_step(s);
		buf_free(&clean);
		if (rc != SQLITE_DONE) {
			store_dberr(st, err, "cannot write to");
			goto fail;
		}
		if (run_sql(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
		    " VALUES(?1)", ticket_id, NULL, err) < 0)
			goto fail;
	}
	if (store_audit(st, kind, ticket_id, sum.data, err) < 0)
		goto fail;
	if (store_commit(st, err) < 0) {
		out = -1;
		goto done;
	}
	goto done;
fail:
	if (out > 0)
		out = -1;
	store_rollback(st);
done:
	store_done(st, s);
	cur_free(&c);
	buf_free(&undo.sql);
	buf_free(&sum);
	buf_free(&add);
	buf_free(&rem);
	free(undo_json);
	free(me);
	free(note);
	return out;
}

static const char *
col_or_null(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL :
	    store_col_text(s, i);
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
store_outbox_change_dup(struct store_outbox_change *dst,
    const struct store_outbox_change *src)
{
	*dst = *src;
	dst->status = dup_or_null(src->status);
	dst->priority = dup_or_null(src->priority);
	dst->type = dup_or_null(src->type);
	dst->add_tags = xstrdup(src->add_tags ? src->add_tags : "");
	dst->remove_tags = xstrdup(src->remove_tags ? src->remove_tags : "");
	dst->comment = dup_or_null(src->comment);
}

void
store_outbox_change_free(struct store_outbox_change *c)
{
	free((char *)(uintptr_t)c->status);
	free((char *)(uintptr_t)c->priority);
	free((char *)(uintptr_t)c->type);
	free((char *)(uintptr_t)c->add_tags);
	free((char *)(uintptr_t)c->remove_tags);
	free((char *)(uintptr_t)c->comment);
	memset(c, 0, sizeof(*c));
}

static int
outbox_rows(struct store *st, const char *where, int64_t id,
    store_outbox_fn fn, void *arg, int *found, struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *s;
	int rc;

	buf_printf(&sql, "SELECT id, client_id, ticket_id, kind, state,"
	    " summary, NULL, error, seen_updated_at, undo, created_at,"
	    " attempts, change_status, change_priority, change_type,"
	    " coalesce(change_assignee_id, -1), coalesce(change_group_id, -1),"
	    " add_tags, remove_tags, comment, comment_public, sent_stamp"
	    " FROM outbox WHERE %s ORDER BY id", where);
	s = store_prepare(st, sql.data, err);
	buf_free(&sql);
	if (s == NULL)
		return -1;
	if (id)
		sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_outbox_row r = {
			.id = sqlite3_column_int64(s, 0),
			.ticket_id = sqlite3_column_int64(s, 2),
			.kind = store_col_text(s, 3),
			.state = store_col_text(s, 4),
			.summary = store_col_text(s, 5),
			.ch = {
				.status = col_or_null(s, 12),
				.priority = col_or_null(s, 13),
				.type = col_or_null(s, 14),
				.assignee_id = sqlite3_column_int64(s, 15),
				.group_id = sqlite3_column_int64(s, 16),
				.add_tags = store_col_text(s, 17),
				.remove_tags = store_col_text(s, 18),
				.comment = col_or_null(s, 19),
				.comment_public = sqlite3_column_int(s, 20),
			},
			.error = store_col_text(s, 7),
			.seen_updated_at = store_col_text(s, 8),
			.undo = store_col_text(s, 9),
			.created_at = sqlite3_column_int64(s, 10),
			.attempts = sqlite3_column_int(s, 11),
			.sent_stamp = store_col_text(s, 21),
		};
		snprintf(r.client_id, sizeof(r.client_id), "%s",
		    store_col_text(s, 1));
		if (found)
			*found = 1;
		if (fn && fn(&r, arg)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return 0;
}

int
store_outbox_list(struct store *st, int all, store_outbox_fn fn, void *arg,
    struct tdesk_err *err)
{
	return outbox_rows(st, all ? "1" : "state <> 'done'", 0, fn, arg,
	    NULL, err);
}

int
store_outbox_get(struct store *st, int64_t id, store_outbox_fn fn, void *arg,
    struct tdesk_err *err)
{
	int found = 0;

	if (outbox_rows(st, "id = ?1", id, fn, arg, &found, err) < 0)
		return -1;
	return found;
}

static int
row_state(struct store *st, int64_t id, char state[16], int64_t *ticket,
    char **undo, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT state, ticket_id, undo"
	    " FROM outbox WHERE id = ?1", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(state, 16, "%s", store_col_text(s, 0));
		*ticket = sqlite3_column_int64(s, 1);
		if (undo)
			*undo = xstrdup(store_col_text(s, 2));
	}
	store_done(st, s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_dberr(st, err, "cannot read");
}

/*
 * The request body that puts back the fields of an undo object (the
 * values before an action): tags as a list, "" and 0 as null.
 */
static int
undo_body(struct store *st, const char *undo, struct buf *restore,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    "SELECT key, value, type FROM json_each(?1)", err);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, undo, -1, SQLITE_STATIC);
	buf_adds(restore, "{");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *key = store_col_text(s, 0);
		/* keys come from our own undo objects: plain names */
		if (strspn(key, "abcdefghijklmnopqrstuvwxyz_") != strlen(key))
			continue;
		if (strcmp(key, "tags") == 0) {
			buf_printf(restore, "%s\"tags\":", n++ ? "," : "");
			sqlite3_stmt *t = store_prepare(st, "SELECT json_group_"
			    "array(value) FROM json_each('[\"' || replace("
			    "replace(replace(?1, '\\', ''), '\"', ''), ' ',"
			    " '\",\"') || '\"]') WHERE value <> ''", err);
			if (t == NULL) {
				store_done(st, s);
				return -1;
			}
			sqlite3_bind_text(t, 1, store_col_text(s, 1), -1,
			    SQLITE_STATIC);
			if (sqlite3_step(t) != SQLITE_ROW) {
				store_dberr(st, err, "cannot read");
				store_done(st, t);
				store_done(st, s);
				return -1;
			}
			buf_adds(restore, store_col_text(t, 0));
			store_done(st, t);
			continue;
		}
		const char *type = store_col_text(s, 2);
		if (!strcmp(type, "integer")) {
			long long v = sqlite3_column_int64(s, 1);
			if (v)
				buf_printf(restore, "%s\"%s\":%lld",
				    n++ ? "," : "", key, v);
			else
				buf_printf(restore, "%s\"%s\":null",
				    n++ ? "," : "", key);
		} else if (!strcmp(type, "null")) {
			buf_printf(restore, "%s\"%s\":null", n++ ? "," : "",
			    key);
		} else {
			/* status/priority/type values: plain words */
			const char *v = store_col_text(s, 1);
			if (strspn(v, "abcdefghijklmnopqrstuvwxyz_") !=
			    strlen(v))
				continue;
			if (*v)
				buf_printf(restore, "%s\"%s\":\"%s\"",
				    n++ ? "," : "", key, v);
			else
				buf_printf(restore, "%s\"%s\":null",
				    n++ ? "," : "", key);
		}
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	buf_addc(restore, '}');
	return 0;
}

/* Whether action id may be dropped: 1 yes, 0 no such action waiting,
 * -1 not now (being sent; kind CONFLICT) or a database error. */
static int
drop_check(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	char state[16];
	int64_t ticket;
	int rc = row_state(st, id, state, &ticket, NULL, err);

	(void)arg;
	if (rc < 0)
		return -1;
	if (rc == 0 || strcmp(state, "done") == 0)
		return err_set(err, TDESK_ENOTFOUND, "no action %lld waiting "
		    "in the outbox", (long long)id), 0;
	if (strcmp(state, "inflight") == 0)
		return err_set(err, TDESK_ECONFLICT, "action %lld is being "
		    "sent right now (or a sync was interrupted): run 'tdesk "
		    "sync' first", (long long)id);
	return 1;
}

/*
 * Dropping restores exactly what the action changed: the actions still
 * applied to the ticket from this one on are undone newest first (each
 * undo holds the fields' values from just before its action), this one
 * is deleted, and the later ones are applied again in order, each with
 * its undo taken afresh. So an earlier tag action's tag leaves the
 * ticket while later actions' tags stay.
 */
int
store_outbox_drop(struct store *st, int64_t id, struct tdesk_err *err)
{
	static const char live[] = "state IN ('pending', 'inflight',"
	    " 'failed', 'conflict')";
	struct buf sql = BUF_INIT;
	int64_t ticket = 0, *later = NULL;
	char **undos = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = NULL;
	int rc;

	if (store_begin(st, err) < 0)
		return -1;
	rc = drop_check(st, id, NULL, err);
	if (rc <= 0)
		goto out;
	char state[16];
	if (row_state(st, id, state, &ticket, NULL, err) <= 0) {
		rc = -1;
		goto out;
	}
	/* this action and the later ones, newest first */
	buf_printf(&sql, "SELECT id, undo FROM outbox WHERE"
	    " ticket_id = ?1 AND id >= ?2 AND %s ORDER BY id DESC", live);
	s = store_prepare(st, sql.data, err);
	if (s == NULL) {
		rc = -1;
		goto out;
	}
	sqlite3_bind_int64(s, 1, ticket);
	sqlite3_bind_int64(s, 2, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			later = xrealloc(later, cap * sizeof(*later));
			undos = xrealloc(undos, cap * sizeof(*undos));
		}
		later[n] = sqlite3_column_int64(s, 0);
		undos[n++] = xstrdup(store_col_text(s, 1));
	}
	store_done(st, s);
	s = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_dberr(st, err, "cannot read");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct buf restore = BUF_INIT;
		rc = undo_body(st, undos[i], &restore, err);
		if (rc == 0)
			rc = apply_undo(st, ticket, restore.data, err);
		buf_free(&restore);
		if (rc < 0)
			goto out;
	}
	if (run_sql(st, "DELETE FROM comments WHERE outbox_id = ?1", id, NULL,
	    err) < 0 ||
	    run_sql(st, "DELETE FROM outbox WHERE id = ?1", id, NULL, err) < 0) {
		rc = -1;
		goto out;
	}
	/* the later ones again, oldest first, on what is there now */
	for (size_t i = n; i-- > 0;) {
		if (later[i] == id)
			continue;
		if (run_sql(st, "UPDATE outbox SET undo = (SELECT"
		    " json_group_object(j.key, CASE j.key"
		    " WHEN 'status' THEN t.status"
		    " WHEN 'priority' THEN t.priority"
		    " WHEN 'type' THEN t.type"
		    " WHEN 'assignee_id' THEN nullif(t.assignee_id, 0)"
		    " WHEN 'group_id' THEN nullif(t.group_id, 0)"
		    " WHEN 'tags' THEN trim(t.tags) END)"
		    " FROM json_each(outbox.undo) j, tickets t"
		    " WHERE t.id = outbox.ticket_id) WHERE id = ?1", later[i],
		    NULL, err) < 0 ||
		    apply_change(st, ticket, later[i], err) < 0) {
			rc = -1;
			goto out;
		}
	}
	if (run_sql(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
	    " VALUES(?1)", ticket, NULL, err) < 0) {
		rc = -1;
		goto out;
	}
	char detail[64];
	snprintf(detail, sizeof(detail), "dropped outbox action %lld",
	    (long long)id);
	rc = store_audit(st, "drop", ticket, detail, err) < 0 ? -1 : 1;
out:
	store_done(st, s);
	buf_free(&sql);
	for (size_t i = 0; i < n; i++)
		free(undos[i]);
	free(undos);
	free(later);
	if (rc <= 0) {
		store_rollback(st);
		return rc < 0 ? -1 : 0;
	}
	if (store_commit(st, err) < 0)
		return -1;
	return rc;
}

static int64_t
drop_write(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	(void)arg;
	return store_outbox_drop(st, id, err);
}

int
store_outbox_drop_many(struct store *st, const int64_t *ids, size_t n,
    const volatile sig_atomic_t *stop, struct tdesk_err *err)
{
	struct store_multi b = {
		.what = "drop", .check = drop_check, .write = drop_write,
		.stop = stop,
	};

	return store_multi_run(st, ids, n, &b, err);
}

static int
retry_check(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	char state[16];
	int64_t ticket;
	int rc = row_state(st, id, state, &ticket, NULL, err);

	(void)arg;
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, TDESK_ENOTFOUND, "no action %lld in the "
		    "outbox", (long long)id), 0;
	if (strcmp(state, "conflict") && strcmp(state, "failed"))
		return err_set(err, TDESK_EUSAGE, "action %lld is %s: only "
		    "conflicts and failures can be kept or edited",
		    (long long)id, state);
	return 1;
}

static int64_t
retry_write(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	return store_outbox_retry(st, id, arg, err);
}

int
store_outbox_retry_many(struct store *st, const int64_t *ids, size_t n,
    const char *new_body, const volatile sig_atomic_t *stop,
    struct tdesk_err *err)
{
	struct store_multi b = {
		.what = new_body ? "edit" : "keep", .check = retry_check,
		.write = retry_write, .arg = (void *)new_body, .stop = stop,
	};

	if (new_body && (!utf8_valid(new_body, strlen(new_body)) ||
	    strspn(new_body, " \t\r\n") == strlen(new_body)))
		return err_set(err, TDESK_EUSAGE, "the new message is empty or "
		    "not valid UTF-8");
	return store_multi_run(st, ids, n, &b, err);
}

/* An edited public comment passes the reply guard like a new one. */
static int
guard_edit(struct store *st, int64_t id, int64_t ticket, const char *body,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT comment_public FROM outbox"
	    " WHERE id = ?1", err);
	int pub;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	pub = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
	store_done(st, s);
	return pub ? store_guard_gate(st, ticket, body, NULL, err) : 0;
}

int
store_outbox_retry(struct store *st, int64_t id, const char *new_body,
    struct tdesk_err *err)
{
	char state[16];
	int64_t ticket;
	int rc;

	if (new_body && (!utf8_valid(new_body, strlen(new_body)) ||
	    strspn(new_body, " \t\r\n") == strlen(new_body)))
		return err_set(err, TDESK_EUSAGE, "the new message is empty or "
		    "not valid UTF-8");
	if (store_begin(st, err) < 0)
		return -1;
	rc = row_state(st, id, state, &ticket, NULL, err);
	if (rc <= 0)
		goto out;
	if (strcmp(state, "conflict") && strcmp(state, "failed")) {
		rc = err_set(err, TDESK_EUSAGE, "action %lld is %s: only "
		    "conflicts and failures can be kept or edited",
		    (long long)id, state);
		goto out;
	}
	/* attempts stay: a copy sent before may still exist, so the push
	 * looks before it sends (sync/push.c, R2-R3); the action is meant
	 * for the ticket as it is now */
	if (run_sql(st, "UPDATE outbox SET state = 'pending', error = '',"
	    " sent_stamp = '', seen_updated_at = (SELECT strftime("
	    "'%Y-%m-%dT%H:%M:%SZ', updated_at, 'unixepoch') FROM tickets"
	    " WHERE id = outbox.ticket_id) WHERE id = ?1", id, NULL, err) < 0) {
		rc = -1;
		goto out;
	}
	if (new_body && guard_edit(st, id, ticket, new_body, err) < 0) {
		rc = -1;
		goto out;
	}
	if (new_body) {
		struct buf clean = BUF_INIT;
		text_sanitize(&clean, new_body, strlen(new_body), 1);
		rc = run_sql(st, "UPDATE outbox SET comment = ?2 WHERE"
		    " id = ?1 AND comment IS NOT NULL", id, new_body, err);
		if (rc == 0)
			rc = run_sql(st, "UPDATE comments SET body = ?2 WHERE"
			    " outbox_id = ?1", id, clean.data, err);
		buf_free(&clean);
		if (rc < 0)
			goto out;
	}
	rc = store_audit(st, new_body ? "edit" : "keep", ticket,
	    new_body ? "edited and re-queued" : "re-queued on the new stamp",
	    err) < 0 ? -1 : 1;
out:
	if (rc < 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st, err) < 0)
		return -1;
	return rc;
}

int
store_outbox_set_state(struct store *st, int64_t id, const char *state,
    const char *error, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc, audit = !strcmp(state, "done") || !strcmp(state, "failed") ||
	    !strcmp(state, "conflict");

	/* sent, failed and conflicts are audited with the change */
	if (audit && store_begin(st, err) < 0)
		return -1;
	s = store_prepare(st, "UPDATE outbox SET state = ?2,"
	    " error = ?3, attempts = attempts + (?2 = 'inflight')"
	    " WHERE id = ?1 RETURNING ticket_id", err);
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, error ? error : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	int64_t ticket = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		store_dberr(st, err, "cannot write to");
		goto fail;
	}
	if (!audit)
		return 0;
	if (ticket) {
		char *d = xasprintf("action %lld%s%s", (long long)id,
		    error && *error ? ": " : "", error ? error : "");
		rc = store_audit(st, !strcmp(state, "done") ? "sent" : state,
		    ticket, d, err);
		free(d);
		if (rc < 0)
			goto fail;
	}
	return store_commit(st, err);
fail:
	if (audit)
		store_rollback(st);
	return -1;
}

int
store_outbox_mark_sent(struct store *st, int64_t id, const char *stamp,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "UPDATE outbox SET"
	    " state = 'inflight', sent_stamp = ?2, attempts = attempts + 1,"
	    " error = '' WHERE id = ?1 AND state IN ('pending', 'inflight')",
	    err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, stamp ? stamp : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	return sqlite3_changes(st->db) == 1;
}

int
store_outbox_count(struct store *st, const char *state, int64_t *n,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, state ?
	    "SELECT count(*) FROM outbox WHERE state = ?1" :
	    "SELECT count(*) FROM outbox WHERE state <> 'done'", err);
	int rc;

	if (s == NULL)
		return -1;
	if (state)
		sqlite3_bind_text(s, 1, state, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	store_done(st, s);
	if (rc != SQLITE_ROW)
		return store_dberr(st, err, "cannot read");
	return 0;
}
