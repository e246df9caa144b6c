/* SPDX-License-Identifier: MIT */
/*
 * The argument parser every subcommand shares, and the usage line and
 * per-option help generated from the same spec (see cmd/args.h).
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

size_t
cmd_opts_count(const struct cmd_entry *e)
{
	size_t n = 0;

	while (e->opts && e->opts[n].name)
		n++;
	return n;
}

static int
bad(const struct cmd_entry *e, const char *fmt, const char *what,
    const char *hint)
{
	fprintf(stderr, "tdesk %s: ", e->name);
	fprintf(stderr, fmt, what);
	if (hint)
		fprintf(stderr, "; did you mean '--%s'?", hint);
	fputc('\n', stderr);
	cmd_print_usage(e, stderr);
	return -1;
}

static int
find_long(const struct cmd_entry *e, const char *s, size_t len)
{
	for (size_t i = 0; i < cmd_opts_count(e); i++)
		if (strlen(e->opts[i].name) == len &&
		    strncmp(e->opts[i].name, s, len) == 0)
			return (int)i;
	return -1;
}

static int
find_short(const struct cmd_entry *e, char c)
{
	for (size_t i = 0; i < cmd_opts_count(e); i++)
		if (e->opts[i].shrt == c)
			return (int)i;
	return -1;
}

static void
set_opt(const struct cmd_entry *e, struct cmd_args *a, int k, const char *v)
{
	a->seen[k]++;
	a->val[k] = v;
	if (v && (e->opts[k].flags & CMD_OPT_MULTI)) {
		a->vals[k] = xrealloc(a->vals[k], ((size_t)a->seen[k] + 1) *
		    sizeof(char *));
		a->vals[k][a->seen[k] - 1] = v;
		a->vals[k][a->seen[k]] = NULL;
	}
}

static const char *
suggest(const struct cmd_entry *e, const char *s)
{
	const char *words[CMD_OPT_MAX];
	size_t n = cmd_opts_count(e);

	for (size_t i = 0; i < n; i++)
		words[i] = e->opts[i].name;
	return cmd_closest(s, words, n);
}

/* One "-xyz" word: bundled flags, the last may take a value (the rest of
 * the word or the next argument). Returns 1 when it used the next one. */
static int
parse_short(const struct cmd_entry *e, struct cmd_args *a, const char *w,
    const char *next)
{
	for (const char *p = w + 1; *p; p++) {
		int k;
		char opt[3] = { '-', *p, '\0' };

		if (*p == 'h') {
			a->help = 1;
			continue;
		}
		if ((k = find_short(e, *p)) < 0)
			return bad(e, "unknown option '%s'", opt, NULL) - 1;
		if (e->opts[k].arg == NULL) {
			set_opt(e, a, k, NULL);
			continue;
		}
		if (p[1]) {
			set_opt(e, a, k, p + 1);
			return 0;
		}
		if (next == NULL)
			return bad(e, "'%s' needs a value", opt, NULL) - 1;
		set_opt(e, a, k, next);
		return 1;
	}
	return 0;
}

static int
parse_long(const struct cmd_entry *e, struct cmd_args *a, const char *w,
    const char *next)
{
	const char *name = w + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int k = find_long(e, name, len);

	if (len == 4 && strncmp(name, "help", 4) == 0 && !eq) {
		a->help = 1;
		return 0;
	}
	if ((e->flags & CMD_PAGER) && len == 8 &&
	    strncmp(name, "no-pager", 8) == 0 && !eq) {
		a->no_pager = 1;
		return 0;
	}
	if (k < 0) {
		char *n = xstrndup(name, len);
		bad(e, "unknown option '--%s'", n, suggest(e, n));
		free(n);
		return -2;
	}
	if (e->opts[k].arg == NULL) {
		if (eq)
			return bad(e, "'--%s' takes no value",
			    e->opts[k].name, NULL) - 1;
		set_opt(e, a, k, NULL);
		return 0;
	}
	if (eq) {
		set_opt(e, a, k, eq + 1);
		return 0;
	}
	if (next == NULL)
		return bad(e, "'--%s' needs a value", e->opts[k].name,
		    NULL) - 1;
	set_opt(e, a, k, next);
	return 1;
}

/* For a command whose operands may start with '-': is w one of them? */
static int
dash_operand(const struct cmd_entry *e, const char *w)
{
	int k = find_short(e, w[1]);

	if (k < 0)
		return 1;
	/* "-n2" is an option with its value; "-ny" a word, not two flags */
	return e->opts[k].arg == NULL && w[2] != '\0';
}

int
cmd_args_parse(const struct cmd_entry *e, int argc, char **argv,
    struct cmd_args *a)
{
	size_t nopt = cmd_opts_count(e);
	int i, dashdash = 0;

	memset(a, 0, sizeof(*a));
	a->e = e;
	a->argv = xcalloc((size_t)argc + 1, sizeof(char *));
	for (i = 1; i < argc; i++) {
		char *w = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		int used;

		if (dashdash || w[0] != '-' || w[1] == '\0') {
			a->argv[a->argc++] = w;
			continue;
		}
		if (strcmp(w, "--") == 0) {
			dashdash = 1;
			continue;
		}
		/* set's "-tag": a dash word no option claims is an operand */
		if ((e->flags & CMD_DASH_OPERANDS) && w[1] != '-' &&
		    !(w[1] == 'h' && w[2] == '\0') && dash_operand(e, w)) {
			a->argv[a->argc++] = w;
			continue;
		}
		used = w[1] == '-' ? parse_long(e, a, w, next) :
		    parse_short(e, a, w, next);
		if (used < 0)
			return -1;
		i += used;
	}
	if (a->help)
		return 0;
	/* options of one group exclude each other */
	for (size_t j = 0; j < nopt; j++) {
		for (size_t k = j + 1; k < nopt; k++) {
			const struct cmd_opt *o = &e->opts[j], *p = &e->opts[k];
			if (!o->group || o->group != p->group ||
			    !a->seen[j] || !a->seen[k])
				continue;
			fprintf(stderr, "tdesk %s: give --%s or --%s, not "
			    "both\n", e->name, o->name, p->name);
			cmd_print_usage(e, stderr);
			return -1;
		}
	}
	return 0;
}

void
cmd_args_free(struct cmd_args *a)
{
	for (size_t i = 0; i < CMD_OPT_MAX; i++)
		free(a->vals[i]);
	free(a->argv);
	memset(a, 0, sizeof(*a));
}

static int
slot(const struct cmd_args *a, const char *name)
{
	int k = find_long(a->e, name, strlen(name));

	/* asking for an option the spec lacks is a bug in the command */
	if (k < 0) {
		fprintf(stderr, "tdesk: BUG: '%s' has no option '%s'\n",
		    a->e->name, name);
		abort();
	}
	return k;
}

int
cmd_flag(const struct cmd_args *a, const char *name)
{
	return a->seen[slot(a, name)];
}

const char *
cmd_opt(const struct cmd_args *a, const char *name)
{
	return a->val[slot(a, name)];
}

const char **
cmd_opt_all(const struct cmd_args *a, const char *name, size_t *n)
{
	int k = slot(a, name);

	*n = a->vals[k] ? (size_t)a->seen[k] : 0;
	return a->vals[k];
}

/* "-m text", "--json", "--lang lang": how an option is shown in usage. */
static void
opt_spelling(struct buf *b, const struct cmd_opt *o)
{
	if (o->shrt && (o->flags & CMD_OPT_SHORT))
		buf_printf(b, "-%c%s%s", o->shrt, o->arg ? " " : "",
		    o->arg ? o->arg : "");
	else if (o->arg)
		buf_printf(b, "--%s %s", o->name, o->arg);
	else
		buf_printf(b, "--%s", o->name);
}

char *
cmd_usage_line(const struct cmd_entry *e)
{
	struct buf b = BUF_INIT;
	size_t n = cmd_opts_count(e);

	buf_adds(&b, e->name);
	if (e->verbs)
		buf_printf(&b, " %s", e->verbs);
	for (size_t i = 0; i < n; i++) {
		const struct cmd_opt *o = &e->opts[i];

		if (o->group && i > 0 && e->opts[i - 1].group == o->group)
			continue;
		buf_adds(&b, " [");
		opt_spelling(&b, o);
		for (size_t k = i + 1; k < n && o->group &&
		    e->opts[k].group == o->group; k++) {
			buf_adds(&b, " | ");
			opt_spelling(&b, &e->opts[k]);
		}
		buf_addc(&b, ']');
		if (o->flags & CMD_OPT_MULTI)
			buf_adds(&b, "...");
	}
	if (e->operands)
		buf_printf(&b, " %s", e->operands);
	return buf_detach(&b);
}

void
cmd_print_help(const struct cmd_entry *e, FILE *f)
{
	size_t n = cmd_opts_count(e), width = 10;
	struct buf b = BUF_INIT;

	cmd_print_usage(e, f);
	if (e->summary)
		fprintf(f, "\n%s.\n", e->summary);
	fputs("\noptions:\n", f);
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i <= n; i++) {
			const struct cmd_opt *o = i < n ? &e->opts[i] : NULL;

			buf_reset(&b);
			if (o == NULL && pass == 1 &&
			    (e->flags & CMD_PAGER))
				fprintf(f, "  %-*s  %s\n", (int)width,
				    "    --no-pager", "print to the terminal, "
				    "not through $PAGER");
			if (o == NULL)
				buf_adds(&b, "-h, --help");
			else if (o->shrt)
				buf_printf(&b, "-%c, --%s%s%s", o->shrt,
				    o->name, o->arg ? " " : "",
				    o->arg ? o->arg : "");
			else
				buf_printf(&b, "    --%s%s%s", o->name,
				    o->arg ? " " : "", o->arg ? o->arg : "");
			if (pass == 0 && b.len > width)
				width = b.len;
			if (pass == 1)
				fprintf(f, "  %-*s  %s\n", (int)width, b.data,
				    o ? o->help : "show this help");
		}
	}
	fputs("\n'tdesk help ", f);
	fputs(e->name, f);
	fputs("' opens tdesk(1) at this command.\n", f);
	buf_free(&b);
}

/* The word of words closest to s (a typo or a prefix), or NULL. */
const char *
cmd_closest(const char *s, const char *const *words, size_t n)
{
	const char *best = NULL;
	size_t bestd = 99, len = strlen(s);

	for (size_t i = 0; i < n; i++) {
		size_t d = (size_t)edit_distance(s, len, words[i],
		    strlen(words[i]));
		/* a prefix of a word is what a hurried hand types */
		if (len >= 2 && strncmp(words[i], s, len) == 0)
			d = 1;
		if (d < bestd) {
			bestd = d;
			best = words[i];
		}
	}
	/* two edits in a short word is another word */
	return bestd <= (len > 4 ? 2u : 1u) ? best : NULL;
}

void
cmd_args_legacy(const struct cmd_args *a, int operands_first,
    struct cmd_legacy *l)
{
	const struct cmd_entry *e = a->e;
	size_t n = cmd_opts_count(e), k = 0, cap = 2 + (size_t)a->argc;

	for (size_t i = 0; i < n; i++)
		cap += 2 * (size_t)a->seen[i];
	memset(l, 0, sizeof(*l));
	l->argv = xcalloc(cap, sizeof(*l->argv));
	l->owned = xcalloc(n + 1, sizeof(*l->owned));
	l->argv[k++] = (char *)e->name;
	if (operands_first)
		for (int i = 0; i < a->argc; i++)
			l->argv[k++] = a->argv[i];
	for (size_t i = 0; i < n; i++) {
		const struct cmd_opt *o = &e->opts[i];

		if (a->seen[i] == 0)
			continue;
		l->owned[l->n_owned] = o->shrt ? xasprintf("-%c", o->shrt) :
		    xasprintf("--%s", o->name);
		l->argv[k++] = l->owned[l->n_owned++];
		if (o->arg)
			l->argv[k++] = (char *)a->val[i];
	}
	if (!operands_first)
		for (int i = 0; i < a->argc; i++)
			l->argv[k++] = a->argv[i];
	l->argv[k] = NULL;
	l->argc = (int)k;
}

void
cmd_legacy_free(struct cmd_legacy *l)
{
	for (size_t i = 0; i < l->n_owned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->argv);
	memset(l, 0, sizeof(*l));
}
