#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Macros and FAQ answers from the local YAML files work on an RT desk: a
# macro's reply (placeholders filled from RT's requestor) and status reach
# the real RT server; the FAQ search is the same as on any desk.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start

t1=$(rt_new Support "Where is my withdrawal" "It has been two days" agent)
rt_desk
expect_code 0 "first sync" tdesk sync
mkdir -p "$XDG_CONFIG_HOME/tdesk/macros"
cat >"$XDG_CONFIG_HOME/tdesk/macros/rt.yaml" <<'Y'
macros:
  - name: Ask for the hash
    actions:
      status: pending
      comment: "Hello {{requester.first_name}}, please send the transaction hash for ticket {{ticket.id}}."
Y
expect_code 0 "apply a local macro to an RT ticket" tdesk macro apply --yes "Ask for the hash" "$t1"
expect_code 0 "sync" tdesk sync
expect_eq "RT has the rendered reply once" \
	"$(rt_count_msgs "$t1" Correspond "Hello Carol, please send the transaction hash for ticket $t1.")" 1
expect_eq "and the status" "$(rt_field "$t1" Status)" stalled
expect_code 0 "FAQ search on an RT desk" tdesk faq search withdraw
expect_match "finds the starter answer" "$(last_out)" "withdrawal"
done_testing
