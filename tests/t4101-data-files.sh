#!/usr/bin/env bash
# Where tdesk finds its data files (starter macros and rules, the demo
# desk's text): a build looks in the source tree without reading meson's
# own files, and a copy of the binary outside the build tree, with
# nothing installed, still finds them instead of warning.
. "$(dirname "$0")/lib.sh"

expect_eq "the binary does not read meson-info.json" \
	"$(grep -c meson-info "$TDESK")" 0
expect_code 0 "demo from the build tree" tdesk demo --tickets 5 </dev/null
expect_no_match "no warning" "$(last_err)" "cannot open"
expect_code 0 "starter macros" tdesk -d demo macro list
expect_match "the starter pack is there" "$(last_out)" "."
starter=$(last_out)

cp "$TDESK" "$WORK/tdesk-copy"
expect_code 0 "demo from a copy" "$WORK/tdesk-copy" -d copy demo --tickets 5 </dev/null
expect_no_match "the copy finds the rules" "$(last_err)" "cannot open"
expect_code 0 "the copy's macros" "$WORK/tdesk-copy" -d copy macro list
expect_eq "the same starter pack" "$(last_out | sed 's/copy/demo/g')" "$starter"
done_testing
