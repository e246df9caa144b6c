/* SPDX-License-Identifier: MIT */
/*
 * The ticket view's "redact-server" action: after asking, queue the
 * removal on the server of the secrets tdesk redacted from the ticket's
 * comments (store_redact_server; the next sync sends it). Never without
 * the agent's key press; refused on a helpdesk without the API (RT).
 */
#include <stdlib.h>

#include "ui/ui_int.h"

int
act_redact_server(struct ui *ui, int arg)
{
	struct tdesk_err err = { 0 };
	int64_t id = ui->screen == SCREEN_TICKET ? ui->tid :
	    ui_list_current_id(ui), *ids = NULL;
	size_t n = 0;
	char q[96];

	(void)arg;
	if (id <= 0) {
		ui_message(ui, 1, "no ticket selected");
		return DIRTY_DRAW;
	}
	if (ui->opts->no_redact_api) {
		ui_message(ui, 1, "this helpdesk has no API to redact a "
		    "comment: nothing queued");
		return DIRTY_DRAW;
	}
	snprintf(q, sizeof(q), "redact #%lld's exposed secrets on the server "
	    "too?", (long long)id);
	if (!ui_confirm(ui, q)) {
		ui_message(ui, 0, "cancelled");
		return DIRTY_DRAW;
	}
	if (store_redact_server(ui->st, id, 0, &ids, &n, &err) < 0)
		ui_message(ui, 1, "%s", err.msg);
	else if (n == 0)
		ui_message(ui, 0, "#%lld: the redaction is already queued",
		    (long long)id);
	else
		ui_message(ui, 0, "#%lld: %zu comment%s to redact on the "
		    "server, sent by the next sync", (long long)id, n,
		    n == 1 ? "" : "s");
	free(ids);
	return DIRTY_ROWS | DIRTY_TICKET | DIRTY_DRAW;
}
