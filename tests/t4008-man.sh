#!/usr/bin/env bash
# tdesk(1) renders in groff (PostScript and terminal) and mandoc without a
# warning, with no broken nested quotes or run-together placeholders.
. "$(dirname "$0")/lib.sh"

page=$SRC_DIR/man/tdesk.1
if command -v groff >/dev/null; then
	expect_code 0 "groff" groff -mdoc -ww -z "$page"
	expect_eq "groff has no warning" "$(last_err)" ""
	expect_code 0 "groff -Tutf8" groff -mdoc -ww -Tutf8 -z "$page"
	expect_eq "groff -Tutf8 has no warning" "$(last_err)" ""
fi
expect_code 0 "mandoc lint" mandoc -T lint -W warning "$page"
expect_eq "mandoc has no warning" "$(last_out)$(last_err)" ""
text=$(MANWIDTH=80 mandoc -T utf8 "$page" | col -b)
expect_no_match "no run-together placeholders" "$text" 'statusopvalue|priorityopvalue'
expect_no_match "no broken nested quotes" "$text" '"""|“[^”]*“'
expect_match "the JSON of show reads as JSON" "$(printf "%s" "$text" | tr -s " \t\n" " ")" '\{"ticket": \.\.\., "description": \.\.\., .*"comments": \[\.\.\.\]\}'
# every synopsis line fits 80 columns
MANWIDTH=80 mandoc -T utf8 "$page" | col -b | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' > synopsis
_count=$((_count + 1))
[ "$(wc -L < synopsis)" -le 80 ] || fail "a SYNOPSIS line is wider than 80 columns"
done_testing
