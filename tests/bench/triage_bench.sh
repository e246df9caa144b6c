#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark (prints numbers, asserts nothing): triage over a demo desk of
# N tickets (default 100,000): the classifier alone over JSON lines
# (`classify --jsonl`), re-running the rules over the replica
# (`classify --desk`: rules, writes, waiting times), `tdesk stats`, and
# the queue's first screen in the triage order. Wall and CPU seconds of
# the whole tdesk process, medians of RUNS runs (default 3). Targets:
# classify 100k <= 5 s, stats <= 200 ms, first screen <= 50 ms.
# Usage: tests/bench/triage_bench.sh [N [RUNS]]
#   TRIAGE_BENCH_DESK=dir reuses (or keeps) the demo desk's data dir.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
TDESK=${TDESK:-$src/build/cmd/tdesk}
n=${1:-100000}
runs=${2:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/triage_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config
export XDG_DATA_HOME=${TRIAGE_BENCH_DESK:-$work/data}
export LC_ALL=C.UTF-8 TZ=UTC
unset NO_COLOR

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# run LABEL CMD...: median wall and CPU (user+sys) seconds
run() {
	local label=$1 i; shift
	: >"$work/t"
	for i in $(seq "$runs"); do
		/usr/bin/time -f "%e %U %S" -o "$work/one" "$@" \
		    <"${STDIN:-/dev/null}" >/dev/null 2>&1
		tail -1 "$work/one" >>"$work/t"
	done
	printf '%-34s wall %6.3f s   cpu %6.3f s\n' "$label" \
	    "$(awk '{print $1}' "$work/t" | median)" \
	    "$(awk '{print $2 + $3}' "$work/t" | median)"
}

if [ ! -f "$XDG_DATA_HOME/tdesk/demo.db" ]; then
	t0=$(date +%s.%N)
	"$TDESK" demo --tickets "$n" >/dev/null 2>&1 || { echo "demo failed" >&2; exit 1; }
	printf 'demo desk of %s tickets made in %.1f s\n' "$n" \
	    "$(echo "$(date +%s.%N) - $t0" | bc)"
fi
db=$XDG_DATA_HOME/tdesk/demo.db
total=$(sqlite3 "$db" "SELECT count(*) FROM tickets")
sqlite3 "$db" "SELECT json_object('id', id, 'subject', subject, 'body',
    description, 'lang', lang) FROM tickets" >"$work/all.jsonl"
echo "== $total tickets (nproc $(nproc), load $(cut -d' ' -f1 /proc/loadavg))"
STDIN=$work/all.jsonl run "classify --jsonl ($total)" "$TDESK" classify --jsonl
run "classify --desk ($total)" "$TDESK" classify --desk
run "stats" "$TDESK" stats
run "stats --by category" "$TDESK" stats --by category
run "list --limit 50 (first screen)" "$TDESK" list --limit 50 "status<solved"
run "list --limit 50 assignee:me" "$TDESK" list --limit 50 "assignee:me status<solved"
