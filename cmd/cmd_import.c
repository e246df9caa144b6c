/* SPDX-License-Identifier: MIT */
/*
 * tdesk import: ingest Zendesk API pages saved as files (ticket pages, or
 * one ticket's comments) through the Zendesk backend's mapping, the same
 * path sync uses.
 */
#include "cmd/cmd.h"
#include "sync/sync.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char usage[] = "import [--comments id] [--stats] file ...";

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
exec_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_import_entry;
	const struct cmd_entry *e = &cmd_import_entry;
	struct store_ingest_stats stats = { 0 };
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT;
	int64_t comments_of = 0;
	int show_stats = 0, i, files = 0;
	double t0, t_ingest, t_index;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--comments") && i + 1 < argc) {
			char *end;
			comments_of = strtoll(argv[++i], &end, 10);
			if (*end || comments_of <= 0)
				return cmd_usage_error(e, "'%s' is not a "
				    "ticket id", argv[i]);
		} else if (!strcmp(argv[i], "--stats")) {
			show_stats = 1;
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			return cmd_usage_error(e, "unknown option '%s'",
			    argv[i]);
		}
	}
	if (i >= argc)
		return cmd_usage_error(e, "give files to import ('-' for "
		    "stdin)");
	store_bulk(ctx->st);
	t0 = now_sec();
	if (store_begin(ctx->st, &err) < 0)
		return cmd_fail(&err);
	for (; i < argc; i++) {
		buf_reset(&b);
		if (buf_read_file(&b, argv[i], (size_t)1 << 30, &err) < 0)
			goto fail;
		int rc = sync_zendesk_ingest(ctx->st, b.data ? b.data : "",
		    b.len, comments_of, &stats, &err);
		if (rc < 0) {
			char msg[sizeof(err.msg)];
			snprintf(msg, sizeof(msg), "%s", err.msg);
			err_set(&err, err.kind, "%s: %s", argv[i], msg);
			goto fail;
		}
		files++;
	}
	if (store_commit(ctx->st, &err) < 0)
		goto fail_nb;
	t_ingest = now_sec() - t0;
	if (store_fts_refresh(ctx->st, &err) < 0)
		goto fail_nb;
	t_index = now_sec() - t0 - t_ingest;
	buf_free(&b);
	fprintf(stderr, "imported %lld tickets (%lld new or newer, %lld "
	    "stale), %lld comments, %lld users from %d file%s\n",
	    (long long)stats.tickets, (long long)stats.written,
	    (long long)stats.stale, (long long)stats.comments,
	    (long long)stats.users, files, files == 1 ? "" : "s");
	if (show_stats) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("ingest_seconds %.3f\nindex_seconds %.3f\n"
		    "tickets_per_second %.0f\nmb_per_second %.1f\n"
		    "max_rss_kb %ld\n", t_ingest, t_index,
		    t_ingest > 0 ? (double)stats.tickets / t_ingest : 0.0,
		    t_ingest > 0 ? (double)stats.bytes / 1e6 / t_ingest : 0.0,
		    ru.ru_maxrss);
	}
	return EXIT_OK;
fail:
	store_rollback(ctx->st);
fail_nb:
	buf_free(&b);
	fprintf(stderr, "tdesk: nothing was imported\n");
	return cmd_fail(&err);
}

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = usage,
	.summary = "ingest saved Zendesk API pages into the desk",
	.flags = CMD_DESK_CREATE,
	.exec = exec_import,
};
