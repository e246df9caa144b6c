#!/usr/bin/env bash
# tdesk audit reads its options through the shared spec: --since=2h and
# --since 2h alike, a misspelt option named with its correction, verify
# refusing options, --help listing the options.
. "$(dirname "$0")/lib.sh"

expect_code 0 "demo desk" tdesk demo --tickets 20 </dev/null
expect_code 0 "reply" tdesk -d demo reply -m "Looking into it." 10001
expect_code 0 "--since=2h" tdesk -d demo audit --since=2h
expect_match "lists the reply" "$(last_out)" "reply +#10001 "
expect_code 0 "--json --since 2h" tdesk -d demo audit --json --since 2h
check "JSON rows" python3 -c 'import json,sys; assert len(json.loads(sys.argv[1])) == 1' "$(last_out)"
expect_code 2 "a misspelt option" tdesk -d demo audit --sinc 2h
expect_match "names the correction" "$(last_err)" "did you mean '--since'"
expect_code 2 "a bad duration" tdesk -d demo audit --since soon
expect_match "says what a duration is" "$(last_err)" "30m, 2h, 7d"
expect_code 2 "verify takes no options" tdesk -d demo audit verify --json
expect_code 2 "an unknown operand" tdesk -d demo audit check
expect_code 0 "verify" tdesk -d demo audit verify
expect_match "ok" "$(last_out)" "^ok: 1 row$"
expect_code 0 "--help" tdesk audit --help
expect_match "--help lists --since" "$(last_out)" "--since duration"
done_testing
