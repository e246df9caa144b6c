#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A ticket longer than the classifier's sentence table (64 sentences):
# the ask at its end still decides the category, in both languages, and
# the classifier never measures a clause from outside its sentence (it
# once did: under ASan, `tdesk demo --tickets 3000` aborted with a
# negative memmem length in cls_background).
. "$(dirname "$0")/lib.sh"

python3 - > long.jsonl <<'PY'
import json
thanks = " ".join(["Thanks for the help so far."] * 80)
print(json.dumps({"id": 1, "subject": "help",
    "body": thanks + " My deposit arrived fine, but the withdrawal is stuck since yesterday."}))
print(json.dumps({"id": 2, "subject": "帮助",
    "body": "谢谢你们。" * 80 + "充值成功了，但是提现卡住了。"}))
# no sentence ends at all: one run of 20k words
print(json.dumps({"id": 3, "subject": "",
    "body": " ".join(["please"] * 20000) + " my withdrawal arrived fine but"}))
PY
expect_code 0 "classify a long ticket" "$TDESK" classify --jsonl < long.jsonl
out=$("$TDESK" classify --jsonl < long.jsonl 2>/dev/null)
cats=$(printf '%s\n' "$out" | python3 -c 'import json,sys
for l in sys.stdin: o = json.loads(l); print(o["id"], o["category"])')
expect_match "English: the ask after 80 sentences decides" "$cats" "^1 withdrawal"
expect_match "Chinese: the ask after 80 sentences decides" "$cats" "2 withdrawal"
expect_match "one endless sentence: a verdict all the same" "$cats" "3 [a-z_]+"
done_testing
