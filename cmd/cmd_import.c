/* SPDX-License-Identifier: MIT */
/*
 * tdesk import: ingest Zendesk API pages saved as files (ticket pages, or
 * one ticket's comments) through the Zendesk backend's mapping, the same
 * path sync uses.
 */
#include "cmd/cmd.h"
#include "sync/sync.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const struct cmd_opt import_opts[] = {
	{ 0, "comments", "id", "the files hold the comments of ticket id",
	    0, 0 },
	{ 0, "stats", NULL, "print timings and memory use", 0, 0 },
	{ 0 }
};

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
tv_sec(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

static int
exec_import(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	struct store_ingest_stats stats = { 0 };
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT;
	struct store_bulk_load *bl = NULL;
	int64_t comments_of = 0;
	int show_stats = cmd_flag(a, "stats"), i = 0, files = 0, bulk;
	int argc = a->argc;
	char **argv = a->argv;
	const char *c = cmd_opt(a, "comments");
	double t0, t_ingest, t_index;

	if (c) {
		char *end;
		comments_of = strtoll(c, &end, 10);
		if (*end || comments_of <= 0)
			return cmd_usage_error(e, "'%s' is not a ticket id", c);
	}
	if (i >= argc)
		return cmd_usage_error(e, "give files to import ('-' for "
		    "stdin)");
	store_bulk(ctx->st);
	/* no fast bins: a parsed object of more than 16 members grows its
	 * hash table past 1 KB, and each such malloc first swept the fast
	 * bins that freeing the last page's tree had filled (a tenth of the
	 * readers' time; the frees cost no more without them) */
	mallopt(M_MXFAST, 0);
	t0 = now_sec();
	if (store_begin(ctx->st, &err) < 0)
		return cmd_fail(&err);
	/* all or nothing: the pages and the derived rows need no
	 * savepoints of their own */
	store_flat(ctx->st, 1);
	/* an empty desk gets its indexes built once, after the load and
	 * its derived rows (classification updates tickets: cheaper while
	 * they have no indexes) */
	if (store_bulk_load_begin(ctx->st, &bl, &err) < 0)
		goto fail;
	if (sync_zendesk_import(ctx->st, argv + i, (size_t)(argc - i),
	    comments_of, &stats, &err) < 0) {
		store_bulk_load_abort(bl);
		goto fail;
	}
	t_ingest = now_sec() - t0;
	bulk = bl != NULL;
	/* an empty desk's full text, merged into one piece: a common
	 * word's first screen probes it per row (store/search.c) */
	if (bulk && (store_fts_refresh(ctx->st, &err) < 0 ||
	    store_fts_optimize(ctx->st, &err) < 0)) {
		store_bulk_load_abort(bl);
		goto fail;
	}
	if (store_bulk_load_end(ctx->st, bl, &err) < 0)
		goto fail;
	store_flat(ctx->st, 0);
	files = argc - i;
	if (store_commit(ctx->st, &err) < 0)
		goto fail_nb;
	if (!bulk && store_fts_refresh(ctx->st, &err) < 0)
		goto fail_nb;
	t_index = now_sec() - t0 - t_ingest;
	buf_free(&b);
	fprintf(stderr, "imported %lld tickets (%lld new or newer, %lld "
	    "stale), %lld comments, %lld users from %d file%s\n",
	    (long long)stats.tickets, (long long)stats.written,
	    (long long)stats.stale, (long long)stats.comments,
	    (long long)stats.users, files, files == 1 ? "" : "s");
	if (show_stats) {
		struct rusage ru, rt;
		getrusage(RUSAGE_SELF, &ru);
		/* the writer (this thread) is the critical path on idle
		 * cores: with the whole CPU time, what a shared machine's
		 * wall clock hides */
		getrusage(RUSAGE_THREAD, &rt);
		double all = t_ingest + t_index;
		printf("ingest_seconds %.3f\nindex_seconds %.3f\n"
		    "tickets_per_second %.0f\n"
		    "tickets_per_second_indexed %.0f\nmb_per_second %.1f\n"
		    "max_rss_kb %ld\ncpu_seconds %.3f\n"
		    "writer_cpu_seconds %.3f\n", t_ingest, t_index,
		    t_ingest > 0 ? (double)stats.tickets / t_ingest : 0.0,
		    all > 0 ? (double)stats.tickets / all : 0.0,
		    t_ingest > 0 ? (double)stats.bytes / 1e6 / t_ingest : 0.0,
		    ru.ru_maxrss, tv_sec(&ru.ru_utime) + tv_sec(&ru.ru_stime),
		    tv_sec(&rt.ru_utime) + tv_sec(&rt.ru_stime));
	}
	return EXIT_OK;
fail:
	store_flat(ctx->st, 0);
	store_rollback(ctx->st);
fail_nb:
	buf_free(&b);
	fprintf(stderr, "tdesk: nothing was imported\n");
	return cmd_fail(&err);
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.summary = "ingest saved Zendesk API pages into the desk",
	.flags = CMD_DESK_CREATE,
	.opts = import_opts,
	.operands = "file ...",
	.exec = exec_import,
};
