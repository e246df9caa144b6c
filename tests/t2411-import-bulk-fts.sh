#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A bulk load holds the full text's merges until its end (store/bulk.c):
# afterwards searches find what they find in a desk filled page by page,
# and the desk merges its full text as before when syncs add to it (the
# settings are given back, a desk's own ones included); a failed import
# changes none of them.
. "$(dirname "$0")/lib.sh"

pages=$WORK/pages
dump_pages "$pages" 400 7 --dump-list all
set -- "$pages"/page-*.json
check "four pages" test $# -ge 4

# in effect: a setting without a row is FTS5's default
merges() { sql "$1" "SELECT 'automerge', coalesce((SELECT v FROM
	ticket_fts_config WHERE k = 'automerge'), 4);
	SELECT 'crisismerge', coalesce((SELECT v FROM ticket_fts_config
	WHERE k = 'crisismerge'), 16)"; }
defaults=$(printf 'automerge|4\ncrisismerge|16')

tdesk -d "$WORK/ref.db" import "$1" 2>/dev/null || fail "first page"
for p in "${@:2}"; do
	tdesk -d "$WORK/ref.db" import "$p" 2>/dev/null || fail "import $p"
done
expect_code 0 "all pages at once into an empty desk" \
	tdesk -d "$WORK/bulk.db" import "$@"
for w in the refund withdrawal 'account locked' 提现 退款; do
	got=$(tdesk -d "$WORK/bulk.db" list --order id "$w" | md5sum)
	want=$(tdesk -d "$WORK/ref.db" list --order id "$w" | md5sum)
	expect_eq "full text '$w': the same tickets" "$got" "$want"
done
hits=$(tdesk -d "$WORK/bulk.db" list --count the)
check "common words are found ($hits)" test "${hits:-0}" -gt 100
expect_eq "one merged full text" "ok" "$(sql "$WORK/bulk.db" \
	"INSERT INTO ticket_fts(ticket_fts) VALUES('integrity-check');
	SELECT 'ok'")"
expect_eq "merges as before (FTS5's defaults) afterwards" "$(merges "$WORK/bulk.db")" \
	"$defaults"

# a desk with its own settings keeps them
printf '{"tickets": []}' >"$WORK/none.json"
tdesk -d "$WORK/own.db" import "$WORK/none.json" 2>/dev/null || fail "empty desk"
sql "$WORK/own.db" "INSERT INTO ticket_fts(ticket_fts, rank)
	VALUES('automerge', 8)"
expect_code 0 "a bulk load into it" tdesk -d "$WORK/own.db" import "$@"
expect_eq "its automerge is its own again" \
	"$(merges "$WORK/own.db")" "$(printf 'automerge|8\ncrisismerge|16')"

# a failed bulk load: nothing changed
tdesk -d "$WORK/fail.db" import "$WORK/none.json" 2>/dev/null || fail "empty desk"
before=$(sql "$WORK/fail.db" "SELECT * FROM ticket_fts_config ORDER BY k")
printf '{"tickets": [' >"$WORK/bad.json"
expect_code 1 "an import with a broken file fails" \
	tdesk -d "$WORK/fail.db" import "$1" "$2" "$WORK/bad.json"
expect_eq "the settings as before" \
	"$(sql "$WORK/fail.db" "SELECT * FROM ticket_fts_config ORDER BY k")" \
	"$before"
done_testing
