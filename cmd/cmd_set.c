/* SPDX-License-Identifier: MIT */
/*
 * tdesk set: change fields and tags of one ticket or many, queued in the
 * outbox: status=, priority=, type=, assignee=, group=, +tag, -tag.
 */
#include "cmd/write.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_opt set_opts[] = {
	{ 'n', "dry-run", NULL, "check everything and show the change, queue "
	    "nothing", 0, 0 },
	{ 'y', "yes", NULL, "do not ask before touching many tickets", 0, 0 },
	{ 0 }
};

static int
is_id(const char *s)
{
	if (!strcmp(s, "-"))
		return 1;
	if (*s == '#')
		s++;
	return *s && strspn(s, "0123456789") == strlen(s);
}

static int
exec_set(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct cmd_write_opts o = { .what = "set" };
	int argc = a->argc;
	struct store_change ch = { 0 };
	struct tdesk_err err = { 0 };
	char **idargs = xcalloc((size_t)argc + 1, sizeof(char *));
	const char **add = xcalloc((size_t)argc + 1, sizeof(char *));
	const char **rem = xcalloc((size_t)argc + 1, sizeof(char *));
	int n_idargs = 0, rc = EXIT_USAGE;
	int64_t *ids = NULL;
	size_t n = 0;

	o.dry_run = cmd_flag(a, "dry-run");
	o.yes = cmd_flag(a, "yes");
	for (int i = 0; i < argc; i++) {
		char *w = a->argv[i];
		if (is_id(w)) {
			idargs[n_idargs++] = w;
		} else if (w[0] == '+' && w[1]) {
			add[ch.n_add++] = w + 1;
		} else if (w[0] == '-' && w[1] != '-' && w[1]) {
			rem[ch.n_remove++] = w + 1;
		} else if (strchr(w, '=') && w[0] != '-') {
			char *v = strchr(w, '=');
			*v++ = '\0';
			const char **dst = !strcmp(w, "status") ? &ch.status :
			    !strcmp(w, "priority") ? &ch.priority :
			    !strcmp(w, "type") ? &ch.type :
			    !strcmp(w, "assignee") ? &ch.assignee :
			    !strcmp(w, "group") ? &ch.group : NULL;
			if (dst == NULL) {
				rc = cmd_usage_error(e, "unknown field '%s' "
				    "(status, priority, type, assignee, "
				    "group)", w);
				goto out;
			}
			*dst = v;
		} else {
			rc = cmd_usage_error(e, "'%s' is neither a ticket id "
			    "nor a change", w);
			goto out;
		}
	}
	ch.add_tags = add;
	ch.remove_tags = rem;
	if (n_idargs == 0) {
		rc = cmd_usage_error(e, "give at least one ticket id");
		goto out;
	}
	if (cmd_read_ids(n_idargs, idargs, 0, &ids, &n, &err) < 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	rc = cmd_write_apply(ctx, ids, n, &ch, &o);
out:
	free(ids);
	free(idargs);
	free(add);
	free(rem);
	return rc;
}

const struct cmd_entry cmd_set_entry = {
	.name = "set",
	.summary = "change status, priority, type, assignee, group or tags",
	.flags = CMD_DESK | CMD_DASH_OPERANDS,	/* "-tag" removes a tag */
	.opts = set_opts,
	.operands = "id ... field=value ... [+tag] [-tag]",
	.exec = exec_set,
};
