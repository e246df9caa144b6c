#!/usr/bin/env bash
# The audit trail: every agent action is one row chained by hash to the
# one before (queued, edited, dropped, guard override, sent, failed,
# conflict resolved); tdesk audit lists them (--since, --json); tdesk audit
# verify says ok, or names the first row edited, deleted or inserted.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 20 --seed 6
tdesk sync >/dev/null 2>&1 || fail "first sync"
set -- $(my_open_ids 3)
a=$1 b=$2 c=$3
expect_code 0 "reply" tdesk reply -m "Thanks, looking into it." "$a"
expect_code 0 "note" tdesk note -m "checked the ledger" "$b"
expect_code 0 "set" tdesk set "$c" status=pending
expect_code 0 "override" tdesk reply --override "drill" -m "Call +1 415 555 0100" "$b"
drop=$(sql "$DB" "SELECT id FROM outbox WHERE ticket_id = $c ORDER BY id DESC LIMIT 1")
expect_code 0 "drop" tdesk outbox drop --yes "$drop"
expect_eq "dropped" "$(sql "$DB" "SELECT count(*) FROM outbox WHERE id = $drop")" 0
expect_code 0 "sync sends" tdesk sync
expect_eq "actions" "$(sql "$DB" "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit ORDER BY id)")" \
	"reply note update guard-override reply drop sent sent sent"
expect_eq "every row chained" "$(sql "$DB" "SELECT count(*) FROM audit a JOIN audit p ON p.id = a.id - 1 WHERE a.prev <> p.hash")" 0
expect_eq "hashes present" "$(sql "$DB" "SELECT count(*) FROM audit WHERE length(hash) <> 64")" 0
expect_code 0 "verify" tdesk audit verify
expect_match "says ok" "$(last_out)" "^ok: 9 rows"

expect_code 0 "list" tdesk audit
expect_match "list shows actions and tickets" "$(last_out)" "guard-override +#$b blocked by phone-number; overridden: drill"
expect_code 0 "--json" tdesk audit --json
check "--json is a JSON list with hashes" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert len(rows) == 9 and all(len(r["hash"]) == 64 for r in rows), rows
assert rows[1]["prev"] == rows[0]["hash"]
' "$(last_out)"
sql "$DB" "UPDATE audit SET at = at - 7200 WHERE id <= 3"
expect_code 0 "--since" tdesk audit --since 1h
expect_eq "--since leaves out older rows" "$(last_out | wc -l)" 6
expect_code 1 "moving a row's time breaks the chain" tdesk audit verify
expect_match "and names the first broken row" "$(last_out)" "broken at row 1"
sql "$DB" "UPDATE audit SET at = at + 7200 WHERE id <= 3"
expect_code 0 "restored" tdesk audit verify

sql "$DB" "UPDATE audit SET detail = 'reply: nothing to see' WHERE id = 5"
expect_code 1 "an edited row" tdesk audit verify
expect_match "names row 5" "$(last_out)" "broken at row 5"
sql "$DB" "DELETE FROM audit WHERE id = 5"
expect_code 1 "a deleted row" tdesk audit verify
expect_match "names the row after it" "$(last_out)" "broken at row 6"

# an action and its audit row are written together: a failing audit
# insert leaves no outbox row
sql "$DB" "CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit full'); END"
n=$(sql "$DB" "SELECT count(*) FROM outbox")
expect_code 1 "no audit, no action" tdesk reply -m "hello" "$a"
expect_eq "outbox unchanged" "$(sql "$DB" "SELECT count(*) FROM outbox")" "$n"
done_testing
