#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Exactly once when the server processes a request late. A reply and a
# note are queued on one ticket; the reply's PUT lands, the note's PUT is
# held by the server and processed later, after its sender is gone:
#  - killed: tdesk is killed (SIGKILL, by its own pid) while the note is
#    held; the next push must not send the note a second time, even though
#    the held copy lands only when that push reads the ticket (before) or
#    the audits (after);
#  - side by side: a second `tdesk sync` started while the first is still
#    pushing must not push the same rows (exit 8, nothing done); the first
#    finishes the job when the server lets the held copy through.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 60 --seed 31
expect_code 0 "first sync" tdesk sync
set -- $(my_open_ids 4)

# msg_count TICKET TEXT: how many comments with TEXT the server holds
msg_count() {
	zd_state "ids=$1" | pj 'sum(1 for c in d["tickets"][0]["comments"]
	    if c["body"] == "'"$2"'")'
}
# wait_held N: until the server holds N parked requests (bounded)
wait_held() {
	local i
	for i in $(seq 1 200); do
		[ "$(zd_state tickets=none | pj 'd["held"]')" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
# hold_note RELEASE: park the second PUT (the note), release as RELEASE
hold_note() {
	zd_admin faults '{"faults":[{"endpoint":"tickets.update","kind":"hold",
	    "mode":"next","count":1,"skip":1,"release":"'"$1"'",
	    "max_ms":20000}]}' >/dev/null
}

n=0
for release in tickets.show audits; do
	t=$1; shift
	n=$((n + 1))
	check "reply queued" tdesk reply -m "late reply $n" "$t"
	check "note queued" tdesk note -m "late note $n" "$t"
	hold_note "$release"
	"$TDESK" sync --push >/dev/null 2>&1 &
	pid=$!
	wait_held 1 || fail "the server never held the note ($release)"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	expect_eq "the killed push left the note in flight ($release)" \
	    "$(sql "$DB" "SELECT state FROM outbox WHERE comment LIKE \
	    '%late note $n%' OR summary LIKE '%late note $n%'")" inflight
	expect_code 0 "the next push ($release)" tdesk sync --push
	expect_eq "the held copy landed late ($release)" \
	    "$(zd_state tickets=none | pj 'd["held_done"]')" "$n"
	expect_eq "reply on the server once ($release)" \
	    "$(msg_count "$t" "late reply $n")" 1
	expect_eq "note on the server once ($release)" \
	    "$(msg_count "$t" "late note $n")" 1
done

# side by side: the second pusher must keep off the rows
t=$1
check "reply queued" tdesk reply -m "side reply" "$t"
check "note queued" tdesk note -m "side note" "$t"
hold_note tickets.show
"$TDESK" sync --push >"$WORK/first.out" 2>&1 &
pid=$!
wait_held 1 || fail "the server never held the note (side by side)"
expect_code 8 "a second sync beside the first is refused" tdesk sync --push
expect_match "it says why" "$(last_err)" "another tdesk .*pid $pid"
zd_admin release >/dev/null
wait "$pid"
expect_eq "the first push finishes" "$?" 0
expect_eq "note on the server once (side by side)" \
    "$(msg_count "$t" "side note")" 1
expect_eq "reply on the server once (side by side)" \
    "$(msg_count "$t" "side reply")" 1
expect_code 0 "a sync after both" tdesk sync
expect_eq "nothing left to send" "$(sql "$DB" "SELECT count(*) FROM outbox \
	WHERE state <> 'done'")" 0
expect_eq "server ids match local ids" "$(server_msg_ids | sort)" \
	"$(local_msg_ids | sort)"
expect_eq "replica intact" "$(sql "$DB" "PRAGMA integrity_check")" ok

done_testing
