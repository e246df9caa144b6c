#!/bin/bash
# SPDX-License-Identifier: MIT
# The UI's ';' actions go through the one multi-ticket write: when a tagged
# ticket disappears under the UI (a background sync forgot it, another
# process deleted it), the action is refused whole with a clear message,
# the UI keeps running, and the other tagged ticket is not changed.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
tui_start 80 24 demo
wait_for "first screen" '1:My open [0-9]'
a=$(screen | sed -n 3p | awk '{print $1}')
b=$(screen | sed -n 4p | awk '{print $1}')
sa=$(sql "$db" "SELECT status FROM tickets WHERE id = $a")
keys t t
wait_for "two tickets tagged" 'tagged:2'
n0=$(sql "$db" "SELECT count(*) FROM outbox")
# another process removes the second ticket
sql "$db" "DELETE FROM tickets WHERE id = $b"
keys '\;' s p
wait_for "a clear refusal" "no ticket $b.*nothing changed"
check "the UI still runs" test -z "$(screen | grep -E '^\[exit')"
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox")" "$n0"
expect_eq "the other ticket is unchanged" "$(sql "$db" "SELECT status FROM tickets WHERE id = $a")" "$sa"
expect_eq "integrity" "$(sql "$db" "PRAGMA integrity_check")" ok
# the remaining ticket can still be changed
keys U
wait_gone "untagged" 'tagged:'
keys g s p
wait_for "a single write works" "status pending on #$a: queued"
wait_sql "and lands" "$db" "SELECT status FROM tickets WHERE id = $a" pending
keys q
wait_for "quits cleanly" '^\[exit 0\]'
done_testing
