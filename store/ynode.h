/* SPDX-License-Identifier: MIT */
/*
 * YAML documents (store/yaml.c): config, macros, FAQ answers and triage
 * rules are read as trees of positioned nodes, so every mistake names
 * its file, line and column.
 */
#ifndef TDESK_STORE_YNODE_H
#define TDESK_STORE_YNODE_H

#include <stddef.h>

#include "store/base.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

/* A parsed YAML node with its position (1-based line and column). A map's
 * keys are scalars: keys[i] maps to items[i]. Aliases are refused. */
struct ynode {
	enum ynode_kind kind;
	int line, col;
	char *value;		/* SCALAR: the text (never NULL) */
	int quoted;		/* SCALAR: written in quotes */
	struct ynode **items;	/* SEQ items, MAP values */
	struct ynode **keys;	/* MAP keys (scalars) */
	size_t n;
	const char *file;	/* borrowed from the document */
};

/* Parse one YAML document from path. An empty file gives an empty map.
 * Errors read "path:line:col: message". Caller frees with ynode_free. */
struct ynode *yaml_load_file(const char *path, struct tdesk_err *err);
struct ynode *yaml_load_string(const char *name, const char *text,
    size_t len, struct tdesk_err *err);
void ynode_free(struct ynode *n);
/* The value of key in a map, or NULL (borrowed). */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/* Fill err with "file:line:col: msg" at node n; returns -1. */
int ynode_err(const struct ynode *n, struct tdesk_err *err, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
/* Check that map n is a map whose keys are all in allowed (NULL ended);
 * what names the map in messages ("config", "macro"). */
int ynode_check_keys(const struct ynode *n, const char *const *allowed,
    const char *what, struct tdesk_err *err);
/* Scalar helpers: fail with a positioned error if n is not a scalar of
 * the right shape. */
int ynode_str(const struct ynode *n, const char **out, struct tdesk_err *err);
int ynode_int(const struct ynode *n, long long min, long long max,
    long long *out, struct tdesk_err *err);
int ynode_bool(const struct ynode *n, int *out, struct tdesk_err *err);

/* Called with each message of a refused file ("file:line:col: ..."). */
typedef void (*store_msg_fn)(const char *msg, void *arg);

#endif
