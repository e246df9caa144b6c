#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Triage on a synced desk: tickets are classified at ingest, the queue
# shows category, new-reply marker and the customer's wait; after a
# customer reply and a sync the row changes (N, is:new) until the agent
# opens it; an agent's category wins over the rules, also after
# `classify --desk`; incidents lead the default order.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 120 --seed 5
expect_code 0 "first sync" tdesk sync
expect_eq "every ticket classified at ingest" "$(sql "$DB" \
	"SELECT count(*) FROM tickets WHERE category = ''")" 0
expect_eq "nothing new before any reply" "$(tdesk list --count is:new)" 0

t=$(my_open_ids 1)
row_before=$(tdesk list "#$t")
zd_admin customer_reply "{\"ticket_id\":$t,\"body\":\"我的提现还没到账，请尽快处理\"}" >/dev/null
expect_code 0 "sync after the customer reply" tdesk sync
row_after=$(tdesk list "#$t")
check "the queue row changed" test "$row_before" != "$row_after"
expect_match "new-reply marker" "$row_after" '^[0-9]+ .* [-V][-!][-P][-C]N '
expect_eq "is:new finds it" "$(tdesk list --count "is:new #$t")" 1
expect_eq "the customer is waiting" "$(tdesk list --json "#$t" |
	pj 'd[0]["waiting_since"] is not None')" True
expect_match "show says new" "$(tdesk show "$t")" 'new reply since you looked'
expect_eq "opened: no longer new" "$(tdesk list --count "is:new #$t")" 0
expect_match "show says why" "$(tdesk show "$t")" '^why: '

# incidents first in the default order
inc=$(tdesk list --count is:incident)
if [ "$inc" -gt 0 ]; then
	first=$(tdesk list | head -n "$inc" | grep -c INCIDENT)
	expect_eq "incidents lead the queue" "$first" "$inc"
fi
expect_code 0 "category query" tdesk list category:withdrawal,deposit
expect_code 2 "unknown is:" tdesk list is:sleepy

# the agent's category wins over the rules, even after a re-run
expect_code 0 "override" tdesk classify --set compliance "$t"
expect_eq "override shown" "$(tdesk list --json "#$t" | pj 'd[0]["category"]')" compliance
expect_code 0 "re-run the rules" tdesk classify --desk
expect_eq "override survives" "$(tdesk list --count "category:compliance #$t")" 1
expect_match "show names both" "$(tdesk show "$t")" 'set by an agent; rules say'
expect_code 0 "override removed" tdesk classify --set none "$t"
expect_eq "rules again" "$(tdesk list --count "category:compliance #$t")" 0

# --desk prints what changed when the rules change
mkdir -p "$XDG_CONFIG_HOME/tdesk"
printf 'rules:\n  - name: all-other\n    category: other\n    weight: 50\n    regex: "."\n' \
	>"$XDG_CONFIG_HOME/tdesk/rules.yaml"
expect_code 0 "re-run with a new rule" tdesk classify --desk --json
expect_match "the change is printed" "$(last_out)" "\"id\":[0-9]+,\"from\":\\{\"category\":\"[a-z_]+\".*\"to\":\\{\"category\":\"other\""
expect_eq "only incidents stay out of other" "$(tdesk list --count "-category:other")" "$inc"
done_testing
