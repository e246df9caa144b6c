#!/bin/bash
# SPDX-License-Identifier: MIT
# Replies and notes from the UI go to the outbox through store_action:
# inline on the bottom line, and through $EDITOR (a script here).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
cat >"$WORK/ed.sh" <<'ED'
#!/bin/sh
# a scripted $EDITOR: keep what was there, add two lines
printf '%s\nWritten in the editor: 已处理\nSecond line\n' "$(cat "$1")" >"$1.new"
mv "$1.new" "$1"
echo "$1" >>"$WORK/editor-calls"
ED
chmod +x "$WORK/ed.sh"
export EDITOR="$WORK/ed.sh" WORK

tui_start 80 24 demo
wait_for "first screen" '1:My open [0-9]'
keys Enter
wait_for "ticket open" '^ #[0-9]+ '
id=$(screen | sed -n '1s/^ #\([0-9]*\) .*/\1/p')

keys r
wait_for "inline reply prompt" "^reply to #$id"
typ "Thanks, we are on it 谢谢"
keys Enter
wait_for "the reply is queued" "reply on #$id: queued"
wait_sql "outbox row for the inline reply" "$db" \
    "SELECT kind || '|' || state FROM outbox WHERE ticket_id = $id" \
    "reply|pending"
wait_sql "the reply text as typed" "$db" \
    "SELECT comment LIKE '%Thanks, we are on it 谢谢%' FROM outbox
     WHERE ticket_id = $id" "1"
wait_for "the ticket shows it waiting" '\(outbox: pending\)'
wait_for "and the text" 'Thanks, we are on it 谢谢'

keys n
wait_for "inline note prompt" "^note to #$id"
typ "check the tx hash first"
keys C-e
wait_for "C-e hands the note to the editor" "internal note on #$id: queued"
check "the editor ran" test -s "$WORK/editor-calls"
wait_sql "the note went out as internal, with the editor text" "$db" \
    "SELECT count(*) FROM outbox WHERE ticket_id = $id AND kind = 'note'
     AND comment LIKE '%check the tx hash first%Written in the editor%'" "1"
wait_for "the note is marked internal" '\[internal note\].*outbox: pending'

keys R
wait_for "R: reply in the editor" "reply on #$id: queued"
wait_sql "two replies now" "$db" \
    "SELECT count(*) FROM outbox WHERE ticket_id = $id AND kind = 'reply'" \
    "2"
wait_sql "the comment is in the replica" "$db" \
    "SELECT count(*) FROM comments WHERE ticket_id = $id
     AND body LIKE 'Written in the editor: 已处理%'" "1"

keys r
typ "never sent"
keys Escape
wait_for "Esc cancels" 'cancelled'
wait_sql "nothing queued by the cancelled reply" "$db" \
    "SELECT count(*) FROM outbox WHERE comment LIKE '%never sent%'" "0"

# an editor that fails sends nothing
cat >"$WORK/ed.sh" <<'ED'
#!/bin/sh
echo "bad edit" >"$1"
exit 3
ED
keys N
wait_for "a failed editor sends nothing" "editor .* failed"
wait_sql "no row from the failed editor" "$db" \
    "SELECT count(*) FROM outbox WHERE comment LIKE '%bad edit%'" "0"

keys q q
wait_for "quits" '^\[exit 0\]'
done_testing
