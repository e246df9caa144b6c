#!/bin/bash
# SPDX-License-Identifier: MIT
# The ticket view's X: after a y/N question, queue the server-side
# redaction of the comments whose secrets tdesk redacted (one outbox
# action per comment, audited); n queues nothing; a ticket without such a
# comment says so.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

# a valid 12-word phrase (all-zero entropy)
seed="abandon amount liar amount expire adjust cage candy arch gather drum buyer"
db=$(demo_desk)
cat > t.json <<J
{"tickets":[{"id":910001,"subject":"lost my funds","description":"please help","status":"open","requester_id":77001,"assignee_id":null,"created_at":"2024-05-01T10:00:00Z","updated_at":"2024-05-01T10:00:00Z"}],
 "users":[{"id":77001,"name":"Li","email":"li@example.com","role":"end-user"}]}
J
cat > c.json <<J
{"comments":[{"id":5100,"author_id":77001,"body":"please help","public":true,"created_at":"2024-05-01T10:00:00Z"},
 {"id":5101,"author_id":77001,"body":"my words are $seed","public":true,"created_at":"2024-05-01T10:05:00Z"}]}
J
check "import the ticket" "$TDESK" import t.json
check "import its comments" "$TDESK" import --comments 910001 c.json
expect_eq "the replica holds the marker" "$(sql "$db" "SELECT count(*) FROM \
	comments WHERE id = 5101 AND body LIKE '%[seed phrase redacted%'")" 1

tui_start 110 24 -d "$db" ui 'id:910001'
wait_for "the list" '910001'
keys Enter
wait_for "ticket open" '^ #910001 '
keys X
wait_for "asks first" "redact #910001's exposed secrets on the server too\? \[y/N\]"
keys n
wait_for "declined" 'cancelled'
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox \
	WHERE kind = 'redact'")" 0
keys X
wait_for "asks again" "redact #910001's exposed secrets"
keys y
wait_for "queued" '#910001: 1 comment to redact on the server'
wait_sql "one action for the comment" "$db" \
    "SELECT comment_id FROM outbox WHERE kind = 'redact' AND ticket_id = 910001" 5101
wait_sql "audited" "$db" \
    "SELECT count(*) FROM audit WHERE action = 'redact' AND ticket_id = 910001" 1
keys X
wait_for "asks a third time" "redact #910001's exposed secrets"
keys y
wait_for "only once" '#910001: the redaction is already queued'
keys q q
wait_for "quits" '^\[exit 0\]'
done_testing
