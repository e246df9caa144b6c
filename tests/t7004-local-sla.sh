#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Local SLA policies (sla: in config.yaml) for tickets the helpdesk sends
# no SLA for: first reply and next reply targets per priority, counted
# from the customer's oldest unanswered message, in business hours when
# given; the helpdesk's own targets win; a bad policy is refused at its
# file:line:col.
. "$(dirname "$0")/lib.sh"

export TDESK_NOW=2026-01-12T12:00:00Z	# a Monday
D=$WORK/sla.db
mkdir -p "$XDG_CONFIG_HOME/tdesk"
cat >"$XDG_CONFIG_HOME/tdesk/config.yaml" <<'YAML'
sla:
  first_reply: { normal: 2h, urgent: 30m }
  next_reply: { normal: 4h }
  business_hours: { days: mon-fri, from: "09:00", to: "18:00" }
YAML
cat >"$WORK/page.json" <<'JSON'
{"tickets":[
 {"id":1,"subject":"a","status":"open","priority":"normal","requester_id":2,
  "created_at":"2026-01-09T17:00:00Z","updated_at":"2026-01-09T17:00:00Z"},
 {"id":2,"subject":"b","status":"open","priority":"urgent","requester_id":2,
  "created_at":"2026-01-12T10:00:00Z","updated_at":"2026-01-12T10:00:00Z"},
 {"id":3,"subject":"c","status":"open","priority":"normal","requester_id":2,
  "created_at":"2026-01-12T09:00:00Z","updated_at":"2026-01-12T10:00:00Z"},
 {"id":4,"subject":"d","status":"open","priority":"normal","requester_id":2,
  "created_at":"2026-01-12T09:00:00Z","updated_at":"2026-01-12T11:00:00Z"},
 {"id":5,"subject":"e","status":"open","priority":"normal","requester_id":2,
  "created_at":"2026-01-12T09:00:00Z","updated_at":"2026-01-12T09:00:00Z",
  "slas":{"policy_metrics":[{"metric":"first_reply_time","stage":"active","breach_at":"2026-01-20T00:00:00Z"}]}}],
 "users":[{"id":1,"name":"Ann","email":"ann@example.com","role":"agent"},
          {"id":2,"name":"Carl","email":"carl@example.com","role":"end-user"}]}
JSON
comments() { # ticket, then author@ISO ...
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
comments 1 2@2026-01-09T17:00:00Z
comments 2 2@2026-01-12T10:00:00Z
comments 3 2@2026-01-12T09:00:00Z 1@2026-01-12T10:00:00Z
comments 4 2@2026-01-12T09:00:00Z 1@2026-01-12T10:00:00Z 2@2026-01-12T11:00:00Z
comments 5 2@2026-01-12T09:00:00Z
sla_of() { tdesk -d "$D" list --json "#$1" | pj 'd[0]["sla_breach_at"]'; }
# Friday 17:00 + 2 business hours: 1h on Friday, 1h on Monday
expect_eq "first reply over a weekend" "$(sla_of 1)" 2026-01-12T10:00:00Z
expect_eq "urgent: 30m" "$(sla_of 2)" 2026-01-12T10:30:00Z
expect_eq "answered: no target" "$(sla_of 3)" None
expect_eq "next reply from the unanswered message" "$(sla_of 4)" 2026-01-12T15:00:00Z
expect_eq "the helpdesk's target wins" "$(sla_of 5)" 2026-01-20T00:00:00Z
expect_eq "breached ones are breached" "$(tdesk -d "$D" list --count sla:breached)" 2
expect_eq "the customer's wait" "$(tdesk -d "$D" list --json "#1" | pj 'd[0]["waiting_since"]')" 2026-01-09T17:00:00Z

# without business hours, after the rules run again
cat >"$XDG_CONFIG_HOME/tdesk/config.yaml" <<'YAML'
sla:
  first_reply: { normal: 2h }
YAML
expect_code 0 "re-run" tdesk -d "$D" classify --desk
expect_eq "round the clock" "$(sla_of 1)" 2026-01-09T19:00:00Z

# mistakes
printf 'sla:\n  first_reply: { normal: soon }\n' >"$XDG_CONFIG_HOME/tdesk/config.yaml"
expect_code 2 "bad duration" tdesk -d "$D" list
expect_match "at its place" "$(last_err)" "config.yaml:2:26: 'soon' is not a duration"
printf 'sla:\n  business_hours: { from: "18:00", to: "09:00" }\n' >"$XDG_CONFIG_HOME/tdesk/config.yaml"
expect_code 2 "hours backwards" tdesk -d "$D" list
expect_match "explained" "$(last_err)" "'to' must be after 'from'"
done_testing
