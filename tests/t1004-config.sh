#!/usr/bin/env bash
# config.yaml: every mistake reported as file:line:column, a bad file
# refused whole, desks selected with -d by name or path.
. "$(dirname "$0")/lib.sh"

cfg=$XDG_CONFIG_HOME/tdesk/config.yaml
mkdir -p "$(dirname "$cfg")"
tdesk demo >/dev/null || fail "demo"

printf 'confirm_threshold: 3\nsync_interval: 300\nviews:\n  - name: Hot\n    query: "priority>=high status<solved"\n' > "$cfg"
expect_code 0 "a good config" tdesk list --count

printf 'confirm_threshold: 3\ncolour: blue\n' > "$cfg"
expect_code 2 "unknown key" tdesk list
expect_eq "file:line:col" "$(last_err)" "tdesk: $cfg:2:1: unknown key 'colour' in the configuration"

printf 'views:\n  - name: Hot\n    query: [unclosed\n' > "$cfg"
expect_code 2 "broken YAML" tdesk list
expect_match "position of the syntax error" "$(last_err)" "^tdesk: $cfg:[0-9]+:[0-9]+: "

printf 'confirm_threshold: many\n' > "$cfg"
expect_code 2 "wrong type" tdesk list
expect_eq "says what it wanted" "$(last_err)" "tdesk: $cfg:1:20: expected a whole number, not 'many'"

printf 'views:\n  - name: Bad\n    query: "status:open colour:red"\n' > "$cfg"
expect_code 2 "a view with a bad query" tdesk list
expect_match "points into the query" "$(last_err)" "^tdesk: $cfg:3:25: unknown field 'colour'"

printf 'desks:\n  work:\n    backend: freshdesk\n' > "$cfg"
expect_code 2 "unknown backend" tdesk list
expect_eq "names the backend" "$(last_err)" "tdesk: $cfg:3:14: unknown backend 'freshdesk' (tdesk speaks: zendesk, rt)"

printf 'desks:\n  work:\n    url: https://x.zendesk.com\n    token_env: A\n    token_cmd: pass show z\n' > "$cfg"
expect_code 2 "two token sources" tdesk list
expect_match "refused" "$(last_err)" "2 token sources"

printf 'a: 1\na: 2\n' > "$cfg"
expect_code 2 "duplicate key" tdesk list

printf 'agent_name: \xff\n' > "$cfg"
expect_code 2 "not UTF-8" tdesk list
expect_match "says so" "$(last_err)" "not valid UTF-8"

# -c picks another file; desks by name or path
rm -f "$cfg"
printf 'account: demo\n' > other.yaml
expect_code 0 "-c FILE" tdesk -c other.yaml list --count
expect_code 0 "-d PATH" tdesk -d "$XDG_DATA_HOME/tdesk/demo.db" list --count
expect_code 2 "-d with a bad name" tdesk -d 'my desk' list
expect_code 2 "-d without a value" tdesk -d
expect_code 0 "desks lists the demo" tdesk desks
expect_match "demo is there" "$(last_out)" "demo"
expect_code 2 "unknown command" tdesk frobnicate
expect_eq "one line" "$(last_err)" "tdesk: 'frobnicate' is not a tdesk command; see 'tdesk --help'"
done_testing
