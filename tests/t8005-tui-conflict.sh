#!/bin/bash
# SPDX-License-Identifier: MIT
# The outbox view: conflicting actions with the customer messages that
# arrived since, resolved with keep / edit / drop; the view follows
# changes other processes make to the replica.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
set -- $(sql "$db" "SELECT id FROM tickets WHERE status = 'open'
    ORDER BY id LIMIT 3")
a=$1 b=$2 c=$3
for t in $a $b $c; do
	expect_code 0 "reply to #$t from the CLI" \
	    tdesk reply -m "Original reply to $t" --yes "$t"
done
sql "$db" "UPDATE outbox SET state = 'conflict',
    error = 'ticket changed on the helpdesk: a new customer message'
    WHERE ticket_id IN ($a, $b)"
sql "$db" "INSERT INTO comments(id, ticket_id, author_id, body, public,
    created_at) SELECT 990001, id, requester_id, 'Never mind, found it',
    1, strftime('%s', 'now') + 60 FROM tickets WHERE id = $a"
oa=$(sql "$db" "SELECT id FROM outbox WHERE ticket_id = $a")
ob=$(sql "$db" "SELECT id FROM outbox WHERE ticket_id = $b")
oc=$(sql "$db" "SELECT id FROM outbox WHERE ticket_id = $c")

cat >"$WORK/ed.sh" <<'ED'
#!/bin/sh
sed 's/Original/Edited/' "$1" >"$1.new" && mv "$1.new" "$1"
ED
chmod +x "$WORK/ed.sh"
export EDITOR="$WORK/ed.sh"

tui_start 100 30 demo
wait_for "first screen" '1:My open [0-9]'
wait_for "the status line counts conflicts" 'conflicts:2'
keys '$'
wait_for "the outbox view" 'outbox: 3 action'
wait_for "conflicting rows" "#$a +reply +conflict"
wait_for "the error of the selected row" 'ticket changed on the helpdesk'
wait_for "the agent's text" 'Original reply to'
wait_for "the customer message that arrived since" 'Never mind, found it'
wait_for "the keys to resolve" 'K keep.*e edit.*d drop'

keys K
wait_for "keep asks first, as drop does" 'send it again.*\[y/N\]'
keys y
wait_for "keep re-queues it" "action $oa will be sent as it is"
wait_sql "kept: pending again" "$db" \
    "SELECT state || '|' || error FROM outbox WHERE id = $oa" "pending|"

keys j
wait_for "second row selected" "action $ob on #$b"
keys e
wait_for "edit re-queues it" "action $ob edited"
wait_sql "edited text in the outbox" "$db" \
    "SELECT state || '|' || comment
     FROM outbox WHERE id = $ob" "pending|Edited reply to $b"

keys j
wait_for "third row selected" "action $oc on #$c"
keys d
wait_for "drop asks first" 'drop this action.*\[y/N\]'
keys y
wait_for "dropped" "action $oc dropped"
wait_sql "the dropped action is gone from the queue" "$db" \
    "SELECT count(*) FROM outbox WHERE id = $oc
     AND state IN ('pending', 'conflict', 'failed')" "0"
wait_sql "and undone in the replica" "$db" \
    "SELECT count(*) FROM comments WHERE ticket_id = $c
     AND body = 'Original reply to $c'" "0"

# another process marks a row failed: the view follows data_version
sql "$db" "UPDATE outbox SET state = 'failed',
    error = 'HTTP 422: comment body too long' WHERE id = $oa"
wait_for "the view redraws on outside changes" "#$a +reply +failed"

keys q
wait_for "back to the list" '1:My open'
keys q
wait_for "quits" '^\[exit 0\]'
done_testing
