#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Triage in the full-screen UI: a customer's new reply marks the row (N,
# bold) until the ticket is opened; the ticket view says the category
# and why; on a deposit ticket the FAQ picker opens on a deposit answer
# (not on 2fa-reset) and the macro picker on a fitting macro; % shows the
# stats screen.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
dep=$(tdesk list --json --limit 1 "category:deposit -is:incident" | pj 'd[0]["id"]')
check "a deposit ticket in the demo desk" test -n "$dep"
# the customer writes again
sql "$db" "INSERT INTO comments(id, ticket_id, author_id, body, public,
    created_at) SELECT 990001, id, requester_id, 'any news? 还没到账', 1,
    strftime('%s', 'now') FROM tickets WHERE id = $dep"
expect_code 0 "ingest-time refresh" tdesk classify --desk
expect_eq "is:new" "$(tdesk list --count "is:new #$dep")" 1

export NO_COLOR=1
tui_start 120 30 -d demo ui "#$dep"
wait_for "first screen" "^ +$dep "
expect_match "the row carries N and the category" "$(screen | grep "^ *$dep ")" \
	"^ +$dep .* [V ][! ][\\^ ][C ]N dep "
raw=$(screen -e | grep " $dep ")
expect_match "the row is bold" "$raw" $'\e''\[([0-9]+;)*1(;[0-9]+)*m'
keys Enter
wait_for "the ticket opens" "^ #$dep "
wait_for "triage says why" '^Triage: deposit .*why: deposit-'
wait_for "the suggestions close the conversation" 'Suggested answers \(f\): '
keys f
wait_for "f opens the FAQ picker" "FAQ answers for #$dep"
wait_for "a suggestion leads" '^> .*\[suggested\]'
first=$(screen | sed -n 's/^> \([^ ]*\).*/\1/p' | head -n 1)
check "the first answer is not 2fa-reset" test "$first" != "2fa-reset"
expect_eq "the first answer is about deposits" "$(sql "$db" \
	"SELECT category FROM faq WHERE id = '$first'")" "deposit-withdrawal"
keys Escape
wait_for "picker closed" 'cancelled'
keys m
wait_for "m opens the macro picker" "macros for #$dep"
wait_for "a fitting macro leads" "^> (Request transaction hash|Wrong network recovery) +\\[suggested\\]"
keys Escape
keys q
wait_for "back to the list" "^ +$dep "
wait_gone "opened: no longer new" "^ +$dep .* [V ][! ][\\^ ][C ]N "
expect_eq "seen in the replica" "$(tdesk list --count "is:new #$dep")" 0

# the agent's category wins over the rules
keys c
wait_for "c asks for the category" '^category .*: deposit'
keys C-u
typ "kyc"
keys Enter
wait_for "set" "#$dep: category kyc"
wait_for "the row follows" "^ +$dep .* kyc "
expect_eq "stored as an override" "$(sql "$db" \
	"SELECT override FROM ticket_class WHERE ticket_id = $dep")" kyc

keys %
wait_for "% shows the stats" 'tdesk stats: the last 7 days'
wait_for "by category" '^by category'
keys q
wait_for "q goes back" "^ +$dep "
keys q
wait_for "quits" '^\[exit 0\]'
done_testing
