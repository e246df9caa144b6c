#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Traditional and simplified Chinese find each other: a ticket written
# 提現 is found by 提现 and the other way round, in list, --count and the
# FAQ search; a desk indexed before (schema 16) has its Chinese tickets,
# and only those, indexed again and its FAQ answers reloaded.
. "$(dirname "$0")/lib.sh"

db=$WORK/t.db
python3 - "$WORK/p.json" <<'PY'
import json, sys
def t(i, s, d):
    return {"id": i, "subject": s, "description": d, "status": "open",
            "priority": "normal", "requester_id": 9, "tags": [],
            "created_at": "2026-12-01T10:00:00Z",
            "updated_at": "2026-12-01T10:00:00Z"}
json.dump({"tickets": [t(501, "提現一直審核中", "我的提現已經一天了"),
                       t(502, "提现卡住了", "提现一直在审核"),
                       t(503, "deposit", "my deposit is missing")],
           "users": [{"id": 9, "name": "C", "email": "c@example.com"}]},
          open(sys.argv[1], "w"), ensure_ascii=False)
PY
expect_code 0 "import" tdesk -d "$db" import "$WORK/p.json"
for q in 提现 提現 "審核 status<solved" 审核; do
	expect_eq "list $q" "$(tdesk -d "$db" list $q | awk '{print $1}' | sort | tr '\n' ' ')" "501 502 "
	expect_eq "list --count $q" "$(tdesk -d "$db" list --count $q)" "2"
done
expect_match "FAQ answers in simplified found by 提現" \
	"$(tdesk -d "$db" faq search 提現)" 'withdrawal-pending'

# a desk from before: back to schema 15 (without 17's index) with nothing
# waiting
now=$(sql "$db" 'PRAGMA user_version')
sql "$db" "DROP INDEX tickets_incident; DELETE FROM fts_dirty; PRAGMA user_version = 15"
sql "$db" "INSERT OR REPLACE INTO sync_state(key, value) VALUES('faq.files', 'old')"
expect_code 0 "open it" tdesk -d "$db" list --count deposit
expect_eq "schema upgraded" "$(sql "$db" 'PRAGMA user_version')" "$now"
expect_eq "the Chinese tickets wait to be indexed again" \
	"$(sql "$db" 'SELECT group_concat(ticket_id) FROM (SELECT ticket_id FROM fts_dirty ORDER BY 1)')" "501,502"
expect_no_match "the FAQ files are read again" \
	"$(sql "$db" "SELECT value FROM sync_state WHERE key = 'faq.files'")" '^old$'
done_testing
