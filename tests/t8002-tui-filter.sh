#!/bin/bash
# SPDX-License-Identifier: MIT
# The limit prompt: the same query language as `tdesk list`, results as
# you type, parse errors in the status line (never fatal), Esc restores.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
zh=$(sql "$db" "SELECT count(*) FROM tickets WHERE lang = 'zh'")
zhopen=$(sql "$db" "SELECT count(*) FROM tickets WHERE lang = 'zh'
    AND status IN ('new', 'open')")
all=$(sql "$db" "SELECT count(*) FROM tickets")

tui_start 80 24 demo
wait_for "first screen" '1:My open'
keys /
wait_for "the limit prompt opens empty (a paste is a search)" '^limit: *$'
wait_gone "the list keeps its view until the agent types" "/$all "
typ "lang:zh"
wait_for "results while typing" "/$zh "
typ " status<pending"
wait_for "narrowed while typing" "/$zhopen "
typ " sla<"
wait_for "a parse error shows in the status line" 'query:[0-9]+: .sla. needs'
keys BSpace BSpace BSpace BSpace BSpace
wait_for "deleting it brings the results back" "/$zhopen "
wait_gone "and clears the error" 'query:[0-9]+:'
keys Enter
wait_for "Enter keeps the limit" 'limit: lang:zh status<pending'
wait_for "and its results" "/$zhopen "
screen | sed -n '3,22p' | grep -v 'no tickets' | awk '{print $6}' |
    sort -u >"$WORK/langs"
expect_eq "only Chinese tickets listed" "$(cat "$WORK/langs")" "zh"

keys l
typ " nosuchfield:1"
keys Escape
wait_for "Esc restores the previous limit" "/$zhopen "
wait_gone "and the error" 'query:[0-9]+:'
keys l C-u
typ "status<"
keys Enter
wait_for "a bad limit on Enter is reported" "query:[0-9]+: 'status' needs"
wait_for "the UI keeps running" "/$zhopen "
keys 1
wait_gone "choosing a view drops the limit" 'limit: lang'
keys q
wait_for "quits" '^\[exit 0\]'
done_testing
