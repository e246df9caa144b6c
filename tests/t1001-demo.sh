#!/usr/bin/env bash
# tdesk demo makes a realistic desk offline, reuses it, and the queue and
# JSON output over it are what a script expects.
. "$(dirname "$0")/lib.sh"

expect_code 0 "demo creates the desk" tdesk demo
path=$(last_out)
expect_eq "demo prints the desk's path when not on a terminal" "$path" "$XDG_DATA_HOME/tdesk/demo.db"
check "the replica exists" test -f "$path"
n=$(sql "$path" "SELECT count(*) FROM tickets")
check "a few hundred tickets ($n)" test "$n" -ge 200
expect_eq "both languages" "$(sql "$path" "SELECT count(DISTINCT lang) >= 2 FROM tickets")" 1
expect_eq "some Chinese tickets" "$(sql "$path" "SELECT count(*) > 50 FROM tickets WHERE lang = 'zh'")" 1
expect_eq "comments: public replies and internal notes" \
	"$(sql "$path" "SELECT count(DISTINCT public) FROM comments")" 2
expect_eq "some SLA targets breached" \
	"$(sql "$path" "SELECT count(*) > 0 FROM tickets WHERE sla_breach_at < strftime('%s','now') AND status_rank < 4")" 1
expect_eq "VIP requesters" "$(sql "$path" "SELECT count(*) > 0 FROM tickets WHERE vip")" 1
expect_eq "several channels" "$(sql "$path" "SELECT count(DISTINCT channel) >= 4 FROM tickets")" 1
expect_eq "no raw escape byte reached the replica" \
	"$(sql "$path" "SELECT count(*) FROM tickets t LEFT JOIN comments c ON c.ticket_id = t.id WHERE instr(t.subject || t.description || coalesce(c.body, ''), char(27)) OR instr(t.subject || coalesce(c.body, ''), char(8238))")" 0
expect_eq "integrity" "$(sql "$path" "PRAGMA integrity_check")" ok
expect_eq "WAL mode" "$(sql "$path" "PRAGMA journal_mode")" wal

# reusing the desk changes nothing
before=$(sql "$path" "SELECT count(*), max(id) FROM tickets")
expect_code 0 "demo again" tdesk demo
expect_eq "the desk is reused" "$(sql "$path" "SELECT count(*), max(id) FROM tickets")" "$before"

# the default list: active tickets, most urgent first
expect_code 0 "list" tdesk -d demo list
out=$(last_out)
expect_eq "list shows every active ticket" "$(printf '%s\n' "$out" | wc -l)" \
	"$(sql "$path" "SELECT count(*) FROM tickets WHERE status_rank < 4")"
first=$(printf '%s\n' "$out" | head -1 | awk '{print $1}')
# (security incidents first, then breached SLAs, VIPs, urgency: triage)
expect_eq "the first row breaches first" "$first" \
	"$(sql "$path" "SELECT id FROM tickets WHERE status_rank < 4 ORDER BY incident DESC, sla_breach_at <= strftime('%s', 'now') DESC, vip DESC, urgent DESC, sla_breach_at, priority_rank DESC, created_at, id LIMIT 1")"

# JSON: stable field names
expect_code 0 "list --json" tdesk -d demo list --json --limit 3
json=$(last_out)
keys=$(printf '%s' "$json" | python3 -c 'import json,sys; a=json.load(sys.stdin); print(len(a), ",".join(a[0].keys()))')
expect_eq "three objects with the documented fields" "$keys" \
	"3 id,subject,status,priority,requester,assignee,group,tags,channel,lang,vip,urgent,created_at,updated_at,sla_breach_at,pending,conflict,category,security_incident,new,waiting_since"
expect_code 0 "empty result as JSON" tdesk -d demo list --json "tag:no-such-tag"
expect_eq "an empty array" "$(last_out)" "[]"

# --reset makes it anew
expect_code 0 "demo --reset" tdesk demo --reset
expect_eq "same size after reset" "$(sql "$path" "SELECT count(*) FROM tickets")" "$n"
done_testing
