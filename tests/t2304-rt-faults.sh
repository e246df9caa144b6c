#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults between tdesk and a real RT server (through the fault proxy):
# connection resets and lost answers during a push end with each action in
# RT exactly once in the same sync; a 500 is retried; an HTML login page
# and a refused token give a clear message.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start
proxy_start

t1=$(rt_new Support "Reset" "reset me" agent)
t2=$(rt_new Support "Lost" "lose me" agent)
rt_desk "$PROXY_URL"
expect_code 0 "first sync" tdesk sync

# a reset before RT saw the reply: sent again, once
expect_code 0 "queue a reply" tdesk reply -m "Reply through a reset." "$t1"
proxy_rules '[{"method":"POST","path":"/correspond$","do":"reset","times":1}]'
expect_code 0 "sync survives a reset" tdesk sync
expect_match "the proxy reset one request" "$(cat "$PROXY_DIR/log")" "POST /REST/2.0/ticket/$t1/correspond reset"
expect_eq "the reply is in RT once" "$(rt_count_msgs "$t1" Correspond 'Reply through a reset.')" 1

# RT applied the note but the answer was lost: found in the history, not re-sent
: >"$PROXY_DIR/log"
expect_code 0 "queue a note" tdesk note -m "Note with a lost answer." "$t2"
proxy_rules '[{"method":"POST","path":"/comment$","do":"lose","times":1}]'
expect_code 0 "sync survives a lost answer" tdesk sync
expect_eq "the note was posted once" "$(grep -c "POST /REST/2.0/ticket/$t2/comment" "$PROXY_DIR/log")" 1
expect_eq "the note is in RT once" "$(rt_count_msgs "$t2" Comment 'Note with a lost answer.')" 1
expect_eq "nothing is left in the outbox" "$(sql "$RT_DB" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0

# a 500 on the ticket search is retried
rt_api2 PUT "/ticket/$t1" '{"Subject":"Reset (renamed)"}' >/dev/null
proxy_rules '[{"method":"GET","path":"/tickets$","do":"500","times":1}]'
expect_code 0 "sync retries a 500" tdesk sync
expect_match "the retry is counted" "$(last_out)" "1 retry"
expect_match "and the change arrives" "$(tdesk show "$t1")" "Reset \(renamed\)"

# the web UI's login page where JSON was expected
proxy_rules '[{"method":"GET","path":"/user/","do":"html"}]'
expect_code 5 "an HTML answer fails the sync" tdesk sync
expect_match "...saying so" "$(last_err)" "HTML page, not REST 2.0 JSON"
proxy_rules '[]'

# a refused token (RT sends no WWW-Authenticate)
RT_TOKEN=1-2-wrongtoken expect_code 7 "a wrong token" tdesk sync
expect_match "...says the credentials were refused" "$(last_err)" "refused the credentials"
done_testing
