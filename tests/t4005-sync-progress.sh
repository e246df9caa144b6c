#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk sync on a terminal shows each phase with its counts (a bar and an
# ETA when it knows the total) and ends with the summary; --quiet prints
# nothing when all is well (for cron).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"
. "$TESTS_DIR/t8lib.sh"

sync_setup --tickets 300 --seed 9
# comments come slowly, so the comments phase shows its counts (they
# are drawn every 250 ms) however fast the machine is
zd_admin faults '{"faults":[{"endpoint":"comments","kind":"slow",
    "before":true,"delay_ms":40,"mode":"always"}]}' >/dev/null
tui_start 120 40 -d work sync
wait_for "the sync ends" '\[exit 0\]' 60
wait_for "each phase on its line" 'tdesk: fetching the comments of [0-9]+ tickets$'
wait_for "the comments phase with a bar" 'tdesk: comments: [0-9]+ of [0-9]+ tickets \[#+-*\] +[0-9]+%'
wait_for "the summary" '^synced in [0-9.]+s: [0-9]+ tickets pulled'
zd_admin faults '{"clear":true}' >/dev/null

expect_code 0 "sync --quiet" tdesk -d work sync --quiet
expect_eq "quiet: no output" "$(last_out)$(last_err)" ""
expect_code 0 "sync -q --json still prints JSON" tdesk -d work sync -q --json
expect_match "JSON" "$(last_out)" '^\{"pulled":'
done_testing
