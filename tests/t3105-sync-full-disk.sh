#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A disk that fills up in the middle of a sync: the desk lives on a small
# tmpfs, a filler file leaves little room, customers wrote on many tickets
# and ten actions wait to be pushed. tdesk sync must stop with a clear
# message and exit 9, leave the replica intact and the outbox consistent
# (nothing sent twice), and once there is room again a rerun finishes the
# job. Needs root to mount a tmpfs; skipped (passing) without it.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

mkdir -p "$XDG_DATA_HOME/tdesk"
if ! mount -t tmpfs -o size=24m tmpfs "$XDG_DATA_HOME/tdesk" 2>/dev/null; then
	echo "skip: cannot mount a tmpfs here (needs root)"
	done_testing
fi
at_exit "umount -l '$XDG_DATA_HOME/tdesk' 2>/dev/null"

sync_setup --tickets 400 --seed 53
expect_code 0 "first sync" tdesk sync
sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
ids=($(my_open_ids 10))
for t in "${ids[@]}"; do
	check "reply queued on $t" tdesk reply -m "full disk reply $t" "$t"
done
# a lot to pull: customers wrote long messages on every other ticket
long=$(head -c 6000 /dev/zero | tr '\0' 'x')
# (on other tickets than ours: a customer message after a reply is a
# conflict, rightly)
for t in $(zd_state tickets=all | pj '" ".join(str(t["id"]) for t in
    d["tickets"] if t["assignee_id"] == d["agent_id"] and
    t["id"] not in ('"$(IFS=,; echo "${ids[*]}")"',))'); do
	zd_admin customer_reply "{\"ticket_id\":$t,\"body\":\"any news? $long\"}" \
	    >/dev/null
done
# leave about 160 KB free
free_kb=$(df -k --output=avail "$XDG_DATA_HOME/tdesk" | tail -1)
dd if=/dev/zero of="$XDG_DATA_HOME/tdesk/filler" bs=1024 \
    count=$((free_kb - 160)) 2>/dev/null

expect_code 9 "sync on a full disk fails (9: disk full)" tdesk sync
expect_match "it says the disk is full" "$(last_err)" "full"
expect_no_match "no BUG or abort" "$(last_err)" "BUG|Abort"
rm -f "$XDG_DATA_HOME/tdesk/filler"
expect_eq "replica intact" "$(sql "$DB" "PRAGMA integrity_check")" ok
dups=$(server_msg_ids | sort | uniq -d)
expect_eq "nothing sent twice" "$dups" ""

expect_code 0 "with room again, sync finishes" tdesk sync
expect_eq "nothing left to send" "$(sql "$DB" "SELECT count(*) FROM outbox \
	WHERE state <> 'done'")" 0
expect_eq "every action on the server exactly once" \
	"$(server_msg_ids | sort)" "$(local_msg_ids | sort)"
expect_eq "the customers' messages arrived" "$(sql "$DB" "SELECT count(*) \
	FROM comments WHERE body LIKE 'any news?%'")" \
	"$(zd_state tickets=all | pj 'sum(1 for t in d["tickets"] for c in
	    t["comments"] if c["body"].startswith("any news?"))')"
expect_eq "replica intact after" "$(sql "$DB" "PRAGMA integrity_check")" ok

done_testing
