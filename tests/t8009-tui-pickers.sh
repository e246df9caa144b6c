#!/bin/bash
# SPDX-License-Identifier: MIT
# The FAQ picker (f) searches as you type in Chinese and English and opens
# the editor with the whole answer in the requester's language (greeting
# by name, signature from config.yaml);
# the macro picker (m) previews what a macro would do before queueing one
# 'macro' outbox action. Esc in either queues nothing.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
mkdir -p "$XDG_CONFIG_HOME/tdesk"
printf 'signature: "Chen Lin, Kestrel support"\n' > "$XDG_CONFIG_HOME/tdesk/config.yaml"
# the editor: "fail" in ed.mode fails it, else it adds to the last line
cat > "$WORK/ed.sh" <<'SH'
#!/bin/sh
cp "$1" "$WORK/ed.seen"
[ "$(cat "$WORK/ed.mode" 2>/dev/null)" = fail ] && exit 1
printf ' 谢谢' >> "$1"
SH
chmod +x "$WORK/ed.sh"
export EDITOR="$WORK/ed.sh" WORK
outbox() { echo "SELECT count(*) FROM outbox WHERE $1"; }

tui_start 100 30 demo
wait_for "first screen" '1:My open [0-9]'
# a Chinese ticket: its requester's locale is zh-CN, so answers come in zh
keys /
wait_for "limit prompt" '^limit:'
keys C-u
typ "lang:zh"
keys Enter
wait_for "the list shows the Chinese tickets" 'limit: lang:zh'
id=$(selected_id)
loc=$(sql "$db" "SELECT u.locale FROM tickets t JOIN users u
    ON u.id = t.requester_id WHERE t.id = $id")
expect_eq "the ticket's requester is Chinese" "zh-CN" "$loc"

# --- FAQ ---------------------------------------------------------------
keys f
wait_for "f opens the FAQ picker on the selected ticket" \
    "FAQ answers for #$id"
typ "提现"
wait_for "a 2-character Chinese query finds the pending withdrawal" \
    'withdrawal-pending +提现一直显示处理中'
keys C-u
typ "冻"
wait_for "a 1-character Chinese query works" 'account-frozen'
keys C-u
typ "whitelist"
wait_for "an English query, results update as you type" \
    '^> address-whitelist'
wait_for "the preview is the answer in the requester's language" \
    'answer in zh \(requester.s language: zh\)'
keys Down
wait_gone "Down moves the selection" '^> address-whitelist'
keys Tab
typ "k"
wait_for "after Tab, k moves back up" '^> address-whitelist'
echo fail > "$WORK/ed.mode"
keys Enter
wait_for "Enter opens the editor; a failed editor sends nothing" \
    'editor .* failed'
wait_sql "nothing queued by the cancelled reply" "$db" \
    "$(outbox "ticket_id = $id")" "0"
check "the editor got the whole answer, not its last line" \
    test "$(wc -l < "$WORK/ed.seen")" -gt 3
name=$(sql "$db" "SELECT u.name FROM tickets t JOIN users u
    ON u.id = t.requester_id WHERE t.id = $id")
check "greeting by the requester's name" grep -q "^$name 您好" "$WORK/ed.seen"
check "the signature from config.yaml" \
    grep -q '^Chen Lin, Kestrel support$' "$WORK/ed.seen"
rm -f "$WORK/ed.mode"

keys f
wait_for "f again" "FAQ answers for #$id"
typ "whitelist"
wait_for "the answer again" '^> address-whitelist'
keys Escape
wait_for "Esc closes the picker" 'cancelled'
wait_gone "the picker is gone" 'FAQ answers for'
wait_sql "Esc in the picker queues nothing" "$db" "$(outbox 1)" "0"

keys f
typ "whitelist"
wait_for "the answer again" '^> address-whitelist'
keys Enter
wait_for "the edited answer is queued" "reply on #$id: queued"
start=$(sql "$db" "SELECT substr(body, 1, 12) FROM faq_text
    WHERE faq_id = 'address-whitelist' AND lang = 'zh'")
check "the zh answer has text" test -n "$start"
wait_sql "one reply in the outbox" "$db" \
    "$(outbox "ticket_id = $id AND kind = 'reply'")" "1"
wait_sql "the comment is the zh answer plus the agent's edit" "$db" \
    "SELECT count(*) FROM comments WHERE ticket_id = $id
     AND body LIKE '%$start%' AND body LIKE '% 谢谢'" "1"

# --- macros, from the ticket view --------------------------------------
keys Enter
wait_for "ticket open" "^ #$id "
keys m
wait_for "m opens the macro picker" "macros for #$id"
wait_for "macros listed with their descriptions" \
    'Assign to me +- Take the ticket and open it'
# (the macros suggested for the ticket lead the list: see triage)
wait_for "the preview of the first one" \
    "applying '.+' to #$id would:"
first_m=$(screen | sed -n "s/^applying '\(.*\)' to #$id would:.*/\1/p" | head -n 1)
keys Down
wait_gone "moving previews the next one" \
    "applying '$first_m' to #$id would:"
wait_sql "previews queue nothing" "$db" "$(outbox "kind = 'macro'")" "0"
typ "hash"
wait_for "typing filters" '^> Request transaction hash'
wait_for "the preview shows the status it sets" '^  status: pending'
wait_for "and the rendered reply" 'public reply \(zh\):'
keys Enter
wait_for "Enter applies" \
    "macro 'Request transaction hash' on #$id: queued for sync"
wait_sql "one macro row in the outbox" "$db" \
    "$(outbox "ticket_id = $id AND kind = 'macro'")" "1"
wait_sql "the ticket is pending now" "$db" \
    "SELECT status FROM tickets WHERE id = $id" "pending"

keys m
typ "incident"
wait_for "a placeholder without a value shows in the preview" \
    'placeholder .*coin.* has no value'
keys Enter
wait_for "Enter asks for the value (t8103 fills it)" 'value for \{\{coin\}\}:'
keys Escape
wait_for "Esc at the prompt cancels" 'cancelled'
keys m
wait_for "m again" "macros for #$id"
keys Escape
wait_for "Esc cancels" 'cancelled'
wait_sql "neither queued anything" "$db" "$(outbox "kind = 'macro'")" "1"

# --- ';' m applies to every tagged ticket ------------------------------
keys q
wait_for "back to the list" 'limit: lang:zh'
keys g
a=$(screen | sed -n 3p | awk '{print $1}')
b=$(screen | sed -n 4p | awk '{print $1}')
keys t t
wait_for "two tagged" 'tagged:2'
keys '\;' m
typ "assign to me"
wait_for "the macro" '^> Assign to me'
keys Enter
wait_for "applied to both" "macro 'Assign to me' on 2 tickets: queued"
wait_sql "one macro row per tagged ticket" "$db" \
    "$(outbox "kind = 'macro' AND ticket_id IN ($a, $b)
     AND summary LIKE 'macro ''Assign to me''%'")" "2"

keys q
wait_for "quits" '^\[exit 0\]'
done_testing
