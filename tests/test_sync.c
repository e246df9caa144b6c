/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for sync/'s pieces under the push: how an answer is
 * classified, back-off and Retry-After, the server's Date, the durable
 * "about to send" record of an action, and the one-pusher lock (across
 * processes, and after its holder is killed).
 */
#include "sync/sync_int.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/check.h"

static char dir[] = "/tmp/tdesk-test-sync.XXXXXX";

static struct store *
open_desk(const char *name)
{
	struct tdesk_err err = { 0 };
	char *p = xasprintf("%s/%s", dir, name);
	struct store *st = store_open(p, STORE_CREATE, &err);

	if (st == NULL)
		fprintf(stderr, "store_open: %s\n", err.msg);
	free(p);
	return st;
}

static struct http_req
answer(long status, int failed, const char *body)
{
	struct http_req r;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.failed = failed;
	r.retry_after = -1;
	if (body)
		buf_add(&r.resp, body, strlen(body));
	return r;
}

static void
test_classify(struct store *st)
{
	struct sync_opts o;
	struct sync_stats stats;
	struct engine e;
	struct tdesk_err err;
	static const struct {
		long status;
		int failed, too_large;
		enum outcome want;
	} cases[] = {
		{ 200, 0, 0, OUT_OK },
		{ 201, 0, 0, OUT_OK },
		{ 200, 1, 0, OUT_RETRY },	/* cut short */
		{ 0, 1, 0, OUT_RETRY },		/* reset, timeout */
		{ 500, 0, 0, OUT_RETRY },
		{ 502, 0, 0, OUT_RETRY },
		{ 503, 0, 0, OUT_RETRY },
		{ 429, 0, 0, OUT_RETRY },
		{ 408, 0, 0, OUT_RETRY },
		{ 401, 0, 0, OUT_FATAL },
		{ 302, 0, 0, OUT_FATAL },	/* never follow with creds */
		{ 404, 0, 0, OUT_NOTFOUND },
		{ 422, 0, 0, OUT_FAIL },
		{ 403, 0, 0, OUT_FAIL },
		{ 200, 1, 1, OUT_FAIL },	/* too large: same again */
	};
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(&e, 0, sizeof(e));
	o.max_wait_s = 60;
	e.st = st;
	e.o = &o;
	e.be = &backend_zendesk;
	e.stats = &stats;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_req r = answer(cases[i].status, cases[i].failed,
		    "{\"error\":\"RecordInvalid\",\"description\":\"bad\"}");

		r.too_large = cases[i].too_large;
		err_clear(&err);
		CHECK_INT(eng_classify(&e, &r, &err), cases[i].want);
		if (cases[i].want == OUT_FATAL && cases[i].status == 401)
			CHECK_INT(err.kind, TDESK_EAUTH);
		buf_free(&r.resp);
	}
	/* the server's words reach the message, on one line */
	{
		struct http_req r = answer(422, 0, "{\"error\":\"Record"
		    "Invalid\",\"description\":\"Status: closed\\nprevents"
		    " update\"}");
		char what[400];

		eng_describe(&e, &r, what, sizeof(what));
		CHECK(strstr(what, "HTTP 422") != NULL);
		CHECK(strchr(what, '\n') == NULL);
		buf_free(&r.resp);
	}
}

static void
test_backoff(void)
{
	struct sync_opts o;
	struct engine e;
	int a, k, over = 0, under = 0;

	memset(&o, 0, sizeof(o));
	memset(&e, 0, sizeof(e));
	o.max_wait_s = 5;
	e.o = &o;
	e.rng = 42;
	for (a = 0; a < 12; a++)
		for (k = 0; k < 200; k++) {
			int64_t d = eng_backoff(&e, a, -1);

			if (d < 0 || d > 8000)
				over++;
		}
	CHECK_INT(over, 0);
	/* Retry-After is a minimum, capped by max_wait_s */
	for (k = 0; k < 200; k++) {
		int64_t d = eng_backoff(&e, 0, 3);
		int64_t c = eng_backoff(&e, 0, 3600);

		if (d < 3000 || c < 5000 || c > 5000 + 8000)
			under++;
	}
	CHECK_INT(under, 0);
	/* full jitter spreads the waits */
	{
		int64_t lo = 1 << 30, hi = 0;

		for (k = 0; k < 200; k++) {
			int64_t d = eng_backoff(&e, 4, -1);

			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		CHECK(hi - lo > 1000);
	}
}

static void
test_date(void)
{
	const char *d = "Sun, 06 Nov 1994 08:49:37 GMT";

	CHECK_INT(http_parse_date(d, strlen(d)), 784111777);
	d = "Sunday, 06-Nov-94 08:49:37 GMT";	/* obsolete form: unknown */
	CHECK_INT(http_parse_date(d, strlen(d)), 0);
	d = "Sun, 06 Foo 1994 08:49:37 GMT";
	CHECK_INT(http_parse_date(d, strlen(d)), 0);
	CHECK_INT(http_parse_date("", 0), 0);
}

struct row_seen {
	int attempts;
	char state[16];
	char sent[40];
};

static int
grab(const struct store_outbox_row *r, void *arg)
{
	struct row_seen *s = arg;

	s->attempts = r->attempts;
	snprintf(s->state, sizeof(s->state), "%s",
	    store_outbox_state_name(r->state));
	snprintf(s->sent, sizeof(s->sent), "%s", r->sent_stamp);
	return 0;
}

static void
test_mark_sent(struct store *st)
{
	struct tdesk_err err = { 0 };
	struct store_ingest_stats is;
	struct store_change ch;
	struct row_seen seen;
	const char *page = "{\"tickets\":[{\"id\":501,\"subject\":\"Deposit"
	    " missing\",\"status\":\"open\",\"priority\":\"normal\","
	    "\"requester_id\":9,\"created_at\":\"2025-01-01T10:00:00Z\","
	    "\"updated_at\":\"2025-01-01T11:00:00Z\",\"tags\":[]}]}";
	int64_t id, id2;

	memset(&is, 0, sizeof(is));
	CHECK(sync_zendesk_ingest(st, page, strlen(page), 0, &is, &err) == 0);
	memset(&ch, 0, sizeof(ch));
	ch.comment = "Could you send the tx hash?";
	ch.comment_public = 1;
	id = store_action(st, 501, &ch, &err);
	CHECK(id > 0);
	CHECK_INT(store_outbox_mark_sent(st, id, "2025-01-01T11:00:00Z",
	    &err), 1);
	CHECK_INT(store_outbox_mark_sent(st, id, "2025-01-01T11:05:00Z",
	    &err), 1);
	memset(&seen, 0, sizeof(seen));
	CHECK_INT(store_outbox_get(st, id, grab, &seen, &err), 1);
	CHECK_INT(seen.attempts, 2);
	CHECK_STR(seen.state, "inflight");
	CHECK_STR(seen.sent, "2025-01-01T11:05:00Z");
	/* settled actions are never sent again */
	CHECK(store_outbox_set_state(st, id, STORE_OUTBOX_DONE, NULL,
	    &err) == 0);
	CHECK_INT(store_outbox_mark_sent(st, id, "x", &err), 0);
	ch.comment = "second";
	id2 = store_action(st, 501, &ch, &err);
	CHECK(id2 > id);
	CHECK(store_outbox_set_state(st, id2, STORE_OUTBOX_CONFLICT, "c",
	    &err) == 0);
	CHECK_INT(store_outbox_mark_sent(st, id2, "x", &err), 0);
	CHECK_INT(store_outbox_mark_sent(st, 999999, "x", &err), 0);
}

/* In a child: try the lock, exit 10 + result (and the holder's pid in a
 * file when refused). */
static int
child_try(const char *name, const char *pidfile)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct tdesk_err err = { 0 };
		struct store *st = open_desk(name);
		struct store_lock *l = NULL;
		long holder = 0;
		int rc = st ? store_sync_lock(st, &l, &holder, &err) : -1;

		if (rc == 0 && pidfile) {
			FILE *f = fopen(pidfile, "w");

			if (f) {
				fprintf(f, "%ld", holder);
				fclose(f);
			}
		}
		_exit(10 + rc);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -100;
	return WEXITSTATUS(status) - 10;
}

static void
test_lock(struct store *st)
{
	struct tdesk_err err = { 0 };
	struct store_lock *l = NULL;
	long holder = -1;
	char *pf = xasprintf("%s/holder", dir);
	char buf[32] = "";
	FILE *f;
	pid_t kid;
	int status, pfd[2];
	char ready;

	CHECK_INT(store_sync_lock(st, &l, &holder, &err), 1);
	CHECK(l != NULL);
	/* another process is refused and told who holds it */
	CHECK_INT(child_try("lock.db", pf), 0);
	if ((f = fopen(pf, "r")) != NULL) {
		if (fgets(buf, sizeof(buf), f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	CHECK_INT(strtol(buf, NULL, 10), (long)getpid());
	store_sync_unlock(l);
	CHECK_INT(child_try("lock.db", NULL), 1);

	/* a holder killed with SIGKILL leaves no stale lock; the holder
	 * says on a pipe when it holds the lock (polling with more lockers
	 * raced with it: a poller could take the lock first) */
	if (pipe(pfd) < 0) {
		CHECK(!"pipe");
		free(pf);
		return;
	}
	kid = fork();
	if (kid == 0) {
		struct store *s2 = open_desk("lock.db");
		struct store_lock *l2 = NULL;

		close(pfd[0]);
		if (s2 == NULL || store_sync_lock(s2, &l2, NULL, &err) != 1)
			_exit(1);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	/* one byte once it holds the lock; end of file if it failed */
	CHECK_INT(read(pfd[0], &ready, 1), 1);
	close(pfd[0]);
	CHECK_INT(child_try("lock.db", NULL), 0);
	kill(kid, SIGKILL);
	waitpid(kid, &status, 0);
	CHECK_INT(child_try("lock.db", NULL), 1);
	free(pf);
}

int
main(void)
{
	struct store *st, *lk;
	char *cmd;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	st = open_desk("sync.db");
	lk = open_desk("lock.db");
	CHECK(st != NULL && lk != NULL);
	if (st && lk) {
		test_classify(st);
		test_backoff();
		test_date();
		test_mark_sent(st);
		test_lock(lk);
	}
	store_close(st);
	store_close(lk);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
	return check_done("test_sync");
}
