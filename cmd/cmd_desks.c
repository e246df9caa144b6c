/* SPDX-License-Identifier: MIT */
/*
 * tdesk desks: the desks configured and the replicas present, with the
 * default marked.
 */
#include "cmd/cmd.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

void
cmd_local_replicas(struct cmd_ctx *ctx, void (*fn)(const char *name,
    const char *file, void *arg), void *arg)
{
	char *dir = data_dir();
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 3, ".db"))
			continue;
		char *name = xstrndup(de->d_name, n - 3);
		if (!config_desk_find(ctx->cfg, name)) {
			char *file = xasprintf("%s/%s", dir, de->d_name);
			fn(name, file, arg);
			free(file);
		}
		free(name);
	}
	closedir(d);
	free(dir);
}

static void
print_replica(const char *name, const char *file, void *arg)
{
	struct cmd_ctx *ctx = arg;

	printf("%c %-16s %s\n", !strcmp(name, ctx->desk_name) ? '*' : ' ',
	    name, file);
}

static int
exec_desks(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	if (a->argc)
		return cmd_usage_error(e, "no arguments");
	for (size_t i = 0; i < ctx->cfg->n_desks; i++) {
		const struct config_desk *k = &ctx->cfg->desks[i];
		printf("%c %-16s %s\n", !strcmp(k->name, ctx->desk_name) ?
		    '*' : ' ', k->name, k->url ? k->url : "(no url)");
	}
	cmd_local_replicas(ctx, print_replica, ctx);
	return EXIT_OK;
}

const struct cmd_entry cmd_desks_entry = {
	.name = "desks",
	.summary = "list configured desks and local replicas",
	.flags = CMD_NOCONFIG,
	.exec = exec_desks,
};
