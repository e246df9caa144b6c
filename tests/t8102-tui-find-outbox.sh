#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The UI as a newcomer finds it: / opens an empty prompt, so a pasted tx
# hash (whole, without 0x, or a prefix) finds its ticket; in the outbox K
# asks before re-sending a conflicting reply as d does; q from a ticket
# opened in the outbox returns there; leaving with unsent actions reminds.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
read -r tid hash <<<"$(sql "$db" "SELECT ticket_id, substr(body, instr(body, '0x'), 66) FROM comments WHERE body GLOB '*0x[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*' ORDER BY id LIMIT 1" | tr '|' ' ')"
check "the demo has a tx hash ($hash on #$tid)" test -n "$hash"
# the CLI finds it by the hash, without 0x, and by a prefix
for q in "$hash" "${hash#0x}" "${hash:0:12}" "${hash:2:10}"; do
	expect_code 0 "list $q" tdesk list "$q"
	expect_match "finds #$tid by '$q'" "$(last_out)" "^$tid "
done

other=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' AND id != $tid ORDER BY id LIMIT 1")
tdesk reply -m "an answer" "$other" 2>/dev/null || fail "queue a reply"
sql "$db" "UPDATE outbox SET state = 'conflict', error = 'ticket changed on the helpdesk'"

tui_start 100 30 demo
wait_for "first screen" '1:My open'
keys /
wait_for "the prompt is empty" '^limit: *$'
typ "${hash:2:16}"
keys Enter
wait_for "a pasted hash prefix finds the ticket" "^ *$tid "
wait_for "one ticket" ' 1/1 '

# the outbox: K asks first
keys '$'
wait_for "the outbox" "#$other +reply +conflict"
keys K
wait_for "K asks before re-sending a conflict" 'send it again.*\[y/N\]'
keys n
wait_for "n keeps it" 'not sent'
wait_sql "still a conflict" "$db" "SELECT state FROM outbox" conflict
# a ticket opened from the outbox: q comes back to the outbox
keys Enter
wait_for "the ticket opens" "^ #$other "
keys q
wait_for "q returns to the outbox" "#$other +reply +conflict"
keys q
wait_for "then to the list" '1:My open'
keys q
wait_for "quits" '\[exit 0\]'
wait_for "and reminds of the unsent action" 'action waiting to sync'
done_testing
