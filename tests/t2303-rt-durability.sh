#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kill -9 of the real tdesk process while it pushes to a real RT server,
# then a new sync: each action reaches RT exactly once, whether the killed
# request had landed (answer held by the proxy) or not (request held).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start
proxy_start

t1=$(rt_new Support "Withdrawal" "Stuck withdrawal" agent)
t2=$(rt_new Support "Login" "Cannot log in" agent)
t3=$(rt_new Support "2FA" "Lost my phone" agent)
rt_desk "$PROXY_URL"
expect_code 0 "first sync" tdesk sync

# kill_during RULES: run a sync, wait until the proxy holds a request,
# kill -9 the tdesk process
kill_during() {
	rm -f "$PROXY_DIR/held"
	proxy_rules "$1"
	"$TDESK" sync >"$WORK/killed.out" 2>&1 &
	local pid=$! i
	for i in $(seq 1 300); do [ -f "$PROXY_DIR/held" ] && break; sleep 0.05; done
	check "the proxy holds a request ($1)" test -f "$PROXY_DIR/held"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	proxy_rules '[]'
}

# 1. the reply reached RT, the answer never came back
expect_code 0 "queue a reply" tdesk reply -m "We are on it (1)." "$t1"
kill_during '[{"method":"POST","path":"/correspond$","do":"hold","times":1}]'
expect_eq "RT has the reply" "$(rt_count_msgs "$t1" Correspond 'We are on it (1).')" 1
expect_eq "the action is left in flight" "$(sql "$RT_DB" "SELECT state FROM outbox WHERE ticket_id = $t1")" inflight
expect_code 0 "the next sync" tdesk sync
expect_eq "still exactly one reply in RT" "$(rt_count_msgs "$t1" Correspond 'We are on it (1).')" 1
expect_eq "the action is done" "$(sql "$RT_DB" "SELECT state FROM outbox WHERE ticket_id = $t1")" done

# 2. the reply never reached RT
expect_code 0 "queue a note" tdesk note -m "Checked the logs (2)." "$t2"
kill_during '[{"method":"POST","path":"/comment$","do":"holdpre","times":1}]'
expect_eq "RT does not have the note" "$(rt_count_msgs "$t2" Comment 'Checked the logs (2).')" 0
expect_code 0 "the next sync" tdesk sync
expect_eq "the note is in RT once" "$(rt_count_msgs "$t2" Comment 'Checked the logs (2).')" 1

# 3. a field change that landed; then a reply on the same ticket
expect_code 0 "queue a status change" tdesk set "$t3" status=pending
expect_code 0 "queue a reply after it" tdesk reply -m "Please send a selfie (3)." "$t3"
kill_during '[{"method":"PUT","path":"/ticket/[0-9]+$","do":"hold","times":1}]'
expect_eq "RT has the status" "$(rt_field "$t3" Status)" stalled
: >"$PROXY_DIR/log"
expect_code 0 "the next sync" tdesk sync
expect_no_match "the landed PUT is not sent again" "$(cat "$PROXY_DIR/log")" "PUT /REST/2.0/ticket/$t3"
expect_eq "the reply after it is in RT once" "$(rt_count_msgs "$t3" Correspond 'Please send a selfie (3).')" 1
expect_eq "nothing is left in the outbox" "$(sql "$RT_DB" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0
done_testing
