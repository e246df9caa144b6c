/* SPDX-License-Identifier: MIT */
/*
 * One argument parser for every subcommand, driven by the option spec in
 * the command's table entry: options anywhere before "--", --opt=value,
 * bundled short options, and the usage line and --help generated from
 * the same spec. Internal to cmd/.
 */
#ifndef TDESK_CMD_ARGS_H
#define TDESK_CMD_ARGS_H

#include <stddef.h>
#include <stdio.h>

struct cmd_entry;

enum cmd_opt_flags {
	CMD_OPT_MULTI = 1 << 0,	/* may repeat; every value is kept */
	CMD_OPT_SHORT = 1 << 1,	/* the usage line shows -x, not --long */
};

struct cmd_opt {
	char shrt;		/* 'm' for -m, or 0 */
	const char *name;	/* "message" for --message */
	const char *arg;	/* the value's name in usage, NULL for a flag */
	const char *help;	/* one line for --help */
	int group;		/* options sharing a group exclude each other */
	int flags;		/* enum cmd_opt_flags */
};

#define CMD_OPT_MAX 16

/* What the parser found: operands in order, options by their spec slot. */
struct cmd_args {
	const struct cmd_entry *e;
	int argc;		/* operands, without the command's name */
	char **argv;		/* NULL-terminated */
	int seen[CMD_OPT_MAX];	/* times each option was given */
	const char *val[CMD_OPT_MAX];	/* its last value */
	const char **vals[CMD_OPT_MAX];	/* all values of a MULTI option */
	int help;		/* -h/--help was given as an option */
	int no_pager;		/* --no-pager, for commands that page */
};

/*
 * Parse argv (argv[0] is the command's name) by e's spec into a. Returns
 * 0, or prints "tdesk CMD: problem" and the usage line to stderr and
 * returns -1. Free a with cmd_args_free whatever it returns.
 */
int cmd_args_parse(const struct cmd_entry *e, int argc, char **argv,
    struct cmd_args *a);
void cmd_args_free(struct cmd_args *a);

/* How many times the option named name (its long name) was given. */
int cmd_flag(const struct cmd_args *a, const char *name);
/* Its last value, or NULL. */
const char *cmd_opt(const struct cmd_args *a, const char *name);
/* Every value of a MULTI option (NULL-terminated, maybe NULL); *n their
 * count. Borrowed until cmd_args_free. */
const char **cmd_opt_all(const struct cmd_args *a, const char *name,
    size_t *n);

/*
 * For a command that still walks its own argv: the options as parsed,
 * spelled "-x value" or "--name value" in spec order, and the operands
 * (first or last), behind argv[0] = the command's name. Free with
 * cmd_legacy_free.
 */
struct cmd_legacy {
	int argc;
	char **argv;
	char **owned;
	size_t n_owned;
};
void cmd_args_legacy(const struct cmd_args *a, int operands_first,
    struct cmd_legacy *l);
void cmd_legacy_free(struct cmd_legacy *l);

/* How many options e's spec has. */
size_t cmd_opts_count(const struct cmd_entry *e);

/* The usage line generated from e ("list [--json] ... [query ...]"). */
char *cmd_usage_line(const struct cmd_entry *e);
/* usage line, summary and one line per option, for `tdesk CMD --help`. */
void cmd_print_help(const struct cmd_entry *e, FILE *f);

/* The word of words[0..n) closest to s by edit distance, or NULL when
 * none is close enough to be what the user meant. */
const char *cmd_closest(const char *s, const char *const *words, size_t n);

#endif
