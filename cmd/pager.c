/* SPDX-License-Identifier: MIT */
/*
 * Long output on a terminal goes through a pager, as git's does:
 * TDESK_PAGER, else PAGER, else less with -FRX (quits when it fits, keeps
 * colours, leaves the text on screen). "" or "cat" means no pager.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

int
cmd_term_cols(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c && atoi(c) > 0)
		return atoi(c);
	return 80;
}

void
cmd_pager_start(struct cmd_ctx *ctx)
{
	const char *pager = getenv("TDESK_PAGER");
	int fds[2];
	pid_t pid;

	if (pager == NULL)
		pager = getenv("PAGER");
	if (pager == NULL)
		pager = "less";
	if (*pager == '\0' || strcmp(pager, "cat") == 0)
		return;
	if (pipe(fds) < 0)
		return;
	fflush(stdout);
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		/* less: quit if one screen, raw colours, no screen clearing */
		setenv("LESS", getenv("LESS") ? getenv("LESS") : "FRX", 0);
		setenv("LV", "-c", 0);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	ctx->saved_stdout = dup(1);
	dup2(fds[1], 1);
	close(fds[0]);
	close(fds[1]);
	/* the reader quitting early is not our error */
	signal(SIGPIPE, SIG_IGN);
	ctx->pager_pid = pid;
}

void
cmd_pager_end(struct cmd_ctx *ctx)
{
	int st;

	if (ctx->pager_pid <= 0)
		return;
	fflush(stdout);
	clearerr(stdout);
	/* end of input for the pager, then wait for the reader */
	dup2(ctx->saved_stdout, 1);
	close(ctx->saved_stdout);
	while (waitpid(ctx->pager_pid, &st, 0) < 0 && errno == EINTR)
		;
	ctx->pager_pid = 0;
}
