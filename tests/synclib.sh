# SPDX-License-Identifier: MIT
# Helpers for the sync tests (t2[1-9]xx pull, t3xxx push): a loopback
# Zendesk server and a desk configured against it. Source after lib.sh.
. "$TESTS_DIR/zdserver/lib.sh"

# pj EXPR: evaluate a Python expression over the JSON on stdin (as d)

# sync_setup [SERVER ARGS...]: start the server and `tdesk init` a desk
# "work" against it with the token in $ZT. Sets DB.
sync_setup() {
	zd_start "$@" || { fail "the loopback server did not start"; done_testing; }
	export ZT=$ZD_TOKEN
	tdesk init --desk work --url "$ZD_URL" --email "$ZD_EMAIL" \
	    --token-env ZT >/dev/null || { fail "tdesk init"; done_testing; }
	DB=$XDG_DATA_HOME/tdesk/work.db
	# keep transfer timeouts short so fault tests stay quick
	export TDESK_SYNC_LOW_SPEED_TIME=2 TDESK_SYNC_MAX_WAIT=3
}

# server_msg_ids: every client_msg_id the server holds in an audit, one a
# line (a duplicate shows up twice)
server_msg_ids() {
	zd_state "tickets=changed" | pj '"\n".join(a["custom"]["client_msg_id"]
	    for t in d["tickets"] for a in t["audits"]
	    if a["custom"].get("client_msg_id"))'
}

# local_msg_ids: the client ids of every queued action, one a line
local_msg_ids() { sql "$DB" "SELECT client_id FROM outbox ORDER BY 1"; }

# my_open_ids N: the ids of N of my open tickets on the server
my_open_ids() {
	zd_state tickets=all | pj '" ".join(str(t["id"]) for t in sorted(
	    d["tickets"], key=lambda t: t["id"]) if t["assignee_id"] ==
	    d["agent_id"] and t["status"] in ("open", "new"))' |
	    tr ' ' '\n' | head -n "$1" | paste -sd' '
}

# derived_rows DB: what a sync derives from the tickets and comments
# (classes, tags, SLA rows, the full text), in a stable order
derived_rows() {
	sql "$1" "SELECT t.id, t.category, t.incident, t.urgent,
	    c.category, c.override, c.incident, c.urgent, c.priority, c.grp,
	    c.rules, c.waiting_since, c.first_reply_at, c.last_customer_at,
	    c.last_customer_cid FROM tickets t LEFT JOIN ticket_class c
	    ON c.ticket_id = t.id ORDER BY t.id"
	sql "$1" "SELECT tag, ticket_id FROM ticket_tags ORDER BY 2, 1"
	sql "$1" "SELECT * FROM slas ORDER BY 1, 2"
	sql "$1" "SELECT rowid, subject, body FROM ticket_fts ORDER BY rowid"
	for w in refund withdrawal kyc password 2fa deposit; do
		sql "$1" "SELECT 'match:$w', count(*) FROM ticket_fts
		    WHERE ticket_fts MATCH '$w'"
	done
	sql "$1" "SELECT 'marks:', (SELECT count(*) FROM fts_dirty),
	    (SELECT count(*) FROM class_dirty)"
}
