#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A macro with a custom placeholder ({{coin}}) applied from the UI asks
# for the value in a prompt, as the CLI takes it with --set; Esc at the
# prompt queues nothing.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
tui_start 100 30 demo
wait_for "first screen" '1:My open'
id=$(screen | sed -n 3p | awk '{print $1}')

keys m
wait_for "the macro picker" "macros for #$id"
typ "withdrawals delayed"
wait_for "the incident macro" '^> Incident - withdrawals delayed'
keys Enter
wait_for "asks for the placeholder's value" 'value for \{\{coin\}\}:'
keys Escape
wait_for "Esc cancels" 'cancelled'
wait_sql "nothing queued" "$db" "SELECT count(*) FROM outbox" 0

keys m
typ "withdrawals delayed"
wait_for "the incident macro again" '^> Incident - withdrawals delayed'
keys Enter
wait_for "asks again" 'value for \{\{coin\}\}:'
typ "USDT"
keys Enter
wait_for "queued" "macro 'Incident - withdrawals delayed' on #$id: queued"
wait_sql "the value is in the reply" "$db" \
    "SELECT count(*) FROM outbox WHERE ticket_id = $id AND kind = 'macro'
     AND comment LIKE '%USDT%'" 1
keys q
wait_for "quits" '\[exit 0\]'
done_testing
