#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Chaos run of the sync against the second Zendesk simulator
# (tests/zdsim2.py), by hand (not in CI): tdesk sync is killed with SIGKILL,
# by its own pid, KILLS times while replies, notes, status and priority
# changes and tags are pending, across the simulator's fault kinds (error
# bodies in JSON/HTML/empty, 429 and 503 with Retry-After, 409, resets
# before and after the update is applied, lost answers, truncated and slow
# answers, requests applied late on a timer or after the client's next
# look) and with tickets changing, deleted and merged between list pages;
# now and then a second pusher runs beside the first. Then the faults
# stop, held requests land and syncs finish the job. Prints one line:
#   kills K, actions A, lost L, duplicated D, integrity ok|bad
# An action is lost when the server lacks its client id, or it is done
# and the tag it added is missing. Usage: tests/bench/chaos2.sh [KILLS]
# (default 120). TDESK=path/to/tdesk measures another build.
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/zdsim2lib.sh"

KILLS=${1:-120}
# SIM2_ARGS: more simulator options, e.g. --strict-tags (a single update
# drops additional_tags/remove_tags, as documented)
# shellcheck disable=SC2086
sim2_start --tickets 400 --seed 23 ${SIM2_ARGS:-} || exit 1
"$TDESK" sync >/dev/null 2>&1 || { echo "first sync failed"; exit 1; }
ids=($(sim2_mine 60))
RANDOM=2323
n=0

queue() {
	local i t
	for i in 1 2; do
		t=${ids[$((RANDOM % ${#ids[@]}))]}
		case $((RANDOM % 5)) in
		0) "$TDESK" reply -m "chaos2 reply $n" "$t" ;;
		1) "$TDESK" note -m "chaos2 note $n" "$t" ;;
		2) "$TDESK" set "$t" status=$([ $((RANDOM % 2)) = 0 ] &&
		    echo pending || echo open) ;;
		3) "$TDESK" set "$t" priority=$([ $((RANDOM % 2)) = 0 ] &&
		    echo high || echo low) ;;
		4) "$TDESK" set "$t" "+c2t$n" ;;
		esac >/dev/null 2>&1 && n=$((n + 1))
	done
	# a customer writes now and then: some replies become conflicts
	if [ $((RANDOM % 6)) = 0 ]; then
		t=${ids[$((RANDOM % ${#ids[@]}))]}
		sim2 customer "{\"ticket\":$t,\"body\":\"customer $n\"}" \
		    >/dev/null
	fi
}

P='"match":"^PUT /api/v2/tickets/[0-9]+$","p":0.35'
A='"match":"audits","p":0.2'
G='"match":"^GET /api/v2/tickets/[0-9]+$","p":0.2'
L='"match":"^GET /api/v2/users/[0-9]+/tickets/assigned$","p":0.5'
faults=(
	"{$P,\"kind\":\"status\",\"status\":500}"
	"{$P,\"kind\":\"status\",\"status\":502,\"body\":\"html\"}"
	"{$P,\"kind\":\"status\",\"status\":504,\"body\":\"empty\"}"
	"{$P,\"kind\":\"status\",\"status\":503,\"retry_after\":1}"
	"{$P,\"kind\":\"status\",\"status\":429,\"retry_after\":1}"
	"{$P,\"kind\":\"status\",\"status\":409}"
	"{$P,\"kind\":\"reset\"}"
	"{$P,\"kind\":\"reset_after\"},{$A,\"kind\":\"reset\"}"
	"{$P,\"kind\":\"lost\",\"hang_s\":3},{$G,\"kind\":\"status\",\"status\":500}"
	"{$P,\"kind\":\"slow\",\"delay_ms\":400}"
	"{$P,\"kind\":\"slow\",\"trickle\":1,\"delay_ms\":300}"
	"{$P,\"kind\":\"truncate\"},{$A,\"kind\":\"truncate\"}"
	"{$P,\"kind\":\"late\",\"delay_ms\":700}"
	"{$P,\"kind\":\"late\",\"release\":\"audits\"}"
	"{$P,\"kind\":\"late\",\"release\":\"^GET /api/v2/tickets/[0-9]+$\"}"
	"{$L,\"kind\":\"touch\"},{$P,\"kind\":\"reset_after\"}"
	"{$L,\"kind\":\"ties\"},{$P,\"kind\":\"late\",\"delay_ms\":300}"
)
per=$(( (KILLS + ${#faults[@]} - 1) / ${#faults[@]} ))
kills=0
for f in "${faults[@]}"; do
	sim2_faults "[$f]"
	mine=$((kills + per))
	for k in $(seq 1 $((4 * per))); do
		[ "$kills" -ge "$mine" ] && break
		queue
		"$TDESK" sync >/dev/null 2>&1 & pid=$!
		pid2=
		if [ $((RANDOM % 8)) = 0 ]; then
			"$TDESK" sync >/dev/null 2>&1 & pid2=$!
		fi
		sleep "0.$((RANDOM % 7))$((RANDOM % 10))"
		if kill -9 "$pid" 2>/dev/null; then
			kills=$((kills + 1))
		fi
		wait "$pid" 2>/dev/null
		[ -n "$pid2" ] && wait "$pid2" 2>/dev/null
	done
done
sim2_faults "[]"
sim2 release >/dev/null
sleep 1
sim2_until_empty 10 || echo "the outbox did not empty" >&2
integrity=$(sql "$DB" "PRAGMA integrity_check")
[ "$integrity" = ok ] || integrity=bad
actions=$(sql "$DB" "SELECT count(*) FROM outbox")
tally=$(sim2_tally)
set -- $tally
# a tag added by an action marked done must be on the server (each
# c2tN tag is added once and never removed): else that action was lost
sim2 state >"$WORK/state.json"
sql "$DB" "SELECT ticket_id, add_tags FROM outbox WHERE state = 'done'
    AND add_tags LIKE 'c2t%'" >"$WORK/tags.txt"
tags_lost=$(python3 - "$WORK/state.json" "$WORK/tags.txt" <<'PY'
import json, sys
have = {t["id"]: set(t["tags"]) for t in json.load(open(sys.argv[1]))["tickets"]}
print(sum(1 for line in open(sys.argv[2])
          if line.split("|")[1].strip() not in have.get(int(line.split("|")[0]), ())))
PY
)
echo "kills $kills, actions $actions, lost $(($2 + tags_lost)), duplicated $4," \
    "integrity $integrity"
sql "$DB" "SELECT state, count(*) FROM outbox GROUP BY 1" | tr '\n' ' ' >&2
echo >&2
_fails=0
