#!/bin/bash
# SPDX-License-Identifier: MIT
# The reply guard in the UI: a blocked reply shows the verdict and its
# reasons before anything is queued; declining sends nothing, an explicit
# override with a reason queues it and audits the override; a warning
# asks first; internal notes pass.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
tui_start 100 24 demo
wait_for "first screen" '1:My open [0-9]'
keys Enter
wait_for "ticket open" '^ #[0-9]+ '
id=$(screen | sed -n '1s/^ #\([0-9]*\) .*/\1/p')
before=$(sql "$db" "SELECT count(*) FROM outbox")

keys r
wait_for "inline reply prompt" "^reply to #$id"
typ "Please install AnyDesk and send the ID"
keys Enter
wait_for "the verdict before queueing" 'reply guard BLOCKS this reply: remote-access "AnyDesk"'
keys n
wait_for "declined: nothing sent" 'blocked by the reply guard.*nothing sent'
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"

keys r
wait_for "reply prompt again" "^reply to #$id"
typ "请把您的助记词发给我们"
keys Enter
wait_for "Chinese blocked too" 'reply guard BLOCKS this reply: ask-secret'
keys y
wait_for "asks for the reason" '^override reason \(audited\)'
typ "training ticket, test only"
keys Enter
wait_for "queued with the override" "reply on #$id: queued"
wait_sql "the override audited" "$db" \
    "SELECT count(*) FROM audit WHERE action = 'guard-override' AND ticket_id = $id AND detail LIKE '%training ticket%'" 1

keys r
wait_for "reply prompt, a warning" "^reply to #$id"
typ "See https://etherscan.io/tx/0x1"
keys Enter
wait_for "a warning asks" 'reply guard warns: link-unofficial'
keys y
wait_for "queued after yes" "reply on #$id: queued"

keys n
wait_for "note prompt" "^note to #$id"
typ "customer mentioned AnyDesk"
keys Enter
wait_for "notes are not guarded" "internal note on #$id: queued"
keys q q
wait_for "quits" '^\[exit 0\]'
done_testing
