#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The share of tickets answered by a macro or a FAQ answer, recorded as the
# actions are queued (a macro from the CLI, a reply begun from the UI's FAQ
# picker) and checked by hand on a small desk: a failed action and a plain
# reply do not count; text, --json, --csv and the UI's stats view agree,
# the agent's own numbers beside the desk's.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

export TDESK_NOW=2026-01-10T00:00:00Z
D=$WORK/canned.db
cat >"$WORK/page.json" <<'JSON'
{"tickets":[
 {"id":1,"subject":"lost my authenticator","status":"open","requester_id":2,"assignee_id":1,
  "via":{"channel":"email"},"created_at":"2026-01-09T00:00:00Z","updated_at":"2026-01-09T10:00:00Z"},
 {"id":2,"subject":"deposit not credited","status":"open","requester_id":2,"assignee_id":1,
  "via":{"channel":"web"},"created_at":"2026-01-09T12:00:00Z","updated_at":"2026-01-09T15:00:00Z"},
 {"id":3,"subject":"kyc pending","status":"open","requester_id":2,"assignee_id":0,
  "via":{"channel":"web"},"created_at":"2026-01-08T00:00:00Z","updated_at":"2026-01-08T00:00:00Z"},
 {"id":4,"subject":"withdrawal question","status":"open","requester_id":2,"assignee_id":1,
  "via":{"channel":"email"},"created_at":"2026-01-09T06:00:00Z","updated_at":"2026-01-09T08:00:00Z"}],
 "users":[{"id":1,"name":"Ann Agent","email":"ann@example.com","role":"agent"},
          {"id":2,"name":"Carl Customer","email":"carl@example.com","role":"end-user"}]}
JSON
expect_code 0 "import" tdesk -d "$D" import "$WORK/page.json"
sql "$D" "INSERT OR REPLACE INTO sync_state VALUES('me.id', '1')"
sql "$D" "INSERT OR REPLACE INTO sync_state VALUES('me.name', 'Ann Agent')"

# ticket 1: a macro with a reply; ticket 3: a macro that failed on the
# server; ticket 4: a reply written by hand
expect_code 0 "macro on 1" tdesk -d "$D" macro apply --yes "2FA reset instructions" 1
expect_code 0 "macro on 3" tdesk -d "$D" macro apply --yes "2FA reset instructions" 3
sql "$D" "UPDATE outbox SET state = 'failed' WHERE ticket_id = 3"
expect_code 0 "hand-written reply on 4" tdesk -d "$D" reply -m "We are looking at it." 4

# ticket 2: a FAQ answer from the picker, sent as the editor left it
cat > "$WORK/ed.sh" <<'SH'
#!/bin/sh
exit 0
SH
chmod +x "$WORK/ed.sh"
export EDITOR="$WORK/ed.sh" NO_COLOR=1
tui_start 100 30 -d "$D" ui "#2"
wait_for "first screen" "^ +2 "
keys Enter
wait_for "ticket 2 opens" "^ #2 "
keys f
wait_for "the FAQ picker" "FAQ answers for #2"
typ "deposit"
wait_for "answers about deposits" "^> "
faq=$(screen | sed -n 's/^> \([^ ]*\).*/\1/p' | head -n 1)
check "an answer is selected" test -n "$faq"
keys Enter
wait_for "queued" "reply on #2: queued"
expect_eq "the reply remembers its FAQ answer" "$(sql "$D" "SELECT g.kind, g.name
    FROM outbox_origin g JOIN outbox o ON o.id = g.outbox_id WHERE o.ticket_id = 2")" "faq|$faq"

# the stats view on one key: 2 of 4 tickets, 2 of my 3
keys %
wait_for "the stats view" 'tdesk stats: the last 7 days'
wait_for "the canned share, desk and mine" 'answered by macro or FAQ +50% \(2\) +67% \(2\)'
wait_for "by a macro" '  by a macro +25% \(1\) +33% \(1\)'
wait_for "by a FAQ answer" '  by a FAQ answer +25% \(1\) +33% \(1\)'
keys q
wait_for "back to the ticket" "^ #2 "
keys q
wait_for "back to the list" "^ +2 "
keys q
wait_for "quits" '^\[exit 0\]'

expect_code 0 "stats --json" tdesk -d "$D" stats --json
j=$(last_out)
get() { printf '%s' "$j" | pj "$1"; }
expect_eq "desk: created" "$(get 'd["desk"]["created"]')" 4
expect_eq "desk: macro, FAQ, either" \
	"$(get '(d["desk"]["by_macro"], d["desk"]["by_faq"], d["desk"]["by_macro_or_faq"])')" "(1, 1, 2)"
expect_eq "me: macro, FAQ, either of 3" \
	"$(get '(d["me"]["created"], d["me"]["by_macro"], d["me"]["by_faq"], d["me"]["by_macro_or_faq"])')" "(3, 1, 1, 2)"
expect_code 0 "stats --csv" tdesk -d "$D" stats --csv --by channel
expect_match "csv header ends with the shares" "$(last_out | head -1)" ',by_macro,by_faq,by_macro_or_faq$'
expect_match "csv desk row" "$(last_out | sed -n 2p)" '^"\(desk\)",4,.*,1,1,2$'
expect_match "csv me row" "$(last_out | sed -n 3p)" '^"\(me\)",3,.*,1,1,2$'
expect_match "csv web row: the FAQ reply" "$(last_out | grep '^"web"')" ',0,1,1$'
expect_code 0 "text" env COLUMNS=80 "$TDESK" -d "$D" stats
expect_match "text: desk and me" "$(last_out)" 'answered by macro or FAQ +50% +67%'
expect_match "text: FAQ line" "$(last_out)" '  by a FAQ answer +25% +33%'

# ratings are counted from their own index: 1 good, 2 bad, 4 none
sql "$D" "UPDATE tickets SET satisfaction = CASE id WHEN 1 THEN 'good'
    WHEN 2 THEN 'bad' ELSE '' END"
expect_code 0 "stats --json with ratings" tdesk -d "$D" stats --json
expect_eq "satisfaction good/bad" "$(last_out | pj '(d["desk"]["satisfaction"]["good"], d["desk"]["satisfaction"]["bad"])')" "(1, 1)"

# the CLI's reply --faq counts too: ticket 4's hand-written reply does
# not, a FAQ answer sent to it does
expect_code 2 "an unknown answer" tdesk -d "$D" reply --faq no-such-answer 4
expect_code 0 "reply --faq" tdesk -d "$D" reply --faq deposit-not-credited 4
expect_match "the answer's text was sent" "$(sql "$D" "SELECT comment FROM outbox
    WHERE ticket_id = 4 ORDER BY id DESC LIMIT 1")" '.'
expect_eq "recorded as the FAQ answer" "$(sql "$D" "SELECT g.kind || ':' || g.name FROM outbox_origin g
    JOIN outbox o ON o.id = g.outbox_id WHERE o.ticket_id = 4")" "faq:deposit-not-credited"
expect_code 0 "stats --json" tdesk -d "$D" stats --json
expect_eq "FAQ: 2 tickets now" "$(last_out | pj '(d["desk"]["by_faq"], d["desk"]["by_macro_or_faq"])')" "(2, 3)"
ob4=$(sql "$D" "SELECT max(id) FROM outbox WHERE ticket_id = 4")
expect_code 0 "drop it again" tdesk -d "$D" outbox drop --yes "$ob4"

# dropping the FAQ reply takes it out of the share
ob=$(sql "$D" "SELECT id FROM outbox WHERE ticket_id = 2")
expect_code 0 "drop the FAQ reply" tdesk -d "$D" outbox drop --yes "$ob"
expect_code 0 "stats --json after the drop" tdesk -d "$D" stats --json
expect_eq "FAQ share gone" "$(last_out | pj '(d["desk"]["by_faq"], d["desk"]["by_macro_or_faq"])')" "(0, 1)"
expect_eq "its origin row went with it" "$(sql "$D" "SELECT count(*) FROM outbox_origin WHERE outbox_id = $ob")" 0
done_testing
