#!/bin/bash
# SPDX-License-Identifier: MIT
# Screen geometry: every list row is exactly the terminal's width in
# display columns with CJK and emoji (wcwidth), resizes redraw at the new
# size, and a tiny terminal does not crash.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
# display width of each row as the terminal lays it out (east asian wide
# and fullwidth = 2 columns, like wcwidth); rows are right-aligned on age
widths() {
	screen | sed -n "3,$(($1 - 2))p" | python3 -c '
import sys, unicodedata
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        continue
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else
            0 if unicodedata.combining(c) or c in "\u200d\ufe0f" else 1
            for c in line)
    print(w)' | sort -u
}

tui_start 80 24 demo
wait_for "first screen" '1:My open [0-9]'
keys /
keys C-u
typ "lang:zh"
keys Enter
wait_for "Chinese tickets" 'limit: lang:zh'
han=$(screen | python3 -c 'import sys; print(sum(1 for l in sys.stdin
    if any("\u4e00" <= c <= "\u9fff" for c in l)))')
expect_match "CJK rows on screen" "$han" '^[1-9]'
expect_eq "every CJK row is 80 columns wide" "$(widths 24)" "80"
keys 1
wait_gone "back to the first view" 'limit: lang:zh'
expect_eq "emoji and mixed rows are 80 columns wide" "$(widths 24)" "80"

tmx resize-window -t t8 -x 120 -y 30
wait_for "wider terminal shows the requester column" 'Requester +Subject'
wait_for "status line at the new bottom" ''
expect_eq "rows fill 120 columns" "$(widths 30)" "120"
status_row=$(screen | grep -n '| ?:help' | cut -d: -f1)
expect_eq "status line on row 29 of 30" "$status_row" "29"

keys Enter
wait_for "ticket view at 120" '^ #[0-9]+ '
tmx resize-window -t t8 -x 60 -y 16
wait_for "ticket rewrapped at 60" '^Status: '
long=$(screen | awk '{ if (length($0) > 60) print }' | wc -l)
expect_eq "no line wider than 60" "$long" "0"
keys q
tmx resize-window -t t8 -x 15 -y 4
wait_for "a tiny terminal says so" 'terminal too'
tmx resize-window -t t8 -x 80 -y 24
wait_for "and recovers" '1:My open'
keys q
wait_for "quits" '^\[exit 0\]'
done_testing
