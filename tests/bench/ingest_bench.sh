#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark (prints numbers, asserts nothing): ingest of N synthetic
# Zendesk-shaped tickets (default 100,000) from the loopback server's pages,
# then `tdesk list` latency (process start to last line) for a few queries,
# including a Chinese full-text one, and peak RSS. Medians of RUNS runs.
# Usage: tests/bench/ingest_bench.sh [TICKETS] [RUNS]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
TDESK=${TDESK:-$src/build/cmd/tdesk}
n=${1:-100000}
runs=${2:-3}
work=${TDESK_BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ingest_bench.XXXXXX")}
[ -n "${TDESK_BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export LC_ALL=C.UTF-8 TZ=UTC
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo "$(( ($2 - $1) / 1000 ))" | awk '{printf "%.2f", $1/1000}'; }

if [ ! -d "$work/pages-$n" ]; then
	echo "generating $n tickets (100 per page, with users, groups and SLA sideloads)..."
	python3 "$src/tests/zdserver.py" --dump-pages "$work/pages-$n" --dump-list all \
		--tickets "$n" --seed 1 >/dev/null 2>&1 || { echo "zdserver --dump-pages failed" >&2; exit 1; }
fi
pages=("$work/pages-$n"/page-*.json)
bytes=$(cat "${pages[@]}" | wc -c)
echo "pages: ${#pages[@]}, $(( bytes / 1000000 )) MB, $(( bytes / n )) bytes per ticket with sideloads"

rates=() all=() mbs=() idx=() rss=()
for r in $(seq "$runs"); do
	rm -f "$work/b.db" "$work/b.db-wal" "$work/b.db-shm"
	out=$("$TDESK" -d "$work/b.db" import --stats "${pages[@]}" 2>/dev/null) || { echo "import failed" >&2; exit 1; }
	rates+=("$(echo "$out" | awk '/^tickets_per_second / {print $2}')")
	all+=("$(echo "$out" | awk '/^tickets_per_second_indexed/ {print $2}')")
	mbs+=("$(echo "$out" | awk '/^mb_per_second/ {print $2}')")
	idx+=("$(echo "$out" | awk '/^index_seconds/ {print $2}')")
	rss+=("$(echo "$out" | awk '/^max_rss_kb/ {print $2}')")
done
printf 'ingest: %s tickets/s, %s MB/s (median of %d; runs: %s)\n' \
	"$(printf '%s\n' "${rates[@]}" | median)" "$(printf '%s\n' "${mbs[@]}" | median)" "$runs" "${rates[*]}"
printf 'ingest with the index build (tags, SLA rows, full text, classes): %s tickets/s (runs: %s)\n' \
	"$(printf '%s\n' "${all[@]}" | median)" "${all[*]}"
printf 'index build (tags, SLA rows, full text): %s s; import peak RSS %s KB\n' \
	"$(printf '%s\n' "${idx[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median)"
# the same pages again: every ticket is a conflict with an equal copy
out=$("$TDESK" -d "$work/b.db" import --stats "${pages[@]}" 2>/dev/null)
echo "re-ingest of the same pages: $(echo "$out" | awk '/^tickets_per_second / {print $2}') tickets/s"

db=$work/b.db
echo "tickets in the desk: $(sqlite3 "$db" 'SELECT count(*) FROM tickets'), active: $(sqlite3 "$db" 'SELECT count(*) FROM tickets WHERE status_rank < 4')"
lat() { # label, args...
	local label=$1; shift
	local t=() i t0 t1 lines
	"$TDESK" -d "$db" list "$@" >/dev/null 2>&1	# warm the cache
	for i in $(seq 11); do
		t0=$(date +%s%N)
		lines=$("$TDESK" -d "$db" list "$@" | wc -l)
		t1=$(date +%s%N)
		t+=("$(ms "$t0" "$t1")")
	done
	local peak
	peak=$( { /usr/bin/time -f '%M' "$TDESK" -d "$db" list "$@" >/dev/null; } 2>&1 | tail -1)
	printf '  %-44s %7s ms  %6s lines  peak RSS %s KB\n' "$label" \
		"$(printf '%s\n' "${t[@]}" | median)" "$lines" "$peak"
}
echo "tdesk list, process start to last line (median of 11):"
lat "status<solved, first 50 (a screenful)" --limit 50 'status<solved'
lat "status<solved, every row" 'status<solved'
lat "priority>=high lang:zh, first 50" --limit 50 'priority>=high lang:zh'
lat "English full text 'withdrawal', first 50" --limit 50 withdrawal
lat "Chinese full text '退款', first 50" --limit 50 退款
lat "Chinese full text '提现', every row" 提现
lat "count of status<solved" --count 'status<solved'
"$TDESK" --version >/dev/null
t=(); for i in $(seq 11); do t0=$(date +%s%N); "$TDESK" --version >/dev/null; t1=$(date +%s%N); t+=("$(ms "$t0" "$t1")"); done
echo "process start floor (tdesk --version): $(printf '%s\n' "${t[@]}" | median) ms"
