/* SPDX-License-Identifier: MIT */
/*
 * Questions on the bottom line: a one-line editor (with live results for
 * the limit prompt), single-key choices, y/N confirmations, and the hand-off
 * to $VISUAL / $EDITOR for long text.
 */
#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "ui/ui_int.h"

#define PROMPT_MAX	4000

static char *
to_utf8(const wchar_t *w, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, "");
	for (i = 0; i < n; i++)
		utf8_encode(&b, (uint32_t)w[i]);
	return buf_detach(&b);
}

static size_t
from_utf8(const char *s, wchar_t *w, size_t max)
{
	size_t len = strlen(s), i = 0, n = 0;
	uint32_t cp;

	while (i < len && n < max) {
		i += utf8_decode(s + i, len - i, &cp);
		w[n++] = (wchar_t)cp;
	}
	return n;
}

struct ui_prompt {
	const char *label;
	wchar_t w[PROMPT_MAX];
	size_t n;
	ui_prompt_fn live;
	void *arg;
	int editor_ok, to_editor;
	const char *choices;	/* a single-key question: the keys */
	int chosen;
};

void
ui_prompt_draw(struct ui *ui)
{
	struct ui_prompt *p = ui->prompt;
	char *text;
	const char *shown;
	int x, room, width;

	move(ui->rows - 1, 0);
	clrtoeol();
	x = ui_put(ui->rows - 1, 0, ui->cols, p->label, ROLE_HEADER);
	text = to_utf8(p->w, p->n);
	room = ui->cols - x - 1;
	shown = text;
	/* show the end of a long line */
	width = ui_text_width(shown);
	while (*shown && width > room) {
		uint32_t cp;

		shown += utf8_decode(shown, strlen(shown), &cp);
		width = ui_text_width(shown);
	}
	x += ui_put(ui->rows - 1, x, room, shown, ROLE_NORMAL);
	free(text);
	move(ui->rows - 1, x);
	curs_set(1);
}

int
ui_prompt_choosing(const struct ui *ui)
{
	return ui->prompt != NULL && ui->prompt->choices != NULL;
}

int
ui_prompt_is_live(const struct ui *ui)
{
	return ui->prompt != NULL && ui->prompt->live != NULL;
}

/*
 * Whether a key is already waiting (typeahead): then the live preview of
 * this keystroke is skipped, as the next one replaces it. The key is put
 * back; the wait for keys is restored to the usual tick.
 */
static int
input_pending(void)
{
	wint_t c;
	int r;

	timeout(0);
	r = get_wch(&c);
	timeout(UI_TICK_MS);
	if (r == ERR)
		return 0;
	if (r == KEY_CODE_YES)
		ungetch((int)c);
	else
		unget_wch((wchar_t)c);
	return 1;
}

void
ui_prompt_live(struct ui *ui)
{
	struct ui_prompt *p = ui->prompt;
	char *text;

	if (p->live == NULL || input_pending())
		return;
	text = to_utf8(p->w, p->n);
	p->live(ui, text, p->arg);
	free(text);
}

/* What an edit returns: the prompt line again, live results. */
#define EDITED	(DIRTY_PROMPT | DIRTY_INPUT)

int
act_prompt_accept(struct ui *ui, int arg)
{
	(void)ui;
	(void)arg;
	return R_DONE;
}

/* arg: ERASE_CHAR, ERASE_WORD (and the blanks before it) or ERASE_LINE */
int
act_prompt_erase(struct ui *ui, int arg)
{
	struct ui_prompt *p = ui->prompt;

	if (arg == ERASE_LINE)
		p->n = 0;
	else if (arg == ERASE_CHAR && p->n > 0)
		p->n--;
	else if (arg == ERASE_WORD) {
		while (p->n > 0 && p->w[p->n - 1] == L' ')
			p->n--;
		while (p->n > 0 && p->w[p->n - 1] != L' ')
			p->n--;
	}
	return EDITED;
}

int
act_prompt_editor(struct ui *ui, int arg)
{
	(void)arg;
	if (!ui->prompt->editor_ok)
		return 0;
	ui->prompt->to_editor = 1;
	return R_DONE;
}

int
act_prompt_insert(struct ui *ui, int arg)
{
	struct ui_prompt *p = ui->prompt;
	int k = ui->key;

	(void)arg;
	if (k < 0x20 || k >= UI_KEYCODE(0) || wcwidth((wchar_t)k) < 0 ||
	    p->n >= PROMPT_MAX)
		return 0;
	p->w[p->n++] = (wchar_t)k;
	return EDITED;
}

int
act_choose_key(struct ui *ui, int arg)
{
	int k = ui->key;

	(void)arg;
	if (k > 0 && k < 0x80 && strchr(ui->prompt->choices, k) != NULL)
		ui->prompt->chosen = k;
	return R_DONE;
}

/* Run the loop with p on the bottom line; R_DONE or R_CANCEL. */
static int
prompt_run(struct ui *ui, struct ui_prompt *p)
{
	struct ui_prompt *outer = ui->prompt;
	int r;

	ui->prompt = p;
	ui->dirty |= DIRTY_PROMPT;
	r = ui_loop(ui);
	ui->prompt = outer;
	curs_set(0);
	move(ui->rows - 1, 0);
	clrtoeol();
	return r;
}

char *
ui_prompt(struct ui *ui, const char *label, const char *init,
    ui_prompt_fn live, void *arg, int editor_ok, int *to_editor)
{
	struct ui_prompt *p = xcalloc(1, sizeof(*p));
	char *text = NULL;

	p->label = label;
	p->n = init ? from_utf8(init, p->w, PROMPT_MAX) : 0;
	p->live = live;
	p->arg = arg;
	p->editor_ok = editor_ok && to_editor != NULL;
	if (prompt_run(ui, p) == R_DONE) {
		text = to_utf8(p->w, p->n);
		if (to_editor)
			*to_editor = p->to_editor;
	} else if (to_editor)
		*to_editor = 0;
	free(p);
	return text;
}

int
ui_choose(struct ui *ui, const char *label, const char *choices)
{
	struct ui_prompt *p = xcalloc(1, sizeof(*p));
	int c;

	p->label = label;
	p->choices = choices;
	prompt_run(ui, p);
	c = p->chosen;
	free(p);
	return c;
}

int
ui_confirm(struct ui *ui, const char *question)
{
	char *label = xasprintf("%s [y/N] ", question);
	int c = ui_choose(ui, label, "yYnN");

	free(label);
	return c == 'y' || c == 'Y';
}

static void
trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

char *
ui_editor(struct ui *ui, const char *init)
{
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT;
	char *text, *out;
	size_t lead;
	int r;

	def_prog_mode();
	endwin();
	r = editor_run(ui->opts->editor, ui->opts->tmpdir, init, &b, &err);
	reset_prog_mode();
	ui->dirty |= DIRTY_CLEAR | DIRTY_DRAW;
	refresh();
	if (r < 0) {
		ui_message(ui, 1, "%s; nothing sent", err.msg);
		buf_free(&b);
		return NULL;
	}
	buf_adds(&b, "");
	text = buf_detach(&b);
	trim(text);
	lead = strspn(text, "\r\n");
	if (text[lead] == '\0') {
		free(text);
		ui_message(ui, 0, "empty text: nothing sent");
		return NULL;
	}
	out = xstrdup(text + lead);
	free(text);
	return out;
}
