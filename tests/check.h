/* SPDX-License-Identifier: MIT */
/*
 * The assertion kit of every C unit test: the CHECK macros keep going and
 * count; each failure prints "FILE:LINE: what" on stderr; check_done()
 * prints one summary line in the form the test scripts use ("ok NAME (N
 * checks)" or "not ok NAME (F of N checks failed)") and gives the exit
 * status. A test that cannot run returns 77 (skipped) before check_done.
 */
#ifndef TDESK_TEST_CHECK_H
#define TDESK_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/base.h"

static int check_failures, check_count;

static inline void __attribute__((format(printf, 3, 4)))
check_report(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	check_failures++;
	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A failure found by the test's own logic, with a message. */
#define CHECK_FAIL(...) do {						\
	check_count++;							\
	check_report(__FILE__, __LINE__, __VA_ARGS__);			\
} while (0)

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond))							\
		check_report(__FILE__, __LINE__, "check failed: %s", #cond); \
} while (0)

/* CHECK with a printf-style message saying what was found. */
#define CHECK_MSG(cond, ...) do {					\
	check_count++;							\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__,	\
		    __LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		check_failures++;					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	check_count++;							\
	if (g_ == NULL || strcmp(g_, w_) != 0)				\
		check_report(__FILE__, __LINE__, "got [%s], wanted [%s]", \
		    g_ ? g_ : "(null)", w_);				\
} while (0)

#define CHECK_HAS(hay, needle) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	check_count++;							\
	if (h_ == NULL || strstr(h_, n_) == NULL)			\
		check_report(__FILE__, __LINE__, "[%s] lacks [%s]",	\
		    h_ ? h_ : "(null)", n_);				\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	check_count++;							\
	if (g_ != w_)							\
		check_report(__FILE__, __LINE__, "%s is %lld, wanted %lld", \
		    #got, g_, w_);					\
} while (0)

/* Pin the store's clock (what TDESK_NOW does for the binary). */
static inline void
check_pin_clock(const char *iso)
{
	int64_t t;

	if (time_parse_pin(iso, &t) == 0)
		time_pin(t);
	else
		check_report(__FILE__, __LINE__, "bad clock '%s'", iso);
}

/* Call fn(label, text, arg) for each "label<TAB>text" line of the corpus
 * file tests/corpus/NAME ("#" lines are comments; "\n" in text is a line
 * break). */
static inline void
check_corpus(const char *name, void (*fn)(const char *label, char *text,
    void *arg), void *arg)
{
	const char *src = getenv("TDESK_SRCDIR");
	char path[4096], line[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/corpus/%s", src ? src : ".",
	    name);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t'), *w;
		if (line[0] == '#' || tab == NULL)
			continue;
		*tab = '\0';
		w = tab + 1;
		w[strcspn(w, "\n")] = '\0';
		for (const char *r = w; *r; r++) {	/* "\n" -> a break */
			if (r[0] == '\\' && r[1] == 'n') {
				*w++ = '\n';
				r++;
			} else
				*w++ = *r;
		}
		*w = '\0';
		fn(line, tab + 1, arg);
	}
	fclose(f);
}

static inline int
check_done(const char *name)
{
	if (check_failures)
		printf("not ok %s (%d of %d checks failed)\n", name,
		    check_failures, check_count);
	else
		printf("ok %s (%d checks)\n", name, check_count);
	return check_failures ? 1 : 0;
}

#endif
