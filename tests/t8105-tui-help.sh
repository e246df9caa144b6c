#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The help screen groups the keys by task, fits 80x24 with a second page
# for the rest, and '/' keeps the keys matching a word.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
tui_start 80 24 demo
wait_for "first screen" '1:My open'
keys '?'
wait_for "page 1 of 2 at 80x24" 'page 1/2'
for g in move reply act bulk; do
	wait_for "the $g group on the first page" "^$g|  $g\$| $g "
done
wait_for "what r does" ' r +public reply'
wait_for "what a does" ' a +assign to an agent'
lines=$(screen | wc -l)
expect_eq "the screen is 24 lines" "$lines" 24
keys Space
wait_for "Space turns the page" 'page 2/2'
wait_for "the rest" 'leave tdesk'
keys /
wait_for "/ asks for a word" '^search the keys:'
typ "tag"
keys Enter
wait_for "only matching keys" 'tag or untag the ticket'
wait_gone "others hidden" 'move down'
wait_for "one page now" 'page 1/1'
keys q
wait_for "q leaves help" '1:My open'
keys q
wait_for "quits" '\[exit 0\]'
done_testing
