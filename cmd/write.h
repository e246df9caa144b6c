/* SPDX-License-Identifier: MIT */
/*
 * Shared by the writing subcommands (reply, note, set, macro apply).
 */
#ifndef TDESK_CMD_WRITE_H
#define TDESK_CMD_WRITE_H

#include "cmd/cmd.h"

struct cmd_write_opts {
	const char *what;	/* "reply", "note", "set" for messages */
	int dry_run;
	int yes;
	int quiet;
};

/* Queue ch for every id in one transaction (nothing on any failure);
 * returns an exit status. */
int cmd_write_apply(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, const struct cmd_write_opts *o);

/* --dry-run: make each change in a transaction rolled back at once, so
 * every check of the real run applies; print each change exactly. */
int cmd_write_dry_run(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, const struct cmd_write_opts *o);

#endif
