#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark (prints numbers, asserts nothing): the reply guard and secret
# redaction in microseconds per KB (target: at most 50), over the test
# corpora and over N synthetic tickets' texts (all, the Chinese ones, and
# one 1 MB text made of them), and ingest of those tickets with and
# without redaction (target: within 10%). To compare with an older
# commit, build this bench against its libraries (see guard_compare.sh
# for the same on verdicts).
# Usage: tests/bench/guard_bench.sh [TICKETS]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
bench=${GUARD_BENCH:-$src/build/tests/guard_bench}
n=${1:-5000}
work=$(mktemp -d "${TMPDIR:-/tmp}/guard_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
[ -x "$bench" ] || { echo "build first: ninja -C build" >&2; exit 1; }
python3 "$src/tests/zdserver.py" --dump-pages "$work/pages" --dump-list all \
	--tickets "$n" --seed 1 >/dev/null 2>&1 || { echo "zdserver --dump-pages failed" >&2; exit 1; }
"$bench" "$src/tests/corpus" "$work" "$work"/pages/page-*.json
