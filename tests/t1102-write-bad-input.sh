#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input during a bulk write: SIGINT or SIGTERM to the real tdesk, a
# replica locked by another writer for longer than the busy timeout, a
# full disk half-way, a read-only replica. Each gives one clear message and
# its own exit status (tdesk(1) EXIT STATUS), leaves the outbox and the
# replica whole (integrity ok, nothing half-written: bulk writes are all
# or nothing), and a rerun of the same command finishes the job.
. "$(dirname "$0")/lib.sh"

tdesk demo --tickets 3000 >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
sql "$db" "SELECT id FROM tickets WHERE status <> 'closed' ORDER BY id" > ids.txt
n=$(wc -l < ids.txt)
check "a big enough batch ($n)" test "$n" -gt 1000
outbox() { sql "$db" "SELECT count(*) FROM outbox"; }
tagged() { sql "$db" "SELECT count(*) FROM tickets WHERE ' ' || tags || ' ' LIKE '% $1 %'"; }
whole() {
	expect_eq "$1: integrity" "$(sql "$db" "PRAGMA integrity_check")" ok
	expect_eq "$1: every action has its ticket" "$(sql "$db" "SELECT count(*) FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id WHERE t.id IS NULL")" 0
	expect_eq "$1: every local comment has its action" "$(sql "$db" "SELECT count(*) FROM comments c LEFT JOIN outbox o ON o.id = c.outbox_id WHERE c.id < 0 AND o.id IS NULL")" 0
}

# a signal to the real tdesk half-way through a bulk write (its own pid,
# not a shell's); the write lock held means the batch is being written
for sig in INT TERM; do
	sent=
	for try in 1 2 3; do
		# a fresh tag each try: a try the batch won stays as it is
		tag=bulk_$(echo $sig | tr A-Z a-z)_$try
		before=$(outbox)
		# bash starts background jobs with SIGINT ignored: give tdesk
		# the default back, as in a terminal, and keep its pid (exec)
		python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$TDESK" set --yes - +$tag < ids.txt 2>sig.err & pid=$!
		sent=$(python3 "$TESTS_DIR/kill_in_txn.py" "$db" "$pid" SIG$sig)
		wait $pid; rc=$?
		[ "$sent" = sent ] && break
	done
	expect_eq "SIG$sig reached tdesk during the write" "$sent" sent
	case $sig in INT) want=130 ;; TERM) want=143 ;; esac
	expect_eq "SIG$sig: exit status" "$rc" "$want"
	expect_match "SIG$sig: a clear message" "$(cat sig.err)" "stopped by SIG$sig: nothing was queued; run the command again"
	expect_eq "SIG$sig: nothing queued" "$(outbox)" "$before"
	expect_eq "SIG$sig: no ticket changed" "$(tagged $tag)" 0
	whole "SIG$sig"
	expect_code 0 "SIG$sig: the rerun finishes the job" "$TDESK" set --yes - +$tag < ids.txt
	expect_eq "SIG$sig: every ticket once" "$(tagged $tag)" "$n"
	expect_eq "SIG$sig: one action each" "$(outbox)" $((before + n))
done

# a replica locked by another writer for longer than the busy timeout
python3 - "$db" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
open(sys.argv[1] + ".locked", "w").close()
# held until the test has seen tdesk give up (a loaded machine can take
# longer than any fixed time to start tdesk), at most a minute
for _ in range(600):
    if os.path.exists(sys.argv[1] + ".release"):
        break
    time.sleep(0.1)
c.execute("ROLLBACK")
PY
locker=$!
at_exit "kill $locker 2>/dev/null"
for _ in $(seq 100); do [ -f "$db.locked" ] && break; sleep 0.1; done
before=$(outbox)
expect_code 8 "locked: its own exit status" "$TDESK" note --yes -m "while locked" - < ids.txt
expect_match "locked: says so" "$(last_err)" "locked by another program"
expect_match "locked: and that nothing was queued" "$(last_err)" "nothing was queued"
: > "$db.release"
wait $locker
expect_eq "locked: nothing queued" "$(outbox)" "$before"
whole "locked"
expect_code 0 "locked: the rerun finishes" "$TDESK" note --yes -m "while locked" - < ids.txt
expect_eq "locked: all of it" "$(outbox)" $((before + n))

# a full disk half-way: the file size limit stops the log of the write
sql "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
before=$(outbox)
msg=$(head -c 2000 /dev/zero | tr '\0' 'y')
expect_code 9 "full disk: its own exit status" bash -c "ulimit -f 256; exec '$TDESK' reply --yes -m '$msg' - < ids.txt"
expect_match "full disk: says so" "$(last_err)" "disk is full"
expect_eq "full disk: nothing queued" "$(outbox)" "$before"
expect_eq "full disk: no local comment" "$(sql "$db" "SELECT count(*) FROM comments WHERE id < 0 AND body LIKE 'yyyy%'")" 0
whole "full disk"
expect_code 0 "full disk: the rerun finishes" "$TDESK" reply --yes -m "$msg" - < ids.txt
expect_eq "full disk: all of it" "$(outbox)" $((before + n))

# a read-only replica (someone else's, or a read-only disk)
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	mkdir -p ro && cp "$TDESK" ro/tdesk && chmod 755 ro ro/tdesk "$WORK" &&
		chmod 644 "$db" && chmod 755 "$XDG_DATA_HOME" "$XDG_DATA_HOME/tdesk"
	before=$(outbox)
	expect_code 10 "read-only: its own exit status" setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent "$WORK/ro/tdesk" -d "$db" set --yes - +ro_tag < ids.txt
	expect_match "read-only: says so" "$(last_err)" "is read-only"
	expect_eq "read-only: nothing queued" "$(outbox)" "$before"
	whole "read-only"
	expect_code 0 "read-only: the owner's rerun finishes" "$TDESK" set --yes - +ro_tag < ids.txt
	expect_eq "read-only: all of it" "$(tagged ro_tag)" "$n"
fi
done_testing
