/* SPDX-License-Identifier: MIT */
/*
 * The shared path of every write from the command line: confirm bulk,
 * then apply one change to each ticket through store_write_tickets (the
 * one multi-ticket write, all or nothing), or only describe it with
 * --dry-run. SIGINT and SIGTERM during the write stop it cleanly: the
 * transaction is rolled back and the exit status is 128 + the signal.
 */
#include "cmd/write.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

volatile sig_atomic_t cmd_write_stop;
static struct sigaction old_int, old_term;

static void
on_signal(int sig)
{
	cmd_write_stop = sig;
}

/* A signal the shell ignored for us (a background job of a script)
 * stays ignored; otherwise it stops the write cleanly. */
static void
catch(int sig, struct sigaction *old)
{
	struct sigaction sa;

	if (sigaction(sig, NULL, old) < 0 || old->sa_handler == SIG_IGN)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

void
cmd_write_signals(int on)
{
	if (on) {
		cmd_write_stop = 0;
		catch(SIGINT, &old_int);
		catch(SIGTERM, &old_term);
	} else {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
	}
}

int
cmd_write_fail(const struct tdesk_err *err, const char *nothing)
{
	int rc;

	if (err->kind == TDESK_EINTR && cmd_write_stop) {
		fprintf(stderr, "tdesk: stopped by %s: %s; run the command "
		    "again to do it\n", cmd_write_stop == SIGTERM ?
		    "SIGTERM" : "SIGINT", nothing);
		return EXIT_SIGNAL + cmd_write_stop;
	}
	rc = cmd_fail(err);
	fprintf(stderr, "tdesk: %s\n", nothing);
	return rc;
}

int
cmd_write_apply(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
    const struct store_change *ch, const struct cmd_write_opts *o)
{
	struct tdesk_err err = { 0 };
	size_t missing = 0;
	int rc;

	if (n == 0) {
		fprintf(stderr, "tdesk %s: no ticket ids given\n", o->what);
		return EXIT_USAGE;
	}
	if (store_change_check(ctx->st, ch, &err) < 0)
		return cmd_fail(&err);
	if (o->dry_run)
		return cmd_write_dry_run(ctx, ids, n, ch, o);
	/* every id must exist before anything is queued */
	for (size_t i = 0; i < n; i++) {
		struct store_ticket t = { 0 };
		int found = store_ticket_get(ctx->st, ids[i], &t, &err);
		if (found < 0)
			return cmd_fail(&err);
		if (found == 0) {
			fprintf(stderr, "tdesk: no ticket %lld in desk '%s'\n",
			    (long long)ids[i], ctx->desk_name);
			missing++;
		} else if (o->dry_run) {
			printf("would %s #%lld %s\n", o->what,
			    (long long)ids[i], t.subject);
		}
		store_ticket_clear(&t);
	}
	if (missing) {
		fprintf(stderr, "tdesk: nothing was queued\n");
		return EXIT_NOTFOUND;
	}
	if (o->dry_run) {
		printf("dry run: %zu ticket%s, nothing queued\n", n,
		    n == 1 ? "" : "s");
		/* what the reply guard would say */
		return cmd_guard_confirm(ctx, ids, n, ch, 1, o->what);
	}
	if ((rc = cmd_confirm_bulk(ctx, n, o->yes, o->what)) != 0)
		return rc;
	if ((rc = cmd_guard_confirm(ctx, ids, n, ch, o->yes, o->what)) != 0)
		return rc;
	cmd_write_signals(1);
	rc = store_write_tickets(ctx->st, ids, n, ch, &cmd_write_stop, NULL,
	    &err);
	cmd_write_signals(0);
	if (rc < 0)
		return cmd_write_fail(&err, "nothing was queued");
	if (!o->quiet)
		fprintf(stderr, "queued %s for %zu ticket%s; 'tdesk sync' "
		    "sends it\n", o->what, n, n == 1 ? "" : "s");
	return EXIT_OK;
}
