/* SPDX-License-Identifier: MIT */
/*
 * Benchmark helper for tests/bench/ingest_floors.sh (not a test): the
 * JSON floor of an import, what json-c alone costs on the same pages.
 * Reads every file into memory first, then THREADS threads each parse
 * and free their share (files t, t + THREADS, ...), as tdesk import's
 * readers do. Prints the wall time and the CPU time of the parse.
 * Usage: json_floor THREADS FILE...
 */
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

struct job {
	char **data;
	size_t *len;
	int n, first, step, failed;
};

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_sec(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void *
run(void *arg)
{
	struct job *j = arg;
	struct json_tokener *tok = json_tokener_new();

	for (int i = j->first; tok && i < j->n; i += j->step) {
		struct json_object *o;

		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, j->data[i], (int)j->len[i]);
		if (o == NULL)
			j->failed = 1;
		json_object_put(o);
	}
	if (tok)
		json_tokener_free(tok);
	return NULL;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1)) != NULL &&
	    fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	} else if (b) {
		*len = (size_t)n;
	}
	fclose(f);
	return b;
}

int
main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 1, n = argc - 2;
	char **data = calloc((size_t)(n > 0 ? n : 1), sizeof(*data));
	size_t *len = calloc((size_t)(n > 0 ? n : 1), sizeof(*len));
	double bytes = 0, t0, c0;
	pthread_t th[16];
	struct job jobs[16];
	int failed = 0;

	if (threads < 1 || threads > 16 || n < 1) {
		fprintf(stderr, "usage: json_floor THREADS FILE...\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		if ((data[i] = slurp(argv[i + 2], &len[i])) == NULL) {
			fprintf(stderr, "json_floor: cannot read %s\n",
			    argv[i + 2]);
			return 1;
		}
		bytes += (double)len[i];
	}
	t0 = now_sec();
	c0 = cpu_sec();
	for (int t = 0; t < threads; t++) {
		jobs[t] = (struct job){ data, len, n, t, threads, 0 };
		if (pthread_create(&th[t], NULL, run, &jobs[t]) != 0)
			return 1;
	}
	for (int t = 0; t < threads; t++) {
		pthread_join(th[t], NULL);
		failed |= jobs[t].failed;
	}
	printf("json-c parse+free, %d thread%s: %.2f MB in %.3f s wall, "
	    "%.3f CPU-s (%.0f MB per CPU-s)\n", threads, threads == 1 ? "" :
	    "s", bytes / 1e6, now_sec() - t0, cpu_sec() - c0,
	    bytes / 1e6 / (cpu_sec() - c0));
	for (int i = 0; i < n; i++)
		free(data[i]);
	free(data);
	free(len);
	return failed;
}
