#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The rules on tickets invented for the hard cases (tests/triage/wide.tsv):
# negation ("not hacked, my withdrawal..."), several topics where the main
# ask decides ("my deposit arrived fine. But my order..."; "实名认证通过了，
# 充值也正常，就是提币..."), two-word Chinese tickets, quoted error codes
# (which alone do not make an API ticket), incidents told many ways,
# urgency and "no rush", Japanese and Korean words; and the same rules on
# one ticket at a time through the CLI.
. "$(dirname "$0")/lib.sh"

check "the widened corpus meets the targets" python3 "$TESTS_DIR/triage/score.py" \
    "$TDESK" "$TESTS_DIR/triage/wide.tsv" --min-cat 0.9 \
    --min-inc-recall 0.95 --min-inc-precision 0.8 --min-urg-recall 0.9

cls() { # subject body -> "category incident urgent"
	python3 -c 'import json,sys; print(json.dumps({"id":1,"subject":sys.argv[1],"body":sys.argv[2]}))' "$1" "$2" |
	    "$TDESK" classify --jsonl | python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["category"], int(d["security_incident"]), int(d["urgent"]))'
}
# settled topics are background: the one after them is the ask
expect_eq "deposit fine, but the order" \
	"$(cls "Problem" "My deposit arrived fine. But my limit order was never filled.")" "trade 0 0"
expect_eq "充值成功了，提现才是问题" \
	"$(cls "问题" "充值成功了，但是提现一直显示审核中，什么时候能到？")" "withdrawal 0 0"
expect_eq "not settled: 充值没有成功" \
	"$(cls "问题" "充值没有成功，提现也慢")" "deposit 0 0"
expect_eq "I passed KYC, the withdrawal is stuck" \
	"$(cls "Help" "I passed KYC yesterday and my withdrawal is stuck in processing.")" "withdrawal 0 0"
# an error code goes with the words around it
expect_eq "an app error code on login" \
	"$(cls "Login error" "The app shows \"Error 401: session expired\" when I log in.")" "account_access 0 0"
expect_eq "an API error code" \
	"$(cls "Orders fail" "POST /api/v3/order returns {\"code\":-1021,\"msg\":\"Timestamp outside recvWindow\"}")" "api 0 0"
expect_eq "funds sent while asleep" \
	"$(cls "Lost BTC" "Last night 1 BTC went to an address I have never seen while I was asleep.")" "security 1 1"
done_testing
