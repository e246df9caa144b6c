/* SPDX-License-Identifier: MIT */
/*
 * tdesk help: the list of commands, or tdesk(1) opened at one command
 * (as `git help CMD` opens the command's page).
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
cmd_main_help(FILE *f)
{
	fputs(CMD_MAIN_USAGE, f);
	fputs("\nA terminal support desk over a local replica of your "
	    "helpdesk.\nWith no command on a terminal, tdesk opens the "
	    "queue.\n\ncommands:\n", f);
	for (size_t i = 0; cmd_table[i]; i++) {
		if (cmd_table[i]->summary == NULL)
			continue;
		fprintf(f, "  %-10s %s\n", cmd_table[i]->name,
		    cmd_table[i]->summary);
	}
	fputs("\n'tdesk COMMAND --help' lists a command's options; "
	    "'tdesk help COMMAND'\nopens tdesk(1) at it.\n", f);
}

static int
exec_help(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	const struct cmd_entry *c = NULL;

	(void)ctx;
	if (a->argc == 0) {
		cmd_main_help(stdout);
		return EXIT_OK;
	}
	if (a->argc > 1)
		return cmd_usage_error(e, "give one command");
	for (size_t i = 0; cmd_table[i]; i++)
		if (strcmp(cmd_table[i]->name, a->argv[0]) == 0)
			c = cmd_table[i];
	if (c == NULL) {
		fprintf(stderr, "tdesk: '%s' is not a tdesk command; see "
		    "'tdesk --help'\n", a->argv[0]);
		return EXIT_USAGE;
	}
	/* less (man's usual pager) starts at the command's entry */
	const char *old = getenv("LESS");
	char *less = xasprintf("%s%s+/^ +%s( |$)", old ? old : "",
	    old && *old ? " " : "", c->name);
	setenv("LESS", less, 1);
	free(less);
	fflush(stdout);
	execlp("man", "man", "1", "tdesk", (char *)NULL);
	fprintf(stderr, "tdesk: cannot run man: %s; 'tdesk %s --help' lists "
	    "its options\n", strerror(errno), c->name);
	return EXIT_ERROR;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.summary = "list the commands, or open tdesk(1) at one",
	.flags = CMD_NOCONFIG,
	.operands = "[command]",
	.exec = exec_help,
};
