#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input from and for a real RT server: a ticket merged into another,
# a custom field that does not exist, invalid UTF-8 inside RT's JSON, and a
# change RT refuses (its words reach the agent): a clear message, the
# action failed or kept, nothing sent twice, the replica not corrupted.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start
proxy_start

t1=$(rt_new Support "To be merged" "first" agent)
t2=$(rt_new Support "Survivor" "second" agent)
t3=$(rt_new Support "Owner test" "third" agent)
rt_desk "$PROXY_URL"
expect_code 0 "first sync" tdesk sync

# merged in RT after the agent acted
expect_code 0 "queue a reply" tdesk reply -m "Reply to a merged ticket." "$t1"
rt_perl "my \$t = RT::Ticket->new(\$sys); \$t->Load($t1); my (\$ok, \$m) = \$t->MergeInto($t2); die \$m unless \$ok;" ||
	fail "merge in RT"
tdesk sync >/dev/null 2>&1
expect_match "the action failed saying where the ticket went" "$(tdesk outbox)" "merged into #$t2"
expect_eq "nothing was posted" "$(rt_count_msgs "$t2" Correspond 'Reply to a merged ticket.')" 0

# a custom field that does not exist
# a custom field that does not exist
expect_code 0 "queue a tag for a custom field RT lacks" tdesk set "$t3" +nosuchfield=1
tdesk sync >/dev/null 2>&1
expect_match "the action failed naming the tag" "$(tdesk outbox)" "no custom field for the tag 'nosuchfield=1'"

# a ticket type, which RT does not have
expect_code 0 "queue a type change" tdesk set "$t3" type=incident
tdesk sync >/dev/null 2>&1
expect_match "the action failed saying RT has no types" "$(tdesk outbox)" "RT tickets have no type"

# invalid UTF-8 inside a JSON string of RT's answer
rt_api2 PUT "/ticket/$t3" '{"Subject":"Owner test (renamed)"}' >/dev/null
proxy_rules '[{"method":"GET","path":"/tickets$","do":"badutf8"}]'
expect_code 5 "a sync with invalid UTF-8 fails" tdesk sync
expect_match "...saying the JSON cannot be read" "$(last_err)" "JSON that cannot be read .*utf-8"
expect_eq "the replica keeps the old subject" "$(sql "$RT_DB" "SELECT subject FROM tickets WHERE id = $t3")" "Owner test"
proxy_rules '[]'
expect_code 6 "the next sync (three actions stay failed)" tdesk sync
expect_eq "...reads the new subject" "$(sql "$RT_DB" "SELECT subject FROM tickets WHERE id = $t3")" "Owner test (renamed)"

# RT refuses a change (the agent lost ModifyTicket): RT's own words
rt_perl 'my $q = RT::Queue->new($sys); $q->Load("Support"); my $u = RT::User->new($sys); $u->Load("agent"); my ($ok, $m) = $u->PrincipalObj->RevokeRight(Right => "ModifyTicket", Object => $q); die $m unless $ok;' ||
	fail "revoke a right in RT"
expect_code 0 "queue a priority change" tdesk set "$t3" priority=high
tdesk sync >/dev/null 2>&1
expect_match "the action failed with RT's words" "$(tdesk outbox)" "RT: Ticket $t3: Permission Denied"
expect_eq "RT kept the priority" "$(rt_field "$t3" Priority)" 0
done_testing
