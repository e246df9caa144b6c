#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk list --count (kept counts for status, assignee and VIP) agrees with
# the rows tdesk list prints, through local changes and their undo; and a
# search mixing words, a pasted hash and negations works in every order.
. "$(dirname "$0")/lib.sh"

tdesk demo --tickets 3000 >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db

# --count against the rows a plain list prints, for kept and other queries
queries=("status<solved" "status:open,pending" "assignee:me status<solved"
	"is:unassigned" "vip:yes status<solved" "-status:solved" "lang:zh"
	"withdrawal" "is:mine -vip:yes")
for q in "${queries[@]}"; do count_agrees "$q" $q; done
n=$(tdesk list --count "status<solved")
check "some active tickets ($n)" test "$n" -gt 100

# a local change moves a ticket between counts; dropping it moves it back
id=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' AND vip = 0 LIMIT 1")
open=$(tdesk list --count status:open)
solved=$(tdesk list --count status:solved)
expect_code 0 "set solved" tdesk set "$id" status=solved assignee=none
expect_eq "one fewer open" "$(tdesk list --count status:open)" "$((open - 1))"
expect_eq "one more solved" "$(tdesk list --count status:solved)" "$((solved + 1))"
for q in "${queries[@]}"; do count_agrees "after the change: $q" $q; done
ob=$(sql "$db" "SELECT id FROM outbox ORDER BY id DESC LIMIT 1")
expect_code 0 "drop the change" tdesk outbox drop "$ob"
expect_eq "open again" "$(tdesk list --count status:open)" "$open"
for q in "${queries[@]}"; do count_agrees "after the drop: $q" $q; done

# a word next to a pasted hash (FTS5 rejected the implicit AND before the
# hash's parentheses), and negated words with positive ones
hash=8f3a9c21d4e5b7a6
expect_code 0 "a word and a hash" tdesk list withdrawal "0x$hash"
expect_code 0 "a hash and words" tdesk list "$hash" withdrawal account
neg=$(tdesk list --count withdrawal -- -提现)
all=$(tdesk list --count withdrawal)
with=$(tdesk list --count withdrawal 提现)
expect_eq "withdrawal -提现 is withdrawal less withdrawal 提现" "$neg" "$((all - with))"
# one clock for both lists: a minute passing between them changes the
# ages shown and may breach an SLA, which is not what is compared here
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for o in urgent updated id; do
	expect_eq "order $o: a search's first screen is the head of its list" \
		"$(TDESK_NOW=$now tdesk list --order $o --limit 20 withdrawal -- -提现)" \
		"$(TDESK_NOW=$now tdesk list --order $o withdrawal -- -提现 | head -n 20)"
done
done_testing
