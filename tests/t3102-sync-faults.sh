#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every kind of trouble the network and the server can cause while the
# outbox is pushed (5xx, 503 with Retry-After, resets before and after the
# write, slow, dripped, truncated, invalid and HTML answers, database
# conflicts, 429s) still ends with each action on the server exactly once.
# Pull faults are retried; a huge answer is refused, not buffered.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 200 --seed 31
expect_code 0 "first sync" tdesk sync
ids=($(my_open_ids 40))
k=0

# push_with FAULT: queue two replies, push through the fault (up to three
# runs), then every queued action is on the server once
push_with() {
	local f=$1 i rc t1=${ids[$k]} t2=${ids[$((k + 1))]}
	k=$((k + 2))
	tdesk reply -m "reply through $f (1)" "$t1" >/dev/null
	tdesk reply -m "reply through $f (2)" "$t2" >/dev/null
	zd_admin faults "{\"faults\":[$f]}" >/dev/null
	for i in 1 2 3; do
		tdesk sync --push >/dev/null 2>"$WORK/push.err"; rc=$?
		[ $rc = 0 ] && break
	done
	expect_eq "push through $f ends well" "$rc" 0
	expect_eq "through $f: nothing left" "$(sql "$DB" "SELECT count(*) \
	    FROM outbox WHERE state <> 'done'")" 0
	expect_eq "through $f: all on the server, once" \
	    "$(server_msg_ids | sort)" "$(local_msg_ids | sort)"
	zd_admin faults '{"clear":true}' >/dev/null
}

U='"endpoint":"tickets.update","mode":"next","count":2'
push_with "{$U,\"kind\":\"error\",\"status\":500}"
push_with "{$U,\"kind\":\"error\",\"status\":502}"
push_with "{$U,\"kind\":\"503\",\"retry_after\":1}"
push_with "{$U,\"kind\":\"reset\"}"
push_with "{$U,\"kind\":\"commit_reset\"}"
push_with "{$U,\"kind\":\"truncate\"}"
push_with "{$U,\"kind\":\"invalid_json\"}"
push_with "{$U,\"kind\":\"html\"}"
push_with "{$U,\"kind\":\"db_conflict\"}"
# a collision inside the server, again and again: the ticket did not
# change, so it is retried, never handed to the agent as a conflict
push_with '{"endpoint":"tickets.update","mode":"next","count":10,"kind":"db_conflict"}'
S='"endpoint":"tickets.update","mode":"next","count":1'
push_with "{$S,\"kind\":\"slow\",\"delay_ms\":3000}"
push_with "{$S,\"kind\":\"slow\",\"delay_ms\":3000,\"before\":true}"
push_with "{$S,\"kind\":\"drip\",\"delay_ms\":30,\"chunk\":512}"
push_with '{"endpoint":"audits","mode":"next","count":2,"kind":"reset"},'"{$U,\"kind\":\"commit_reset\"}"

# 429: a tight rate limit; the client paces itself and waits Retry-After
zd_admin rate_limit '{"per_minute":60}' >/dev/null
push_with '{"endpoint":"x","kind":"error"}'
zd_admin rate_limit '{"per_minute":100000}' >/dev/null

# --- pull faults: retried until a good answer
zd_admin customer_reply "{\"ticket_id\":${ids[30]},\"body\":\"pull fault\"}" \
	>/dev/null
zd_admin faults '{"faults":[
 {"endpoint":"tickets.list","mode":"next","count":1,"kind":"invalid_json"},
 {"endpoint":"tickets.list","mode":"next","count":1,"kind":"truncate"},
 {"endpoint":"comments","mode":"next","count":1,"kind":"html"},
 {"endpoint":"comments","mode":"next","count":1,"kind":"503","retry_after":1},
 {"endpoint":"users.me","mode":"next","count":1,"kind":"reset"}]}' >/dev/null
expect_code 0 "pull through faults" tdesk sync --pull --json
expect_match "retries counted" "$(last_out)" '"retries":[1-9]'
# a list page trickled at 10 bytes a second is given up like a stall and
# asked again (a 1 B/s floor would have waited minutes for it)
zd_admin faults '{"faults":[{"endpoint":"tickets.list","mode":"next","count":1,"kind":"drip","chunk":1,"delay_ms":100}]}' >/dev/null
expect_code 0 "pull through a trickle, in time" timeout 60 "$TDESK" sync --pull --json
expect_match "the trickle retried" "$(last_out)" '"retries":[1-9]'
zd_admin faults '{"clear":true}' >/dev/null
expect_eq "the customer's reply arrived" "$(sql "$DB" "SELECT count(*) FROM \
	comments WHERE ticket_id = ${ids[30]} AND body = 'pull fault'")" 1

# --- a 2 GB answer is refused without reading it into memory
zd_admin faults '{"faults":[{"endpoint":"tickets.list","kind":"huge",
 "size_mb":2048}]}' >/dev/null
expect_code 5 "huge answer refused" /usr/bin/time -f "%M" -o "$WORK/rss" \
	"$TDESK" sync --pull
expect_match "says it is too large" "$(last_err)" "larger than"
expect_eq "memory stayed small" "$(tail -1 "$WORK/rss" |
	awk '{print ($1 < 200000)}')" 1
zd_admin faults '{"clear":true}' >/dev/null

expect_eq "no duplicates anywhere" "$(server_msg_ids | sort | uniq -d)" ""

done_testing
