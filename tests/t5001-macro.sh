#!/usr/bin/env bash
# Macros from the command line: the starter pack lists; a bad file in the
# agent's macros/ is reported as file:line:col and refused whole; the
# agent's file overrides a starter macro; apply renders placeholders in
# the requester's language, refuses missing values, needs --yes for bulk,
# queues one outbox action per ticket, and outbox drop undoes it.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db

expect_code 0 "macro list" tdesk macro list
expect_match "starter macros" "$(last_out)" "Request transaction hash +starter +en zh"
[ "$(tdesk macro list | wc -l)" -ge 10 ] || fail "fewer than 10 macros"

mkdir -p "$XDG_CONFIG_HOME/tdesk/macros"
cat > "$XDG_CONFIG_HOME/tdesk/macros/mine.yaml" <<'Y'
macros:
  - name: Request transaction hash
    actions:
      status: hold
      comment: "Mine: {{ticket.id}}"
  - name: Ping
    actions:
      comment:
        en: "Hi {{requester.first_name}} from {{agent.name}}"
        zh: "{{requester.name}}，您好"
Y
cat > "$XDG_CONFIG_HOME/tdesk/macros/bad.yaml" <<'Y'
macros:
  - name: Half good
    actions:
      status: open
  - name: Typo
    actions:
      prority: high
Y
expect_code 0 "list with a bad file" tdesk macro list
expect_match "position of the mistake" "$(last_err)" "macros/bad.yaml:7:7: unknown key 'prority'"
expect_no_match "bad file refused whole" "$(last_out)" "Half good"
expect_match "agent's file loaded" "$(last_out)" "^Ping "
expect_match "override keeps one entry" "$(last_out)" "Request transaction hash +local"
rm "$XDG_CONFIG_HOME/tdesk/macros/bad.yaml"
expect_code 0 "list again" tdesk macro list
expect_eq "no more complaints" "$(last_err)" ""

en=$(sql "$db" "SELECT t.id FROM tickets t JOIN users u ON u.id = t.requester_id WHERE u.locale LIKE 'en%' AND u.name <> '' AND t.status IN ('new','open') ORDER BY t.id LIMIT 1")
zh=$(sql "$db" "SELECT t.id FROM tickets t JOIN users u ON u.id = t.requester_id WHERE u.locale LIKE 'zh%' AND u.name <> '' AND t.status IN ('new','open') ORDER BY t.id LIMIT 1")
zhstatus=$(sql "$db" "SELECT status FROM tickets WHERE id = $zh")
zhname=$(sql "$db" "SELECT u.name FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.id = $zh")

expect_code 0 "dry run" tdesk macro apply --dry-run Ping "$zh"
expect_match "Chinese for a zh requester" "$(last_out)" "^  $zhname，您好$"
expect_code 0 "dry run --lang en" tdesk macro apply --dry-run --lang en Ping "$zh"
expect_match "--lang overrides" "$(last_out)" "^  Hi "
expect_eq "dry run queues nothing" "$(sql "$db" "SELECT count(*) FROM outbox")" 0

# a requester without a name: refused, nothing queued
sql "$db" "UPDATE users SET name = '' WHERE id = (SELECT requester_id FROM tickets WHERE id = $en)"
expect_code 2 "missing value" tdesk macro apply Ping "$en" "$zh"
expect_match "names placeholder and ticket" "$(last_err)" "ticket $en: placeholder \{\{requester.first_name\}\} has no value"
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox")" 0

# custom placeholders
expect_code 2 "custom placeholder needs --set" tdesk macro apply "Incident - withdrawals delayed" "$zh"
expect_match "says how" "$(last_err)" "--set coin=VALUE"
expect_code 0 "with --set" tdesk macro apply --json --set 'coin=USDT "TRC20"' "Incident - withdrawals delayed" "$zh"
expect_eq "one action" "$(sql "$db" "SELECT count(*) FROM outbox WHERE kind = 'macro'")" 1
expect_match "rendered into the outbox" "$(sql "$db" "SELECT comment FROM outbox")" "目前 USDT \"TRC20\" 的提现出现延迟"
expect_eq "status applied" "$(sql "$db" "SELECT status FROM tickets WHERE id = $zh")" pending

# bulk: --yes needed, one action per ticket, drop undoes
n=$(tdesk list --count 'status<solved')
expect_code 2 "bulk needs --yes" tdesk macro apply --query 'status<solved' "Close as spam"
expect_code 0 "bulk" tdesk macro apply --yes --query 'status<solved' "Close as spam"
expect_eq "one per ticket" "$(sql "$db" "SELECT count(*) FROM outbox WHERE kind = 'macro'")" $((n + 1))
expect_eq "no duplicates" "$(sql "$db" "SELECT count(*) FROM (SELECT ticket_id FROM outbox WHERE kind = 'macro' GROUP BY ticket_id, comment HAVING count(*) > 1)")" 0
expect_eq "tags replaced" "$(sql "$db" "SELECT trim(tags) FROM tickets WHERE id = $zh")" spam
expect_code 0 "drop all" sh -c "'$TDESK' outbox drop --yes \$(sqlite3 '$db' 'SELECT id FROM outbox ORDER BY id DESC')"
expect_eq "outbox empty" "$(sql "$db" "SELECT count(*) FROM outbox")" 0
expect_eq "status restored" "$(sql "$db" "SELECT status FROM tickets WHERE id = $zh")" "$zhstatus"
expect_eq "nothing solved" "$(tdesk list --count 'status<solved')" "$((n + 0))"

expect_code 3 "unknown macro" tdesk macro apply Nope "$zh"
expect_code 0 "show" tdesk macro show "Escalate to security"
expect_match "show actions" "$(last_out)" "group: Account Security"
done_testing
