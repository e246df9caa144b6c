/* SPDX-License-Identifier: MIT */
/*
 * YAML documents as a small tree of nodes that remember where they were
 * written, so every mistake in a config, macro or FAQ file can be
 * reported as file:line:column. Built on libyaml's event parser.
 */
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_MAX_DEPTH 64
#define YAML_MAX_SIZE (16u << 20)

struct yparse {
	yaml_parser_t parser;
	const char *file;
	struct tdesk_err *err;
};

static struct ynode *
node_new(enum ynode_kind kind, const yaml_event_t *ev, const char *file)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = (int)ev->start_mark.line + 1;
	n->col = (int)ev->start_mark.column + 1;
	n->file = file;
	return n;
}

static void
node_push(struct ynode *parent, struct ynode *key, struct ynode *item)
{
	parent->items = xrealloc(parent->items,
	    (parent->n + 1) * sizeof(*parent->items));
	parent->items[parent->n] = item;
	if (parent->kind == YNODE_MAP) {
		parent->keys = xrealloc(parent->keys,
		    (parent->n + 1) * sizeof(*parent->keys));
		parent->keys[parent->n] = key;
	}
	parent->n++;
}

static int
parse_error(struct yparse *p)
{
	const yaml_mark_t *m = p->parser.problem_mark.line ||
	    p->parser.problem_mark.column ? &p->parser.problem_mark :
	    &p->parser.context_mark;

	return err_set(p->err, TDESK_EUSAGE, "%s:%zu:%zu: %s%s%s", p->file,
	    m->line + 1, m->column + 1,
	    p->parser.problem ? p->parser.problem : "invalid YAML",
	    p->parser.context ? " " : "",
	    p->parser.context ? p->parser.context : "");
}

static int next_event(struct yparse *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->parser, ev))
		return parse_error(p);
	return 0;
}

static struct ynode *parse_node(struct yparse *p, yaml_event_t *ev, int depth);

static struct ynode *
parse_collection(struct yparse *p, struct ynode *n, int depth)
{
	yaml_event_type_t end = n->kind == YNODE_MAP ?
	    YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;

	for (;;) {
		yaml_event_t ev;
		struct ynode *key = NULL, *val;

		if (next_event(p, &ev) < 0)
			goto fail;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return n;
		}
		if (n->kind == YNODE_MAP) {
			key = parse_node(p, &ev, depth + 1);
			yaml_event_delete(&ev);
			if (key == NULL)
				goto fail;
			if (key->kind != YNODE_SCALAR) {
				ynode_err(key, p->err, "a key must be a plain "
				    "string");
				ynode_free(key);
				goto fail;
			}
			for (size_t i = 0; i < n->n; i++) {
				if (strcmp(n->keys[i]->value, key->value) == 0) {
					ynode_err(key, p->err, "duplicate key "
					    "'%s' (first at line %d)",
					    key->value, n->keys[i]->line);
					ynode_free(key);
					goto fail;
				}
			}
			if (next_event(p, &ev) < 0) {
				ynode_free(key);
				goto fail;
			}
		}
		val = parse_node(p, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (val == NULL) {
			ynode_free(key);
			goto fail;
		}
		node_push(n, key, val);
	}
fail:
	ynode_free(n);
	return NULL;
}

static struct ynode *
parse_node(struct yparse *p, yaml_event_t *ev, int depth)
{
	struct ynode *n;

	if (depth > YAML_MAX_DEPTH) {
		err_set(p->err, TDESK_EUSAGE, "%s:%zu:%zu: nested too deeply",
		    p->file, ev->start_mark.line + 1,
		    ev->start_mark.column + 1);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(YNODE_SCALAR, ev, p->file);
		n->value = xstrndup((const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		if (strlen(n->value) != ev->data.scalar.length) {
			ynode_err(n, p->err, "NUL byte in a value");
			ynode_free(n);
			return NULL;
		}
		return n;
	case YAML_SEQUENCE_START_EVENT:
		return parse_collection(p, node_new(YNODE_SEQ, ev, p->file),
		    depth);
	case YAML_MAPPING_START_EVENT:
		return parse_collection(p, node_new(YNODE_MAP, ev, p->file),
		    depth);
	case YAML_ALIAS_EVENT:
		err_set(p->err, TDESK_EUSAGE, "%s:%zu:%zu: aliases (*name) are "
		    "not supported", p->file, ev->start_mark.line + 1,
		    ev->start_mark.column + 1);
		return NULL;
	default:
		err_set(p->err, TDESK_EUSAGE, "%s:%zu:%zu: unexpected YAML "
		    "event", p->file, ev->start_mark.line + 1,
		    ev->start_mark.column + 1);
		return NULL;
	}
}

struct ynode *
yaml_load_string(const char *name, const char *text, size_t len,
    struct tdesk_err *err)
{
	struct yparse p = { .file = name, .err = err };
	struct ynode *root = NULL;
	yaml_event_t ev;
	int done = 0;

	if (!utf8_valid(text, len)) {
		err_set(err, TDESK_EUSAGE, "%s: not valid UTF-8", name);
		return NULL;
	}
	yaml_parser_initialize(&p.parser);
	yaml_parser_set_input_string(&p.parser, (const unsigned char *)text,
	    len);
	while (!done) {
		if (next_event(&p, &ev) < 0)
			goto fail;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (root != NULL) {
				err_set(err, TDESK_EUSAGE, "%s:%zu:%zu: only "
				    "one document per file", name,
				    ev.start_mark.line + 1,
				    ev.start_mark.column + 1);
				yaml_event_delete(&ev);
				goto fail;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			if (root != NULL) {
				yaml_event_delete(&ev);
				err_set(err, TDESK_EUSAGE, "%s: more than one "
				    "document", name);
				goto fail;
			}
			root = parse_node(&p, &ev, 0);
			if (root == NULL) {
				yaml_event_delete(&ev);
				goto fail;
			}
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p.parser);
	if (root == NULL) {
		root = xcalloc(1, sizeof(*root));
		root->kind = YNODE_MAP;
		root->line = root->col = 1;
		root->file = name;
	}
	return root;
fail:
	yaml_parser_delete(&p.parser);
	ynode_free(root);
	return NULL;
}

struct ynode *
yaml_load_file(const char *path, struct tdesk_err *err)
{
	struct buf b = BUF_INIT;
	struct ynode *n;

	if (buf_read_file(&b, path, YAML_MAX_SIZE, err) < 0) {
		buf_free(&b);
		return NULL;
	}
	n = yaml_load_string(path, b.data ? b.data : "", b.len, err);
	buf_free(&b);
	return n;
}

void
ynode_free(struct ynode *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n; i++) {
		ynode_free(n->items[i]);
		if (n->keys)
			ynode_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->value);
	free(n);
}

const struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	if (map == NULL || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->value, key) == 0)
			return map->items[i];
	return NULL;
}

int
ynode_err(const struct ynode *n, struct tdesk_err *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(err, TDESK_EUSAGE, "%s:%d:%d: %s", n->file, n->line,
	    n->col, msg);
}

static const char *
kind_name(enum ynode_kind k)
{
	return k == YNODE_MAP ? "a mapping" : k == YNODE_SEQ ? "a list" :
	    "a value";
}

int
ynode_check_keys(const struct ynode *n, const char *const *allowed,
    const char *what, struct tdesk_err *err)
{
	if (n->kind != YNODE_MAP)
		return ynode_err(n, err, "%s must be a mapping, not %s", what,
		    kind_name(n->kind));
	for (size_t i = 0; i < n->n; i++) {
		const char *k = n->keys[i]->value;
		size_t j;
		for (j = 0; allowed[j]; j++)
			if (strcmp(allowed[j], k) == 0)
				break;
		if (allowed[j] == NULL)
			return ynode_err(n->keys[i], err, "unknown key '%s' "
			    "in %s", k, what);
	}
	return 0;
}

int
ynode_str(const struct ynode *n, const char **out, struct tdesk_err *err)
{
	if (n->kind != YNODE_SCALAR)
		return ynode_err(n, err, "expected a value, found %s",
		    kind_name(n->kind));
	*out = n->value;
	return 0;
}

int
ynode_int(const struct ynode *n, long long min, long long max,
    long long *out, struct tdesk_err *err)
{
	char *end;
	long long v;

	if (n->kind != YNODE_SCALAR)
		return ynode_err(n, err, "expected a number, found %s",
		    kind_name(n->kind));
	errno = 0;
	v = strtoll(n->value, &end, 10);
	if (end == n->value || *end != '\0' || errno)
		return ynode_err(n, err, "expected a whole number, not '%s'",
		    n->value);
	if (v < min || v > max)
		return ynode_err(n, err, "%lld is out of range (%lld to %lld)",
		    v, min, max);
	*out = v;
	return 0;
}

int
ynode_bool(const struct ynode *n, int *out, struct tdesk_err *err)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };

	if (n->kind == YNODE_SCALAR && !n->quoted) {
		for (int i = 0; yes[i]; i++)
			if (strcasecmp(n->value, yes[i]) == 0)
				return *out = 1, 0;
		for (int i = 0; no[i]; i++)
			if (strcasecmp(n->value, no[i]) == 0)
				return *out = 0, 0;
	}
	return ynode_err(n, err, "expected true or false");
}
