#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A search's --count is the number of rows tdesk list prints, for words,
# phrases, Chinese and negations, alone and with filters; and a ticket
# the sync forgot is neither listed nor counted while the full-text index
# still holds it (its row is dropped at the next refresh: a count of the
# text's hits alone must not include it).
. "$(dirname "$0")/lib.sh"

tdesk demo --tickets 3000 >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db

agree_all() {	# label prefix
	count_agrees "$1word" withdrawal
	count_agrees "$1phrase" '"destination tag"'
	count_agrees "$1Chinese" 提现
	count_agrees "$1Chinese phrase, negated filter" '"提现"' -- -lang:en
	count_agrees "$1word and filter" xrp 'status<solved'
	count_agrees "$1negation" the -- -account
	count_agrees "$1negations and filters" 您 -- -提现 is:unassigned
	count_agrees "$1word and priority" account 'priority>=high'
}
agree_all ""
n=$(tdesk list --count '"destination tag"')
check "the phrase has hits ($n)" test "$n" -gt 5

# forget a ticket the phrase finds as the sync does (its row goes, the
# index waits for the next refresh)
id=$(tdesk list --order id --limit 1 '"destination tag"' | awk '{ print $1 }')
check "a ticket to forget ($id)" test -n "$id"
sql "$db" "BEGIN; DELETE FROM comments WHERE ticket_id = $id;
	DELETE FROM ticket_tags WHERE ticket_id = $id;
	DELETE FROM slas WHERE ticket_id = $id;
	DELETE FROM tickets WHERE id = $id;
	INSERT OR IGNORE INTO fts_dirty(ticket_id) VALUES($id); COMMIT;"
expect_eq "the index still holds it" \
	"$(sql "$db" "SELECT count(*) FROM ticket_fts WHERE rowid = $id")" 1
expect_eq "one fewer counted" "$(tdesk list --count '"destination tag"')" \
	"$((n - 1))"
agree_all "forgotten: "
check "not listed" sh -c "! '$TDESK' -d demo list '\"destination tag\"' |
	awk '{ print \$1 }' | grep -qx '$id'"
done_testing
