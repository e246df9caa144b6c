#!/usr/bin/env bash
# Bad input loses nothing: a full disk, a locked replica, a killed import,
# files that are not JSON or not a desk each get one clear line and an exit
# status, and what was already in the outbox stays whole.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
id=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' LIMIT 1")
tdesk reply -m "queued before trouble" "$id" 2>/dev/null || fail "first reply"
sql "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# a full disk: the file size limit stops the write
big=$(head -c 60000 /dev/zero | tr '\0' 'x')
expect_code 9 "full disk" bash -c "ulimit -f 8; exec '$TDESK' reply -m '$big' $id"
expect_match "one clear line" "$(last_err)" "disk is full"
expect_eq "one line only" "$(last_err | wc -l)" 1
expect_eq "the earlier action is intact" "$(sql "$db" "SELECT count(*) || ' ' || comment FROM outbox")" "1 queued before trouble"
expect_eq "integrity" "$(sql "$db" "PRAGMA integrity_check")" ok

# a replica locked by another writer for longer than the busy timeout
python3 - "$db" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[1] + ".locked", "w").close()
# held until tdesk has given up (not a fixed time: under load tdesk may
# start after it), at most a minute
for _ in range(600):
    if os.path.exists(sys.argv[1] + ".release"):
        break
    time.sleep(0.1)
c.execute("ROLLBACK")
PY
locker=$!
at_exit "kill $locker 2>/dev/null"
for _ in $(seq 50); do [ -f "$db.locked" ] && break; sleep 0.1; done
expect_code 8 "locked" tdesk reply -m "while locked" "$id"
expect_match "says locked" "$(last_err)" "locked"
: > "$db.release"
wait $locker
expect_eq "still one action" "$(sql "$db" "SELECT count(*) FROM outbox")" 1

# a desk the agent may read but not write (someone else's, or a read-only
# disk): the queue still lists, writes say why they cannot happen
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	# nobody may not reach the build tree: give it its own copy
	mkdir -p ro && cp "$db" ro/desk.db && cp "$TDESK" ro/tdesk &&
		chmod 755 ro ro/tdesk "$WORK" && chmod 644 ro/desk.db
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent "$WORK/ro/tdesk" "$@"; }
	expect_code 0 "read-only desk: list works" as_nobody -d "$WORK/ro/desk.db" list --count
	expect_eq "read-only desk: all of it" "$(last_out)" "$(tdesk -d "$WORK/ro/desk.db" list --count)"
	expect_code 10 "read-only desk: a reply is refused" as_nobody -d "$WORK/ro/desk.db" reply -m hi "$id"
	expect_match "says read-only" "$(last_err)" "is read-only"
	expect_eq "nothing written" "$(sql ro/desk.db "SELECT count(*) FROM outbox")" 1
fi

# not JSON, HTML, truncated: nothing imported
printf '<html><body>502 Bad Gateway</body></html>' > page.html
expect_code 1 "HTML instead of JSON" tdesk import page.html
expect_match "clear" "$(last_err)" "page.html: invalid JSON|page.html: unexpected JSON"
printf '{"tickets":[{"id":1,"subject":"a"},{"id":2,' > trunc.json
expect_code 1 "truncated JSON" tdesk import trunc.json
expect_code 3 "a file that is not there" tdesk import nothere.json
n=$(sql "$db" "SELECT count(*) FROM tickets")

# a killed import leaves the replica whole and the import all-or-nothing
python3 "$TESTS_DIR/zdserver.py" --dump-pages pages --tickets 3000 --seed 7 >/dev/null 2>&1 || fail "dump pages"
total=$(python3 -c 'import json,sys; print(sum(len(json.load(open(f))["tickets"]) for f in sys.argv[1:]))' pages/page-*.json)
# kill the real tdesk (its own pid, not a shell's) while it holds the
# write lock of the import, not after a guessed sleep
killed=
for try in 1 2 3; do
	rm -f k.db k.db-wal k.db-shm
	"$TDESK" -d k.db import pages/page-*.json 2>/dev/null & imp=$!
	sent=$(python3 "$TESTS_DIR/kill_in_txn.py" k.db "$imp" SIGKILL)
	wait $imp 2>/dev/null; rc=$?
	if [ "$sent" = sent ] && [ "$rc" = 137 ]; then killed=1; break; fi
done
expect_eq "the import was killed mid-write" "$killed" 1
expect_eq "killed import: integrity" "$(sql k.db "PRAGMA integrity_check")" ok
got=$(sql k.db "SELECT count(*) FROM tickets" 2>/dev/null || echo 0)
expect_eq "killed import: nothing half-written" "$got" 0
expect_code 0 "the import reruns cleanly" tdesk -d k.db import pages/page-*.json
expect_eq "all there once" "$(sql k.db "SELECT count(*) FROM tickets")" "$total"

# a file that is not a desk
printf 'hello, I am a text file and definitely not an SQLite database..........................................\n' > notadesk.db
expect_code 1 "not a desk" tdesk -d ./notadesk.db list
expect_match "says so" "$(last_err)" "not a tdesk desk|not a database"
expect_eq "demo desk unchanged" "$(sql "$db" "SELECT count(*) FROM tickets")" "$n"
done_testing
