#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An import into an empty desk builds its indexes once, after the load
# (store/bulk.c): afterwards the desk has every index it would have had,
# the same rows as an import into a desk that already held tickets, and
# an import that fails half-way leaves the indexes (and nothing else).
. "$(dirname "$0")/lib.sh"

pages=$WORK/pages
dump_pages "$pages" 600 3 --dump-list all
set -- "$pages"/page-*.json
check "six pages" test $# -ge 6

schema() { sql "$1" "SELECT type, name, sql FROM sqlite_schema ORDER BY name"; }
indexes() { sql "$1" "SELECT name FROM sqlite_schema WHERE type = 'index'
	AND sql IS NOT NULL ORDER BY name"; }

# a desk that never saw a bulk load: created, then one page at a time
expect_code 0 "first page into a new desk" tdesk -d "$WORK/ref.db" import "$1"
for p in "${@:2}"; do
	tdesk -d "$WORK/ref.db" import "$p" 2>/dev/null || fail "import $p"
done
expect_code 0 "all pages at once into an empty desk" \
	tdesk -d "$WORK/bulk.db" import "$@"
check "tickets_lanes is among the reference's indexes" \
	grep -qx tickets_lanes <(indexes "$WORK/ref.db")
expect_eq "the same schema, indexes included" "$(schema "$WORK/ref.db")" \
	"$(schema "$WORK/bulk.db")"
rows() { sql "$1" "SELECT id, subject, status, priority_rank, lang, vip,
	urgent, organization_id, sla_breach_at, tags FROM tickets ORDER BY id;
	SELECT * FROM ticket_tags ORDER BY 1, 2;
	SELECT id, name, email, locale, vip FROM users ORDER BY id;
	SELECT count(*) FROM ticket_fts WHERE ticket_fts MATCH 'the'"; }
expect_eq "the same rows" "$(rows "$WORK/ref.db")" "$(rows "$WORK/bulk.db")"
expect_eq "integrity" "ok" "$(sql "$WORK/bulk.db" 'PRAGMA integrity_check')"
plan=$(sql "$WORK/bulk.db" "EXPLAIN QUERY PLAN SELECT id FROM tickets
	WHERE assignee_id = 5")
expect_match "a query uses a rebuilt index" "$plan" "tickets_assignee"

# a bad file after good ones: nothing imported, indexes intact
printf '{"tickets": [' >"$WORK/bad.json"
expect_code 1 "an import with a broken file fails" \
	tdesk -d "$WORK/fail.db" import "$1" "$2" "$WORK/bad.json"
expect_match "says nothing was imported" "$(last_err)" "nothing was imported"
expect_eq "no tickets" "0" "$(sql "$WORK/fail.db" 'SELECT count(*) FROM tickets')"
expect_eq "every index still there" "$(indexes "$WORK/ref.db")" \
	"$(indexes "$WORK/fail.db")"
# a page that maps badly (a ticket without an id) after good ones: the
# whole import is rolled back, as before
printf '{"tickets": [{"subject": "no id"}]}' >"$WORK/noid.json"
expect_code 1 "an import with an unmappable page fails" \
	tdesk -d "$WORK/fail2.db" import "$1" "$2" "$WORK/noid.json"
expect_match "names the page" "$(last_err)" "noid.json"
expect_eq "no tickets either" "0" \
	"$(sql "$WORK/fail2.db" 'SELECT count(*) FROM tickets')"
expect_eq "every index there" "$(indexes "$WORK/ref.db")" \
	"$(indexes "$WORK/fail2.db")"
done_testing
