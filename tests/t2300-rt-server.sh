#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The private Request Tracker server the RT tests use: it starts, answers
# REST 2.0 with the agent's token, refuses a wrong one, and stops.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start

q=$(rt_api GET /queues/all)
expect_match "the agent sees its queues" "$q" '"count" ?: ?2'
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: token 1-2-nope' "$RT_URL/REST/2.0/queues/all")
expect_eq "a wrong token is refused" "$code" 401
t=$(rt_api POST /ticket '{"Queue":"Support","Subject":"hello","Requestor":"carol@customer.test","Content":"first"}')
expect_match "the agent creates a ticket" "$t" '"id" ?: ?"?[0-9]+'
check "the server runs as a process" kill -0 "$RT_PID"
"$RT_SCRIPT" stop "$WORK/rt"
gone=1
for _ in $(seq 1 50); do kill -0 "$RT_PID" 2>/dev/null || { gone=0; break; }; sleep 0.1; done
expect_eq "stop ends the server" "$gone" 0
done_testing
