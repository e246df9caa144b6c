#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An incremental sync with nothing changed on the server writes nothing:
# the tickets it re-reads (the overlap before the watermark) are equal to
# the replica's and are neither rewritten nor re-derived, so its cost does
# not grow with the desk. A real change in that window still lands, and
# the per-assignee counts the sync compares with the server's (kept by
# triggers) agree with the tickets after reassignments and deletions.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 400 --seed 11
expect_code 0 "first sync" tdesk sync
expect_code 0 "second sync" tdesk sync --json
snap() { sql "$DB" "SELECT id, subject, status, tags, category, urgent,
	sla_breach_at FROM tickets ORDER BY id; SELECT count(*) FROM ticket_fts"; }
before=$(snap)
expect_code 0 "sync with nothing changed" tdesk sync --json
expect_match "nothing pulled" "$(last_out)" '"pulled":0,'
expect_eq "the replica is the same" "$before" "$(snap)"
expect_eq "nothing left to re-derive" "0 0" \
	"$(sql "$DB" "SELECT (SELECT count(*) FROM fts_dirty),
	    (SELECT count(*) FROM class_dirty)" | tr '|' ' ')"

# a change inside the overlap window is still pulled
t=$(my_open_ids 1)
zd_admin update "{\"ticket_id\":$t,\"fields\":{\"subject\":\"changed 7731\"}}" \
	>/dev/null
expect_code 0 "sync after a change" tdesk sync --json
expect_match "one ticket pulled" "$(last_out)" '"pulled":1,'
expect_eq "the change landed" "changed 7731" \
	"$(sql "$DB" "SELECT subject FROM tickets WHERE id = $t")"
expect_eq "and is searchable" "$t" \
	"$(sql "$DB" "SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH '7731'")"

# counts per assignee follow reassignments and deletions
other=$(zd_state | pj 'd["other_agent_ids"][0]')
set -- $(my_open_ids 3)
zd_admin update "{\"ticket_id\":$2,\"fields\":{\"assignee_id\":$other}}" \
	>/dev/null
zd_admin delete "{\"ticket_id\":$3}" >/dev/null
expect_code 0 "sync after reassign and delete" tdesk sync
counts() { sql "$DB" "SELECT assignee_id, count(*) FROM tickets
	GROUP BY 1 ORDER BY 1"; }
kept() { sql "$DB" "SELECT assignee_id, n FROM assignee_counts WHERE n > 0
	ORDER BY 1"; }
expect_eq "kept counts equal the tickets' counts" "$(counts)" "$(kept)"
expect_match "someone else's ticket counted" "$(kept)" "^$other\\|"
done_testing
