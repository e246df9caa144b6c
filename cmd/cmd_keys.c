/* SPDX-License-Identifier: MIT */
/*
 * tdesk keys: the UI's key bindings, one per line, as the key tables hold
 * them (VIEW, KEY, ACTION, description, separated by tabs).
 */
#include "cmd/cmd.h"

#include "ui/ui.h"

static int
exec_keys(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	(void)ctx;
	if (a->argc)
		return cmd_usage_error(e, "no arguments");
	ui_keys_dump(stdout);
	return EXIT_OK;
}

const struct cmd_entry cmd_keys_entry = {
	.name = "keys",
	.summary = "print the key bindings of the full-screen queue",
	.flags = CMD_NOCONFIG,
	.exec = exec_keys,
};
