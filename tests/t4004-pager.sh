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

run_tty() { # NAME ENV-ASSIGNMENTS... -- tdesk args: run on a terminal
	local name=$1; shift
	tmx kill-session -t t8 >/dev/null 2>&1
	tui_start 90 30 "$@"
	wait_for "$name ends" '\[exit [0-9]+\]' 10
}
export TDESK_PAGER="$WORK/pager.sh list"
run_tty "list on a terminal" list --limit 3
check "list went through TDESK_PAGER" test -s paged.list
expect_match "with a header row" "$(head -1 paged.list)" '^ID +SLA +PRI +STATUS +CHANNEL +LANG +FLAG +AGE +SUBJECT$'
expect_eq "and the rows" "$(wc -l < paged.list)" 4
_count=$((_count + 1))
[ "$(wc -L < paged.list)" -le 90 ] || fail "rows wider than the terminal: $(wc -L < paged.list)"

rm -f paged.*
run_tty "list --no-pager" list --no-pager --limit 3
check "--no-pager prints directly" test ! -e paged.list
wait_for "on the terminal" '^ID +SLA'
run_tty "tdesk --no-pager list" --no-pager list --limit 3
check "the global --no-pager too" test ! -e paged.list

export TDESK_PAGER="$WORK/pager.sh show"
run_tty "show" show "$id"
check "show is paged" test -s paged.show
unset TDESK_PAGER
export PAGER="$WORK/pager.sh faq"
run_tty "faq with PAGER" faq list
check "PAGER is used without TDESK_PAGER" test -s paged.faq
export TDESK_PAGER=cat
rm -f paged.*
run_tty "TDESK_PAGER=cat" faq list
check "cat means no pager" test ! -e paged.faq

# pipes never page, and have no header
unset TDESK_PAGER PAGER
expect_code 0 "list to a pipe" tdesk list --limit 2
expect_eq "two rows, no header" "$(last_out | wc -l)" 2
expect_no_match "no header" "$(last_out)" '^ID '
done_testing
