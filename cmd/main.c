/* SPDX-License-Identifier: MIT */
/*
 * tdesk's entry point: global options (-d/--desk, --config), the config
 * file, the desk's replica, then the subcommand from the command table.
 */
#include "cmd/cmd.h"

#include <limits.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_entry *
find_cmd(const char *name, int flag)
{
	for (size_t i = 0; cmd_table[i]; i++)
		if (name ? strcmp(cmd_table[i]->name, name) == 0 :
		    (cmd_table[i]->flags & flag) != 0)
			return cmd_table[i];
	return NULL;
}

static int
unknown_cmd(const char *name)
{
	const char *words[64];
	size_t n = 0;

	for (size_t i = 0; cmd_table[i] && n < ARRAY_LEN(words); i++)
		words[n++] = cmd_table[i]->name;
	const char *near = cmd_closest(name, words, n);
	fprintf(stderr, "tdesk: '%s' is not a tdesk command", name);
	if (near)
		fprintf(stderr, "; did you mean '%s'?\n", near);
	else
		fputs("; see 'tdesk --help'\n", stderr);
	return EXIT_USAGE;
}

/* Where the replica of desk lives: a path as given, or a name's file. */
static char *
desk_file(const char *desk)
{
	if (strchr(desk, '/') || (strlen(desk) > 3 &&
	    strcmp(desk + strlen(desk) - 3, ".db") == 0))
		return xstrdup(desk);
	char *dir = data_dir();
	char *p = xasprintf("%s/%s.db", dir, desk);
	free(dir);
	return p;
}

static int
valid_desk_name(const char *s)
{
	return strchr(s, '/') != NULL || cmd_desk_name_ok(s);
}

/* Whether this run of e reads (paged) rather than asks or edits. */
static int
paged(const struct cmd_entry *e, const struct cmd_args *a)
{
	const char *v = e->paged_verbs;
	size_t n;

	if (v == NULL || a->argc == 0)
		return 1;
	n = strlen(a->argv[0]);
	for (const char *p = strstr(v, a->argv[0]); p; p = strstr(p + 1,
	    a->argv[0]))
		if ((p == v || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The process and terminal facts every command sees; the environment. */
static void
setup_process(struct cmd_ctx *ctx, const char *argv0, char *self,
    size_t self_size)
{
	cmd_env_load(&ctx->env);
	setlocale(LC_ALL, "");
	/* pages of JSON are large: keep their buffers instead of mapping
	 * and unmapping them for every page (a page-fault storm) */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	/* a file size limit (ulimit -f) is a full disk, not a crash */
	signal(SIGXFSZ, SIG_IGN);
	ssize_t n = readlink("/proc/self/exe", self, self_size - 1);
	self[n > 0 ? n : 0] = '\0';
	ctx->self_exe = n > 0 ? self : argv0;
	ctx->is_tty_out = isatty(1);
	ctx->is_tty_in = isatty(0);
	ctx->cols = ctx->is_tty_out ? cmd_term_cols() : 80;
}

/* The value of global option a at argv[*i + 1], or NULL after saying
 * what it needs. */
static const char *
global_value(int argc, char **argv, int *i, const char *needs)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "tdesk: %s needs %s\n%s", argv[*i], needs,
		    CMD_MAIN_USAGE);
		return NULL;
	}
	return argv[++*i];
}

struct globals {
	const char *config_path;	/* -c/--config */
	int no_pager;			/* --no-pager */
	int next;			/* argv index of the command */
};

/* The options before the command. -1 to go on, else an exit status. */
static int
parse_globals(struct cmd_ctx *ctx, int argc, char **argv, struct globals *g)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-d") || !strcmp(a, "--desk")) {
			ctx->desk_arg = global_value(argc, argv, &i,
			    "a desk name or path");
			if (ctx->desk_arg == NULL)
				return EXIT_USAGE;
		} else if (!strncmp(a, "--desk=", 7)) {
			ctx->desk_arg = a + 7;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--config")) {
			g->config_path = global_value(argc, argv, &i,
			    "a file");
			if (g->config_path == NULL)
				return EXIT_USAGE;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cmd_main_help(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "--no-pager")) {
			g->no_pager = 1;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("tdesk %s\n", TDESK_VERSION);
			return EXIT_OK;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "tdesk: unknown option '%s'\n%s", a,
			    CMD_MAIN_USAGE);
			return EXIT_USAGE;
		}
	}
	g->next = i;
	return -1;
}

/* The command named at argv[i], or the default one on a terminal; its
 * options parsed into args. -1 to go on, else an exit status. */
static int
parse_command(struct cmd_ctx *ctx, int argc, char **argv, int i,
    const struct cmd_entry **ep, struct cmd_args *args)
{
	const struct cmd_entry *e;

	memset(args, 0, sizeof(*args));
	if (i < argc) {
		if ((e = find_cmd(argv[i], 0)) == NULL)
			return unknown_cmd(argv[i]);
	} else if (ctx->is_tty_out && ctx->is_tty_in) {
		e = find_cmd(NULL, CMD_DEFAULT);
	} else {
		cmd_main_help(stderr);
		return EXIT_USAGE;
	}
	*ep = e;
	/* the command's own options, checked before any file is touched */
	if (cmd_args_parse(e, i < argc ? argc - i : 1, i < argc ? argv + i :
	    (char *[]){ (char *)e->name, NULL }, args) < 0)
		return EXIT_USAGE;
	if (args->help) {
		cmd_print_help(e, stdout);
		return EXIT_OK;
	}
	return -1;
}

/* config.yaml into ctx->cfg; a command that runs with a bad one gets
 * the defaults and a warning. 0 or an exit status. */
static int
load_config(struct cmd_ctx *ctx, const struct cmd_entry *e,
    const char *config_path)
{
	struct tdesk_err err = { 0 };

	ctx->cfg = config_load(config_path, &err);
	if (ctx->cfg != NULL)
		return 0;
	if (!(e->flags & CMD_NOCONFIG))
		return cmd_fail(&err);
	fprintf(stderr, "tdesk: warning: %s\n", err.msg);
	err_clear(&err);
	ctx->cfg = config_load("/dev/null", &err);
	return ctx->cfg ? 0 : cmd_fail(&err);
}

/* Which desk this run works on: -d, $TDESK_DESK, the command's own, the
 * config's default or only desk, else the demo desk. 0 or an exit
 * status. */
static int
resolve_desk(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	const char *desk = ctx->desk_arg;

	if (desk == NULL && (e->flags & CMD_DEMO_DESK))
		desk = "demo";
	if (desk == NULL)
		desk = ctx->cfg->default_desk;
	if (desk == NULL && ctx->cfg->n_desks == 1)
		desk = ctx->cfg->desks[0].name;
	if (desk == NULL)
		desk = "demo";
	if (!valid_desk_name(desk)) {
		fprintf(stderr, "tdesk: '%s' is not a desk name (letters, "
		    "digits, '.', '_' and '-') or a path\n", desk);
		return EXIT_USAGE;
	}
	ctx->desk_name = xstrdup(desk);
	ctx->desk_path = desk_file(desk);
	return 0;
}

/* Run e with the desk open when it needs one and stdout through the
 * sanitiser (and the pager when it pages). */
static int
run_command(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *args, int no_pager)
{
	struct tdesk_err err = { 0 };
	int rc;

	if (e->flags & (CMD_DESK | CMD_DESK_CREATE)) {
		if (cmd_open_desk(ctx, (e->flags & CMD_DESK_CREATE) != 0,
		    &err) < 0)
			return cmd_fail(&err);
	}
	/* every byte to the terminal through the one sanitiser (the UI
	 * turns it off when curses takes the screen) */
	cmd_termsafe_on();
	if ((e->flags & CMD_PAGER) && ctx->is_tty_out && !no_pager &&
	    !args->no_pager && paged(e, args))
		cmd_pager_start(ctx);
	rc = e->exec(ctx, e, args);
	if (ctx->pager_pid > 0) {
		fflush(stdout);
		clearerr(stdout);	/* the reader may quit before the end */
		cmd_pager_end(ctx);
	}
	return rc;
}

/* A write error on stdout fails a run that otherwise succeeded. */
static int
check_stdout(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tdesk: cannot write output\n");
		if (rc == 0)
			rc = EXIT_ERROR;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx = { .progname = "tdesk" };
	struct globals g = { 0 };
	const struct cmd_entry *e = NULL;
	struct cmd_args args;
	char self[PATH_MAX];
	int rc;

	setup_process(&ctx, argv[0], self, sizeof(self));
	if ((rc = parse_globals(&ctx, argc, argv, &g)) >= 0)
		return rc;
	if ((rc = parse_command(&ctx, argc, argv, g.next, &e, &args)) >= 0) {
		cmd_args_free(&args);
		return rc;
	}
	if (ctx.desk_arg == NULL && getenv("TDESK_DESK") &&
	    *getenv("TDESK_DESK"))
		ctx.desk_arg = getenv("TDESK_DESK");
	if ((rc = load_config(&ctx, e, g.config_path)) == 0 &&
	    (rc = resolve_desk(&ctx, e)) == 0)
		rc = run_command(&ctx, e, &args, g.no_pager);
	cmd_args_free(&args);
	store_close(ctx.st);
	config_free(ctx.cfg);
	free(ctx.desk_name);
	free(ctx.desk_path);
	rc = check_stdout(rc);
	cmd_termsafe_off();
	return check_stdout(rc);
}
