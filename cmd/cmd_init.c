/* SPDX-License-Identifier: MIT */
/*
 * tdesk init: add a desk (a helpdesk account) to config.yaml, asking on a
 * terminal or taking everything from flags, and create its replica. The
 * token itself is never written: only where to find it.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync/sync.h"

static const struct cmd_opt init_opts[] = {
	{ 0, "desk", "name", "the new desk's name (asked on a terminal)",
	    0, 0 },
	{ 0, "backend", "zendesk|rt", "the helpdesk's kind (zendesk, rt)",
	    0, 0 },
	{ 0, "url", "url", "the helpdesk's address, https://....zendesk.com",
	    0, 0 },
	{ 0, "email", "email", "your agent email (zendesk)", 2, 0 },
	{ 0, "user", "name", "your user name (rt)", 2, 0 },
	{ 0, "token-cmd", "cmd", "a command that prints the API token", 1, 0 },
	{ 0, "token-env", "var", "an environment variable holding the token",
	    1, 0 },
	{ 0, "token-file", "file", "a private file (0600) holding the token",
	    1, 0 },
	{ 0, "oauth-token-cmd", "cmd", "a command that prints an OAuth token",
	    1, 0 },
	{ 0, "group", "name", "sync only tickets of this group (repeatable)",
	    0, CMD_OPT_MULTI },
	{ 0, "check", NULL, "sign in first; change nothing when that fails",
	    0, 0 },
	{ 0 }
};

struct init_args {
	const char *desk, *backend, *url, *email, *user;
	const char *token_cmd, *token_env, *token_file, *oauth_token_cmd;
	const char **groups;
	size_t n_groups;
	int check;
	char *owned[8];		/* answers read from the terminal */
	size_t n_owned;
};

int
cmd_desk_name_ok(const char *s)
{
	if (*s == '\0' || *s == '.' || *s == '-')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(s);
}

/* Ask on the terminal; NULL at end of input. */
static const char *
ask(struct init_args *a, const char *question, const char *dflt)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (dflt)
		fprintf(stderr, "%s [%s]: ", question, dflt);
	else
		fprintf(stderr, "%s: ", question);
	fflush(stderr);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
	    line[n - 1] == ' '))
		line[--n] = '\0';
	if (n == 0) {
		free(line);
		return dflt;
	}
	if (a->n_owned < ARRAY_LEN(a->owned))
		a->owned[a->n_owned++] = line;
	return line;
}

static int
interview(struct init_args *a)
{
	const char *how;

	fprintf(stderr, "Adding a helpdesk account to tdesk. The token is not"
	    " stored: tdesk asks a command,\nan environment variable or a"
	    " private file for it each time it syncs.\n");
	if (a->desk == NULL && (a->desk = ask(a, "desk name", "work")) == NULL)
		return -1;
	if (a->url == NULL && (a->url = ask(a, "helpdesk url (https://"
	    "example.zendesk.com)", NULL)) == NULL)
		return -1;
	if (a->backend && !strcmp(a->backend, "rt")) {
		if (a->user == NULL && (a->user = ask(a, "your RT user name",
		    NULL)) == NULL)
			return -1;
	} else if (a->email == NULL && (a->email = ask(a,
	    "your agent email", NULL)) == NULL)
		return -1;
	if (a->token_cmd || a->token_env || a->token_file ||
	    a->oauth_token_cmd)
		return 0;
	how = ask(a, "token from: cmd, env, file or oauth-cmd", "cmd");
	if (how == NULL)
		return -1;
	if (!strcmp(how, "cmd"))
		a->token_cmd = ask(a, "command printing the API token",
		    "pass show zendesk");
	else if (!strcmp(how, "env"))
		a->token_env = ask(a, "environment variable", "ZENDESK_TOKEN");
	else if (!strcmp(how, "file"))
		a->token_file = ask(a, "token file (mode 0600)", NULL);
	else if (!strcmp(how, "oauth-cmd"))
		a->oauth_token_cmd = ask(a, "command printing an OAuth token",
		    NULL);
	return 0;
}

/* Append s as a YAML double-quoted scalar. */
static int
yaml_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			return -1;
		if (c == '"' || c == '\\')
			buf_addc(b, '\\');
		buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
	return 0;
}

static int
desk_block(struct buf *b, const struct init_args *a, int indent,
    struct tdesk_err *err)
{
#define KEY_(m, opt) #m,
#define VAL_(m, opt) a->m,
	const char *keys[] = { CONFIG_REMOTE(KEY_) };
	const char *vals[] = { CONFIG_REMOTE(VAL_) };
#undef KEY_
#undef VAL_
	size_t i;

	buf_printf(b, "%*s%s:\n", indent, "", a->desk);
	for (i = 0; i < ARRAY_LEN(keys); i++) {
		if (vals[i] == NULL)
			continue;
		buf_printf(b, "%*s%s: ", indent + 2, "", keys[i]);
		if (yaml_str(b, vals[i]) < 0)
			return err_set(err, TDESK_EUSAGE, "%s holds a control"
			    " character", keys[i]);
		buf_addc(b, '\n');
	}
	if (a->n_groups > 0) {
		buf_printf(b, "%*sgroups:\n", indent + 2, "");
		for (i = 0; i < a->n_groups; i++) {
			buf_printf(b, "%*s- ", indent + 4, "");
			if (yaml_str(b, a->groups[i]) < 0)
				return err_set(err, TDESK_EUSAGE, "a group name"
				    " holds a control character");
			buf_addc(b, '\n');
		}
	}
	return 0;
}

/* The text of config.yaml with the new desk added. */
static int
extend_config(const char *old, const struct init_args *a, int first,
    struct buf *out, struct tdesk_err *err)
{
	const char *p, *line, *next;
	struct buf blk = BUF_INIT;
	int indent = 2;

	/* find a top-level "desks:" that opens a block */
	for (line = old; line && *line; line = next) {
		size_t len;

		next = strchr(line, '\n');
		len = next ? (size_t)(next - line) : strlen(line);
		if (next)
			next++;
		if (strncmp(line, "desks:", 6) != 0)
			continue;
		for (p = line + 6; p < line + len && *p == ' '; p++)
			;
		if (p < line + len && *p != '#') {
			buf_free(&blk);
			return err_set(err, TDESK_EUSAGE, "the desks of the"
			    " config file are not a block mapping; add the"
			    " desk by hand");
		}
		/* children keep the indentation already in use */
		for (p = next; p && *p; p = strchr(p, '\n') ? strchr(p, '\n')
		    + 1 : NULL) {
			size_t sp = strspn(p, " ");

			if (p[sp] == '\n' || p[sp] == '#')
				continue;
			if (sp > 0)
				indent = (int)sp;
			break;
		}
		if (desk_block(&blk, a, indent, err) < 0) {
			buf_free(&blk);
			return -1;
		}
		buf_add(out, old, next ? (size_t)(next - old) : strlen(old));
		if (next == NULL)
			buf_addc(out, '\n');
		buf_adds(out, blk.data);
		if (next)
			buf_adds(out, next);
		buf_free(&blk);
		return 0;
	}
	if (first && strstr(old, "\naccount:") == NULL &&
	    strncmp(old, "account:", 8) != 0)
		buf_printf(out, "account: %s\n", a->desk);
	buf_adds(out, old);
	if (out->len > 0 && out->data[out->len - 1] != '\n')
		buf_addc(out, '\n');
	buf_adds(out, "desks:\n");
	return desk_block(out, a, 2, err);
}

static int
mkdirs(const char *path)
{
	char *dir = xstrdup(path), *p;
	int rc = 0;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		rc = -1;
	free(dir);
	return rc;
}

/* Write text to path through a checked temporary file and a rename. */
static int
write_config(const char *path, const char *text, struct tdesk_err *err)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct config *check;
	size_t len = strlen(text), off = 0;
	int fd, rc = -1;

	if (slash)
		*slash = '\0';
	if (slash && mkdirs(dir) < 0) {
		err_set(err, TDESK_EGENERIC, "cannot create '%s': %s", dir,
		    strerror(errno));
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(err, TDESK_EGENERIC, "cannot write '%s': %s", tmp,
		    strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t k = write(fd, text + off, len - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	if (off < len || fsync(fd) < 0) {
		err_set(err, TDESK_EGENERIC, "cannot write '%s': %s", tmp,
		    strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	/* never replace a good file with one tdesk cannot read */
	if ((check = config_load(tmp, err)) == NULL) {
		unlink(tmp);
		goto out;
	}
	config_free(check);
	if (rename(tmp, path) < 0) {
		err_set(err, TDESK_EGENERIC, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (slash && (fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
	rc = 0;
out:
	free(tmp);
	free(dir);
	return rc;
}

static int
check_args(const struct init_args *a, struct tdesk_err *err)
{
	int sources = !!a->token_cmd + !!a->token_env + !!a->token_file +
	    !!a->oauth_token_cmd;

	if (a->desk == NULL || !cmd_desk_name_ok(a->desk))
		return err_set(err, TDESK_EUSAGE, "'%s' is not a desk name"
		    " (letters, digits, '.', '_' and '-')",
		    a->desk ? a->desk : "");
	if (!sync_backend_known(a->backend))
		return err_set(err, TDESK_EUSAGE, "unknown backend '%s'"
		    " (tdesk speaks zendesk and rt)", a->backend);
	if (a->url == NULL)
		return err_set(err, TDESK_EUSAGE, "--url is needed");
	if (sync_url_check(a->url, err) < 0)
		return -1;
	if (!strcmp(a->backend, "rt")) {
		/* Request Tracker: a user name and an RT auth token */
		if (a->user == NULL || *a->user == '\0')
			return err_set(err, TDESK_EUSAGE, "--user needs the"
			    " agent's RT user name");
		if (a->oauth_token_cmd)
			return err_set(err, TDESK_EUSAGE, "RT desks take an"
			    " RT auth token: --token-cmd, --token-env or"
			    " --token-file");
	} else if (a->email == NULL || strchr(a->email, '@') == NULL)
		return err_set(err, TDESK_EUSAGE, "--email needs the agent's"
		    " email address");
	if (sources != 1)
		return err_set(err, TDESK_EUSAGE, "name exactly one token"
		    " source: --token-cmd, --token-env, --token-file or"
		    " --oauth-token-cmd");
	if (a->token_env && strspn(a->token_env, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(a->token_env))
		return err_set(err, TDESK_EUSAGE, "'%s' is not the name of an"
		    " environment variable (give its name, not the token)",
		    a->token_env);
	if (a->token_file) {
		if (a->token_file[0] != '/')
			return err_set(err, TDESK_EUSAGE, "--token-file needs"
			    " an absolute path");
		if (sync_token_file_check(a->token_file, err) < 0)
			return -1;
	}
	return 0;
}

/* Who the credentials belong to; an exit status. */
static int
check_sign_in(struct cmd_ctx *ctx, const struct init_args *a)
{
	struct tdesk_err err = { 0 };
	struct sync_opts o;
	struct sync_stats st;

	memset(&o, 0, sizeof(o));
#define COPY_(m, opt) o.remote.m = a->m;
	CONFIG_REMOTE(COPY_)
#undef COPY_
	o.what = 0;	/* only who we are */
	if (sync_run(ctx->st, &o, &st, &err) < 0)
		return cmd_fail(&err);
	return EXIT_OK;
}

/* Undo the replica this run created. */
static void
remove_replica(struct cmd_ctx *ctx)
{
	const char *sfx[] = { "", "-wal", "-shm", "-journal" };

	store_close(ctx->st);
	ctx->st = NULL;
	for (size_t i = 0; i < ARRAY_LEN(sfx); i++) {
		char *p = xasprintf("%s%s", ctx->desk_path, sfx[i]);
		unlink(p);
		free(p);
	}
}

/* The options into a; on a terminal, ask for what is missing. 0, or -1
 * when the agent ended the questions. */
static int
init_args_get(struct cmd_ctx *ctx, struct cmd_args *args,
    struct init_args *a)
{
	memset(a, 0, sizeof(*a));
	a->desk = cmd_opt(args, "desk") ? cmd_opt(args, "desk") :
	    ctx->desk_arg;
#define OPT_(m, opt) a->m = cmd_opt(args, opt);
	CONFIG_REMOTE(OPT_)
#undef OPT_
	a->groups = cmd_opt_all(args, "group", &a->n_groups);
	a->check = cmd_flag(args, "check");
	if (a->backend == NULL)
		a->backend = "zendesk";
	if ((a->desk == NULL || a->url == NULL ||
	    (a->email == NULL && a->user == NULL) ||
	    !(a->token_cmd || a->token_env || a->token_file ||
	    a->oauth_token_cmd)) && ctx->is_tty_in && isatty(2)) {
		if (interview(a) < 0) {
			fprintf(stderr, "\n");
			return -1;
		}
	}
	return 0;
}

/* config.yaml's path and the text it gets with the new desk. 0, or an
 * exit status. */
static int
init_config_text(struct cmd_ctx *ctx, const struct init_args *a,
    char **path, struct buf *text)
{
	struct tdesk_err err = { 0 };
	struct buf old = BUF_INIT;
	int rc = EXIT_OK;

	if (config_desk_find(ctx->cfg, a->desk) != NULL) {
		fprintf(stderr, "tdesk: desk '%s' is already in %s: edit it"
		    " there or choose another name\n", a->desk,
		    ctx->cfg->path ? ctx->cfg->path : "config.yaml");
		return EXIT_USAGE;
	}
	if (ctx->cfg->path) {
		*path = xstrdup(ctx->cfg->path);
	} else {
		char *dir = config_dir();
		*path = xasprintf("%s/config.yaml", dir);
		free(dir);
	}
	if ((access(*path, F_OK) == 0 &&
	    buf_read_file(&old, *path, 1 << 20, &err) < 0) ||
	    extend_config(old.data ? old.data : "", a,
	    ctx->cfg->n_desks == 0, text, &err) < 0)
		rc = cmd_fail(&err);
	buf_free(&old);
	return rc;
}

/* Open (create) the new desk's replica, empty until the first sync;
 * *existed says whether its file was there before. 0, or an exit
 * status. */
static int
init_replica(struct cmd_ctx *ctx, const char *desk, int *existed)
{
	struct tdesk_err err = { 0 };
	char *dir = data_dir();

	free(ctx->desk_name);
	free(ctx->desk_path);
	ctx->desk_name = xstrdup(desk);
	ctx->desk_path = xasprintf("%s/%s.db", dir, desk);
	free(dir);
	store_close(ctx->st);
	ctx->st = NULL;
	*existed = access(ctx->desk_path, F_OK) == 0;
	if (cmd_open_desk(ctx, 1, &err) < 0)
		return cmd_fail(&err);
	return 0;
}

/* What init says when it worked. */
static void
init_done(struct cmd_ctx *ctx, const struct init_args *a, const char *path)
{
	printf("desk '%s' added to %s; replica %s\n", a->desk, path,
	    ctx->desk_path);
	if (a->check) {
		char *name = store_state_get(ctx->st, "me.name");
		struct buf clean = BUF_INIT;

		text_sanitize(&clean, name ? name : "?",
		    strlen(name ? name : "?"), 0);
		printf("signed in as %s\n", clean.data);
		buf_free(&clean);
		free(name);
	}
	printf("next: tdesk%s%s sync\n", ctx->cfg->n_desks ? " -d " : "",
	    ctx->cfg->n_desks ? a->desk : "");
}

static int
exec_init(struct cmd_ctx *ctx, const struct cmd_entry *e,
    struct cmd_args *args)
{
	struct init_args a;
	struct tdesk_err err = { 0 };
	struct buf text = BUF_INIT;
	char *path = NULL;
	int rc, existed;

	if (args->argc)
		return cmd_usage_error(e, "unknown argument '%s'",
		    args->argv[0]);
	if (init_args_get(ctx, args, &a) < 0)
		rc = EXIT_USAGE;
	else if (check_args(&a, &err) < 0)
		rc = cmd_fail(&err);
	else if ((rc = init_config_text(ctx, &a, &path, &text)) == 0 &&
	    (rc = init_replica(ctx, a.desk, &existed)) == 0) {
		/* --check signs in before anything is written for good */
		if (a.check && (rc = check_sign_in(ctx, &a)) != EXIT_OK) {
			fprintf(stderr, "tdesk: nothing was written\n");
		} else if (write_config(path, text.data, &err) < 0) {
			rc = cmd_fail(&err);
		} else {
			init_done(ctx, &a, path);
			rc = EXIT_OK;
		}
		if (rc != EXIT_OK && !existed)
			remove_replica(ctx);
	}
	for (size_t k = 0; k < a.n_owned; k++)
		free(a.owned[k]);
	free(path);
	buf_free(&text);
	return rc;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = "add a helpdesk account (desk) to config.yaml",
	.flags = 0,
	.opts = init_opts,
	.exec = exec_init,
};
