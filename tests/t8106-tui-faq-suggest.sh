#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Replying to the most urgent ticket with the suggested FAQ answer: f lists
# the answers the subject suggests, best first, so f Enter opens the whole
# answer (greeting, answer, signature) in the editor: three keys and a save.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
cat > "$WORK/ed.sh" <<'SH'
#!/bin/sh
cp "$1" "$WORK/ed.seen"
SH
chmod +x "$WORK/ed.sh"
export EDITOR="$WORK/ed.sh" WORK
tui_start 100 30 demo
wait_for "first screen" '1:My open'
id=$(screen | sed -n 3p | awk '{print $1}')
subject=$(sql "$db" "SELECT subject FROM tickets WHERE id = $id")
best=$(tdesk faq search "$subject" | awk 'NR == 1 {print $1}')
check "the subject suggests an answer ($best)" test -n "$best"
keys f
wait_for "f: the subject's best answer comes first, selected" "^> $best "
keys Enter
wait_for "Enter: the whole answer goes out after the editor" "reply on #$id: queued"
wait_sql "queued" "$db" "SELECT count(*) FROM outbox WHERE ticket_id = $id AND kind = 'reply'" 1
check "the editor had the greeting" grep -q '^Hi ' "$WORK/ed.seen"
keys q
wait_for "quits" '\[exit 0\]'
done_testing
