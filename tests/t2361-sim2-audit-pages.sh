#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Whether an action landed is read from the ticket's audits, and one page
# of them is not the whole log: an action in flight when tdesk was killed
# may sit behind a hundred newer audits, and a server may list them oldest
# first (sort_order is not among the endpoint's documented parameters).
# tdesk read only the first page, found nothing and sent the action again
# (a duplicate reply); it now reads on until the log ends.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/zdsim2lib.sh"

sim2_start --tickets 30 --seed 7 || done_testing
expect_code 0 "first sync" tdesk sync
set -- $(sim2_mine 2)

# killed while the answer to the reply was lost; then 150 updates by
# others on that ticket before the next sync
tdesk reply -m "before the crash" "$1" >/dev/null 2>&1
sim2_faults "[{\"match\":\"^PUT /api/v2/tickets/$1\$\",\"kind\":\"lost\",
    \"hang_s\":10}]"
sim2_kill_at "PUT /api/v2/tickets/$1\"" 0.3
sim2_faults "[]"
sim2 audits "{\"ticket\":$1,\"n\":150}" >/dev/null
expect_code 0 "the sync after the crash" tdesk sync
expect_eq "an action behind 150 newer audits is found, not resent" \
    "$(sim2_tally)" "lost 0 duplicated 0"

# a ticket with 150 audits on a server listing them oldest first; the
# connection is reset after the reply was applied
sim2 config '{"audits_asc": true}' >/dev/null
sim2 audits "{\"ticket\":$2,\"n\":150}" >/dev/null
expect_code 0 "sync" tdesk sync
tdesk reply -m "on a long ticket" "$2" >/dev/null 2>&1
sim2_faults "[{\"match\":\"^PUT /api/v2/tickets/$2\$\",\"kind\":\"reset_after\",
    \"n\":1}]"
expect_code 0 "sync with the answer lost" tdesk sync
expect_eq "audits oldest first: the action is found on a later page" \
    "$(sim2_tally)" "lost 0 duplicated 0"
expect_eq "both actions are done" \
    "$(sql "$DB" "SELECT group_concat(state) FROM outbox")" "done,done"
done_testing
