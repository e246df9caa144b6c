#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk against a real Request Tracker 5 server: init --backend rt, pull of
# the agent's and the queues' unowned tickets with their transactions, then
# a reply, a note, field changes and a custom field pushed and read back
# from RT itself; an incremental pull sees a change made in RT.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start

t1=$(rt_new Support "Cannot withdraw" "My withdrawal is stuck")
t2=$(rt_new General "KYC question" "Which documents do you need?" agent)
t3=$(rt_new Support "Other agent's ticket" "not mine" agent2)
rt_perl 'my $t = RT::Ticket->new($sys); my ($ok, undef, $m) = $t->Create(Queue => "Billing", Subject => "Invoice", Requestor => q(carol@customer.test)); die $m unless $ok;' ||
	fail "a ticket in a queue the agent cannot see"
rt_api POST "/ticket/$t1/comment" '{"Content":"internal: check the hot wallet","ContentType":"text/plain"}' >/dev/null
rt_api2 POST "/ticket/$t2/correspond" '{"Content":"Passport and a utility bill, please.","ContentType":"text/plain"}' >/dev/null

export RT_TOKEN
expect_code 0 "init --check signs in to RT" tdesk init --desk check --backend rt --url "$RT_URL" --user agent --token-env RT_TOKEN --check
expect_match "...as the agent" "$(last_out)" "signed in as Agent Person"
expect_code 2 "an RT desk needs --user" tdesk init --desk nouser --backend rt --url "$RT_URL" --token-env RT_TOKEN
expect_match "...and says so" "$(last_err)" "--user"
rt_desk
export TDESK_DESK=rt
expect_code 0 "first sync" tdesk sync
expect_match "sync says what it pulled" "$(last_out)" "2 tickets pulled"
ids=$(tdesk list --json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(str(t["id"]) for t in json.load(sys.stdin)))' 2>/dev/null || tdesk list | awk '{print $1}' | tr '\n' ' ')
expect_match "the unowned Support ticket is pulled" " $ids " " $t1 "
expect_match "the agent's General ticket is pulled" " $ids " " $t2 "
expect_no_match "another agent's ticket is not" " $ids " " $t3 "
expect_no_match "a queue the agent cannot see is not" " $ids " " 4 "
show=$(tdesk show "$t1")
expect_match "the first message" "$show" "My withdrawal is stuck"
expect_match "a Comment is an internal note" "$show" '\[internal note\]'
expect_match "requestor" "$show" "carol@customer.test"
expect_match "queue as group" "$show" "group: Support"
expect_match "RT's status" "$show" "status: new"
show2=$(tdesk show "$t2")
expect_match "a Correspond is a public reply" "$show2" "Passport and a utility bill"
expect_no_match "...not an internal one" "$show2" '\[internal note\] Agent2'
expect_match "owner as assignee" "$show2" "assignee: Agent Person"

# push a reply, a note, fields
expect_code 0 "reply" tdesk reply -m "We are checking your withdrawal." "$t1"
expect_code 0 "note" tdesk note -m "Asked compliance." "$t2"
expect_code 0 "set fields" tdesk set "$t1" status=pending priority=urgent assignee=me
expect_code 0 "sync pushes" tdesk sync
expect_match "three actions pushed" "$(last_out)" "3 actions pushed"
expect_eq "the reply is in RT once, as a Correspond" "$(rt_count_msgs "$t1" Correspond 'We are checking your withdrawal.')" 1
expect_eq "the note is in RT once, as a Comment" "$(rt_count_msgs "$t2" Comment 'Asked compliance.')" 1
expect_eq "status pending is RT's stalled" "$(rt_field "$t1" Status)" stalled
expect_eq "priority urgent" "$(rt_field "$t1" Priority)" 150
expect_eq "owner" "$(rt_field "$t1" Owner)" agent
expect_eq "the outbox is empty" "$(sql "$RT_DB" "SELECT count(*) FROM outbox WHERE state <> 'done'")" 0
expect_match "the replica shows RT's view" "$(tdesk show "$t1")" "status: pending  priority: urgent"

# a custom field as a tag name=value
expect_code 0 "set a custom field" tdesk set "$t1" +severity=high
expect_code 0 "sync" tdesk sync
expect_match "RT has the custom field" "$(rt_api GET "/ticket/$t1")" '"high"'
expect_match "the tag reads back" "$(tdesk show "$t1")" "severity=high"

# incremental: a change made in RT by someone else
rt_api2 PUT "/ticket/$t2" '{"Subject":"KYC documents"}' >/dev/null
rt_api2 POST "/ticket/$t2/correspond" '{"Content":"Any news?","ContentType":"text/plain"}' >/dev/null
expect_code 0 "incremental sync" tdesk sync
expect_match "the new subject" "$(tdesk show "$t2")" "KYC documents"
expect_match "the new message" "$(tdesk show "$t2")" "Any news"

# a ticket given to another agent in RT leaves the desk
rt_perl "my \$t = RT::Ticket->new(\$sys); \$t->Load($t2); my (\$ok, \$m) = \$t->SetOwner('agent2', 'Force'); die \$m unless \$ok;" ||
	fail "reassign in RT"
expect_code 0 "sync after a reassignment" tdesk sync
expect_eq "the reassigned ticket is gone" "$(sql "$RT_DB" "SELECT count(*) FROM tickets WHERE id = $t2")" 0

# deleted in RT, or in a queue the agent can no longer see: the daily full
# pass (forced here) forgets them
t5=$(rt_new General "Spam" "buy now" agent)
t6=$(rt_new General "Visible until the rights go" "hello" agent)
expect_code 0 "sync two new tickets" tdesk sync
expect_eq "both are in the desk" "$(sql "$RT_DB" "SELECT count(*) FROM tickets WHERE id IN ($t5, $t6)")" 2
rt_perl "my \$t = RT::Ticket->new(\$sys); \$t->Load($t5); my (\$ok, \$m) = \$t->SetStatus('deleted'); die \$m unless \$ok;" ||
	fail "delete in RT"
rt_perl 'my $q = RT::Queue->new($sys); $q->Load("General"); my $u = RT::User->new($sys); $u->Load("agent"); for my $r (qw(ShowTicket SeeQueue)) { my ($ok, $m) = $u->PrincipalObj->RevokeRight(Right => $r, Object => $q); die $m unless $ok }' ||
	fail "revoke rights in RT"
sql "$RT_DB" "UPDATE sync_state SET value = '0' WHERE key = 'rt.full_at'"
expect_code 0 "a full pass" tdesk sync
expect_eq "the deleted ticket is gone" "$(sql "$RT_DB" "SELECT count(*) FROM tickets WHERE id = $t5")" 0
expect_eq "the ticket the agent can no longer see is gone" "$(sql "$RT_DB" "SELECT count(*) FROM tickets WHERE id = $t6")" 0
expect_eq "the Support ticket stays" "$(sql "$RT_DB" "SELECT count(*) FROM tickets WHERE id = $t1")" 1
expect_code 0 "a sync with nothing new" tdesk sync
expect_match "pulls nothing twice" "$(last_out)" "synced"
done_testing
