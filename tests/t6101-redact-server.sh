#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Server-side redaction (issue 11 section 2): a customer pastes a seed
# phrase and a password; the replica holds markers only; `tdesk redact
# --server` queues one audited outbox action (never tdesk on its own);
# sync reads the server's comment, redacts each secret there and reads it
# again. A sync killed between the request and its answer leaves the
# action in flight; the next sync finds nothing left and sends nothing
# again. Bad input is refused clearly, and so is an RT desk.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 40 --seed 61
expect_code 0 "first sync" tdesk sync
set -- $(my_open_ids 3)
a=$1 b=$2 c=$3

# a random 12-word phrase with a valid checksum (generated, holds nothing)
phrase() {
	python3 - "$1" "$SRC_DIR/store/data/bip39/english.txt" <<'EOF'
import hashlib, random, sys
random.seed(int(sys.argv[1]))
words = open(sys.argv[2]).read().split()
ent = random.getrandbits(128).to_bytes(16, "big")
bits = bin(int.from_bytes(ent, "big"))[2:].zfill(128)
bits += bin(hashlib.sha256(ent).digest()[0])[2:].zfill(8)[:4]
print(" ".join(words[int(bits[i:i + 11], 2)] for i in range(0, 132, 11)))
EOF
}
p1=$(phrase 1)
p2=$(phrase 2)
w1=$(printf %s "$p1" | cut -d' ' -f5-8)
w2=$(printf %s "$p2" | cut -d' ' -f5-8)

# redact requests the server saw for a comment
redacts() {
	zd_state tickets=none | pj 'sum(1 for r in d["request_log"] if
	    r["endpoint"] == "comments.redact" and "/comments/'"$1"'/" in
	    r["path"])'
}
server_body() {
	zd_state "ids=$1" | pj '[c["body"] for c in d["tickets"][0]["comments"]
	    if c["id"] == '"$2"'][0]'
}

zd_admin customer_reply "{\"ticket_id\":$a,\"body\":\"help, my wallet is \
empty. my words: $p1 and my password is Hunt3r-2024x\"}" >/dev/null
expect_code 0 "pull the comment" tdesk sync
cid=$(sql "$DB" "SELECT id FROM comments WHERE ticket_id = $a AND body \
	LIKE '%seed phrase redacted%'")
[ -n "$cid" ] || fail "the replica holds the comment with its marker"
expect_eq "the replica holds no secret" "$(sql "$DB" "SELECT count(*) FROM \
	comments WHERE body LIKE '%$w1%' OR body LIKE '%Hunt3r%'")" 0
expect_match "the server still does" "$(server_body "$a" "$cid")" "$w1"
expect_eq "nothing queued on its own" "$(sql "$DB" "SELECT count(*) FROM \
	outbox WHERE kind = 'redact'")" 0

# --- queued by the agent: one audited action per comment, once
expect_code 0 "queue" tdesk redact --server "$a"
expect_match "says what it queued" "$(last_out)" "queued #$a: redact on the server"
expect_eq "one action naming the comment" "$(sql "$DB" "SELECT kind, state, \
	comment_id FROM outbox WHERE kind = 'redact'")" "redact|pending|$cid"
expect_eq "audited" "$(sql "$DB" "SELECT count(*) FROM audit WHERE \
	action = 'redact' AND ticket_id = $a")" 1
expect_code 0 "queue again" tdesk redact --server "$a" "$cid"
expect_match "already queued" "$(last_out)" "already queued"
expect_eq "still one action" "$(sql "$DB" "SELECT count(*) FROM outbox \
	WHERE kind = 'redact'")" 1
expect_code 0 "outbox lists it" tdesk outbox
expect_match "as a redaction" "$(last_out)" "redact"

expect_code 0 "push" tdesk sync
expect_eq "done" "$(sql "$DB" "SELECT state FROM outbox WHERE \
	kind = 'redact'")" done
body=$(server_body "$a" "$cid")
expect_no_match "the phrase is gone from the server" "$body" "$w1"
expect_no_match "the password too" "$body" "Hunt3r"
expect_match "blocked out" "$body" "▇▇▇"
expect_match "the rest kept" "$body" "my wallet is empty"
expect_eq "one request per secret" "$(redacts "$cid")" 2

# --- killed between the request and its answer: the server applied it;
# the next sync reads the comment, finds nothing left, sends nothing
zd_admin customer_reply "{\"ticket_id\":$b,\"body\":\"words: $p2\"}" \
	>/dev/null
expect_code 0 "pull b" tdesk sync
cid2=$(sql "$DB" "SELECT id FROM comments WHERE ticket_id = $b AND body \
	LIKE '%seed phrase redacted%'")
check "queue b" tdesk redact --server "$b"
zd_admin faults '{"faults":[{"endpoint":"comments.redact","kind":"slow",
	"delay_ms":20000,"mode":"always"}]}' >/dev/null
"$TDESK" sync --push >/dev/null 2>&1 &
pid=$!
for i in $(seq 1 200); do
	[ "$(redacts "$cid2")" -ge 1 ] && break
	sleep 0.05
done
expect_eq "the request reached the server" "$(redacts "$cid2")" 1
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
zd_admin faults '{"clear":true}' >/dev/null
expect_eq "left in flight" "$(sql "$DB" "SELECT state FROM outbox WHERE \
	comment_id = $cid2")" inflight
expect_no_match "applied on the server" "$(server_body "$b" "$cid2")" "$w2"
expect_code 0 "next sync settles it" tdesk sync
expect_eq "done" "$(sql "$DB" "SELECT state FROM outbox WHERE \
	comment_id = $cid2")" done
expect_eq "not sent again" "$(redacts "$cid2")" 1

# --- dropped before it was sent: nothing happens on the server
zd_admin customer_reply "{\"ticket_id\":$c,\"body\":\"words: $p1\"}" \
	>/dev/null
expect_code 0 "pull c" tdesk sync
cid3=$(sql "$DB" "SELECT id FROM comments WHERE ticket_id = $c AND body \
	LIKE '%seed phrase redacted%'")
check "queue c" tdesk redact --server "$c" "$cid3"
ob=$(sql "$DB" "SELECT id FROM outbox WHERE comment_id = $cid3")
expect_code 0 "drop it" tdesk outbox drop --yes "$ob"
expect_code 0 "sync after the drop" tdesk sync
expect_eq "no request for it" "$(redacts "$cid3")" 0
expect_match "the server keeps the comment" "$(server_body "$c" "$cid3")" "$w1"

# --- bad input
expect_code 3 "no such ticket" tdesk redact --server 999999999
expect_code 2 "a ticket without secrets" tdesk redact --server "$(my_open_ids 4 | cut -d' ' -f4)"
expect_match "says why" "$(last_err)" "no comment holding a secret"
expect_code 2 "a comment without secrets" tdesk redact --server "$a" 1
expect_code 2 "not an id" tdesk redact --server abc
expect_code 2 "no ticket" tdesk redact --server
expect_code 2 "a text is no ticket" tdesk redact --server -m "x" "$a"
expect_code 2 "--server and --jsonl" tdesk redact --server --jsonl "$a"
expect_code 2 "a ticket without --server" tdesk redact "$a"

# --- RT has no redaction API: refused, nothing queued
check "an RT desk" tdesk init --desk rtdesk --backend rt --url \
	"http://127.0.0.1:9" --user agent --token-env ZT
expect_code 2 "refused on RT" tdesk -d rtdesk redact --server 1
expect_match "says RT cannot" "$(last_err)" "RT, which has no API to redact"

done_testing
