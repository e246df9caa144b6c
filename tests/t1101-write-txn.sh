#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One safe write path: a write that fails inside a bigger one unwinds only
# itself and never aborts; bulk writes are all or nothing; the outbox
# never truncates a change; dropping an action undoes exactly what it did,
# even under later actions on the same ticket; outbox ids are never reused.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
ids=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 6")
t1=$(echo "$ids" | sed -n 1p); t2=$(echo "$ids" | sed -n 2p)
t3=$(echo "$ids" | sed -n 3p); t4=$(echo "$ids" | sed -n 4p)
integrity() { expect_eq "$1: integrity" "$(sql "$db" "PRAGMA integrity_check")" ok; }

# dropping an action that is being sent: a clear refusal, not an abort
tdesk reply -m "first" "$t1" 2>/dev/null || fail "reply"
a1=$(sql "$db" "SELECT max(id) FROM outbox")
sql "$db" "UPDATE outbox SET state = 'inflight' WHERE id = $a1"
expect_code 4 "drop of an in-flight action is refused" tdesk outbox drop "$a1"
expect_match "says why" "$(last_err)" "being sent right now"
expect_no_match "no BUG" "$(last_err)" "BUG"
expect_eq "the action is still there" "$(sql "$db" "SELECT count(*) FROM outbox WHERE id = $a1")" 1

# a bulk drop is all or nothing: one in flight keeps every one
tdesk note -m "second" "$t2" 2>/dev/null || fail "note"
a2=$(sql "$db" "SELECT max(id) FROM outbox")
expect_code 4 "bulk drop with one in flight" tdesk outbox drop --yes "$a2" "$a1"
expect_match "nothing changed" "$(last_err)" "nothing was changed"
expect_eq "the other action stays" "$(sql "$db" "SELECT count(*) FROM outbox WHERE id = $a2")" 1
expect_eq "its comment stays" "$(sql "$db" "SELECT count(*) FROM comments WHERE outbox_id = $a2")" 1
expect_code 3 "bulk drop with an unknown id" tdesk outbox drop --yes "$a2" 999999
expect_eq "still there" "$(sql "$db" "SELECT count(*) FROM outbox WHERE id = $a2")" 1
sql "$db" "UPDATE outbox SET state = 'pending' WHERE id = $a1"
integrity "after refused drops"

# keep / edit go through the same path: a pending action cannot be kept
expect_code 2 "keep of a pending action" tdesk outbox keep "$a1"
expect_match "says why" "$(last_err)" "only conflicts and failures"

# a bulk set with a missing ticket: nothing queued, clear message
before=$(sql "$db" "SELECT count(*) FROM outbox")
expect_code 3 "bulk set with a missing ticket" tdesk set --yes "$t3" 99999999 status=pending
expect_match "names it" "$(last_err)" "no ticket 99999999"
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"

# no silent limit: 70 tags are 70 tags
tags=$(seq -f '+t%g' 1 70 | tr '\n' ' ')
# shellcheck disable=SC2086
expect_code 0 "set 70 tags" tdesk set "$t3" $tags
expect_eq "70 tags queued" "$(sql "$db" "SELECT (length(add_tags) - length(replace(add_tags, ' ', '')) + 1) FROM outbox ORDER BY id DESC LIMIT 1")" 70
expect_eq "70 tags on the ticket" "$(sql "$db" "SELECT count(*) FROM tickets, json_each('[\"' || replace(trim(tickets.tags), ' ', '\",\"') || '\"]') WHERE tickets.id = $t3 AND value GLOB 't[0-9]*'")" 70
expect_eq "the last one is found" "$(tdesk list --count "tag:t70")" 1

# dropping an earlier action restores exactly what it changed
orig_tags=$(sql "$db" "SELECT trim(tags) FROM tickets WHERE id = $t4")
orig_status=$(sql "$db" "SELECT status FROM tickets WHERE id = $t4")
tdesk set "$t4" +early 2>/dev/null || fail "early"
e=$(sql "$db" "SELECT max(id) FROM outbox")
tdesk set "$t4" +later status=hold 2>/dev/null || fail "later"
l=$(sql "$db" "SELECT max(id) FROM outbox")
tdesk set "$t4" priority=high 2>/dev/null || fail "last"
expect_code 0 "drop the earlier tag action" tdesk outbox drop "$e"
tags_now=" $(sql "$db" "SELECT trim(tags) FROM tickets WHERE id = $t4") "
expect_no_match "its tag left the ticket" "$tags_now" " early "
expect_match "the later tag stays" "$tags_now" " later "
expect_eq "later fields stay" "$(sql "$db" "SELECT status || ' ' || priority FROM tickets WHERE id = $t4")" "hold high"
expect_no_match "show agrees" "$(tdesk show "$t4" | grep -i '^tags')" "early"
expect_code 0 "drop the later one too" tdesk outbox drop "$l"
expect_eq "back to the original tags" "$(sql "$db" "SELECT trim(tags) FROM tickets WHERE id = $t4")" "$orig_tags"
expect_eq "and status" "$(sql "$db" "SELECT status FROM tickets WHERE id = $t4")" "$orig_status"
integrity "after drops"

# outbox ids are never reused
tdesk note -m "x" "$t2" 2>/dev/null || fail "note x"
x=$(sql "$db" "SELECT max(id) FROM outbox")
expect_code 0 "drop the newest" tdesk outbox drop "$x"
tdesk note -m "y" "$t2" 2>/dev/null || fail "note y"
y=$(sql "$db" "SELECT max(id) FROM outbox")
check "a new action gets a new id ($y > $x)" test "$y" -gt "$x"
expect_eq "the audit log names the dropped id once" "$(sql "$db" "SELECT count(*) FROM audit WHERE detail = 'dropped outbox action $y'")" 0

# the same audit rows from every bulk path: one per ticket
n0=$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'update'")
expect_code 0 "bulk set" tdesk set --yes "$t1" "$t2" "$t3" priority=low
expect_eq "one audit row per ticket" "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'update'")" $((n0 + 3))
integrity "at the end"
done_testing
