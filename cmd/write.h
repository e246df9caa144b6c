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

/* Queue ch for every id through store_write_tickets: all or nothing
 * (see store_multi_run); returns an exit status. */
int cmd_write_apply(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, const struct cmd_write_opts *o);

/* Set by SIGINT/SIGTERM (the signal number) while a write runs. */
#include <signal.h>
extern volatile sig_atomic_t cmd_write_stop;
/* Catch SIGINT and SIGTERM into cmd_write_stop (on), or restore. */
void cmd_write_signals(int on);
/* Report a failed write: the error, then "tdesk: NOTHING"; a stop by a
 * signal exits 128 + the signal. Returns the exit status. */
int cmd_write_fail(const struct tdesk_err *err, const char *nothing);
/* --dry-run: make each change in a transaction rolled back at once, so
 * every check of the real run applies; print each change exactly. */
int cmd_write_dry_run(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, const struct cmd_write_opts *o);

#endif
