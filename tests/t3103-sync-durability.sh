#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Durability: tdesk sync is killed with SIGKILL (the tdesk process itself,
# by its own pid) at random moments while it pushes, and the server
# injects one kind of fault after another, including requests it holds and
# processes late, after their sender is gone; after each kill it runs
# again. In the end the server holds every queued action exactly once
# (counting client_msg_ids), nothing is lost, and the replica passes
# PRAGMA integrity_check. Bounded: KILLS kills per fault kind.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

KILLS=${TDESK_DURABILITY_KILLS:-6}
sync_setup --tickets 300 --seed 41
expect_code 0 "first sync" tdesk sync
ids=($(my_open_ids 60))
RANDOM=4242
n=0

# queue: two actions on each of a few tickets (per ticket in order)
queue() {
	local i t
	for i in 1 2 3; do
		t=${ids[$((RANDOM % ${#ids[@]}))]}
		tdesk reply -m "durable reply $n" "$t" >/dev/null 2>&1 &&
		    n=$((n + 1))
		tdesk note -m "durable note $n" "$t" >/dev/null 2>&1 &&
		    n=$((n + 1))
	done
}

P='"endpoint":"tickets.update","mode":"prob","p":0.35'
A='"endpoint":"audits","mode":"prob","p":0.2'
for f in "{$P,\"kind\":\"error\",\"status\":500}" \
	"{$P,\"kind\":\"503\",\"retry_after\":1}" \
	"{$P,\"kind\":\"reset\"}" \
	"{$P,\"kind\":\"commit_reset\"},{$A,\"kind\":\"reset\"}" \
	"{$P,\"kind\":\"slow\",\"delay_ms\":300}" \
	"{$P,\"kind\":\"truncate\"}" \
	"{$P,\"kind\":\"invalid_json\"}" \
	"{$P,\"kind\":\"html\"}" \
	"{$P,\"kind\":\"db_conflict\"}" \
	"{$P,\"kind\":\"slow\",\"before\":true,\"delay_ms\":300}" \
	"{$P,\"kind\":\"hold\",\"release\":\"tickets.show\",\"max_ms\":3000}" \
	"{$P,\"kind\":\"hold\",\"release\":\"audits\",\"max_ms\":3000}" \
	"{$P,\"kind\":\"hold\",\"release\":\"timer\",\"delay_ms\":500}"; do
	zd_admin faults "{\"faults\":[$f]}" >/dev/null
	for k in $(seq 1 "$KILLS"); do
		queue
		"$TDESK" sync --push >/dev/null 2>&1 &
		pid=$!
		# somewhere between the start and a few round trips in
		sleep "0.$(printf '%03d' $((RANDOM % 400)))"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		dups=$(server_msg_ids | sort | uniq -d)
		if [ -n "$dups" ]; then
			fail "duplicate after a kill under $f: $dups"
			break 2
		fi
	done
done

# no more faults; what the server still holds lands (bounded), then the
# next runs finish the job
zd_admin faults '{"clear":true}' >/dev/null
for i in $(seq 1 100); do
	[ "$(zd_state tickets=none | pj 'd["held"]')" = 0 ] && break
	sleep 0.1
done
expect_eq "the server let every held request through" \
	"$(zd_state tickets=none | pj 'd["held"]')" 0
for i in 1 2 3; do
	tdesk sync >/dev/null 2>&1 && break
done
expect_eq "sync finishes" "$?" 0
expect_eq "nothing left in the outbox" "$(sql "$DB" "SELECT state, count(*) \
	FROM outbox WHERE state <> 'done' GROUP BY state")" ""
expect_eq "every action on the server exactly once" \
	"$(server_msg_ids | sort)" "$(local_msg_ids | sort)"
expect_eq "as many actions as queued" "$(local_msg_ids | wc -l)" "$n"
expect_eq "replica intact" "$(sql "$DB" "PRAGMA integrity_check")" ok
expect_eq "no local placeholders left" "$(sql "$DB" "SELECT count(*) FROM \
	comments WHERE id < 0")" 0

done_testing
