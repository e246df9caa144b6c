/* SPDX-License-Identifier: MIT */
/*
 * tdesk desks: the desks configured and the replicas present, with the
 * default marked.
 */
#include "cmd/cmd.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static int
exec_desks(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	char *dir;
	DIR *d;

	if (a->argc)
		return cmd_usage_error(e, "no arguments");
	dir = data_dir();
	for (size_t i = 0; i < ctx->cfg->n_desks; i++) {
		const struct config_desk *k = &ctx->cfg->desks[i];
		printf("%c %-16s %s\n", !strcmp(k->name, ctx->desk_name) ?
		    '*' : ' ', k->name, k->url ? k->url : "(no url)");
	}
	if ((d = opendir(dir)) != NULL) {
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			size_t n = strlen(de->d_name);
			if (n < 4 || strcmp(de->d_name + n - 3, ".db"))
				continue;
			char *name = xstrndup(de->d_name, n - 3);
			if (!config_desk_find(ctx->cfg, name))
				printf("%c %-16s %s/%s\n",
				    !strcmp(name, ctx->desk_name) ? '*' : ' ',
				    name, dir, de->d_name);
			free(name);
		}
		closedir(d);
	}
	free(dir);
	return EXIT_OK;
}

const struct cmd_entry cmd_desks_entry = {
	.name = "desks",
	.summary = "list configured desks and local replicas",
	.flags = CMD_NOCONFIG,
	.exec = exec_desks,
};
