/* SPDX-License-Identifier: MIT */
/*
 * Attachments in the ticket view: numbered under their comment, and one
 * opened on a key press only. The download is `tdesk attachment get` run
 * as a child (the UI never links the sync layer, and the size cap, the
 * 0600 cache file and the safe name are that command's), watched between
 * keys so the UI never waits on the network, and stopped after a bounded
 * time. The file it wrote is then handed to $TDESK_OPENER, else xdg-open,
 * else run-mailcap: one argument, no shell, whatever the name holds.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ui/ui_int.h"

#define ATT_TIMEOUT_S	60	/* default bound on one download */
#define ATT_OUT_MAX	4096	/* bytes of the child's stdout kept */

struct att {
	int64_t id, comment_id, size;
	char *name, *type;
	int num;		/* 1.. in view order, 0 when not shown */
};

struct ui_attach {
	struct att *v;
	size_t n, cap;
	int shown;		/* numbers given so far */

	/* the download running, at most one */
	pid_t pid;
	int outfd, errfd;
	int64_t started;
	char *name;		/* its attachment's name, for messages */
	struct buf out;
	char lasterr[200];
	char *ready;		/* a file waiting for the opener */
};

static struct ui_attach *
get(struct ui *ui)
{
	if (ui->attach == NULL) {
		ui->attach = xcalloc(1, sizeof(*ui->attach));
		ui->attach->outfd = ui->attach->errfd = -1;
	}
	return ui->attach;
}

void
ui_attach_reset(struct ui *ui)
{
	struct ui_attach *a = get(ui);

	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].name);
		free(a->v[i].type);
	}
	a->n = 0;
	a->shown = 0;
}

static int
collect(const struct store_attachment *s, void *arg)
{
	struct ui_attach *a = arg;
	struct att *t;

	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	t = &a->v[a->n++];
	t->id = s->id;
	t->comment_id = s->comment_id;
	t->size = s->size;
	t->name = xstrdup(s->name ? s->name : "");
	t->type = xstrdup(s->type ? s->type : "");
	t->num = 0;
	return 0;
}

int
ui_attach_load(struct ui *ui, int64_t ticket, struct tdesk_err *err)
{
	ui_attach_reset(ui);
	return store_attachments(ui->st, ticket, collect, get(ui), err);
}

static void
size_text(int64_t size, struct buf *out)
{
	double kb = (double)size / 1024;

	if (kb >= 1024)
		buf_printf(out, "%.1f MB", kb / 1024);
	else
		buf_printf(out, "%.0f KB", kb);
}

void
ui_attach_lines(struct ui *ui, int64_t comment_id)
{
	struct ui_attach *a = get(ui);

	for (size_t i = 0; i < a->n; i++) {
		struct att *t = &a->v[i];
		struct buf b = BUF_INIT;

		if (t->comment_id != comment_id)
			continue;
		if (t->num == 0)
			t->num = ++a->shown;
		/* drawn through ui_put: the name's control characters and
		 * escapes show as markers, never run */
		buf_printf(&b, "(%d) [attachment %lld] %s (%s, ", t->num,
		    (long long)t->id, t->name, *t->type ? t->type :
		    "unknown type");
		size_text(t->size, &b);
		buf_adds(&b, ")");
		ui_lines_wrap(&ui->lines, &ui->n_lines, &ui->cap_lines, b.data,
		    ui->cols, ROLE_HEADER, 2);
		buf_free(&b);
	}
}

static const struct att *
by_num(const struct ui_attach *a, int num)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].num == num)
			return &a->v[i];
	return NULL;
}

/* Which attachment: the only one, a digit, or a number typed. 0 none. */
static int
choose(struct ui *ui, int n)
{
	char label[64], digits[10];
	char *text, *end;
	long v;

	if (n == 1)
		return 1;
	if (n <= 9) {
		for (int i = 0; i < n; i++)
			digits[i] = (char)('1' + i);
		digits[n] = '\0';
		snprintf(label, sizeof(label), "open which attachment (1-%d)? ",
		    n);
		int c = ui_choose(ui, label, digits);
		return c >= '1' && c <= '9' ? c - '0' : 0;
	}
	snprintf(label, sizeof(label), "open which attachment (1-%d): ", n);
	text = ui_prompt(ui, label, NULL, NULL, NULL, 0, NULL);
	if (text == NULL)
		return 0;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > n) {
		ui_message(ui, 1, "no attachment %s (1-%d)", text, n);
		free(text);
		return -1;
	}
	free(text);
	return (int)v;
}

static void
start(struct ui *ui, const struct att *t)
{
	struct ui_attach *a = get(ui);
	const char *exe = ui->opts->self_exe, *desk = ui->opts->desk_arg;
	char tid[24], aid[24];
	int out[2], errp[2], null;
	pid_t pid;

	if (exe == NULL || *exe == '\0') {
		ui_message(ui, 1, "cannot download: the path of tdesk is "
		    "unknown");
		return;
	}
	if (pipe2(out, O_CLOEXEC) < 0)
		goto fail;
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		goto fail;
	}
	snprintf(tid, sizeof(tid), "%lld", (long long)ui->tid);
	snprintf(aid, sizeof(aid), "%lld", (long long)t->id);
	pid = fork();
	if (pid < 0) {
		close(out[0]);
		close(out[1]);
		close(errp[0]);
		close(errp[1]);
		goto fail;
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDONLY);
		if (null >= 0)
			dup2(null, 0);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		setpgid(0, 0);	/* C-c in the UI is not meant for it */
		if (desk != NULL && *desk != '\0')
			execl(exe, exe, "-d", desk, "attachment", "get", tid,
			    aid, (char *)NULL);
		else
			execl(exe, exe, "attachment", "get", tid, aid,
			    (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
	fcntl(errp[0], F_SETFL, fcntl(errp[0], F_GETFL) | O_NONBLOCK);
	a->pid = pid;
	a->outfd = out[0];
	a->errfd = errp[0];
	a->started = time_now();
	a->lasterr[0] = '\0';
	a->out.len = 0;
	free(a->name);
	a->name = xstrdup(t->name);
	{
		struct buf sz = BUF_INIT;

		size_text(t->size, &sz);
		ui_message(ui, 0, "downloading %s (%s)...", t->name, sz.data);
		buf_free(&sz);
	}
	return;
fail:
	ui_message(ui, 1, "cannot download: %s", strerror(errno));
}

int
act_attachment(struct ui *ui, int arg)
{
	struct ui_attach *a = get(ui);
	const struct att *t;
	int num;

	(void)arg;
	if (ui->screen != SCREEN_TICKET || !ui->have_ticket)
		return DIRTY_DRAW;
	if (a->shown == 0) {
		ui_message(ui, 0, "#%lld has no attachments",
		    (long long)ui->tid);
		return DIRTY_DRAW;
	}
	if (a->pid > 0) {
		ui_message(ui, 0, "still downloading %s; one at a time",
		    a->name);
		return DIRTY_DRAW;
	}
	num = choose(ui, a->shown);
	if (num == 0) {
		ui_message(ui, 0, "cancelled");
		return DIRTY_DRAW;
	}
	if (num < 0 || (t = by_num(a, num)) == NULL)
		return DIRTY_DRAW;
	start(ui, t);
	return DIRTY_DRAW;
}

static void
read_out(struct ui_attach *a)
{
	char chunk[512];
	ssize_t n;

	if (a->outfd < 0)
		return;
	while ((n = read(a->outfd, chunk, sizeof(chunk))) > 0)
		if (a->out.len + (size_t)n <= ATT_OUT_MAX)
			buf_add(&a->out, chunk, (size_t)n);
}

/* Keep the last non-empty line the child wrote to stderr, without the
 * "tdesk: " every message starts with. */
static void
read_err(struct ui_attach *a)
{
	char chunk[512], *nl, *line;
	ssize_t n;

	if (a->errfd < 0)
		return;
	while ((n = read(a->errfd, chunk, sizeof(chunk) - 1)) > 0) {
		chunk[n] = '\0';
		for (line = chunk; *line; line = nl + 1) {
			if ((nl = strchr(line, '\n')) != NULL)
				*nl = '\0';
			if (strncmp(line, "tdesk: ", 7) == 0)
				line += 7;
			if (*line)
				snprintf(a->lasterr, sizeof(a->lasterr),
				    "%.199s", line);
			if (nl == NULL)
				break;
		}
	}
}

static void
finish(struct ui_attach *a)
{
	if (a->outfd >= 0)
		close(a->outfd);
	if (a->errfd >= 0)
		close(a->errfd);
	a->outfd = a->errfd = -1;
	a->pid = 0;
}

/* Stop the child: SIGTERM (it removes its partial file), then SIGKILL. */
static void
stop(struct ui_attach *a)
{
	int i;

	if (a->pid <= 0)
		return;
	kill(a->pid, SIGTERM);
	for (i = 0; i < 40 && waitpid(a->pid, NULL, WNOHANG) == 0; i++)
		usleep(25000);
	if (i == 40) {
		kill(a->pid, SIGKILL);
		waitpid(a->pid, NULL, 0);
	}
	finish(a);
}

/* Run the opener on path with the terminal given back to it. */
static void
open_file(struct ui *ui, const char *path)
{
	int r;

	def_prog_mode();
	endwin();
	r = opener_run(ui->opts->opener, path);
	reset_prog_mode();
	refresh();
	ui->dirty |= DIRTY_CLEAR | DIRTY_DRAW;
	if (r < 0)
		ui_message(ui, 1, "cannot run the opener: %s",
		    strerror(errno));
	else if (r == 127)
		ui_message(ui, 1, "no opener for %s: set TDESK_OPENER or "
		    "install xdg-open", path);
	else if (r != 0)
		ui_message(ui, 1, "the opener failed on %s", path);
	else
		ui_message(ui, 0, "opened %s", path);
}

void
ui_attach_poll(struct ui *ui)
{
	struct ui_attach *a = ui->attach;
	int limit = ui->opts->attach_timeout > 0 ? ui->opts->attach_timeout :
	    ATT_TIMEOUT_S, st;
	pid_t r;

	if (a == NULL)
		return;
	if (a->pid > 0) {
		read_out(a);
		read_err(a);
		r = waitpid(a->pid, &st, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR)) {
			if (time_now() - a->started < limit)
				return;
			stop(a);
			ui_message(ui, 1, "%s: no answer after %d s, download "
			    "stopped", a->name, limit);
			return;
		}
		read_out(a);
		read_err(a);
		finish(a);
		if (r < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			ui_message(ui, 1, "cannot download %s: %s", a->name,
			    a->lasterr[0] ? a->lasterr : "the download failed");
			return;
		}
		buf_adds(&a->out, "");
		while (a->out.len && (a->out.data[a->out.len - 1] == '\n' ||
		    a->out.data[a->out.len - 1] == '\r'))
			a->out.data[--a->out.len] = '\0';
		if (a->out.len == 0 || a->out.data[0] != '/') {
			ui_message(ui, 1, "cannot download %s: no file",
			    a->name);
			return;
		}
		free(a->ready);
		a->ready = xstrdup(a->out.data);
	}
	/* open it once the agent is back on a screen, not mid-question */
	if (a->ready != NULL && ui->prompt == NULL && ui->pick == NULL) {
		char *p = a->ready;

		a->ready = NULL;
		open_file(ui, p);
		free(p);
	}
}

void
ui_attach_free(struct ui *ui)
{
	struct ui_attach *a = ui->attach;

	if (a == NULL)
		return;
	stop(a);
	ui_attach_reset(ui);
	free(a->v);
	free(a->name);
	free(a->ready);
	buf_free(&a->out);
	free(a);
	ui->attach = NULL;
}
