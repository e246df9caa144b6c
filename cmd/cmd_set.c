/* SPDX-License-Identifier: MIT */
/*
 * tdesk set: change fields and tags of one ticket or many, queued in the
 * outbox: status=, priority=, type=, assignee=, group=, +tag, -tag.
 */
#include "cmd/write.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "set [--dry-run] [--yes] id ... field=value ... [+tag] [-tag]";

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
exec_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_set_entry;
	const struct cmd_entry *e = &cmd_set_entry;
	struct cmd_write_opts o = { .what = "set" };
	struct store_change ch = { 0 };
	struct tdesk_err err = { 0 };
	char **idargs = xcalloc((size_t)argc + 1, sizeof(char *));
	const char **add = xcalloc((size_t)argc + 1, sizeof(char *));
	const char **rem = xcalloc((size_t)argc + 1, sizeof(char *));
	int n_idargs = 0, rc = EXIT_USAGE;
	int64_t *ids = NULL;
	size_t n = 0;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--dry-run") || !strcmp(a, "-n")) {
			o.dry_run = 1;
		} else if (!strcmp(a, "--yes") || !strcmp(a, "-y")) {
			o.yes = 1;
		} else if (is_id(a)) {
			idargs[n_idargs++] = a;
		} else if (a[0] == '+' && a[1]) {
			add[ch.n_add++] = a + 1;
		} else if (a[0] == '-' && a[1] != '-' && a[1]) {
			rem[ch.n_remove++] = a + 1;
		} else if (strchr(a, '=') && a[0] != '-') {
			char *v = strchr(a, '=');
			*v++ = '\0';
			const char **dst = !strcmp(a, "status") ? &ch.status :
			    !strcmp(a, "priority") ? &ch.priority :
			    !strcmp(a, "type") ? &ch.type :
			    !strcmp(a, "assignee") ? &ch.assignee :
			    !strcmp(a, "group") ? &ch.group : NULL;
			if (dst == NULL) {
				rc = cmd_usage_error(e, "unknown field '%s' "
				    "(status, priority, type, assignee, "
				    "group)", a);
				goto out;
			}
			*dst = v;
		} else {
			rc = cmd_usage_error(e, "'%s' is neither a ticket id "
			    "nor a change", a);
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
	.usage = usage,
	.summary = "change status, priority, type, assignee, group or tags",
	.flags = CMD_DESK,
	.exec = exec_set,
};
