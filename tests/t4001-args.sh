#!/usr/bin/env bash
# One argument parser for every command: options after operands, --opt=value,
# bundled short options, "--", -h only as an option, generated usage and
# per-option help, and a suggestion for a mistyped command.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db
open1=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1")
open2=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' ORDER BY id LIMIT 1 OFFSET 1")

# options after operands
expect_code 0 "reply ID -m text" tdesk reply "$open1" -m hi
expect_eq "the reply is queued" "$(sql "$db" "SELECT comment FROM outbox ORDER BY id DESC LIMIT 1")" hi
expect_code 0 "list QUERY --json" tdesk list status:open --json
expect_match "JSON, not a query word" "$(last_out | head -1)" '^\[$'
expect_code 0 "list QUERY --limit 2" tdesk list status:open --limit 2
expect_eq "two rows" "$(last_out | wc -l)" 2
expect_code 0 "--limit=2" tdesk list --limit=2
expect_eq "two rows with =" "$(last_out | wc -l)" 2
expect_code 0 "-n2 (value glued to a short option)" tdesk list -n2
expect_eq "two rows with -n2" "$(last_out | wc -l)" 2
expect_code 0 "a negated query term is not an option" tdesk list --count -- -status:open
expect_code 0 "-tag: is a query term too" tdesk list --count -tag:nosuchtag
expect_eq "every ticket lacks that tag" "$(last_out)" "$(sql "$db" "SELECT count(*) FROM tickets")"

# "--" ends the options
expect_code 0 "show -- ID" tdesk show -- "$open1"
expect_match "the ticket" "$(last_out | head -1)" "^#$open1 "
expect_code 0 "outbox show -- 1" tdesk outbox show -- 1
expect_code 0 "set --dry-run -- ID change" tdesk set --dry-run -- "$open2" status=pending -vip
expect_code 0 "outbox list" tdesk outbox list
expect_eq "a dry run queues nothing" "$(sql "$db" "SELECT count(*) FROM outbox")" 1

# -h is help only where it is an option
expect_code 0 "reply -m -h ID" tdesk reply -m -h "$open2"
expect_no_match "no usage printed" "$(last_out)" '^usage:'
expect_eq "'-h' is the reply" "$(sql "$db" "SELECT comment FROM outbox ORDER BY id DESC LIMIT 1")" -h
expect_code 0 "note ID -h prints help" tdesk note "$open2" -h
expect_match "help on -h" "$(last_out | head -1)" '^usage: tdesk note '
expect_eq "help queues nothing" "$(sql "$db" "SELECT count(*) FROM outbox")" 2

# bundled short options
expect_code 0 "-ny bundled" tdesk reply -nym bundled "$open1"
expect_match "dry run" "$(last_out)" "would reply #$open1"
expect_eq "bundled dry run queues nothing" "$(sql "$db" "SELECT count(*) FROM outbox")" 2

# errors name the problem, exit 2, and suggest
expect_code 2 "unknown option" tdesk list --jsno
expect_match "suggests --json" "$(last_err)" "unknown option '--jsno'; did you mean '--json'\\?"
expect_code 2 "a flag takes no value" tdesk list --json=1
expect_code 2 "a missing value" tdesk list --limit
expect_match "names it" "$(last_err)" "'--limit' needs a value"
expect_code 2 "-m and -F exclude each other" tdesk reply -m x -F y "$open1"
expect_code 2 "a mistyped command" tdesk lsit
expect_match "did you mean" "$(last_err)" "did you mean 'list'\\?"
expect_code 2 "far from any command" tdesk frobnicate
expect_no_match "no wild guess" "$(last_err)" "did you mean"

# --help lists every option of the command's spec, one line each
for c in list show reply note set outbox sync init demo import macro faq; do
	expect_code 0 "$c --help" tdesk "$c" --help
	out=$(last_out)
	for opt in $(printf '%s\n' "$out" | head -1 | grep -oE '\[--?[a-z][a-z-]*' | tr -d '[' | grep -vx -- -tag); do
		_count=$((_count + 1))
		printf '%s\n' "$out" | grep -qE -- "^  (-[a-zA-Z], )? *${opt}( |,|$)|^  -[a-zA-Z], ${opt}( |$)" ||
			fail "'tdesk $c --help' has no line for $opt"
	done
	expect_match "$c --help shows -h" "$out" '^  -h, --help'
done

# tdesk help CMD opens the manual at the command (man is a stub here)
mkdir bin
cat > bin/man <<'SH'
#!/bin/sh
printf 'man %s LESS=%s\n' "$*" "$LESS"
SH
chmod +x bin/man
expect_code 0 "help list" env PATH="$WORK/bin:$PATH" LESS= "$TDESK" help list
expect_match "opens tdesk(1)" "$(last_out)" '^man 1 tdesk LESS=\+/'
expect_match "at the list entry" "$(last_out)" 'list'
expect_code 2 "help of no command" tdesk help lsit
expect_code 0 "help alone" tdesk help
expect_match "lists commands" "$(last_out)" '^commands:'
done_testing
