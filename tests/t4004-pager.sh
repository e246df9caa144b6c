#!/usr/bin/env bash
# On a terminal, list/show/outbox/faq go through a pager (TDESK_PAGER,
# else PAGER, else less -FRX); --no-pager and pipes print directly; list
# has a header row and cuts subjects to the terminal's width.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

tdesk demo >/dev/null || fail "demo"
id=$(tdesk list --limit 1 | awk '{print $1}')
cat > pager.sh <<'SH'
#!/bin/sh
cat > "$WORK/paged.$1"
echo "paged $1"
SH
chmod +x pager.sh
export WORK

# every run on one terminal, one after another
cat > runall.sh <<SH
cd "$WORK"
export TDESK_PAGER="$WORK/pager.sh list"
"$TDESK" list --limit 3
mv paged.list paged.list.1 2>/dev/null
"$TDESK" list --no-pager --limit 3
"$TDESK" --no-pager list --limit 3 > /dev/tty
test -e paged.list && echo "PAGED ANYWAY"
export TDESK_PAGER="$WORK/pager.sh show"
"$TDESK" show $id
unset TDESK_PAGER
export PAGER="$WORK/pager.sh faq"
"$TDESK" faq list
mv paged.faq paged.faq.1 2>/dev/null
export TDESK_PAGER=cat
"$TDESK" faq list > /dev/null
echo "ALL DONE"
sleep 600
SH
tmx new-session -d -s t8 -x 90 -y 30 "bash $WORK/runall.sh"
wait_for "the runs end" 'ALL DONE' 20
check "list went through TDESK_PAGER" test -s paged.list.1
expect_match "with a header row" "$(head -1 paged.list.1)" '^ID +SLA +PRI +STATUS +CHANNEL +LANG +FLAG +AGE +SUBJECT$'
expect_eq "and the rows" "$(wc -l < paged.list.1)" 4
_count=$((_count + 1))
[ "$(wc -L < paged.list.1)" -le 90 ] || fail "rows wider than the terminal: $(wc -L < paged.list.1)"
wait_for "--no-pager prints on the terminal" '^ID +SLA'
wait_gone "neither --no-pager pages" 'PAGED ANYWAY'
check "show is paged" test -s paged.show
check "PAGER is used without TDESK_PAGER" test -s paged.faq.1
check "cat means no pager" test ! -e paged.faq

# pipes never page, and have no header
unset TDESK_PAGER PAGER
expect_code 0 "list to a pipe" tdesk list --limit 2
expect_eq "two rows, no header" "$(last_out | wc -l)" 2
expect_no_match "no header" "$(last_out)" '^ID '
done_testing
