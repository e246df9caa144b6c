#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk against RT's own command-line client (rt5-clients) on the same
# private RT 5 server; prints numbers and ratios, never fails on a slow day.
# Usage: tests/bench/rt_bench.sh [TICKETS [REPLIES]] (default 1000 100)
#  1. `rt ls` of TICKETS tickets vs `tdesk list` of the same tickets (after
#     one full `tdesk sync`, whose time is printed too, as is the time of a
#     sync with nothing changed);
#  2. REPLIES replies by `rt correspond` (one process each) vs `tdesk reply`
#     of each plus one `tdesk sync --push` that pushes them all (each with
#     its conflict check and exactly-once bookkeeping: 3 RT requests).
# RT's scrips are disabled first so that neither side waits for mail.
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/rt/lib.sh"
N=${1:-1000}
R=${2:-100}
command -v rt >/dev/null || { echo "rt_bench: RT's CLI is not installed (apt-get install rt5-clients)"; exit 77; }
rt_start

now() { date +%s.%N; }
secs() { python3 -c "print('%.2f' % ($2 - $1))"; }
ratio() { python3 -c "print('%.2f' % ($1 / $2 if $2 > 0 else 0))"; }

echo "== $N tickets owned by the agent (RT's perl API)"
t0=$(now)
rt_perl '
# no mail scrips: both clients are measured without RT sending mail
my $s = RT::Scrips->new($sys); $s->UnLimit;
while (my $x = $s->Next) { $x->SetDisabled(1) }
my $u = RT::User->new($sys); $u->Load("agent");
for my $i (1..'"$N"') {
    my $t = RT::Ticket->new($sys);
    my ($ok, undef, $m) = $t->Create(Queue => "Support", Owner => $u->Id,
        Subject => "Bench ticket $i", Requestor => q(carol@customer.test),
        MIMEObj => MIME::Entity->build(Data => "Question number $i", Type => "text/plain"));
    die $m unless $ok;
}' || { echo "rt_bench: could not create tickets"; exit 1; }
echo "created in $(secs "$t0" "$(now)") s"

export RTSERVER=$RT_URL RTUSER=agent RTPASSWD=password-agent
q="Owner = 'agent'"
t0=$(now)
rtn=$(rt ls -t ticket "$q" | grep -cE '^ *[0-9]+ ')
t_rtls=$(secs "$t0" "$(now)")
echo "rt ls: $rtn tickets in $t_rtls s"

rt_desk
t0=$(now)
tdesk sync >"$WORK/sync.out" 2>&1
t_sync=$(secs "$t0" "$(now)")
echo "tdesk sync (first, full, with every ticket's history): $t_sync s: $(cat "$WORK/sync.out")"
t0=$(now)
tdn=$(tdesk list 'assignee:me' | wc -l)
t_list=$(secs "$t0" "$(now)")
echo "tdesk list: $tdn tickets in $t_list s"
echo "ratio rt ls / tdesk list: $(ratio "$t_rtls" "$t_list")x"
sleep 2	# past RT's whole-second LastUpdated
t0=$(now)
tdesk sync >"$WORK/sync2.out" 2>&1
echo "tdesk sync with nothing changed: $(secs "$t0" "$(now)") s: $(cat "$WORK/sync2.out")"

echo "== $R replies"
ids=$(rt ls -i -t ticket "$q" | sed 's#ticket/##' | head -n "$R")
t0=$(now)
for id in $ids; do rt correspond -m "rt reply to $id" "$id" >/dev/null; done
t_rtc=$(secs "$t0" "$(now)")
echo "rt correspond x $R: $t_rtc s"
t0=$(now)
for id in $ids; do tdesk reply -m "tdesk reply to $id" "$id" >/dev/null 2>&1; done
t_queue=$(secs "$t0" "$(now)")
tdesk sync --push >"$WORK/push.out" 2>&1
t_push=$(secs "$t0" "$(now)")
echo "tdesk reply x $R (queued in $t_queue s) + tdesk sync --push: $t_push s: $(cat "$WORK/push.out")"
echo "ratio rt correspond / (tdesk reply + sync): $(ratio "$t_rtc" "$t_push")x"
dups=0
for id in $(echo "$ids" | head -5); do
	[ "$(rt_count_msgs "$id" Correspond "tdesk reply to $id")" = 1 ] || dups=$((dups + 1))
done
echo "replies not exactly once (first 5 checked): $dups"
done_testing
