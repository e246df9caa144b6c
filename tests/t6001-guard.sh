#!/usr/bin/env bash
# The reply guard from the command line: tdesk guard (text, --json,
# --jsonl), and on the write path: a blocked reply is not queued unless
# overridden with a reason (audited), a warned one is reported; config
# `guard:` adds official domains and phrases; a bad config names its line.
. "$(dirname "$0")/lib.sh"

expect_code 0 "a warning against scams is ok" tdesk guard -m \
	"Never share your seed phrase or 2FA code with anyone, including us."
expect_eq "verdict printed" "$(last_out)" "ok"
expect_code 11 "asking for the seed phrase is blocked" tdesk guard -m \
	"Please reply with your 12 recovery words."
expect_match "rule and span named" "$(last_out)" "block ask-secret at [0-9]+-[0-9]+"
expect_code 11 "Chinese too" tdesk guard -m "请把您的助记词发给我们"
printf 'See https://etherscan.io/tx/0xabc\n' > warn.txt
expect_code 0 "a non-official host warns" tdesk guard -F warn.txt
expect_match "warn verdict" "$(last_out)" "^warn"
expect_code 0 "stdin" bash -c "echo 'Thanks, all done.' | '$TDESK' guard -"
expect_eq "stdin verdict" "$(last_out)" "ok"
expect_code 11 "--json" tdesk guard --json -m "Install AnyDesk, call +1 415 555 0100"
check "--json is JSON with rules" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["verdict"] == "block", d
rules = {r["rule"] for r in d["reasons"]}
assert {"remote-access", "phone-number"} <= rules, rules
for r in d["reasons"]:
    assert 0 <= r["start"] < r["end"]
' "$(last_out)"

# --jsonl: one answer per line, ids echoed, exit 0 whatever the verdicts
cat > in.jsonl <<'J'
{"id": 1, "text": "Please send us your private key."}
{"id": "b", "text": "请提供交易哈希和截图", "lang": "zh"}
{"id": 3, "text": "Visit https://kestrel.example/help"}
not json
{"id": 5, "text": "Go to https://kestre1.example/login \u202e"}
J
expect_code 0 "--jsonl exits 0" bash -c "'$TDESK' guard --jsonl < in.jsonl"
check "--jsonl answers" python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines()]
assert len(lines) == 5, lines
assert lines[0] == {**lines[0], "id": 1, "verdict": "block"}, lines[0]
assert lines[1]["id"] == "b" and lines[1]["verdict"] == "ok", lines[1]
assert lines[2]["verdict"] == "ok", lines[2]
assert "error" in lines[3], lines[3]
r = {x["rule"] for x in lines[4]["reasons"]}
assert "link-lookalike" in r and "hidden-bidi" in r, r
' "$(last_out)"

# the corpus through the CLI, both languages
bad=0
while IFS=$'\t' read -r want text; do
	case $want in '#'*|'') continue ;; esac
	got=$("$TDESK" guard -m "$text" | head -1)
	[ "$got" = "$want" ] || { bad=$((bad + 1)); echo "corpus: $want/$got: $text" >&2; }
done < "$TESTS_DIR/corpus/guard.tsv"
expect_eq "corpus verdicts via tdesk guard" "$bad" 0

# the second corpus (scams phrased many ways, hidden, in zh-Hans/zh-Hant,
# ja, ko; ordinary replies with the same words): at most 1 in 100
# ordinary replies blocked, 1 in 20 scams let through
python3 -c '
import json, sys
for i, l in enumerate(open(sys.argv[1], encoding="utf-8")):
    f = l.rstrip("\n").split("\t")
    if l.startswith("#") or len(f) < 3:
        continue
    print(json.dumps({"id": f[0] + ":" + str(i), "text": f[2].replace("\\n", "\n")}))
' "$TESTS_DIR/corpus/guard2.tsv" > c2.jsonl
expect_code 0 "the second corpus through --jsonl" bash -c "'$TDESK' guard --jsonl < c2.jsonl"
check "1% of the ordinary replies blocked, 95% of the scams" python3 -c '
import json, sys
got = [json.loads(l) for l in sys.argv[1].splitlines()]
oks = [d for d in got if d["id"].startswith("ok:")]
ok_blocked = [d["id"] for d in oks if d["verdict"] == "block"]
scams = [d for d in got if d["id"].startswith("block:")]
missed = [d["id"] for d in scams if d["verdict"] != "block"]
assert len(oks) > 100 and len(ok_blocked) <= len(oks) // 100, ok_blocked
assert len(scams) > 100 and len(missed) <= len(scams) // 20, missed
' "$(last_out)"

# on the write path
tdesk demo >/dev/null 2>&1 || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db

# the starter pack's own answers and macro comments pass (placeholders
# filled as a macro would)
sqlite3 -separator $'\x1f' -newline $'\x1e' "$db" "SELECT 'faq ' || faq_id || '/' || lang, body
  FROM faq_text UNION ALL SELECT 'macro ' || name, a.value ->> '$.value' FROM macros,
  json_each(definition, '$.actions') a WHERE a.value ->> '$.field' LIKE 'comment_value%'" > starter.txt
check "starter texts pass the guard" python3 - "$TDESK" starter.txt <<'PY'
import re, subprocess, sys
bad = 0
for r in open(sys.argv[2], encoding="utf-8").read().split("\x1e"):
    if not r.strip():
        continue
    name, text = r.split("\x1f", 1)
    text = re.sub(r"\{\{[^}]*\}\}", "Ann", text)
    out = subprocess.run([sys.argv[1], "guard", "-m", text], capture_output=True, text=True).stdout
    if out.startswith("block"):
        bad += 1
        print(name, out, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
id=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1")
id2=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1 OFFSET 1")
before=$(sql "$db" "SELECT count(*) FROM outbox")
expect_code 11 "--dry-run tells the verdict" tdesk reply --dry-run -m "Please install AnyDesk so we can help." "$id"
expect_match "with its reasons" "$(last_err)" "remote-access"
expect_code 11 "a blocked reply is refused" tdesk reply -m "Please install AnyDesk so we can help." "$id"
expect_match "the reasons are shown" "$(last_err)" "remote-access"
expect_match "how to override" "$(last_err)" "--override"
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"
expect_code 11 "bulk: one blocked text refuses all" tdesk reply --yes -m "Hi {{name}}" "$id" "$id2"
expect_eq "nothing queued (bulk)" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"
expect_code 0 "an override with a reason queues it" tdesk reply \
	--override "customer asked for the vendor's tool name" -m "Please install AnyDesk so we can help." "$id"
expect_eq "one queued" "$(sql "$db" "SELECT count(*) FROM outbox")" "$((before + 1))"
expect_match "the override is audited" \
	"$(sql "$db" "SELECT action || ': ' || detail FROM audit WHERE action = 'guard-override'")" \
	"remote-access; overridden: customer asked"
expect_code 2 "--override needs a reason" tdesk reply --override "" -m x "$id"
expect_code 0 "a warned reply is queued off a terminal" tdesk reply -m "See https://etherscan.io/tx/1" "$id" </dev/null
expect_match "and the warning reported" "$(last_err)" "warns:.*|link-unofficial"
expect_code 0 "internal notes are not guarded" tdesk note -m "customer asked us to install AnyDesk (scam?)" "$id"
expect_code 0 "an ordinary reply" tdesk reply -m "Thanks, the deposit arrived." "$id"

# a macro's comment too: a local macro asking for the seed phrase
mkdir -p "$XDG_CONFIG_HOME/tdesk/macros"
cat > "$XDG_CONFIG_HOME/tdesk/macros/evil.yaml" <<'Y'
macros:
  - name: Evil
    actions:
      comment:
        public: true
        en: "Hello {{requester.first_name}}, please send us your 12-word recovery phrase."
Y
n=$(sql "$db" "SELECT count(*) FROM outbox")
expect_code 11 "a blocked macro is refused" tdesk macro apply --yes Evil "$id"
expect_eq "nothing queued by the macro" "$(sql "$db" "SELECT count(*) FROM outbox")" "$n"
expect_code 0 "a macro with an override" tdesk macro apply --yes --override "red team drill" Evil "$id"
expect_eq "one queued by the macro" "$(sql "$db" "SELECT count(*) FROM outbox")" "$((n + 1))"

# an outbox edit is a new text: guarded too
oid=$(sql "$db" "SELECT id FROM outbox WHERE kind = 'reply' ORDER BY id DESC LIMIT 1")
sql "$db" "UPDATE outbox SET state = 'failed', error = 'test' WHERE id = $oid"
printf 'Call us on +44 20 7946 0958\n' > edit.txt
expect_code 11 "an edit to a blocked text is refused" tdesk outbox edit "$oid" -F edit.txt
expect_match "the failed action keeps its text" \
	"$(sql "$db" "SELECT comment FROM outbox WHERE id = $oid")" "deposit arrived"

# config: official domains, phrases; a mistake names file:line:col
mkdir -p "$XDG_CONFIG_HOME/tdesk"
cat > "$XDG_CONFIG_HOME/tdesk/config.yaml" <<'Y'
guard:
  official_domains: [kestrel.example, kestrel-pay.example]
  phrases:
    en:
      block: [guaranteed returns]
      warn: [refund]
    zh:
      block: [保本]
Y
expect_code 0 "a configured official domain" tdesk guard -m "https://kestrel-pay.example/x"
expect_eq "is ok" "$(last_out)" "ok"
expect_code 11 "a configured phrase blocks" tdesk guard -m "Guaranteed returns of 5%"
expect_code 11 "per language" tdesk guard -m "保本理财"
expect_code 0 "a configured warning" tdesk guard -m "your refund"
expect_match "warns" "$(last_out)" "phrase-warn"
printf 'guard:\n  official_domains: [kestrel.example]\n  phrases:\n    en:\n      block: [ok, {a: b}]\n' \
	> "$XDG_CONFIG_HOME/tdesk/config.yaml"
expect_code 2 "a malformed phrase list is refused" tdesk guard -m hi
expect_match "with file:line:col" "$(last_err)" "config.yaml:5:[0-9]+:"
done_testing
