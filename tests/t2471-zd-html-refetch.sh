#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A desk synced before comments that came only as HTML were read kept
# them without text (and their HTML unread): after the upgrade (schema
# migration), the next sync fetches those tickets' comments again and
# shows their text; a desk already upgraded does not fetch them again.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 30 --seed 11
t=$(my_open_ids 1)
zd_admin raw_comments '{"ticket_id":'"$t"',"comments":[{"id":73009000001,
 "type":"Comment","author_id":361000000001,"body":"","plain_body":"",
 "html_body":"<div dir=\"ltr\">还是没到账，<b>请尽快</b>处理&nbsp;&amp; thanks</div>",
 "public":true,"attachments":[],"created_at":"2026-11-09T01:00:00Z"}]}' \
	>/dev/null
expect_code 0 "sync" tdesk sync
expect_match "the HTML comment reads as text" "$(tdesk show "$t")" \
	'^还是没到账，请尽快处理 & thanks$'

# the desk as the last release left it: no text, one schema version back
old_desk() {
	sql "$DB" "UPDATE comments SET body = '' WHERE id = 73009000001;
	    PRAGMA user_version = $(( $(sql "$DB" 'PRAGMA user_version') - ${1:-0} ))"
}
old_desk 0
expect_code 0 "a sync of an upgraded desk" tdesk sync
expect_eq "fetches nothing again" "$(sql "$DB" "SELECT body FROM comments
	WHERE id = 73009000001")" ""
old_desk 1
expect_code 0 "the first sync after the upgrade" tdesk sync
expect_match "fetches that ticket's comments again: the text is there" \
	"$(tdesk show "$t")" '^还是没到账，请尽快处理 & thanks$'
done_testing
