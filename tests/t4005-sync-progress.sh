#!/usr/bin/env bash
# tdesk sync on a terminal shows each phase with its counts (a bar and an
# ETA when it knows the total) and ends with the summary; --quiet prints
# nothing when all is well (for cron).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"
. "$TESTS_DIR/t8lib.sh"

sync_setup --tickets 300 --seed 9
tui_start 120 40 -d work sync
wait_for "the sync ends" '\[exit 0\]' 60
wait_for "each phase on its line" 'tdesk: fetching the comments of [0-9]+ tickets$'
wait_for "the comments phase with a bar" 'tdesk: comments: [0-9]+ of [0-9]+ tickets \[#+-*\] +[0-9]+%'
wait_for "the summary" '^synced in [0-9.]+s: [0-9]+ tickets pulled'

expect_code 0 "sync --quiet" tdesk -d work sync --quiet
expect_eq "quiet: no output" "$(last_out)$(last_err)" ""
expect_code 0 "sync -q --json still prints JSON" tdesk -d work sync -q --json
expect_match "JSON" "$(last_out)" '^\{"pulled":'
done_testing
