/* SPDX-License-Identifier: MIT */
/*
 * tdesk attachment: list a ticket's attachments from the replica, and
 * fetch one on demand into the XDG cache (or a file the agent names).
 * The name comes from the customer: it is made into one safe path
 * component before it touches the file system, and the file is never
 * opened unless the agent asks with --open.
 */
#include "cmd/cmd.h"
#include "sync/sync.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ATT_MAX_DEFAULT (25LL * 1024 * 1024)
#define ATT_NAME_MAX 100	/* bytes of the sanitised name */

static const struct cmd_opt att_opts[] = {
	{ 0, "json", NULL, "list: print JSON", 0, 0 },
	{ 'o', "output", "file", "get: write here instead of the cache", 0,
	    CMD_OPT_SHORT },
	{ 0, "max-size", "size", "get: refuse larger files (default 25M; "
	    "k, M, G suffixes)", 0, 0 },
	{ 0, "open", NULL, "get: then open it with $TDESK_OPENER or "
	    "xdg-open", 0, 0 },
	{ 0 }
};

/*
 * One safe file name from a customer's: no '/', '\\', control or other
 * shell-awkward ASCII (each becomes '_', runs collapse), no "..", no
 * leading dot, dash or underscore, at most ATT_NAME_MAX bytes keeping a
 * short extension; "attachment" when nothing is left. The replica holds
 * valid UTF-8, whose non-ASCII characters are kept whole.
 */
static void
attachment_name(const char *in, struct buf *out)
{
	struct buf b = BUF_INIT;
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t start, ext, cut;

	for (; *s; s++) {
		int c = *s;

		if (c >= 0x80 || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '+') {
			buf_addc(&b, (char)c);
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;		/* control characters vanish */
		if (c == '.') {
			if (b.len && b.data[b.len - 1] == '.')
				continue;	/* never ".." */
			if (b.len && b.data[b.len - 1] == '_')
				b.data[b.len - 1] = '.';
			else
				buf_addc(&b, '.');
			continue;
		}
		if (b.len && (b.data[b.len - 1] == '_' ||
		    b.data[b.len - 1] == '.'))
			continue;
		buf_addc(&b, '_');
	}
	/* no leading dot (hidden), dash (an option) or underscore */
	for (start = 0; start < b.len && strchr("._-", b.data[start]); start++)
		;
	while (b.len > start && strchr("._", b.data[b.len - 1]))
		b.len--;
	if (b.len == start) {
		buf_adds(out, "attachment");
		buf_free(&b);
		return;
	}
	/* bounded, keeping an extension of up to 16 bytes */
	if (b.len - start > ATT_NAME_MAX) {
		const char *dot = NULL;

		for (size_t i = start; i < b.len; i++)
			if (b.data[i] == '.')
				dot = b.data + i;

		ext = dot && (size_t)(b.data + b.len - dot) <= 16 ?
		    (size_t)(b.data + b.len - dot) : 0;
		cut = start + ATT_NAME_MAX - ext;
		/* do not cut a UTF-8 sequence */
		while (cut > start && ((unsigned char)b.data[cut] & 0xc0) ==
		    0x80)
			cut--;
		buf_add(out, b.data + start, cut - start);
		if (ext)
			buf_add(out, b.data + b.len - ext, ext);
	} else
		buf_add(out, b.data + start, b.len - start);
	buf_free(&b);
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	*id = v;
	return 0;
}

/* "25M", "100k", "4096" */
static int
parse_size(const char *s, int64_t *out)
{
	char *end;
	double v;
	double mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024.0 * 1024, end++;
	else if (*end == 'g' || *end == 'G')
		mul = 1024.0 * 1024 * 1024, end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v * mul > (double)INT64_MAX / 2 || v * mul < 1)
		return -1;
	*out = (int64_t)(v * mul);
	return 0;
}

struct att_list {
	int json;
	int n;
};

static int
print_att(const struct store_attachment *a, void *arg)
{
	struct att_list *o = arg;
	struct buf name = BUF_INIT, type = BUF_INIT;

	if (o->json) {
		printf("%s{\"id\":%lld,\"comment_id\":%lld,\"ticket_id\":%lld,"
		    "\"size\":%lld", o->n ? ",\n" : "[\n", (long long)a->id,
		    (long long)a->comment_id, (long long)a->ticket_id,
		    (long long)a->size);
		cmd_json_member(stdout, "type", a->type, 1);
		cmd_json_member(stdout, "name", a->name, 0);
		fputs("}", stdout);
	} else {
		text_sanitize(&name, a->name, strlen(a->name), 0);
		text_sanitize(&type, a->type, strlen(a->type), 0);
		printf("%-14lld %-16lld %10lld %-24s %s\n", (long long)a->id,
		    (long long)a->comment_id, (long long)a->size,
		    type.len ? type.data : "-", name.data ? name.data : "");
	}
	buf_free(&name);
	buf_free(&type);
	o->n++;
	return 0;
}

static int
ticket_known(struct cmd_ctx *ctx, int64_t id)
{
	struct tdesk_err err = { 0 };
	struct store_ticket t;
	int rc;

	memset(&t, 0, sizeof(t));
	rc = store_ticket_get(ctx->st, id, &t, &err);
	if (rc < 0)
		return cmd_fail(&err);
	if (rc > 0)
		store_ticket_clear(&t);
	if (rc == 0) {
		fprintf(stderr, "tdesk: no ticket %lld in desk '%s'\n",
		    (long long)id, ctx->desk_name);
		return EXIT_NOTFOUND;
	}
	return EXIT_OK;
}

struct att_copy {
	int found;
	int64_t id, ticket_id, size;
	char *name, *url;
};

static int
copy_att(const struct store_attachment *a, void *arg)
{
	struct att_copy *c = arg;

	c->found = 1;
	c->id = a->id;
	c->ticket_id = a->ticket_id;
	c->size = a->size;
	c->name = xstrdup(a->name ? a->name : "");
	c->url = xstrdup(a->url ? a->url : "");
	return 0;
}

/* Make path (0700), or accept the directory there: a link only where
 * follow is set (the cache root may be one); tdesk's own directories
 * are made private again if they were not. */
static int
mkdir_0700(const char *path, int follow, int own)
{
	struct stat sb;

	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if ((follow ? stat(path, &sb) : lstat(path, &sb)) < 0)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (own && (sb.st_mode & 077) && sb.st_uid == geteuid() &&
	    chmod(path, 0700) < 0)
		return -1;
	return 0;
}

/* $XDG_CACHE_HOME/tdesk/attachments/<ticket>, made 0700. Caller frees. */
static char *
cache_dir(int64_t ticket, struct tdesk_err *err)
{
	const char *base = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *root, *parts[4], *dir = NULL;

	if (base && base[0] == '/')
		root = xstrdup(base);
	else
		root = xasprintf("%s/.cache", home && *home ? home : ".");
	parts[0] = root;
	parts[1] = xasprintf("%s/tdesk", root);
	parts[2] = xasprintf("%s/attachments", parts[1]);
	parts[3] = xasprintf("%s/%lld", parts[2], (long long)ticket);
	for (int i = 0; i < 4; i++) {
		if (mkdir_0700(parts[i], i == 0, i >= 2) < 0) {
			err_set(err, TDESK_EGENERIC, "cannot make %s: %s",
			    parts[i], strerror(errno));
			goto done;
		}
	}
	dir = xstrdup(parts[3]);
done:
	for (int i = 0; i < 4; i++)
		free(parts[i]);
	return dir;
}

/*
 * The temporary file of a download, removed when a signal ends it (the UI
 * stops a download that takes too long with SIGTERM): no partial file
 * stays in the cache.
 */
static char *volatile part_path;

static void
on_stop(int sig)
{
	char *p = part_path;

	if (p != NULL)
		unlink(p);
	_exit(128 + sig);
}

static void
catch_stop(int on)
{
	struct sigaction sa;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on ? on_stop : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/* Download url into path: the whole file or none, through a temporary
 * beside it renamed at the end (removed when a signal stops us). */
static int
fetch_to(struct sync_remote *remote, const char *url, int64_t max,
    const char *path)
{
	struct tdesk_err err = { 0 };
	char *tmp = xasprintf("%s.part-%ld", path, (long)getpid());
	int64_t written = 0;
	int rc = EXIT_ERROR, fd;

	part_path = tmp;
	catch_stop(1);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		fprintf(stderr, "tdesk: cannot create %s: %s\n", tmp,
		    strerror(errno));
		goto done;
	}
	if (sync_fetch_attachment(remote, url, max, fd, &written, &err) < 0) {
		rc = cmd_fail(&err);
		close(fd);
		goto done;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fprintf(stderr, "tdesk: cannot write %s: %s\n", tmp,
		    strerror(errno));
		rc = errno == ENOSPC ? EXIT_NOSPACE : EXIT_ERROR;
		goto done;
	}
	if (rename(tmp, path) < 0) {
		fprintf(stderr, "tdesk: cannot write %s: %s\n", path,
		    strerror(errno));
		goto done;
	}
	rc = EXIT_OK;
done:
	if (rc != EXIT_OK)
		unlink(tmp);
	catch_stop(0);
	part_path = NULL;
	free(tmp);
	return rc;
}

static int
do_get(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cmd_args *a,
    int64_t ticket, int64_t att_id)
{
	struct tdesk_err err = { 0 };
	struct att_copy c = { 0 };
	struct sync_remote remote;
	struct buf safe = BUF_INIT;
	const char *out = cmd_opt(a, "output"), *ms = cmd_opt(a, "max-size");
	int64_t max = ATT_MAX_DEFAULT;
	char *dir = NULL, *path = NULL;
	int rc;

	if (ms && parse_size(ms, &max) < 0)
		return cmd_usage_error(e, "invalid --max-size '%s' (bytes, or "
		    "a number with k, M or G)", ms);
	if (out && *out == '\0')
		return cmd_usage_error(e, "-o needs a file name");
	rc = store_attachment_get(ctx->st, att_id, copy_att, &c, &err);
	if (rc < 0)
		return cmd_fail(&err);
	if (!c.found || c.ticket_id != ticket) {
		fprintf(stderr, "tdesk: ticket %lld has no attachment %lld "
		    "(see 'tdesk attachment list %lld')\n", (long long)ticket,
		    (long long)att_id, (long long)ticket);
		rc = EXIT_NOTFOUND;
		goto done;
	}
	if (c.size > max) {
		fprintf(stderr, "tdesk: refused: attachment %lld is %lld bytes,"
		    " larger than the limit of %lld bytes (see --max-size)\n",
		    (long long)c.id, (long long)c.size, (long long)max);
		rc = EXIT_USAGE;
		goto done;
	}
	if (*c.url == '\0') {
		/* Zendesk found malware in it (sync/zendesk_map.c) */
		fprintf(stderr, "tdesk: refused: attachment %lld has no "
		    "address to download it from (the server withholds "
		    "files it found malware in)\n", (long long)c.id);
		rc = EXIT_ERROR;
		goto done;
	}
	if (cmd_sync_remote(ctx, &remote, &err) < 0) {
		rc = cmd_fail(&err);
		goto done;
	}
	if (out)
		path = xstrdup(out);
	else {
		if ((dir = cache_dir(ticket, &err)) == NULL) {
			rc = cmd_fail(&err);
			goto done;
		}
		attachment_name(c.name, &safe);
		path = xasprintf("%s/%lld-%s", dir, (long long)c.id, safe.data);
	}
	if ((rc = fetch_to(&remote, c.url, max, path)) != EXIT_OK)
		goto done;
	printf("%s\n", path);
	rc = EXIT_OK;
	fflush(stdout);
	if (cmd_flag(a, "open") &&
	    opener_run(ctx->env.opener, path) != 0) {
		fprintf(stderr, "tdesk: the opener failed on %s\n", path);
		rc = EXIT_ERROR;
	}
done:
	free(path);
	free(dir);
	free(c.name);
	free(c.url);
	buf_free(&safe);
	return rc;
}

static int
exec_attachment(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *a)
{
	struct tdesk_err err = { 0 };
	const char *sub;
	int64_t ticket, att_id = 0;
	int rc;

	if (a->argc < 1)
		return cmd_usage_error(e, "give list or get");
	sub = a->argv[0];
	if (strcmp(sub, "list") == 0) {
		struct att_list o = { .json = cmd_flag(a, "json") };

		if (a->argc != 2)
			return cmd_usage_error(e, "list takes one ticket id");
		if (cmd_opt(a, "output") || cmd_opt(a, "max-size") ||
		    cmd_flag(a, "open"))
			return cmd_usage_error(e, "-o, --max-size and --open "
			    "are for get");
		if (parse_id(a->argv[1], &ticket) < 0)
			return cmd_usage_error(e, "invalid ticket id '%s'",
			    a->argv[1]);
		if ((rc = ticket_known(ctx, ticket)) != EXIT_OK)
			return rc;
		if (store_attachments(ctx->st, ticket, print_att, &o,
		    &err) < 0)
			return cmd_fail(&err);
		if (o.json)
			fputs(o.n ? "\n]\n" : "[]\n", stdout);
		return EXIT_OK;
	}
	if (strcmp(sub, "get") == 0) {
		if (a->argc != 3)
			return cmd_usage_error(e, "get takes a ticket id and an "
			    "attachment id");
		if (cmd_flag(a, "json"))
			return cmd_usage_error(e, "--json is for list");
		if (parse_id(a->argv[1], &ticket) < 0)
			return cmd_usage_error(e, "invalid ticket id '%s'",
			    a->argv[1]);
		if (parse_id(a->argv[2], &att_id) < 0)
			return cmd_usage_error(e, "invalid attachment id '%s'",
			    a->argv[2]);
		if ((rc = ticket_known(ctx, ticket)) != EXIT_OK)
			return rc;
		return do_get(ctx, e, a, ticket, att_id);
	}
	return cmd_usage_error(e, "unknown action '%s' (list or get)", sub);
}

const struct cmd_entry cmd_attachment_entry = {
	.name = "attachment",
	.summary = "list a ticket's attachments, download one on demand",
	.flags = CMD_DESK,
	.verbs = "list|get",
	.opts = att_opts,
	.operands = "id [attachment-id]",
	.exec = exec_attachment,
};
