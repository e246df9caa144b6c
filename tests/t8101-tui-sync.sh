#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sync from the UI on a desk made by `tdesk init`: S runs the sync child
# with the desk's name (its file has no remote), and a sync done in a
# shell shows in the open UI instead of "not synced yet".
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"
. "$TESTS_DIR/t8lib.sh"

sync_setup --tickets 20 --seed 5
tui_start 100 30 -d work
wait_for "a new desk has not synced" 'not synced yet'

# a sync in a shell: the UI sees it
expect_code 0 "sync in a shell" tdesk -d work sync
wait_for "the UI notices the shell's sync" 'synced [0-9][0-9]:[0-9][0-9]'
wait_gone "no more 'not synced yet'" 'not synced yet'
wait_for "the pulled tickets appear" ' 1/[1-9][0-9]* '

# S from the UI
before=$(zd_state | pj 'd["requests_total"]')
keys S
ok=0
for i in $(seq 100); do
	now=$(zd_state | pj 'd["requests_total"]')
	[ "$now" -gt "$before" ] && { ok=1; break; }
	sleep 0.1
done
_count=$((_count + 1))
[ $ok = 1 ] || fail "S reached no server; screen: $(screen | tail -2)"
wait_gone "the sync ends" 'syncing\.\.\.' 10
wait_for "S synced" 'synced [0-9][0-9]:[0-9][0-9]'
wait_gone "no 'has no remote'" 'has no remote|sync failed'
keys q
wait_for "quits" '\[exit 0\]'
done_testing
