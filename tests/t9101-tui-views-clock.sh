#!/bin/bash
# SPDX-License-Identifier: MIT
# Saved views with relative times follow the clock: a ticket that ages out
# of "updated<1h" while the UI runs leaves the view's count at the next
# refresh, instead of the count keeping the cut-off of the UI's start.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
mkdir -p "$XDG_CONFIG_HOME/tdesk"
cat >"$XDG_CONFIG_HOME/tdesk/config.yaml" <<'Y'
views:
  - {name: Fresh, query: "updated<1h"}
Y
now=$(date +%s)
edge=$((now + 4))	# the last fresh ticket ages out then
sql "$db" "UPDATE tickets SET updated_at = $now - 7200;
	UPDATE tickets SET updated_at = $edge - 3600
	WHERE id = (SELECT min(id) FROM tickets)"

tui_start 100 40 demo
wait_for "one fresh ticket" '6:Fresh 1( |$)'
for i in $(seq 100); do	# bounded: until the clock passes the edge
	[ "$(date +%s)" -gt "$edge" ] && break
	sleep 0.1
done
# any change to the replica refreshes the counts
sql "$db" "UPDATE tickets SET updated_at = $now - 7201
	WHERE id = (SELECT max(id) FROM tickets)"
wait_for "the aged ticket left the view" '6:Fresh 0( |$)'
keys q
wait_for "quits" '^\[exit 0\]'
done_testing
