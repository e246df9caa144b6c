#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The agent's category as an outbox action where the backend has a field
# for it (`zendesk: category_field:` in config.yaml): queued with the
# local override, pushed as that custom field, cleared with "none",
# undone by a drop (the category before comes back); it wins over the
# rules after a sync and a re-run. Without the setting it stays local.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"
. "$TESTS_DIR/t8lib.sh"

sync_setup --tickets 20 --seed 3
F=360010000008		# the loopback server's "Internal reference" text field
t=$(my_open_ids 1)
check "an open ticket of mine" test -n "$t"
[ -n "$t" ] || done_testing
expect_code 0 "sync" tdesk sync
field() { zd_state "tickets=all&ids=$t" | pj '[c["value"] for t in d["tickets"]
    for c in t["custom_fields"] if c["id"] == '"$F"'][0]'; }
cat_of() { tdesk list --json "#$t" | pj 'd[0]["category"]'; }
outbox_n() { sql "$DB" "SELECT count(*) FROM outbox WHERE ticket_id = $t AND kind = 'category'"; }

# without the setting: local only, as before
expect_code 0 "local override" tdesk classify --set api "$t"
expect_eq "the category is the agent's" "$(cat_of)" api
expect_eq "nothing queued" "$(outbox_n)" 0

# a bad setting is refused with its place
cfg=$XDG_CONFIG_HOME/tdesk/config.yaml
cp "$cfg" "$WORK/good.yaml"
printf 'zendesk:\n  category_field: lots\n' >> "$cfg"
expect_code 2 "a bad category_field" tdesk classify --set kyc "$t"
expect_match "says where" "$(last_err)" 'config\.yaml:[0-9]+:[0-9]+: '
cp "$WORK/good.yaml" "$cfg"
printf 'zendesk:\n  category_field: %s\n' "$F" >> "$cfg"

# with it: an outbox action beside the local override
expect_code 0 "override, queued" tdesk classify --set kyc "$t"
expect_eq "the category follows at once" "$(cat_of)" kyc
expect_eq "one category action queued" "$(outbox_n)" 1
expect_code 0 "outbox list" tdesk outbox
expect_match "the outbox names it" "$(last_out)" "pending +category .*category=kyc"
expect_eq "the server does not have it yet" "$(field)" None
expect_code 0 "sync pushes it" tdesk sync
expect_eq "the field holds the category" "$(field)" kyc
expect_eq "the action is done" "$(sql "$DB" "SELECT state FROM outbox WHERE ticket_id = $t AND kind = 'category'")" done
# overrides win over the rules, after a sync and a re-run
expect_code 0 "re-run the rules" tdesk classify --desk
expect_eq "still the agent's" "$(cat_of)" kyc

# a drop puts the category before back
expect_code 0 "another override" tdesk classify --set deposit "$t"
expect_eq "deposit now" "$(cat_of)" deposit
ob=$(sql "$DB" "SELECT max(id) FROM outbox WHERE ticket_id = $t")
expect_code 0 "drop it" tdesk outbox drop --yes "$ob"
expect_eq "kyc again" "$(cat_of)" kyc
expect_code 0 "sync" tdesk sync
expect_eq "the server still has kyc" "$(field)" kyc

# none: back to the rules, and the field cleared
expect_code 0 "back to the rules" tdesk classify --set none "$t"
expect_code 0 "sync" tdesk sync
expect_eq "the field is cleared" "$(field)" None
expect_eq "no override left" "$(sql "$DB" "SELECT override FROM ticket_class WHERE ticket_id = $t")" ""

# another agent sets the field on the server: the next sync takes it
zd_admin update "{\"ticket_id\":$t,\"fields\":{\"custom_fields\":[{\"id\":$F,\"value\":\"trade\"}]}}" >/dev/null
expect_eq "the server has trade" "$(field)" trade
expect_code 0 "sync" tdesk sync
expect_eq "the server's category is the override" "$(cat_of)" trade
expect_eq "stored as the override" "$(sql "$DB" "SELECT override FROM ticket_class WHERE ticket_id = $t")" trade
# a value that is no category is not taken
zd_admin update "{\"ticket_id\":$t,\"fields\":{\"custom_fields\":[{\"id\":$F,\"value\":\"REF-991\"}]}}" >/dev/null
expect_code 0 "sync" tdesk sync
expect_eq "still trade" "$(cat_of)" trade

# the UI's c does the same
export NO_COLOR=1
tui_start 120 30 -d work ui "#$t"
wait_for "first screen" "^ +$t "
keys c
wait_for "c asks for the category" '^category '
keys C-u
typ "compliance"
keys Enter
wait_for "queued for the helpdesk" "#$t: category compliance \(queued for the helpdesk\)"
wait_for "the row follows" "^ +$t .* com"
keys q
wait_for "quits" '^\[exit 0\]'
expect_eq "a category action from the UI" "$(sql "$DB" "SELECT count(*) FROM outbox
    WHERE ticket_id = $t AND kind = 'category' AND state = 'pending'")" 1
expect_code 0 "sync" tdesk sync
expect_eq "the field holds it" "$(field)" compliance

# an unknown category queues nothing
expect_code 2 "unknown category" tdesk classify --set nft "$t"
expect_eq "no new action" "$(sql "$DB" "SELECT count(*) FROM outbox WHERE ticket_id = $t AND state <> 'done'")" 0
done_testing
