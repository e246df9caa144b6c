/* SPDX-License-Identifier: MIT */
/*
 * The replica's typed writes: batches of users, groups, organisations,
 * ticket fields, tickets and comments in one transaction with prepared
 * statements, then the derived rows (tags, SLA targets, full text) per
 * batch. No wire format is known here: each backend maps its own answers
 * to these records (sync/zendesk_map.c for Zendesk). Customer text is
 * sanitised here, once, on its way in: ingest_clean_text.
 */
#include "store/store_int.h"
#include "store/triage.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
store_status_rank(const char *s)
{
	static const char *const names[] = { "new", "open", "pending", "hold",
	    "solved", "closed" };

	for (size_t i = 0; s && i < ARRAY_LEN(names); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

int
store_priority_rank(const char *s)
{
	static const char *const names[] = { "", "low", "normal", "high",
	    "urgent" };

	if (s == NULL)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static int
mentions_urgency(const char *s)
{
	if (s == NULL)
		return 0;
	return strcasestr(s, "urgent") != NULL || strstr(s, "紧急") != NULL ||
	    strcasestr(s, "asap") != NULL || strstr(s, "加急") != NULL;
}

/*
 * The one place where text from outside enters the replica: control
 * characters, escapes and bidi overrides made inert, invalid UTF-8
 * repaired. Every customer-visible string of a record passes here.
 * Customer text also has its secrets redacted: ingest_customer_text.
 */
static const char *
ingest_clean_text(struct buf *out, const char *s, int keep_newlines)
{
	buf_reset(out);
	if (s != NULL)
		text_sanitize(out, s, strlen(s), keep_newlines);
	buf_addc(out, '\0');
	return out->data;
}

enum { S_SUBJ, S_DESC, S_STATUS, S_PRIO, S_TYPE, S_CHAN, S_TAGS, S_SLA,
	S_FIELDS, S_SAT, S_SATC, S_A, S_B, S_C, S_D, S_N };

struct store_batch {
	struct store *st;
	struct store_ingest_stats *stats, local;
	sqlite3_stmt *user, *group, *org, *field, *ticket, *comment, *att;
	struct buf s[S_N];	/* scratch for cleaned strings */
	struct buf written;	/* JSON array of the ticket ids written */
	size_t n_written;
};

static void
batch_free(struct store_batch *b)
{
	sqlite3_stmt **all[] = { &b->user, &b->group, &b->org, &b->field,
	    &b->ticket, &b->comment, &b->att };

	for (size_t i = 0; i < ARRAY_LEN(all); i++)
		store_done(b->st, *all[i]);
	for (size_t i = 0; i < S_N; i++)
		buf_free(&b->s[i]);
	buf_free(&b->written);
	free(b);
}

struct store_batch *
store_batch_begin(struct store *st, struct store_ingest_stats *stats,
    struct tdesk_err *err)
{
	struct store_batch *b;

	if (store_begin(st, err) < 0)
		return NULL;
	b = xcalloc(1, sizeof(*b));
	b->st = st;
	b->stats = stats ? stats : &b->local;
	return b;
}

void
store_batch_abort(struct store_batch *b)
{
	if (b == NULL)
		return;
	store_rollback(b->st);
	batch_free(b);
}

static int
step_done(struct store *st, sqlite3_stmt *s, struct tdesk_err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_dberr(st, err, "cannot write to");
	return 0;
}

static sqlite3_stmt *
batch_stmt(struct store_batch *b, sqlite3_stmt **s, const char *sql,
    struct tdesk_err *err)
{
	if (*s == NULL)
		*s = store_prepare(b->st, sql, err);
	return *s;
}

#define CLEAN(b, i, v, nl) ingest_clean_text(&(b)->s[i], (v), (nl))

/*
 * Customer text (subjects, descriptions, comment bodies, requester names):
 * secrets (seed phrases, keys, codes, passwords) out first, into acc as
 * salted hashes, then made inert like every outside string.
 */
static const char *
ingest_customer_text(struct store_batch *b, int i, const char *v, int nl,
    struct store_secrets *acc)
{
	struct buf red = BUF_INIT;
	size_t before = acc->found;

	if (v == NULL)
		return CLEAN(b, i, v, nl);
	store_redact_text(b->st, v, strlen(v), &red, acc);
	if (acc->found == before) {
		buf_free(&red);
		return CLEAN(b, i, v, nl);
	}
	buf_addc(&red, '\0');
	ingest_clean_text(&b->s[i], red.data, nl);
	buf_free(&red);
	return b->s[i].data;
}

int
store_batch_user(struct store_batch *b, const struct store_user_rec *u,
    struct tdesk_err *err)
{
	sqlite3_stmt *s;

	if (u->id <= 0)
		return 0;
	if ((s = batch_stmt(b, &b->user,
	    "INSERT INTO users(id, name, email, role, locale, vip,"
	    " organization_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT(id) DO UPDATE"
	    " SET name = excluded.name, email = excluded.email,"
	    " role = excluded.role, locale = excluded.locale,"
	    " vip = excluded.vip, organization_id = CASE WHEN"
	    " excluded.organization_id <> 0 THEN excluded.organization_id"
	    " ELSE users.organization_id END"
	    /* the same user again (every page's sideloads) writes nothing */
	    " WHERE users.name IS NOT excluded.name OR"
	    " users.email IS NOT excluded.email OR"
	    " users.role IS NOT excluded.role OR"
	    " users.locale IS NOT excluded.locale OR"
	    " users.vip IS NOT excluded.vip OR"
	    " (excluded.organization_id <> 0 AND"
	    " users.organization_id IS NOT excluded.organization_id)",
	    err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, u->id);
	/* a name can carry a pasted secret too; with no ticket to flag,
	 * only its hash is kept (the guard still knows it) */
	struct store_secrets acc = { 0 };
	sqlite3_bind_text(s, 2, ingest_customer_text(b, S_A, u->name, 0, &acc),
	    -1, SQLITE_STATIC);
	if (store_secrets_flush(b->st, 0, &acc, err) < 0) {
		store_secrets_free(&acc);
		sqlite3_reset(s);
		return -1;
	}
	store_secrets_free(&acc);
	sqlite3_bind_text(s, 3, CLEAN(b, S_B, u->email, 0), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 4, u->role && *u->role ? CLEAN(b, S_C, u->role,
	    0) : "end-user", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, CLEAN(b, S_D, u->locale, 0), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(s, 6, u->vip != 0);
	sqlite3_bind_int64(s, 7, u->organization_id);
	if (step_done(b->st, s, err) < 0)
		return -1;
	b->stats->users++;
	return 0;
}

static int
put_named(struct store_batch *b, sqlite3_stmt **s, const char *sql,
    int64_t id, const char *name, const char *extra, struct tdesk_err *err)
{
	if (id <= 0)
		return 0;
	if (batch_stmt(b, s, sql, err) == NULL)
		return -1;
	sqlite3_bind_int64(*s, 1, id);
	sqlite3_bind_text(*s, 2, CLEAN(b, S_A, name, 0), -1, SQLITE_STATIC);
	if (extra)
		sqlite3_bind_text(*s, 3, CLEAN(b, S_B, extra, 0), -1,
		    SQLITE_STATIC);
	return step_done(b->st, *s, err);
}

int
store_batch_group(struct store_batch *b, const struct store_group_rec *g,
    struct tdesk_err *err)
{
	return put_named(b, &b->group, "INSERT INTO groups(id, name)"
	    " VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE SET name ="
	    " excluded.name WHERE groups.name IS NOT excluded.name",
	    g->id, g->name, NULL, err);
}

int
store_batch_org(struct store_batch *b, const struct store_org_rec *o,
    struct tdesk_err *err)
{
	return put_named(b, &b->org, "INSERT INTO organizations(id, name)"
	    " VALUES(?1, ?2) ON CONFLICT(id) DO UPDATE SET name ="
	    " excluded.name WHERE organizations.name IS NOT excluded.name",
	    o->id, o->name, NULL, err);
}

int
store_batch_field(struct store_batch *b, const struct store_field_rec *f,
    struct tdesk_err *err)
{
	return put_named(b, &b->field, "INSERT INTO ticket_fields(id, name,"
	    " type) VALUES(?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET name ="
	    " excluded.name, type = excluded.type WHERE ticket_fields.name IS"
	    " NOT excluded.name OR ticket_fields.type IS NOT excluded.type",
	    f->id, f->name,
	    f->type ? f->type : "", err);
}

static void
add_tag(struct buf *tags, const char *tag)
{
	/* tags are lower case, without spaces (Zendesk splits on them) */
	if (tags->len == 0)
		buf_addc(tags, ' ');
	for (; *tag; tag++) {
		unsigned char c = (unsigned char)*tag;
		if (c <= ' ' || c == 0x7F || c == '"' || c == '\\') {
			if (tags->data[tags->len - 1] != ' ')
				buf_addc(tags, ' ');
			continue;
		}
		buf_addc(tags, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
	}
	if (tags->data[tags->len - 1] != ' ')
		buf_addc(tags, ' ');
}

/* The SLA targets as [[metric, stage, breach_at], ...] (the replica's own
 * encoding, expanded into the slas table by store_fts_refresh), from
 * names that are plain words. */
static void
sla_encode(struct buf *out, const struct store_ticket_rec *t)
{
	const char *ok = "abcdefghijklmnopqrstuvwxyz_";
	int n = 0;

	buf_reset(out);
	for (size_t i = 0; i < t->n_slas; i++) {
		const struct store_sla_rec *m = &t->slas[i];
		const char *stage = m->stage;
		if (m->metric == NULL || *m->metric == '\0' ||
		    strspn(m->metric, ok) != strlen(m->metric))
			continue;
		if (stage == NULL || strspn(stage, ok) != strlen(stage))
			stage = "";
		buf_printf(out, "%s[\"%s\",\"%s\",", n++ ? "," : "[",
		    m->metric, stage);
		if (m->breach_at)
			buf_printf(out, "%lld]", (long long)m->breach_at);
		else
			buf_adds(out, "null]");
	}
	if (n)
		buf_addc(out, ']');
	buf_addc(out, '\0');
}

/* Custom field values as "ID\tVALUE\n" lines (values on one line). */
static void
fields_encode(struct buf *out, struct buf *tmp,
    const struct store_ticket_rec *t)
{
	buf_reset(out);
	for (size_t i = 0; i < t->n_fields; i++) {
		const struct store_field_value *f = &t->fields[i];
		if (f->field_id <= 0 || f->value == NULL || *f->value == '\0')
			continue;
		ingest_clean_text(tmp, f->value, 0);
		buf_printf(out, "%lld\t", (long long)f->field_id);
		for (const char *p = tmp->data; *p; p++)
			buf_addc(out, *p == '\t' ? ' ' : *p);
		buf_addc(out, '\n');
	}
	buf_addc(out, '\0');
}

/* A ticket from the server, over the replica's copy when it is newer, or
 * as new and different within the same second. */
static const char ticket_upsert[] =
    "INSERT INTO tickets(id, subject, description, status, status_rank,"
    " priority, priority_rank, type, channel, requester_id,"
    " assignee_id, group_id, tags, lang, vip, urgent, created_at,"
    " updated_at, sla_breach_at, sla_json, organization_id, fields,"
    " satisfaction, satisfaction_comment) VALUES(?1, ?2, ?3, ?4, ?5,"
    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
    /* the text's script decides (kana: ja, hangul: ko, Han: zh unless
     * the requester's locale says ja or ko), else the locale */
    " (SELECT CASE WHEN ?14 = 'zh' AND loc IN ('ja', 'ko') THEN loc"
    "  WHEN ?14 <> '' THEN ?14 ELSE coalesce(loc, 'en') END FROM"
    "  (SELECT (SELECT CASE"
    "  WHEN locale LIKE 'zh%' THEN 'zh' WHEN locale = '' THEN NULL"
    "  ELSE lower(substr(locale, 1, instr(replace(locale, '_', '-')"
    "  || '-', '-') - 1)) END FROM users WHERE id = ?10) AS loc)),"
    " ?15 OR coalesce((SELECT vip FROM users WHERE id = ?10), 0),"
    " ?16, ?17, ?18, ?19, ?20, CASE WHEN ?21 <> 0 THEN ?21 ELSE"
    " coalesce((SELECT organization_id FROM users WHERE id = ?10), 0)"
    " END, ?22, ?23, ?24)"
    " ON CONFLICT(id) DO UPDATE SET subject = excluded.subject,"
    " description = excluded.description, status = excluded.status,"
    " status_rank = excluded.status_rank,"
    " priority = excluded.priority,"
    " priority_rank = excluded.priority_rank, type = excluded.type,"
    " channel = excluded.channel,"
    " requester_id = excluded.requester_id,"
    " assignee_id = excluded.assignee_id,"
    " group_id = excluded.group_id, tags = excluded.tags,"
    " lang = excluded.lang, vip = excluded.vip,"
    " urgent = excluded.urgent, created_at = excluded.created_at,"
    " updated_at = excluded.updated_at,"
    " sla_breach_at = excluded.sla_breach_at,"
    " sla_json = excluded.sla_json,"
    " organization_id = excluded.organization_id,"
    " fields = excluded.fields, satisfaction = excluded.satisfaction,"
    " satisfaction_comment = excluded.satisfaction_comment"
    " WHERE excluded.updated_at > tickets.updated_at OR"
    /* the same second: written only when it differs, so that
     * re-reading an unchanged ticket (the overlap of every
     * incremental sync) rewrites nothing and re-derives nothing.
     * Not compared: urgent and sla_breach_at, which the replica
     * raises itself (classification, local SLA) from these. */
    " (excluded.updated_at = tickets.updated_at AND ("
    " tickets.subject IS NOT excluded.subject OR"
    " tickets.description IS NOT excluded.description OR"
    " tickets.status IS NOT excluded.status OR"
    " tickets.status_rank IS NOT excluded.status_rank OR"
    " tickets.priority IS NOT excluded.priority OR"
    " tickets.priority_rank IS NOT excluded.priority_rank OR"
    " tickets.type IS NOT excluded.type OR"
    " tickets.channel IS NOT excluded.channel OR"
    " tickets.requester_id IS NOT excluded.requester_id OR"
    " tickets.assignee_id IS NOT excluded.assignee_id OR"
    " tickets.group_id IS NOT excluded.group_id OR"
    " tickets.tags IS NOT excluded.tags OR"
    " tickets.lang IS NOT excluded.lang OR"
    " tickets.vip IS NOT excluded.vip OR"
    " tickets.created_at IS NOT excluded.created_at OR"
    " tickets.sla_json IS NOT excluded.sla_json OR"
    " tickets.organization_id IS NOT excluded.organization_id OR"
    " tickets.fields IS NOT excluded.fields OR"
    " tickets.satisfaction IS NOT excluded.satisfaction OR"
    " tickets.satisfaction_comment IS NOT"
    " excluded.satisfaction_comment))";

/* The page's range of update times and the ids it named (stats). */
static void
ticket_seen(struct store_ingest_stats *stats, const struct store_ticket_rec *t)
{
	stats->tickets++;
	if (t->updated_at > stats->max_updated)
		stats->max_updated = t->updated_at;
	if (t->updated_at && (stats->min_updated == 0 ||
	    t->updated_at < stats->min_updated))
		stats->min_updated = t->updated_at;
	if (stats->ids) {
		struct buf *ids = stats->ids;
		if (ids->len && ids->data[ids->len - 1] == ']')
			ids->data[--ids->len] = '\0';
		buf_printf(ids, "%s%lld]", ids->len ? "," : "[",
		    (long long)t->id);
	}
}

int
store_batch_ticket(struct store_batch *b, const struct store_ticket_rec *t,
    struct tdesk_err *err)
{
	struct store_ingest_stats *stats = b->stats;
	const char *status, *prio, *subj, *desc;
	int64_t sla = SLA_NONE;
	int srank, prank;
	sqlite3_stmt *s;

	if (t->id <= 0)
		return err_set(err, TDESK_EGENERIC, "unexpected answer from "
		    "the server: a ticket without an id");
	ticket_seen(stats, t);
	struct store_secrets acc = { 0 };
	subj = ingest_customer_text(b, S_SUBJ, t->subject, 0, &acc);
	desc = ingest_customer_text(b, S_DESC, t->description, 1, &acc);
	if (store_secrets_flush(b->st, t->id, &acc, err) < 0) {
		store_secrets_free(&acc);
		return -1;
	}
	store_secrets_free(&acc);
	status = t->status && *t->status ? CLEAN(b, S_STATUS, t->status, 0) :
	    "new";
	prio = CLEAN(b, S_PRIO, t->priority, 0);
	if ((srank = store_status_rank(status)) < 0)
		/* "deleted" (exports) or an unknown custom status */
		srank = strcmp(status, "deleted") == 0 ? 6 : 1;
	if ((prank = store_priority_rank(prio)) < 0)
		prank = 0;
	for (size_t i = 0; i < t->n_slas; i++) {
		const struct store_sla_rec *m = &t->slas[i];
		if (m->breach_at && (m->stage == NULL ||
		    strcmp(m->stage, "active") == 0) && m->breach_at < sla)
			sla = m->breach_at;
	}
	buf_reset(&b->s[S_TAGS]);
	for (size_t i = 0; i < t->n_tags; i++)
		if (t->tags[i])
			add_tag(&b->s[S_TAGS], t->tags[i]);
	buf_addc(&b->s[S_TAGS], '\0');
	sla_encode(&b->s[S_SLA], t);
	fields_encode(&b->s[S_FIELDS], &b->s[S_A], t);
	if ((s = batch_stmt(b, &b->ticket, ticket_upsert, err)) == NULL)
		return -1;
	size_t dlen = strlen(desc);
	char lang[8];
	const char *script = text_script_lang(subj, strlen(subj));
	if (script == NULL)
		script = text_script_lang(desc, dlen < 512 ? dlen : 512);
	snprintf(lang, sizeof(lang), "%s", script ? script : "");
	sqlite3_bind_int64(s, 1, t->id);
	sqlite3_bind_text(s, 2, subj, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, desc, (int)dlen, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, srank);
	sqlite3_bind_text(s, 6, prio, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, prank);
	sqlite3_bind_text(s, 8, CLEAN(b, S_TYPE, t->type, 0), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 9, CLEAN(b, S_CHAN, t->channel, 0), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s, 10, t->requester_id);
	sqlite3_bind_int64(s, 11, t->assignee_id);
	sqlite3_bind_int64(s, 12, t->group_id);
	sqlite3_bind_text(s, 13, b->s[S_TAGS].data, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 14, lang, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 15, strstr(b->s[S_TAGS].data, " vip ") != NULL);
	sqlite3_bind_int(s, 16, prank == 4 || mentions_urgency(subj));
	sqlite3_bind_int64(s, 17, t->created_at);
	sqlite3_bind_int64(s, 18, t->updated_at);
	sqlite3_bind_int64(s, 19, sla);
	sqlite3_bind_text(s, 20, b->s[S_SLA].data, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 21, t->organization_id);
	sqlite3_bind_text(s, 22, b->s[S_FIELDS].data, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 23, CLEAN(b, S_SAT, t->satisfaction, 0), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 24, CLEAN(b, S_SATC, t->satisfaction_comment, 1),
	    -1, SQLITE_STATIC);
	if (step_done(b->st, s, err) < 0)
		return -1;
	if (sqlite3_changes(b->st->db) == 0) {
		stats->stale++;
		return 0;
	}
	stats->written++;
	buf_printf(&b->written, "%s%lld", b->n_written++ ? "," : "[",
	    (long long)t->id);
	return 0;
}

int
store_batch_comment(struct store_batch *b, int64_t ticket_id,
    const struct store_comment_rec *c, struct tdesk_err *err)
{
	sqlite3_stmt *s;

	if (c->id <= 0)
		return err_set(err, TDESK_EGENERIC, "unexpected answer from "
		    "the server: a comment without an id");
	if ((s = batch_stmt(b, &b->comment,
	    "INSERT INTO comments(id, ticket_id, author_id, body, public,"
	    " created_at, html) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT(id) DO UPDATE SET body = excluded.body,"
	    " public = excluded.public, author_id = excluded.author_id,"
	    " html = excluded.html", err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, c->id);
	sqlite3_bind_int64(s, 2, ticket_id);
	sqlite3_bind_int64(s, 3, c->author_id);
	struct store_secrets acc = { 0 };
	sqlite3_bind_text(s, 4, ingest_customer_text(b, S_DESC, c->body, 1,
	    &acc), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, c->public != 0);
	sqlite3_bind_int64(s, 6, c->created_at);
	/* the HTML copy of a comment that held a secret is not kept: the
	 * redacted text is what the desk shows */
	sqlite3_bind_text(s, 7, acc.found ? "" : CLEAN(b, S_A, c->html, 1),
	    -1, SQLITE_STATIC);
	if (step_done(b->st, s, err) < 0 ||
	    store_secrets_flush(b->st, ticket_id, &acc, err) < 0) {
		store_secrets_free(&acc);
		return -1;
	}
	store_secrets_free(&acc);
	b->stats->comments++;
	for (size_t i = 0; i < c->n_attachments; i++) {
		const struct store_attachment_rec *a = &c->attachments[i];
		if (a->id <= 0)
			continue;
		if ((s = batch_stmt(b, &b->att, "INSERT OR REPLACE INTO"
		    " attachments(id, comment_id, ticket_id, name, type, size,"
		    " url) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, a->id);
		sqlite3_bind_int64(s, 2, c->id);
		sqlite3_bind_int64(s, 3, ticket_id);
		sqlite3_bind_text(s, 4, CLEAN(b, S_A, a->name, 0), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(s, 5, CLEAN(b, S_B, a->type, 0), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(s, 6, a->size);
		sqlite3_bind_text(s, 7, CLEAN(b, S_C, a->url, 0), -1,
		    SQLITE_STATIC);
		if (step_done(b->st, s, err) < 0)
			return -1;
	}
	return 0;
}

int
store_batch_comments_done(struct store_batch *b, int64_t ticket_id,
    struct tdesk_err *err)
{
	struct store *st = b->st;
	sqlite3_stmt *s = store_prepare(st,
	    "DELETE FROM comments WHERE ticket_id = ?1 AND id < 0 AND"
	    " outbox_id IN (SELECT id FROM outbox WHERE state = "
	    OB_SQL(DONE) ")", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	int rc = step_done(st, s, err);
	store_done(st, s);
	if (rc < 0 || (!st->no_redact && store_redact_across(st, ticket_id,
	    err) < 0))
		return -1;
	s = store_prepare(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
	    " VALUES(?1)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	rc = step_done(st, s, err);
	store_done(st, s);
	return rc;
}

/* Tickets written by a page: their derived rows (tags, SLA targets, full
 * text) are rebuilt by store_fts_refresh, and waiting local actions are
 * applied again over the fresher copy. */
static int
after_write(struct store *st, struct store_batch *g, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (g->n_written == 0)
		return 0;
	buf_addc(&g->written, ']');
	s = store_prepare(st, "INSERT OR IGNORE INTO fts_dirty(ticket_id)"
	    " SELECT value FROM json_each(?1)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, g->written.data, (int)g->written.len,
	    SQLITE_STATIC);
	rc = step_done(st, s, err);
	store_done(st, s);
	if (rc < 0)
		return -1;
	s = store_prepare(st, "SELECT DISTINCT ticket_id FROM outbox"
	    " WHERE state IN " OB_SQL_LIVE
	    " AND ticket_id IN (SELECT value FROM json_each(?1))", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, g->written.data, (int)g->written.len,
	    SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_outbox_reapply(st, sqlite3_column_int64(s, 0),
		    err) < 0) {
			store_done(st, s);
			return -1;
		}
	}
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return 0;
}


/*
 * After a batch: the classification of the tickets it wrote goes here
 * (one call per batch).
 */
int
store_batch_end(struct store_batch *b, struct tdesk_err *err)
{
	struct store *st = b->st;

	if (after_write(st, b, err) < 0) {
		store_batch_abort(b);
		return -1;
	}
	for (size_t i = 0; i < ARRAY_LEN(b->s); i++)
		buf_free(&b->s[i]);
	batch_free(b);
	return store_commit(st, err);
}

/* The rows derived from the changed tickets' columns: tags and SLA
 * targets. */
static int
fts_derived_rows(struct store *st, struct tdesk_err *err)
{
	return store_exec(st,
	    "DELETE FROM ticket_tags WHERE ticket_id IN"
	    " (SELECT ticket_id FROM fts_dirty);"
	    "INSERT OR IGNORE INTO ticket_tags(tag, ticket_id)"
	    " SELECT j.value, t.id FROM fts_dirty d"
	    /* CROSS JOIN keeps the dirty few outside: with JOIN the planner
	     * scanned every ticket (130 ms at 100k tickets per sync) */
	    " CROSS JOIN tickets t ON t.id = d.ticket_id,"
	    " json_each('[\"' || replace(trim(t.tags), ' ', '\",\"') || '\"]') j"
	    " WHERE t.tags <> '' AND j.value <> '';"
	    "DELETE FROM slas WHERE ticket_id IN"
	    " (SELECT ticket_id FROM fts_dirty);"
	    "INSERT OR REPLACE INTO slas(ticket_id, metric, stage, breach_at)"
	    " SELECT t.id, j.value ->> 0, j.value ->> 1, j.value ->> 2"
	    " FROM fts_dirty d CROSS JOIN tickets t ON t.id = d.ticket_id,"
	    " json_each(t.sla_json) j WHERE t.sla_json <> ''",
	    err);
}

/* The statements of one full-text refresh. */
struct fts_stmts {
	sqlite3_stmt *tk, *cm, *ins;
	struct buf subj, body;
};

/* Index one ticket again: its subject, description and comments (CJK
 * split into words), or nothing when it is gone. */
static int
fts_index_one(struct store *st, struct fts_stmts *f, int64_t id,
    struct tdesk_err *err)
{
	buf_reset(&f->subj);
	buf_reset(&f->body);
	sqlite3_bind_int64(f->tk, 1, id);
	if (sqlite3_step(f->tk) != SQLITE_ROW) {
		sqlite3_reset(f->tk);
		sqlite3_stmt *del = store_prepare(st, "DELETE FROM "
		    "ticket_fts WHERE rowid = ?1", err);
		if (del == NULL)
			return -1;
		sqlite3_bind_int64(del, 1, id);
		sqlite3_step(del);
		store_done(st, del);
		return 0;
	}
	text_cjk_split(&f->subj, store_col_text(f->tk, 0),
	    (size_t)sqlite3_column_bytes(f->tk, 0));
	text_cjk_split(&f->body, store_col_text(f->tk, 1),
	    (size_t)sqlite3_column_bytes(f->tk, 1));
	sqlite3_reset(f->tk);
	sqlite3_bind_int64(f->cm, 1, id);
	while (sqlite3_step(f->cm) == SQLITE_ROW) {
		buf_addc(&f->body, '\n');
		text_cjk_split(&f->body, store_col_text(f->cm, 0),
		    (size_t)sqlite3_column_bytes(f->cm, 0));
	}
	sqlite3_reset(f->cm);
	sqlite3_bind_int64(f->ins, 1, id);
	sqlite3_bind_text(f->ins, 2, f->subj.data ? f->subj.data : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(f->ins, 3, f->body.data ? f->body.data : "", -1,
	    SQLITE_STATIC);
	return step_done(st, f->ins, err);
}

/*
 * The derived rows (tags, SLA targets, full text) of the tickets marked in
 * fts_dirty, then their classification (store/triage.c): one transaction,
 * so a sync's refresh costs one commit (one fsync), not two.
 */
int
store_fts_refresh(struct store *st, struct tdesk_err *err)
{
	struct fts_stmts f = { .subj = BUF_INIT, .body = BUF_INIT };
	sqlite3_stmt *ids = NULL;
	int rc = -1, step;

	if (st->readonly)
		return 0;
	if (store_begin(st, err) < 0)
		return -1;
	if (fts_derived_rows(st, err) < 0)
		goto fail;
	if ((ids = store_prepare(st, "SELECT ticket_id FROM fts_dirty",
	    err)) == NULL ||
	    (f.tk = store_prepare(st, "SELECT subject, description FROM"
	    " tickets WHERE id = ?1", err)) == NULL ||
	    (f.cm = store_prepare(st, "SELECT body FROM comments"
	    " WHERE ticket_id = ?1 ORDER BY created_at, id", err)) == NULL ||
	    (f.ins = store_prepare(st, "INSERT OR REPLACE INTO"
	    " ticket_fts(rowid, subject, body) VALUES(?1, ?2, ?3)", err)) ==
	    NULL)
		goto fail;
	while ((step = sqlite3_step(ids)) == SQLITE_ROW)
		if (fts_index_one(st, &f, sqlite3_column_int64(ids, 0),
		    err) < 0)
			goto fail;
	if (step != SQLITE_DONE) {
		store_dberr(st, err, "cannot index");
		goto fail;
	}
	store_done(st, ids);
	ids = NULL;
	/* triage: classify what changed (store/triage.c), in the same
	 * transaction */
	if (store_exec(st, "DELETE FROM fts_dirty", err) < 0 ||
	    store_classify_dirty(st, err) < 0)
		goto fail;
	rc = store_commit(st, err);
	goto out;
fail:
	store_rollback(st);
out:
	store_done(st, ids);
	store_done(st, f.tk);
	store_done(st, f.cm);
	store_done(st, f.ins);
	buf_free(&f.subj);
	buf_free(&f.body);
	return rc;
}
