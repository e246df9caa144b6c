#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The queue on a wide terminal: the channel column is whole, the age
# column has a header, the selection bar covers every cell of the row
# (no cell falls back to the default background); the bottom line shows
# the keys a newcomer needs first.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
export TERM=xterm-256color
tui_start 200 20 demo
wait_for "first screen" '1:My open'
wait_for "the age column has a header" 'Subject +Age$'
chan=$(sql "$db" "SELECT channel FROM tickets WHERE length(channel) > 5 ORDER BY length(channel) DESC LIMIT 1")
wait_for "a long channel name is whole at 200 columns" " $chan "
wait_for "the bottom line shows the first keys" '^ Enter open +r reply +/ search +\? help'
# row 3 is the selected one: every cell on the bar's background
sel=$(screen -e | sed -n 3p)
expect_no_match "the selection bar has no hole" "$sel" $'\e\\[49m'
keys j
wait_for "moved" ' 2/[0-9]+ '
sel=$(screen -e | sed -n 4p)
expect_no_match "nor on the next row" "$sel" $'\e\\[49m'
keys q
wait_for "quits" '\[exit 0\]'
done_testing
