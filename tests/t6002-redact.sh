#!/usr/bin/env bash
# Secrets customers paste never reach the replica in clear: ingest
# replaces them by markers (subject, description, comments, requester
# name), flags the ticket once, suggests a note; a reply quoting the secret
# back is blocked; tdesk redact --jsonl for scripts.
. "$(dirname "$0")/lib.sh"

# a valid 12-word phrase (all-zero entropy), a WIF key with its checksum
seed="abandon amount liar amount expire adjust cage candy arch gather drum buyer"
wif=5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ
tdesk demo >/dev/null 2>&1 || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
cat > page.json <<J
{"tickets":[{"id":900001,"subject":"HELP my seed $seed","description":"numbered:\\n1. abandon\\n2. amount\\n3. liar\\n4. amount\\n5. expire\\n6. adjust\\n7. cage\\n8. candy\\n9. arch\\n10. gather\\n11. drum\\n12. buyer\\nthanks","status":"open","requester_id":77001,"created_at":"2024-05-01T10:00:00Z","updated_at":"2024-05-01T10:00:00Z"},
 {"id":900002,"subject":"withdrawal stuck","description":"txid 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b and my address bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq, order 202405181234","status":"open","requester_id":77002,"created_at":"2024-05-01T10:00:00Z","updated_at":"2024-05-01T10:00:00Z"}],
 "users":[{"id":77001,"name":"Li password is Qw3rty!9","email":"li@example.com","role":"end-user"},
          {"id":77002,"name":"Ann","email":"ann@example.com","role":"end-user"}]}
J
expect_code 0 "import a page with secrets" tdesk import page.json
row=$(sql "$db" "SELECT subject || '|' || description FROM tickets WHERE id = 900001" | tr '\n' ' ')
expect_match "subject redacted" "$row" "HELP my seed \[seed phrase redacted: 12 words\]"
expect_match "numbered lines redacted" "$row" "numbered:.*\[seed phrase redacted: 12 words\].*thanks"
expect_no_match "no seed word left" "$row" "liar|gather"
expect_eq "name redacted" "$(sql "$db" "SELECT name FROM users WHERE id = 77001")" "Li password is [password redacted]"
expect_eq "the replica holds no secret" "$(sqlite3 "$db" .dump | grep -c -e 'liar amount' -e 'Qw3rty' || :)" 0
row=$(sql "$db" "SELECT description FROM tickets WHERE id = 900002")
expect_match "txid, address, order kept" "$row" "txid 4a5e1e4b.*bc1qar0s.*order 202405181234"
expect_eq "salted hashes kept" "$(sql "$db" "SELECT count(*) > 0 FROM secrets WHERE ticket_id = 900001")" 1
expect_eq "the ticket is flagged" "$(sql "$db" "SELECT kinds FROM secret_flags WHERE ticket_id = 900001")" "seed-phrase"
expect_eq "the other is not" "$(sql "$db" "SELECT count(*) FROM secret_flags WHERE ticket_id = 900002")" 0
expect_code 0 "is:secret" tdesk list is:secret
expect_match "lists the flagged ticket" "$(last_out)" "900001"
expect_no_match "only it" "$(last_out)" "900002"
expect_code 0 "show" tdesk show 900001
expect_match "show says it" "$(last_out)" "SECRET EXPOSED: seed-phrase"
expect_match "and suggests a note" "$(last_out)" "suggested internal note: tdesk note -m .*compromised"
expect_code 0 "show --json" tdesk show --json 900001
expect_match "show --json has the flag" "$(last_out)" '"secret_exposed":"seed-phrase"'

# comments of the ticket: a WIF key and a code, Chinese too
cat > comments.json <<J
{"comments":[{"id":5001,"author_id":77001,"public":true,"body":"my key $wif sorry","created_at":"2024-05-01T10:05:00Z"},
 {"id":5002,"author_id":77001,"public":true,"body":"验证码：482913，私钥丢了","created_at":"2024-05-01T10:06:00Z"}]}
J
expect_code 0 "import comments" tdesk import --comments 900001 comments.json
expect_eq "WIF key redacted" "$(sql "$db" "SELECT body FROM comments WHERE id = 5001")" "my key [private key redacted] sorry"
expect_eq "code redacted" "$(sql "$db" "SELECT body FROM comments WHERE id = 5002")" "验证码：[2FA code redacted]，私钥丢了"
expect_match "the flag collects kinds" "$(sql "$db" "SELECT kinds FROM secret_flags WHERE ticket_id = 900001")" "wif-key"

# quoting the secret back in a reply: blocked, though the words are common
expect_code 11 "three seed words in order" tdesk reply -m "Is 'expire adjust cage' right?" 900001
expect_match "names the rule" "$(last_err)" "quotes-secret"
expect_code 11 "the code" tdesk reply -m "We saw 482913 in your message" 900001
expect_code 11 "the password from the name" tdesk reply -m "Reset Qw3rty!9 please" 900001
expect_code 0 "other text is fine" tdesk reply -m "We will abandon the old cage about this." 900001

# an internal note is not guarded, but a secret pasted into it is redacted
expect_code 0 "a note quoting a key" tdesk note -m "customer pasted $wif in chat" 900002
expect_eq "the queued note holds a marker" \
	"$(sql "$db" "SELECT comment FROM outbox ORDER BY id DESC LIMIT 1")" \
	"customer pasted [private key redacted] in chat"
expect_eq "nowhere in clear" "$(sqlite3 "$db" .dump | grep -c "$wif" || :)" 0

# a phrase split across two comments in a row by one author: neither
# half is a phrase alone, read across the seam both halves go
cat > split.json <<J
{"comments":[{"id":5101,"author_id":77002,"public":true,"body":"ok here goes abandon amount liar amount expire adjust","html_body":"<p>ok here goes abandon amount liar amount expire adjust</p>","created_at":"2024-05-01T11:00:00Z"},
 {"id":5102,"author_id":77002,"public":true,"body":"cage candy arch gather drum buyer\nthat is all","created_at":"2024-05-01T11:01:00Z"},
 {"id":5103,"author_id":77001,"public":true,"body":"liar amount expire adjust are just words","created_at":"2024-05-01T11:02:00Z"},
 {"id":5104,"author_id":77001,"public":true,"body":"I pressed submit again and the page showed an error","created_at":"2024-05-01T11:03:00Z"},
 {"id":5105,"author_id":77001,"public":true,"body":"please help me fix this account issue today, thank you","created_at":"2024-05-01T11:04:00Z"}]}
J
expect_code 0 "import split comments" tdesk import --comments 900002 split.json
expect_eq "first half redacted" "$(sql "$db" "SELECT body FROM comments WHERE id = 5101")" "ok here goes [seed phrase redacted: 12 words]"
expect_eq "second half redacted" "$(sql "$db" "SELECT body FROM comments WHERE id = 5102")" "[seed phrase redacted: 12 words]
that is all"
expect_eq "the HTML copy is gone" "$(sql "$db" "SELECT html FROM comments WHERE id = 5101")" ""
expect_eq "another author's comment stays" "$(sql "$db" "SELECT body FROM comments WHERE id = 5103")" "liar amount expire adjust are just words"
expect_eq "prose across a seam stays" "$(sql "$db" "SELECT body FROM comments WHERE id IN (5104, 5105) ORDER BY id" | tr '\n' '|')" "I pressed submit again and the page showed an error|please help me fix this account issue today, thank you|"
expect_eq "the ticket is flagged" "$(sql "$db" "SELECT kinds FROM secret_flags WHERE ticket_id = 900002")" "seed-phrase"

# tdesk redact --jsonl
printf '%s\n' "{\"id\":1,\"text\":\"words: $seed\"}" '{"id":2,"text":"TxID 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060"}' > r.jsonl
expect_code 0 "redact --jsonl" bash -c "'$TDESK' redact --jsonl < r.jsonl"
check "redact --jsonl answers" python3 -c '
import json, sys
a, b = [json.loads(l) for l in sys.argv[1].splitlines()]
assert a["id"] == 1 and a["redacted_text"] == "words: [seed phrase redacted: 12 words]", a
assert a["found"][0]["kind"] == "seed-phrase" and a["found"][0]["words"] == 12, a
assert b["found"] == [] and b["redacted_text"].startswith("TxID 0x5c50"), b
' "$(last_out)"
done_testing
