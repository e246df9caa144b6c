#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sync against the second Zendesk simulator (tests/zdsim2.py, written from
# the API reference apart from zdserver.py): a first pull while tickets
# change, are deleted and merged between pages; every fault kind on the
# push (error bodies in JSON, HTML and empty, 429/503 with Retry-After,
# 409, resets before and after the update is applied, lost answers,
# truncated and slow answers, requests applied late); SIGKILLs of tdesk by
# its own pid mid-push; and the permanent refusals with their messages.
# Every action must land exactly once.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/zdsim2lib.sh"

sim2_start --tickets 250 --seed 11 || done_testing
LIST='"match":"^GET /api/v2/users/[0-9]+/tickets/assigned$"'
PUT='"match":"^PUT /api/v2/tickets/[0-9]+$"'

# --- the first pull: a ticket is updated and one deleted between pages
sim2_faults "[{$LIST,\"kind\":\"touch\",\"n\":1},
    {$LIST,\"kind\":\"delete\",\"n\":1}]"
expect_code 0 "first sync while tickets change" tdesk sync
sim2_faults "[]"
expect_code 0 "second sync" tdesk sync
sim2 state >"$WORK/st.json"
sql "$DB" "SELECT id, updated_at, status FROM tickets" >"$WORK/rep.txt"
got=$(python3 - "$WORK/st.json" "$WORK/rep.txt" <<'PY'
import calendar, json, sys, time
d = json.load(open(sys.argv[1]))
rep = {}
for line in open(sys.argv[2]):
    i, u, s = line.rstrip("\n").split("|")
    rep[int(i)] = (int(u), s)
bad = []
for t in d["tickets"]:
    if t["assignee_id"] != d["agent_id"]:
        continue
    if t["deleted"]:
        continue
    u = calendar.timegm(time.strptime(t["updated_at"], "%Y-%m-%dT%H:%M:%SZ"))
    if rep.get(t["id"]) != (u, t["status"]):
        bad.append(t["id"])
print("bad %s" % bad)
PY
)
expect_eq "the replica holds the server's tickets after two syncs" \
    "$got" "bad []"

ids=($(sim2_mine 12))
queue3() {
	local t
	for t in "$@"; do
		"$TDESK" reply -m "reply to $t" "$t" >/dev/null 2>&1 &&
		"$TDESK" note -m "note on $t" "$t" >/dev/null 2>&1 &&
		"$TDESK" set "$t" +sim2 >/dev/null 2>&1 || fail "queue on $t"
	done
}

# --- libcurl resent a PUT by itself when the connection died after the
# server applied it; on the stamp's own second safe_update let it land
# twice (fixed in sync/http.c: a PUT goes on a fresh connection)
queue3 "${ids[0]}" "${ids[1]}" "${ids[2]}"
rules=
for t in "${ids[0]}" "${ids[1]}" "${ids[2]}"; do
	rules="$rules${rules:+,}{\"match\":\"^PUT /api/v2/tickets/$t\$\",
	    \"kind\":\"reset_after\",\"skip\":1,\"n\":1}"
done
sim2_faults "[$rules]"
check "reset after applying: the outbox empties" sim2_until_empty 3
expect_eq "reset after applying: nothing lost or duplicated" \
    "$(sim2_tally)" "lost 0 duplicated 0"

# --- every fault kind once, in turn, on the push
queue3 "${ids[3]}" "${ids[4]}" "${ids[5]}" "${ids[6]}" "${ids[7]}"
sim2_faults "[{$PUT,\"kind\":\"status\",\"status\":500,\"n\":1},
    {$PUT,\"kind\":\"status\",\"status\":500,\"body\":\"html\",\"n\":1},
    {$PUT,\"kind\":\"status\",\"status\":502,\"body\":\"empty\",\"n\":1},
    {$PUT,\"kind\":\"status\",\"status\":503,\"retry_after\":1,\"n\":1},
    {$PUT,\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"n\":1},
    {$PUT,\"kind\":\"status\",\"status\":409,\"n\":1},
    {$PUT,\"kind\":\"reset\",\"n\":1},
    {$PUT,\"kind\":\"reset_after\",\"n\":1},
    {$PUT,\"kind\":\"lost\",\"hang_s\":4,\"n\":1},
    {$PUT,\"kind\":\"truncate\",\"n\":1},
    {$PUT,\"kind\":\"slow\",\"delay_ms\":300,\"n\":1},
    {$PUT,\"kind\":\"late\",\"delay_ms\":500,\"n\":1},
    {$PUT,\"kind\":\"late\",\"release\":\"audits\",\"n\":1},
    {$PUT,\"kind\":\"late\",\"release\":\"^GET /api/v2/tickets/[0-9]+$\",
     \"n\":1},
    {\"match\":\"audits\",\"kind\":\"truncate\",\"n\":1}]"
check "every fault kind: the outbox empties" sim2_until_empty 4
sim2 release >/dev/null
expect_eq "every fault kind: nothing lost or duplicated" \
    "$(sim2_tally)" "lost 0 duplicated 0"
left=$(sim2 state | pj '[f.get("n") for f in d["faults"]]')
expect_eq "every fault was met" "$left" "$(python3 -c 'print([0] * 15)')"

# --- SIGKILL by pid while PUTs are slow or applied late
queue3 "${ids[8]}" "${ids[9]}" "${ids[10]}"
sim2_faults "[{$PUT,\"kind\":\"late\",\"delay_ms\":400,\"p\":0.3},
    {$PUT,\"kind\":\"slow\",\"delay_ms\":700}]"
for k in 1 2 3 4; do
	sim2_kill_at '"PUT ' "0.$((k * 2))"
done
sim2_faults "[]"
sim2 release >/dev/null
check "after the kills: the outbox empties" sim2_until_empty 3
expect_eq "after the kills: nothing lost or duplicated" \
    "$(sim2_tally)" "lost 0 duplicated 0"

# --- permanent refusals: deleted, merged (closed), 422, 403
t=${ids[11]}
m=$(sim2_mine 14 | awk '{print $14}')
for x in "${ids[0]}" "${ids[1]}" "$t"; do
	"$TDESK" reply -m "to $x" "$x" >/dev/null 2>&1 || fail "reply to $x"
done
sim2 delete "{\"ticket\":${ids[0]}}" >/dev/null
sim2 merge "{\"ticket\":${ids[1]},\"into\":$m}" >/dev/null
sim2_faults "[{\"match\":\"^PUT /api/v2/tickets/$t\$\",\"kind\":\"status\",
    \"status\":422}]"
expect_code 6 "refused actions: exit 6" tdesk sync
expect_match "refused actions are named" "$(last_err)" "3 actions were refused"
out=$(tdesk outbox)
expect_match "a deleted ticket: said so" "$out" \
    "failed: ticket ${ids[0]} is not on the server \(deleted, or no longer visible to you\): HTTP 404: Not found"
expect_match "a merged ticket: closed" "$out" \
    "failed: HTTP 422: .*closed prevents ticket update"
expect_match "a 422: the server's details" "$out" \
    "Simulated validation failure"
sim2_faults "[]"

# --- a server that keeps answering 503: the work waits, and the message
# says what the server answered
"$TDESK" note -m "in a 503 storm" "${ids[2]}" >/dev/null 2>&1
sim2_faults "[{$PUT,\"kind\":\"status\",\"status\":503,\"retry_after\":1}]"
expect_code 5 "a 503 storm: exit 5" tdesk sync
expect_match "a 503 storm: the last answer is named" "$(last_err)" \
    "kept failing \(last: HTTP 503: Service unavailable"
sim2_faults "[]"
check "after the storm: the outbox empties" sim2_until_empty 2

# --- credentials
ZT=wrong expect_code 7 "a wrong token: exit 7" tdesk sync
expect_match "a wrong token: said so" "$(last_err)" \
    "refused the credentials.*Couldn't authenticate you"
expect_eq "in the end: nothing lost or duplicated" \
    "$(sim2_tally)" "lost 0 duplicated 0"
done_testing
