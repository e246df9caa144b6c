/* SPDX-License-Identifier: MIT */
/*
 * The reply guard in the UI: before a public reply is queued the agent
 * sees the verdict and its reasons; a warning asks to go on, a block
 * asks explicitly for an override and its reason (audited by the store).
 */
#include "ui/ui_int.h"
#include "store/guard.h"

#include <stdlib.h>
#include <string.h>

int
ui_guard(struct ui *ui, const char *text, char **override)
{
	struct guard_result worst = { 0 };
	struct tdesk_err err = { 0 };
	struct buf why = BUF_INIT;
	int64_t *ids;
	size_t n;
	int rc = 0;

	*override = NULL;
	n = ui_act_targets(ui, &ids);
	for (size_t i = 0; i < n; i++) {
		struct guard_result r = { 0 };
		if (store_guard_ticket(ui->st, ids[i], text, NULL, &r,
		    &err) < 0) {
			ui_message(ui, 1, "reply guard: %s", err.msg);
			free(ids);
			guard_result_free(&worst);
			return -1;
		}
		if (r.verdict > worst.verdict) {
			guard_result_free(&worst);
			worst = r;
		} else {
			guard_result_free(&r);
		}
	}
	free(ids);
	for (size_t i = 0; i < worst.n && why.len < 120; i++) {
		buf_printf(&why, "%s%s \"", i ? ", " : "", worst.r[i].rule);
		size_t a = worst.r[i].start, b = worst.r[i].end;
		if (b - a > 30)
			b = a + 30;
		while (b < strlen(text) && ((unsigned char)text[b] & 0xC0) ==
		    0x80)
			b++;
		text_sanitize(&why, text + a, b - a, 0);
		buf_addc(&why, '"');
	}
	if (worst.verdict == GUARD_BLOCK) {
		char *q = xasprintf("reply guard BLOCKS this reply: %s. "
		    "Override?", why.data);
		int yes = ui_confirm(ui, q);
		free(q);
		if (yes)
			*override = ui_prompt(ui, "override reason (audited): ",
			    "", NULL, NULL, 0, NULL);
		if (*override == NULL || (*override)[strspn(*override,
		    " \t")] == '\0') {
			free(*override);
			*override = NULL;
			ui_message(ui, 1, "blocked by the reply guard (%s): "
			    "nothing sent", why.data);
			rc = -1;
		}
	} else if (worst.verdict == GUARD_WARN) {
		char *q = xasprintf("reply guard warns: %s. Send anyway?",
		    why.data);
		if (!ui_confirm(ui, q)) {
			ui_message(ui, 0, "nothing sent");
			rc = -1;
		}
		free(q);
	}
	buf_free(&why);
	guard_result_free(&worst);
	return rc;
}
