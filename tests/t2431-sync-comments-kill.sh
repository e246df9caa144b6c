#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The comments of a first sync are fetched and parsed by a helper thread
# and written by the main one (sync/pull_comments.c). Killed in the
# middle, the replica holds, for every ticket marked done, all of its
# comments (a ticket and its mark commit together); the next sync fetches
# only the tickets not done, and afterwards every open ticket has exactly
# the server's comments, none twice.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 600 --seed 5 --request-log "$WORK/requests.log"
# comments come slowly: the kill lands after the first commits
zd_admin faults '{"faults":[{"endpoint":"comments","kind":"slow",
	"before":true,"delay_ms":100,"mode":"always"}]}' >/dev/null
marked="SELECT m.ticket_id FROM sync_comment_marks m JOIN tickets t
	ON t.id = m.ticket_id WHERE t.status_rank < 4"
"$TDESK" sync --pull >/dev/null 2>&1 &
pid=$!
n_marked=0
for i in $(seq 1 600); do
	n_marked=$(sql "$DB" "SELECT count(*) FROM ($marked)" 2>/dev/null)
	[ "${n_marked:-0}" -gt 0 ] && break
	sleep 0.05
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
zd_admin faults '{"clear":true}' >/dev/null
expect_eq "killed: integrity" "ok" "$(sql "$DB" 'PRAGMA integrity_check')"

# the server's comment ids of every ticket, "ticket id" a line
zd_state tickets=all | pj '"\n".join("%d %d" % (t["id"], c["id"])
	for t in d["tickets"] for c in t["comments"])' | sort >"$WORK/server"
local_of() { sql "$DB" "SELECT ticket_id || ' ' || id FROM comments
	WHERE id > 0 AND ticket_id IN ($1) ORDER BY 1" | sort; }
n_marked=$(sql "$DB" "SELECT count(*) FROM ($marked)")
check "some tickets were done before the kill" test "$n_marked" -gt 0
sql "$DB" "$marked" | sort >"$WORK/done"
expect_eq "every ticket marked done has all its comments" \
	"$(join "$WORK/done" "$WORK/server" | sort)" \
	"$(local_of "$marked")"

: >"$WORK/requests.log"
expect_code 0 "the next sync completes" tdesk sync --pull
fetched=$(grep -c 'comments' "$WORK/requests.log")
open=$(sql "$DB" "SELECT count(*) FROM tickets WHERE status_rank < 4")
check "tickets done before the kill are not fetched again" \
	test "$fetched" -le $((open - n_marked))
all="SELECT id FROM tickets WHERE status_rank < 4"
sql "$DB" "$all" | sort >"$WORK/open"
expect_eq "every open ticket has exactly the server's comments" \
	"$(join "$WORK/open" "$WORK/server" | sort)" "$(local_of "$all")"
done_testing
