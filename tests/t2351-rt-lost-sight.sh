#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Things an RT agent loses sight of on a real RT server: a queue the desk
# names but the agent cannot see, a ticket moved into such a queue while a
# reply waits, a ticket merged into another (RT answers for the survivor),
# a custom field disabled after the desk read it. A clear message, the
# other actions pushed, nothing sent where it should not go, no ghost
# tickets, no customer message lost from view.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start

t1=$(rt_new Support "Merged away" "first question" agent)
t2=$(rt_new Support "Survivor" "second question" agent)
t3=$(rt_new Support "Moves to Billing" "third question" agent)
t4=$(rt_new Support "Stays" "fourth question" agent)
rt_api PUT "/ticket/$t4" '{"CustomFields":{"Severity":"high"}}' >/dev/null
export RT_TOKEN
# Billing exists, but the agent has no right on it
tdesk init --desk rt --backend rt --url "$RT_URL" --user agent \
	--token-env RT_TOKEN --group Support --group Billing >/dev/null ||
	fail "tdesk init"
RT_DB=$XDG_DATA_HOME/tdesk/rt.db
ids() { tdesk list 2>/dev/null | awk '{print $1}' | sort -n | tr '\n' ' '; }
# as RT's system user: how many Correspond transactions of ticket $1 carry $2
rt_sys_count() {
	rt_perl "my \$t = RT::Ticket->new(\$sys); \$t->Load($1); my \$n = 0;
my \$x = \$t->Transactions; while (my \$tx = \$x->Next) {
  \$n++ if \$tx->Type eq 'Correspond' && (\$tx->Content // '') =~ /\Q$2\E/ }
print \"\$n\n\";"
}

expect_code 0 "a desk naming a queue the agent cannot see syncs" tdesk sync
expect_eq "...with the tickets it can see" "$(ids)" "$t1 $t2 $t3 $t4 "

# moved into Billing while a reply waits; another reply waits on t4
expect_code 0 "queue a reply on the ticket about to move" tdesk reply -m "Reply to a moved ticket." "$t3"
expect_code 0 "queue a reply on another ticket" tdesk reply -m "Reply that goes." "$t4"
rt_perl "my \$t = RT::Ticket->new(\$sys); \$t->Load($t3); my (\$ok, \$m) = \$t->SetQueue('Billing'); die \$m unless \$ok;" ||
	fail "move a ticket in RT"
expect_code 6 "the sync goes on, one action failed" tdesk sync
expect_match "...the other reply is pushed" "$(last_out)" "1 action pushed"
expect_match "...the failed action says why" "$(tdesk outbox)" "RT does not let agent see ticket $t3 \(HTTP 403"
expect_eq "...nothing was posted on the moved ticket" "$(rt_sys_count "$t3" 'Reply to a moved ticket.')" 0
expect_eq "...the other reply is in RT once" "$(rt_count_msgs "$t4" Correspond 'Reply that goes.')" 1

# merged in RT: the survivor shows both tickets' messages, the merged
# ticket leaves the desk
rt_perl "my \$t = RT::Ticket->new(\$sys); \$t->Load($t1); my (\$ok, \$m) = \$t->MergeInto($t2); die \$m unless \$ok;" ||
	fail "merge in RT"
sleep 1.1	# past RT's whole-second LastUpdated
expect_code 6 "a sync after the merge (one action stays failed)" tdesk sync
expect_match "the merged ticket is gone from the desk" " $(ids)" " $t2 $t3 $t4 "
show=$(tdesk show "$t2")
expect_match "the survivor shows its own question" "$show" "second question"
expect_match "...and the merged ticket's" "$show" "first question"
rt_perl "my \$t = RT::Ticket->new(\$sys); \$t->Load($t2); my (\$ok, \$m) = \$t->MergeInto($t4); die \$m unless \$ok;" ||
	fail "merge the survivor in RT"
sleep 1.1
expect_code 6 "a sync after a second merge" tdesk sync
show=$(tdesk show "$t4")
expect_match "the last survivor shows its own question" "$show" "fourth question"
expect_match "...the one merged into it" "$show" "second question"
expect_match "...and the one merged into that" "$show" "first question"
expect_match "...and only it is left" " $(ids)" " $t3 $t4 "

# a custom field the desk read, then disabled in RT
expect_match "the desk has the field's tag" "$(tdesk show "$t4")" "severity=high"
rt_perl 'my $cf = RT::CustomField->new($sys); $cf->Load("Severity"); my ($ok, $m) = $cf->SetDisabled(1); die $m unless $ok;' ||
	fail "disable a custom field in RT"
expect_code 0 "queue a change of that field" tdesk set "$t4" +severity=low
expect_code 6 "the sync fails the action" tdesk sync
expect_match "...naming the tag" "$(tdesk outbox)" "no custom field for the tag 'severity=low'"
rt_perl 'my $cf = RT::CustomField->new($sys); $cf->Load("Severity"); $cf->SetDisabled(0);'
expect_match "RT kept the old value" "$(rt_api GET "/ticket/$t4")" '"high"'
done_testing
