/* SPDX-License-Identifier: MIT */
/*
 * tdesk sync: push the outbox and pull the agent's tickets from the
 * desk's helpdesk, then say in one line (or JSON) what happened.
 */
#include "cmd/cmd.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sync/sync.h"

static const struct cmd_opt sync_opts[] = {
	{ 0, "pull", NULL, "only fetch tickets from the helpdesk", 1, 0 },
	{ 0, "push", NULL, "only send the outbox", 1, 0 },
	{ 0, "json", NULL, "print the summary as JSON", 0, 0 },
	{ 'q', "quiet", NULL, "print nothing but errors (for cron)", 0, 0 },
	{ 0, "wait", "seconds", "wait up to this long for another sync of the "
	    "desk to end (default: exit 8 at once)", 0, 0 },
	{ 0 }
};

/* One line per phase on the terminal, redrawn in place: the sync's own
 * words (counts, not customer text), a bar and an ETA when it says
 * "N of M", the time spent otherwise. */
struct progress {
	char phase[128];	/* the line without its numbers */
	struct timespec start;
	int cols;
	int shown;
};

static double
since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
progress(void *arg, const char *line)
{
	struct progress *p = arg;
	/* the progress line is ours (phases and counts, never customer
	 * text) and moves the cursor: straight to the terminal */
	FILE *out = cmd_raw_stderr();
	char phase[128];
	size_t k = 0;
	long long a = -1, b = -1;
	const char *of = strstr(line, " of ");
	double dt;
	int w;

	for (const char *c = line; *c && k + 1 < sizeof(phase); c++)
		if (*c < '0' || *c > '9')
			phase[k++] = *c;
	phase[k] = '\0';
	if (strcmp(phase, p->phase) != 0) {
		/* a new phase: the last one's final state stays above */
		if (p->shown)
			fputc('\n', out);
		snprintf(p->phase, sizeof(p->phase), "%s", phase);
		clock_gettime(CLOCK_MONOTONIC, &p->start);
	}
	if (of) {
		const char *c = of;
		while (c > line && c[-1] >= '0' && c[-1] <= '9')
			c--;
		if (c < of) {	/* "N of M", not "the comments of M" */
			a = strtoll(c, NULL, 10);
			b = strtoll(of + 4, NULL, 10);
		}
	}
	dt = since(&p->start);
	fprintf(out, "\r\033[Ktdesk: %s", line);
	w = p->cols - (int)strlen(line) - 30;
	if (a >= 0 && b > 0 && a <= b && w >= 10) {
		int fill = (int)((double)w * (double)a / (double)b);
		fputs(" [", out);
		for (int i = 0; i < w; i++)
			fputc(i < fill ? '#' : '-', out);
		fprintf(out, "] %3d%%", (int)(100 * a / b));
		if (a > 0 && a < b)
			fprintf(out, " ETA %.0fs", dt * (double)(b - a) /
			    (double)a);
	} else if (dt >= 1) {
		fprintf(out, " (%.0fs)", dt);
	}
	p->shown = 1;
	fflush(out);
}

static void
trace(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "tdesk: http: %s\n", line);
}

static long
env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return dflt;
	n = strtol(v, &end, 10);
	return *end == '\0' && n > 0 ? n : dflt;
}

/* Fill the remote from the desk's config entry. */
int
cmd_sync_remote(struct cmd_ctx *ctx, struct sync_remote *r,
    struct tdesk_err *err)
{
	const struct config_desk *d = config_desk_find(ctx->cfg,
	    ctx->desk_name);

	memset(r, 0, sizeof(*r));
	if (d == NULL && strchr(ctx->desk_name, '/'))
		return err_set(err, TDESK_EUSAGE, "'%s' is a replica file, "
		    "not a desk of %s: sync needs the desk's name (see "
		    "'tdesk desks')", ctx->desk_name, ctx->cfg->path ?
		    ctx->cfg->path : "config.yaml");
	if (d == NULL)
		return err_set(err, TDESK_EUSAGE, "desk '%s' has no remote in"
		    " %s: run 'tdesk init --desk %s --url URL ...' first",
		    ctx->desk_name, ctx->cfg->path ? ctx->cfg->path :
		    "config.yaml", ctx->desk_name);
	if (d->backend && !sync_backend_known(d->backend))
		return err_set(err, TDESK_EUSAGE, "desk '%s': unknown backend"
		    " '%s' (tdesk speaks zendesk and rt)", d->name, d->backend);
#define COPY_(m, opt) r->m = d->m;
	CONFIG_REMOTE(COPY_)
#undef COPY_
	r->groups = d->groups;
	r->n_groups = d->n_groups;
	return 0;
}

/* A count for JSON, null when the old copy was kept. */
static void
print_count(FILE *f, const char *key, int64_t n)
{
	if (n < 0)
		fprintf(f, "\"%s\":null", key);
	else
		fprintf(f, "\"%s\":%lld", key, (long long)n);
}

static void
print_summary(FILE *f, const struct sync_stats *s, int json)
{
	if (json) {
		fprintf(f, "{\"pulled\":%lld,\"comments\":%lld,\"pushed\":%lld,"
		    "\"conflicts\":%lld,\"failed\":%lld,\"retries\":%lld,"
		    "\"requests\":%lld,\"duration_ms\":%lld",
		    (long long)s->pulled, (long long)s->comments,
		    (long long)s->pushed, (long long)s->conflicts,
		    (long long)s->failed, (long long)s->retries,
		    (long long)s->requests, (long long)s->duration_ms);
		if (s->answers) {
			fputs(",\"answers\":{", f);
			print_count(f, "macros", s->macros);
			fputc(',', f);
			print_count(f, "articles", s->articles);
			fputs(",\"error\":", f);
			if (s->answers_error[0])
				cmd_json_str(f, s->answers_error);
			else
				fputs("null", f);
			fputc('}', f);
		}
		fputs("}\n", f);
		return;
	}
	fprintf(f, "synced in %.1fs: %lld ticket%s pulled, %lld action%s"
	    " pushed, %lld conflict%s, %lld failed, %lld retr%s",
	    (double)s->duration_ms / 1000.0,
	    (long long)s->pulled, s->pulled == 1 ? "" : "s",
	    (long long)s->pushed, s->pushed == 1 ? "" : "s",
	    (long long)s->conflicts, s->conflicts == 1 ? "" : "s",
	    (long long)s->failed, (long long)s->retries,
	    s->retries == 1 ? "y" : "ies");
	if (s->answers && s->macros >= 0)
		fprintf(f, ", %lld macro%s", (long long)s->macros,
		    s->macros == 1 ? "" : "s");
	if (s->answers && s->articles >= 0)
		fprintf(f, ", %lld article%s", (long long)s->articles,
		    s->articles == 1 ? "" : "s");
	fputc('\n', f);
}

/* A network error names the server: "cannot reach URL: ..." when it was
 * not reached, "URL: HTTP 500 ..." when it answered, but not well. */
static void
name_server(struct tdesk_err *err, const char *url)
{
	char msg[sizeof(err->msg)];

	if (strstr(err->msg, url) != NULL)
		return;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	if (msg[0] >= 'A' && msg[0] <= 'Z' && msg[1] >= 'a')
		msg[0] = (char)(msg[0] - 'A' + 'a');
	if (!strncmp(msg, "HTTP ", 5) || !strncmp(msg, "invalid JSON", 12) ||
	    !strncmp(msg, "the server", 10) ||
	    strstr(msg, "from the server") != NULL)
		err_set(err, TDESK_ENETWORK, "%s: %s", url, msg);
	else
		err_set(err, TDESK_ENETWORK, "cannot reach %s: %s", url, msg);
}

static int
exec_sync(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a)
{
	struct tdesk_err err = { 0 };
	struct sync_opts o;
	struct sync_stats stats;
	int json = cmd_flag(a, "json"), rc, tty = isatty(2);
	int quiet = cmd_flag(a, "quiet");
	struct progress prog = { .cols = 80 };

	memset(&o, 0, sizeof(o));
	if (a->argc)
		return cmd_usage_error(e, "unknown argument '%s'", a->argv[0]);
	if (cmd_flag(a, "pull"))
		o.what |= SYNC_PULL;
	if (cmd_flag(a, "push"))
		o.what |= SYNC_PUSH;
	if (cmd_opt(a, "wait")) {
		const char *v = cmd_opt(a, "wait");
		char *end;
		long w = strtol(v, &end, 10);

		if (*end != '\0' || end == v || w < 0 || w > 86400)
			return cmd_usage_error(e, "--wait takes seconds (0 to "
			    "86400), not '%s'", v);
		o.lock_wait_s = (int)w;
	}
	if (o.what == 0)
		o.what = SYNC_PULL | SYNC_PUSH;
	if (cmd_sync_remote(ctx, &o.remote, &err) < 0)
		return cmd_fail(&err);
	if (cmd_open_desk(ctx, 1, &err) < 0)
		return cmd_fail(&err);
	if (tty && !quiet) {
		o.progress = progress;
		prog.cols = ctx->cols > 0 ? ctx->cols : 80;
		o.arg = &prog;
	}
	if (getenv("TDESK_TRACE") && strcmp(getenv("TDESK_TRACE"), "1") == 0)
		o.trace = trace;
	/* knobs for tests and slow links */
	o.parallel = (int)env_long("TDESK_SYNC_PARALLEL", 0);
	o.low_speed_time_s = env_long("TDESK_SYNC_LOW_SPEED_TIME", 0);
	o.connect_timeout_ms = env_long("TDESK_SYNC_CONNECT_TIMEOUT_MS", 0);
	o.max_wait_s = env_long("TDESK_SYNC_MAX_WAIT", 0);
	o.max_attempts = (int)env_long("TDESK_SYNC_MAX_ATTEMPTS", 0);
	o.answers_page = (int)env_long("TDESK_SYNC_ANSWERS_PAGE", 0);
	/* macros and articles: hourly; "0" refreshes them on every sync */
	const char *every = getenv("TDESK_SYNC_ANSWERS_EVERY");
	o.answers_every = every && strcmp(every, "0") == 0 ? 0 :
	    (int)env_long("TDESK_SYNC_ANSWERS_EVERY", 3600);
	/* a reset connection must fail a transfer, not kill us */
	signal(SIGPIPE, SIG_IGN);

	store_bulk(ctx->st);
	rc = sync_run(ctx->st, &o, &stats, &err);
	if (rc < 0 && err.kind == TDESK_EBUSY)
		return cmd_fail(&err);	/* nothing was done: no summary */
	if (rc == 0) {
		/* an open UI shows when the desk last synced, even from here */
		char now[24];
		struct tdesk_err ignore = { 0 };
		snprintf(now, sizeof(now), "%lld", (long long)time_now());
		store_state_set(ctx->st, "sync.last_ok", now, &ignore);
	}
	if (tty && o.progress && prog.shown)
		fputs("\n", cmd_raw_stderr());
	/* a failed sync did not sync: only scripts get the counts */
	if ((rc == 0 && !quiet) || json)
		print_summary(stdout, &stats, json);
	if (rc < 0) {
		if (err.kind == TDESK_ENETWORK && o.remote.url)
			name_server(&err, o.remote.url);
		return cmd_fail(&err);
	}
	/* the tickets are in; stale answers are worth a word, not a failure */
	if (stats.answers && stats.answers_error[0])
		fprintf(stderr, "tdesk: kept the previous macros or articles:"
		    " %s\n", stats.answers_error);
	if (stats.conflicts > 0) {
		fprintf(stderr, "tdesk: %lld action%s conflict with changes on"
		    " the server: see 'tdesk outbox'\n",
		    (long long)stats.conflicts,
		    stats.conflicts == 1 ? "" : "s");
		return EXIT_CONFLICT;
	}
	if (stats.failed > 0) {
		fprintf(stderr, "tdesk: %lld action%s refused by the server:"
		    " see 'tdesk outbox'\n", (long long)stats.failed,
		    stats.failed == 1 ? " was" : "s were");
		return EXIT_PARTIAL;
	}
	return EXIT_OK;
}

const struct cmd_entry cmd_sync_entry = {
	.name = "sync",
	.summary = "push the outbox and pull your tickets from the helpdesk",
	.flags = 0,
	.opts = sync_opts,
	.exec = exec_sync,
};
