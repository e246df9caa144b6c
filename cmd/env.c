/* SPDX-License-Identifier: MIT */
/*
 * The environment, read once: the layers below get these values passed in
 * and never call getenv themselves (the token variable a desk names is
 * read by sync/ when it needs the token).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

static const char *
get(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

void
cmd_env_load(struct cmd_env *env)
{
	int64_t t;

	env->editor = get("VISUAL");
	if (env->editor == NULL)
		env->editor = get("EDITOR");
	env->tmpdir = get("TMPDIR");
	env->ui_trace = get("TDESK_UI_TRACE");
	env->term = get("TERM");
	env->no_color = get("NO_COLOR") != NULL;
	env->opener = get("TDESK_OPENER");
	env->attach_timeout = get("TDESK_ATTACHMENT_TIMEOUT") ?
	    atoi(get("TDESK_ATTACHMENT_TIMEOUT")) : 0;
	/* tests pin the clock */
	if (get("TDESK_NOW") != NULL &&
	    time_parse_pin(get("TDESK_NOW"), &t) == 0)
		time_pin(t);
}

/* Whether exe lies under the build tree this binary was built in. */
static int
in_build_tree(const char *exe)
{
	char *root = realpath(TDESK_BUILDDIR, NULL);
	size_t n = root ? strlen(root) : 0;
	int in = root && exe && strncmp(exe, root, n) == 0 && exe[n] == '/';

	free(root);
	return in;
}

char *
cmd_data_file(const struct cmd_ctx *ctx, const char *installed,
    const char *in_source)
{
	char *inst = xasprintf("%s/%s", TDESK_DATADIR, installed);
	char *src = xasprintf("%s/%s", TDESK_SRCDIR, in_source);
	char *first = inst, *second = src;

	if (in_build_tree(ctx->self_exe)) {
		first = src;
		second = inst;
	}
	if (access(first, R_OK) != 0 && access(second, R_OK) == 0) {
		char *t = first;
		first = second;
		second = t;
	}
	free(second);
	return first;
}
