/* SPDX-License-Identifier: MIT */
/*
 * Benchmark (prints numbers, asserts nothing; CPU time, so a busy machine
 * does not count): the reply guard and the
 * redactor in microseconds per KB over the test corpora and over the
 * ticket texts of the given pages (all, those in Chinese, and one text
 * of 1 MB made of them), and ingest of those pages with and without
 * redaction. Usage: guard_bench CORPUS_DIR DB_DIR PAGE.json ...
 * GUARD_BENCH_ONCE=1: one pass of each text loop, no ingest;
 * GUARD_BENCH_INGEST=0|1: one ingest, redaction off|on, nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/guard.h"
#include "store/redact.h"
#include "store/store.h"
#include "sync/sync.h"

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Texts: the corpora's lines, and the descriptions of the pages' tickets
 * (pulled out with a plain scan: good enough for timing). */
static void
add_texts(struct buf *texts, size_t *n, const char *data, size_t len,
    int tsv)
{
	const char *p = data, *end = data + len;

	if (tsv) {
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *tab = memchr(p, '\t', (size_t)((nl ? nl :
			    end) - p));
			if (*p != '#' && tab) {
				buf_add(texts, tab + 1, (size_t)((nl ? nl : end) -
				    tab - 1));
				buf_addc(texts, '\0');
				(*n)++;
			}
			p = nl ? nl + 1 : end;
		}
		return;
	}
	while ((p = memmem(p, (size_t)(end - p), "\"description\":\"", 15))) {
		p += 15;
		const char *q = p;
		while (q < end && *q != '"')
			q += *q == '\\' ? 2 : 1;
		if (q > end)
			break;
		buf_add(texts, p, (size_t)(q - p));
		buf_addc(texts, '\0');
		(*n)++;
		p = q;
	}
}

static int once;	/* GUARD_BENCH_ONCE: one pass (for perf stat) */

static void
bench_text(const char *what, const struct buf *texts, size_t n)
{
	struct guard_config *c = guard_config_new();
	size_t bytes = 0;
	double t0, tg, tr;
	int reps = 0;

	t0 = now();
	do {
		const char *p = texts->data;
		for (size_t i = 0; i < n; i++) {
			struct guard_result r = { 0 };
			size_t l = strlen(p);
			guard_check(c, p, l, NULL, NULL, &r);
			guard_result_free(&r);
			bytes += l;
			p += l + 1;
		}
		reps++;
	} while (now() - t0 < 1.0 && !once);
	tg = (now() - t0) * 1e6 / ((double)bytes / 1024);
	bytes = 0;
	t0 = now();
	do {
		const char *p = texts->data;
		for (size_t i = 0; i < n; i++) {
			struct redact_result res = { 0 };
			struct buf out = BUF_INIT;
			size_t l = strlen(p);
			redact_text(p, l, "salt", &out, &res);
			redact_result_free(&res);
			buf_free(&out);
			bytes += l;
			p += l + 1;
		}
	} while (now() - t0 < 1.0 && !once);
	tr = (now() - t0) * 1e6 / ((double)bytes / 1024);
	printf("%-22s %6zu texts, %7.1f KB: guard %6.1f us/KB, redact "
	    "%6.1f us/KB\n", what, n, (double)texts->len / 1024, tg, tr);
	guard_config_free(c);
	(void)reps;
}

static double
ingest(const char *dir, char **pages, int n, int redact)
{
	struct tdesk_err err = { 0 };
	char *path = xasprintf("%s/bench-%d.db", dir, redact);
	struct store *st;
	double t0;

	unlink(path);
	st = store_open(path, STORE_CREATE, &err);
	if (st == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		exit(1);
	}
	store_bulk(st);
	store_set_redact(st, redact);
	t0 = now();
	for (int i = 0; i < n; i++) {
		struct buf b = BUF_INIT;
		if (buf_read_file(&b, pages[i], 1 << 30, &err) < 0 ||
		    sync_zendesk_ingest(st, b.data, b.len, 0, NULL, &err) < 0) {
			fprintf(stderr, "%s: %s\n", pages[i], err.msg);
			exit(1);
		}
		buf_free(&b);
	}
	t0 = now() - t0;
	store_close(st);
	free(path);
	return t0;
}

/* The texts of all holding a CJK character (E4-E9 lead bytes: the
 * unified block), into zh. */
static size_t
pick_chinese(const struct buf *all, size_t n, struct buf *zh)
{
	const char *p = all->data;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(p);
		for (size_t j = 0; j < l; j++)
			if ((unsigned char)p[j] >= 0xE4 &&
			    (unsigned char)p[j] <= 0xE9) {
				buf_add(zh, p, l + 1);
				k++;
				break;
			}
		p += l + 1;
	}
	return k;
}

/* One text of 1 MB: the texts of all one after the other, again and
 * again, a blank line between. */
static void
one_megabyte(const struct buf *all, size_t n, struct buf *big)
{
	while (n && big->len < (1u << 20)) {
		const char *p = all->data;
		for (size_t i = 0; i < n && big->len < (1u << 20); i++) {
			size_t l = strlen(p);
			buf_add(big, p, l);
			buf_adds(big, "\n\n");
			p += l + 1;
		}
	}
	buf_addc(big, '\0');
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct tdesk_err err = { 0 };
	struct buf corpus = BUF_INIT, tickets = BUF_INIT, f = BUF_INIT;
	size_t nc = 0, nt = 0;
	const char *names[] = { "guard.tsv", "redact.tsv" };

	once = getenv("GUARD_BENCH_ONCE") != NULL;
	if (argc < 3) {
		fprintf(stderr, "usage: guard_bench CORPUS_DIR DB_DIR "
		    "PAGE.json ...\n");
		return 2;
	}
	for (size_t i = 0; i < 2; i++) {
		char *p = xasprintf("%s/%s", argv[1], names[i]);
		buf_reset(&f);
		if (buf_read_file(&f, p, 1 << 26, &err) == 0)
			add_texts(&corpus, &nc, f.data, f.len, 1);
		free(p);
	}
	for (int i = 3; i < argc; i++) {
		buf_reset(&f);
		if (buf_read_file(&f, argv[i], 1 << 30, &err) == 0)
			add_texts(&tickets, &nt, f.data, f.len, 0);
	}
	/* GUARD_BENCH_INGEST=0|1: one ingest only, redaction off or on
	 * (for instruction counts under valgrind --tool=callgrind, which a
	 * busy machine does not disturb) */
	const char *only = getenv("GUARD_BENCH_INGEST");
	if (only && argc > 3) {
		printf("ingest %d pages, redaction %s: %.3f s\n", argc - 3,
		    atoi(only) ? "on" : "off", ingest(argv[2], argv + 3,
		    argc - 3, atoi(only)));
		buf_free(&corpus);
		buf_free(&tickets);
		buf_free(&f);
		return 0;
	}
	bench_text("corpus lines", &corpus, nc);
	if (nt) {
		struct buf zh = BUF_INIT, big = BUF_INIT;
		size_t nz = pick_chinese(&tickets, nt, &zh);
		bench_text("ticket descriptions", &tickets, nt);
		if (nz)
			bench_text("Chinese descriptions", &zh, nz);
		one_megabyte(&tickets, nt, &big);
		bench_text("1 MB text", &big, 1);
		buf_free(&zh);
		buf_free(&big);
	}
	if (argc > 3 && !once) {
		/* interleaved runs; the fastest of each is the least
		 * disturbed by a busy machine, the median is shown too */
		double on[7], off[7];
		for (int r = 0; r < 7; r++) {
			off[r] = ingest(argv[2], argv + 3, argc - 3, 0);
			on[r] = ingest(argv[2], argv + 3, argc - 3, 1);
		}
		qsort(on, 7, sizeof(double), cmp_d);
		qsort(off, 7, sizeof(double), cmp_d);
		printf("ingest %d pages: %.3f s without redaction, %.3f s "
		    "with (%+.1f%%), fastest of 7; medians %+.1f%%\n",
		    argc - 3, off[0], on[0], (on[0] / off[0] - 1) * 100,
		    (on[3] / off[3] - 1) * 100);
	}
	buf_free(&corpus);
	buf_free(&tickets);
	buf_free(&f);
	return 0;
}
