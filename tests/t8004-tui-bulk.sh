#!/bin/bash
# SPDX-License-Identifier: MIT
# mutt-style tagging: t tags, T tags by query, ';' applies the next action
# to every tagged ticket; above the confirm threshold it asks y/N.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
tui_start 80 24 demo
wait_for "first screen" '1:My open [0-9]'
a=$(screen | sed -n 3p | awk '{print $1}')
b=$(screen | sed -n 5p | awk '{print $1}')
keys t j t
wait_for "two tickets tagged" 'tagged:2'
wait_for "tag marks on the rows" "^\* +$a "
keys '\;' s s
wait_for "bulk status applied" 'status solved on 2 tickets: queued'
wait_sql "both tickets solved in the replica" "$db" \
    "SELECT count(*) FROM tickets WHERE id IN ($a, $b) AND status = 'solved'" \
    "2"
wait_sql "one outbox row per ticket" "$db" \
    "SELECT count(*) FROM outbox WHERE ticket_id IN ($a, $b)
     AND change_status = 'solved'" "2"
keys U
wait_gone "U untags all" 'tagged:'

# T: tag by query within the list shown; more than 5 asks first
want=$(sql "$db" "SELECT count(*) FROM tickets t WHERE lang = 'zh'
    AND status IN ('new','open','pending','hold')
    AND assignee_id = (SELECT value FROM sync_state WHERE key = 'me.id')")
keys T
wait_for "tag-query prompt" '^tag tickets matching:'
typ "lang:zh"
keys Enter
wait_for "T tags the matching tickets" "tagged:$want "
typ ';+'
wait_for "bulk tags prompt" 'tags of [0-9]+ tagged'
typ "chinese -spam"
keys Enter
wait_for "above the threshold it asks" "tags on $want tickets\? \[y/N\]"
keys n
wait_for "n does nothing" 'nothing done'
# what the agent sees: tickets.tags (ticket_tags is a catalogue that
# actions never write, so counting it could not fail), and tdesk show
expect_eq "no tag written after n" "$(sql "$db" \
    "SELECT count(*) FROM tickets WHERE ' ' || tags || ' ' LIKE '% chinese %'")" 0
expect_eq "nothing queued after n" "$(sql "$db" \
    "SELECT count(*) FROM outbox WHERE add_tags LIKE '%chinese%'")" 0
typ ';+'
typ "chinese"
keys Enter
wait_for "asks again" '\[y/N\]'
keys y
wait_for "y applies" "tags on $want tickets: queued"
wait_sql "every tagged ticket got the tag" "$db" \
    "SELECT count(*) FROM tickets WHERE ' ' || tags || ' ' LIKE '% chinese %'" \
    "$want"
one=$(sql "$db" "SELECT id FROM tickets WHERE ' ' || tags || ' ' LIKE '% chinese %' LIMIT 1")
expect_match "tdesk show lists the tag" "$("$TDESK" show "$one" | grep '^tags:')" " chinese( |$)"
keys '\;'
keys j
wait_gone "a movement clears the prefix" '\[;\]'
keys q
wait_for "quits" '^\[exit 0\]'
done_testing
