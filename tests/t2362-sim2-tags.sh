#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Tags through a single ticket update. Zendesk documents "additional_tags"
# and "remove_tags" for update_many only; a single update replaces the
# tags and drops keys it does not know. tdesk sent the two keys, the
# server dropped them and tdesk marked the change done: the tag was lost
# on the server and, after the next pull, in the replica. It now sends the
# whole list, built on the ticket as read at the stamp it sends on, so a
# tag someone else added meanwhile is kept.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/zdsim2lib.sh"

sim2_start --tickets 20 --seed 7 --strict-tags || done_testing
expect_code 0 "first sync" tdesk sync
set -- $(sim2_mine 2)
tags() {
	sim2 state | python3 -c "import json, sys
print(' '.join(sorted([t['tags'] for t in json.load(sys.stdin)['tickets']
    if t['id'] == $1][0])))"
}
before=$(tags "$1")

for c in +sim2a "+sim2b -sim2a" +sim2c; do
	# shellcheck disable=SC2086
	tdesk set "$1" $c >/dev/null 2>&1 || fail "set $c"
done
# someone else tags the ticket before tdesk pushes
sleep 1
sim2 touch "{\"ticket\":$1,\"tag\":\"theirs\"}" >/dev/null
expect_code 0 "push the tag changes" tdesk sync
want=$(printf '%s\n' $before sim2b sim2c theirs | sort -u | paste -sd' ')
expect_eq "the server holds the changes and the other tag" "$(tags "$1")" \
    "$want"
expect_code 0 "pull" tdesk sync
expect_eq "so does the replica" \
    "$(sql "$DB" "SELECT tags FROM tickets WHERE id = $1" | xargs -n1 |
    sort | paste -sd' ')" "$want"

# the answer to a tag change lost after the server applied it
before=$(tags "$2")
tdesk set "$2" +sim2d >/dev/null 2>&1 || fail "set +sim2d"
sim2_faults "[{\"match\":\"^PUT /api/v2/tickets/$2\$\",
    \"kind\":\"reset_after\",\"n\":1}]"
expect_code 0 "a tag change whose answer was lost" tdesk sync
expect_eq "applied once" "$(tags "$2")" \
    "$(printf '%s\n' $before sim2d | sort -u | paste -sd' ')"
expect_eq "nothing lost or duplicated" "$(sim2_tally)" \
    "lost 0 duplicated 0"
done_testing
