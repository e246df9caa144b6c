#!/bin/bash
# SPDX-License-Identifier: MIT
# Key bindings and views from config.yaml: rebinding works and shows in
# the help, in the screens and in the prompt and picker tables too; a bad
# action or key name is refused naming it, saved views from the config get
# a tab with a count.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
mkdir -p "$XDG_CONFIG_HOME/tdesk"
cfg=$XDG_CONFIG_HOME/tdesk/config.yaml
cat >"$cfg" <<'Y'
keys:
  - {view: list, key: "n", action: down}
  - {view: list, key: "C-n", action: note}
  - {key: F5, action: sync}
  - {view: prompt, key: "C-k", action: kill-line}
  - {view: picker, key: "C-o", action: down}
  - {view: outbox, key: "d", action: none}
  - {view: outbox, key: "x", action: drop}
views:
  - {name: Chinese, query: "lang:zh"}
Y
zh=$(sql "$db" "SELECT count(*) FROM tickets WHERE lang = 'zh'")

tui_start 100 60 demo
wait_for "first screen" '1:My open [0-9]'
wait_for "the config view has a tab with its count" "6:Chinese $zh"
keys n n
wait_for "n rebound to down" ' 3/[0-9]+ '
keys C-n
wait_for "C-n now writes a note" '^note to #'
keys Escape
keys /
wait_for "limit prompt, empty for a pasted hash" '^limit: *$'
typ "assignee:me"
wait_for "typed" '^limit: assignee:me'
keys C-k
wait_for "C-k in the prompt clears the line" '^limit: *$'
keys Escape
keys f
wait_for "the FAQ picker" '^> '
first=$(screen | sed -n 's/^> \([a-z0-9-]*\).*/\1/p')
keys C-o
wait_for "C-o in the picker moves down" "^  $first "
keys Escape
wait_for "picker closed" 'cancelled'
keys o
wait_for "the outbox's hints follow the rebinding" 'K keep, e edit, x drop'
keys q
keys '?'
wait_for "help shows the new binding" '  C-n( [^ ]+)* +note +internal'
wait_for "and the rebound n on the down line" '^  j Down n +down'
keys G
wait_for "help lists the prompt table with its rebinding" 'C-k +kill-line'
wait_for "and the picker's" 'C-o +down'
keys g
keys q 6
wait_for "6 opens the config view" " 1/$zh "
keys q
wait_for "quits" '^\[exit 0\]'
tmx kill-server

cat >"$cfg" <<'Y'
keys:
  - {view: list, key: "j", action: fly-away}
Y
expect_code 2 "an unknown action is refused" tdesk ui
expect_match "naming the action" "$(last_err)" "unknown action 'fly-away'"
cat >"$cfg" <<'Y'
keys:
  - {view: list, key: "Hyper-j", action: down}
Y
expect_code 2 "an unknown key name is refused" tdesk ui
expect_match "naming the key" "$(last_err)" "unknown key name 'Hyper-j'"
cat >"$cfg" <<'Y'
keys:
  - {view: sidebar, key: "j", action: down}
Y
expect_code 2 "an unknown view is refused" tdesk ui
expect_match "naming the view" "$(last_err)" "unknown key view 'sidebar'"
done_testing
