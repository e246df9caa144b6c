/* SPDX-License-Identifier: MIT */
/*
 * The environment, read once: the layers below get these values passed in
 * and never call getenv themselves (the token variable a desk names is
 * read by sync/ when it needs the token).
 */
#include <stdlib.h>
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

char *
cmd_data_file(const char *installed, const char *in_source)
{
	char *p = xasprintf("%s/%s", TDESK_DATADIR, installed);

	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return xasprintf("%s/%s", TDESK_SRCDIR, in_source);
}
