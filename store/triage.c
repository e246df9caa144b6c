/* SPDX-License-Identifier: MIT */
/*
 * The desk's side of triage: classifying the tickets ingest marked
 * (class_dirty, filled by triggers), the agent's category overrides,
 * what the customer waits for (their oldest unanswered message, whether
 * they wrote since the agent last looked), and suggested answers.
 */
#include "store/store_int.h"
#include "store/triage.h"
#include "store/class_memo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
store_set_rules(struct store *st, const struct store_rules *r)
{
	st->rules = r;
}

void
store_set_category_field(struct store *st, int64_t field)
{
	st->category_field = field;
}

/* The marked tickets whose category field (a "ID\tVALUE" line of
 * tickets.fields) holds a category another agent (or we) set on the
 * server: it becomes the override, unless an action of ours that sets
 * it still waits. A cleared field leaves the override alone. */
static int
adopt_server_category(struct store *st, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	char id[24];
	int rc;

	if (st->category_field <= 0)
		return 0;
	snprintf(id, sizeof(id), "%lld", (long long)st->category_field);
	s = store_prepare(st, "WITH f AS (SELECT t.id AS tid,"
	    " substr(t.fields, instr(char(10) || t.fields, char(10) || ?1"
	    " || char(9)) + length(?1) + 1) AS rest FROM class_dirty d"
	    /* the dirty few first (JOIN scanned every ticket) */
	    " CROSS JOIN tickets t ON t.id = d.ticket_id"
	    " WHERE instr(char(10) || t.fields, char(10) || ?1 || char(9))),"
	    " v AS (SELECT tid, CASE WHEN instr(rest, char(10))"
	    " THEN substr(rest, 1, instr(rest, char(10)) - 1) ELSE rest END"
	    " AS val FROM f)"
	    " INSERT INTO ticket_class(ticket_id, override) SELECT tid, val"
	    " FROM v WHERE val IN ('account_access', 'kyc', 'deposit',"
	    " 'withdrawal', 'trade', 'security', 'compliance', 'api',"
	    " 'other') AND NOT EXISTS (SELECT 1 FROM outbox o JOIN"
	    " outbox_field g ON g.outbox_id = o.id WHERE o.ticket_id = tid"
	    " AND o.state <> " OB_SQL(DONE) ")"
	    " ON CONFLICT(ticket_id) DO UPDATE SET override = excluded.override"
	    " WHERE override IS NOT excluded.override", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	return 0;
}

/* Whether a comment's author is the customer's side: not an agent or
 * admin, and not a local comment of ours. The author is looked up by id:
 * a list of the agents (NOT IN) was built by a scan of every user at
 * each run, which a refresh of a few tickets paid in full. */
#define CUSTOMER_SQL(c) \
	"(" c ".id > 0 AND NOT EXISTS (SELECT 1 FROM users u" \
	" WHERE u.id = " c ".author_id AND u.role IN ('agent', 'admin')))"

/* The waiting-time columns of the ticket_class rows of the tickets in
 * class_dirty (or of every ticket when all). */
static int
refresh_wait(struct store *st, int all, struct tdesk_err *err)
{
	char sql[2048];

	snprintf(sql, sizeof(sql),
	    "UPDATE ticket_class SET"
	    " last_customer_at = coalesce((SELECT max(c.created_at) FROM"
	    "  comments c WHERE c.ticket_id = ticket_class.ticket_id AND "
	    CUSTOMER_SQL("c") "), 0),"
	    " last_customer_cid = coalesce((SELECT max(c.id) FROM"
	    "  comments c WHERE c.ticket_id = ticket_class.ticket_id AND "
	    CUSTOMER_SQL("c") "), 0),"
	    " first_reply_at = coalesce((SELECT min(c.created_at) FROM"
	    "  comments c WHERE c.ticket_id = ticket_class.ticket_id AND"
	    "  c.public AND NOT " CUSTOMER_SQL("c") " AND c.id > 0), 0),"
	    " waiting_since = coalesce((SELECT min(c.created_at) FROM"
	    "  comments c WHERE c.ticket_id = ticket_class.ticket_id AND "
	    CUSTOMER_SQL("c") " AND c.created_at > coalesce((SELECT"
	    "  max(a.created_at) FROM comments a WHERE a.ticket_id ="
	    "  ticket_class.ticket_id AND a.public AND NOT "
	    CUSTOMER_SQL("a") "), 0)), 0)"
	    /* a ticket without comments keeps its zeros: not rewritten
	     * (an import's tickets have none yet; rewriting each one's row
	     * for nothing cost a thirtieth of the import) */
	    " WHERE (EXISTS (SELECT 1 FROM comments c WHERE"
	    "  c.ticket_id = ticket_class.ticket_id) OR last_customer_at"
	    "  OR last_customer_cid OR first_reply_at OR waiting_since)%s",
	    all ? "" : " AND ticket_id IN (SELECT ticket_id FROM"
	    " class_dirty)");
	return store_exec(st, sql, err);
}

/* Classify the tickets of the statement sel (id, subject, description,
 * lang, channel) and store the results. */
static int
classify_rows(struct store *st, sqlite3_stmt *sel, store_reclass_fn fn,
    void *arg, int64_t *n_seen, struct tdesk_err *err)
{
	sqlite3_stmt *old = NULL, *put = NULL, *tk = NULL;
	int step, rc = -1;

	if ((old = store_prepare(st, "SELECT category, incident, urgent"
	    " FROM ticket_class WHERE ticket_id = ?1", err)) == NULL ||
	    (put = store_prepare(st, "INSERT INTO ticket_class(ticket_id,"
	    " category, incident, urgent, priority, grp, rules)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(ticket_id) DO"
	    " UPDATE SET category = excluded.category,"
	    " incident = excluded.incident, urgent = excluded.urgent,"
	    " priority = excluded.priority, grp = excluded.grp,"
	    " rules = excluded.rules"
	    /* a re-run that changes nothing writes nothing */
	    " WHERE category IS NOT excluded.category OR"
	    " incident IS NOT excluded.incident OR"
	    " urgent IS NOT excluded.urgent OR"
	    " priority IS NOT excluded.priority OR grp IS NOT excluded.grp OR"
	    " rules IS NOT excluded.rules", err)) == NULL ||
	    (tk = store_prepare(st, "UPDATE tickets SET category ="
	    " coalesce((SELECT nullif(override, '') FROM ticket_class WHERE"
	    " ticket_id = ?1), ?2), incident = ?3, urgent = ?4 OR urgent"
	    " WHERE id = ?1 AND (category IS NOT coalesce((SELECT"
	    " nullif(override, '') FROM ticket_class WHERE ticket_id = ?1),"
	    " ?2) OR incident <> ?3 OR (?4 AND NOT urgent))", err)) == NULL)
		goto out;
	while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
		struct store_class c;
		int64_t id = sqlite3_column_int64(sel, 0);
		/* worked out already while importing (class_memo.c)? */
		if (!store_class_memo_take(st, id, store_col_text(sel, 1),
		    (size_t)sqlite3_column_bytes(sel, 1),
		    store_col_text(sel, 2),
		    (size_t)sqlite3_column_bytes(sel, 2), &c))
			store_classify_text(st->rules, store_col_text(sel, 1),
			    store_col_text(sel, 2), store_col_text(sel, 3),
			    store_col_text(sel, 4), &c);
		if (n_seen)
			(*n_seen)++;
		if (fn) {
			char oc[24] = "";
			int oi = 0, ou = 0;
			sqlite3_bind_int64(old, 1, id);
			if (sqlite3_step(old) == SQLITE_ROW) {
				snprintf(oc, sizeof(oc), "%s",
				    store_col_text(old, 0));
				oi = sqlite3_column_int(old, 1);
				ou = sqlite3_column_int(old, 2);
			}
			sqlite3_reset(old);
			if ((strcmp(oc, class_names[c.category]) || oi !=
			    c.incident || ou != c.urgent) && fn(id, oc,
			    class_names[c.category], oi, c.incident, ou,
			    c.urgent, arg))
				fn = NULL;
		}
		sqlite3_bind_int64(put, 1, id);
		sqlite3_bind_text(put, 2, class_names[c.category], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(put, 3, c.incident);
		sqlite3_bind_int(put, 4, c.urgent);
		sqlite3_bind_text(put, 5, c.priority, -1, SQLITE_STATIC);
		sqlite3_bind_text(put, 6, c.group, -1, SQLITE_STATIC);
		sqlite3_bind_text(put, 7, c.rules, -1, SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE) {
			sqlite3_reset(put);
			store_dberr(st, err, "cannot write to");
			goto out;
		}
		sqlite3_reset(put);
		sqlite3_bind_int64(tk, 1, id);
		sqlite3_bind_text(tk, 2, class_names[c.category], -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(tk, 3, c.incident);
		sqlite3_bind_int(tk, 4, c.urgent);
		if (sqlite3_step(tk) != SQLITE_DONE) {
			sqlite3_reset(tk);
			store_dberr(st, err, "cannot write to");
			goto out;
		}
		sqlite3_reset(tk);
	}
	if (step != SQLITE_DONE) {
		store_dberr(st, err, "cannot read");
		goto out;
	}
	rc = 0;
out:
	store_done(st, old);
	store_done(st, put);
	store_done(st, tk);
	return rc;
}

/* One run of the rules over the tickets sel picks, then the waiting
 * times and local SLA targets of the marked tickets (all_sla: every
 * ticket's), in one transaction that empties class_dirty. */
static int
classify_run(struct store *st, const char *from, int all_sla,
    store_reclass_fn fn, void *arg, int64_t *n_seen, struct tdesk_err *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *sel;
	int rc;

	if (store_begin(st, err) < 0) {
		store_class_memo_drop(st);
		return -1;
	}
	buf_printf(&sql, "SELECT t.id, t.subject, t.description, t.lang,"
	    " t.channel FROM %s", from);
	sel = store_prepare(st, sql.data, err);
	buf_free(&sql);
	rc = sel == NULL ? -1 : all_sla ? 0 : adopt_server_category(st, err);
	if (rc == 0)
		rc = classify_rows(st, sel, fn, arg, n_seen, err);
	store_done(st, sel);
	/* waiting times do not depend on the rules: only the marked */
	if (rc == 0 && (refresh_wait(st, 0, err) < 0 ||
	    store_sla_local_refresh(st, all_sla, err) < 0 ||
	    store_exec(st, "DELETE FROM class_dirty", err) < 0))
		rc = -1;
	store_class_memo_drop(st);
	return store_finish(st, rc, err);
}

int
store_classify_dirty(struct store *st, struct tdesk_err *err)
{
	if (st->readonly || st->rules == NULL)
		return 0;
	/* the dirty few drive the join (CROSS JOIN keeps that order): with
	 * JOIN the planner scanned every ticket, a sync's cost growing with
	 * the desk */
	return classify_run(st, "class_dirty d CROSS JOIN tickets t"
	    " ON t.id = d.ticket_id", 0,
	    NULL, NULL, NULL, err);
}

int
store_classify_all(struct store *st, store_reclass_fn fn, void *arg,
    int64_t *n_seen, struct tdesk_err *err)
{
	if (st->rules == NULL)
		return err_set(err, TDESK_EUSAGE, "no rules loaded");
	return classify_run(st, "tickets t ORDER BY t.id", 1, fn, arg, n_seen, err);
}

int
store_ticket_class_get(struct store *st, int64_t id,
    struct store_ticket_class *out, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT category, override,"
	    " incident, urgent, priority, grp, rules, waiting_since,"
	    " " TRIAGE_NEW_SQL("tc")
	    " FROM ticket_class tc WHERE ticket_id = ?1", err);
	int rc = store_step_id(s, id);

	memset(out, 0, sizeof(*out));
	if (rc == SQLITE_ROW) {
		const char *ov = store_col_text(s, 1);
		snprintf(out->rule_category, sizeof(out->rule_category), "%s",
		    store_col_text(s, 0));
		snprintf(out->override, sizeof(out->override), "%s", ov);
		snprintf(out->category, sizeof(out->category), "%s",
		    *ov ? ov : out->rule_category);
		out->incident = sqlite3_column_int(s, 2);
		out->urgent = sqlite3_column_int(s, 3);
		snprintf(out->priority, sizeof(out->priority), "%s",
		    store_col_text(s, 4));
		snprintf(out->group, sizeof(out->group), "%s",
		    store_col_text(s, 5));
		snprintf(out->rules, sizeof(out->rules), "%s",
		    store_col_text(s, 6));
		out->waiting_since = sqlite3_column_int64(s, 7);
		out->is_new = sqlite3_column_int(s, 8);
	}
	return store_step_end(st, s, rc, err);
}

int
store_class_override_send(struct store *st, int64_t id, const char *category,
    int64_t field, struct tdesk_err *err)
{
	struct store_change ch = { 0 };
	const char *cat = category && *category ? category : "";

	if (field <= 0 || (*cat && class_index(cat) < 0))
		return store_class_override(st, id, cat, err);
	if (store_begin(st, err) < 0)
		return -1;
	ch.category = cat;
	ch.category_field = field;
	/* the action first: it keeps the override it replaces */
	return store_finish(st, store_action(st, id, &ch, err) <= 0 ||
	    store_class_override(st, id, cat, err) < 0 ? -1 : 0, err);
}

/* Ticket id's override (inside the caller's transaction). */
static int
override_write(struct store *st, int64_t id, const char *cat,
    struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = store_prepare(st, "SELECT 1 FROM tickets WHERE id = ?1",
	    err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_ROW) {
		err_set(err, TDESK_ENOTFOUND, "no ticket #%lld",
		    (long long)id);
		return -1;
	}
	if ((s = store_prepare(st, "INSERT INTO ticket_class(ticket_id,"
	    " override) VALUES(?1, ?2) ON CONFLICT(ticket_id) DO UPDATE SET"
	    " override = excluded.override", err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, cat, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE) {
		store_dberr(st, err, "cannot write to");
		return -1;
	}
	if ((s = store_prepare(st, "UPDATE tickets SET category ="
	    " (SELECT coalesce(nullif(override, ''), category) FROM"
	    " ticket_class WHERE ticket_id = ?1) WHERE id = ?1", err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (store_step_done(st, s, err) < 0)
		return -1;
	char detail[64];
	snprintf(detail, sizeof(detail), "category=%s", *cat ? cat : "(rules)");
	return store_audit(st, "category", id, detail, err);
}

int
store_class_override(struct store *st, int64_t id, const char *category,
    struct tdesk_err *err)
{
	const char *cat = category && *category ? category : "";

	if (*cat && class_index(cat) < 0)
		return err_set(err, TDESK_EUSAGE, "unknown category '%s' (one "
		    "of account_access, kyc, deposit, withdrawal, trade, "
		    "security, compliance, api, other)", cat);
	if (store_begin(st, err) < 0)
		return -1;
	return store_finish(st, override_write(st, id, cat, err), err);
}

int
store_ticket_seen(struct store *st, int64_t id, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (st->readonly)
		return 0;
	s = store_prepare(st, "INSERT INTO ticket_class(ticket_id, seen_at,"
	    " seen_cid) SELECT id, ?2, coalesce((SELECT max(c.id) FROM"
	    " comments c WHERE c.ticket_id = ?1 AND " CUSTOMER_SQL("c") "), 0)"
	    " FROM tickets WHERE id = ?1"
	    " ON CONFLICT(ticket_id) DO UPDATE SET seen_at = excluded.seen_at,"
	    " seen_cid = excluded.seen_cid", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, time_now());
	rc = sqlite3_step(s);
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot write to");
	return 0;
}

/* --- suggested answers ----------------------------------------------------- */

/* FAQ categories (the starter pack's) that fit a ticket category. */
static const char *
faq_category_for(const char *cat)
{
	static const struct { const char *cat, *faq; } map[] = {
		{ "account_access", "account" }, { "kyc", "identity" },
		{ "deposit", "deposit-withdrawal" },
		{ "withdrawal", "deposit-withdrawal" },
		{ "trade", "trading" }, { "security", "security" },
		{ "api", "api" }, { "compliance", "compliance" },
	};

	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (strcmp(cat, map[i].cat) == 0)
			return map[i].faq;
	return "";
}

/* Words of macro names and descriptions that fit a ticket category, as
 * a JSON array. */
static const char *
macro_words_for(const char *cat)
{
	static const struct { const char *cat, *words; } map[] = {
		{ "account_access", "[\"2fa\",\"password\",\"login\"]" },
		{ "kyc", "[\"kyc\",\"identity\",\"verification\"]" },
		{ "deposit", "[\"deposit\",\"hash\",\"network\"]" },
		{ "withdrawal", "[\"withdraw\",\"hash\"]" },
		{ "security", "[\"security\",\"phishing\"]" },
		{ "compliance", "[\"compliance\"]" },
		{ "trade", "[\"trad\",\"fee\"]" },
		{ "api", "[\"api\"]" },
	};

	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (strcmp(cat, map[i].cat) == 0)
			return map[i].words;
	return "[]";
}

/* Words of the latest customer messages as an FTS5 OR query. */
static void
fts_words(struct buf *q, const char *text)
{
	struct buf split = BUF_INIT;
	int n = 0;

	text_cjk_split(&split, text, strlen(text));
	for (char *p = split.data; p && *p && n < 60;) {
		while (*p && !(((unsigned char)*p >= 0x80) ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')))
			p++;
		char *w = p;
		while (*p && (((unsigned char)*p >= 0x80) ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')))
			p++;
		size_t l = (size_t)(p - w);
		/* skip short English words (the, to, my) */
		if (l == 0 || ((unsigned char)*w < 0x80 && l < 3))
			continue;
		buf_printf(q, "%s\"%.*s\"", n++ ? " OR " : "", (int)l, w);
	}
	buf_free(&split);
}

/* The subject and the latest customer messages (at most 4000 bytes, cut
 * on a character), and the ticket's language. */
static int
suggest_text(struct store *st, int64_t id, struct buf *text, char lang[8],
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT t.subject, t.lang,"
	    " coalesce((SELECT group_concat(body, ' ') FROM (SELECT c.body"
	    " FROM comments c WHERE c.ticket_id = t.id AND " CUSTOMER_SQL("c")
	    " ORDER BY c.created_at DESC LIMIT 3)), t.description)"
	    " FROM tickets t WHERE t.id = ?1", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		buf_adds(text, store_col_text(s, 0));
		buf_addc(text, ' ');
		buf_adds(text, store_col_text(s, 2));
		snprintf(lang, 8, "%s", store_col_text(s, 1));
	}
	store_done(st, s);
	if (text->len > 4000)
		text->data[text->len = 4000] = '\0';
	while (text->len && ((unsigned char)text->data[text->len - 1] &
	    0xc0) == 0x80)
		text->data[--text->len] = '\0';
	return 0;
}

/* The ASCII words (over 3 letters, lowercased) of an FTS query as a JSON
 * array, for matching macro names and descriptions. */
static void
macro_words(const char *q, struct buf *words)
{
	int k = 0;

	buf_adds(words, "[");
	for (const char *p = q; p && (p = strchr(p, '"')) != NULL;) {
		const char *e = strchr(p + 1, '"');
		int ascii = 1;

		if (e == NULL)
			break;
		for (const char *c = p + 1; c < e; c++)
			if ((unsigned char)*c >= 0x80 || *c == '\\')
				ascii = 0;
		if (ascii && e - p > 4) {
			buf_printf(words, "%s\"", k++ ? "," : "");
			for (const char *c = p + 1; c < e; c++)
				buf_addc(words, (char)(*c >= 'A' && *c <= 'Z' ?
				    *c + 32 : *c));
			buf_addc(words, '"');
		}
		p = e + 1;
	}
	buf_adds(words, "]");
}

/* FAQ answers: category first, then rank; entries in the ticket's
 * language first. */
static sqlite3_stmt *
suggest_faq(struct store *st, const char *q, const char *cat,
    const char *lang, int max, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "WITH m AS MATERIALIZED (SELECT"
	    " rowid AS rid, bm25(faq_fts, 10.0, 1.0, 5.0) AS r FROM faq_fts"
	    " WHERE faq_fts MATCH ?1),"
	    " h AS (SELECT y.faq_id AS fid, min(m.r) AS r FROM m"
	    " JOIN faq_text y ON y.id = m.rid GROUP BY y.faq_id)"
	    " SELECT f.id, coalesce((SELECT title FROM faq_text x"
	    " WHERE x.faq_id = f.id ORDER BY x.lang = ?3 DESC,"
	    " x.lang = 'en' DESC LIMIT 1), f.id),"
	    " (f.category = ?2) AS incat, coalesce(h.r, 0) AS r"
	    " FROM faq f LEFT JOIN h ON h.fid = f.id"
	    " WHERE incat OR h.r IS NOT NULL"
	    " ORDER BY incat DESC, r, f.id LIMIT ?4", err);

	if (s == NULL)
		return NULL;
	sqlite3_bind_text(s, 1, *q ? q : "\"\"", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, faq_category_for(cat), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, lang, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 4, max);
	return s;
}

/* Macros: the category's words in the name or description first, then
 * the customer's words. */
static sqlite3_stmt *
suggest_macro(struct store *st, const char *q, const char *cat, int max,
    struct tdesk_err *err)
{
	struct buf words = BUF_INIT;
	sqlite3_stmt *s = store_prepare(st, "SELECT m.name, m.name,"
	    " (SELECT count(*) FROM json_each(?2) w WHERE"
	    "  instr(lower(m.name || ' ' || m.description), w.value) > 0)"
	    " AS incat, 0"
	    " FROM macros m ORDER BY incat > 0 DESC,"
	    " (SELECT count(*) FROM json_each(?5) w WHERE"
	    "  instr(lower(m.name || ' ' || m.description), w.value) > 0)"
	    " DESC, m.name LIMIT ?4", err);

	if (s == NULL)
		return NULL;
	macro_words(q, &words);
	sqlite3_bind_text(s, 2, macro_words_for(cat), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, max);
	sqlite3_bind_text(s, 5, words.data, -1, SQLITE_TRANSIENT);
	buf_free(&words);
	return s;
}

int
store_suggest(struct store *st, int64_t id, int faq,
    struct store_suggestion *out, int max, struct tdesk_err *err)
{
	struct store_ticket_class tc;
	struct buf text = BUF_INIT, q = BUF_INIT;
	sqlite3_stmt *s = NULL;
	char lang[8] = "en";
	int n = 0, rc = SQLITE_ERROR;

	if (max > 8)
		max = 8;
	if (store_ticket_class_get(st, id, &tc, err) < 0 ||
	    suggest_text(st, id, &text, lang, err) < 0)
		goto out;
	fts_words(&q, text.data ? text.data : "");
	s = faq ? suggest_faq(st, q.data ? q.data : "", tc.category, lang,
	    max, err) : suggest_macro(st, q.data ? q.data : "", tc.category,
	    max, err);
	if (s == NULL)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < max) {
		out[n].is_macro = !faq;
		snprintf(out[n].id, sizeof(out[n].id), "%s",
		    store_col_text(s, 0));
		snprintf(out[n].title, sizeof(out[n].title), "%s",
		    store_col_text(s, 1));
		n++;
	}
	store_done(st, s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		store_dberr(st, err, "cannot read");
out:
	buf_free(&text);
	buf_free(&q);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}
