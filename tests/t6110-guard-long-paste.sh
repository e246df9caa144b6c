#!/usr/bin/env bash
# A ticket where the customer pasted a long run of wordlist words keeps a
# salted hash for every three words of each phrase found in it: thousands.
# A reply on it is still checked against all of them (looked up through a
# table, not scanned per word of the reply): three words of a phrase in
# order are blocked, the same words out of order and other text are not,
# and a reply as long as the paste is checked too.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null 2>&1 || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
# 6000 list words, in an order that holds many checksum-valid phrases
python3 - "$SRC_DIR/store/data/bip39/english.txt" >paste.txt <<'P'
import sys
w = open(sys.argv[1]).read().split()
print(" ".join(w[(i * 7919 + 5) % 2048] for i in range(6000)))
P
python3 - >page.json <<'P'
import json
paste = open("paste.txt").read().strip()
print(json.dumps({"tickets": [{"id": 900101, "subject": "all my wallets",
    "description": "here is everything: " + paste, "status": "open",
    "requester_id": 77101, "created_at": "2024-05-01T10:00:00Z",
    "updated_at": "2024-05-01T10:00:00Z"}],
    "users": [{"id": 77101, "name": "Bo", "email": "bo@example.com",
               "role": "end-user"}]}))
P
expect_code 0 "import the paste" tdesk import page.json
n=$(sql "$db" "SELECT count(*) FROM secrets WHERE ticket_id = 900101")
[ "$n" -ge 100 ] || fail "expected many hashes, got $n"
# three words of the first phrase the redactor finds, in order
printf '{"id":"p","text":"%s"}\n' "$(cat paste.txt)" >p.jsonl
expect_code 0 "redact --jsonl" bash -c "'$TDESK' redact --jsonl < p.jsonl"
start=$(last_out | python3 -c 'import json,sys; print(json.load(sys.stdin)["found"][0]["start"])')
set -- $(cut -c$((start + 1))- paste.txt | cut -d' ' -f1-3)
expect_code 11 "three words of a phrase in order" tdesk reply -m "Is it '$1 $2 $3'?" 900101
expect_match "names the rule" "$(last_err)" "quotes-secret"
expect_code 0 "the same words backwards" tdesk reply -m "Is it '$3 $2 $1'?" 900101
expect_code 0 "other text" tdesk reply -m "Your wallet words are safe with you, never send them." 900101
expect_code 11 "a reply as long as the paste" tdesk reply -F paste.txt 900101
expect_match "holds the phrases" "$(last_err)" "secret-in-reply"
done_testing
