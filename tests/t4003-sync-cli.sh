#!/usr/bin/env bash
# Sync and init from the shell: a sync that cannot reach the server does
# not claim it synced and names the URL (a server that answers with an
# error is not "cannot reach"); init --check changes nothing when
# the sign-in fails; a UI started on an init'ed desk syncs with S.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

# unreachable: a port nobody listens on
port=$(free_port)
expect_code 0 "init an unreachable desk" tdesk init --desk gone --url "http://127.0.0.1:$port" --email a@example.com --token-env ZT
expect_code 5 "sync to it" env ZT=x TDESK_SYNC_MAX_WAIT=1 TDESK_SYNC_MAX_ATTEMPTS=1 "$TDESK" -d gone sync
expect_no_match "no 'synced in'" "$(last_out)$(last_err)" 'synced in'
expect_match "the error names the URL" "$(last_err)" "127\\.0\\.0\\.1:$port"

sync_setup --tickets 20 --seed 3
# --check with a refused token writes nothing
cp "$XDG_CONFIG_HOME/tdesk/config.yaml" config.before
expect_code 7 "init --check with a bad token" env BADT=nope "$TDESK" init --desk other --url "$ZD_URL" --email "$ZD_EMAIL" --token-env BADT --check
expect_match "says nothing was written" "$(last_err)" "nothing was written"
check "config.yaml unchanged" cmp -s config.before "$XDG_CONFIG_HOME/tdesk/config.yaml"
check "no replica created" test ! -e "$XDG_DATA_HOME/tdesk/other.db"
expect_code 0 "init --check with the right token" "$TDESK" init --desk other --url "$ZD_URL" --email "$ZD_EMAIL" --token-env ZT --check
expect_match "signed in" "$(last_out)" "signed in as"
check "now in config.yaml" grep -q '^  other:' "$XDG_CONFIG_HOME/tdesk/config.yaml"

# a replica file is not a desk: the hint says what to use
expect_code 2 "sync -d FILE" tdesk -d "$DB" sync
expect_no_match "no hint that init refuses" "$(last_err)" "init --desk $DB"
expect_code 0 "sync -d NAME" tdesk -d work sync
expect_match "synced" "$(last_out)" '^synced in'

# a server that answers, badly, was reached: the message says what it said
zd_admin faults '{"faults":[{"endpoint":"*","kind":"error","status":500,"mode":"always"}]}' >/dev/null
expect_code 5 "sync against a failing server" env TDESK_SYNC_MAX_WAIT=1 TDESK_SYNC_MAX_ATTEMPTS=1 "$TDESK" -d work sync
expect_match "the answer is named" "$(last_err)" 'HTTP 500'
expect_no_match "not 'cannot reach'" "$(last_err)" 'cannot reach'
zd_admin faults '{"clear":true}' >/dev/null
done_testing
