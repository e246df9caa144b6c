#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sync benchmarks against the loopback Zendesk server; prints numbers, never
# fails on a slow day. Usage: tests/bench/sync_bench.sh [TICKETS...]
# (default 10000 100000). Environment: RATE (requests/min for the push
# bench, default 600), PUSH (replies to push, default 1000).
#  1. full sync of N tickets (comments of open ones) vs the raw transfer of
#     the same responses with curl to /dev/null, and vs `tdesk import` of
#     the same list pages (local ingest alone);
#  2. incremental sync with nothing changed (wall and CPU time);
#  3. push of PUSH replies under a rate limit RATE: achieved rate, 429s,
#     duplicates.
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/synclib.sh"

RATE=${RATE:-600}
# generating 100k tickets can take minutes on a loaded machine
export ZD_START_TENTHS=${ZD_START_TENTHS:-6000}
PUSH=${PUSH:-1000}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

now() { date +%s.%N; }
secs() { python3 -c "print('%.2f' % ($2 - $1))"; }

for N in "${sizes[@]}"; do
	echo "== full sync of $N tickets"
	rm -rf "$XDG_DATA_HOME/tdesk" "$XDG_CONFIG_HOME/tdesk"
	[ -n "${ZD_PID:-}" ] && kill "$ZD_PID" 2>/dev/null
	rm -f "$WORK/requests.log"
	sync_setup --tickets "$N" --seed 7 --rate-limit 10000000 \
	    --request-log "$WORK/requests.log"
	: >"$WORK/requests.log"	# from here on: the sync's requests
	t0=$(now)
	/usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$TDESK" sync --pull --json \
	    >"$WORK/sync.json"
	t1=$(now)
	read -r wall user sys rss <"$WORK/time"
	echo "tdesk sync:      $(secs "$t0" "$t1") s wall, $user s user," \
	    "$sys s sys, ${rss} KB peak; $(cat "$WORK/sync.json")"
	# every GET of the sync again (the server's request log file has no
	# cap), with one curl reusing its connection
	awk -v base="$ZD_URL" '$1 == "GET" && $2 != "users.me" {
	    printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", base, $3 }' \
	    "$WORK/requests.log" >"$WORK/curl.cfg"
	nreq=$(grep -c '^url' "$WORK/curl.cfg")
	nsync=$(awk '$1 == "GET"' "$WORK/requests.log" | wc -l)
	t0=$(now)
	curl -s -u "$ZD_EMAIL/token:$ZD_TOKEN" -K "$WORK/curl.cfg"
	t1=$(now)
	raw=$(secs "$t0" "$t1")
	echo "raw transfer:    $raw s for the same $nreq GETs (curl, one" \
	    "connection; the sync sent $nsync GETs, users.me included)"
	# local ingest of the list pages alone
	mkdir -p "$WORK/pages"
	python3 "$ZD_SERVER" --tickets "$N" --seed 7 --dump-pages "$WORK/pages" \
	    >/dev/null 2>&1
	t0=$(now)
	/usr/bin/time -f "%U %S" -o "$WORK/time" "$TDESK" -d "$WORK/ingest.db" \
	    import "$WORK"/pages/* >/dev/null 2>&1
	t1=$(now)
	ing=$(secs "$t0" "$t1")
	read -r user sys <"$WORK/time"
	# on a shared machine the CPU seconds vary less than the wall time
	echo "local ingest:    $ing s (tdesk import of the list pages)," \
	    "$user s user, $sys s sys"
	sync_s=$(python3 -c "import json; print(json.load(open('$WORK/sync.json'))['duration_ms']/1000)")
	python3 -c "print('ratio sync / max(raw, ingest): %.2f (target <= 1.3)' % ($sync_s / max($raw, $ing)))"
	rm -rf "$WORK/pages" "$WORK/ingest.db"*

	echo "== incremental sync, nothing changed ($N tickets)"
	for i in 1 2 3 4 5; do
		/usr/bin/time -f "%e %U %S" -o "$WORK/time" "$TDESK" sync --json \
		    >"$WORK/inc.json"
		read -r wall user sys <"$WORK/time"
		echo "run $i: ${wall} s wall, cpu $(python3 -c "print('%.0f' % (($user + $sys) * 1000))") ms;" \
		    "$(cat "$WORK/inc.json")"
	done
done

echo "== push of $PUSH replies under a rate limit of $RATE/min"
rm -rf "$XDG_DATA_HOME/tdesk" "$XDG_CONFIG_HOME/tdesk"
[ -n "${ZD_PID:-}" ] && kill "$ZD_PID" 2>/dev/null
sync_setup --tickets $((PUSH * 4)) --seed 9 --rate-limit 10000000
tdesk sync --pull >/dev/null
ids=$(sql "$DB" "SELECT id FROM tickets WHERE status IN ('new', 'open') \
	ORDER BY id LIMIT $PUSH")
tdesk reply --yes -m "bench reply" $ids >/dev/null 2>&1
queued=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")
zd_admin rate_limit "{\"per_minute\":$RATE}" >/dev/null
# empty the server's bucket first, so the push runs at the steady rate
for i in $(seq 1 "$RATE"); do
	printf 'url = "%s/api/v2/users/me.json"\noutput = "/dev/null"\n' "$ZD_URL"
done >"$WORK/drain.cfg"
curl -s -u "$ZD_EMAIL/token:$ZD_TOKEN" -K "$WORK/drain.cfg"
st=$(zd_state tickets=none)
before=$(printf %s "$st" | pj 'd["requests_total"]')
n429_before=$(printf %s "$st" | pj 'd["rate_limited"]')
t0=$(now)
tdesk sync --push --json >"$WORK/push.json"
t1=$(now)
st=$(zd_state tickets=none)
after=$(printf %s "$st" | pj 'd["requests_total"]')
n429=$(( $(printf %s "$st" | pj 'd["rate_limited"]') - n429_before ))
dups=$(server_msg_ids | sort | uniq -d | wc -l)
took=$(secs "$t0" "$t1")
reqs=$((after - before))
echo "pushed: $(cat "$WORK/push.json") ($queued queued)"
python3 - "$reqs" "$took" "$RATE" <<'EOF'
import sys
reqs, took, rate = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
# the bucket was emptied: a perfect client sends rate/60 a second
print("requests %d in %.1f s: %.0f/min, %.0f%% of R (target >= 95%%)" %
      (reqs, took, reqs * 60.0 / took, 100.0 * reqs * 60.0 / took / rate))
EOF
echo "429s received: $n429; duplicates: $dups"
