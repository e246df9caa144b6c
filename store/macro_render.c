/* SPDX-License-Identifier: MIT */
/*
 * Macros rendered and applied: a definition parsed once into a plan, its
 * comment's placeholders filled from each ticket, the tag changes worked
 * out against the ticket's tags, and the result queued through
 * store_action(), one ticket or ten thousand in one transaction.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- placeholders -------------------------------------------------------------- */

enum ph {
	PH_TICKET_ID, PH_SUBJECT, PH_STATUS, PH_PRIORITY, PH_TYPE,
	PH_REQ_NAME, PH_REQ_FIRST, PH_REQ_EMAIL,
	PH_AGENT_NAME, PH_AGENT_FIRST, PH_ASSIGNEE_NAME, PH_GROUP_NAME,
	PH_CUSTOM,
};

static const struct {
	const char *name;
	enum ph ph;
} placeholders[] = {
	{ "ticket.id", PH_TICKET_ID },
	{ "ticket.subject", PH_SUBJECT },
	{ "ticket.title", PH_SUBJECT },
	{ "ticket.status", PH_STATUS },
	{ "ticket.priority", PH_PRIORITY },
	{ "ticket.ticket_type", PH_TYPE },
	{ "ticket.type", PH_TYPE },
	{ "requester.name", PH_REQ_NAME },
	{ "requester.first_name", PH_REQ_FIRST },
	{ "requester.email", PH_REQ_EMAIL },
	{ "ticket.requester.name", PH_REQ_NAME },
	{ "ticket.requester.first_name", PH_REQ_FIRST },
	{ "ticket.requester.email", PH_REQ_EMAIL },
	{ "agent.name", PH_AGENT_NAME },
	{ "agent.first_name", PH_AGENT_FIRST },
	{ "current_user.name", PH_AGENT_NAME },
	{ "current_user.first_name", PH_AGENT_FIRST },
	{ "ticket.assignee.name", PH_ASSIGNEE_NAME },
	{ "ticket.group.name", PH_GROUP_NAME },
};

static int
custom_name_ok(const char *s, size_t l)
{
	if (l == 0 || l > 40 || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return 0;
	for (size_t i = 0; i < l; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
		    (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/*
 * Find the next placeholder at or after p. Returns NULL when there is
 * none; else the start of "{{", with the trimmed name in *name / *nlen
 * and the end past "}}" in *end. A syntax problem fills why.
 */
static const char *
ph_next(const char *p, const char **name, size_t *nlen, const char **end,
    const char **why)
{
	const char *s, *e, *a, *z;

	*why = NULL;
	for (s = p; *s; s++) {
		if (s[0] == '{' && s[1] == '%') {
			*why = "Liquid tags ({% ... %}) are not supported";
			return s;
		}
		if (s[0] == '{' && s[1] == '{')
			break;
	}
	if (*s == '\0')
		return NULL;
	e = strstr(s + 2, "}}");
	if (e == NULL || memchr(s + 2, '\n', (size_t)(e - s - 2))) {
		*why = "'{{' without a closing '}}'";
		return s;
	}
	for (a = s + 2; a < e && *a == ' '; a++)
		;
	for (z = e; z > a && z[-1] == ' '; z--)
		;
	*name = a;
	*nlen = (size_t)(z - a);
	*end = e + 2;
	if (memchr(a, '|', *nlen))
		*why = "Liquid filters ('|') are not supported";
	return s;
}

/* Which placeholder a name is: PH_CUSTOM for plain identifiers, -1 if
 * unknown. */
static int
ph_lookup(const char *name, size_t l)
{
	for (size_t i = 0; i < ARRAY_LEN(placeholders); i++)
		if (strlen(placeholders[i].name) == l &&
		    memcmp(placeholders[i].name, name, l) == 0)
			return (int)placeholders[i].ph;
	return custom_name_ok(name, l) ? PH_CUSTOM : -1;
}

int
store_macro_ph_check(const char *tpl, const struct ynode *n,
    struct tdesk_err *err)
{
	const char *p = tpl, *name, *end, *why, *s;
	size_t l;

	while ((s = ph_next(p, &name, &l, &end, &why)) != NULL) {
		if (why)
			return ynode_err(n, err, "%s", why);
		if (ph_lookup(name, l) < 0)
			return ynode_err(n, err, "unknown placeholder "
			    "'{{%.*s}}' (see tdesk(5) for the list)", (int)l,
			    name);
		p = end;
	}
	return 0;
}

/* --- the plan: a definition parsed once per apply ---------------------------- */

struct tagop {
	char op;		/* 's'et, 'a'dd, 'r'emove */
	char *tags;		/* space separated */
};

struct variant {
	char *lang;		/* NULL: any language */
	char *text;
};

struct plan {
	char *name;
	char *status, *priority, *type, *assignee, *group;
	struct tagop *ops;
	size_t nops;
	struct variant *cv;
	size_t ncv;
	int public;
};

static void
plan_free(struct plan *p)
{
	free(p->name);
	free(p->status);
	free(p->priority);
	free(p->type);
	free(p->assignee);
	free(p->group);
	for (size_t i = 0; i < p->nops; i++)
		free(p->ops[i].tags);
	free(p->ops);
	for (size_t i = 0; i < p->ncv; i++) {
		free(p->cv[i].lang);
		free(p->cv[i].text);
	}
	free(p->cv);
	memset(p, 0, sizeof(*p));
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int
get_definition(const struct store_macro *m, void *arg)
{
	char **out = arg;

	out[0] = xstrdup(m->name);
	out[1] = xstrdup(m->definition);
	return 0;
}

/* A definition's actions as (field, value as text, lang). */
#define ACTIONS_SQL \
	"SELECT json_extract(a.value, '$.field')," \
	" CASE json_type(a.value, '$.value')" \
	"  WHEN 'array' THEN CASE WHEN json_extract(a.value, '$.field')" \
	"   LIKE '%tags' THEN (SELECT group_concat(v.value, ' ') FROM" \
	"   json_each(a.value, '$.value') v)" \
	"   ELSE json_extract(a.value, '$.value[#-1]') END" \
	"  WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'" \
	"  WHEN 'null' THEN ''" \
	"  ELSE CAST(json_extract(a.value, '$.value') AS TEXT) END," \
	" json_extract(a.value, '$.lang')" \
	" FROM json_each(?1, '$.actions') a"

/*
 * Load macro name and turn its actions (Zendesk's fields, plus tdesk's
 * assignee/group by name and per-language comments) into a plan, in
 * order: later actions win, tag actions apply in sequence.
 */
static int
plan_load(struct store *st, const char *name, struct plan *p,
    struct tdesk_err *err)
{
	char *got[2] = { NULL, NULL };
	sqlite3_stmt *s = NULL;
	int r, rc;

	memset(p, 0, sizeof(*p));
	p->public = 1;
	rc = store_macro_get(st, name, get_definition, got, err);
	if (rc <= 0) {
		if (rc == 0)
			err_set(err, TDESK_ENOTFOUND, "no macro '%s' (see "
			    "'tdesk macro list')", name);
		return rc;
	}
	p->name = got[0];
	s = store_prepare(st, ACTIONS_SQL, err);
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, got[1], -1, SQLITE_STATIC);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		const char *f = store_col_text(s, 0);
		const char *v = store_col_text(s, 1);
		int lang_null = sqlite3_column_type(s, 2) == SQLITE_NULL;

		if (strcmp(f, "status") == 0)
			set_str(&p->status, v);
		else if (strcmp(f, "priority") == 0)
			set_str(&p->priority, v);
		else if (strcmp(f, "type") == 0)
			set_str(&p->type, v);
		else if (strcmp(f, "assignee") == 0)
			set_str(&p->assignee, v);
		else if (strcmp(f, "assignee_id") == 0)
			set_str(&p->assignee, strcmp(v, "current_user") == 0 ?
			    "me" : v);
		else if (strcmp(f, "group") == 0)
			set_str(&p->group, v);
		else if (strcmp(f, "group_id") == 0 &&
		    strcmp(v, "current_groups") != 0)
			set_str(&p->group, v);
		else if (strcmp(f, "set_tags") == 0 ||
		    strcmp(f, "current_tags") == 0 ||
		    strcmp(f, "remove_tags") == 0) {
			p->ops = xrealloc(p->ops, (p->nops + 1) *
			    sizeof(*p->ops));
			p->ops[p->nops].op = f[0] == 's' ? 's' :
			    f[0] == 'c' ? 'a' : 'r';
			p->ops[p->nops++].tags = xstrdup(v);
		} else if (strcmp(f, "comment_value") == 0 ||
		    strcmp(f, "comment_value_html") == 0) {
			struct buf t = BUF_INIT;

			if (f[13] == '_')
				store_html_to_text(&t, v);
			else
				buf_adds(&t, v);
			p->cv = xrealloc(p->cv, (p->ncv + 1) * sizeof(*p->cv));
			p->cv[p->ncv].lang = lang_null ? NULL :
			    xstrdup(store_col_text(s, 2));
			p->cv[p->ncv++].text = buf_detach(&t);
		} else if (strcmp(f, "comment_mode_is_public") == 0)
			p->public = strcmp(v, "true") == 0 ||
			    strcmp(v, "1") == 0;
		else {
			err_set(err, TDESK_EUSAGE, "macro '%s' uses '%s', "
			    "which tdesk cannot apply offline: apply it in "
			    "the helpdesk", p->name, f);
			goto fail;
		}
	}
	if (r != SQLITE_DONE) {
		store_dberr(st, err, "cannot read macro");
		goto fail;
	}
	store_done(st, s);
	free(got[1]);
	return 1;
fail:
	store_done(st, s);
	free(got[1]);
	plan_free(p);
	return -1;
}

int
store_macro_actions(struct store *st, const char *name,
    int (*fn)(const char *field, const char *value, const char *lang,
    void *arg), void *arg, struct tdesk_err *err)
{
	char *got[2] = { NULL, NULL };
	sqlite3_stmt *s;
	int r, rc = store_macro_get(st, name, get_definition, got, err);

	if (rc <= 0)
		return rc;
	s = store_prepare(st, ACTIONS_SQL, err);
	if (s == NULL) {
		rc = -1;
		goto out;
	}
	sqlite3_bind_text(s, 1, got[1], -1, SQLITE_STATIC);
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(store_col_text(s, 0), store_col_text(s, 1),
		    sqlite3_column_type(s, 2) == SQLITE_NULL ? NULL :
		    store_col_text(s, 2), arg)) {
			r = SQLITE_DONE;
			break;
		}
	if (r != SQLITE_DONE)
		rc = store_dberr(st, err, "cannot read macro");
	store_done(st, s);
out:
	free(got[0]);
	free(got[1]);
	return rc;
}

/* The comment variant for lang: that language, else one for any
 * language, else en, else the last; later actions win. */
static const struct variant *
plan_variant(const struct plan *p, const char *lang)
{
	const struct variant *by_lang = NULL, *any = NULL, *en = NULL;

	for (size_t i = 0; i < p->ncv; i++) {
		const struct variant *v = &p->cv[i];
		if (v->lang == NULL)
			any = v;
		else if (strcmp(v->lang, lang) == 0)
			by_lang = v;
		else if (strcmp(v->lang, "en") == 0)
			en = v;
	}
	if (by_lang)
		return by_lang;
	if (any)
		return any;
	if (en)
		return en;
	return p->ncv ? &p->cv[p->ncv - 1] : NULL;
}

/* --- one ticket ------------------------------------------------------------- */

struct tctx {
	int64_t id;
	const char *subject, *status, *priority, *type, *tags, *lang;
	const char *req_name, *req_email, *req_locale;
	const char *assignee, *group;
};

static sqlite3_stmt *
tctx_prepare(struct store *st, struct tdesk_err *err)
{
	return store_prepare(st,
	    "SELECT t.id, t.subject, t.status, t.priority, t.type, t.tags,"
	    " t.lang, coalesce(r.name, ''), coalesce(r.email, ''),"
	    " coalesce(r.locale, ''), coalesce(a.name, ''),"
	    " coalesce(g.name, '')"
	    " FROM tickets t LEFT JOIN users r ON r.id = t.requester_id"
	    " LEFT JOIN users a ON a.id = t.assignee_id"
	    " LEFT JOIN groups g ON g.id = t.group_id WHERE t.id = ?1", err);
}

/* 1 with c filled from s (valid until the next reset), 0 not found. */
static int
tctx_get(struct store *st, sqlite3_stmt *s, int64_t id, struct tctx *c,
    struct tdesk_err *err)
{
	int r;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, id);
	r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		return 0;
	if (r != SQLITE_ROW)
		return store_dberr(st, err, "cannot read");
	c->id = sqlite3_column_int64(s, 0);
	c->subject = store_col_text(s, 1);
	c->status = store_col_text(s, 2);
	c->priority = store_col_text(s, 3);
	c->type = store_col_text(s, 4);
	c->tags = store_col_text(s, 5);
	c->lang = store_col_text(s, 6);
	c->req_name = store_col_text(s, 7);
	c->req_email = store_col_text(s, 8);
	c->req_locale = store_col_text(s, 9);
	c->assignee = store_col_text(s, 10);
	c->group = store_col_text(s, 11);
	return 1;
}

const char *
store_lang_pick(const char *locale, const char *ticket_lang)
{
	const char *l = locale && *locale ? locale : ticket_lang;

	if (l && (l[0] == 'z' || l[0] == 'Z') && (l[1] == 'h' || l[1] == 'H') &&
	    (l[2] == '\0' || l[2] == '-' || l[2] == '_'))
		return "zh";
	return "en";
}

struct render_env {
	const struct store_macro_opts *opts;
	const char *agent;	/* may be NULL */
};

static void
first_word(struct buf *b, const char *s)
{
	size_t l = strcspn(s, " \t");

	buf_add(b, s, l);
}

static int
no_value(const struct tctx *c, const char *name, size_t l, const char *why,
    struct tdesk_err *err)
{
	return err_set(err, TDESK_EUSAGE, "ticket %lld: placeholder "
	    "{{%.*s}} has no value (%s)", (long long)c->id, (int)l, name, why);
}

static int
render(const char *tpl, const struct tctx *c, const struct render_env *env,
    struct buf *out, struct tdesk_err *err)
{
	const char *p = tpl, *s, *name, *end, *why, *v;
	size_t l;

	while ((s = ph_next(p, &name, &l, &end, &why)) != NULL) {
		int ph;

		buf_add(out, p, (size_t)(s - p));
		if (why)
			return err_set(err, TDESK_EUSAGE, "ticket %lld: %s",
			    (long long)c->id, why);
		ph = ph_lookup(name, l);
		v = NULL;
		switch (ph) {
		case PH_TICKET_ID:
			buf_printf(out, "%lld", (long long)c->id);
			break;
		case PH_SUBJECT:
			v = c->subject;
			break;
		case PH_STATUS:
			v = c->status;
			break;
		case PH_PRIORITY:
			v = c->priority;
			break;
		case PH_TYPE:
			v = c->type;
			break;
		case PH_REQ_NAME:
		case PH_REQ_FIRST:
			if (*c->req_name == '\0')
				return no_value(c, name, l, "the requester "
				    "has no name", err);
			if (ph == PH_REQ_FIRST)
				first_word(out, c->req_name);
			else
				v = c->req_name;
			break;
		case PH_REQ_EMAIL:
			if (*c->req_email == '\0')
				return no_value(c, name, l, "the requester "
				    "has no email address", err);
			v = c->req_email;
			break;
		case PH_AGENT_NAME:
		case PH_AGENT_FIRST:
			if (env->agent == NULL || *env->agent == '\0')
				return no_value(c, name, l, "your name is not "
				    "known: sync once, or set agent_name in "
				    "config.yaml", err);
			if (ph == PH_AGENT_FIRST)
				first_word(out, env->agent);
			else
				v = env->agent;
			break;
		case PH_ASSIGNEE_NAME:
			v = c->assignee;
			break;
		case PH_GROUP_NAME:
			v = c->group;
			break;
		case PH_CUSTOM:
			for (size_t i = 0; i < env->opts->n_vars; i++) {
				const char *kv = env->opts->vars[i];
				if (strncmp(kv, name, l) == 0 && kv[l] == '=')
					v = kv + l + 1;
			}
			if (v == NULL)
				return err_set(err, TDESK_EUSAGE, "ticket %lld: "
				    "placeholder {{%.*s}} has no value (give it "
				    "with --set %.*s=VALUE)", (long long)c->id,
				    (int)l, name, (int)l, name);
			break;
		default:
			return err_set(err, TDESK_EUSAGE, "ticket %lld: "
			    "unknown placeholder {{%.*s}}", (long long)c->id,
			    (int)l, name);
		}
		if (ph != PH_TICKET_ID && ph != PH_REQ_FIRST &&
		    ph != PH_AGENT_FIRST) {
			if (v == NULL || *v == '\0')
				return no_value(c, name, l, "empty on this "
				    "ticket", err);
			buf_adds(out, v);
		}
		p = end;
	}
	buf_adds(out, p);
	return 0;
}

/* Tags as an array of borrowed words of a copy. */
struct words {
	char *copy;
	char **w;
	size_t n;
};

static void
words_split(struct words *ws, const char *s)
{
	char *save, *t;

	ws->copy = xstrdup(s);
	ws->w = NULL;
	ws->n = 0;
	for (t = strtok_r(ws->copy, " \t\n", &save); t;
	    t = strtok_r(NULL, " \t\n", &save)) {
		ws->w = xrealloc(ws->w, (ws->n + 1) * sizeof(*ws->w));
		ws->w[ws->n++] = t;
	}
}

static void
words_free(struct words *ws)
{
	free(ws->copy);
	free(ws->w);
}

static int
words_has(char *const *w, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i], s) == 0)
			return 1;
	return 0;
}

/*
 * Run the tag actions in order over the ticket's tags, as Zendesk does,
 * and give the difference: what to add and what to remove.
 */
static void
tags_diff(const struct plan *p, const char *current, char **add,
    char **remove)
{
	struct words cur, op;
	char **set = NULL;
	size_t n = 0;
	struct buf a = BUF_INIT, r = BUF_INIT;

	*add = *remove = NULL;
	if (p->nops == 0)
		return;
	words_split(&cur, current);
	for (size_t i = 0; i < cur.n; i++)
		if (!words_has(set, n, cur.w[i])) {
			set = xrealloc(set, (n + 1) * sizeof(*set));
			set[n++] = xstrdup(cur.w[i]);
		}
	for (size_t i = 0; i < p->nops; i++) {
		words_split(&op, p->ops[i].tags);
		if (p->ops[i].op == 's') {
			for (size_t j = 0; j < n; j++)
				free(set[j]);
			n = 0;
		}
		if (p->ops[i].op == 'r') {
			size_t k = 0;
			for (size_t j = 0; j < n; j++)
				if (!words_has(op.w, op.n, set[j]))
					set[k++] = set[j];
				else
					free(set[j]);
			n = k;
		} else
			for (size_t j = 0; j < op.n; j++)
				if (!words_has(set, n, op.w[j])) {
					set = xrealloc(set, (n + 1) *
					    sizeof(*set));
					set[n++] = xstrdup(op.w[j]);
				}
		words_free(&op);
	}
	for (size_t j = 0; j < n; j++)
		if (!words_has(cur.w, cur.n, set[j])) {
			if (a.len)
				buf_addc(&a, ' ');
			buf_adds(&a, set[j]);
		}
	for (size_t j = 0; j < cur.n; j++)
		if (!words_has(set, n, cur.w[j]) &&
		    !words_has(cur.w, j, cur.w[j])) {
			if (r.len)
				buf_addc(&r, ' ');
			buf_adds(&r, cur.w[j]);
		}
	if (a.len)
		*add = buf_detach(&a);
	if (r.len)
		*remove = buf_detach(&r);
	buf_free(&a);
	buf_free(&r);
	for (size_t j = 0; j < n; j++)
		free(set[j]);
	free(set);
	words_free(&cur);
}

void
store_macro_result_clear(struct store_macro_result *r)
{
	if (r == NULL)
		return;
	free(r->comment);
	free(r->status);
	free(r->priority);
	free(r->type);
	free(r->assignee);
	free(r->group);
	free(r->add_tags);
	free(r->remove_tags);
	memset(r, 0, sizeof(*r));
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Fill r with what plan p does to the ticket c. */
static int
plan_render(const struct plan *p, const struct tctx *c,
    const struct render_env *env, struct store_macro_result *r,
    struct tdesk_err *err)
{
	const char *lang = env->opts && env->opts->lang ? env->opts->lang :
	    store_lang_pick(c->req_locale, c->lang);
	const struct variant *v = plan_variant(p, lang);

	memset(r, 0, sizeof(*r));
	r->ticket_id = c->id;
	snprintf(r->lang, sizeof(r->lang), "%s", v && v->lang ? v->lang :
	    lang);
	if (v) {
		struct buf b = BUF_INIT;

		if (render(v->text, c, env, &b, err) < 0) {
			buf_free(&b);
			return -1;
		}
		r->comment = buf_detach(&b);
		r->comment_public = p->public;
	}
	r->status = dup_or_null(p->status);
	r->priority = dup_or_null(p->priority);
	r->type = dup_or_null(p->type);
	r->assignee = dup_or_null(p->assignee);
	r->group = dup_or_null(p->group);
	tags_diff(p, c->tags, &r->add_tags, &r->remove_tags);
	return 0;
}

/* The store_change for r; the tag arrays in ws (caller frees). */
static void
result_change(const struct store_macro_result *r, const char *macro,
    struct store_change *ch, struct words *add, struct words *rm)
{
	memset(ch, 0, sizeof(*ch));
	ch->status = r->status;
	ch->priority = r->priority;
	ch->type = r->type;
	ch->assignee = r->assignee;
	ch->group = r->group;
	words_split(add, r->add_tags ? r->add_tags : "");
	words_split(rm, r->remove_tags ? r->remove_tags : "");
	ch->add_tags = (const char **)add->w;
	ch->n_add = add->n;
	ch->remove_tags = (const char **)rm->w;
	ch->n_remove = rm->n;
	ch->comment = r->comment;
	ch->comment_public = r->comment_public;
	ch->macro = macro;
}

static int
check_vars(const struct store_macro_opts *o, struct tdesk_err *err)
{
	for (size_t i = 0; o && i < o->n_vars; i++) {
		const char *eq = strchr(o->vars[i], '=');
		if (eq == NULL || !custom_name_ok(o->vars[i],
		    (size_t)(eq - o->vars[i])))
			return err_set(err, TDESK_EUSAGE, "invalid placeholder "
			    "value '%s' (expected key=value, key in a-z, 0-9 "
			    "and _)", o->vars[i]);
	}
	if (o && o->lang && !store_yaml_lang_key(o->lang))
		return err_set(err, TDESK_EUSAGE, "invalid language '%s' "
		    "(two letters, such as en or zh)", o->lang);
	return 0;
}

int
store_macro_preview(struct store *st, const char *name, int64_t ticket_id,
    const struct store_macro_opts *opts, struct store_macro_result *out,
    struct tdesk_err *err)
{
	static const struct store_macro_opts none = { 0 };
	struct plan p;
	struct tctx c;
	struct render_env env = { opts ? opts : &none, NULL };
	sqlite3_stmt *s = NULL;
	char *agent = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (check_vars(opts, err) < 0)
		return -1;
	if ((rc = plan_load(st, name, &p, err)) <= 0)
		return rc;
	agent = store_state_get(st, "me.name");
	env.agent = opts && opts->agent_name ? opts->agent_name : agent;
	if ((s = tctx_prepare(st, err)) == NULL) {
		rc = -1;
		goto out;
	}
	rc = tctx_get(st, s, ticket_id, &c, err);
	if (rc == 0)
		err_set(err, TDESK_ENOTFOUND, "no ticket %lld",
		    (long long)ticket_id);
	if (rc == 1 && plan_render(&p, &c, &env, out, err) < 0) {
		store_macro_result_clear(out);
		rc = -1;
	}
out:
	store_done(st, s);
	free(agent);
	plan_free(&p);
	return rc;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* One macro over many tickets, for store_multi_run. */
struct apply_arg {
	struct store_multi *b;
	struct plan *p;
	struct render_env *env;
	sqlite3_stmt *s;
	store_macro_result_fn fn;
	void *fn_arg;
	int dry, fn_stop;
};

static int
apply_check(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	struct apply_arg *a = arg;
	struct store_macro_result r;
	struct tctx c;
	int ok = tctx_get(st, a->s, id, &c, err);

	if (ok >= 0)
		ok = store_ticket_changeable(id, ok ? c.status : NULL, err);
	if (ok <= 0) {
		sqlite3_reset(a->s);
		return ok;
	}
	if (plan_render(a->p, &c, a->env, &r, err) < 0) {
		sqlite3_reset(a->s);
		/* a rendering mistake is the macro's, not the database's */
		if (err->kind != TDESK_ENOTFOUND && err->kind !=
		    TDESK_ECONFLICT)
			err->kind = TDESK_EUSAGE;
		return -1;
	}
	sqlite3_reset(a->s);
	if (a->dry && a->b->n_bad == 0 && !a->fn_stop && a->fn &&
	    a->fn(&r, a->fn_arg))
		a->fn_stop = 1;
	store_macro_result_clear(&r);
	return 1;
}

static int64_t
apply_write(struct store *st, int64_t id, void *arg, struct tdesk_err *err)
{
	struct apply_arg *a = arg;
	struct store_macro_result r;
	struct store_change ch;
	struct words add, rm;
	struct tctx c;
	int64_t ob;
	int got = tctx_get(st, a->s, id, &c, err);

	if (got <= 0) {
		sqlite3_reset(a->s);
		return got;
	}
	if (plan_render(a->p, &c, a->env, &r, err) < 0) {
		sqlite3_reset(a->s);
		return -1;
	}
	result_change(&r, a->p->name, &ch, &add, &rm);
	ch.guard_override = a->env->opts->guard_override;
	sqlite3_reset(a->s);
	ob = store_action(st, id, &ch, err);
	words_free(&add);
	words_free(&rm);
	if (ob > 0) {
		r.outbox_id = ob;
		if (a->fn)
			a->fn(&r, a->fn_arg);
	}
	store_macro_result_clear(&r);
	return ob;
}

int
store_macro_apply(struct store *st, const char *name, const int64_t *ids,
    size_t n, const struct store_macro_opts *opts,
    store_macro_result_fn fn, void *arg, struct tdesk_err *err)
{
	static const struct store_macro_opts none = { 0 };
	struct render_env env = { opts ? opts : &none, NULL };
	struct plan p;
	struct store_multi b = { .what = "macro" };
	struct apply_arg a = { &b, &p, &env, NULL, fn, arg,
	    opts && opts->dry_run, 0 };
	int64_t *u = NULL;
	size_t nu = 0;
	char *agent = NULL;
	int rc = -1;

	if (check_vars(opts, err) < 0)
		return -1;
	if (plan_load(st, name, &p, err) <= 0)
		return -1;
	agent = store_state_get(st, "me.name");
	env.agent = opts && opts->agent_name ? opts->agent_name : agent;
	/* each ticket once, in id order */
	u = xmalloc((n ? n : 1) * sizeof(*u));
	memcpy(u, ids, n * sizeof(*u));
	qsort(u, n, sizeof(*u), cmp_id);
	for (size_t i = 0; i < n; i++)
		if (nu == 0 || u[nu - 1] != u[i])
			u[nu++] = u[i];
	if ((a.s = tctx_prepare(st, err)) == NULL)
		goto out;
	/* the one multi-ticket write: every ticket must exist and render,
	 * then one outbox action (kind "macro") each, all or nothing */
	b.check = apply_check;
	b.write = apply_write;
	b.arg = &a;
	b.check_only = a.dry;
	b.stop = opts ? opts->stop : NULL;
	if (store_multi_run(st, u, nu, &b, err) < 0) {
		/* "(and N more of M)" names tickets here */
		size_t l = strlen(err->msg);
		if (b.n_bad > 1 && l > 1 && err->msg[l - 1] == ')' &&
		    l + 9 < sizeof(err->msg))
			memcpy(err->msg + l - 1, " tickets)", 10);
		goto out;
	}
	rc = 0;
out:
	store_done(st, a.s);
	free(agent);
	free(u);
	plan_free(&p);
	return rc;
}

