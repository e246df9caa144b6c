/* SPDX-License-Identifier: MIT */
/*
 * tdesk keys: the UI's key bindings, one per line, as the key tables hold
 * them (VIEW, KEY, ACTION, description, separated by tabs).
 */
#include "cmd/cmd.h"

#include "ui/ui.h"

static const char usage[] = "keys";

static int
exec_keys(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_keys_entry;

	(void)ctx;
	(void)argv;
	if (argc > 1)
		return cmd_usage_error(&cmd_keys_entry, "no arguments");
	ui_keys_dump(stdout);
	return EXIT_OK;
}

const struct cmd_entry cmd_keys_entry = {
	.name = "keys",
	.usage = usage,
	.summary = "print the key bindings of the full-screen queue",
	.flags = CMD_NOCONFIG,
	.exec = exec_keys,
};
