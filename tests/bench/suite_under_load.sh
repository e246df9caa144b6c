#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the whole suite N times in a row while two CPU hogs run (stress-ng
# --cpu 2, or two busy loops without it), by hand: a test that passes only
# on an idle machine is a flaky test. Prints one line per run and a total.
# Usage: tests/bench/suite_under_load.sh [N] [tests/run ARGS...] (N: 10)
set -u
cd "$(dirname "$0")/../.." || exit 2
n=${1:-10}
shift $(( $# > 0 ? 1 : 0 ))
if command -v stress-ng >/dev/null; then
	stress-ng --cpu 2 --timeout 86400 >/dev/null 2>&1 &
	hogs=$!
else
	(while :; do :; done) & h1=$!
	(while :; do :; done) & h2=$!
	hogs="$h1 $h2"
fi
trap 'kill $hogs 2>/dev/null' EXIT
good=0
for i in $(seq 1 "$n"); do
	t0=$(date +%s)
	last=$(tests/run "$@" 2>&1 | tee "/tmp/suite_under_load.$i.log" | tail -1)
	echo "run $i: $last ($(( $(date +%s) - t0 )) s)"
	case $last in *" 0 failed"*) good=$((good + 1)) ;; esac
done
echo "$good of $n runs passed under two CPU hogs"
