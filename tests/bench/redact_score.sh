#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark (prints numbers, asserts nothing): recall and false positives
# of the redactor on the generated corpora (tests/corpus/gen_redact2.py:
# redact2.tsv to tune on, redact2_held.tsv held back). TDESK=path/to/tdesk
# to score another build; -v lists the misses of the tuning set only.
# Usage: tests/bench/redact_score.sh [-v]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
tdesk=${TDESK:-$src/build/cmd/tdesk}
[ -x "$tdesk" ] || { echo "build first: ninja -C build" >&2; exit 1; }
python3 "$src/tests/bench/redact_score.py" "$tdesk" "$src/tests/corpus/redact2.tsv" "$@"
python3 "$src/tests/bench/redact_score.py" "$tdesk" "$src/tests/corpus/redact2_held.tsv"
