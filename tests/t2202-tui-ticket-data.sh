#!/bin/bash
# SPDX-License-Identifier: MIT
# The UI's ticket view shows what the server knows about a ticket: the
# requester's organisation, custom fields by name, the satisfaction
# rating and each comment's attachments; a Japanese ticket is "ja".
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$WORK/data.db
cat >"$WORK/page.json" <<'JSON'
{"tickets":[{"id":4242,"subject":"出金が反映されません","status":"open",
 "priority":"high","requester_id":77,"assignee_id":99,"organization_id":5,
 "created_at":"2026-11-20T10:00:00Z","updated_at":"2026-11-21T10:00:00Z",
 "custom_fields":[{"id":9001,"value":"apac"},{"id":9002,"value":["ios","web"]}],
 "satisfaction_rating":{"score":"bad","comment":"Still waiting"}}],
 "users":[{"id":77,"name":"佐藤 花子","email":"hanako@example.jp","locale":"ja",
  "role":"end-user","organization_id":5},
  {"id":99,"name":"Ana Agent","email":"ana@desk","role":"agent"}],
 "organizations":[{"id":5,"name":"株式会社サクラ"}],
 "ticket_fields":[{"id":9001,"title":"Region","type":"tagger"},
  {"id":9002,"title":"Platforms","type":"multiselect"}]}
JSON
cat >"$WORK/comments.json" <<'JSON'
{"comments":[{"id":1,"author_id":77,"public":true,
 "created_at":"2026-11-21T09:00:00Z","body":"入金の証明を添付します。",
 "attachments":[{"id":31,"file_name":"receipt.pdf",
  "content_type":"application/pdf","size":204800,
  "content_url":"https://example.zendesk.com/attachments/31"}]}]}
JSON
expect_code 0 "import the ticket" tdesk -d "$db" import "$WORK/page.json"
expect_code 0 "import its comments" tdesk -d "$db" import --comments 4242 \
	"$WORK/comments.json"
sqlite3 "$db" "INSERT OR REPLACE INTO sync_state VALUES('me.id', '99')"
expect_eq "Japanese, not Chinese" "$(sql "$db" "SELECT lang FROM tickets WHERE id = 4242")" ja

tui_start 100 30 -d "$db"
wait_for "the queue" '4242'
keys Enter
wait_for "ticket opens" '^ #4242 '
wait_for "organisation" '^Organization: 株式会社サクラ'
wait_for "custom field by name" '^  Region: apac'
wait_for "list values joined" '^  Platforms: ios, web'
wait_for "satisfaction and its comment" '^Satisfaction: bad - Still waiting'
wait_for "attachment under its comment" '\[attachment 31\] receipt.pdf \(application/pdf, 200 KB\)'
wait_for "language" 'Lang: ja'
keys q
done_testing
