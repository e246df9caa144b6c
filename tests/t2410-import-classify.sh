#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk import classifies tickets on its reader threads, ahead of the
# write (store/class_memo.c); the desk keeps a result only when it came
# from the text the desk stored. So after an import every ticket has the
# class the rules give its stored text (a full re-run changes nothing),
# also a ticket whose secret was redacted on the way in (its raw text
# says deposit, its stored text nothing), a ticket sent twice (the newer
# copy wins whatever the order of the files) and a subject with a NUL;
# and the classes and other derived rows (full text, tags, SLA rows) are
# those of the page-by-page import.
. "$(dirname "$0")/lib.sh"

pages=$WORK/pages
dump_pages "$pages" 1500 7 --dump-list all
set -- "$pages"/page-*.json
check "15 pages" test $# -ge 15

# a valid BIP39 phrase whose words alone read as a deposit question
seed="deposit deposit trade security frozen abandon amount liar expire"
seed="$seed adjust cage armor"
expect_match "the raw words classify as deposit" \
	"$(printf '{"id":1,"subject":"hello","body":"%s"}\n' "$seed" |
	tdesk classify --jsonl)" '"category":"deposit"'
tk() { # id, subject, description, updated_at
	printf '{"id":%s,"subject":"%s","description":"%s","status":"open",' \
		"$1" "$2" "$3"
	printf '"requester_id":77001,"created_at":"2024-05-01T10:00:00Z",'
	printf '"updated_at":"%s"}' "$4"
}
newer="2024-05-02T10:00:00Z" older="2024-05-01T10:00:00Z"
{ printf '{"tickets":['
  tk 900001 hello "$seed" "$newer"; printf ','
  tk 900002 "withdrawal stuck" "my withdrawal never arrived" "$newer"
  printf ','
  tk 900003 '\u0000deposit' 'my deposit is missing' "$newer"
  printf ',{"id":900004,"subject":null,"description":null,'
  printf '"updated_at":"%s"}]}' "$newer"
} >"$WORK/a.json"
# an older copy of 900002 after the newer one, and the other way round
{ printf '{"tickets":['
  tk 900002 "deposit" "my deposit is not credited" "$older"; printf ','
  tk 900005 "deposit" "my deposit is not credited" "$older"
  printf ']}'
} >"$WORK/b.json"
{ printf '{"tickets":['
  tk 900005 "withdrawal stuck" "my withdrawal never arrived" "$newer"
  printf ']}'
} >"$WORK/c.json"

all=("$@" "$WORK/a.json" "$WORK/b.json" "$WORK/c.json")
expect_code 0 "one import into an empty desk" \
	tdesk -d "$WORK/bulk.db" import "${all[@]}"
cls() { sql "$WORK/bulk.db" "SELECT category FROM tickets WHERE id = $1"; }
expect_eq "the redacted ticket's class is its stored text's" "$(cls 900001)" \
	"$(printf '{"id":1,"subject":"hello","body":"%s"}\n' "$(sql \
	"$WORK/bulk.db" "SELECT description FROM tickets WHERE id = 900001")" |
	tdesk classify --jsonl | sed 's/.*"category":"\([a-z_]*\)".*/\1/')"
check "the secret is not stored" test "$(sql "$WORK/bulk.db" \
	"SELECT count(*) FROM tickets WHERE description LIKE '%armor%'")" = 0
expect_eq "the newer copy's class (older copy later)" "$(cls 900002)" \
	withdrawal
expect_eq "the newer copy's class (older copy first)" "$(cls 900005)" \
	withdrawal
expect_eq "the NUL subject's ticket classified" "$(cls 900003)" deposit
expect_eq "every ticket classified" "$(sql "$WORK/bulk.db" \
	"SELECT count(*) FROM tickets t LEFT JOIN ticket_class c ON
	c.ticket_id = t.id WHERE c.ticket_id IS NULL OR t.category = ''")" 0
expect_code 0 "the rules again over the whole desk" \
	tdesk -d "$WORK/bulk.db" classify --desk
expect_match "change nothing" "$(last_err)" " 0 changed"

# page by page, into a desk that already holds tickets
for p in "${all[@]}"; do
	tdesk -d "$WORK/ref.db" import "$p" 2>/dev/null || fail "import $p"
done
classes() { sql "$1" "SELECT ticket_id, category, incident, urgent,
	priority, grp, rules FROM ticket_class ORDER BY ticket_id"; }
expect_eq "the same classes as page by page" "$(classes "$WORK/ref.db")" \
	"$(classes "$WORK/bulk.db")"
derived() { sql "$1" "SELECT * FROM ticket_tags ORDER BY 1, 2;
	SELECT * FROM slas ORDER BY 1, 2;
	SELECT rowid, subject, body FROM ticket_fts ORDER BY rowid;
	SELECT count(*) FROM ticket_fts WHERE ticket_fts MATCH 'withdrawal';
	SELECT id, sla_breach_at, urgent, vip, lang FROM tickets ORDER BY id"; }
expect_eq "the same derived rows as page by page" \
	"$(derived "$WORK/ref.db")" "$(derived "$WORK/bulk.db")"
expect_eq "integrity" ok "$(sql "$WORK/bulk.db" 'PRAGMA integrity_check')"
expect_eq "nothing left to refresh" 0 "$(sql "$WORK/bulk.db" \
	'SELECT (SELECT count(*) FROM fts_dirty) + (SELECT count(*) FROM
	class_dirty)')"
expect_eq "the same ticket categories" \
	"$(sql "$WORK/ref.db" 'SELECT id, category, incident, urgent FROM
	tickets ORDER BY id')" \
	"$(sql "$WORK/bulk.db" 'SELECT id, category, incident, urgent FROM
	tickets ORDER BY id')"
done_testing
