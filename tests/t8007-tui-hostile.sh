#!/bin/bash
# SPDX-License-Identifier: MIT
# Customer text written raw into the replica by another tool (no ingest
# sanitising): escape sequences, OSC title / clipboard / hyperlinks, C1
# controls, carriage returns and bidi overrides must reach the screen only
# as visible markers, never as effects.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
E="char(27)"
evil="$E || ']0;PWNED' || char(7) || 'Refund ' || $E || '[31;5mNOW' ||
    $E || '[0m' || $E || ']52;c;cm0gLXJmIH4=' || char(7) || ' ok' ||
    char(13) || 'HIDDEN ' || $E || '[2J' || $E || '[H' ||
    char(8238) || 'lanigiro' || char(155) || '1m' ||
    $E || ']8;;http://evil.example/' || char(7) || 'click' ||
    $E || ']8;;' || char(7)"
# (a security incident, VIP and urgent, breached: first in the queue)
sql "$db" "INSERT INTO tickets(id, subject, description, status,
    status_rank, priority, priority_rank, channel, requester_id,
    assignee_id, lang, created_at, updated_at, sla_breach_at, incident,
    vip, urgent)
    SELECT 4242, $evil, 'x', 'open', status_rank, 'urgent', priority_rank,
    'email', requester_id, assignee_id, 'en', strftime('%s','now') - 600,
    strftime('%s','now') - 60, 1, 1, 1, 1 FROM tickets
    WHERE status = 'open' AND priority = 'urgent'
    AND assignee_id = (SELECT value FROM sync_state WHERE key = 'me.id')
    LIMIT 1"
sql "$db" "INSERT INTO comments(id, ticket_id, author_id, body, public,
    created_at) SELECT 990002, 4242, requester_id, 'Dear agent' || char(10)
    || $evil || char(10) || 'bye', 1, strftime('%s','now') - 500
    FROM tickets WHERE id = 4242"
sql "$db" "INSERT INTO comments(id, ticket_id, author_id, body, public,
    created_at) SELECT 990003, 4242, assignee_id, 'note: ' || $evil, 0,
    strftime('%s','now') - 400 FROM tickets WHERE id = 4242"
expect_eq "hostile ticket stored raw" \
    "$(sql "$db" "SELECT instr(subject, char(27)) > 0 FROM tickets
    WHERE id = 4242")" "1"

export NO_COLOR=1
tui_start 100 30 demo
tmx set-option -g set-clipboard on
tmx set-option -g allow-rename on
title0=$(tmx display-message -p -t t8 '#{pane_title}')
wait_for "first screen" '1:My open [0-9]'
wait_for "the hostile ticket is listed first" '^ +4242 '
row=$(screen | grep '^ *4242 ')
expect_match "ESC shown as ^[" "$row" 'Refund \^\[\[31;5mNOW'
expect_match "OSC title shown as text" "$row" '\^\[\]0;PWNED\^G'

checks() {
	local where=$1 raw
	expect_eq "$where: window title unchanged" \
	    "$(tmx display-message -p -t t8 '#{pane_title}')" "$title0"
	expect_eq "$where: no clipboard write" \
	    "$(tmx list-buffers 2>/dev/null | wc -l)" "0"
	raw=$(screen -e)
	expect_no_match "$where: no colour or blink from the ticket" "$raw" \
	    $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|5|38;5;[0-9]+)(;[0-9;]*)?m'
	expect_no_match "$where: no hyperlink" "$raw" $'\e\\]8;'
	expect_match "$where: screen not cleared by the ticket" \
	    "$(screen | sed -n 1p)" '^ (tdesk|#4242)'
	expect_match "$where: status line in place" \
	    "$(screen | sed -n 29p)" '\| \?:help'
}
checks list

keys Enter
wait_for "the hostile ticket opens" '^ #4242 '
wait_for "bidi override shown as a marker" '<U\+202E>lanigiro'
wait_for "C1 CSI shown as a marker" '<U\+009B>1m'
wait_for "link shown as inert text" '\^\[\]8;;http://evil.example/\^Gclick'
wait_for "CR shown, nothing overwritten" 'ok\^MHIDDEN'
wait_for "the note keeps its marker" '\[internal note\]'
wait_for "the text after the message survives" '^  bye'
checks ticket

keys q q
wait_for "quits" '^\[exit 0\]'
done_testing
