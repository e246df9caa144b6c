#!/usr/bin/env bash
# Writes from the command line: reply, note and set go to the replica and
# the outbox in one transaction, with a client id and the stamp the agent
# saw; bulk writes need --yes; --dry-run changes nothing; the outbox lists,
# shows and drops; every action is in the audit log.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
ids=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 8")
one=$(echo "$ids" | head -1)

# reply with -m
expect_code 0 "reply -m" tdesk reply -m 'Hi, could you send the "tx hash"? 谢谢' "$one"
expect_eq "one outbox row" "$(sql "$db" "SELECT count(*) FROM outbox")" 1
expect_eq "the agent's words kept as written" "$(sql "$db" "SELECT comment_public || ' ' || comment FROM outbox")" \
	'1 Hi, could you send the "tx hash"? 谢谢'
expect_eq "stamp as seen" "$(sql "$db" "SELECT o.seen_updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', t.updated_at, 'unixepoch') FROM outbox o JOIN tickets t ON t.id = o.ticket_id")" 1
expect_match "client id is a UUID" "$(sql "$db" "SELECT client_id FROM outbox")" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
expect_eq "the reply shows in the conversation at once" \
	"$(sql "$db" "SELECT count(*) FROM comments WHERE ticket_id = $one AND id < 0 AND public = 1")" 1
expect_match "show marks it unsent" "$(tdesk show "$one")" "not sent: pending"
expect_eq "list marks the ticket pending" "$(tdesk list --count is:pending)" 1
expect_eq "audit" "$(sql "$db" "SELECT action FROM audit")" reply

# note from a file, from stdin, and from $EDITOR
printf 'checked the explorer:\n0xabc confirmed\n' > note.txt
expect_code 0 "note -F" tdesk note -F note.txt "$one"
expect_eq "internal" "$(sql "$db" "SELECT kind || ' ' || comment_public FROM outbox ORDER BY id DESC LIMIT 1")" "note 0"
expect_code 0 "note from stdin" sh -c "echo 'from stdin' | '$TDESK' note -F - $one"
cat > editor.sh <<'ED'
#!/bin/sh
# an editor that writes above the template
{ echo "written in the editor"; cat "$1"; } > "$1.new" && mv "$1.new" "$1"
ED
chmod +x editor.sh
expect_code 0 "reply via \$EDITOR" env EDITOR="$WORK/editor.sh" "$TDESK" reply "$one"
expect_eq "editor text, template dropped" "$(sql "$db" "SELECT comment FROM outbox ORDER BY id DESC LIMIT 1")" "written in the editor"
printf '#!/bin/sh\nexit 1\n' > bad-editor.sh; chmod +x bad-editor.sh
before=$(sql "$db" "SELECT count(*) FROM outbox")
expect_code 2 "a failing editor queues nothing" env EDITOR="$WORK/bad-editor.sh" "$TDESK" reply "$one"
expect_code 2 "an empty message queues nothing" tdesk reply -m '   ' "$one"
printf 'caf\xe9\n' > latin1.txt
expect_code 2 "a body that is not UTF-8" tdesk reply -F latin1.txt "$one"
expect_match "says so" "$(last_err)" "not valid UTF-8"
expect_code 2 "no message source at all" tdesk reply "$one"
expect_eq "nothing added" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"

# set: fields and tags, validated
two=$(echo "$ids" | sed -n 2p)
orig=$(sql "$db" "SELECT status || ' ' || priority FROM tickets WHERE id = $two")
expect_code 0 "set" tdesk set "$two" status=pending priority=urgent +kyc_pending -vip
expect_eq "replica updated" "$(sql "$db" "SELECT status || ' ' || priority || ' ' || (tags LIKE '% kyc_pending %') FROM tickets WHERE id = $two")" "pending urgent 1"
expect_eq "the change, in the outbox's own columns" "$(sql "$db" "SELECT change_status, change_priority, add_tags, remove_tags, coalesce(comment, '-') FROM outbox ORDER BY id DESC LIMIT 1")" \
	'pending|urgent|kyc_pending|vip|-'
expect_code 2 "unknown status" tdesk set "$two" status=done
expect_match "message" "$(last_err)" "unknown status 'done'"
expect_code 2 "unknown field" tdesk set "$two" colour=red
expect_code 3 "unknown assignee" tdesk set "$two" assignee=nobody@nowhere
expect_code 0 "assign to a group by name" tdesk set "$two" group="Account Security"

# unknown ids: nothing queued for any
before=$(sql "$db" "SELECT count(*) FROM outbox")
expect_code 3 "unknown ticket" tdesk reply -m hi "$one" 424242
expect_match "names it" "$(last_err)" "no ticket 424242"
expect_eq "all or nothing" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"

# bulk: more than 5 needs --yes when not on a terminal
expect_code 2 "bulk without --yes" tdesk set $ids +incident_42
expect_match "asks for --yes" "$(last_err)" "--yes"
expect_eq "nothing queued" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"
expect_code 0 "dry run" tdesk set --dry-run $ids +incident_42
expect_eq "dry run lists them" "$(last_out | grep -c '^would set')" 8
expect_eq "dry run queues nothing" "$(sql "$db" "SELECT count(*) FROM outbox")" "$before"
expect_code 0 "ids from stdin with --yes" sh -c "echo '$ids' | '$TDESK' set --yes - +incident_42"
expect_eq "one action per ticket" "$(sql "$db" "SELECT count(*) FROM outbox")" "$((before + 8))"
expect_eq "tagged" "$(tdesk list --count tag:incident_42)" 8

# the threshold comes from config
mkdir -p "$XDG_CONFIG_HOME/tdesk"
echo "confirm_threshold: 10" > "$XDG_CONFIG_HOME/tdesk/config.yaml"
expect_code 0 "within a raised threshold" tdesk set $ids -incident_42

# outbox: list, JSON, show, drop undoes
expect_code 0 "outbox list" tdesk outbox
expect_eq "lists every waiting action" "$(last_out | grep -c '^[0-9]')" "$(sql "$db" "SELECT count(*) FROM outbox")"
expect_code 0 "outbox --json" tdesk outbox list --json
check "JSON parses" python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert all("client_id" in r and "change" in r for r in a)' "$WORK/.out"
setid=$(sql "$db" "SELECT id FROM outbox WHERE ticket_id = $two AND summary LIKE 'status=pending%'")
expect_code 0 "outbox show" tdesk outbox show "$setid"
expect_match "shows the change" "$(last_out)" '"status":"pending"'
expect_code 0 "drop" tdesk outbox drop "$setid"
expect_eq "status and priority restored" "$(sql "$db" "SELECT status || ' ' || priority FROM tickets WHERE id = $two")" "$orig"
expect_eq "the later tag changes stay" "$(sql "$db" "SELECT count(*) FROM outbox WHERE ticket_id = $two")" 3
expect_code 3 "drop it again" tdesk outbox drop "$setid"
expect_eq "the audit log has every action" "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'drop'")" 1
expect_eq "integrity" "$(sql "$db" "PRAGMA integrity_check")" ok
done_testing
