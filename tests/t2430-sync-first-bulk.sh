#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The first pull into an empty desk is a bulk load (sync/pull.c, like an
# import into an empty desk): one transaction, the secondary indexes of
# tickets and users dropped and built again at its end. Afterwards the
# desk has every index it started with; a kill -9 in the middle leaves the
# empty desk with its indexes (and the next sync fills it); a server that
# fails half-way keeps the pages read before the failure, indexes intact.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 700 --seed 3 --request-log "$WORK/requests.log"
indexes() { sql "$DB" "SELECT name, sql FROM sqlite_schema
	WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"; }
# the schema of a new desk, before anything was loaded
expect_code 0 "stats on the new desk" tdesk stats
want=$(indexes)
check "the new desk has ticket indexes" grep -q tickets_assignee <<<"$want"
server_mine=$(zd_state tickets=all | pj 'sum(1 for t in d["tickets"]
	if t["assignee_id"] == d["agent_id"])')
check "several list pages" test "$server_mine" -gt 300

# 1. killed in the middle of the list: the transaction is rolled back
# the third page is parked until the admin releases it
zd_admin faults '{"faults":[{"endpoint":"tickets.list","kind":"hold",
	"release":"admin","mode":"always","skip":2}]}' >/dev/null
TDESK_SYNC_LOW_SPEED_TIME=60 "$TDESK" sync --pull >/dev/null 2>&1 &
pid=$!
held() { zd_state tickets=none | pj 'd["held"]'; }
for i in $(seq 1 300); do
	[ "$(held)" -ge 1 ] && break
	sleep 0.1
done
expect_eq "the sync waits for a third page" "1" "$(held)"
kill -9 "$pid"
wait "$pid" 2>/dev/null
zd_admin faults '{"clear":true}' >/dev/null
zd_admin release >/dev/null
expect_eq "killed: no half load" "0" "$(sql "$DB" "SELECT count(*) FROM tickets")"
expect_eq "killed: every index there" "$want" "$(indexes)"
expect_eq "killed: integrity" "ok" "$(sql "$DB" 'PRAGMA integrity_check')"

# 2. the next sync loads everything and builds the indexes again
expect_code 0 "sync after the kill" tdesk sync --pull
expect_eq "every ticket of mine" "$server_mine" \
	"$(sql "$DB" "SELECT count(*) FROM tickets WHERE assignee_id =
	    (SELECT value FROM sync_state WHERE key = 'me.id')")"
expect_eq "the same indexes as a new desk" "$want" "$(indexes)"
expect_eq "integrity" "ok" "$(sql "$DB" 'PRAGMA integrity_check')"
plan=$(sql "$DB" "EXPLAIN QUERY PLAN SELECT id FROM tickets
	WHERE assignee_id = 5")
expect_match "a query uses a rebuilt index" "$plan" "tickets_assignee"
expect_code 0 "list after the first sync" tdesk list --limit 5
expect_code 0 "a full-text search after the first sync" \
	tdesk list --limit 1 the

# 3. a server that fails on the third page: the first two are kept
rm -rf "$XDG_DATA_HOME/tdesk" "$XDG_CONFIG_HOME/tdesk"
expect_code 0 "a new desk" tdesk init --desk work --url "$ZD_URL" \
	--email "$ZD_EMAIL" --token-env ZT
zd_admin faults '{"faults":[{"endpoint":"tickets.list","kind":"error",
	"status":500,"mode":"always","skip":2}]}' >/dev/null
TDESK_SYNC_MAX_ATTEMPTS=2 expect_code 5 "a failing server fails the sync" \
	tdesk sync --pull
zd_admin faults '{"clear":true}' >/dev/null
expect_eq "the two pages read are kept" "200" \
	"$(sql "$DB" "SELECT count(*) FROM tickets")"
expect_eq "failed: every index there" "$want" "$(indexes)"
expect_eq "failed: integrity" "ok" "$(sql "$DB" 'PRAGMA integrity_check')"
expect_code 0 "the next sync completes" tdesk sync --pull

# 4. a first sync into a desk an import filled is no bulk load: it
# commits as it goes, and the indexes stay as they are
rm -rf "$XDG_DATA_HOME/tdesk" "$XDG_CONFIG_HOME/tdesk"
expect_code 0 "another new desk" tdesk init --desk work --url "$ZD_URL" \
	--email "$ZD_EMAIL" --token-env ZT
python3 "$ZD_SERVER" --tickets 700 --seed 3 --dump-pages "$WORK/pages" \
	>/dev/null 2>&1 || fail "zdserver --dump-pages"
set -- "$WORK"/pages/*
expect_code 0 "import a page" tdesk import "$1"
expect_code 0 "first sync after the import" tdesk sync --pull
expect_eq "imported then synced: every ticket of mine" "$server_mine" \
	"$(sql "$DB" "SELECT count(*) FROM tickets WHERE assignee_id =
	    (SELECT value FROM sync_state WHERE key = 'me.id')")"
expect_eq "imported then synced: the same indexes" "$want" "$(indexes)"
done_testing
