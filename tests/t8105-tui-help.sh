#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The help screen groups the keys by task, fits 80x24 with a second page
# for the rest, shows a rebinding from the config, and '/' keeps the keys
# matching a word.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
mkdir -p "$XDG_CONFIG_HOME/tdesk"
cat >"$XDG_CONFIG_HOME/tdesk/config.yaml" <<'Y'
keys:
  - {view: ticket, key: "F6", action: reply}
Y
tui_start 80 24 demo
wait_for "first screen" '1:My open'
keys '?'
wait_for "page 1 of 2 at 80x24" 'page 1/2'
for g in move reply act bulk views; do
	wait_for "the $g group on the first page" "^$g( |\$)| $g( |\$)"
done
wait_for "what r does, with the rebinding" ' r F6 +reply +public reply'
wait_for "what a does" ' a +assign +assign to an\b'
wait_for "a move key" ' j Down +down +move down'
lines=$(screen | wc -l)
expect_eq "the screen is 24 lines" "$lines" 24
keys Space
wait_for "Space turns the page" 'page 2/2'
wait_for "the rest: other actions" ' / +search +keep the keys'
wait_for "and the prompt table" '^prompt|  prompt$'
keys k
wait_for "k turns back" 'page 1/2'
keys /
wait_for "/ asks for a word" '^search the keys:'
typ "untag"
wait_for "the search is live" 'page 1/1'
keys Enter
wait_for "only matching keys" 'U +untag-all +untag every'
wait_gone "others hidden" 'move down'
wait_for "the title says so" "matching 'untag'"
keys /
wait_for "the prompt holds the word" '^search the keys: untag'
keys C-u Enter
wait_for "an empty search shows all" 'page 1/2'
keys q
wait_for "q leaves help" '#.*SLA.*Pri'
keys '?' /
typ "zzzz"
keys Enter
wait_for "a search matching nothing says so" 'no key matches'
keys q
wait_for "back to the list" '#.*SLA.*Pri'
keys q
wait_for "quits" '\[exit 0\]'
done_testing
