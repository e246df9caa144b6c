/* SPDX-License-Identifier: MIT */
/*
 * editor_run: the hand-off of a text to the agent's editor, shared by the
 * CLI (reply and note without -m) and the UI (R, N, C-e, outbox edit).
 * Which editor and which temporary directory is cmd/'s business.
 * opener_run: the same for opening a downloaded attachment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/base.h"

static int
write_all(int fd, const char *s, size_t len)
{
	ssize_t w;
	size_t off = 0;

	while (off < len) {
		w = write(fd, s + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

static int
run(const char *editor, const char *path, struct tdesk_err *err)
{
	char *cmd;
	pid_t pid;
	int st = 0;

	pid = fork();
	if (pid < 0)
		return err_set(err, TDESK_EGENERIC, "cannot start the editor: "
		    "%s", strerror(errno));
	if (pid == 0) {
		cmd = xasprintf("%s \"$1\"", editor);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err_set(err, TDESK_EGENERIC, "waiting for the "
			    "editor: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return err_set(err, TDESK_EUSAGE, "the editor ('%s') failed",
		    editor);
	return 0;
}

int
editor_run(const char *editor, const char *tmpdir, const char *init,
    struct buf *out, struct tdesk_err *err)
{
	char *path;
	int fd, rc;

	if (editor == NULL || *editor == '\0')
		return err_set(err, TDESK_EUSAGE, "no editor: set $VISUAL or "
		    "$EDITOR");
	path = xasprintf("%s/tdesk-XXXXXX.txt", tmpdir && *tmpdir ? tmpdir :
	    "/tmp");
	if ((fd = mkstemps(path, 4)) < 0) {
		err_set(err, TDESK_EGENERIC, "cannot create a temporary file: "
		    "%s", strerror(errno));
		free(path);
		return -1;
	}
	rc = write_all(fd, init ? init : "", init ? strlen(init) : 0);
	close(fd);
	if (rc < 0)
		err_set(err, TDESK_EGENERIC, "cannot write %s: %s", path,
		    strerror(errno));
	else if ((rc = run(editor, path, err)) == 0)
		rc = buf_read_file(out, path, 1 << 20, err);
	unlink(path);
	free(path);
	return rc < 0 ? -1 : 0;
}

int
opener_run(const char *opener, const char *path)
{
	pid_t pid;
	int st = 0;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* no shell: the name is one argument whatever it holds */
		if (opener != NULL && *opener != '\0')
			execlp(opener, opener, path, (char *)NULL);
		else {
			execlp("xdg-open", "xdg-open", path, (char *)NULL);
			execlp("run-mailcap", "run-mailcap", "--action=view",
			    path, (char *)NULL);
		}
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return 127;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
