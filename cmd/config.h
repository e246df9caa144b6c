/* SPDX-License-Identifier: MIT */
/*
 * The user's configuration, $XDG_CONFIG_HOME/tdesk/config.yaml. Read only
 * by cmd/; lower layers get plain option structs filled from it.
 */
#ifndef TDESK_CONFIG_H
#define TDESK_CONFIG_H

#include <stddef.h>

#include "store/base.h"
#include "store/triage.h"

/*
 * A desk's remote settings, in config.yaml's order: X(member, option),
 * where member is the config.yaml key and a member of struct config_desk,
 * struct sync_remote and init's arguments alike, and option is the
 * `tdesk init` option that sets it. Reading, freeing, copying and writing
 * them all walk this one list.
 */
#define CONFIG_REMOTE(X) X(backend, "backend") X(url, "url") \
	X(email, "email") X(user, "user") X(token_cmd, "token-cmd") \
	X(token_env, "token-env") X(token_file, "token-file") \
	X(oauth_token_cmd, "oauth-token-cmd")

struct config_desk {
	char *name;
	char *backend;		/* "zendesk" */
	char *url;		/* https://example.zendesk.com */
	char *email;
	char *user;		/* RT: the agent's user name */
	char *token_cmd;	/* command printing the API token */
	char *token_env;	/* environment variable holding it */
	char *token_file;	/* file holding it, must be 0600 */
	char *oauth_token_cmd;	/* command printing an OAuth bearer token */
	char **groups;		/* group queues to pull besides assigned */
	size_t n_groups;
};

struct config_view {
	char *name;
	char *query;
};

struct config_key {
	char *view;
	char *key;
	char *action;
};

struct guard_config;

struct config {
	char *path;		/* the file read, or NULL if none */
	char *default_desk;	/* "account:" */
	int confirm_threshold;	/* default 5 */
	int sync_interval;	/* seconds, default 0 (off) */
	char *agent_name;
	char *signature;	/* ends replies made from FAQ answers */
	struct config_desk *desks;
	size_t n_desks;
	struct config_view *views;
	size_t n_views;
	struct config_key *keys;
	size_t n_keys;
	struct store_sla_policy *sla;	/* local SLA policy, NULL if none */
	struct guard_config *guard;	/* `guard:`, never NULL */
	int64_t zd_category_field;	/* zendesk: category_field, 0 none */
};

/* Load path (NULL: the XDG default; a missing default file is an empty
 * config). Any mistake refuses the file: -1 with err "file:line:col: ...". */
struct config *config_load(const char *path, struct tdesk_err *err);
void config_free(struct config *cfg);
const struct config_desk *config_desk_find(const struct config *cfg,
    const char *name);

/* $XDG_CONFIG_HOME/tdesk and $XDG_DATA_HOME/tdesk (caller frees). */
char *config_dir(void);
char *data_dir(void);

#endif
