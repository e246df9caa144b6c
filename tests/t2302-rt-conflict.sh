#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Conflicts against a real RT server: a field another agent changed since
# the agent acted, a customer message since the agent looked, and a real
# 412 from RT's If-Match (the ticket moved under the PUT) that is re-read
# and re-sent because the field it sets was not touched.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start
proxy_start

t1=$(rt_new Support "Deposit missing" "Where is my deposit?" agent)
t2=$(rt_new Support "Card declined" "My card was declined" agent)
t3=$(rt_new Support "Fees" "Why this fee?" agent)
rt_desk "$PROXY_URL"
expect_code 0 "first sync" tdesk sync

# another agent resolves #1 after we looked; our status change conflicts
expect_code 0 "queue a status change" tdesk set "$t1" status=pending
sleep 1.1	# RT's times have whole seconds
rt_api2 PUT "/ticket/$t1" '{"Status":"resolved"}' >/dev/null
expect_code 4 "sync reports the conflict" tdesk sync
expect_match "the conflict says who and what" "$(tdesk outbox)" "conflict: Agent2 Person changed the status"
expect_eq "RT keeps the other agent's status" "$(rt_field "$t1" Status)" resolved

# the customer writes on #2 after we looked; our reply waits for the agent
expect_code 0 "queue a reply" tdesk reply -m "Please try again." "$t2"
sleep 1.1
rt_api2 POST "/ticket/$t2/correspond" '{"Content":"It works now, thanks","ContentType":"text/plain"}' >/dev/null
expect_code 4 "sync reports the reply conflict" tdesk sync
expect_match "the reply conflict names the writer" "$(tdesk outbox)" "conflict: Agent2 Person wrote since you looked"
expect_eq "the reply was not sent" "$(rt_count_msgs "$t2" Correspond 'Please try again.')" 0

# a real 412: the proxy adds a comment as agent2 just before our PUT
proxy_rules '[{"method":"PUT","path":"/ticket/[0-9]+$","do":"move","times":1}]'
expect_code 0 "queue a priority change" tdesk set "$t3" priority=high
tdesk sync >"$WORK/sync.out" 2>&1
expect_match "RT answered 412 to the first PUT" "$(cat "$PROXY_DIR/log")" "PUT /REST/2.0/ticket/$t3 412 move"
expect_match "...and 200 to the re-sent one" "$(cat "$PROXY_DIR/log")" "PUT /REST/2.0/ticket/$t3 200"
expect_eq "the priority is set" "$(rt_field "$t3" Priority)" 100
expect_eq "the action is done" "$(sql "$RT_DB" "SELECT state FROM outbox WHERE ticket_id = $t3")" done
done_testing
