/* SPDX-License-Identifier: MIT */
/*
 * The one loader of YAML directories (macros, FAQ answers, next the triage
 * rules): the files under each DIR/sub/, a kind's entries parsed from them
 * (a file is taken whole or refused), a later directory overriding an
 * earlier one, and a reload only when the files changed.
 */
#include "store/store_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define YLOAD_MAX_FILES 4096

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_yaml_name(const char *s)
{
	size_t l = strlen(s);

	if (s[0] == '.')
		return 0;
	return (l > 5 && strcmp(s + l - 5, ".yaml") == 0) ||
	    (l > 4 && strcmp(s + l - 4, ".yml") == 0);
}

static int
dir_is_starter(const char *dir)
{
	size_t l = strlen(dir);

	while (l > 1 && dir[l - 1] == '/')
		l--;
	return l >= 7 && strncmp(dir + l - 7, "starter", 7) == 0 &&
	    (l == 7 || dir[l - 8] == '/');
}

size_t
store_yfiles(const char *const *dirs, size_t n, const char *sub,
    struct store_yfile **out, char **sig)
{
	struct store_yfile *f = NULL;
	struct buf s = BUF_INIT;
	size_t nf = 0;

	for (size_t d = 0; d < n; d++) {
		char *path = xasprintf("%s/%s", dirs[d], sub);
		DIR *dp = opendir(path);
		struct dirent *de;
		char **names = NULL;
		size_t nn = 0;

		if (dp == NULL) {
			free(path);
			continue;
		}
		while ((de = readdir(dp)) != NULL && nn < YLOAD_MAX_FILES) {
			if (!is_yaml_name(de->d_name))
				continue;
			names = xrealloc(names, (nn + 1) * sizeof(*names));
			names[nn++] = xstrdup(de->d_name);
		}
		closedir(dp);
		qsort(names, nn, sizeof(*names), cmp_str);
		for (size_t i = 0; i < nn; i++) {
			struct stat sb;
			char *p = xasprintf("%s/%s", path, names[i]);

			free(names[i]);
			if (stat(p, &sb) < 0 || !S_ISREG(sb.st_mode)) {
				free(p);
				continue;
			}
			buf_printf(&s, "%s\t%lld\t%lld.%09ld\n", p,
			    (long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
			    sb.st_mtim.tv_nsec);
			f = xrealloc(f, (nf + 1) * sizeof(*f));
			f[nf].path = p;
			f[nf].dir = (int)d;
			f[nf].starter = dir_is_starter(dirs[d]);
			nf++;
		}
		free(names);
		free(path);
	}
	*out = f;
	if (sig)
		*sig = buf_detach(&s);
	else
		buf_free(&s);
	return nf;
}

void
store_yfiles_free(struct store_yfile *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].path);
	free(f);
}

int
store_yfiles_refresh(struct store *st, const struct store_ykind *kind,
    const char *const *dirs, size_t n, store_msg_fn warn, void *arg,
    struct tdesk_err *err)
{
	const char *sub = kind->sub;
	struct store_yfile *files;
	char key[64], *sig, *old;
	size_t nf = store_yfiles(dirs, n, sub, &files, &sig);
	int rc;

	snprintf(key, sizeof(key), "%s.files", sub);
	store_yfiles_free(files, nf);
	if (store_state_lookup(st, key, &old, err) < 0) {
		free(sig);
		return -1;
	}
	if (old && strcmp(old, sig) == 0) {
		free(old);
		free(sig);
		return 0;
	}
	free(old);
	free(sig);
	rc = store_yload_dirs(st, kind, dirs, n, warn, arg, err, &sig);
	/* remember only a clean load, so mistakes are shown again */
	if (rc == 0 && store_state_set(st, key, sig, err) < 0)
		rc = -1;
	if (rc != 0)
		store_state_set(st, key, "", NULL);
	free(sig);
	return rc;
}

/* --- entries -------------------------------------------------------------- */

static struct store_yentry *
at(const struct store_yset *s, size_t i)
{
	return (struct store_yentry *)(s->e + i * s->kind->size);
}

struct store_yentry *
store_yset_find(const struct store_yset *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++) {
		struct store_yentry *y = at(s, i);

		if ((s->kind->nocase ? strcasecmp(y->key, key) :
		    strcmp(y->key, key)) == 0)
			return y;
	}
	return NULL;
}

static void
yset_add(struct store_yset *s, const void *entry)
{
	s->e = xrealloc(s->e, (s->n + 1) * s->kind->size);
	memcpy(at(s, s->n++), entry, s->kind->size);
}

static void
entries_free(struct store_yset *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->kind->free(at(s, i));
	free(s->e);
	s->e = NULL;
	s->n = 0;
}

void
store_yset_free(struct store_yset *s)
{
	entries_free(s);
	store_yfiles_free(s->files, s->nf);
	s->files = NULL;
	s->nf = 0;
}

struct yreport {
	store_msg_fn warn;
	void *arg;
	struct tdesk_err *first;
	int nmsg;
};

/* Pass a mistake to warn; keep the first one. */
static void
report(struct yreport *r, const struct tdesk_err *e)
{
	if (r->warn)
		r->warn(e->msg, r->arg);
	if (r->nmsg++ == 0 && r->first)
		*r->first = *e;
}

/* The shape of a file: one entry, or a list under the kind's key. */
static int
check_root(const struct store_ykind *k, const struct ynode *root,
    const struct ynode *list, struct tdesk_err *e)
{
	if (root->kind != YNODE_MAP)
		return ynode_err(root, e, "expected a %s or a '%s' list",
		    k->noun, k->list_key);
	if (root->n == 0)
		return ynode_err(root, e, "empty file: expected a %s",
		    k->noun);
	if (list && root->n != 1)
		return ynode_err(root, e, "a file with a '%s' list holds "
		    "nothing else", k->list_key);
	if (list && list->kind != YNODE_SEQ)
		return ynode_err(list, e, "'%s' must be a list of %s",
		    k->list_key, k->plural);
	return 0;
}

/* Parse the entries of n into mine; a duplicate key is a mistake. */
static int
parse_into(const struct store_ykind *k, struct store_yset *mine,
    const struct store_yset *set, const struct store_yfile *yf,
    const struct ynode *n, void *entry, struct yreport *r)
{
	struct store_yentry *y = entry, *dup;
	struct tdesk_err e = { 0 };

	memset(entry, 0, k->size);
	if (k->parse(n, entry, &e) < 0) {
		report(r, &e);
		k->free(entry);
		return -1;
	}
	if ((dup = store_yset_find(mine, y->key)) != NULL ||
	    ((dup = store_yset_find(set, y->key)) != NULL &&
	    dup->dir == yf->dir)) {
		ynode_err(ynode_get(n, k->key_field), &e, "duplicate %s '%s' "
		    "(also in %s)", k->key_noun, y->key, dup->file);
		report(r, &e);
		k->free(entry);
		return -1;
	}
	y->dir = yf->dir;
	y->starter = yf->starter;
	y->file = yf->path;
	yset_add(mine, entry);
	return 0;
}

/* Parse one file into set, all of it or nothing; -1 when refused. */
static int
load_file(struct store_yset *set, const struct store_yfile *yf,
    struct yreport *r)
{
	const struct store_ykind *k = set->kind;
	struct tdesk_err e = { 0 };
	struct ynode *root = yaml_load_file(yf->path, &e);
	struct store_yset mine = { .kind = k };
	const struct ynode *list;
	void *entry;
	size_t count;
	int bad = 0;

	if (root == NULL) {
		report(r, &e);
		return -1;
	}
	list = ynode_get(root, k->list_key);
	if (check_root(k, root, list, &e) < 0) {
		report(r, &e);
		bad = 1;
	}
	count = bad ? 0 : list ? list->n : 1;
	entry = xmalloc(k->size);
	for (size_t i = 0; i < count; i++)
		if (parse_into(k, &mine, set, yf, list ? list->items[i] : root,
		    entry, r) < 0)
			bad = 1;
	free(entry);
	ynode_free(root);
	if (bad) {
		entries_free(&mine);
		return -1;
	}
	for (size_t i = 0; i < mine.n; i++) {
		struct store_yentry *old = store_yset_find(set, at(&mine, i)->key);

		if (old) {
			k->free(old);
			memcpy(old, at(&mine, i), k->size);
		} else
			yset_add(set, at(&mine, i));
	}
	free(mine.e);
	return 0;
}

int
store_yload(struct store_yset *set, const char *const *dirs, size_t n,
    store_msg_fn warn, void *arg, struct tdesk_err *first, char **sig)
{
	struct yreport r = { warn, arg, first, 0 };
	int nbad = 0;

	set->nf = store_yfiles(dirs, n, set->kind->sub, &set->files, sig);
	for (size_t i = 0; i < set->nf; i++)
		if (load_file(set, &set->files[i], &r) < 0)
			nbad++;
	return nbad;
}

void *
store_yset_at(const struct store_yset *set, size_t i)
{
	return at(set, i);
}

int
store_yload_dirs(struct store *st, const struct store_ykind *kind,
    const char *const *dirs, size_t n, store_msg_fn warn, void *arg,
    struct tdesk_err *err, char **sig)
{
	struct store_yset set = { .kind = kind };
	struct tdesk_err first = { 0 };
	int nbad = store_yload(&set, dirs, n, warn, arg, &first, sig);

	if (store_begin(st, err) < 0) {
		store_yset_free(&set);
		return -1;
	}
	if (kind->write(st, &set, err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		store_yset_free(&set);
		return -1;
	}
	store_yset_free(&set);
	if (nbad && err)
		*err = first;
	return nbad;
}

int
store_yaml_lang_key(const char *k)
{
	return strlen(k) == 2 && k[0] >= 'a' && k[0] <= 'z' &&
	    k[1] >= 'a' && k[1] <= 'z';
}
