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

#define SCREENS		UI_IN_SCREENS
#define MOVING		UI_IN_MOVING
#define LIST		UI_IN(UI_TABLE_LIST)
#define TICKET		UI_IN(UI_TABLE_TICKET)
#define OUTBOX		UI_IN(UI_TABLE_OUTBOX)
#define HELP		UI_IN(UI_TABLE_HELP)
#define PICKER		(UI_IN(UI_TABLE_PICKER) | UI_IN(UI_TABLE_BROWSE))
#define PROMPT		UI_IN(UI_TABLE_PROMPT)
#define AGENT		(LIST | TICKET)

/* The saved view N (1 to 9), by act_view's index from 0. */
#define VIEW(n) { "view-" #n, act_view, (n) - 1, SCREENS, "saved view " #n }

/*
 * Every action, once: name, function and argument, the tables it applies
 * to, help text. A name may appear again for other tables with its own
 * function (open a row in the list, open an action's ticket in the outbox).
 */
static const struct ui_action actions[] = {
	{ "none", act_unbound, 0, ~0u, "unbound" },
	{ "quit", act_quit, 0, SCREENS, "leave tdesk" },
	{ "help", act_help, 0, SCREENS, "show the key bindings" },
	{ "sync", act_sync, 0, SCREENS, "sync with the helpdesk now" },
	{ "outbox", act_outbox, 0, AGENT, "show the outbox and conflicts" },
	{ "limit", act_limit, 0, SCREENS, "limit the list to a query" },
	{ "redraw", act_redraw, 0, SCREENS, "redraw the screen" },
	{ "view-next", act_view_step, 1, SCREENS, "next saved view" },
	{ "view-prev", act_view_step, -1, SCREENS, "previous saved view" },
	VIEW(1), VIEW(2), VIEW(3), VIEW(4), VIEW(5), VIEW(6), VIEW(7),
	VIEW(8), VIEW(9),
	{ "down", act_move, MOVE_DOWN, MOVING, "move down" },
	{ "up", act_move, MOVE_UP, MOVING, "move up" },
	{ "top", act_move, MOVE_TOP, MOVING, "go to the first line" },
	{ "bottom", act_move, MOVE_BOTTOM, MOVING, "go to the last line" },
	{ "page-down", act_move, MOVE_PAGE_DOWN, MOVING, "one page down" },
	{ "page-up", act_move, MOVE_PAGE_UP, MOVING, "one page up" },
	{ "open", act_list_open, 0, LIST, "open the selected ticket" },
	{ "open", act_ob_open, 0, OUTBOX, "open the selected ticket" },
	{ "back", act_back, 0, TICKET | OUTBOX,
	    "back to the previous screen" },
	{ "back", act_help_back, 0, HELP, "back to the previous screen" },
	{ "search", act_help_search, 0, HELP, "keep the keys matching a word" },
	{ "tag", act_list_tag, 0, LIST, "tag or untag the ticket" },
	{ "tag", act_ticket_tag, 0, TICKET, "tag or untag the ticket" },
	{ "tag-query", act_tag_query, 0, LIST,
	    "tag the tickets matching a query" },
	{ "untag-all", act_untag_all, 0, LIST, "untag every ticket" },
	{ "tag-prefix", act_tag_prefix, 0, AGENT,
	    "apply the next action to tagged" },
	{ "reply", act_comment, 1, AGENT,
	    "public reply (inline; C-e: editor)" },
	{ "reply-editor", act_comment, 3, AGENT, "public reply in $EDITOR" },
	{ "note", act_comment, 0, AGENT,
	    "internal note (inline; C-e: editor)" },
	{ "note-editor", act_comment, 2, AGENT, "internal note in $EDITOR" },
	{ "status", act_status, 0, AGENT, "set the status" },
	{ "priority", act_priority, 0, AGENT, "set the priority" },
	{ "tags-add", act_tags, '+', AGENT, "edit tags (+tag -tag)" },
	{ "tags-remove", act_tags, '-', AGENT, "remove tags (-tag)" },
	{ "assign", act_assign, 0, AGENT, "assign to an agent" },
	{ "group", act_assign, 1, AGENT, "assign to a group" },
	{ "faq", act_faq, 0, AGENT, "reply with a FAQ answer (search)" },
	{ "macro", act_macro, 0, AGENT, "preview and apply a macro" },
	{ "next-ticket", act_next_ticket, 1, TICKET, "open the next ticket" },
	{ "prev-ticket", act_next_ticket, -1, TICKET,
	    "open the previous ticket" },
	{ "keep", act_ob_keep, 0, OUTBOX, "resend the action as it is" },
	{ "edit", act_ob_edit, 0, OUTBOX, "edit the reply in $EDITOR, resend" },
	{ "drop", act_ob_drop, 0, OUTBOX, "drop the action, undo it locally" },
	{ "stats", act_stats, 0, SCREENS,
	    "the desk's numbers and mine (7 days)" },
	{ "category", act_category, 0, AGENT,
	    "set the category (over the rules)" },
	{ "redact-server", act_redact_server, 0, TICKET,
	    "redact the exposed secrets on the server too" },
	{ "attachment", act_attachment, 0, TICKET,
	    "download and open an attachment" },
	/* pickers */
	{ "accept", act_pick_accept, 0, PICKER, "choose the selected entry" },
	{ "cancel", act_cancel, 0, PICKER | PROMPT, "cancel" },
	{ "browse", act_pick_browse, 0, PICKER,
	    "switch between typing and moving with j/k" },
	{ "type", act_pick_type, 0, PICKER, "back to typing the filter" },
	{ "backspace", act_pick_erase, 0, PICKER, "delete the last character" },
	{ "kill-line", act_pick_erase, 1, PICKER, "clear the filter" },
	/* the prompt */
	{ "accept", act_prompt_accept, 0, PROMPT, "accept the text" },
	{ "backspace", act_prompt_erase, ERASE_CHAR, PROMPT,
	    "delete the last character" },
	{ "kill-line", act_prompt_erase, ERASE_LINE, PROMPT, "clear the line" },
	{ "kill-word", act_prompt_erase, ERASE_WORD, PROMPT,
	    "delete the last word" },
	{ "editor", act_prompt_editor, 0, PROMPT,
	    "continue a reply or note in $EDITOR" },
};

#define K(k) UI_KEYCODE(k)
#define CTRL(c) ((c) & 0x1f)

struct binding {
	int key;
	const char *action;
};

/* The digit N opens the saved view N. */
#define VIEW_KEY(n) { '0' + (n), "view-" #n }

static const struct binding def_global[] = {
	{ '?', "help" }, { 'S', "sync" }, { '$', "outbox" }, { 'o', "outbox" },
	{ '/', "limit" }, { 'l', "limit" }, { CTRL('l'), "redraw" },
	{ '\t', "view-next" }, { K(KEY_BTAB), "view-prev" },
	VIEW_KEY(1), VIEW_KEY(2), VIEW_KEY(3), VIEW_KEY(4), VIEW_KEY(5),
	VIEW_KEY(6), VIEW_KEY(7), VIEW_KEY(8), VIEW_KEY(9),
	{ '%', "stats" },
};

#define ACTS_TICKET \
	{ 'r', "reply" }, { 'R', "reply-editor" }, { 'n', "note" }, \
	{ 'N', "note-editor" }, { 's', "status" }, { 'p', "priority" }, \
	{ '+', "tags-add" }, { '-', "tags-remove" }, { 'a', "assign" }, \
	{ 'A', "group" }, { 'f', "faq" }, { 'm', "macro" }, \
	{ 't', "tag" }, { ';', "tag-prefix" }, { 'c', "category" }

static const struct binding def_list[] = {
	{ 'j', "down" }, { K(KEY_DOWN), "down" }, { 'k', "up" },
	{ K(KEY_UP), "up" }, { 'g', "top" }, { K(KEY_HOME), "top" },
	{ 'G', "bottom" }, { K(KEY_END), "bottom" },
	{ K(KEY_NPAGE), "page-down" }, { CTRL('f'), "page-down" },
	{ ' ', "page-down" }, { K(KEY_PPAGE), "page-up" },
	{ CTRL('b'), "page-up" }, { '\n', "open" }, { K(KEY_RIGHT), "open" },
	{ 'q', "quit" }, { 'T', "tag-query" }, { 'U', "untag-all" },
	ACTS_TICKET,
};

static const struct binding def_ticket[] = {
	{ 'j', "down" }, { K(KEY_DOWN), "down" }, { 'k', "up" },
	{ K(KEY_UP), "up" }, { 'g', "top" }, { K(KEY_HOME), "top" },
	{ 'G', "bottom" }, { K(KEY_END), "bottom" },
	{ K(KEY_NPAGE), "page-down" }, { ' ', "page-down" },
	{ CTRL('f'), "page-down" }, { K(KEY_PPAGE), "page-up" },
	{ CTRL('b'), "page-up" }, { 'q', "back" }, { K(KEY_LEFT), "back" },
	{ 'J', "next-ticket" }, { 'K', "prev-ticket" }, { 'v', "attachment" },
	{ 'X', "redact-server" },
	ACTS_TICKET,
};

static const struct binding def_outbox[] = {
	{ 'j', "down" }, { K(KEY_DOWN), "down" }, { 'k', "up" },
	{ K(KEY_UP), "up" }, { 'g', "top" }, { 'G', "bottom" },
	{ 'K', "keep" }, { 'e', "edit" }, { 'd', "drop" },
	{ '\n', "open" }, { 'q', "back" }, { K(KEY_LEFT), "back" },
};

static const struct binding def_help[] = {
	{ 'j', "down" }, { K(KEY_DOWN), "down" }, { 'k', "up" },
	{ K(KEY_UP), "up" }, { ' ', "page-down" }, { K(KEY_NPAGE), "page-down" },
	{ K(KEY_PPAGE), "page-up" }, { 'g', "top" }, { 'G', "bottom" },
	{ 'q', "back" }, { '?', "back" }, { '/', "search" },
};

static const struct binding def_picker[] = {
	{ '\n', "accept" }, { 27, "cancel" }, { CTRL('g'), "cancel" },
	{ '\t', "browse" }, { K(KEY_DOWN), "down" }, { CTRL('n'), "down" },
	{ K(KEY_UP), "up" }, { CTRL('p'), "up" }, { K(KEY_NPAGE), "page-down" },
	{ K(KEY_PPAGE), "page-up" }, { K(KEY_HOME), "top" },
	{ K(KEY_END), "bottom" }, { K(KEY_BACKSPACE), "backspace" },
	{ CTRL('u'), "kill-line" },
};

static const struct binding def_browse[] = {
	{ 'j', "down" }, { 'k', "up" }, { '/', "type" },
};

static const struct binding def_prompt[] = {
	{ '\n', "accept" }, { 27, "cancel" }, { CTRL('g'), "cancel" },
	{ K(KEY_BACKSPACE), "backspace" }, { CTRL('u'), "kill-line" },
	{ CTRL('w'), "kill-word" }, { CTRL('e'), "editor" },
};

/* The tables: name, where a key not found goes next, what a key bound
 * nowhere does, how act_move moves, the defaults. */
static const struct {
	const char *name;
	int next;
	ui_act_fn *other;
	int (*mover)(struct ui *, enum ui_move);
	const struct binding *b;
	size_t n;
} tables[UI_TABLE__N] = {
	[UI_TABLE_GLOBAL] = { "global", -1, act_unbound, NULL,
	    def_global, ARRAY_LEN(def_global) },
	[UI_TABLE_LIST] = { "list", UI_TABLE_GLOBAL, act_unbound,
	    ui_list_mover, def_list, ARRAY_LEN(def_list) },
	[UI_TABLE_TICKET] = { "ticket", UI_TABLE_GLOBAL, act_unbound,
	    ui_ticket_mover, def_ticket, ARRAY_LEN(def_ticket) },
	[UI_TABLE_OUTBOX] = { "outbox", UI_TABLE_GLOBAL, act_unbound,
	    ui_outbox_mover, def_outbox, ARRAY_LEN(def_outbox) },
	[UI_TABLE_HELP] = { "help", -1, act_unbound, ui_help_mover,
	    def_help, ARRAY_LEN(def_help) },
	[UI_TABLE_PICKER] = { "picker", -1, act_pick_insert, ui_picker_mover,
	    def_picker, ARRAY_LEN(def_picker) },
	[UI_TABLE_BROWSE] = { "browse", UI_TABLE_PICKER, act_pick_insert,
	    ui_picker_mover, def_browse, ARRAY_LEN(def_browse) },
	[UI_TABLE_PROMPT] = { "prompt", -1, act_prompt_insert, NULL,
	    def_prompt, ARRAY_LEN(def_prompt) },
	[UI_TABLE_CHOOSE] = { "choose", -1, act_choose_key, NULL, NULL, 0 },
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
ui_table_name(enum ui_table t)
{
	return t < UI_TABLE__N ? tables[t].name : "?";
}

const struct ui_action *
ui_action_for(const char *name, enum ui_table t)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(actions); i++)
		if ((actions[i].views & UI_IN(t)) &&
		    strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
}

/* The first action called name, for any table; NULL when none is. */
static const struct ui_action *
action_named(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(actions); i++)
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
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
		if (strcmp(tables[t].name, name) == 0)
			return t;
	return -1;
}

static int
keybind_check(const struct ui_keybind *kb, int *t, int *key,
    const char **action, struct tdesk_err *err)
{
	const char *view = kb->view ? kb->view : "";
	const char *kname = kb->key ? kb->key : "";
	const char *aname = kb->action ? kb->action : "";
	const struct ui_action *a;
	struct buf names = BUF_INIT;
	int i;

	if ((*t = table_parse(view)) < 0) {
		for (i = 0; i < UI_TABLE__N; i++)
			buf_printf(&names, "%s%s", i ? ", " : "",
			    tables[i].name);
		err_set(err, TDESK_EUSAGE, "unknown key view '%s' (%s)", view,
		    names.data);
		buf_free(&names);
		return -1;
	}
	if ((*key = ui_key_parse(kname)) < 0)
		return err_set(err, TDESK_EUSAGE, "unknown key name '%s' "
		    "in view '%s'", kname, view);
	if ((a = action_named(aname)) == NULL)
		return err_set(err, TDESK_EUSAGE, "unknown action '%s' for key "
		    "'%s' in view '%s'", aname, kname, view);
	*action = a->name;
	return 0;
}

int
ui_keys_check(const struct ui_keybind *keys, size_t n, struct tdesk_err *err)
{
	const char *a;
	size_t i;
	int t, key;

	for (i = 0; i < n; i++)
		if (keybind_check(&keys[i], &t, &key, &a, err) < 0)
			return -1;
	return 0;
}

struct ui_keymap *
ui_keymap_new(const struct ui_keybind *keys, size_t n, struct tdesk_err *err)
{
	struct ui_keymap *km = xcalloc(1, sizeof(*km));
	const char *a;
	size_t i, j;
	int t, key;

	for (t = 0; t < UI_TABLE__N; t++) {
		km->b[t] = xcalloc(tables[t].n + n + 1,
		    sizeof(struct binding));
		if (tables[t].n)
			memcpy(km->b[t], tables[t].b,
			    tables[t].n * sizeof(struct binding));
		km->n[t] = tables[t].n;
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

const char *
ui_keymap_lookup(const struct ui_keymap *km, enum ui_table t, int key)
{
	size_t i;

	for (i = 0; i < km->n[t]; i++)
		if (km->b[t][i].key == key)
			return km->b[t][i].action;
	return NULL;
}

const char *
ui_key_for(const struct ui *ui, enum ui_table t, const char *action,
    char buf[static 16])
{
	const struct ui_keymap *km = ui->km;
	int in;

	for (in = (int)t; in >= 0; in = tables[in].next)
		for (size_t i = 0; i < km->n[in]; i++)
			if (strcmp(km->b[in][i].action, action) == 0 &&
			    ui_keymap_lookup(km, t, km->b[in][i].key) ==
			    (in == (int)t ? km->b[in][i].action : NULL))
				return ui_key_name(km->b[in][i].key, buf);
	return "unbound";
}

int
ui_table_dispatch(struct ui *ui, enum ui_table t, int key)
{
	const struct ui_action *a;
	const char *name = NULL;
	int in = (int)t;

	while (in >= 0 && (name = ui_keymap_lookup(ui->km, in, key)) == NULL)
		in = tables[in].next;
	if (name == NULL)
		return tables[t].other(ui, 0);
	if ((a = ui_action_for(name, t)) == NULL) {
		if (t == UI_TABLE_LIST || t == UI_TABLE_TICKET ||
		    t == UI_TABLE_OUTBOX)
			ui_message(ui, 1, "'%s' does nothing %s", name,
			    t == UI_TABLE_LIST ? "in the list" :
			    t == UI_TABLE_OUTBOX ? "in the outbox" : "here");
		return DIRTY_DRAW;
	}
	return a->fn(ui, a->arg);
}

enum ui_table
ui_table_of_screen(enum ui_screen s)
{
	static const enum ui_table of_screen[] = {
		[SCREEN_LIST] = UI_TABLE_LIST,
		[SCREEN_TICKET] = UI_TABLE_TICKET,
		[SCREEN_OUTBOX] = UI_TABLE_OUTBOX,
		[SCREEN_HELP] = UI_TABLE_HELP,
		[SCREEN_STATS] = UI_TABLE_HELP,
	};

	return of_screen[s];
}

int
act_move(struct ui *ui, int how)
{
	enum ui_table t = ui->pick != NULL ? UI_TABLE_PICKER :
	    ui_table_of_screen(ui->screen);

	return tables[t].mover(ui, (enum ui_move)how);
}

void
ui_keymap_each(const struct ui_keymap *km, enum ui_table t,
    ui_binding_fn fn, void *arg)
{
	const struct ui_action *a;
	size_t i;

	for (i = 0; i < km->n[t]; i++) {
		if (strcmp(km->b[t][i].action, "none") == 0)
			continue;
		a = ui_action_for(km->b[t][i].action, t);
		if (a == NULL)
			a = action_named(km->b[t][i].action);
		fn(t, km->b[t][i].key, a, arg);
	}
}

static void
dump_one(enum ui_table t, int key, const struct ui_action *a, void *arg)
{
	char kb[16];

	fprintf(arg, "%s\t%s\t%s\t%s\n", ui_table_name(t),
	    ui_key_name(key, kb), a->name, a->help);
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
