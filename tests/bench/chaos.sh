#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Chaos run of the push, by hand (not in CI): tdesk sync is killed with
# SIGKILL, by its own pid, KILLS times across every fault kind of the
# loopback server (errors, 503, resets, slow and truncated answers, bad
# bodies, database conflicts, requests held and processed late), half of
# the kills while two CPU hogs run, and now and then with a second
# pusher started beside the first. Then the faults stop, the held requests
# land and syncs finish the job. Prints one line:
#   kills K, actions A, lost L, duplicated D, integrity ok|bad
# Usage: tests/bench/chaos.sh [KILLS] (default 240). TDESK=path/to/tdesk
# measures another build (e.g. an older one).
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/synclib.sh"

KILLS=${1:-240}
sync_setup --tickets 400 --seed 97
tdesk sync >/dev/null 2>&1 || { echo "first sync failed"; exit 1; }
ids=($(my_open_ids 80))
RANDOM=9797
n=0
kills=0
busy=0
HOGS=

queue() {
	local i t
	for i in 1 2; do
		t=${ids[$((RANDOM % ${#ids[@]}))]}
		"$TDESK" reply -m "chaos reply $n" "$t" >/dev/null 2>&1 &&
		    n=$((n + 1))
		"$TDESK" note -m "chaos note $n" "$t" >/dev/null 2>&1 &&
		    n=$((n + 1))
		"$TDESK" set "$t" "+chaos$n" >/dev/null 2>&1 && n=$((n + 1))
	done
}

hogs_on() {
	if command -v stress-ng >/dev/null; then
		stress-ng --cpu 2 --timeout 3600 >/dev/null 2>&1 &
		HOGS=$!
	else
		(while :; do :; done) & h1=$!
		(while :; do :; done) & h2=$!
		HOGS="$h1 $h2"
	fi
}
hogs_off() {
	[ -n "$HOGS" ] || return 0
	kill $HOGS 2>/dev/null
	wait $HOGS 2>/dev/null
	HOGS=
}
at_exit hogs_off

P='"endpoint":"tickets.update","mode":"prob","p":0.35'
A='"endpoint":"audits","mode":"prob","p":0.2'
faults=(
	"{$P,\"kind\":\"error\",\"status\":500}"
	"{$P,\"kind\":\"503\",\"retry_after\":1}"
	"{$P,\"kind\":\"reset\"}"
	"{$P,\"kind\":\"commit_reset\"},{$A,\"kind\":\"reset\"}"
	"{$P,\"kind\":\"slow\",\"delay_ms\":300}"
	"{$P,\"kind\":\"slow\",\"before\":true,\"delay_ms\":300}"
	"{$P,\"kind\":\"truncate\"}"
	"{$P,\"kind\":\"invalid_json\"}"
	"{$P,\"kind\":\"html\"}"
	"{$P,\"kind\":\"db_conflict\"}"
	"{$P,\"kind\":\"hold\",\"release\":\"tickets.show\",\"max_ms\":3000}"
	"{$P,\"kind\":\"hold\",\"release\":\"audits\",\"max_ms\":3000}"
	"{$P,\"kind\":\"hold\",\"release\":\"timer\",\"delay_ms\":700}"
)
per=$(( (KILLS + ${#faults[@]} - 1) / ${#faults[@]} ))
t0=$(date +%s)
for f in "${faults[@]}"; do
	zd_admin faults "{\"faults\":[$f]}" >/dev/null
	# per kills under each fault kind; some runs end before their
	# kill, so at most twice as many runs
	mine=$((kills + per))
	for k in $(seq 1 $((2 * per))); do
		[ "$kills" -ge "$mine" ] && break
		if [ $((kills % 2)) = 1 ] && [ -z "$HOGS" ]; then hogs_on; fi
		if [ $((kills % 2)) = 0 ]; then hogs_off; fi
		queue
		"$TDESK" sync --push >/dev/null 2>&1 &
		pid=$!
		pid2=
		if [ $((RANDOM % 4)) = 0 ]; then
			# a second pusher beside the first (cron and the UI's S)
			"$TDESK" sync --push >/dev/null 2>&1 &
			pid2=$!
		fi
		sleep "0.$(printf '%03d' $((RANDOM % 500)))"
		# a kill counts only when tdesk was still running (not a
		# zombie that had finished)
		st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
		if [ -n "$st" ] && [ "$st" != Z ] && kill -9 "$pid" 2>/dev/null; then
			kills=$((kills + 1))
		fi
		wait "$pid" 2>/dev/null
		if [ -n "$pid2" ]; then
			wait "$pid2" 2>/dev/null
			[ $? = 8 ] && busy=$((busy + 1))
		fi
	done
done
hogs_off
zd_admin faults '{"clear":true}' >/dev/null
for i in $(seq 1 100); do
	[ "$(zd_state tickets=none | pj 'd["held"]')" = 0 ] && break
	sleep 0.1
done
for i in 1 2 3 4 5; do
	tdesk sync >/dev/null 2>&1 && break
done
server_msg_ids | sort >"$WORK/server"
local_msg_ids | sort >"$WORK/local"
lost=$(comm -23 "$WORK/local" <(sort -u "$WORK/server") | wc -l)
dups=$(uniq -d "$WORK/server" | wc -l)
left=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state NOT IN ('done')")
integ=$(sql "$DB" "PRAGMA integrity_check")
[ "$integ" = ok ] || integ=bad
echo "($((  $(date +%s) - t0 )) s; $busy second pushers refused;" \
    "$left actions not done; queued $n)"
echo "kills $kills, actions $(wc -l <"$WORK/local"), lost $lost," \
    "duplicated $dups, integrity $integ"
