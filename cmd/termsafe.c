/* SPDX-License-Identifier: MIT */
/*
 * Terminal-safe output: every byte the command line writes to stdout and
 * stderr passes through the store's one sanitiser (text_sanitize), so no
 * customer text, whatever path filled the replica, can send an escape
 * sequence, a control character, a bidi override or invalid UTF-8 to the
 * agent's terminal. Newlines and tabs pass; a character cut between two
 * writes is carried to the next. The full-screen UI draws through curses
 * and its own sanitising path instead.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tsafe {
	FILE *under;		/* the real stream */
	char carry[8];		/* an unfinished character or CR */
	size_t n_carry;
};

static FILE *real_stdout, *real_stderr;

/* Bytes at the end of s that may be the start of a longer sequence: an
 * incomplete UTF-8 character, or a CR whose LF may follow. */
static size_t
unfinished(const char *s, size_t n)
{
	if (n && s[n - 1] == '\r')
		return 1;
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = (unsigned char)s[n - k];
		if ((c & 0xC0) == 0x80)
			continue;
		size_t need = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 &&
		    c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 1;
		return need > k ? k : 0;
	}
	return 0;
}

static ssize_t
tsafe_write(void *cookie, const char *buf, size_t n)
{
	struct tsafe *t = cookie;
	struct buf in = BUF_INIT, out = BUF_INIT;
	size_t keep;

	buf_add(&in, t->carry, t->n_carry);
	buf_add(&in, buf, n);
	keep = unfinished(in.data, in.len);
	text_sanitize(&out, in.data, in.len - keep, 1);
	memcpy(t->carry, in.data + in.len - keep, keep);
	t->n_carry = keep;
	if (out.len)
		fwrite(out.data, 1, out.len, t->under);
	fflush(t->under);
	buf_free(&in);
	buf_free(&out);
	return ferror(t->under) ? -1 : (ssize_t)n;
}

static int
tsafe_close(void *cookie)
{
	struct tsafe *t = cookie;

	if (t->n_carry) {
		struct buf out = BUF_INIT;
		text_sanitize(&out, t->carry, t->n_carry, 1);
		fwrite(out.data, 1, out.len, t->under);
		buf_free(&out);
	}
	fflush(t->under);
	free(t);
	return 0;
}

static FILE *
wrap(FILE *under, int mode)
{
	static const cookie_io_functions_t io = {
		.write = tsafe_write,
		.close = tsafe_close,
	};
	struct tsafe *t = xcalloc(1, sizeof(*t));
	FILE *f;

	t->under = under;
	f = fopencookie(t, "w", io);

	if (f == NULL) {
		free(t);
		return under;
	}
	setvbuf(f, NULL, mode, mode == _IONBF ? 0 : BUFSIZ);
	return f;
}

void
cmd_termsafe_on(void)
{
	if (real_stdout)
		return;
	fflush(stdout);
	fflush(stderr);
	real_stdout = stdout;
	real_stderr = stderr;
	stdout = wrap(real_stdout, isatty(1) ? _IOLBF : _IOFBF);
	stderr = wrap(real_stderr, _IONBF);
}

void
cmd_termsafe_off(void)
{
	if (real_stdout == NULL)
		return;
	fflush(stdout);
	fflush(stderr);
	if (stdout != real_stdout)
		fclose(stdout);
	if (stderr != real_stderr)
		fclose(stderr);
	stdout = real_stdout;
	stderr = real_stderr;
	real_stdout = real_stderr = NULL;
}

FILE *
cmd_raw_stderr(void)
{
	return real_stderr ? real_stderr : stderr;
}
