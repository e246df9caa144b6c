#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The generated redaction corpus (tests/corpus/gen_redact2.py, the part
# tuned on: redact2.tsv) through `tdesk redact --jsonl`: every secret in
# it is removed whole (phrases in seven BIP39 languages and many shapes,
# keys, PEM blocks, backup codes, passwords) and no look-alike is
# touched (tx hashes, addresses, order numbers, prose in six languages,
# prose about seed phrases). The held-back part is only scored, by
# tests/bench/redact_score.sh.
. "$(dirname "$0")/lib.sh"

out=$(python3 "$SRC_DIR/tests/bench/redact_score.py" "$TDESK" \
	"$SRC_DIR/tests/corpus/redact2.tsv" -v 2>&1)
printf '%s\n' "$out" | grep -v '^     ->' | head -20
check "every secret removed" bash -c 'printf "%s\n" "$1" | grep -Eq "secrets removed ([0-9]+)/\\1 "' _ "$out"
expect_match "no look-alike touched" "$out" "look-alikes touched 0/"
done_testing
