/* SPDX-License-Identifier: MIT */
/*
 * Credentials: the API token or OAuth bearer token from an environment
 * variable, a command or a private file, turned into the Authorization
 * header. The token is never copied into messages, and core dumps are off
 * while it is held.
 */
#include "sync/sync_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN_MAX 4096
#define TOKEN_CMD_TIMEOUT_MS 30000

static int
check_fd(int fd, const char *path, struct tdesk_err *err)
{
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return err_set(err, TDESK_EUSAGE, "cannot read '%s': %s",
		    path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return err_set(err, TDESK_EUSAGE,
		    "token file '%s' is not a regular file", path);
	if (sb.st_uid != geteuid())
		return err_set(err, TDESK_EUSAGE,
		    "token file '%s' is not owned by you: refused", path);
	if (sb.st_mode & 077)
		return err_set(err, TDESK_EUSAGE,
		    "token file '%s' is readable by others (mode %03o):"
		    " refused; run chmod 600 '%s'", path,
		    (unsigned)(sb.st_mode & 0777), path);
	return 0;
}

int
sync_token_file_check(const char *path, struct tdesk_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int rc;

	if (fd < 0)
		return err_set(err, TDESK_EUSAGE, "cannot read token file"
		    " '%s': %s", path, strerror(errno));
	rc = check_fd(fd, path, err);
	close(fd);
	return rc;
}

/* Keep the first line of the n bytes in tok; -1 if nothing is left. */
static int
first_line(char *tok, size_t n)
{
	size_t i;

	for (i = 0; i < n && tok[i] != '\n' && tok[i] != '\r' &&
	    tok[i] != '\0'; i++)
		;
	explicit_bzero(tok + i, n - i);
	while (i > 0 && (tok[i - 1] == ' ' || tok[i - 1] == '\t'))
		tok[--i] = '\0';
	return i > 0 ? 0 : -1;
}

static int
read_file(const char *path, char *tok, struct tdesk_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	size_t n = 0;
	ssize_t k;

	if (fd < 0)
		return err_set(err, TDESK_EUSAGE, "cannot read token file"
		    " '%s': %s", path, strerror(errno));
	if (check_fd(fd, path, err) < 0) {
		close(fd);
		return -1;
	}
	while (n < TOKEN_MAX - 1 &&
	    (k = read(fd, tok + n, TOKEN_MAX - 1 - n)) > 0)
		n += (size_t)k;
	close(fd);
	if (first_line(tok, n) < 0)
		return err_set(err, TDESK_EAUTH, "token file '%s' is empty",
		    path);
	return 0;
}

/* Run cmd with /bin/sh -c; its stdout's first line goes to tok. */
static int
run_cmd(const char *cmd, char *tok, struct tdesk_err *err)
{
	int fds[2], status;
	size_t n = 0;
	pid_t pid;
	int64_t deadline;
	struct timespec ts;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return err_set(err, TDESK_EGENERIC, "cannot run the token"
		    " command: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return err_set(err, TDESK_EGENERIC, "cannot run the token"
		    " command: %s", strerror(errno));
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(fds[1], 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    TOKEN_CMD_TIMEOUT_MS;
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		int64_t now;
		ssize_t k;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if (now >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(fds[0]);
			explicit_bzero(tok, TOKEN_MAX);
			return err_set(err, TDESK_EAUTH, "the token command"
			    " did not finish within %d seconds",
			    TOKEN_CMD_TIMEOUT_MS / 1000);
		}
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		if (n < TOKEN_MAX - 1)
			k = read(fds[0], tok + n, TOKEN_MAX - 1 - n);
		else {
			char sink[256];

			k = read(fds[0], sink, sizeof(sink));
			explicit_bzero(sink, sizeof(sink));
			if (k > 0)
				continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explicit_bzero(tok, TOKEN_MAX);
		return err_set(err, TDESK_EAUTH, "the token command failed"
		    " (exit status %d)", WIFEXITED(status) ?
		    WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	if (first_line(tok, n) < 0)
		return err_set(err, TDESK_EAUTH,
		    "the token command printed nothing");
	return 0;
}

int
token_load(const struct sync_remote *r, char **out, struct tdesk_err *err)
{
	char *tok;
	struct buf b = BUF_INIT;
	int bearer = 0, rc = -1;

	*out = NULL;
	/* no core file may hold the token */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	tok = xcalloc(1, TOKEN_MAX);
	if (r->oauth_token_cmd && *r->oauth_token_cmd) {
		bearer = 1;
		rc = run_cmd(r->oauth_token_cmd, tok, err);
	} else if (r->token_env && *r->token_env) {
		const char *v = getenv(r->token_env);

		if (v == NULL || *v == '\0')
			rc = err_set(err, TDESK_EAUTH, "the environment"
			    " variable %s is not set", r->token_env);
		else {
			snprintf(tok, TOKEN_MAX, "%s", v);
			rc = first_line(tok, strlen(tok)) < 0 ?
			    err_set(err, TDESK_EAUTH, "the environment"
			    " variable %s is empty", r->token_env) : 0;
		}
	} else if (r->token_cmd && *r->token_cmd)
		rc = run_cmd(r->token_cmd, tok, err);
	else if (r->token_file && *r->token_file)
		rc = read_file(r->token_file, tok, err);
	else
		rc = err_set(err, TDESK_EUSAGE, "the desk names no token:"
		    " set token_cmd, token_env, token_file or"
		    " oauth_token_cmd");
	if (rc == 0 && strpbrk(tok, "\r\n") != NULL)
		rc = err_set(err, TDESK_EAUTH, "the token holds a line break");
	/* grow once so no reallocation leaves a copy behind */
	buf_grow(&b, 2 * TOKEN_MAX + 64);
	if (rc == 0 && bearer) {
		buf_adds(&b, "Authorization: Bearer ");
		buf_adds(&b, tok);
	} else if (rc == 0 && r->backend && strcmp(r->backend, "rt") == 0) {
		/* RT 5 auth tokens name their user themselves */
		buf_adds(&b, "Authorization: token ");
		buf_adds(&b, tok);
	} else if (rc == 0) {
		struct buf cred = BUF_INIT;
		char *enc;

		if (r->email == NULL || *r->email == '\0') {
			rc = err_set(err, TDESK_EUSAGE, "the desk has no"
			    " email (needed with an API token)");
			goto done;
		}
		buf_grow(&cred, strlen(r->email) + TOKEN_MAX + 16);
		buf_adds(&cred, r->email);
		buf_adds(&cred, "/token:");
		buf_adds(&cred, tok);
		enc = http_base64(cred.data, cred.len);
		explicit_bzero(cred.data, cred.len);
		buf_free(&cred);
		buf_adds(&b, "Authorization: Basic ");
		buf_adds(&b, enc);
		explicit_bzero(enc, strlen(enc));
		free(enc);
	}
done:
	if (tok)
		explicit_bzero(tok, TOKEN_MAX);
	free(tok);
	if (rc < 0) {
		if (b.data)
			explicit_bzero(b.data, b.cap);
		buf_free(&b);
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		return -1;
	}
	*out = buf_detach(&b);
	return 0;
}

void
token_free(char *secret)
{
	if (secret == NULL)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}
