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

static void
prompt_draw(struct ui *ui, const char *label, const wchar_t *w, size_t n)
{
	char *text;
	const char *shown;
	int x, room, width;

	ui_update(ui);
	move(ui->rows - 1, 0);
	clrtoeol();
	x = ui_put(ui->rows - 1, 0, ui->cols, label, ROLE_HEADER);
	text = to_utf8(w, n);
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
	refresh();
}

static int
read_key(struct ui *ui, wint_t *ch)
{
	int r;

	for (;;) {
		r = get_wch(ch);
		if (r == ERR) {
			ui_idle(ui);
			if (ui->dirty)
				return ERR;
			continue;
		}
		if (r == KEY_CODE_YES && *ch == KEY_RESIZE) {
			ui_resize(ui);
			return ERR;
		}
		return r;
	}
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

char *
ui_prompt(struct ui *ui, const char *label, const char *init,
    ui_prompt_fn live, void *arg, int editor_ok, int *to_editor)
{
	wchar_t w[PROMPT_MAX];
	size_t n = init ? from_utf8(init, w, PROMPT_MAX) : 0;
	char *text = NULL;
	int64_t t0;
	wint_t ch;
	int r, changed;

	if (to_editor)
		*to_editor = 0;
	for (;;) {
		prompt_draw(ui, label, w, n);
		r = read_key(ui, &ch);
		if (r == ERR)
			continue;
		t0 = ui_now_us();
		changed = 0;
		if (r == KEY_CODE_YES) {
			if (ch == KEY_BACKSPACE && n > 0) {
				n--;
				changed = 1;
			} else if (ch == KEY_ENTER)
				break;
		} else if (ch == '\r' || ch == '\n') {
			break;
		} else if (ch == 27 || ch == 7) {
			curs_set(0);
			return NULL;
		} else if (ch == 127 || ch == 8) {
			if (n > 0) {
				n--;
				changed = 1;
			}
		} else if (ch == 21) {		/* C-u */
			n = 0;
			changed = 1;
		} else if (ch == 23) {		/* C-w */
			while (n > 0 && w[n - 1] == L' ')
				n--;
			while (n > 0 && w[n - 1] != L' ')
				n--;
			changed = 1;
		} else if (ch == 5 && editor_ok && to_editor) {	/* C-e */
			*to_editor = 1;
			break;
		} else if (ch >= 0x20 && wcwidth((wchar_t)ch) >= 0 &&
		    n < PROMPT_MAX) {
			w[n++] = (wchar_t)ch;
			changed = 1;
		}
		if (changed && live != NULL) {
			if (!input_pending()) {
				text = to_utf8(w, n);
				live(ui, text, arg);
				free(text);
				text = NULL;
			}
			prompt_draw(ui, label, w, n);
			ui_trace_key(ui, t0, "prompt");
		}
	}
	curs_set(0);
	move(ui->rows - 1, 0);
	clrtoeol();
	return to_utf8(w, n);
}

int
ui_choose(struct ui *ui, const char *label, const char *choices)
{
	wint_t ch;
	int r;

	for (;;) {
		prompt_draw(ui, label, L"", 0);
		r = read_key(ui, &ch);
		if (r == ERR)
			continue;
		curs_set(0);
		if (r == OK && ch < 0x80 && ch != 0 && strchr(choices, (int)ch))
			return (int)ch;
		return 0;
	}
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
	const char *tmp = getenv("TMPDIR"), *ed = getenv("VISUAL");
	struct tdesk_err err = { 0 };
	struct buf b = BUF_INIT;
	char *path, *cmd, *text;
	size_t lead;
	pid_t pid;
	int fd, st = 0;
	ssize_t w;
	size_t off = 0, len = init ? strlen(init) : 0;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	path = xasprintf("%s/tdesk-XXXXXX.txt", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemps(path, 4)) < 0) {
		ui_message(ui, 1, "cannot create a temporary file: %s",
		    strerror(errno));
		free(path);
		return NULL;
	}
	while (off < len) {
		w = write(fd, init + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fd);

	cmd = xasprintf("%s \"$1\"", ed);
	def_prog_mode();
	endwin();
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	reset_prog_mode();
	ui->dirty |= DIRTY_CLEAR | DIRTY_DRAW;
	refresh();
	free(cmd);
	if (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		ui_message(ui, 1, "the editor '%s' failed; nothing sent", ed);
		unlink(path);
		free(path);
		return NULL;
	}
	if (buf_read_file(&b, path, 1 << 20, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
		unlink(path);
		free(path);
		buf_free(&b);
		return NULL;
	}
	unlink(path);
	free(path);
	buf_adds(&b, "");
	trim(b.data);
	lead = strspn(b.data, "\r\n");
	if (b.data[lead] == '\0') {
		buf_free(&b);
		ui_message(ui, 0, "empty text: nothing sent");
		return NULL;
	}
	text = xstrdup(b.data + lead);
	buf_free(&b);
	return text;
}
