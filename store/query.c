/* SPDX-License-Identifier: MIT */
/*
 * The query language shared by `tdesk list` and the UI's limit prompt:
 * field terms (status<solved, tag:x, -tag:x, sla<30m ...) and free words or
 * "phrases" searched in subjects and conversations, compiled to one SQL
 * WHERE clause with bound strings.
 */
#include "store/store_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct store_query {
	struct buf where;	/* SQL over alias t; never empty */
	char **binds;		/* ?1.. in where */
	size_t n_binds;
	struct buf fts;		/* positive free-text terms, FTS5 syntax */
	size_t fts_at;		/* where's length before the fts clause */
	int64_t now;
	int kept;		/* only terms on ticket_counts' columns */
};

/* Append a string bind and its placeholder to the WHERE clause. */
static void
bind_str(struct store_query *q, const char *s, size_t len)
{
	q->binds = xrealloc(q->binds, (q->n_binds + 1) * sizeof(*q->binds));
	q->binds[q->n_binds++] = xstrndup(s, len);
	buf_printf(&q->where, "?%zu", q->n_binds);
}

void
store_query_free(struct store_query *q)
{
	if (q == NULL)
		return;
	for (size_t i = 0; i < q->n_binds; i++)
		free(q->binds[i]);
	free(q->binds);
	buf_free(&q->where);
	buf_free(&q->fts);
	free(q);
}

/* A term of the query, with its 1-based column for messages. */
struct term {
	int col;
	int neg;
	const char *field;	/* NULL for free text */
	size_t field_len;
	const char *op;		/* ":", "=", "<", "<=", ">", ">=", "!=" */
	char *value;		/* unquoted */
	int quoted;
};

static int
qerr(struct tdesk_err *err, int col, const char *fmt, const char *arg)
{
	char msg[300];

	snprintf(msg, sizeof(msg), fmt, arg);
	return err_set(err, TDESK_EUSAGE, "query:%d: %s", col, msg);
}

/* Phrase-quote text for FTS5, splitting CJK into single characters. */
static void
fts_phrase(struct buf *out, const char *s, size_t len)
{
	struct buf split = BUF_INIT;

	text_cjk_split(&split, s, len);
	buf_addc(out, '"');
	for (size_t i = 0; i < split.len; i++) {
		if (split.data[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, split.data[i]);
	}
	buf_addc(out, '"');
	buf_free(&split);
}

/*
 * An identifier a customer pastes (a tx hash with or without 0x, a wallet
 * address, an order id, a UID): one ASCII word with a digit in it. Found
 * by prefix, and a hex hash with or without its 0x. Returns 0 when s is
 * not one (then it is an ordinary phrase).
 */
static int
fts_ident(struct buf *out, const char *s)
{
	size_t len = strlen(s), hex;
	const char *h = s;

	if (len < 4 || strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.") != len ||
	    strpbrk(s, "0123456789") == NULL)
		return 0;
	if (h[0] == '0' && (h[1] == 'x' || h[1] == 'X'))
		h += 2;
	hex = strspn(h, "0123456789abcdefABCDEF");
	if (hex >= 8 && h[hex] == '\0') {
		buf_adds(out, "(");
		fts_phrase(out, h, strlen(h));
		buf_adds(out, "* OR \"0x");
		buf_adds(out, h);
		buf_adds(out, "\"*)");
		return 1;
	}
	fts_phrase(out, s, len);
	buf_addc(out, '*');
	return 1;
}

static int
is_op_char(char c)
{
	return c == ':' || c == '=' || c == '<' || c == '>' || c == '!';
}

/* Split the next term off *p. Returns 0 at the end, 1 with a term, -1. */
static int
next_term(const char *text, const char **p, struct term *t,
    struct tdesk_err *err)
{
	const char *s = *p;
	struct buf val = BUF_INIT;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s == '\0')
		return 0;
	memset(t, 0, sizeof(*t));
	t->col = (int)(s - text) + 1;
	if (*s == '-' && s[1] && s[1] != ' ') {
		t->neg = 1;
		s++;
	}
	const char *f = s;
	while (islower((unsigned char)*s) || *s == '_')
		s++;
	if (s > f && is_op_char(*s) && !(s[0] == '!' && s[1] != '=')) {
		t->field = f;
		t->field_len = (size_t)(s - f);
		if (s[0] == '<' && s[1] == '=')
			t->op = "<=";
		else if (s[0] == '>' && s[1] == '=')
			t->op = ">=";
		else if (s[0] == '!' && s[1] == '=')
			t->op = "!=";
		else if (s[0] == '<')
			t->op = "<";
		else if (s[0] == '>')
			t->op = ">";
		else if (s[0] == '=')
			t->op = "=";
		else
			t->op = ":";
		s += strlen(t->op);
	} else {
		s = f;
	}
	if (*s == '"') {
		t->quoted = 1;
		s++;
		while (*s && *s != '"')
			buf_addc(&val, *s++);
		if (*s != '"') {
			buf_free(&val);
			return qerr(err, t->col, "unterminated quote%s", "");
		}
		s++;
	} else {
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			buf_addc(&val, *s++);
	}
	t->value = buf_detach(&val);
	if (t->field && t->value[0] == '\0') {
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)t->field_len,
		    t->field);
		free(t->value);
		return qerr(err, t->col, "'%s' needs a value", name);
	}
	*p = s;
	return 1;
}

static const char *
sql_op(const char *op, int neg)
{
	static const struct { const char *op, *sql, *negsql; } ops[] = {
		{ ":", "=", "<>" }, { "=", "=", "<>" }, { "!=", "<>", "=" },
		{ "<", "<", ">=" }, { "<=", "<=", ">" }, { ">", ">", "<=" },
		{ ">=", ">=", "<" },
	};

	for (size_t i = 0; i < ARRAY_LEN(ops); i++)
		if (strcmp(op, ops[i].op) == 0)
			return neg ? ops[i].negsql : ops[i].sql;
	BUG("unknown operator %s", op);
}

static int
is_eq(const struct term *t)
{
	return t->op[0] == ':' || t->op[0] == '=';
}

/* status / priority: ranks, comma lists for equality */
static int
term_rank(struct store_query *q, const struct term *t, const char *col,
    int (*rank)(const char *), const char *what, struct tdesk_err *err)
{
	char *list = t->value, *save = NULL, *v;
	int first = 1;

	if (!is_eq(t) && strchr(list, ',')) {
		return qerr(err, t->col, "a list of values needs ':' (as in "
		    "%s:open,pending)", what);
	}
	buf_printf(&q->where, "%s(t.%s %s ", t->neg && is_eq(t) ? "NOT " : "",
	    col, is_eq(t) ? "IN (" : sql_op(t->op, t->neg));
	for (v = strtok_r(list, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		int r = rank(strcmp(v, "none") == 0 ? "" : v);
		if (r < 0 || (r == 0 && strcmp(col, "status_rank") &&
		    strcmp(v, "none"))) {
			char msg[200];
			snprintf(msg, sizeof(msg), "unknown %s '%s'", what, v);
			return qerr(err, t->col, "%s", msg);
		}
		buf_printf(&q->where, "%s%d", first ? "" : ", ", r);
		first = 0;
	}
	if (first)
		return qerr(err, t->col, "%s needs a value", what);
	buf_adds(&q->where, is_eq(t) ? "))" : ")");
	return 0;
}

static int
rank_priority(const char *s)
{
	return store_priority_rank(s);
}

/* updated<2h (age), updated<2024-05-01 (date), sla<30m (time left) */
static int
term_time(struct store_query *q, const struct term *t, const char *col,
    int countdown, struct tdesk_err *err)
{
	int64_t v, when;
	const char *op = t->op;

	if (countdown && strcmp(t->value, "breached") == 0 && is_eq(t)) {
		buf_printf(&q->where, "%s(t.sla_breach_at <= %lld)",
		    t->neg ? "NOT " : "", (long long)q->now);
		return 0;
	}
	if (countdown && strcmp(t->value, "none") == 0 && is_eq(t)) {
		buf_printf(&q->where, "(t.sla_breach_at %s %lld)",
		    t->neg ? "<>" : "=", (long long)SLA_NONE);
		return 0;
	}
	if (is_eq(t) || strcmp(op, "!=") == 0)
		return qerr(err, t->col, "compare times with < or >, as in "
		    "%s<2h", countdown ? "sla" : "updated");
	if (time_parse_duration(t->value, &v) == 0) {
		if (countdown) {
			/* time left until the breach */
			when = q->now + v;
		} else {
			/* age: updated<2h means newer than 2h ago */
			when = q->now - v;
			op = op[0] == '<' ? (op[1] ? ">=" : ">") :
			    (op[1] ? "<=" : "<");
		}
	} else if (time_parse_iso(t->value, &when) == 0 || (strlen(t->value) ==
	    10 && ({ char d[32]; snprintf(d, sizeof(d), "%sT00:00:00Z",
	    t->value); time_parse_iso(d, &when) == 0; }))) {
		/* an absolute date or time */
	} else {
		return qerr(err, t->col, "'%s' is not a duration (30m, 2h, 3d) "
		    "or a date (2024-05-01)", t->value);
	}
	buf_printf(&q->where, "%s(t.%s %s %lld%s)", t->neg ? "NOT " : "", col,
	    sql_op(op, 0), (long long)when,
	    countdown ? " AND t.sla_breach_at <> 9223372036854775807" : "");
	return 0;
}

static int
yes_no(const struct term *t, int *out, struct tdesk_err *err)
{
	if (!strcmp(t->value, "yes") || !strcmp(t->value, "true") ||
	    !strcmp(t->value, "1"))
		*out = 1;
	else if (!strcmp(t->value, "no") || !strcmp(t->value, "false") ||
	    !strcmp(t->value, "0"))
		*out = 0;
	else
		return qerr(err, t->col, "expected yes or no, not '%s'",
		    t->value);
	if (t->neg)
		*out = !*out;
	return 0;
}

static int
term_is(struct store_query *q, const struct term *t, struct tdesk_err *err)
{
	static const struct { const char *name, *sql; } is[] = {
		{ "pending", "EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id"
		    " = t.id AND o.state IN " OB_SQL_WAITING ")" },
		{ "conflict", "EXISTS (SELECT 1 FROM outbox o WHERE"
		    " o.ticket_id = t.id AND o.state = " OB_SQL(CONFLICT) ")" },
		{ "failed", "EXISTS (SELECT 1 FROM outbox o WHERE"
		    " o.ticket_id = t.id AND o.state = " OB_SQL(FAILED) ")" },
		{ "open", "t.status_rank < 4" },
		{ "active", "t.status_rank < 4" },
		{ "vip", "t.vip = 1" },
		{ "urgent", "t.urgent = 1" },
		{ "unassigned", "t.assignee_id = 0" },
		{ "mine", "t.assignee_id = (SELECT value FROM sync_state"
		    " WHERE key = 'me.id')" },
		{ "breached", "t.sla_breach_at <= %lld" },
		/* triage (store/triage.c) */
		{ "incident", "t.incident = 1" },
		{ "new", "t.id IN (SELECT ticket_id FROM ticket_class tc WHERE"
		    " " TRIAGE_NEW_SQL("tc") ")" },
		{ "secret", "EXISTS (SELECT 1 FROM secret_flags f WHERE"
		    " f.ticket_id = t.id)" },
	};

	if (!is_eq(t))
		return qerr(err, t->col, "use is:%s", t->value);
	for (size_t i = 0; i < ARRAY_LEN(is); i++) {
		if (strcmp(t->value, is[i].name) == 0) {
			buf_adds(&q->where, t->neg ? "NOT (" : "(");
			if (strstr(is[i].sql, "%lld"))
				buf_printf(&q->where, "t.sla_breach_at <= %lld",
				    (long long)q->now);
			else
				buf_adds(&q->where, is[i].sql);
			buf_addc(&q->where, ')');
			return 0;
		}
	}
	return qerr(err, t->col, "unknown is:%s (pending, conflict, failed, "
	    "open, vip, urgent, unassigned, mine, breached, incident, new, secret)",
	    t->value);
}

/* Equality on a text column or a lookup, with comma lists. */
static int
term_text(struct store_query *q, const struct term *t, const char *sql_fmt)
{
	char *list = t->value, *save = NULL, *v;
	int first = 1;

	buf_adds(&q->where, t->neg ? "NOT (" : "(");
	for (v = strtok_r(list, ",", &save); v; v = strtok_r(NULL, ",", &save)) {
		if (!first)
			buf_adds(&q->where, " OR ");
		first = 0;
		for (const char *f = sql_fmt; *f; f++) {
			if (*f == '?')
				bind_str(q, v, strlen(v));
			else
				buf_addc(&q->where, *f);
		}
	}
	if (first)
		buf_adds(&q->where, "0");
	buf_addc(&q->where, ')');
	return 0;
}

static int
term_who(struct store_query *q, const struct term *t, const char *col)
{
	if (strcmp(t->value, "me") == 0) {
		buf_printf(&q->where, "%s(t.%s = (SELECT value FROM sync_state "
		    "WHERE key = 'me.id'))", t->neg ? "NOT " : "", col);
		return 0;
	}
	if (strcmp(t->value, "none") == 0) {
		buf_printf(&q->where, "(t.%s %s 0)", col, t->neg ? "<>" : "=");
		return 0;
	}
	char fmt[200];
	snprintf(fmt, sizeof(fmt), "t.%s IN (SELECT id FROM users WHERE "
	    "email = ? COLLATE NOCASE OR name = ? COLLATE NOCASE OR "
	    "CAST(id AS TEXT) = ?)", col);
	return term_text(q, t, fmt);
}

static int
term_field(struct store_query *q, struct term *t, struct tdesk_err *err)
{
	char name[32];
	int yn = 0;

	if (t->field_len >= sizeof(name))
		return qerr(err, t->col, "unknown field%s", "");
	memcpy(name, t->field, t->field_len);
	name[t->field_len] = '\0';

	if (!strcmp(name, "status"))
		return term_rank(q, t, "status_rank", store_status_rank,
		    "status", err);
	if (!strcmp(name, "priority"))
		return term_rank(q, t, "priority_rank", rank_priority,
		    "priority", err);
	if (!strcmp(name, "updated"))
		return term_time(q, t, "updated_at", 0, err);
	if (!strcmp(name, "created"))
		return term_time(q, t, "created_at", 0, err);
	if (!strcmp(name, "sla"))
		return term_time(q, t, "sla_breach_at", 1, err);
	if (!strcmp(name, "id")) {
		if (!is_eq(t)) {
			char *end;
			long long v = strtoll(t->value, &end, 10);
			if (*end || end == t->value)
				return qerr(err, t->col, "'%s' is not a ticket "
				    "id", t->value);
			buf_printf(&q->where, "(t.id %s %lld)",
			    sql_op(t->op, t->neg), v);
			return 0;
		}
		return term_text(q, t, "t.id = CAST(? AS INTEGER)");
	}
	/* the rest compare for equality only */
	if (!is_eq(t) && strcmp(t->op, "!=") != 0)
		return qerr(err, t->col, "'%s' compares with ':' only", name);
	if (strcmp(t->op, "!=") == 0)
		t->neg = !t->neg;
	if (!strcmp(name, "tag") || !strcmp(name, "tags"))
		return term_text(q, t, "instr(t.tags, ' ' || lower(?) || ' ')"
		    " > 0");
	if (!strcmp(name, "type"))
		return term_text(q, t, "t.type = lower(?)");
	if (!strcmp(name, "lang"))
		return term_text(q, t, "t.lang = lower(?)");
	if (!strcmp(name, "category") || !strcmp(name, "cat"))
		return term_text(q, t, "t.category = lower(?)");
	if (!strcmp(name, "channel") || !strcmp(name, "via"))
		return term_text(q, t, "t.channel = lower(?)");
	if (!strcmp(name, "group")) {
		if (strcmp(t->value, "none") == 0) {
			buf_printf(&q->where, "(t.group_id %s 0)",
			    t->neg ? "<>" : "=");
			return 0;
		}
		return term_text(q, t, "t.group_id IN (SELECT id FROM groups "
		    "WHERE name = ? COLLATE NOCASE OR CAST(id AS TEXT) = ?)");
	}
	if (!strcmp(name, "assignee"))
		return term_who(q, t, "assignee_id");
	if (!strcmp(name, "requester"))
		return term_who(q, t, "requester_id");
	if (!strcmp(name, "vip") || !strcmp(name, "urgent")) {
		if (yes_no(t, &yn, err) < 0)
			return -1;
		buf_printf(&q->where, "(t.%s = %d)", name, yn);
		return 0;
	}
	if (!strcmp(name, "is"))
		return term_is(q, t, err);
	return qerr(err, t->col, "unknown field '%s' (try status, priority, "
	    "tag, group, assignee, requester, lang, channel, vip, updated, "
	    "sla, category, is)", name);
}

/* Whether t tests only a column of ticket_counts (migration 15): status,
 * assignee and VIP. */
static int
term_kept(const struct term *t)
{
	static const char *const fields[] = { "status", "assignee", "vip" };
	static const char *const is[] = { "mine", "unassigned", "open",
	    "active", "vip" };

	if (t->field == NULL)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(fields); i++)
		if (t->field_len == strlen(fields[i]) &&
		    !strncmp(t->field, fields[i], t->field_len))
			return 1;
	if (t->field_len != 2 || strncmp(t->field, "is", 2) != 0)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(is); i++)
		if (!strcmp(t->value, is[i]))
			return 1;
	return 0;
}

/*
 * The negated free text (neg, "a" OR "b"; freed here): part of the
 * full-text query when there is positive text ("x" NOT ("a" OR "b")), so
 * the index answers it with the rest and a probe of one ticket tests it
 * too; else a clause of the WHERE (every ticket but the hits).
 */
static void
fts_negate(struct store_query *q, struct buf *neg)
{
	if (neg->len == 0) {
		buf_free(neg);
		return;
	}
	if (q->fts.len) {
		struct buf all = BUF_INIT;
		buf_printf(&all, "(%s) NOT (%s)", q->fts.data, neg->data);
		buf_free(&q->fts);
		q->fts = all;
	} else {
		buf_adds(&q->where, " AND t.id NOT IN (SELECT rowid FROM"
		    " ticket_fts WHERE ticket_fts MATCH ");
		bind_str(q, neg->data, neg->len);
		buf_addc(&q->where, ')');
	}
	buf_free(neg);
}

struct store_query *
store_query_parse(const char *text, struct tdesk_err *err)
{
	struct store_query *q = xcalloc(1, sizeof(*q));
	const char *p = text ? text : "";
	struct buf neg = BUF_INIT;	/* negated free text, FTS5 syntax */
	struct term t;
	int rc, n_where = 0;

	q->now = time_now();
	q->kept = 1;
	buf_adds(&q->where, "1");
	if (!utf8_valid(p, strlen(p))) {
		err_set(err, TDESK_EUSAGE, "query: not valid UTF-8");
		goto fail;
	}
	while ((rc = next_term(text ? text : "", &p, &t, err)) == 1) {
		if (!term_kept(&t) && !(t.field == NULL && !t.value[0]))
			q->kept = 0;
		if (t.field == NULL && t.value[0] == '#' && t.value[1] &&
		    strspn(t.value + 1, "0123456789") == strlen(t.value + 1)) {
			buf_printf(&q->where, " AND %s(t.id = %s)",
			    t.neg ? "NOT " : "", t.value + 1);
		} else if (t.field == NULL) {
			if (t.value[0] == '\0') {
				free(t.value);
				continue;
			}
			if (t.neg) {
				if (neg.len)
					buf_adds(&neg, " OR ");
				fts_phrase(&neg, t.value, strlen(t.value));
			} else {
				/* an explicit AND: FTS5 reads "a" (b OR c)
				 * as a syntax error */
				if (q->fts.len)
					buf_adds(&q->fts, " AND ");
				if (!fts_ident(&q->fts, t.value))
					fts_phrase(&q->fts, t.value,
					    strlen(t.value));
			}
		} else {
			buf_adds(&q->where, " AND ");
			if (term_field(q, &t, err) < 0) {
				free(t.value);
				goto fail;
			}
		}
		n_where++;
		free(t.value);
	}
	if (rc < 0)
		goto fail;
	fts_negate(q, &neg);
	q->fts_at = q->where.len;
	if (q->fts.len) {
		buf_adds(&q->where, " AND t.id IN (SELECT rowid FROM ticket_fts"
		    " WHERE ticket_fts MATCH ");
		bind_str(q, q->fts.data, q->fts.len);
		buf_addc(&q->where, ')');
	}
	(void)n_where;
	return q;
fail:
	buf_free(&neg);
	store_query_free(q);
	return NULL;
}

int
store_query_kept(const struct store_query *q)
{
	return q == NULL || q->kept;
}

int
store_query_searches(const struct store_query *q)
{
	return q && strstr(q->where.data, "ticket_fts") != NULL;
}

/* For ticket.c: the positive free-text terms as one FTS5 query, or NULL
 * (how many tickets a search can match at most). */
const char *
store_query_fts(const struct store_query *q)
{
	return q && q->fts.len ? q->fts.data : NULL;
}

int
store_query_fts_bind(const struct store_query *q)
{
	return q && q->fts.len ? (int)q->n_binds : 0;
}

/* For ticket.c: how much of the WHERE clause holds all but the positive
 * free-text terms (its first *len bytes), for a caller that tests those
 * itself. */
const char *
store_query_where_plain(const struct store_query *q, int *len)
{
	*len = q ? (int)q->fts_at : 1;
	return q ? q->where.data : "1";
}

const char *
store_query_where(const struct store_query *q)
{
	return q ? q->where.data : "1";
}

int
store_query_bind(const struct store_query *q, sqlite3_stmt *s)
{
	if (q == NULL)
		return 0;
	for (size_t i = 0; i < q->n_binds; i++)
		sqlite3_bind_text(s, (int)i + 1, q->binds[i], -1,
		    SQLITE_STATIC);
	return (int)q->n_binds;
}
