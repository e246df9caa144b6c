# SPDX-License-Identifier: MIT
# Helpers for tests against the second Zendesk simulator (tests/zdsim2.py,
# written apart from zdserver.py). Source after lib.sh.

# sim2_start [ARGS...]: start the simulator, `tdesk init` a desk "work"
# against it. Sets SIM2_URL, SIM2_PID and DB.
sim2_start() {
	local i
	rm -f "$WORK/sim2.port"
	python3 "$TESTS_DIR/zdsim2.py" --port-file "$WORK/sim2.port" "$@" \
	    2>"$WORK/sim2.log" &
	SIM2_PID=$!
	at_exit "kill $SIM2_PID 2>/dev/null; wait $SIM2_PID 2>/dev/null"
	for i in $(seq 1 100); do
		[ -s "$WORK/sim2.port" ] && break
		sleep 0.1
	done
	[ -s "$WORK/sim2.port" ] || { fail "zdsim2 did not start"; return 1; }
	SIM2_URL="http://127.0.0.1:$(cat "$WORK/sim2.port")"
	export ZT=sim2-token
	"$TDESK" init --desk work --url "$SIM2_URL" --email agent@example.com \
	    --token-env ZT >/dev/null || { fail "tdesk init"; return 1; }
	DB=$XDG_DATA_HOME/tdesk/work.db
	export TDESK_SYNC_LOW_SPEED_TIME=2 TDESK_SYNC_MAX_WAIT=2
}

# sim2 WHAT [JSON]: a control request (state, faults, customer, touch,
# delete, merge, release, log); prints the answer
sim2() {
	if [ $# -gt 1 ]; then
		curl -sS -m 10 -X POST -H 'Content-Type: application/json' \
		    --data-binary "$2" "$SIM2_URL/_sim/$1"
	else
		curl -sS -m 10 "$SIM2_URL/_sim/$1"
	fi
}

# sim2_faults JSON-LIST: replace the fault rules
sim2_faults() { sim2 faults "{\"faults\":$1}" >/dev/null; }

# sim2_ids: every client id the simulator holds in an audit, one a line
sim2_ids() {
	sim2 state | python3 -c 'import json,sys
d=json.load(sys.stdin)
for t in d["tickets"]:
    for c in t["client_ids"]: print(c)'
}

# sim2_mine N: ids of N tickets assigned to the agent and still open
sim2_mine() {
	sim2 state | python3 -c 'import json,sys
d=json.load(sys.stdin)
print(" ".join(str(t["id"]) for t in d["tickets"] if t["assignee_id"] ==
    d["agent_id"] and t["status"] in ("new", "open") and not t["deleted"]
    ))' | tr ' ' '\n' | head -n "$1" | paste -sd' '
}

# the outbox rows still to send: pending or in flight, and not waiting
# behind a conflict on their ticket (those wait for the agent)
SIM2_TODO="FROM outbox o WHERE state IN ('pending', 'inflight') AND NOT
    EXISTS (SELECT 1 FROM outbox c WHERE c.ticket_id = o.ticket_id AND
    c.state = 'conflict' AND c.id < o.id)"

# sim2_tally: "lost L duplicated D" over every action in the outbox, as the
# simulator's audits hold them (a done, pending or in-flight action must be
# there exactly once; a failed or conflicting one, or one waiting behind a
# conflict, at most once)
sim2_tally() {
	sim2_ids >"$WORK/sim2.ids"
	sql "$DB" "SELECT client_id, CASE WHEN id IN (SELECT id $SIM2_TODO)
	    OR state <> 'pending' THEN state ELSE 'waiting' END
	    FROM outbox" >"$WORK/sim2.local"
	python3 - "$WORK/sim2.ids" "$WORK/sim2.local" <<'PY'
import collections, sys
have = collections.Counter(l.strip() for l in open(sys.argv[1]) if l.strip())
lost = dup = 0
for line in open(sys.argv[2]):
    cid, state = line.rstrip("\n").split("|")
    n = have.get(cid, 0)
    dup += max(0, n - 1)
    if n == 0 and state not in ("failed", "conflict", "waiting"):
        lost += 1
print("lost %d duplicated %d" % (lost, dup))
PY
}

# sim2_until_empty N: sync up to N times until nothing is pending or in
# flight (faults may leave work for the next run)
sim2_until_empty() {
	local i
	for i in $(seq 1 "$1"); do
		timeout 60 "$TDESK" sync >/dev/null 2>>"$WORK/sim2.sync.err"
		[ "$(sql "$DB" "SELECT count(*) $SIM2_TODO")" = 0 ] && return 0
	done
	return 1
}

# sim2_kill_at REGEX SECONDS: start tdesk sync, wait (10 s at most) for a
# request matching REGEX ("PUT /api/v2/tickets/12") to reach the
# simulator, then SIGKILL tdesk by its own pid SECONDS later
sim2_kill_at() {
	local pid i
	sim2 log >/dev/null
	"$TDESK" sync >/dev/null 2>&1 & pid=$!
	for i in $(seq 1 100); do
		sim2 log | grep -Eq "$1" && break
		sleep 0.1
	done
	sleep "$2"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
