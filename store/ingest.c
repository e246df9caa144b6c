/* SPDX-License-Identifier: MIT */
/*
 * Ingest of Zendesk-shaped JSON pages into the replica, with SQLite's JSON
 * functions as the only parser: one json_tree() pass over the page, read
 * node by node in C, then batched upserts in one transaction. Customer
 * text is sanitised here, once, on its way in.
 */
#include "store/store_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a JSON node is to us, by its place in the page. */
enum role {
	R_IGNORE = 0,
	R_ROOT,
	R_TICKETS,
	R_TICKET,
	R_VIA,
	R_VIASRC,
	R_TTAGS,
	R_SLAS,
	R_PMS,
	R_PM,
	R_USERS,
	R_USER,
	R_UTAGS,
	R_GROUPS,
	R_GROUP,
	R_COMMENTS,
	R_COMMENT,
};

/* Strings live in one arena; fields hold offset + 1 (0: absent). */
struct tk {
	int64_t id, requester_id, assignee_id, group_id;
	int64_t created_at, updated_at, sla;
	size_t subject, description, status, priority, type, channel;
	size_t via_rel;		/* e.g. "telegram" for any_channel */
	struct buf tags;	/* " a b " */
	size_t first_sla, n_sla;
	struct store_secrets sec;	/* found in subject and description */
};

struct sla {
	size_t metric, stage;
	int64_t breach_at;	/* 0: none */
};

struct usr {
	int64_t id;
	size_t name, email, role, locale;
	int vip;
};

struct grp {
	int64_t id;
	size_t name;
};

struct cmt {
	int64_t id, author_id, created_at;
	size_t body, plain_body;
	int public;
};

struct page {
	struct buf arena;
	unsigned char *roles;
	size_t n_roles;
	struct tk *tk;
	size_t n_tk, cap_tk;
	struct sla *sla;
	size_t n_sla, cap_sla;
	struct usr *usr;
	size_t n_usr, cap_usr;
	struct grp *grp;
	size_t n_grp, cap_grp;
	struct cmt *cmt;
	size_t n_cmt, cap_cmt;
	struct store *st;
	struct store_secrets sec, *cur;	/* secrets found: the page's, or
					 * the ticket being read */
};

#define GROW(arr, n, cap) do {						\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : 64;				\
		(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));	\
	}								\
	memset(&(arr)[(n)], 0, sizeof(*(arr)));				\
} while (0)

#define REDACT 2	/* sanitize: also redact secrets (customer text) */

static size_t
arena_add(struct page *pg, const char *s, size_t len, int sanitize,
    int keep_newlines)
{
	size_t off = pg->arena.len;

	if (sanitize == REDACT && pg->st) {
		/* customer text: secrets out first, then made safe */
		struct buf red = BUF_INIT;
		store_redact_text(pg->st, s, len, &red, pg->cur ? pg->cur :
		    &pg->sec);
		text_sanitize(&pg->arena, red.data, red.len, keep_newlines);
		buf_free(&red);
	} else if (sanitize)
		text_sanitize(&pg->arena, s, len, keep_newlines);
	else
		buf_add(&pg->arena, s, len);
	buf_addc(&pg->arena, '\0');
	return off + 1;
}

static const char *
arena_str(const struct page *pg, size_t off)
{
	return off ? pg->arena.data + off - 1 : NULL;
}

static void
page_free(struct page *pg)
{
	for (size_t i = 0; i < pg->n_tk; i++) {
		buf_free(&pg->tk[i].tags);
		store_secrets_free(&pg->tk[i].sec);
	}
	store_secrets_free(&pg->sec);
	buf_free(&pg->arena);
	free(pg->roles);
	free(pg->tk);
	free(pg->sla);
	free(pg->usr);
	free(pg->grp);
	free(pg->cmt);
}

static void
set_role(struct page *pg, int64_t id, enum role r)
{
	if (id < 0)
		return;
	if ((size_t)id >= pg->n_roles) {
		size_t n = pg->n_roles ? pg->n_roles : 1024;
		while (n <= (size_t)id)
			n *= 2;
		pg->roles = xrealloc(pg->roles, n);
		memset(pg->roles + pg->n_roles, 0, n - pg->n_roles);
		pg->n_roles = n;
	}
	pg->roles[id] = (unsigned char)r;
}

static enum role
get_role(const struct page *pg, int64_t id)
{
	if (id < 0 || (size_t)id >= pg->n_roles)
		return R_IGNORE;
	return (enum role)pg->roles[id];
}

/* The columns of one json_tree row. */
struct row {
	int64_t id, parent;
	const char *key;	/* NULL for array elements; not NUL-ended */
	size_t key_len;
	int64_t index;
	const char *type;
	const char *atom;	/* not NUL-ended: see page_collect */
	size_t atom_len;
	int64_t ival;
};

static int
is_key(const struct row *r, const char *k)
{
	size_t n = strlen(k);

	return r->key && r->key_len == n && memcmp(r->key, k, n) == 0;
}

/* A short atom as a C string in out; "" when absent or too long. */
static const char *
row_cstr(const struct row *r, char *out, size_t size)
{
	if (r->atom == NULL || r->atom_len >= size) {
		out[0] = '\0';
	} else {
		memcpy(out, r->atom, r->atom_len);
		out[r->atom_len] = '\0';
	}
	return out;
}

static int64_t
row_time(const struct row *r)
{
	char s[48];
	int64_t t;

	if (r->type[0] == 't' && time_parse_iso(row_cstr(r, s, sizeof(s)),
	    &t) == 0)
		return t;
	return 0;
}

static int64_t
row_int(const struct row *r)
{
	char s[32];

	if (r->type[0] == 'i')
		return r->ival;
	if (r->type[0] == 't')
		return strtoll(row_cstr(r, s, sizeof(s)), NULL, 10);
	return 0;
}

static size_t
row_str(struct page *pg, const struct row *r, int sanitize, int nl)
{
	if (r->atom == NULL || r->type[0] == 'n')
		return 0;
	return arena_add(pg, r->atom, r->atom_len, sanitize, nl);
}

static void
ticket_field(struct page *pg, struct tk *t, const struct row *r)
{
	const char *k = r->key;

	if (k == NULL || r->key_len == 0)
		return;
	switch (k[0]) {
	case 'a':
		if (is_key(r, "assignee_id"))
			t->assignee_id = row_int(r);
		break;
	case 'c':
		if (is_key(r, "created_at"))
			t->created_at = row_time(r);
		break;
	case 'd':
		if (is_key(r, "description")) {
			pg->cur = &t->sec;
			t->description = row_str(pg, r, REDACT, 1);
			pg->cur = NULL;
		}
		break;
	case 'g':
		if (is_key(r, "group_id"))
			t->group_id = row_int(r);
		break;
	case 'i':
		if (is_key(r, "id"))
			t->id = row_int(r);
		break;
	case 'p':
		if (is_key(r, "priority"))
			t->priority = row_str(pg, r, 1, 0);
		break;
	case 'r':
		if (is_key(r, "requester_id"))
			t->requester_id = row_int(r);
		break;
	case 's':
		if (is_key(r, "subject")) {
			pg->cur = &t->sec;
			t->subject = row_str(pg, r, REDACT, 0);
			pg->cur = NULL;
		}
		else if (is_key(r, "status"))
			t->status = row_str(pg, r, 1, 0);
		break;
	case 't':
		if (is_key(r, "type"))
			t->type = row_str(pg, r, 1, 0);
		break;
	case 'u':
		if (is_key(r, "updated_at"))
			t->updated_at = row_time(r);
		break;
	}
}

static void
add_tag(struct buf *tags, const char *tag, size_t len)
{
	/* tags are lower case, without spaces (Zendesk splits on them) */
	if (tags->len == 0)
		buf_addc(tags, ' ');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)tag[i];
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

/* Walk the page once; fill pg. Returns -1 on invalid JSON. */
static int
page_collect(struct store *st, struct page *pg, const char *json, size_t len,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st,
	    /* every node: filtering in SQL would make json_tree build the
	     * key of each, which costs more than skipping them here */
	    "SELECT id, parent, key, type, atom FROM json_tree(?1)", err);
	struct tk *t = NULL;
	struct usr *u = NULL;
	struct sla *pm = NULL;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, json, (int)len, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct row r;
		r.id = sqlite3_column_int64(s, 0);
		r.parent = sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(s, 1);
		/*
		 * Blobs, not text: asking SQLite for text would copy every
		 * string once more just to add a NUL.
		 */
		if (sqlite3_column_type(s, 2) == SQLITE_TEXT) {
			r.key = sqlite3_column_blob(s, 2);
			r.key_len = (size_t)sqlite3_column_bytes(s, 2);
			r.index = -1;
		} else {
			r.key = NULL;
			r.key_len = 0;
			r.index = sqlite3_column_int64(s, 2);
		}
		r.type = (const char *)sqlite3_column_text(s, 3);
		if (r.type == NULL)
			r.type = "null";
		r.ival = 0;
		if (r.type[0] == 'i')
			r.ival = sqlite3_column_int64(s, 4);
		r.atom = sqlite3_column_blob(s, 4);
		r.atom_len = (size_t)sqlite3_column_bytes(s, 4);

		int obj = r.type[0] == 'o', arr = r.type[0] == 'a';
		enum role pr = r.parent < 0 ? R_IGNORE : get_role(pg, r.parent);

		if (r.parent < 0) {
			if (!obj) {
				store_done(st, s);
				return err_set(err, TDESK_EGENERIC, "unexpected "
				    "JSON from the server: not an object");
			}
			set_role(pg, r.id, R_ROOT);
			continue;
		}
		switch (pr) {
		case R_ROOT:
			if (arr && (is_key(&r, "tickets") ||
			    is_key(&r, "results")))
				set_role(pg, r.id, R_TICKETS);
			else if (obj && is_key(&r, "ticket"))
				goto new_ticket;
			else if (arr && is_key(&r, "users"))
				set_role(pg, r.id, R_USERS);
			else if (obj && is_key(&r, "user"))
				goto new_user;
			else if (arr && is_key(&r, "groups"))
				set_role(pg, r.id, R_GROUPS);
			else if (arr && is_key(&r, "comments"))
				set_role(pg, r.id, R_COMMENTS);
			break;
		case R_TICKETS:
			if (!obj)
				break;
		new_ticket:
			set_role(pg, r.id, R_TICKET);
			GROW(pg->tk, pg->n_tk, pg->cap_tk);
			t = &pg->tk[pg->n_tk++];
			t->sla = SLA_NONE;
			t->first_sla = pg->n_sla;
			break;
		case R_TICKET:
			if (obj && is_key(&r, "via"))
				set_role(pg, r.id, R_VIA);
			else if (arr && is_key(&r, "tags"))
				set_role(pg, r.id, R_TTAGS);
			else if (obj && is_key(&r, "slas"))
				set_role(pg, r.id, R_SLAS);
			else if (!obj && !arr)
				ticket_field(pg, t, &r);
			break;
		case R_VIA:
			if (is_key(&r, "channel") && r.atom)
				t->channel = row_str(pg, &r, 1, 0);
			else if (obj && is_key(&r, "source"))
				set_role(pg, r.id, R_VIASRC);
			break;
		case R_VIASRC:
			if (is_key(&r, "rel") && r.atom && r.type[0] == 't')
				t->via_rel = row_str(pg, &r, 1, 0);
			break;
		case R_TTAGS:
			if (r.atom && r.type[0] == 't')
				add_tag(&t->tags, r.atom, r.atom_len);
			break;
		case R_SLAS:
			if (arr && is_key(&r, "policy_metrics"))
				set_role(pg, r.id, R_PMS);
			break;
		case R_PMS:
			if (!obj)
				break;
			set_role(pg, r.id, R_PM);
			GROW(pg->sla, pg->n_sla, pg->cap_sla);
			pm = &pg->sla[pg->n_sla++];
			t->n_sla++;
			break;
		case R_PM:
			if (is_key(&r, "breach_at"))
				pm->breach_at = row_time(&r);
			else if (is_key(&r, "stage"))
				pm->stage = row_str(pg, &r, 0, 0);
			else if (is_key(&r, "metric"))
				pm->metric = row_str(pg, &r, 0, 0);
			break;
		case R_USERS:
			if (!obj)
				break;
		new_user:
			set_role(pg, r.id, R_USER);
			GROW(pg->usr, pg->n_usr, pg->cap_usr);
			u = &pg->usr[pg->n_usr++];
			break;
		case R_USER:
			if (arr && is_key(&r, "tags"))
				set_role(pg, r.id, R_UTAGS);
			else if (is_key(&r, "id"))
				u->id = row_int(&r);
			else if (is_key(&r, "name"))
				u->name = row_str(pg, &r, REDACT, 0);
			else if (is_key(&r, "email"))
				u->email = row_str(pg, &r, 1, 0);
			else if (is_key(&r, "role"))
				u->role = row_str(pg, &r, 1, 0);
			else if (is_key(&r, "locale"))
				u->locale = row_str(pg, &r, 1, 0);
			break;
		case R_UTAGS:
			if (r.atom && r.atom_len == 3 &&
			    strncasecmp(r.atom, "vip", 3) == 0)
				u->vip = 1;
			break;
		case R_GROUPS:
			if (obj) {
				set_role(pg, r.id, R_GROUP);
				GROW(pg->grp, pg->n_grp, pg->cap_grp);
				pg->n_grp++;
			}
			break;
		case R_GROUP:
			if (is_key(&r, "id"))
				pg->grp[pg->n_grp - 1].id = row_int(&r);
			else if (is_key(&r, "name"))
				pg->grp[pg->n_grp - 1].name =
				    row_str(pg, &r, 1, 0);
			break;
		case R_COMMENTS:
			if (obj) {
				set_role(pg, r.id, R_COMMENT);
				GROW(pg->cmt, pg->n_cmt, pg->cap_cmt);
				pg->cmt[pg->n_cmt++].public = 1;
			}
			break;
		case R_COMMENT: {
			struct cmt *c = &pg->cmt[pg->n_cmt - 1];
			if (is_key(&r, "id"))
				c->id = row_int(&r);
			else if (is_key(&r, "author_id"))
				c->author_id = row_int(&r);
			else if (is_key(&r, "created_at"))
				c->created_at = row_time(&r);
			else if (is_key(&r, "public"))
				c->public = r.type[0] != 'f';
			else if (is_key(&r, "body"))
				c->body = row_str(pg, &r, REDACT, 1);
			else if (is_key(&r, "plain_body"))
				c->plain_body = row_str(pg, &r, REDACT,
				    1);
			break;
		}
		default:
			break;
		}
	}
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		if (strstr(sqlite3_errmsg(st->db), "malformed JSON"))
			return err_set(err, TDESK_EGENERIC,
			    "invalid JSON from the server (%zu bytes)", len);
		return store_dberr(st, err, "cannot read JSON in");
	}
	return 0;
}

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

/* Prepared statements of one ingest. */
struct ing {
	sqlite3_stmt *user, *group, *ticket, *comment;
	struct buf written;	/* JSON array of the ticket ids written */
	size_t n_written;
};

static void
ing_free(struct store *st, struct ing *g)
{
	sqlite3_stmt **all[] = { &g->user, &g->group, &g->ticket,
	    &g->comment };

	for (size_t i = 0; i < ARRAY_LEN(all); i++) {
		store_done(st, *all[i]);
		*all[i] = NULL;
	}
	buf_free(&g->written);
	g->n_written = 0;
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

static int
write_users(struct store *st, struct ing *g, struct page *pg,
    struct tdesk_err *err)
{
	for (size_t i = 0; i < pg->n_usr; i++) {
		const struct usr *u = &pg->usr[i];
		if (u->id <= 0)
			continue;
		if (g->user == NULL && (g->user = store_prepare(st,
		    "INSERT INTO users(id, name, email, role, locale, vip)"
		    " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE"
		    " SET name = excluded.name, email = excluded.email,"
		    " role = excluded.role, locale = excluded.locale,"
		    " vip = excluded.vip", err)) == NULL)
			return -1;
		sqlite3_bind_int64(g->user, 1, u->id);
		sqlite3_bind_text(g->user, 2, u->name ? arena_str(pg, u->name) :
		    "", -1, SQLITE_STATIC);
		sqlite3_bind_text(g->user, 3, u->email ?
		    arena_str(pg, u->email) : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(g->user, 4, u->role ? arena_str(pg, u->role) :
		    "end-user", -1, SQLITE_STATIC);
		sqlite3_bind_text(g->user, 5, u->locale ?
		    arena_str(pg, u->locale) : "", -1, SQLITE_STATIC);
		sqlite3_bind_int(g->user, 6, u->vip);
		if (step_done(st, g->user, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < pg->n_grp; i++) {
		const struct grp *gr = &pg->grp[i];
		if (gr->id <= 0)
			continue;
		if (g->group == NULL && (g->group = store_prepare(st,
		    "INSERT INTO groups(id, name) VALUES(?1, ?2)"
		    " ON CONFLICT(id) DO UPDATE SET name = excluded.name",
		    err)) == NULL)
			return -1;
		sqlite3_bind_int64(g->group, 1, gr->id);
		sqlite3_bind_text(g->group, 2, gr->name ?
		    arena_str(pg, gr->name) : "", -1, SQLITE_STATIC);
		if (step_done(st, g->group, err) < 0)
			return -1;
	}
	return 0;
}

/* Re-apply waiting local actions on top of a fresher remote copy. */
int store_outbox_reapply(struct store *st, int64_t ticket_id,
    struct tdesk_err *err);

/* The SLA targets as [[metric, stage, breach_at], ...] for the slas table,
 * built from names that are plain words. */
static void
sla_json(struct buf *out, const struct page *pg, const struct tk *t)
{
	const char *ok = "abcdefghijklmnopqrstuvwxyz_";
	int n = 0;

	buf_reset(out);
	for (size_t i = 0; i < t->n_sla; i++) {
		const struct sla *m = &pg->sla[t->first_sla + i];
		const char *metric = arena_str(pg, m->metric);
		const char *stage = arena_str(pg, m->stage);
		if (metric == NULL || strspn(metric, ok) != strlen(metric))
			continue;
		if (stage == NULL || strspn(stage, ok) != strlen(stage))
			stage = "";
		buf_printf(out, "%s[\"%s\",\"%s\",", n++ ? "," : "[", metric,
		    stage);
		if (m->breach_at)
			buf_printf(out, "%lld]", (long long)m->breach_at);
		else
			buf_adds(out, "null]");
	}
	if (n)
		buf_addc(out, ']');
}

static int
write_ticket(struct store *st, struct ing *g, struct page *pg, struct tk *t,
    struct store_ingest_stats *stats, struct tdesk_err *err)
{
	const char *status = arena_str(pg, t->status);
	const char *prio = arena_str(pg, t->priority);
	const char *subj = arena_str(pg, t->subject);
	const char *desc = arena_str(pg, t->description);
	struct buf slas = BUF_INIT;
	int srank, prank, rc;

	if (t->id <= 0)
		return err_set(err, TDESK_EGENERIC, "unexpected JSON from the "
		    "server: a ticket without an id");
	stats->tickets++;
	if (t->updated_at > stats->max_updated)
		stats->max_updated = t->updated_at;
	if (t->updated_at && (stats->min_updated == 0 ||
	    t->updated_at < stats->min_updated))
		stats->min_updated = t->updated_at;
	if (stats->ids) {
		struct buf *b = stats->ids;
		if (b->len && b->data[b->len - 1] == ']')
			b->data[--b->len] = '\0';
		buf_printf(b, "%s%lld]", b->len ? "," : "[",
		    (long long)t->id);
	}
	if (status == NULL || (srank = store_status_rank(status)) < 0) {
		/* "deleted" (exports) or an unknown custom status */
		status = status ? status : "new";
		srank = strcmp(status, "deleted") == 0 ? 6 : 1;
	}
	if ((prank = store_priority_rank(prio)) < 0)
		prank = 0;
	for (size_t i = 0; i < t->n_sla; i++) {
		const struct sla *m = &pg->sla[t->first_sla + i];
		const char *stage = arena_str(pg, m->stage);
		if (m->breach_at && (stage == NULL ||
		    strcmp(stage, "active") == 0) && m->breach_at < t->sla)
			t->sla = m->breach_at;
	}
	if (g->ticket == NULL && (g->ticket = store_prepare(st,
	    "INSERT INTO tickets(id, subject, description, status, status_rank,"
	    " priority, priority_rank, type, channel, requester_id,"
	    " assignee_id, group_id, tags, lang, vip, urgent, created_at,"
	    " updated_at, sla_breach_at, sla_json) VALUES(?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    /* the requester's locale decides, unless the text is CJK */
	    " CASE WHEN ?14 THEN 'zh' ELSE coalesce((SELECT CASE"
	    "  WHEN locale LIKE 'zh%' THEN 'zh' WHEN locale = '' THEN NULL"
	    "  ELSE lower(substr(locale, 1, instr(replace(locale, '_', '-')"
	    "  || '-', '-') - 1)) END FROM users WHERE id = ?10), 'en') END,"
	    " ?15 OR coalesce((SELECT vip FROM users WHERE id = ?10), 0),"
	    " ?16, ?17, ?18, ?19, ?20)"
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
	    " sla_json = excluded.sla_json"
	    " WHERE excluded.updated_at >= tickets.updated_at", err)) == NULL)
		return -1;
	sqlite3_stmt *s = g->ticket;
	size_t dlen = desc ? strlen(desc) : 0;
	sla_json(&slas, pg, t);
	sqlite3_bind_int64(s, 1, t->id);
	sqlite3_bind_text(s, 2, subj ? subj : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, desc ? desc : "", (int)dlen, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, srank);
	sqlite3_bind_text(s, 6, prio ? prio : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 7, prank);
	sqlite3_bind_text(s, 8, t->type ? arena_str(pg, t->type) : "", -1,
	    SQLITE_STATIC);
	/* integrations (Telegram, WhatsApp...) arrive as any_channel, the
	 * network named in via.source.rel */
	const char *channel = t->channel ? arena_str(pg, t->channel) : "";
	if (t->via_rel && strcmp(channel, "any_channel") == 0)
		channel = arena_str(pg, t->via_rel);
	sqlite3_bind_text(s, 9, channel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 10, t->requester_id);
	sqlite3_bind_int64(s, 11, t->assignee_id);
	sqlite3_bind_int64(s, 12, t->group_id);
	sqlite3_bind_text(s, 13, t->tags.len ? t->tags.data : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(s, 14, (subj && text_has_cjk(subj, strlen(subj))) ||
	    (desc && text_has_cjk(desc, dlen < 512 ? dlen : 512)));
	sqlite3_bind_int(s, 15, t->tags.len &&
	    strstr(t->tags.data, " vip ") != NULL);
	sqlite3_bind_int(s, 16, prank == 4 || mentions_urgency(subj));
	sqlite3_bind_int64(s, 17, t->created_at);
	sqlite3_bind_int64(s, 18, t->updated_at);
	sqlite3_bind_int64(s, 19, t->sla);
	sqlite3_bind_text(s, 20, slas.len ? slas.data : "", -1,
	    SQLITE_STATIC);
	rc = step_done(st, s, err);
	buf_free(&slas);
	if (rc < 0)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		stats->stale++;
		return 0;
	}
	stats->written++;
	if (store_secrets_flush(st, t->id, &t->sec, err) < 0)
		return -1;
	buf_printf(&g->written, "%s%lld", g->n_written++ ? "," : "[",
	    (long long)t->id);
	return 0;
}

/* Tickets written by a page: their derived rows (tags, SLA targets, full
 * text) are rebuilt by store_fts_refresh, and waiting local actions are
 * applied again over the fresher copy. */
static int
after_write(struct store *st, struct ing *g, struct tdesk_err *err)
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
	    " WHERE state IN ('pending', 'inflight', 'failed', 'conflict')"
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

static int
write_comments(struct store *st, struct ing *g, struct page *pg,
    int64_t ticket_id, struct store_ingest_stats *stats,
    struct tdesk_err *err)
{
	if (g->comment == NULL && (g->comment = store_prepare(st,
	    "INSERT INTO comments(id, ticket_id, author_id, body, public,"
	    " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id)"
	    " DO UPDATE SET body = excluded.body, public = excluded.public,"
	    " author_id = excluded.author_id", err)) == NULL)
		return -1;
	for (size_t i = 0; i < pg->n_cmt; i++) {
		const struct cmt *c = &pg->cmt[i];
		size_t body = c->plain_body ? c->plain_body : c->body;
		if (c->id <= 0)
			return err_set(err, TDESK_EGENERIC, "unexpected JSON "
			    "from the server: a comment without an id");
		sqlite3_bind_int64(g->comment, 1, c->id);
		sqlite3_bind_int64(g->comment, 2, ticket_id);
		sqlite3_bind_int64(g->comment, 3, c->author_id);
		sqlite3_bind_text(g->comment, 4, body ? arena_str(pg, body) :
		    "", -1, SQLITE_STATIC);
		sqlite3_bind_int(g->comment, 5, c->public);
		sqlite3_bind_int64(g->comment, 6, c->created_at);
		if (step_done(st, g->comment, err) < 0)
			return -1;
		stats->comments++;
	}
	sqlite3_stmt *s = store_prepare(st,
	    "DELETE FROM comments WHERE ticket_id = ?1 AND id < 0 AND"
	    " outbox_id IN (SELECT id FROM outbox WHERE state = 'done')", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	int rc = step_done(st, s, err);
	store_done(st, s);
	if (rc < 0)
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

/*
 * SQLite cuts a JSON string at an escaped NUL (\u0000), which would lose
 * the rest of a customer's message: make such NULs U+2400 (a visible
 * symbol) first. Returns a copy, or NULL when the page has none.
 */
static char *
defuse_nul(const char *json, size_t len)
{
	const char *p = memmem(json, len, "\\u0000", 6);
	char *copy;

	if (p == NULL)
		return NULL;
	copy = xstrndup(json, len);
	for (char *q = copy + (p - json); q; q = memmem(q + 1,
	    len - (size_t)(q + 1 - copy), "\\u0000", 6)) {
		/* an escape only after an even number of backslashes */
		size_t bs = 0;
		while (q - bs > copy && q[-1 - (ptrdiff_t)bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			memcpy(q, "\\u2400", 6);
		if ((size_t)(q + 1 - copy) >= len)
			break;
	}
	return copy;
}

static int
ingest(struct store *st, const char *json, size_t len, int64_t ticket_id,
    struct store_ingest_stats *stats, struct tdesk_err *err)
{
	struct store_ingest_stats local = { 0 };
	struct page pg = { .st = st };
	struct ing g = { 0 };
	int rc = -1;

	if (stats == NULL)
		stats = &local;
	if (len > INT32_MAX)
		return err_set(err, TDESK_EGENERIC, "JSON page too large "
		    "(%zu bytes)", len);
	char *defused = defuse_nul(json, len);
	int collected = page_collect(st, &pg, defused ? defused : json, len,
	    err);
	free(defused);
	if (collected < 0)
		goto out;
	if (store_begin(st, err) < 0)
		goto out;
	if (write_users(st, &g, &pg, err) < 0)
		goto fail;
	for (size_t i = 0; i < pg.n_tk; i++)
		if (write_ticket(st, &g, &pg, &pg.tk[i], stats, err) < 0)
			goto fail;
	if (after_write(st, &g, err) < 0)
		goto fail;
	if (ticket_id && write_comments(st, &g, &pg, ticket_id, stats,
	    err) < 0)
		goto fail;
	if (store_secrets_flush(st, ticket_id, &pg.sec, err) < 0)
		goto fail;
	ing_free(st, &g);
	if (store_commit(st, err) < 0)
		goto out;
	stats->users += (int64_t)pg.n_usr;
	stats->bytes += (int64_t)len;
	rc = 0;
	goto out;
fail:
	ing_free(st, &g);
	store_rollback(st);
out:
	ing_free(st, &g);
	page_free(&pg);
	return rc;
}

int
store_ingest_page(struct store *st, const char *json, size_t len,
    struct store_ingest_stats *stats, struct tdesk_err *err)
{
	return ingest(st, json, len, 0, stats, err);
}

int
store_ingest_comments(struct store *st, int64_t ticket_id, const char *json,
    size_t len, struct store_ingest_stats *stats, struct tdesk_err *err)
{
	if (ticket_id <= 0)
		BUG("ingest comments without a ticket");
	return ingest(st, json, len, ticket_id, stats, err);
}

int
store_fts_refresh(struct store *st, struct tdesk_err *err)
{
	sqlite3_stmt *ids = NULL, *tk = NULL, *cm = NULL, *ins = NULL;
	struct buf subj = BUF_INIT, body = BUF_INIT;
	int rc = -1, step;

	if (st->readonly)
		return 0;
	if (store_begin(st, err) < 0)
		return -1;
	/* the rows derived from changed tickets: tags and SLA targets */
	if (store_exec(st,
	    "DELETE FROM ticket_tags WHERE ticket_id IN"
	    " (SELECT ticket_id FROM fts_dirty);"
	    "INSERT OR IGNORE INTO ticket_tags(tag, ticket_id)"
	    " SELECT j.value, t.id FROM fts_dirty d"
	    " JOIN tickets t ON t.id = d.ticket_id,"
	    " json_each('[\"' || replace(trim(t.tags), ' ', '\",\"') || '\"]') j"
	    " WHERE t.tags <> '' AND j.value <> '';"
	    "DELETE FROM slas WHERE ticket_id IN"
	    " (SELECT ticket_id FROM fts_dirty);"
	    "INSERT OR REPLACE INTO slas(ticket_id, metric, stage, breach_at)"
	    " SELECT t.id, j.value ->> 0, j.value ->> 1, j.value ->> 2"
	    " FROM fts_dirty d JOIN tickets t ON t.id = d.ticket_id,"
	    " json_each(t.sla_json) j WHERE t.sla_json <> ''",
	    err) < 0)
		goto fail;
	if ((ids = store_prepare(st, "SELECT ticket_id FROM fts_dirty",
	    err)) == NULL ||
	    (tk = store_prepare(st, "SELECT subject, description FROM tickets"
	    " WHERE id = ?1", err)) == NULL ||
	    (cm = store_prepare(st, "SELECT body FROM comments"
	    " WHERE ticket_id = ?1 ORDER BY created_at, id", err)) == NULL ||
	    (ins = store_prepare(st, "INSERT OR REPLACE INTO"
	    " ticket_fts(rowid, subject, body) VALUES(?1, ?2, ?3)", err)) ==
	    NULL)
		goto fail;
	while ((step = sqlite3_step(ids)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(ids, 0);
		buf_reset(&subj);
		buf_reset(&body);
		sqlite3_bind_int64(tk, 1, id);
		if (sqlite3_step(tk) != SQLITE_ROW) {
			sqlite3_reset(tk);
			sqlite3_stmt *del = store_prepare(st, "DELETE FROM "
			    "ticket_fts WHERE rowid = ?1", err);
			if (del == NULL)
				goto fail;
			sqlite3_bind_int64(del, 1, id);
			sqlite3_step(del);
			store_done(st, del);
			continue;
		}
		text_cjk_split(&subj, store_col_text(tk, 0),
		    (size_t)sqlite3_column_bytes(tk, 0));
		text_cjk_split(&body, store_col_text(tk, 1),
		    (size_t)sqlite3_column_bytes(tk, 1));
		sqlite3_reset(tk);
		sqlite3_bind_int64(cm, 1, id);
		while (sqlite3_step(cm) == SQLITE_ROW) {
			buf_addc(&body, '\n');
			text_cjk_split(&body, store_col_text(cm, 0),
			    (size_t)sqlite3_column_bytes(cm, 0));
		}
		sqlite3_reset(cm);
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_text(ins, 2, subj.data ? subj.data : "", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, body.data ? body.data : "", -1,
		    SQLITE_STATIC);
		if (step_done(st, ins, err) < 0)
			goto fail;
	}
	if (step != SQLITE_DONE) {
		store_dberr(st, err, "cannot index");
		goto fail;
	}
	if (store_exec(st, "DELETE FROM fts_dirty", err) < 0)
		goto fail;
	store_done(st, ids);
	ids = NULL;
	if (store_commit(st, err) < 0)
		goto out;
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	store_done(st, ids);
	store_done(st, tk);
	store_done(st, cm);
	store_done(st, ins);
	buf_free(&subj);
	buf_free(&body);
	return rc;
}
