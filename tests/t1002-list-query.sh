#!/usr/bin/env bash
# tdesk list with the query language over the demo desk: filters, counts,
# Chinese and English search, orders, and clear errors for bad queries.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db

count() { tdesk list --count "$@"; }
expect_eq "status:open counts what the replica holds" "$(count status:open)" \
	"$(sql "$db" "SELECT count(*) FROM tickets WHERE status = 'open'")"
expect_eq "priority>=high" "$(count 'priority>=high')" \
	"$(sql "$db" "SELECT count(*) FROM tickets WHERE priority IN ('high','urgent')")"
expect_eq "negated tag" "$(count -- -tag:vip)" \
	"$(sql "$db" "SELECT count(*) FROM tickets WHERE tags NOT LIKE '% vip %'")"
expect_eq "lang:zh" "$(count lang:zh)" "$(sql "$db" "SELECT count(*) FROM tickets WHERE lang = 'zh'")"
expect_eq "vip:yes" "$(count vip:yes)" "$(sql "$db" "SELECT count(*) FROM tickets WHERE vip")"
expect_eq "assignee:me" "$(count assignee:me)" \
	"$(sql "$db" "SELECT count(*) FROM tickets WHERE assignee_id = (SELECT value FROM sync_state WHERE key = 'me.id')")"
mine=$(count assignee:me)
check "most demo tickets are mine ($mine)" test "$mine" -gt 100

# Chinese full text: every ticket whose subject or conversation has 提现
want=$(sql "$db" "SELECT count(*) FROM tickets t WHERE instr(t.subject || t.description, '提现') OR EXISTS (SELECT 1 FROM comments c WHERE c.ticket_id = t.id AND instr(c.body, '提现'))")
expect_eq "Chinese search finds every ticket mentioning 提现" "$(count '' 提现)" "$want"
check "and there are some ($want)" test "$want" -gt 0
want=$(sql "$db" "SELECT count(*) FROM tickets t WHERE t.subject || t.description LIKE '%withdrawal%' OR EXISTS (SELECT 1 FROM comments c WHERE c.ticket_id = t.id AND c.body LIKE '%withdrawal%')")
got=$(count '' withdrawal)
check "English search finds withdrawal tickets ($got of about $want)" test "$got" -gt 0 -a "$got" -le "$want"

# order by updated
expect_code 0 "order updated" tdesk list --order updated --json --limit 5 status:open
check "newest first" python3 -c '
import json,sys
a=json.load(open(sys.argv[1]))
assert [t["updated_at"] for t in a]==sorted([t["updated_at"] for t in a],reverse=True), a' "$WORK/.out"

# errors: exit 2, one line naming the column
expect_code 2 "unknown field" tdesk list "status:open colour:red"
expect_eq "message" "$(last_err)" "tdesk: query:13: unknown field 'colour' (try status, priority, tag, group, assignee, requester, lang, channel, vip, updated, sla, category, is)"
expect_code 2 "bad status" tdesk list "status<fixed"
expect_match "names the value" "$(last_err)" "unknown status 'fixed'"
expect_code 2 "bad option" tdesk list --colour
expect_code 3 "unknown desk" tdesk -d nosuchdesk list
expect_match "says how to make one" "$(last_err)" "no desk 'nosuchdesk'.*tdesk demo"

# show: fields and the conversation, notes marked
id=$(sql "$db" "SELECT ticket_id FROM comments WHERE public = 0 LIMIT 1")
expect_code 0 "show" tdesk show "$id"
expect_match "header" "$(last_out)" "^#$id "
expect_match "internal notes are marked in text" "$(last_out)" "\[internal note\]"
expect_code 0 "show --json" tdesk show --json "$id"
check "show --json parses, with comments" python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); assert d["ticket"]["id"]==int(sys.argv[2]); assert any(not c["public"] for c in d["comments"])' "$WORK/.out" "$id"
expect_code 3 "show unknown ticket" tdesk show 999999
expect_eq "one clear line" "$(last_err)" "tdesk: no ticket 999999 in desk 'demo'"
expect_code 2 "show needs an id" tdesk show abc
done_testing
