/* SPDX-License-Identifier: MIT */
/*
 * One pusher per replica. Two `tdesk sync` processes (a cron job, the UI's
 * S, a second terminal) must never push the same outbox rows: each would
 * work from its own snapshot and could send an action the other has in
 * flight. An flock(2) on a file beside the database serialises them; the
 * kernel drops it when the holder exits or is killed, so a SIGKILL never
 * leaves a stale lock. The holder's pid is written into the file so the
 * one refused can say who holds it.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

struct store_lock {
	int fd;
};

static long
read_pid(int fd)
{
	char b[32];
	ssize_t n = pread(fd, b, sizeof(b) - 1, 0);
	long pid;
	char *end;

	if (n <= 0)
		return 0;
	b[n] = '\0';
	pid = strtol(b, &end, 10);
	return pid > 0 && (*end == '\n' || *end == '\0') ? pid : 0;
}

int
store_sync_lock(struct store *st, struct store_lock **out, long *holder,
    struct tdesk_err *err)
{
	const char *path = store_path(st);
	char *lp, pid[32];
	int fd, n;

	*out = NULL;
	if (holder)
		*holder = 0;
	if (path == NULL || *path == '\0' || strcmp(path, ":memory:") == 0)
		return 1;	/* nothing another process could share */
	lp = xasprintf("%s-sync.lock", path);
	fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		err_set(err, TDESK_EGENERIC, "cannot open the sync lock '%s':"
		    " %s", lp, strerror(errno));
		free(lp);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		if (e == EWOULDBLOCK) {
			if (holder)
				*holder = read_pid(fd);
			close(fd);
			free(lp);
			return 0;
		}
		err_set(err, TDESK_EGENERIC, "cannot lock '%s': %s", lp,
		    strerror(e));
		close(fd);
		free(lp);
		return -1;
	}
	free(lp);
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* the pid is only for the message of the one refused */
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->fd = fd;
	return 1;
}

void
store_sync_unlock(struct store_lock *l)
{
	if (l == NULL)
		return;
	/* leave the file: unlinking it would let a third process lock a
	 * new inode while a second still waits on the old one */
	if (ftruncate(l->fd, 0) < 0) {
		/* harmless: the next holder rewrites it */
	}
	close(l->fd);
	free(l);
}
