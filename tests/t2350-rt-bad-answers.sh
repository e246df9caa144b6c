#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Answers a real RT server can only give through the fault proxy: numbers
# as strings everywhere, a 2 GB answer (claimed, or streamed without end)
# to a read and to a write RT applied, the web UI's login page answering a
# reply, a 500 to a note RT applied and 500s to every reply. Each ends
# with a clear message, the action kept or done, and every message in RT
# exactly once.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start
proxy_start

t1=$(rt_new Support "Strings" "numbers as strings" agent)
t2=$(rt_new Support "Big answers" "a huge answer" agent)
rt_api PUT "/ticket/$t1" '{"Priority":100}' >/dev/null
rt_desk "$PROXY_URL"
msgs() { sql "$RT_DB" "SELECT count(*) FROM comments WHERE ticket_id = $1"; }
last_state() { sql "$RT_DB" "SELECT state FROM outbox ORDER BY id DESC LIMIT 1"; }

# every number RT sends arrives as a string: the same replica
proxy_rules '[{"do":"strnum"}]'
expect_code 0 "a first sync with numbers as strings" tdesk sync
expect_match "...pulls both tickets" "$(last_out)" "2 tickets pulled"
expect_match "...reads the priority" "$(tdesk show "$t1")" "priority: high"
expect_eq "...and the first message" "$(msgs "$t1")" 1
expect_code 0 "queue a reply and a status change" tdesk reply -m "Strings reply." --status pending "$t1"
expect_code 0 "a push with numbers as strings" tdesk sync
expect_match "...pushes the action" "$(last_out)" "1 action pushed"
expect_eq "...the reply is in RT once" "$(rt_count_msgs "$t1" Correspond 'Strings reply.')" 1
expect_eq "...the status is set" "$(rt_field "$t1" Status)" stalled
proxy_rules '[]'

# a read answered with a claimed 2 GB body: refused at once, nothing kept
rt_api2 PUT "/ticket/$t2" '{"Subject":"Big answers (renamed)"}' >/dev/null
proxy_rules '[{"method":"GET","path":"/tickets$","do":"huge"}]'
expect_code 5 "a sync whose search claims 2 GB fails" tdesk sync
expect_match "...saying the answer is too large" "$(last_err)" "larger than 256 MB"
expect_eq "...asked once, not again and again" "$(grep -c 'GET /REST/2.0/tickets huge' "$PROXY_DIR/log")" 1
expect_eq "...the replica keeps the old subject" "$(sql "$RT_DB" "SELECT subject FROM tickets WHERE id = $t2")" "Big answers"

# the same streamed without a length: capped, not read to the end
: >"$PROXY_DIR/log"
proxy_rules '[{"method":"GET","path":"/tickets$","do":"endless"}]'
expect_code 5 "a sync whose search never ends fails" tdesk sync
expect_match "...saying the answer is too large" "$(last_err)" "larger than 256 MB"
proxy_rules '[]'
expect_code 0 "the next sync" tdesk sync
expect_match "...reads the new subject" "$(tdesk show "$t2")" "Big answers \(renamed\)"

# RT applied a reply and answered with 2 GB: the reply is found, not re-sent
: >"$PROXY_DIR/log"
expect_code 0 "queue a reply" tdesk reply -m "Reply with a huge answer." "$t2"
proxy_rules '[{"method":"POST","path":"/correspond$","do":"hugeafter","times":1}]'
expect_code 0 "a sync whose reply is answered with 2 GB" tdesk sync
expect_eq "...posted once" "$(grep -c "POST /REST/2.0/ticket/$t2/correspond" "$PROXY_DIR/log")" 1
expect_eq "...the reply is in RT once" "$(rt_count_msgs "$t2" Correspond 'Reply with a huge answer.')" 1
expect_eq "...the action is done" "$(last_state)" done

# the web UI's login page answers a reply (RT never saw it): the run stops
# saying so, the reply is kept and the next sync sends it once
: >"$PROXY_DIR/log"
expect_code 0 "queue a reply" tdesk reply -m "Reply meeting a login page." "$t2"
proxy_rules '[{"method":"POST","path":"/correspond$","do":"html","times":1}]'
expect_code 5 "a sync answered with a login page fails" tdesk sync
expect_match "...saying RT sent an HTML page" "$(last_err)" "HTML page, not REST 2.0 JSON"
expect_eq "...the reply is kept" "$(last_state)" inflight
expect_code 0 "the next sync" tdesk sync
expect_eq "...the reply is in RT once" "$(rt_count_msgs "$t2" Correspond 'Reply meeting a login page.')" 1
expect_eq "...the action is done" "$(last_state)" done

# RT applied a note and answered 500: looked up in the history, not re-sent
: >"$PROXY_DIR/log"
expect_code 0 "queue a note" tdesk note -m "Note answered with a 500." "$t2"
proxy_rules '[{"method":"POST","path":"/comment$","do":"500after","times":1}]'
expect_code 0 "a sync whose note is answered 500" tdesk sync
expect_eq "...posted once" "$(grep -c "POST /REST/2.0/ticket/$t2/comment" "$PROXY_DIR/log")" 1
expect_eq "...the note is in RT once" "$(rt_count_msgs "$t2" Comment 'Note answered with a 500.')" 1
expect_eq "...nothing is left in the outbox" "$(sql "$RT_DB" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0

# RT fails every reply with a 500 (RT never applies it): the sync gives up
# with RT's words, the reply is kept and sent once when RT works again
: >"$PROXY_DIR/log"
expect_code 0 "queue a reply" tdesk reply -m "Reply meeting 500s." "$t2"
proxy_rules '[{"method":"POST","path":"/correspond$","do":"500"}]'
export TDESK_SYNC_MAX_ATTEMPTS=2
expect_code 5 "a sync meeting only 500s fails" tdesk sync
unset TDESK_SYNC_MAX_ATTEMPTS
expect_match "...with the server's answer" "$(last_err)" "RT kept failing \(HTTP 500"
expect_eq "...the reply is kept" "$(last_state)" inflight
proxy_rules '[]'
expect_code 0 "the next sync" tdesk sync
expect_eq "...the reply is in RT once" "$(rt_count_msgs "$t2" Correspond 'Reply meeting 500s.')" 1
done_testing
