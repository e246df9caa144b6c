/* SPDX-License-Identifier: MIT */
/*
 * Sync from the UI: `tdesk -d DESK sync` as a child process, never a
 * thread and never the sync layer itself, so a hung network cannot freeze
 * a keystroke. The child is reaped with WNOHANG; its exit status says
 * synced, offline (5) or refused (7); its stderr gives the last message.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ui/ui_int.h"

void
ui_sync_start(struct ui *ui)
{
	struct ui_sync *s = &ui->sync;
	const char *exe = ui->opts->self_exe, *desk = ui->opts->desk_arg;
	int fds[2], null;
	pid_t pid;

	if (s->pid > 0) {
		ui_message(ui, 0, "a sync is already running");
		return;
	}
	if (exe == NULL || *exe == '\0') {
		ui_message(ui, 1, "cannot sync: the path of tdesk is unknown");
		return;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		ui_message(ui, 1, "cannot sync: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		ui_message(ui, 1, "cannot sync: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		dup2(fds[1], 2);
		/* a C-c meant for the UI must not cut a sync short */
		setpgid(0, 0);
		if (desk != NULL && *desk != '\0')
			execl(exe, exe, "-d", desk, "sync", (char *)NULL);
		else
			execl(exe, exe, "sync", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	s->pid = pid;
	s->errfd = fds[0];
	s->lasterr[0] = '\0';
	s->last_start = time_now();
	ui->dirty |= DIRTY_DRAW;
}

/* Keep the last non-empty line the child wrote to stderr. */
static void
read_err(struct ui_sync *s)
{
	char chunk[512], *nl, *line;
	ssize_t n;

	if (s->errfd < 0)
		return;
	while ((n = read(s->errfd, chunk, sizeof(chunk) - 1)) > 0) {
		chunk[n] = '\0';
		line = chunk;
		while ((nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			if (*line)
				snprintf(s->lasterr, sizeof(s->lasterr),
				    "%.159s", line);
			line = nl + 1;
		}
		if (*line)
			snprintf(s->lasterr, sizeof(s->lasterr), "%.159s",
			    line);
	}
}

int
ui_sync_poll(struct ui *ui)
{
	struct ui_sync *s = &ui->sync;
	int st;
	pid_t r;

	if (s->pid <= 0)
		return 0;
	read_err(s);
	r = waitpid(s->pid, &st, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return 0;
	read_err(s);
	close(s->errfd);
	s->errfd = -1;
	s->pid = 0;
	if (r < 0)
		s->last_status = 1;
	else if (WIFEXITED(st))
		s->last_status = WEXITSTATUS(st);
	else
		s->last_status = 128 + WTERMSIG(st);
	if (s->last_status == 0)
		s->last_ok = time_now();
	ui->dirty |= DIRTY_DRAW | DIRTY_ROWS | DIRTY_COUNTS | DIRTY_TICKET |
	    DIRTY_OUTBOX;
	return 1;
}

void
ui_sync_notice(struct ui *ui)
{
	struct ui_sync *s = &ui->sync;
	char *v = store_state_get(ui->st, "sync.last_ok");
	int64_t t = v ? strtoll(v, NULL, 10) : 0;

	free(v);
	/* a sync from a shell (or cron) counts as much as one from here */
	if (t > s->last_ok && s->pid <= 0) {
		s->last_ok = t;
		s->last_status = 0;
		ui->dirty |= DIRTY_DRAW;
	}
}

void
ui_sync_stop(struct ui *ui)
{
	struct ui_sync *s = &ui->sync;
	int i;

	if (s->pid <= 0)
		return;
	kill(s->pid, SIGTERM);
	for (i = 0; i < 20 && waitpid(s->pid, NULL, WNOHANG) == 0; i++)
		usleep(50000);
	if (s->errfd >= 0)
		close(s->errfd);
	s->errfd = -1;
	s->pid = 0;
}

void
ui_sync_status(const struct ui *ui, struct buf *out)
{
	const struct ui_sync *s = &ui->sync;
	char hm[21];

	if (s->pid > 0) {
		buf_adds(out, "syncing...");
		return;
	}
	if (s->last_ok > 0) {
		time_format_iso(s->last_ok, hm);
		hm[16] = '\0';
	} else
		snprintf(hm, sizeof(hm), "never");
	switch (s->last_status) {
	case -1:
		buf_adds(out, "not synced yet (S: sync)");
		break;
	case 0:
		buf_printf(out, "synced %s", hm + (s->last_ok > 0 ? 11 : 0));
		break;
	case 5:
		buf_printf(out, "offline (last sync %s)",
		    hm + (s->last_ok > 0 ? 11 : 0));
		break;
	case 7:
		buf_adds(out, "sync refused: check credentials");
		break;
	case 8:
		buf_adds(out, "another sync of this desk is running; S again"
		    " when it ends");
		break;
	default:
		buf_printf(out, "sync failed (%d)%s%s", s->last_status,
		    s->lasterr[0] ? ": " : "", s->lasterr);
		break;
	}
}
