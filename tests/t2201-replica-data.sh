#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Everything the server knows about a ticket reaches `tdesk show`: custom
# fields by name (from the ticket fields endpoint), the satisfaction
# rating and its comment, the requester's organisation, each comment's
# attachments (name, type, size), and comment bodies as written.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 300 --seed 5
expect_code 0 "sync" tdesk sync

# a ticket of mine whose comments were fetched and that has everything
t=$(sql "$DB" "SELECT t.id FROM tickets t WHERE t.satisfaction IN
    ('good', 'bad') AND t.organization_id <> 0 AND t.fields <> '' AND
    EXISTS (SELECT 1 FROM attachments a WHERE a.ticket_id = t.id)
    ORDER BY t.id LIMIT 1")
check "a ticket with rating, organisation, fields and attachments" \
	test -n "$t"
[ -n "$t" ] || done_testing

api=$(zd_curl "$ZD_URL/api/v2/tickets/$t.json")
comments=$(zd_curl "$ZD_URL/api/v2/tickets/$t/comments.json")
org_id=$(echo "$api" | pj 'd["ticket"]["organization_id"]')
org=$(zd_curl "$ZD_URL/api/v2/tickets/$t.json?include=organizations" |
    pj '[o["name"] for o in d["organizations"] if o["id"] == '"$org_id"'][0]')
score=$(echo "$api" | pj 'd["ticket"]["satisfaction_rating"]["score"]')
region=$(echo "$api" | pj '[f["value"] for f in d["ticket"]["custom_fields"]
    if f["id"] == 360010000003][0]')
att=$(echo "$comments" | pj '[a for c in d["comments"]
    for a in c["attachments"]][0]["file_name"]')
size=$(echo "$comments" | pj '[a for c in d["comments"]
    for a in c["attachments"]][0]["size"]')

expect_code 0 "show" tdesk show "$t"
out=$(last_out)
expect_match "organisation" "$out" "^organization: $org\$"
expect_match "custom field by its name" "$out" "^  Region: $region\$"
expect_match "satisfaction" "$out" "^satisfaction: $score"
expect_match "attachment listed" "$out" "^\\[attachment [0-9]+\\] $att \\("
check "no raw field ids when the names are known" \
	sh -c "! printf '%s' \"\$1\" | grep -q '^  field 3600'" _ "$out"

expect_code 0 "show --json" tdesk show --json "$t"
json=$(last_out)
expect_eq "json: organisation" "$(echo "$json" | pj 'd["organization"]')" "$org"
expect_eq "json: satisfaction" "$(echo "$json" | pj 'd["satisfaction"]')" "$score"
expect_eq "json: attachment size" "$(echo "$json" | pj '[a for c in
    d["comments"] for a in c["attachments"]][0]["size"]')" "$size"
expect_eq "json: field" "$(echo "$json" | pj '[f["value"] for f in
    d["fields"] if f["name"] == "Region"][0]')" "$region"

# comment bodies are the readable body, not plain_body
first=$(echo "$comments" | pj 'd["comments"][-1]["body"]')
expect_eq "comment body as written" "$(sql "$DB" "SELECT body FROM comments
    WHERE ticket_id = $t ORDER BY created_at DESC, id DESC LIMIT 1")" \
	"$first"

done_testing
