#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk stats on a small desk built with `tdesk import`, against numbers
# worked out by hand; an empty desk; the output formats.
. "$(dirname "$0")/lib.sh"

export TDESK_NOW=2026-01-10T00:00:00Z
D=$WORK/stats.db
cat >"$WORK/page.json" <<'JSON'
{"tickets":[
 {"id":1,"subject":"deposit missing","status":"solved","requester_id":2,"assignee_id":1,
  "via":{"channel":"email"},"created_at":"2026-01-09T00:00:00Z","updated_at":"2026-01-09T10:00:00Z"},
 {"id":2,"subject":"withdrawal stuck","status":"open","requester_id":2,"assignee_id":1,
  "via":{"channel":"web"},"created_at":"2026-01-09T12:00:00Z","updated_at":"2026-01-09T15:00:00Z",
  "slas":{"policy_metrics":[{"metric":"first_reply_time","stage":"active","breach_at":"2026-01-09T14:00:00Z"}]}},
 {"id":3,"subject":"kyc pending","status":"pending","requester_id":2,"assignee_id":0,
  "via":{"channel":"web"},"created_at":"2026-01-08T00:00:00Z","updated_at":"2026-01-08T00:00:00Z",
  "slas":{"policy_metrics":[{"metric":"next_reply_time","stage":"active","breach_at":"2026-01-11T00:00:00Z"}]}},
 {"id":4,"subject":"old one","status":"solved","requester_id":2,"assignee_id":1,
  "via":{"channel":"email"},"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T05:00:00Z"},
 {"id":5,"subject":"api key","status":"closed","requester_id":2,"assignee_id":1,
  "via":{"channel":"email"},"created_at":"2026-01-09T06:00:00Z","updated_at":"2026-01-09T08:00:00Z"}],
 "users":[{"id":1,"name":"Ann Agent","email":"ann@example.com","role":"agent"},
          {"id":2,"name":"Carl Customer","email":"carl@example.com","role":"end-user"}]}
JSON
comments() { # ticket, then author:ISO pairs
	local t=$1 i=0 sep= c; shift
	{
		printf '{"comments":['
		for c in "$@"; do
			i=$((i + 1))
			printf '%s{"id":%d,"author_id":%s,"body":"x","public":true,"created_at":"%s"}' \
			    "$sep" $((t * 100 + i)) "${c%%@*}" "${c#*@}"
			sep=,
		done
		printf ']}'
	} >"$WORK/c$t.json"
	tdesk -d "$D" import --comments "$t" "$WORK/c$t.json" >/dev/null 2>&1
}
expect_code 0 "import" tdesk -d "$D" import "$WORK/page.json"
comments 1 2@2026-01-09T00:00:00Z 1@2026-01-09T01:00:00Z
comments 2 2@2026-01-09T12:00:00Z 1@2026-01-09T15:00:00Z
comments 3 2@2026-01-08T00:00:00Z
comments 5 1@2026-01-09T06:30:00Z
sql "$D" "INSERT OR REPLACE INTO sync_state VALUES('me.id', '1')"
# ticket 1 was answered with a macro (an outbox action of kind macro)
sql "$D" "INSERT INTO outbox(client_id, ticket_id, kind, state,
    created_at) VALUES('c-1', 1, 'macro', 'done', 0)"

expect_code 0 "stats --json" tdesk -d "$D" stats --json --since 7d --by channel
j=$(last_out)
get() { printf '%s' "$j" | pj "$1"; }
# in the period (since Jan 3): tickets 1, 2, 3, 5
expect_eq "created" "$(get 'd["desk"]["created"]')" 4
expect_eq "solved" "$(get 'd["desk"]["solved"]')" 2
expect_eq "open" "$(get 'd["desk"]["open"]')" 2
# first replies 1h, 3h, 30m: median 1h, p90 (nearest rank 3 of 3) 3h
expect_eq "first reply median" "$(get 'd["desk"]["first_reply_median_s"]')" 3600
expect_eq "first reply p90" "$(get 'd["desk"]["first_reply_p90_s"]')" 10800
# resolutions 10h and 2h: median 6h, p90 10h
expect_eq "resolution median" "$(get 'd["desk"]["resolution_median_s"]')" 21600
expect_eq "resolution p90" "$(get 'd["desk"]["resolution_p90_s"]')" 36000
# ticket 2 replied after its target, ticket 3's target is ahead
expect_eq "SLA" "$(get '(d["desk"]["sla_total"], d["desk"]["sla_breached"])')" "(2, 1)"
expect_eq "no ratings in this replica" "$(get 'd["desk"]["satisfaction"]')" None
expect_eq "one answered by a macro" "$(get 'd["desk"]["by_macro"]')" 1
# mine (assignee 1): tickets 1, 2, 5
expect_eq "my tickets" "$(get 'd["me"]["created"]')" 3
# backlog now: tickets 2 (12h) and 3 (2d)
expect_eq "backlog" "$(get '(d["backlog"]["open"], d["backlog"]["age_median_s"], d["backlog"]["age_p90_s"])')" \
	"(2, 108000, 172800)"
expect_eq "by channel" "$(get '[(r["key"], r["created"]) for r in d["rows"]]')" \
	"[('email', 2), ('web', 2)]"
expect_eq "daily series ends today" "$(get 'd["daily"][-3:]')" "[1, 3, 0]"

expect_code 0 "csv" tdesk -d "$D" stats --csv --by channel
expect_match "csv header" "$(last_out | head -1)" '^key,created,solved,open,'
expect_match "csv desk row" "$(last_out | sed -n 2p)" '^"\(desk\)",4,2,2,3,3600,10800,21600,36000,2,1,,,1,0,1$'
expect_code 0 "text" env NO_COLOR=1 COLUMNS=60 "$TDESK" -d "$D" stats --by channel
expect_match "text: median and p90" "$(last_out)" 'first reply median/p90 +1h / 3h'
expect_no_match "NO_COLOR: no escapes" "$(last_out)" $'\033'
check "width-aware" test "$(last_out | python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))')" -le 60
expect_code 2 "bad --by" tdesk -d "$D" stats --by colour
expect_code 2 "bad --since" tdesk -d "$D" stats --since soon

# an empty desk
echo '{"tickets":[]}' >"$WORK/none.json"
expect_code 0 "empty import" tdesk -d "$WORK/empty.db" import "$WORK/none.json"
expect_code 0 "stats over an empty desk" tdesk -d "$WORK/empty.db" stats --json
expect_eq "empty: zeros and nulls" "$(last_out | pj '(d["desk"]["created"], d["desk"]["first_reply_median_s"], d["backlog"]["open"])')" "(0, None, 0)"
expect_code 0 "empty, text" tdesk -d "$WORK/empty.db" stats --by category

done_testing
