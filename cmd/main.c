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
	if (strchr(s, '/'))
		return 1;
	if (*s == '\0' || *s == '.' || *s == '-')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(s);
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

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx = { .progname = "tdesk" };
	struct tdesk_err err = { 0 };
	const char *config_path = NULL;
	const struct cmd_entry *e;
	struct cmd_args args;
	char self[PATH_MAX];
	int i, rc, no_pager = 0;

	cmd_env_load(&ctx.env);
	setlocale(LC_ALL, "");
	/* pages of JSON are large: keep their buffers instead of mapping
	 * and unmapping them for every page (a page-fault storm) */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	/* a file size limit (ulimit -f) is a full disk, not a crash */
	signal(SIGXFSZ, SIG_IGN);
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	ctx.self_exe = n > 0 ? self : argv[0];
	ctx.is_tty_out = isatty(1);
	ctx.is_tty_in = isatty(0);
	ctx.cols = ctx.is_tty_out ? cmd_term_cols() : 80;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-d") || !strcmp(a, "--desk")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "tdesk: %s needs a desk name "
				    "or path\n%s", a, CMD_MAIN_USAGE);
				return EXIT_USAGE;
			}
			ctx.desk_arg = argv[++i];
		} else if (!strncmp(a, "--desk=", 7)) {
			ctx.desk_arg = a + 7;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--config")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "tdesk: %s needs a file\n%s",
				    a, CMD_MAIN_USAGE);
				return EXIT_USAGE;
			}
			config_path = argv[++i];
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cmd_main_help(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "--no-pager")) {
			no_pager = 1;
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
	if (i < argc) {
		if ((e = find_cmd(argv[i], 0)) == NULL)
			return unknown_cmd(argv[i]);
	} else if (ctx.is_tty_out && ctx.is_tty_in) {
		e = find_cmd(NULL, CMD_DEFAULT);
	} else {
		cmd_main_help(stderr);
		return EXIT_USAGE;
	}
	/* the command's own options, checked before any file is touched */
	if (cmd_args_parse(e, i < argc ? argc - i : 1, i < argc ? argv + i :
	    (char *[]){ (char *)e->name, NULL }, &args) < 0) {
		cmd_args_free(&args);
		return EXIT_USAGE;
	}
	if (args.help) {
		cmd_print_help(e, stdout);
		cmd_args_free(&args);
		return EXIT_OK;
	}

	if (ctx.desk_arg == NULL && getenv("TDESK_DESK") &&
	    *getenv("TDESK_DESK"))
		ctx.desk_arg = getenv("TDESK_DESK");
	ctx.cfg = config_load(config_path, &err);
	if (ctx.cfg == NULL) {
		if (!(e->flags & CMD_NOCONFIG)) {
			cmd_args_free(&args);
			return cmd_fail(&err);
		}
		fprintf(stderr, "tdesk: warning: %s\n", err.msg);
		err_clear(&err);
		ctx.cfg = config_load("/dev/null", &err);
		if (ctx.cfg == NULL) {
			cmd_args_free(&args);
			return cmd_fail(&err);
		}
	}
	const char *desk = ctx.desk_arg;
	if (desk == NULL && (e->flags & CMD_DEMO_DESK))
		desk = "demo";
	if (desk == NULL)
		desk = ctx.cfg->default_desk;
	if (desk == NULL && ctx.cfg->n_desks == 1)
		desk = ctx.cfg->desks[0].name;
	if (desk == NULL)
		desk = "demo";
	if (!valid_desk_name(desk)) {
		fprintf(stderr, "tdesk: '%s' is not a desk name (letters, "
		    "digits, '.', '_' and '-') or a path\n", desk);
		config_free(ctx.cfg);
		cmd_args_free(&args);
		return EXIT_USAGE;
	}
	ctx.desk_name = xstrdup(desk);
	ctx.desk_path = desk_file(desk);
	if (e->flags & (CMD_DESK | CMD_DESK_CREATE)) {
		if (cmd_open_desk(&ctx, (e->flags & CMD_DESK_CREATE) != 0,
		    &err) < 0) {
			rc = cmd_fail(&err);
			goto out;
		}
	}
	/* every byte to the terminal through the one sanitiser */
	if (strcmp(e->name, "ui") != 0)
		cmd_termsafe_on();
	if ((e->flags & CMD_PAGER) && ctx.is_tty_out && !no_pager &&
	    !args.no_pager && paged(e, &args))
		cmd_pager_start(&ctx);
	rc = e->exec(&ctx, e, &args);
	if (ctx.pager_pid > 0) {
		fflush(stdout);
		clearerr(stdout);	/* the reader may quit before the end */
		cmd_pager_end(&ctx);
	}
out:
	cmd_args_free(&args);
	store_close(ctx.st);
	config_free(ctx.cfg);
	free(ctx.desk_name);
	free(ctx.desk_path);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tdesk: cannot write output\n");
		if (rc == 0)
			rc = EXIT_ERROR;
	}
	cmd_termsafe_off();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tdesk: cannot write output\n");
		if (rc == 0)
			rc = EXIT_ERROR;
	}
	return rc;
}
