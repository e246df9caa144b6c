#!/usr/bin/env bash
# The store's rules spelled once: a macro's tags obey the same rule as a
# tag given to tdesk set (a tag the outbox would refuse is refused when the
# macro file is read, with its position, not when the macro is applied);
# status and priority ranks follow a change and its drop in the replica.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
db=$XDG_DATA_HOME/tdesk/demo.db

mkdir -p "$XDG_CONFIG_HOME/tdesk/macros"
cat > "$XDG_CONFIG_HOME/tdesk/macros/quote.yaml" <<'Y'
macros:
  - name: Quoted tag
    actions:
      add_tags: [ok, 'say"hi']
  - name: Spaced tags
    actions:
      remove_tags: "vip kyc"
Y
expect_code 0 "list with a bad tag" tdesk macro list
expect_match "bad tag refused at load, with its position" "$(last_err)" \
	"macros/quote.yaml:4:22: invalid tag 'say\"hi'"
expect_no_match "the file is refused whole" "$(last_out)" "Quoted tag"
expect_code 2 "tdesk set refuses the same tag" tdesk set 1 '+say"hi'
expect_match "same rule" "$(last_err)" "invalid tag 'say\"hi'"

sed -i '/Quoted tag/,/say"hi/d' "$XDG_CONFIG_HOME/tdesk/macros/quote.yaml"
expect_code 0 "list again" tdesk macro list
expect_match "words of a string are tags" "$(last_out)" "^Spaced tags "

id=$(sql "$db" "SELECT id FROM tickets WHERE status = 'open' AND priority = 'low' ORDER BY id LIMIT 1")
[ -n "$id" ] || fail "no open low ticket in the demo"
expect_code 0 "set status and priority" tdesk set --yes "$id" status=hold priority=urgent
expect_eq "ranks follow the change" \
	"$(sql "$db" "SELECT status_rank || ' ' || priority_rank FROM tickets WHERE id = $id")" "3 4"
ob=$(sql "$db" "SELECT max(id) FROM outbox")
expect_code 0 "drop it" tdesk outbox drop "$ob"
expect_eq "ranks follow the drop" \
	"$(sql "$db" "SELECT status_rank || ' ' || priority_rank FROM tickets WHERE id = $id")" "1 1"
done_testing
