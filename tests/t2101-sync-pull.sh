#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk sync pulls the agent's assigned tickets (all of them, paging to
# meta.has_more == false), the comments of open ones, then only what
# changed; tickets reassigned away or deleted do not linger as mine.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 400 --seed 11

expect_code 0 "first sync" tdesk sync --json
out=$(last_out)
mine=$(zd_state tickets=all | pj 'sum(1 for t in d["tickets"] if
    t["assignee_id"] == d["agent_id"] and not t["deleted"])')
expect_eq "every assigned ticket pulled" \
	"$(sql "$DB" "SELECT count(*) FROM tickets WHERE assignee_id = \
	    (SELECT value FROM sync_state WHERE key = 'me.id')")" "$mine"
expect_match "json summary" "$out" \
	'^\{"pulled":[0-9]+,"comments":[0-9]+,"pushed":0,"conflicts":0,"failed":0,"retries":0,"requests":[0-9]+,"duration_ms":[0-9]+,"answers":\{"macros":[0-9]+,"articles":[0-9]+,"error":null\}\}$'
expect_eq "identity stored" "$(sql "$DB" \
	"SELECT value FROM sync_state WHERE key = 'me.email'")" "$ZD_EMAIL"

# comments of open tickets are there, with the customer's words
t=$(my_open_ids 1)
body=$(zd_state "ids=$t" | pj 'd["tickets"][0]["comments"][-1]["body"]')
n_server=$(zd_state "ids=$t" | pj 'len(d["tickets"][0]["comments"])')
expect_eq "all comments of an open ticket" \
	"$(sql "$DB" "SELECT count(*) FROM comments WHERE ticket_id = $t")" \
	"$n_server"

# the server's list is read to its end, not by links.next
pages=$(zd_state | pj 'sum(1 for r in d["request_log"]
    if r["endpoint"] == "tickets.list")')
expect_eq "pages of 100 up to has_more false" "$pages" \
	$(( (mine + 99) / 100 ))

# nothing changed: a few requests, nothing written
before=$(zd_state | pj 'd["requests_total"]')
expect_code 0 "second sync" tdesk sync --json
after=$(zd_state | pj 'd["requests_total"]')
# (macros and articles are refreshed at most hourly: not this time)
expect_eq "incremental sync with no change needs 3 requests" \
	$((after - before)) 3
expect_match "no comments refetched" "$(last_out)" '"comments":0,'

# a customer writes: the ticket and its new comment come in
zd_admin customer_reply "{\"ticket_id\":$t,\"body\":\"still waiting 42\"}" \
	>/dev/null
expect_code 0 "sync after a customer reply" tdesk sync --json
expect_match "one ticket's comments fetched" "$(last_out)" '"comments":1,'
expect_eq "new comment pulled" "$(sql "$DB" "SELECT count(*) FROM comments \
	WHERE ticket_id = $t AND body = 'still waiting 42'")" 1

# reassigned to someone else: no longer mine here either
other=$(zd_state | pj 'd["other_agent_ids"][0]')
t2=$(my_open_ids 2 | awk '{print $2}')
zd_admin update "{\"ticket_id\":$t2,\"fields\":{\"assignee_id\":$other}}" \
	>/dev/null
# deleted on the server: gone here
t3=$(my_open_ids 3 | awk '{print $3}')
zd_admin delete "{\"ticket_id\":$t3}" >/dev/null
expect_code 0 "sync after reassign and delete" tdesk sync
expect_eq "reassigned ticket now someone else's" \
	"$(sql "$DB" "SELECT assignee_id FROM tickets WHERE id = $t2")" "$other"
expect_eq "deleted ticket forgotten" \
	"$(sql "$DB" "SELECT count(*) FROM tickets WHERE id = $t3")" 0
expect_eq "local and remote agree on my tickets" \
	"$(sql "$DB" "SELECT count(*) FROM tickets WHERE assignee_id = \
	    (SELECT value FROM sync_state WHERE key = 'me.id')")" "$((mine - 2))"

# --push alone pulls nothing
expect_code 0 "push only" tdesk sync --push --json
expect_match "push only pulls nothing" "$(last_out)" '"pulled":0,'
expect_code 2 "--pull with --push" tdesk sync --pull --push

done_testing
