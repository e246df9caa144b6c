/* SPDX-License-Identifier: MIT */
/*
 * The small base every layer stands on: never-NULL allocation, a growable
 * byte buffer, the error struct lower layers fill instead of printing, and
 * time and UTF-8 helpers.
 */
#ifndef TDESK_BASE_H
#define TDESK_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define BUG(...) base_bug(__FILE__, __LINE__, __VA_ARGS__)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Kinds of failure; cmd/ maps them to exit codes. */
enum tdesk_errkind {
	TDESK_EOK = 0,
	TDESK_EGENERIC,		/* database, I/O, anything unexpected */
	TDESK_EUSAGE,		/* bad argument, query, config */
	TDESK_ENOTFOUND,	/* unknown ticket, entry, desk */
	TDESK_ECONFLICT,	/* the remote changed under us */
	TDESK_ENETWORK,		/* cannot reach the remote, or it failed */
	TDESK_EPARTIAL,		/* some items of a batch failed */
	TDESK_EAUTH,		/* credentials refused */
	TDESK_EBUSY,		/* locked by another writer, or another
				 * sync of the replica runs */
	TDESK_ENOSPACE,		/* the disk (or the file size limit) is full */
	TDESK_EREADONLY,	/* the replica cannot be written */
	TDESK_EINTR,		/* stopped by a signal; nothing was written */
	TDESK_EBLOCKED,		/* the reply guard refused a text */
};

struct tdesk_err {
	enum tdesk_errkind kind;
	char msg[512];
};

/* Fill err (if not NULL) with a formatted message; always returns -1. */
int err_set(struct tdesk_err *err, enum tdesk_errkind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void err_clear(struct tdesk_err *err);

/* Print "file:line: BUG: ..." and abort. */
void base_bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* Allocation never fails: out of memory aborts with a message. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated byte buffer; zero-initialise or BUF_INIT. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Return the data (never NULL, caller frees) and leave b empty. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* Read a whole file (or stdin for "-"), at most cap bytes. */
int buf_read_file(struct buf *b, const char *path, size_t cap,
    struct tdesk_err *err);

/*
 * The one hand-off to the agent's editor, for the CLI and the UI: write
 * init (may be NULL) to a new file in tmpdir ("/tmp" when NULL or empty),
 * run `editor FILE` through /bin/sh, wait, read the file back (at most
 * 1 MiB) into out and remove it. 0 (out may be empty), or -1 with err
 * (TDESK_EUSAGE) when editor is NULL or empty, fails or exits non-zero.
 * A curses caller leaves and restores the screen around it.
 */
int editor_run(const char *editor, const char *tmpdir, const char *init,
    struct buf *out, struct tdesk_err *err);
/*
 * The one way a downloaded file is opened, for the CLI and the UI: run
 * `opener PATH` (xdg-open, then run-mailcap, when opener is NULL or empty)
 * with the path as its only argument, never through a shell, and wait.
 * 0 when it exited 0, 127 when no opener could be started, 1 when it
 * failed, -1 (errno set) when it could not be forked or waited for. A
 * curses caller leaves and restores the screen around it.
 */
int opener_run(const char *opener, const char *path);

/* Time: Unix seconds; the pinned clock when one is set. */
int64_t time_now(void);
/* Pin the clock at t (tests; cmd/ reads TDESK_NOW once); 0 unpins. */
void time_pin(int64_t t);
/* A clock value as TDESK_NOW gives it: ISO-8601 or Unix seconds; -1 bad. */
int time_parse_pin(const char *s, int64_t *out);
/* Parse ISO-8601 UTC ("2024-05-01T10:11:12Z", "+00:00", "+0000" offsets);
 * returns -1 if s is not a timestamp. */
int time_parse_iso(const char *s, int64_t *out);
/* Format as "2024-05-01T10:11:12Z" into out (at least 21 bytes). */
void time_format_iso(int64_t t, char out[static 21]);
/* Parse a duration like "30m", "2h", "3d", "45s", "1w"; -1 if invalid. */
int time_parse_duration(const char *s, int64_t *out);
/* Short human age/countdown: "5m", "3h", "2d", "-12m" (into out, >= 16). */
void time_format_short(int64_t secs, char out[static 16]);

/* UTF-8: decode one code point at s (len bytes left). Returns the number of
 * bytes consumed (>= 1) and stores U+FFFD for invalid sequences. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Damerau-Levenshtein distance (insert, delete, substitute, swap two
 * neighbours) of two byte strings of at most 32 bytes; 99 when either
 * is longer. For "did you mean" and look-alike names, not for prose. */
int edit_distance(const char *a, size_t la, const char *b, size_t lb);
/* Whether the whole string is valid UTF-8. */
int utf8_valid(const char *s, size_t len);
/* Append the UTF-8 encoding of cp to b. */
void utf8_encode(struct buf *b, uint32_t cp);
/* Han, kana, hangul and other scripts written without spaces. */
int utf8_is_cjk(uint32_t cp);

/* How many of the first n bytes of s are in set (s need not end in NUL). */
size_t bspan(const char *s, size_t n, const char *set);

/* A random RFC 4122 version 4 UUID, 36 characters plus NUL. */
void uuid_v4(char out[static 37]);

#endif
