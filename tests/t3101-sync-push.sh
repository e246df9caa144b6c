#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk sync pushes the outbox: replies and field changes reach the server
# once, with safe_update, the stamp the agent saw and the client id; a
# ticket changed remotely is re-sent when nothing collides and becomes a
# conflict (exit 4) when the customer wrote since or a field collides; a
# refused action fails (exit 6) with the server's message.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 120 --seed 21
expect_code 0 "first sync" tdesk sync
set -- $(my_open_ids 6)
a=$1 b=$2 c=$3 d=$4 f=$5 g=$6

# --- plain push: a reply and a status change on one ticket, in order
check "reply queued" tdesk reply -m "We are on it (push test)" "$a"
check "status queued" tdesk set "$a" status=pending
expect_code 0 "push" tdesk sync --json
expect_match "two actions pushed" "$(last_out)" '"pushed":2,'
st=$(zd_state "ids=$a")
expect_eq "server status" "$(printf %s "$st" | pj 'd["tickets"][0]["status"]')" pending
expect_eq "reply on the server once" "$(printf %s "$st" | pj 'sum(1 for c in
    d["tickets"][0]["comments"] if c["body"] == "We are on it (push test)")')" 1
req=$(zd_state | pj '[w["request"]["ticket"] for w in d["writes"]
    if w["ticket_id"] == '"$a"'][0]')
expect_match "safe_update sent" "$req" "'safe_update': True"
expect_match "stamp sent" "$req" "'updated_stamp': '20[0-9-]+T"
expect_match "client id sent" "$req" "'metadata': \{'client_msg_id': '[0-9a-f-]{36}'\}"
expect_eq "outbox empty" "$(sql "$DB" "SELECT count(*) FROM outbox \
	WHERE state <> 'done'")" 0
expect_eq "no placeholder comment left" "$(sql "$DB" "SELECT count(*) FROM \
	comments WHERE ticket_id = $a AND id < 0")" 0
expect_eq "server ids match local ids" "$(server_msg_ids | sort)" \
	"$(local_msg_ids | sort)"

# --- nothing collides: another agent changed the priority while we set
# a tag; ours goes on the new stamp
check "tag queued" tdesk set "$b" +pushtest
zd_admin update "{\"ticket_id\":$b,\"fields\":{\"priority\":\"urgent\"}}" \
	>/dev/null
expect_code 0 "push over a remote field change" tdesk sync --json
st=$(zd_state "ids=$b")
expect_match "tag on the server" \
	"$(printf %s "$st" | pj 'd["tickets"][0]["tags"]')" "pushtest"
expect_eq "their priority kept" \
	"$(printf %s "$st" | pj 'd["tickets"][0]["priority"]')" urgent
n409=$(zd_state | pj 'sum(1 for w in d["writes"] if w["ticket_id"] == '"$b"'
    and w["status"] == 409)')
# a tag change goes as the whole list, built on the ticket read first
expect_eq "no 409: the tag change went on the stamp just read" "$n409" 0

# --- 409, the customer wrote after we replied: conflict, not sent
check "reply queued" tdesk reply -m "Please try again now" "$c"
zd_admin customer_reply "{\"ticket_id\":$c,\"body\":\"it broke again\"}" \
	>/dev/null
expect_code 4 "conflict exits 4" tdesk sync
expect_eq "conflict stored" "$(sql "$DB" "SELECT state FROM outbox WHERE \
	ticket_id = $c")" conflict
expect_match "conflict says why" "$(sql "$DB" "SELECT error FROM outbox \
	WHERE ticket_id = $c")" "customer wrote 1 new message since you replied"
expect_eq "reply not on the server" "$(zd_state "ids=$c" | pj 'sum(1 for x in
    d["tickets"][0]["comments"] if x["body"] == "Please try again now")')" 0
expect_code 4 "outbox shows it; sync keeps exiting 4" tdesk sync
expect_match "outbox lists the conflict" "$(tdesk outbox 2>&1)" "conflict"

# --- 409, both sides changed the same field: conflict
check "status queued" tdesk set "$d" status=hold
zd_admin update "{\"ticket_id\":$d,\"fields\":{\"status\":\"solved\"}}" \
	>/dev/null
expect_code 4 "field collision" tdesk sync
expect_match "collision says which field" "$(sql "$DB" "SELECT error FROM \
	outbox WHERE ticket_id = $d")" "status changed remotely from [a-z]+ to solved"
expect_eq "server keeps their status" "$(zd_state "ids=$d" | pj \
	'd["tickets"][0]["status"]')" solved

# --- 422: the server refuses; failed with its message, exit 6
check "note queued" tdesk note -m "internal" "$f"
zd_admin update "{\"ticket_id\":$f,\"fields\":{\"status\":\"closed\"}}" \
	>/dev/null
check "drop the conflicts" tdesk outbox drop --yes \
	$(sql "$DB" "SELECT id FROM outbox WHERE state = 'conflict'")
expect_code 6 "refused action exits 6" tdesk sync
expect_eq "failed stored" "$(sql "$DB" "SELECT state FROM outbox WHERE \
	ticket_id = $f")" failed
expect_match "server's message kept" "$(sql "$DB" "SELECT error FROM outbox \
	WHERE ticket_id = $f")" "HTTP 422.*closed prevents ticket update"

# --- an earlier conflict holds later actions on the same ticket
check "drop the failure" tdesk outbox drop --yes \
	$(sql "$DB" "SELECT id FROM outbox WHERE state = 'failed'")
check "reply queued" tdesk reply -m "first" "$g"
check "status queued" tdesk set "$g" status=solved
zd_admin customer_reply "{\"ticket_id\":$g,\"body\":\"wait\"}" >/dev/null
expect_code 4 "conflict on the first" tdesk sync
expect_eq "second action waits" "$(sql "$DB" "SELECT state FROM outbox \
	WHERE ticket_id = $g ORDER BY id")" "conflict
pending"
expect_eq "server status untouched" "$(zd_state "ids=$g" | pj \
	'd["tickets"][0]["status"]')" open

# every action the server holds, it holds once
expect_eq "no duplicates" "$(server_msg_ids | sort | uniq -d)" ""

done_testing
