/* SPDX-License-Identifier: MIT */
/*
 * Agent actions from the list and the ticket view: reply, note, status,
 * priority, tags, assignee, group. They go through store_write_tickets,
 * exactly like the CLI; after ';' the action applies to every tagged
 * ticket, all or nothing, asking first above the confirm threshold.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"

size_t
ui_act_targets(struct ui *ui, int64_t **ids)
{
	int64_t id;

	*ids = NULL;
	if (ui->prefix) {
		if (ui->n_tagged == 0)
			return 0;
		*ids = xcalloc(ui->n_tagged, sizeof(int64_t));
		memcpy(*ids, ui->tagged, ui->n_tagged * sizeof(int64_t));
		return ui->n_tagged;
	}
	id = ui->screen == SCREEN_TICKET ? ui->tid : ui_list_current_id(ui);
	if (id <= 0)
		return 0;
	*ids = xcalloc(1, sizeof(int64_t));
	(*ids)[0] = id;
	return 1;
}

static const char *
target_label(struct ui *ui, char buf[static 64])
{
	int64_t id;

	if (ui->prefix)
		snprintf(buf, 64, "%zu tagged", ui->n_tagged);
	else {
		id = ui->screen == SCREEN_TICKET ? ui->tid :
		    ui_list_current_id(ui);
		snprintf(buf, 64, "#%lld", (long long)id);
	}
	return buf;
}

int
ui_act_confirm(struct ui *ui, const char *what, size_t n)
{
	int threshold = ui->opts->confirm_threshold, yes;
	char *q;

	if (n <= 1 || (int64_t)n <= (threshold > 0 ? threshold : 0))
		return 1;
	q = xasprintf("%s on %zu tickets?", what, n);
	yes = ui_confirm(ui, q);
	free(q);
	if (!yes)
		ui_message(ui, 0, "nothing done");
	return yes;
}

static void
apply(struct ui *ui, const struct store_change *ch, const char *what)
{
	struct tdesk_err err = { 0 };
	int64_t *ids;
	size_t n;

	n = ui_act_targets(ui, &ids);
	if (n == 0) {
		ui_message(ui, 1, ui->prefix ? "no tagged tickets" :
		    "no ticket selected");
		return;
	}
	if (!ui_act_confirm(ui, what, n)) {
		free(ids);
		return;
	}
	/* the one multi-ticket write: all or nothing (store_multi_run) */
	if (store_write_tickets(ui->st, ids, n, ch, NULL, NULL, &err) < 0)
		goto fail;
	if (n == 1)
		ui_message(ui, 0, "%s on #%lld: queued for sync", what,
		    (long long)ids[0]);
	else
		ui_message(ui, 0, "%s on %zu tickets: queued for sync", what,
		    n);
	free(ids);
	ui->dirty |= DIRTY_ROWS | DIRTY_COUNTS | DIRTY_TICKET | DIRTY_DRAW;
	return;
fail:
	ui_message(ui, 1, "%s: %s (nothing changed)", what, err.msg);
	free(ids);
}

void
ui_act_comment(struct ui *ui, int public, int editor, const char *init,
    const char *faq)
{
	struct store_change ch = { 0 };
	char lb[64], *label, *text = NULL, *t2;
	int to_editor = 0;

	if (!editor) {
		char k1[16], k2[16], k3[16];

		label = xasprintf("%s to %s (%s send, %s editor, %s cancel): ",
		    public ? "reply" : "note", target_label(ui, lb),
		    ui_key_for(ui, UI_TABLE_PROMPT, "accept", k1),
		    ui_key_for(ui, UI_TABLE_PROMPT, "editor", k2),
		    ui_key_for(ui, UI_TABLE_PROMPT, "cancel", k3));
		text = ui_prompt(ui, label, init ? init : "", NULL, NULL, 1,
		    &to_editor);
		free(label);
		if (text == NULL) {
			ui_message(ui, 0, "cancelled");
			return;
		}
	}
	if (editor || to_editor) {
		t2 = ui_editor(ui, text ? text : init ? init : "");
		free(text);
		if ((text = t2) == NULL)
			return;
	}
	if (text[strspn(text, " \t")] == '\0') {
		ui_message(ui, 0, "empty text: nothing sent");
		free(text);
		return;
	}
	char *override = NULL;
	if (public && ui_guard(ui, text, &override) < 0) {
		free(text);
		return;
	}
	ch.comment = text;
	ch.comment_public = public;
	ch.guard_override = override;
	ch.faq = faq;
	apply(ui, &ch, public ? "reply" : "internal note");
	free(override);
	/* show the new comment at the end of the conversation */
	if (ui->screen == SCREEN_TICKET)
		ui->scroll = INT64_MAX / 2;
	free(text);
}

static void
set_status(struct ui *ui)
{
	static const char *const names[] = { "new", "open", "pending",
	    "hold", "solved" };
	struct store_change ch = { 0 };
	char lb[64], *label, *what;
	const char *keys = "nophs";
	int c;

	label = xasprintf("status of %s: n)ew o)pen p)ending h)old "
	    "s)olved ", target_label(ui, lb));
	c = ui_choose(ui, label, keys);
	free(label);
	if (c == 0) {
		ui_message(ui, 0, "cancelled");
		return;
	}
	ch.status = names[strchr(keys, c) - keys];
	what = xasprintf("status %s", ch.status);
	apply(ui, &ch, what);
	free(what);
}

static void
set_priority(struct ui *ui)
{
	static const char *const names[] = { "low", "normal", "high",
	    "urgent" };
	struct store_change ch = { 0 };
	char lb[64], *label, *what;
	const char *keys = "lnhu";
	int c;

	label = xasprintf("priority of %s: l)ow n)ormal h)igh u)rgent ",
	    target_label(ui, lb));
	c = ui_choose(ui, label, keys);
	free(label);
	if (c == 0) {
		ui_message(ui, 0, "cancelled");
		return;
	}
	ch.priority = names[strchr(keys, c) - keys];
	what = xasprintf("priority %s", ch.priority);
	apply(ui, &ch, what);
	free(what);
}

static void
edit_tags(struct ui *ui, const char *init)
{
	struct store_change ch = { 0 };
	const char **add, **rem;
	char lb[64], *label, *text, *tok, *save = NULL;

	label = xasprintf("tags of %s (+add -remove): ", target_label(ui, lb));
	text = ui_prompt(ui, label, init, NULL, NULL, 0, NULL);
	free(label);
	if (text == NULL) {
		ui_message(ui, 0, "cancelled");
		return;
	}
	add = xcalloc(strlen(text) + 1, sizeof(char *));
	rem = xcalloc(strlen(text) + 1, sizeof(char *));
	for (tok = strtok_r(text, " ,", &save); tok != NULL;
	    tok = strtok_r(NULL, " ,", &save)) {
		if (tok[0] == '-' && tok[1] != '\0')
			rem[ch.n_remove++] = tok + 1;
		else if (tok[0] == '+' && tok[1] != '\0')
			add[ch.n_add++] = tok + 1;
		else if (tok[0] != '-' && tok[0] != '+')
			add[ch.n_add++] = tok;
	}
	ch.add_tags = add;
	ch.remove_tags = rem;
	if (ch.n_add + ch.n_remove == 0)
		ui_message(ui, 0, "no tags given: nothing done");
	else
		apply(ui, &ch, "tags");
	free(add);
	free(rem);
	free(text);
}

static void
assign(struct ui *ui, int group)
{
	struct store_change ch = { 0 };
	char lb[64], *label, *text, *what;

	label = xasprintf(group ? "group for %s (name, none): " :
	    "assign %s to (me, none, name, email): ", target_label(ui, lb));
	text = ui_prompt(ui, label, "", NULL, NULL, 0, NULL);
	free(label);
	if (text == NULL || *text == '\0') {
		ui_message(ui, 0, "cancelled");
		free(text);
		return;
	}
	if (group)
		ch.group = text;
	else
		ch.assignee = text;
	what = xasprintf("%s %s", group ? "group" : "assign to", text);
	apply(ui, &ch, what);
	free(what);
	free(text);
}

/* arg: 1 public reply, 0 internal note; + 2 straight to the editor */
int
act_comment(struct ui *ui, int arg)
{
	ui_act_comment(ui, arg & 1, (arg & 2) != 0, NULL, NULL);
	return DIRTY_DRAW;
}

int
act_status(struct ui *ui, int arg)
{
	(void)arg;
	set_status(ui);
	return DIRTY_DRAW;
}

int
act_priority(struct ui *ui, int arg)
{
	(void)arg;
	set_priority(ui);
	return DIRTY_DRAW;
}

/* arg: the sign the prompt starts with, '+' or '-' */
int
act_tags(struct ui *ui, int arg)
{
	edit_tags(ui, arg == '-' ? "-" : "+");
	return DIRTY_DRAW;
}

/* arg: 1 for the group, 0 for the assignee */
int
act_assign(struct ui *ui, int arg)
{
	assign(ui, arg);
	return DIRTY_DRAW;
}
