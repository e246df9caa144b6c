/* SPDX-License-Identifier: MIT */
/*
 * Named actions and the per-view key tables that map keys to them. The
 * defaults live here and nowhere else: the help screen, `tdesk keys` and
 * the manual's KEY BINDINGS section are generated from these tables.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

static const struct {
	const char *name;
	const char *help;
} actions[ACT__N] = {
	[ACT_NONE] = { "none", "unbound" },
	[ACT_QUIT] = { "quit", "leave tdesk" },
	[ACT_HELP] = { "help", "show the key bindings" },
	[ACT_SYNC] = { "sync", "sync with the helpdesk now" },
	[ACT_OUTBOX] = { "outbox", "show the outbox and conflicts" },
	[ACT_LIMIT] = { "limit", "limit the list to a query" },
	[ACT_REDRAW] = { "redraw", "redraw the screen" },
	[ACT_VIEW_NEXT] = { "view-next", "next saved view" },
	[ACT_VIEW_PREV] = { "view-prev", "previous saved view" },
	[ACT_VIEW_1] = { "view-1", "saved view 1" },
	[ACT_VIEW_2] = { "view-2", "saved view 2" },
	[ACT_VIEW_3] = { "view-3", "saved view 3" },
	[ACT_VIEW_4] = { "view-4", "saved view 4" },
	[ACT_VIEW_5] = { "view-5", "saved view 5" },
	[ACT_VIEW_6] = { "view-6", "saved view 6" },
	[ACT_VIEW_7] = { "view-7", "saved view 7" },
	[ACT_VIEW_8] = { "view-8", "saved view 8" },
	[ACT_VIEW_9] = { "view-9", "saved view 9" },
	[ACT_DOWN] = { "down", "move down" },
	[ACT_UP] = { "up", "move up" },
	[ACT_TOP] = { "top", "go to the first line" },
	[ACT_BOTTOM] = { "bottom", "go to the last line" },
	[ACT_PAGE_DOWN] = { "page-down", "one page down" },
	[ACT_PAGE_UP] = { "page-up", "one page up" },
	[ACT_OPEN] = { "open", "open the selected ticket" },
	[ACT_BACK] = { "back", "back to the previous screen" },
	[ACT_TAG] = { "tag", "tag or untag the ticket" },
	[ACT_TAG_QUERY] = { "tag-query", "tag the tickets matching a query" },
	[ACT_UNTAG_ALL] = { "untag-all", "untag every ticket" },
	[ACT_TAG_PREFIX] = { "tag-prefix", "apply the next action to tagged" },
	[ACT_REPLY] = { "reply", "public reply (inline; C-e: editor)" },
	[ACT_REPLY_EDITOR] = { "reply-editor", "public reply in $EDITOR" },
	[ACT_NOTE] = { "note", "internal note (inline; C-e: editor)" },
	[ACT_NOTE_EDITOR] = { "note-editor", "internal note in $EDITOR" },
	[ACT_STATUS] = { "status", "set the status" },
	[ACT_PRIORITY] = { "priority", "set the priority" },
	[ACT_TAGS_ADD] = { "tags-add", "edit tags (+tag -tag)" },
	[ACT_TAGS_REMOVE] = { "tags-remove", "remove tags (-tag)" },
	[ACT_ASSIGN] = { "assign", "assign to an agent" },
	[ACT_GROUP] = { "group", "assign to a group" },
	[ACT_FAQ] = { "faq", "reply with a FAQ answer (search)" },
	[ACT_MACRO] = { "macro", "preview and apply a macro" },
	[ACT_NEXT_TICKET] = { "next-ticket", "open the next ticket" },
	[ACT_PREV_TICKET] = { "prev-ticket", "open the previous ticket" },
	[ACT_KEEP] = { "keep", "resend the action as it is" },
	[ACT_EDIT] = { "edit", "edit the reply in $EDITOR, resend" },
	[ACT_DROP] = { "drop", "drop the action, undo it locally" },
};

static const char *const table_names[UI_TABLE__N] = {
	"global", "list", "ticket", "outbox", "help",
};

#define K(k) UI_KEYCODE(k)
#define CTRL(c) ((c) & 0x1f)

struct binding {
	int key;
	enum ui_action action;
};

static const struct binding def_global[] = {
	{ '?', ACT_HELP }, { 'S', ACT_SYNC }, { '$', ACT_OUTBOX },
	{ 'o', ACT_OUTBOX },
	{ '/', ACT_LIMIT }, { 'l', ACT_LIMIT }, { CTRL('l'), ACT_REDRAW },
	{ '\t', ACT_VIEW_NEXT }, { K(KEY_BTAB), ACT_VIEW_PREV },
	{ '1', ACT_VIEW_1 }, { '2', ACT_VIEW_2 }, { '3', ACT_VIEW_3 },
	{ '4', ACT_VIEW_4 }, { '5', ACT_VIEW_5 }, { '6', ACT_VIEW_6 },
	{ '7', ACT_VIEW_7 }, { '8', ACT_VIEW_8 }, { '9', ACT_VIEW_9 },
};

#define ACTS_TICKET \
	{ 'r', ACT_REPLY }, { 'R', ACT_REPLY_EDITOR }, { 'n', ACT_NOTE }, \
	{ 'N', ACT_NOTE_EDITOR }, { 's', ACT_STATUS }, { 'p', ACT_PRIORITY }, \
	{ '+', ACT_TAGS_ADD }, { '-', ACT_TAGS_REMOVE }, { 'a', ACT_ASSIGN }, \
	{ 'A', ACT_GROUP }, { 'f', ACT_FAQ }, { 'm', ACT_MACRO }, \
	{ 't', ACT_TAG }, { ';', ACT_TAG_PREFIX }

static const struct binding def_list[] = {
	{ 'j', ACT_DOWN }, { K(KEY_DOWN), ACT_DOWN }, { 'k', ACT_UP },
	{ K(KEY_UP), ACT_UP }, { 'g', ACT_TOP }, { K(KEY_HOME), ACT_TOP },
	{ 'G', ACT_BOTTOM }, { K(KEY_END), ACT_BOTTOM },
	{ K(KEY_NPAGE), ACT_PAGE_DOWN }, { CTRL('f'), ACT_PAGE_DOWN },
	{ ' ', ACT_PAGE_DOWN }, { K(KEY_PPAGE), ACT_PAGE_UP },
	{ CTRL('b'), ACT_PAGE_UP }, { '\n', ACT_OPEN },
	{ K(KEY_RIGHT), ACT_OPEN },
	{ 'q', ACT_QUIT }, { 'T', ACT_TAG_QUERY }, { 'U', ACT_UNTAG_ALL },
	ACTS_TICKET,
};

static const struct binding def_ticket[] = {
	{ 'j', ACT_DOWN }, { K(KEY_DOWN), ACT_DOWN }, { 'k', ACT_UP },
	{ K(KEY_UP), ACT_UP }, { 'g', ACT_TOP }, { K(KEY_HOME), ACT_TOP },
	{ 'G', ACT_BOTTOM }, { K(KEY_END), ACT_BOTTOM },
	{ K(KEY_NPAGE), ACT_PAGE_DOWN }, { ' ', ACT_PAGE_DOWN },
	{ CTRL('f'), ACT_PAGE_DOWN }, { K(KEY_PPAGE), ACT_PAGE_UP },
	{ CTRL('b'), ACT_PAGE_UP }, { 'q', ACT_BACK },
	{ K(KEY_LEFT), ACT_BACK },
	{ 'J', ACT_NEXT_TICKET }, { 'K', ACT_PREV_TICKET },
	ACTS_TICKET,
};

static const struct binding def_outbox[] = {
	{ 'j', ACT_DOWN }, { K(KEY_DOWN), ACT_DOWN }, { 'k', ACT_UP },
	{ K(KEY_UP), ACT_UP }, { 'g', ACT_TOP }, { 'G', ACT_BOTTOM },
	{ 'K', ACT_KEEP }, { 'e', ACT_EDIT }, { 'd', ACT_DROP },
	{ '\n', ACT_OPEN }, { 'q', ACT_BACK }, { K(KEY_LEFT), ACT_BACK },
};

static const struct binding def_help[] = {
	{ 'j', ACT_DOWN }, { K(KEY_DOWN), ACT_DOWN }, { 'k', ACT_UP },
	{ K(KEY_UP), ACT_UP }, { ' ', ACT_PAGE_DOWN },
	{ K(KEY_NPAGE), ACT_PAGE_DOWN },
	{ K(KEY_PPAGE), ACT_PAGE_UP }, { 'g', ACT_TOP }, { 'G', ACT_BOTTOM },
	{ 'q', ACT_BACK }, { '?', ACT_BACK }, { '/', ACT_LIMIT },
};

static const struct {
	const struct binding *b;
	size_t n;
} defaults[UI_TABLE__N] = {
	{ def_global, ARRAY_LEN(def_global) },
	{ def_list, ARRAY_LEN(def_list) },
	{ def_ticket, ARRAY_LEN(def_ticket) },
	{ def_outbox, ARRAY_LEN(def_outbox) },
	{ def_help, ARRAY_LEN(def_help) },
};

struct ui_keymap {
	struct binding *b[UI_TABLE__N];
	size_t n[UI_TABLE__N];
};

static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "Enter", '\n' }, { "Tab", '\t' }, { "Esc", 27 }, { "Space", ' ' },
	{ "Backspace", K(KEY_BACKSPACE) }, { "Up", K(KEY_UP) },
	{ "Down", K(KEY_DOWN) }, { "Left", K(KEY_LEFT) },
	{ "Right", K(KEY_RIGHT) }, { "PgUp", K(KEY_PPAGE) },
	{ "PgDn", K(KEY_NPAGE) }, { "Home", K(KEY_HOME) },
	{ "End", K(KEY_END) }, { "Insert", K(KEY_IC) },
	{ "Delete", K(KEY_DC) }, { "BTab", K(KEY_BTAB) },
};

const char *
ui_action_name(enum ui_action a)
{
	return a < ACT__N ? actions[a].name : "?";
}

const char *
ui_action_help(enum ui_action a)
{
	return a < ACT__N ? actions[a].help : "?";
}

const char *
ui_table_name(enum ui_table t)
{
	return t < UI_TABLE__N ? table_names[t] : "?";
}

const char *
ui_key_name(int key, char buf[static 16])
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(named_keys); i++)
		if (named_keys[i].key == key)
			return named_keys[i].name;
	if (key >= K(KEY_F(1)) && key <= K(KEY_F(12))) {
		snprintf(buf, 16, "F%d", key - K(KEY_F(0)));
		return buf;
	}
	if (key > 0 && key < 0x20) {
		snprintf(buf, 16, "C-%c", key + 0x60);
		return buf;
	}
	if (key >= 0x20 && key < 0x110000 && key != 0x7f) {
		struct buf b = BUF_INIT;

		utf8_encode(&b, (uint32_t)key);
		snprintf(buf, 16, "%s", b.data);
		buf_free(&b);
		return buf;
	}
	snprintf(buf, 16, "<%d>", key);
	return buf;
}

int
ui_key_parse(const char *name)
{
	uint32_t cp;
	size_t i, n, len = strlen(name);
	char *end;
	long f;

	if (len == 0)
		return -1;
	for (i = 0; i < ARRAY_LEN(named_keys); i++)
		if (strcmp(named_keys[i].name, name) == 0)
			return named_keys[i].key;
	if (len == 3 && name[0] == 'C' && name[1] == '-' &&
	    name[2] >= 'a' && name[2] <= 'z')
		return CTRL(name[2]);
	if (name[0] == 'F' && len > 1) {
		f = strtol(name + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= 12)
			return K(KEY_F((int)f));
		return -1;
	}
	n = utf8_decode(name, len, &cp);
	if (n != len || cp < 0x20 || cp == 0x7f || cp == 0xfffd)
		return -1;
	return (int)cp;
}

static int
table_parse(const char *name)
{
	int t;

	for (t = 0; t < UI_TABLE__N; t++)
		if (strcmp(table_names[t], name) == 0)
			return t;
	return -1;
}

static int
action_parse(const char *name)
{
	int a;

	for (a = 0; a < ACT__N; a++)
		if (strcmp(actions[a].name, name) == 0)
			return a;
	return -1;
}

static int
keybind_check(const struct ui_keybind *kb, int *t, int *key, int *a,
    struct tdesk_err *err)
{
	const char *view = kb->view ? kb->view : "";
	const char *kname = kb->key ? kb->key : "";
	const char *aname = kb->action ? kb->action : "";

	if ((*t = table_parse(view)) < 0)
		return err_set(err, TDESK_EUSAGE, "unknown key view '%s' "
		    "(global, list, ticket, outbox, help)", view);
	if ((*key = ui_key_parse(kname)) < 0)
		return err_set(err, TDESK_EUSAGE, "unknown key name '%s' "
		    "in view '%s'", kname, view);
	if ((*a = action_parse(aname)) < 0)
		return err_set(err, TDESK_EUSAGE, "unknown action '%s' for key "
		    "'%s' in view '%s'", aname, kname, view);
	return 0;
}

int
ui_keys_check(const struct ui_keybind *keys, size_t n, struct tdesk_err *err)
{
	size_t i;
	int t, key, a;

	for (i = 0; i < n; i++)
		if (keybind_check(&keys[i], &t, &key, &a, err) < 0)
			return -1;
	return 0;
}

struct ui_keymap *
ui_keymap_new(const struct ui_keybind *keys, size_t n, struct tdesk_err *err)
{
	struct ui_keymap *km = xcalloc(1, sizeof(*km));
	size_t i, j;
	int t, key, a;

	for (t = 0; t < UI_TABLE__N; t++) {
		km->b[t] = xcalloc(defaults[t].n + n + 1,
		    sizeof(struct binding));
		memcpy(km->b[t], defaults[t].b,
		    defaults[t].n * sizeof(struct binding));
		km->n[t] = defaults[t].n;
	}
	for (i = 0; i < n; i++) {
		if (keybind_check(&keys[i], &t, &key, &a, err) < 0) {
			ui_keymap_free(km);
			return NULL;
		}
		for (j = 0; j < km->n[t]; j++)
			if (km->b[t][j].key == key)
				break;
		km->b[t][j].key = key;
		km->b[t][j].action = a;
		if (j == km->n[t])
			km->n[t]++;
	}
	return km;
}

void
ui_keymap_free(struct ui_keymap *km)
{
	int t;

	if (km == NULL)
		return;
	for (t = 0; t < UI_TABLE__N; t++)
		free(km->b[t]);
	free(km);
}

static int
table_find(const struct ui_keymap *km, enum ui_table t, int key,
    enum ui_action *a)
{
	size_t i;

	for (i = 0; i < km->n[t]; i++)
		if (km->b[t][i].key == key) {
			*a = km->b[t][i].action;
			return 1;
		}
	return 0;
}

enum ui_action
ui_keymap_lookup(const struct ui_keymap *km, enum ui_table t, int key)
{
	enum ui_action a = ACT_NONE;

	if (table_find(km, t, key, &a))
		return a;
	if (t != UI_TABLE_HELP && table_find(km, UI_TABLE_GLOBAL, key, &a))
		return a;
	return ACT_NONE;
}

void
ui_keymap_each(const struct ui_keymap *km, enum ui_table t,
    ui_binding_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < km->n[t]; i++)
		if (km->b[t][i].action != ACT_NONE)
			fn(t, km->b[t][i].key, km->b[t][i].action, arg);
}

static void
dump_one(enum ui_table t, int key, enum ui_action a, void *arg)
{
	char kb[16];

	fprintf(arg, "%s\t%s\t%s\t%s\n", ui_table_name(t),
	    ui_key_name(key, kb), ui_action_name(a), ui_action_help(a));
}

void
ui_keys_dump(FILE *f)
{
	struct ui_keymap *km = ui_keymap_new(NULL, 0, NULL);
	int t;

	for (t = 0; t < UI_TABLE__N; t++)
		ui_keymap_each(km, t, dump_one, f);
	ui_keymap_free(km);
}
