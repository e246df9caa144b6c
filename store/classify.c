/* SPDX-License-Identifier: MIT */
/*
 * The classifier: rules from rules.yaml (tdesk(5) RULES) matched per
 * sentence, so that a phrase after "not"/"没有" does not count as a
 * signal of an incident, the subject and the customer's questions weigh
 * more than an aside ("also, unrelated: ..."), and every decision names
 * the rules that made it. Phrases are plain text, matched without case;
 * a rule may add an extended regular expression (error codes).
 */
#include "store/text.h"
#include "store/triage.h"
#include "store/classify_int.h"

#include <ctype.h>
#include <locale.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

const char *const class_names[CLASS_N] = {
	"security", "account_access", "kyc", "deposit", "withdrawal",
	"trade", "compliance", "api", "other",
};

int
class_index(const char *name)
{
	for (int i = 0; i < CLASS_N; i++)
		if (name && strcmp(name, class_names[i]) == 0)
			return i;
	return -1;
}

#define OTHER (CLASS_N - 1)
/* What an incident rule matched in quoted history adds to security. */
#define INCIDENT_QUOTED 3

struct phrase {
	char *s;		/* lower case */
	size_t len;
	int word;		/* starts with an ASCII letter: needs a boundary */
	unsigned short bg[3];	/* byte pairs the text must hold (prefilter) */
	int nbg;
	unsigned short qg[3];	/* 4-byte windows it must hold likewise */
	int nqg;
};


struct plist {
	struct phrase *p;
	size_t n;
};

enum where { W_ANY, W_SUBJECT, W_BODY };

struct rule {
	char *name;
	int category;		/* -1: none */
	int incident;
	int urgent;
	double weight;
	int negation_skip;	/* a negated match does not count */
	enum where where;
	struct plist match, all, unless;
	regex_t re;
	int has_re;
};

struct catinfo {
	char *group;
	char *priority;
};

struct store_rules {
	struct rule *r;
	size_t n;
	struct catinfo cat[CLASS_N];
	double min_score;
};

static void
plist_free(struct plist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->p[i].s);
	free(l->p);
	l->p = NULL;
	l->n = 0;
}

static void
rule_free(struct rule *r)
{
	free(r->name);
	plist_free(&r->match);
	plist_free(&r->all);
	plist_free(&r->unless);
	if (r->has_re)
		regfree(&r->re);
}

void
store_rules_free(struct store_rules *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n; i++)
		rule_free(&rs->r[i]);
	free(rs->r);
	for (int i = 0; i < CLASS_N; i++) {
		free(rs->cat[i].group);
		free(rs->cat[i].priority);
	}
	free(rs);
}

size_t
store_rules_count(const struct store_rules *rs)
{
	return rs ? rs->n : 0;
}

static char *
lower_dup(const char *s, size_t len)
{
	char *d = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		d[i] = (char)tolower((unsigned char)s[i]);
	d[len] = '\0';
	return d;
}

/* A phrase list: one string or a sequence of strings. */
static int
load_plist(const struct ynode *n, struct plist *l, struct tdesk_err *err)
{
	const struct ynode *one[1] = { n };
	const struct ynode *const *items = one;
	size_t count = 1;

	if (n->kind == YNODE_SEQ) {
		items = (const struct ynode *const *)n->items;
		count = n->n;
	} else if (n->kind != YNODE_SCALAR) {
		return ynode_err(n, err, "expected a phrase or a list of "
		    "phrases");
	}
	for (size_t i = 0; i < count; i++) {
		const char *v;
		if (ynode_str(items[i], &v, err) < 0)
			return -1;
		if (*v == '\0')
			return ynode_err(items[i], err, "empty phrase");
		if (!utf8_valid(v, strlen(v)))
			return ynode_err(items[i], err, "not valid UTF-8");
		l->p = xrealloc(l->p, (l->n + 1) * sizeof(*l->p));
		l->p[l->n].len = strlen(v);
		l->p[l->n].s = lower_dup(v, l->p[l->n].len);
		l->p[l->n].word = isalnum((unsigned char)v[0]) != 0;
		/* the first, middle and last byte pairs */
		struct phrase *ph = &l->p[l->n];
		ph->nbg = 0;
		if (ph->len >= 2) {
			size_t at[3] = { 0, (ph->len - 2) / 2, ph->len - 2 };
			for (int k = 0; k < 3; k++)
				ph->bg[ph->nbg++] = bg_hash(
				    (unsigned char)ph->s[at[k]],
				    (unsigned char)ph->s[at[k] + 1]);
		}
		ph->nqg = 0;
		if (ph->len >= 4) {
			size_t at[3] = { 0, (ph->len - 4) / 2, ph->len - 4 };
			for (int k = 0; k < 3; k++)
				ph->qg[ph->nqg++] = qg_hash(ph->s + at[k]);
		}
		l->n++;
	}
	return 0;
}

/* Regular expressions work on bytes (the C locale): the text is
 * lower-cased UTF-8 and patterns are too, and a multibyte locale makes
 * every match decode the text first (most of the classifier's time). */
static locale_t
c_locale(void)
{
	static locale_t c;

	if (c == (locale_t)0)
		c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return c;
}

static const char *const rule_keys[] = { "name", "category", "incident",
	"urgent", "weight", "match", "all", "unless", "regex", "negation",
	"where", NULL };

/* name: and category: of a rule. */
static int
load_rule_name(const struct ynode *n, struct rule *r, struct tdesk_err *err)
{
	const struct ynode *v;
	const char *s;

	if ((v = ynode_get(n, "name")) == NULL)
		return ynode_err(n, err, "a rule needs a name");
	if (ynode_str(v, &s, err) < 0)
		return -1;
	if (*s == '\0' || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_")
	    != strlen(s))
		return ynode_err(v, err, "rule name '%s': use a-z, 0-9, - "
		    "and _", s);
	r->name = xstrdup(s);
	if ((v = ynode_get(n, "category")) != NULL) {
		if (ynode_str(v, &s, err) < 0)
			return -1;
		if ((r->category = class_index(s)) < 0)
			return ynode_err(v, err, "unknown category '%s' (one of "
			    "account_access, kyc, deposit, withdrawal, trade, "
			    "security, compliance, api, other)", s);
	}
	return 0;
}

/* The value of key as one of words (0, 1, ...), or -1 with the message
 * "key is WORDS" at the value; *out unchanged when the key is absent. */
static int
load_choice(const struct ynode *n, const char *key,
    const char *const *words, const char *say, int *out,
    struct tdesk_err *err)
{
	const struct ynode *v = ynode_get(n, key);
	const char *s;

	if (v == NULL)
		return 0;
	if (ynode_str(v, &s, err) < 0)
		return -1;
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0) {
			*out = i;
			return 0;
		}
	return ynode_err(v, err, "%s is %s", key, say);
}

/* incident:, urgent:, weight:, negation: and where: of a rule. */
static int
load_rule_flags(const struct ynode *n, struct rule *r,
    struct tdesk_err *err)
{
	static const char *const neg[] = { "ignore", "skip", NULL };
	static const char *const where[] = { "any", "subject", "body", NULL };
	const struct ynode *v;
	const char *s;
	int w = W_ANY;

	if ((v = ynode_get(n, "incident")) && ynode_bool(v, &r->incident,
	    err) < 0)
		return -1;
	if ((v = ynode_get(n, "urgent")) && ynode_bool(v, &r->urgent, err) < 0)
		return -1;
	if ((v = ynode_get(n, "weight")) != NULL) {
		char *end;
		if (ynode_str(v, &s, err) < 0)
			return -1;
		r->weight = strtod(s, &end);
		if (end == s || *end || r->weight < 0 || r->weight > 100)
			return ynode_err(v, err, "weight must be a number "
			    "from 0 to 100");
	}
	if (r->category < 0 && !r->incident && !r->urgent)
		return ynode_err(n, err, "rule '%s' decides nothing: give it a "
		    "category, incident: true or urgent: true", r->name);
	r->negation_skip = r->category < 0;
	if (load_choice(n, "negation", neg, "skip or ignore",
	    &r->negation_skip, err) < 0 ||
	    load_choice(n, "where", where, "any, subject or body", &w,
	    err) < 0)
		return -1;
	r->where = w == 1 ? W_SUBJECT : w == 2 ? W_BODY : W_ANY;
	return 0;
}

/* regex: compiled for bytes in the C locale. */
static int
load_rule_regex(const struct ynode *v, struct rule *r,
    struct tdesk_err *err)
{
	char msg[200];
	const char *s;
	int rc, icase = 0;
	locale_t old;

	if (ynode_str(v, &s, err) < 0)
		return -1;
	/* the text is lower-cased already: case folding (slow in a UTF-8
	 * locale) only for a pattern with capitals */
	for (const char *c = s; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			icase = REG_ICASE;
	old = c_locale() ? uselocale(c_locale()) : (locale_t)0;
	rc = regcomp(&r->re, s, REG_EXTENDED | icase | REG_NOSUB);
	if (old)
		uselocale(old);
	if (rc != 0) {
		regerror(rc, &r->re, msg, sizeof(msg));
		return ynode_err(v, err, "bad regex: %s", msg);
	}
	r->has_re = 1;
	return 0;
}

static int
load_rule(const struct ynode *n, struct rule *r, struct tdesk_err *err)
{
	const struct ynode *v;

	memset(r, 0, sizeof(*r));
	r->category = -1;
	r->weight = 1;
	if (n->kind != YNODE_MAP)
		return ynode_err(n, err, "a rule is a map (name:, match:, ...)");
	if (ynode_check_keys(n, rule_keys, "rule", err) < 0 ||
	    load_rule_name(n, r, err) < 0 || load_rule_flags(n, r, err) < 0)
		return -1;
	if ((v = ynode_get(n, "match")) && load_plist(v, &r->match, err) < 0)
		return -1;
	if ((v = ynode_get(n, "all")) && load_plist(v, &r->all, err) < 0)
		return -1;
	if ((v = ynode_get(n, "unless")) && load_plist(v, &r->unless, err) < 0)
		return -1;
	if ((v = ynode_get(n, "regex")) && load_rule_regex(v, r, err) < 0)
		return -1;
	if (r->match.n == 0 && !r->has_re)
		return ynode_err(n, err, "rule '%s' needs match: or regex:",
		    r->name);
	return 0;
}

static const char *const top_keys[] = { "categories", "rules", "min_score",
	NULL };
static const char *const cat_keys[] = { "group", "priority", NULL };

static int
load_doc(struct store_rules *rs, const struct ynode *doc,
    struct tdesk_err *err)
{
	const struct ynode *v;

	if (doc->kind != YNODE_MAP)
		return ynode_err(doc, err, "rules: expected a map with "
		    "categories: and rules:");
	if (ynode_check_keys(doc, top_keys, "rules file", err) < 0)
		return -1;
	if ((v = ynode_get(doc, "min_score")) != NULL) {
		const char *s;
		char *end;
		if (ynode_str(v, &s, err) < 0)
			return -1;
		rs->min_score = strtod(s, &end);
		if (end == s || *end || rs->min_score < 0)
			return ynode_err(v, err, "min_score must be a number");
	}
	if ((v = ynode_get(doc, "categories")) != NULL) {
		if (v->kind != YNODE_MAP)
			return ynode_err(v, err, "categories: a map of "
			    "category: {group:, priority:}");
		for (size_t i = 0; i < v->n; i++) {
			int c = class_index(v->keys[i]->value);
			const struct ynode *e = v->items[i], *x;
			const char *s;
			if (c < 0)
				return ynode_err(v->keys[i], err, "unknown "
				    "category '%s'", v->keys[i]->value);
			if (ynode_check_keys(e, cat_keys, "category", err) < 0)
				return -1;
			if ((x = ynode_get(e, "group")) != NULL) {
				if (ynode_str(x, &s, err) < 0)
					return -1;
				free(rs->cat[c].group);
				rs->cat[c].group = xstrdup(s);
			}
			if ((x = ynode_get(e, "priority")) != NULL) {
				if (ynode_str(x, &s, err) < 0)
					return -1;
				if (strcmp(s, "low") && strcmp(s, "normal") &&
				    strcmp(s, "high") && strcmp(s, "urgent"))
					return ynode_err(x, err, "priority is "
					    "low, normal, high or urgent");
				free(rs->cat[c].priority);
				rs->cat[c].priority = xstrdup(s);
			}
		}
	}
	if ((v = ynode_get(doc, "rules")) != NULL) {
		if (v->kind != YNODE_SEQ)
			return ynode_err(v, err, "rules: a list of rules");
		for (size_t i = 0; i < v->n; i++) {
			struct rule r;
			size_t j;
			if (load_rule(v->items[i], &r, err) < 0) {
				rule_free(&r);
				return -1;
			}
			for (j = 0; j < rs->n; j++)
				if (strcmp(rs->r[j].name, r.name) == 0)
					break;
			if (j < rs->n) {
				rule_free(&rs->r[j]);
				rs->r[j] = r;
			} else {
				rs->r = xrealloc(rs->r, (rs->n + 1) *
				    sizeof(*rs->r));
				rs->r[rs->n++] = r;
			}
		}
	}
	return 0;
}

struct store_rules *
store_rules_load(const char *const *files, const char *const *texts,
    size_t n, struct tdesk_err *err)
{
	struct store_rules *rs = xcalloc(1, sizeof(*rs));

	rs->min_score = 1;
	for (size_t i = 0; i < n; i++) {
		struct ynode *doc = texts && texts[i] ?
		    yaml_load_string(files[i], texts[i], strlen(texts[i]), err) :
		    yaml_load_file(files[i], err);
		int rc;
		if (doc == NULL) {
			store_rules_free(rs);
			return NULL;
		}
		rc = load_doc(rs, doc, err);
		ynode_free(doc);
		if (rc < 0) {
			store_rules_free(rs);
			return NULL;
		}
	}
	return rs;
}

/* --- matching ------------------------------------------------------------- */

/* Whether every sampled byte pair of ph is in t: if not, ph cannot be. */
static int
may_hold(const struct text *t, const struct phrase *ph)
{
	for (int k = 0; k < ph->nbg; k++)
		if (!(t->bg[ph->bg[k] >> 6] >> (ph->bg[k] & 63) & 1))
			return 0;
	for (int k = 0; k < ph->nqg; k++)
		if (!(t->qg[ph->qg[k] >> 6] >> (ph->qg[k] & 63) & 1))
			return 0;
	return 1;
}

static int
in_range(const struct text *t, const struct plist *l, const char *s,
    size_t len)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct phrase *ph = &l->p[i];
		if (!may_hold(t, ph))
			continue;
		const char *p = s, *end = s + len;
		while ((p = memmem(p, (size_t)(end - p), ph->s, ph->len))) {
			if (!ph->word || p == s ||
			    !cls_word_char((unsigned char)p[-1]))
				return 1;
			p++;
		}
	}
	return 0;
}

static int
sent_of(const struct text *t, size_t pos)
{
	for (int i = 0; i < t->n_sent; i++)
		if (pos >= t->sent[i].start && pos < t->sent[i].end)
			return i;
	return t->n_sent - 1;
}

static int
regex_in(const struct rule *r, const char *s, size_t len)
{
	char stack[512], *c = len < sizeof(stack) ? stack : xmalloc(len + 1);
	int rc;

	memcpy(c, s, len);
	c[len] = '\0';
	locale_t old = c_locale() ? uselocale(c_locale()) : (locale_t)0;
	rc = regexec(&r->re, c, 0, NULL, 0) == 0;
	if (old)
		uselocale(old);
	if (c != stack)
		free(c);
	return rc;
}

/* The sentence si with the one before and the one after it, of the same
 * zone (the customer's new words, or the history quoted). */
static void
story(const struct text *t, int si, const char **ss, size_t *sl)
{
	size_t a = t->sent[si].start, z = t->sent[si].end;
	int zone = t->sent[si].zone;

	if (si > 0 && t->sent[si - 1].zone == zone)
		a = t->sent[si - 1].start;
	if (si + 1 < t->n_sent && t->sent[si + 1].zone == zone)
		z = t->sent[si + 1].end;
	*ss = t->s + a;
	*sl = z - a;
}

/* The weight with which rule r fires in t: the best of its sentences;
 * 0 when it does not fire. An incident or urgency rule reads the
 * customer's new words, or with quoted only the rest. */
static double
rule_fire(const struct rule *r, const struct text *t, int quoted)
{
	double best = 0;
	unsigned long long done = 0;	/* sentences already tried */

	if (r->match.n == 0) {
		/* a regex alone: per sentence */
		for (int i = 0; i < t->n_sent; i++) {
			const struct sent *s = &t->sent[i];
			if ((r->where == W_SUBJECT && !s->subject) ||
			    (r->where == W_BODY && s->subject))
				continue;
			if ((s->zone != ZONE_NEW) != quoted && (r->category < 0 ||
			    r->incident))
				continue;
			if (s->weight > best && regex_in(r, t->s + s->start,
			    s->end - s->start))
				best = s->weight;
		}
		return best;
	}
	for (size_t k = 0; k < r->match.n; k++) {
		const struct phrase *ph = &r->match.p[k];
		const char *p = t->s, *end = t->s + t->len;
		if (!may_hold(t, ph))
			continue;
		while ((p = memmem(p, (size_t)(end - p), ph->s, ph->len))) {
			size_t pos = (size_t)(p - t->s);
			p++;
			if (ph->word && pos > 0 &&
			    cls_word_char((unsigned char)t->s[pos - 1]))
				continue;
			int si = sent_of(t, pos);
			const struct sent *s = &t->sent[si];
			if (s->weight <= best)
				continue;
			if ((r->where == W_SUBJECT && !s->subject) ||
			    (r->where == W_BODY && s->subject))
				continue;
			/* an incident or urgency is the customer's, now:
			 * not of the history quoted or a signature */
			if ((s->zone != ZONE_NEW) != quoted && (r->category < 0 ||
			    r->incident))
				continue;
			if (r->negation_skip && cls_negated(t, s->start, pos))
				continue;
			if (si < 64 && (done >> si & 1))
				continue;
			const char *ss = t->s + s->start;
			size_t sl = s->end - s->start;
			/* an incident's story spans the sentences around
			 * ("He asked for the code. I gave it.", "All my
			 * USDT was withdrawn. I never authorised it.") */
			if (r->incident)
				story(t, si, &ss, &sl);
			if (r->all.n && !in_range(t, &r->all, ss, sl))
				goto tried;
			if (r->unless.n && in_range(t, &r->unless, ss, sl))
				goto tried;
			if (r->has_re && !regex_in(r, ss, sl))
				goto tried;
			/* other: thanks and closings are not background,
			 * unless the problem follows ("Thanks, but ...") */
			if (r->category >= 0 && !r->incident) {
				double f = r->category == OTHER ?
				    (cls_turn_follows(t, s, pos, 1) ? 0.5 : 1) :
				    cls_purpose(t, s->start, pos) ? 0.4 :
				    cls_background(t, s, pos);
				if (s->weight * f > best)
					best = s->weight * f;
				if (f < 1)
					continue;
			}
			best = s->weight;
			continue;
tried:
			if (si < 64)
				done |= 1ULL << si;
		}
	}
	return best;
}

static void
add_name(struct store_class *out, const char *name)
{
	size_t l = strlen(out->rules), nl = strlen(name);

	if (l + nl + 2 > sizeof(out->rules))
		return;
	/* once each */
	const char *p = out->rules;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == out->rules || p[-1] == ' ') &&
		    (p[nl] == ' ' || p[nl] == '\0'))
			return;
		p++;
	}
	if (l)
		out->rules[l++] = ' ';
	memcpy(out->rules + l, name, nl + 1);
}

void
store_classify_text(const struct store_rules *rs, const char *subject,
    const char *body, const char *lang, const char *channel,
    struct store_class *out)
{
	struct text t;
	double score[CLASS_N] = { 0 };
	double *fired;
	size_t sl = subject ? strlen(subject) : 0;
	size_t bl = body ? strlen(body) : 0;

	(void)lang;
	(void)channel;
	memset(out, 0, sizeof(*out));
	out->category = OTHER;
	out->priority = "normal";
	out->group = "";
	if (rs == NULL)
		return;
	cls_prepare(&t, subject ? subject : "", sl, body ? body : "", bl);
	cls_split(&t);
	t.has_bg = cls_has_background(&t);
	t.has_purpose = cls_has_purpose(&t);

	int history = 0;
	for (int z = 0; z < t.n_zone; z++)
		history |= t.zone[z].kind == ZONE_QUOTED;
	fired = xcalloc(rs->n ? rs->n : 1, sizeof(*fired));
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->r[i];
		if (r->weight == 0)
			continue;
		fired[i] = rule_fire(r, &t, 0);
		if (fired[i] <= 0 && r->incident && history) {
			/* an incident told only in the history quoted: the
			 * topic is security, the alarm is not raised again */
			double q = rule_fire(r, &t, 1);
			score[0] += INCIDENT_QUOTED * q;
			fired[i] = -q;
		}
		if (fired[i] <= 0)
			continue;
		if (r->category >= 0)
			score[r->category] += r->weight * fired[i];
		if (r->incident)
			out->incident = 1;
		if (r->urgent)
			out->urgent = 1;
	}
	int best = OTHER;
	for (int c = 0; c < CLASS_N; c++)
		if (score[c] > score[best] || (best == OTHER && score[c] > 0))
			best = c;
	if (score[best] < rs->min_score)
		best = OTHER;
	if (out->incident)
		best = 0;	/* security */
	out->category = best;
	out->score = score[best];
	/* the names: incident rules, the winning category's, urgency */
	for (size_t i = 0; i < rs->n; i++)
		if (fired[i] > 0 && rs->r[i].incident)
			add_name(out, rs->r[i].name);
	for (size_t i = 0; i < rs->n; i++)
		if (fired[i] > 0 && rs->r[i].category == best &&
		    !rs->r[i].incident)
			add_name(out, rs->r[i].name);
	for (size_t i = 0; i < rs->n; i++)
		if (fired[i] < 0 && best == 0)
			add_name(out, rs->r[i].name);
	for (size_t i = 0; i < rs->n; i++)
		if (fired[i] > 0 && rs->r[i].urgent && !rs->r[i].incident)
			add_name(out, rs->r[i].name);
	if (out->incident)
		out->urgent = 1;
	out->group = rs->cat[best].group ? rs->cat[best].group : "";
	out->priority = out->incident ? "urgent" : out->urgent ? "high" :
	    rs->cat[best].priority ? rs->cat[best].priority : "normal";
	free(fired);
	free(t.s);
}

const char *
text_cjk_script(const char *s, size_t len)
{
	size_t i = 0;
	int han = 0, kana = 0, hangul = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			n = 1;
		i += n;
		if ((cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 &&
		    cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9f))
			kana++;
		else if ((cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0x1100 &&
		    cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f))
			hangul++;
		else if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 &&
		    cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff))
			han++;
	}
	/* any kana makes it Japanese (Japanese mixes kanji and kana);
	 * hangul Korean; Han alone Chinese */
	if (hangul && hangul >= kana)
		return "ko";
	if (kana)
		return "ja";
	if (han)
		return "zh";
	return NULL;
}
