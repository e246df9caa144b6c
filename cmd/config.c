/* SPDX-License-Identifier: MIT */
/*
 * Reading config.yaml: every key checked, every mistake reported as
 * file:line:column, and a bad file refused whole.
 */
#include "cmd/config.h"
#include "store/guard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char *
xdg_dir(const char *env, const char *fallback)
{
	const char *base = getenv(env);

	if (base && base[0] == '/')
		return xasprintf("%s/tdesk", base);
	const char *home = getenv("HOME");
	return xasprintf("%s/%s/tdesk", home && *home ? home : ".", fallback);
}

char *
config_dir(void)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config");
}

char *
data_dir(void)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share");
}

static int
str_field(const struct ynode *n, char **out, struct tdesk_err *err)
{
	const char *v;

	if (ynode_str(n, &v, err) < 0)
		return -1;
	free(*out);
	*out = xstrdup(v);
	return 0;
}

static int
load_desk(struct config_desk *d, const struct ynode *name,
    const struct ynode *n, struct tdesk_err *err)
{
#define KEY_(m, opt) #m,
	static const char *const keys[] = { CONFIG_REMOTE(KEY_) "groups",
	    NULL };
#undef KEY_

	d->name = xstrdup(name->value);
	if (strspn(d->name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
	    "XYZ0123456789._-") != strlen(d->name) || d->name[0] == '.' ||
	    d->name[0] == '-')
		return ynode_err(name, err, "'%s' is not a desk name (letters, "
		    "digits, '.', '_' and '-')", d->name);
	if (ynode_check_keys(n, keys, "a desk", err) < 0)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value;
		const struct ynode *v = n->items[i];
#define DST_(m, opt) !strcmp(k, #m) ? &d->m :
		char **dst = CONFIG_REMOTE(DST_) NULL;
#undef DST_
		if (dst) {
			if (str_field(v, dst, err) < 0)
				return -1;
			continue;
		}
		/* groups */
		if (v->kind != YNODE_SEQ)
			return ynode_err(v, err, "groups must be a list of "
			    "group names");
		d->groups = xcalloc(v->n ? v->n : 1, sizeof(*d->groups));
		for (size_t j = 0; j < v->n; j++) {
			const char *g;
			if (ynode_str(v->items[j], &g, err) < 0)
				return -1;
			d->groups[d->n_groups++] = xstrdup(g);
		}
	}
	if (d->backend && strcmp(d->backend, "zendesk") != 0 &&
	    strcmp(d->backend, "rt") != 0)
		return ynode_err(ynode_get(n, "backend"), err, "unknown backend "
		    "'%s' (tdesk speaks: zendesk, rt)", d->backend);
	if (d->url && strncmp(d->url, "https://", 8) != 0 &&
	    strncmp(d->url, "http://", 7) != 0)
		return ynode_err(ynode_get(n, "url"), err, "url must start "
		    "with https://");
	int sources = !!d->token_cmd + !!d->token_env + !!d->token_file +
	    !!d->oauth_token_cmd;
	if (sources > 1)
		return ynode_err(name, err, "desk '%s' has %d token sources; "
		    "keep one of token_cmd, token_env, token_file, "
		    "oauth_token_cmd", d->name, sources);
	return 0;
}

static int
load_views(struct config *cfg, const struct ynode *n, struct tdesk_err *err)
{
	static const char *const keys[] = { "name", "query", NULL };

	if (n->kind != YNODE_SEQ)
		return ynode_err(n, err, "views must be a list of {name, query}");
	cfg->views = xcalloc(n->n ? n->n : 1, sizeof(*cfg->views));
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *v = n->items[i], *name, *query;
		struct config_view *cv = &cfg->views[cfg->n_views++];
		if (ynode_check_keys(v, keys, "a view", err) < 0)
			return -1;
		if ((name = ynode_get(v, "name")) == NULL ||
		    (query = ynode_get(v, "query")) == NULL)
			return ynode_err(v, err, "a view needs a name and a "
			    "query");
		if (str_field(name, &cv->name, err) < 0 ||
		    str_field(query, &cv->query, err) < 0)
			return -1;
		struct store_query *q = store_query_parse(cv->query, err);
		if (q == NULL) {
			/* "query:COL: msg" → position in the file */
			int col = atoi(err->msg + 6);
			const char *msg = strchr(err->msg + 6, ' ');
			char copy[sizeof(err->msg)];
			snprintf(copy, sizeof(copy), "%s", msg ? msg + 1 :
			    err->msg);
			return err_set(err, TDESK_EUSAGE, "%s:%d:%d: %.300s",
			    query->file, query->line, query->col +
			    (col > 0 ? col - 1 : 0) + (query->quoted ? 1 : 0),
			    copy);
		}
		store_query_free(q);
	}
	return 0;
}

static int
load_keys(struct config *cfg, const struct ynode *n, struct tdesk_err *err)
{
	static const char *const keys[] = { "view", "key", "action", NULL };

	if (n->kind != YNODE_SEQ)
		return ynode_err(n, err, "keys must be a list of "
		    "{view, key, action}");
	cfg->keys = xcalloc(n->n ? n->n : 1, sizeof(*cfg->keys));
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *v = n->items[i], *key, *action, *view;
		struct config_key *ck = &cfg->keys[cfg->n_keys++];
		if (ynode_check_keys(v, keys, "a key binding", err) < 0)
			return -1;
		if ((key = ynode_get(v, "key")) == NULL ||
		    (action = ynode_get(v, "action")) == NULL)
			return ynode_err(v, err, "a key binding needs a key "
			    "and an action");
		view = ynode_get(v, "view");
		if (str_field(key, &ck->key, err) < 0 ||
		    str_field(action, &ck->action, err) < 0)
			return -1;
		if (view) {
			if (str_field(view, &ck->view, err) < 0)
				return -1;
		} else {
			ck->view = xstrdup("global");
		}
	}
	return 0;
}

/* zendesk: settings of the Zendesk desks: category_field, the custom
 * field (its id) that holds the agent's category. */
static int
load_zendesk(struct config *cfg, const struct ynode *n, struct tdesk_err *err)
{
	static const char *const keys[] = { "category_field", NULL };
	const struct ynode *v;
	long long id;

	if (n->kind != YNODE_MAP)
		return ynode_err(n, err, "zendesk must be a map "
		    "(category_field: ID)");
	if (ynode_check_keys(n, keys, "zendesk", err) < 0)
		return -1;
	if ((v = ynode_get(n, "category_field")) != NULL) {
		if (ynode_int(v, 1, INT64_MAX, &id, err) < 0)
			return -1;
		cfg->zd_category_field = id;
	}
	return 0;
}

static int
load(struct config *cfg, const struct ynode *root, struct tdesk_err *err)
{
	static const char *const keys[] = { "account", "confirm_threshold",
	    "sync_interval", "agent_name", "signature", "desks", "views",
	    "keys", "sla", "guard", "zendesk", NULL };
	long long v;

	if (ynode_check_keys(root, keys, "the configuration", err) < 0)
		return -1;
	for (size_t i = 0; i < root->n; i++) {
		const char *k = root->keys[i]->value;
		const struct ynode *n = root->items[i];
		if (!strcmp(k, "account")) {
			if (str_field(n, &cfg->default_desk, err) < 0)
				return -1;
		} else if (!strcmp(k, "agent_name")) {
			if (str_field(n, &cfg->agent_name, err) < 0)
				return -1;
		} else if (!strcmp(k, "signature")) {
			if (str_field(n, &cfg->signature, err) < 0)
				return -1;
		} else if (!strcmp(k, "confirm_threshold")) {
			if (ynode_int(n, 0, 1000000, &v, err) < 0)
				return -1;
			cfg->confirm_threshold = (int)v;
		} else if (!strcmp(k, "sync_interval")) {
			if (ynode_int(n, 0, 86400, &v, err) < 0)
				return -1;
			if (v > 0 && v < 30)
				return ynode_err(n, err, "sync_interval is in "
				    "seconds and must be 0 (off) or at least "
				    "30");
			cfg->sync_interval = (int)v;
		} else if (!strcmp(k, "desks")) {
			if (n->kind != YNODE_MAP)
				return ynode_err(n, err, "desks must map desk "
				    "names to their settings");
			cfg->desks = xcalloc(n->n ? n->n : 1,
			    sizeof(*cfg->desks));
			for (size_t j = 0; j < n->n; j++)
				if (load_desk(&cfg->desks[cfg->n_desks++],
				    n->keys[j], n->items[j], err) < 0)
					return -1;
		} else if (!strcmp(k, "views")) {
			if (load_views(cfg, n, err) < 0)
				return -1;
		} else if (!strcmp(k, "keys")) {
			if (load_keys(cfg, n, err) < 0)
				return -1;
		} else if (!strcmp(k, "guard")) {
			if (guard_config_load(cfg->guard, n, err) < 0)
				return -1;
		} else if (!strcmp(k, "zendesk")) {
			if (load_zendesk(cfg, n, err) < 0)
				return -1;
		} else if (!strcmp(k, "sla")) {
			/* triage: local SLA policies (store/sla.c) */
			cfg->sla = xcalloc(1, sizeof(*cfg->sla));
			if (store_sla_policy_parse(n, cfg->sla, err) < 0)
				return -1;
		}
	}
	if (cfg->default_desk && cfg->n_desks &&
	    config_desk_find(cfg, cfg->default_desk) == NULL &&
	    strcmp(cfg->default_desk, "demo") != 0)
		return ynode_err(ynode_get(root, "account"), err, "account "
		    "'%s' is not one of the desks", cfg->default_desk);
	return 0;
}

struct config *
config_load(const char *path, struct tdesk_err *err)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	char *def = NULL;
	struct ynode *root;

	cfg->confirm_threshold = 5;
	cfg->guard = guard_config_new();
	if (path == NULL) {
		char *dir = config_dir();
		def = xasprintf("%s/config.yaml", dir);
		free(dir);
		if (access(def, F_OK) < 0 && errno == ENOENT) {
			free(def);
			return cfg;
		}
		path = def;
	}
	root = yaml_load_file(path, err);
	if (root == NULL)
		goto fail;
	cfg->path = xstrdup(path);
	if (load(cfg, root, err) < 0) {
		ynode_free(root);
		goto fail;
	}
	ynode_free(root);
	free(def);
	return cfg;
fail:
	free(def);
	config_free(cfg);
	return NULL;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->sla);
	for (size_t i = 0; i < cfg->n_desks; i++) {
		struct config_desk *d = &cfg->desks[i];
		free(d->name);
#define FREE_(m, opt) free(d->m);
		CONFIG_REMOTE(FREE_)
#undef FREE_
		for (size_t j = 0; j < d->n_groups; j++)
			free(d->groups[j]);
		free(d->groups);
	}
	free(cfg->desks);
	for (size_t i = 0; i < cfg->n_views; i++) {
		free(cfg->views[i].name);
		free(cfg->views[i].query);
	}
	free(cfg->views);
	for (size_t i = 0; i < cfg->n_keys; i++) {
		free(cfg->keys[i].view);
		free(cfg->keys[i].key);
		free(cfg->keys[i].action);
	}
	free(cfg->keys);
	guard_config_free(cfg->guard);
	free(cfg->path);
	free(cfg->default_desk);
	free(cfg->agent_name);
	free(cfg->signature);
	free(cfg);
}

const struct config_desk *
config_desk_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_desks; i++)
		if (strcmp(cfg->desks[i].name, name) == 0)
			return &cfg->desks[i];
	return NULL;
}
