#!/usr/bin/env bash
# Writing from the shell as agents do: a reply written in the editor keeps
# lines starting with '#' and shows the customer's latest message below a
# scissors line; a FAQ answer piped into reply carries no metadata; a dry
# run refuses what the real run refuses and shows the exact change; show
# prints an unsent comment's header on one line and no empty requester.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
one=$(sql "$db" "SELECT t.id FROM tickets t WHERE status = 'open' AND EXISTS (SELECT 1 FROM comments c JOIN users u ON u.id = c.author_id WHERE c.ticket_id = t.id AND u.role = 'end-user') ORDER BY id LIMIT 1")
closed=$(sql "$db" "SELECT id FROM tickets WHERE status = 'closed' ORDER BY id LIMIT 1")
last_body() { sql "$db" "SELECT comment FROM outbox ORDER BY id DESC LIMIT 1"; }

# the editor: '#' lines are text; what is below the scissors is context
cat > editor.sh <<'SH'
#!/bin/sh
cp "$1" "$WORK/seen.txt"
{ printf '#1 open Settings\n# then Security\nThanks!\n'; cat "$WORK/seen.txt"; } > "$1"
SH
chmod +x editor.sh
export WORK
expect_code 0 "reply via the editor" env EDITOR="$WORK/editor.sh" "$TDESK" reply "$one"
expect_eq "lines starting with # are kept" "$(last_body)" "$(printf '#1 open Settings\n# then Security\nThanks!')"
check "the file has a scissors line" grep -q -- '^# -* >8 -*$' seen.txt
customer=$(sql "$db" "SELECT c.body FROM comments c JOIN users u ON u.id = c.author_id WHERE c.ticket_id = $one AND u.role = 'end-user' ORDER BY c.created_at DESC LIMIT 1" | head -1)
check "the customer's latest message is quoted below it" grep -qF -- "> $customer" seen.txt
cat > keep.sh <<'SH'
#!/bin/sh
true
SH
chmod +x keep.sh
expect_code 2 "an untouched file is an empty message" env EDITOR="$WORK/keep.sh" "$TDESK" reply "$one"
expect_match "says so" "$(last_err)" "empty"

# faq show into reply -F -: the answer alone
faq=$(tdesk faq list | awk 'NR==1{print $1}')
tdesk faq show "$faq" > answer.txt
expect_no_match "piped faq show has no footer" "$(cat answer.txt)" '^\[.*languages:'
expect_code 0 "faq show | reply -F -" sh -c "'$TDESK' faq show '$faq' | '$TDESK' reply -F - $one"
expect_no_match "the reply carries no metadata" "$(last_body)" 'languages:'
expect_eq "the reply is the answer" "$(last_body)" "$(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' answer.txt)"
expect_code 0 "faq show --body" tdesk faq show --body "$faq"

# dry runs check what the real run checks and show the change
expect_code 2 "real reply to a closed ticket" tdesk reply -m hi "$closed"
expect_code 2 "dry run refuses it the same way" tdesk reply --dry-run -m hi "$closed"
expect_match "with the same reason" "$(last_err)" "is closed"
expect_no_match "and no 'would reply'" "$(last_out)" "would reply"
before=$(sql "$db" "SELECT count(*) FROM outbox")
pri=$(sql "$db" "SELECT priority FROM tickets WHERE id = $one")
expect_code 0 "set --dry-run" tdesk set --dry-run "$one" status=pending priority=urgent +dryruntag
expect_match "shows the status change" "$(last_out)" "status: open -> pending"
expect_match "shows the priority change" "$(last_out)" "priority: ${pri:--} -> urgent"
expect_match "shows the tags" "$(last_out)" "tags: .*dryruntag"
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"
expect_eq "nothing changed" "$(sql "$db" "SELECT status FROM tickets WHERE id = $one")" open

# show: an unsent comment's header is one line; no empty requester
expect_code 0 "show" tdesk show "$one"
expect_match "header on one line" "$(last_out)" '^--- .*\[not sent: pending\] ---$'
expect_no_match "no stray bracket line" "$(last_out)" '^\]$'
sql "$db" "UPDATE tickets SET requester_id = 0 WHERE id = $closed"
expect_code 0 "show without requester" tdesk show "$closed"
expect_no_match "no empty requester" "$(last_out)" '^requester: *$'
done_testing
