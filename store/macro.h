/* SPDX-License-Identifier: MIT */
/*
 * Macros (store/macro.c, store/macro_render.c): loaded from YAML files
 * (the starter pack, the agent's own) and from the helpdesk, rendered for
 * a ticket and applied as outbox actions.
 */
#ifndef TDESK_STORE_MACRO_H
#define TDESK_STORE_MACRO_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "store/base.h"
#include "store/ynode.h"

struct store;

/*
 * Load macros from DIR/macros/NAME.yaml for each of the n dirs in order,
 * replacing every non-remote row in one transaction. A dir whose last
 * component is "starter" gives source 'starter', any other 'local'; a
 * later dir's macro replaces an earlier one of the same name. Missing
 * dirs are skipped. A file with any mistake is refused whole: each
 * mistake goes to warn (may be NULL) and the first into err (kind USAGE).
 * Returns the number of refused files, or -1 on a database error
 * (nothing changed).
 */
int store_macros_load_dirs(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);
/* Like the above, but a no-op when no file under the dirs changed since
 * the last clean load (compares names, sizes and mtimes). */
int store_macros_refresh(struct store *st, const char *const *dirs,
    size_t n, store_msg_fn warn, void *arg, struct tdesk_err *err);

/*
 * Remote macros, for sync/: the helpdesk's macros as typed records (each
 * backend maps its own answers). Each call runs in its own nested
 * transaction.
 */
struct store_macro_rec {
	int64_t remote_id;
	const char *title, *description;
	int active;		/* 0: remove it */
	const char *actions;	/* JSON array of {"field", "value"[,
				 * "lang"]}: the replica's macro actions
				 * (see store_macro_actions) */
	int64_t updated_at;
};
int store_macro_put_remote(struct store *st, const struct store_macro_rec *m,
    struct tdesk_err *err);

/* Delete every remote macro: call inside store_begin() before ingesting
 * a complete list, so the ones deleted remotely go too. */
int store_macros_remote_clear(struct store *st, struct tdesk_err *err);

struct store_macro {
	const char *name;
	const char *description;
	const char *source;	/* "local", "starter", "remote" */
	int64_t remote_id;	/* 0 unless remote */
	const char *definition;	/* JSON: {"actions":[{field,value[,lang]}]} */
	const char *langs;	/* comment languages, space separated */
	int64_t updated_at;
};
typedef int (*store_macro_fn)(const struct store_macro *m, void *arg);
/* All macros by name; fn's argument is borrowed for the call. */
int store_macro_list(struct store *st, store_macro_fn fn, void *arg,
    struct tdesk_err *err);
/* One macro by exact name, else by case-insensitive name. 1 found, 0 not
 * found, -1 error. */
int store_macro_get(struct store *st, const char *name, store_macro_fn fn,
    void *arg, struct tdesk_err *err);

/* Each action of macro name in order: field as in Zendesk's actions
 * ("status", "current_tags", "comment_value", ...; tdesk's own
 * "assignee"/"group" take names), value as text, lang NULL or the
 * comment's language. 1 found, 0 not found, -1 error. */
int store_macro_actions(struct store *st, const char *name,
    int (*fn)(const char *field, const char *value, const char *lang,
    void *arg), void *arg, struct tdesk_err *err);

struct store_macro_opts {
	const char *lang;	/* NULL: follow the requester's locale */
	const char *const *vars; /* custom placeholders, "key=value" */
	size_t n_vars;
	const char *agent_name;	/* NULL: the desk's "me.name" state */
	int dry_run;		/* render and check, change nothing */
	const volatile sig_atomic_t *stop; /* may be NULL: see
				 * store_multi_run */
	const char *guard_override; /* reason to queue a public comment the
				 * reply guard blocks (audited) */
};

/* What a macro does to one ticket; strings are NULL when unchanged. */
struct store_macro_result {
	int64_t ticket_id;
	char lang[8];		/* comment variant used */
	char *comment;		/* rendered, placeholders filled */
	int comment_public;
	char *status;
	char *priority;
	char *type;
	char *assignee;		/* "" clears */
	char *group;		/* "" clears */
	char *add_tags;		/* space separated, NULL when none */
	char *remove_tags;
	int64_t outbox_id;	/* when applied */
};
void store_macro_result_clear(struct store_macro_result *r);
typedef int (*store_macro_result_fn)(const struct store_macro_result *r,
    void *arg);

/*
 * Render macro name for one ticket without changing anything: fills out
 * (caller clears). An unknown placeholder or one without a value (no
 * requester name, a custom one not given) is an error naming the
 * placeholder and the ticket. 1 done, 0 macro or ticket not found (err
 * says which, kind NOTFOUND), -1 error.
 */
int store_macro_preview(struct store *st, const char *name,
    int64_t ticket_id, const struct store_macro_opts *opts,
    struct store_macro_result *out, struct tdesk_err *err);
/*
 * Apply macro name to n tickets in one transaction: one outbox action
 * (kind "macro") per ticket via store_action(). All or nothing: if any
 * ticket is missing or cannot be rendered, nothing is applied and err
 * names the first failure and how many failed. fn (may be NULL) sees
 * each ticket's result before the commit. With opts->dry_run, renders
 * and checks only. Returns 0 or -1.
 */
int store_macro_apply(struct store *st, const char *name,
    const int64_t *ids, size_t n, const struct store_macro_opts *opts,
    store_macro_result_fn fn, void *arg, struct tdesk_err *err);
/* "zh" for zh/zh-* locales, "en" otherwise; with an empty locale, the
 * ticket's detected language decides (zh or en). */
const char *store_lang_pick(const char *locale, const char *ticket_lang);

#endif
