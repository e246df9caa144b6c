#!/bin/bash
# SPDX-License-Identifier: MIT
# The queue on the demo desk: first screen with view counts, moving,
# opening a ticket (notes marked in text), help from the key tables, quit.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
check "demo desk created" test -f "$db"
total=$(sql "$db" "SELECT count(*) FROM tickets t JOIN users u
    ON u.id = t.assignee_id WHERE t.status IN ('new','open','pending','hold')
    AND u.id = (SELECT value FROM sync_state WHERE key = 'me.id')")

tui_start 80 24 demo
wait_for "first screen shows the saved views" '1:My open.*2:Pending'
wait_for "counts arrive after the first paint" "1:My open $total "
wait_for "status line shows position and total" " 1/$total "
wait_for "column headings" '#.*SLA.*Pri.*Stat.*Subject'

keys j j j
wait_for "j moves down" " 4/$total "
keys k
wait_for "k moves up" " 3/$total "
keys G
wait_for "G goes to the last ticket" " $total/$total "
keys g
wait_for "g goes to the first" " 1/$total "
keys PageDown
wait_for "PgDn moves a page" " 2[0-9]/$total "
keys Down Up Up
wait_for "arrow keys move" " 2[0-9]/$total "
keys g

first=$(screen | sed -n 3p | awk '{print $1}')
keys Enter
wait_for "Enter opens the selected ticket" "^ #$first "
wait_for "ticket fields" 'Status: .*Priority: '
wait_for "requester line" '^Requester: '
if sql "$db" "SELECT count(*) FROM comments WHERE ticket_id = $first
    AND public = 0" | grep -qv '^0$'; then
	wait_for "internal notes carry a text marker" '\[internal note\]'
	wait_for "note lines have the | gutter" '^\| '
fi
wait_for "customer messages are marked" '\[customer\]'
keys j
keys q
wait_for "q goes back to the list" '1:My open'

keys '?'
wait_for "help lists the keys by task" '^reply'
wait_for "with what they do" ' r +public reply'
keys G
wait_for "help pages to the rest" 'page 2/2'
wait_for "the views" 'saved view 9'
keys q
wait_for "help closes" '#.*SLA.*Pri'

keys 2
wait_for "2 switches to the second view" ' 0/0 |no tickets match'
keys Tab
wait_for "Tab switches to the next view" 'Breaching'
keys 1
keys x
wait_for "an unbound key says so" "key 'x' is not bound"

keys q
wait_for "q quits with status 0" '^\[exit 0\]'
done_testing
