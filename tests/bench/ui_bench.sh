#!/bin/bash
# SPDX-License-Identifier: MIT
# TUI latency and memory: start to first full screen, keystroke to redraw
# (move, open, filter) and peak RSS, on demo desks of 1k and 100k tickets.
# Prints numbers; never fails on a slow day. Uses TDESK_UI_TRACE, which
# makes the UI log "paint US REALTIME_NS" and "key NAME US" lines.
# usage: tests/bench/ui_bench.sh [SIZES...]   (default: 1000 100000)
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TDESK=${TDESK:-$SRC/build/cmd/tdesk}
SIZES=${*:-1000 100000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ui_bench.XXXXXX")
SOCK="uib$$"
tmx() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tmx kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC HOME=$WORK XDG_CONFIG_HOME=$WORK/config
unset NO_COLOR

stats() {	# label: median and p99 of the microsecond numbers on stdin
	sort -n | awk -v l="$1" '{ v[NR] = $1 } END {
	    if (NR == 0) { printf "%-22s no samples\n", l; exit }
	    p = int(NR * 0.99 + 0.5); if (p < 1) p = 1; if (p > NR) p = NR
	    printf "%-22s n=%-4d p50=%7.2f ms  p99=%7.2f ms\n", l, NR,
	        v[int((NR + 1) / 2)] / 1000, v[p] / 1000 }'
}

wait_trace() {	# wait until the trace has N key lines (bounded)
	local i
	for i in $(seq 400); do
		[ "$(grep -c '^key ' "$1" 2>/dev/null)" -ge "$2" ] && return 0
		sleep 0.05
	done
}

for n in $SIZES; do
	export XDG_DATA_HOME=$WORK/data-$n
	t0=$(date +%s%N)
	"$TDESK" demo --tickets "$n" </dev/null >/dev/null || exit 1
	t1=$(date +%s%N)
	printf '== %s tickets (demo desk made in %.1f s)\n' "$n" \
	    "$(echo "($t1 - $t0) / 1000000000" | bc -l)"
	trace=$WORK/trace-$n
	: >"$trace"
	start=$(date +%s%N)
	tmx new-session -d -s b -x 120 -y 40 \
	    "TDESK_UI_TRACE='$trace' /usr/bin/time -f 'rss %M' -o '$WORK/rss-$n' '$TDESK' demo"
	for i in $(seq 200); do grep -q '^paint' "$trace" && break; sleep 0.05; done
	paint=$(awk '/^paint/ { print $2; exit }' "$trace")
	real=$(awk '/^paint/ { print $3; exit }' "$trace")
	printf '%-22s %.2f ms in ui_run, %.1f ms from launch (incl. tmux)\n' \
	    "first full screen" "$(echo "$paint / 1000" | bc -l)" \
	    "$(echo "($real - $start) / 1000000" | bc -l)"
	sleep 1		# let the deferred counts finish
	k=0
	for i in $(seq 100); do tmx send-keys -t b j; k=$((k + 1)); done
	wait_trace "$trace" $k
	for i in $(seq 30); do tmx send-keys -t b G g; k=$((k + 2)); done
	wait_trace "$trace" $k
	for i in $(seq 30); do tmx send-keys -t b Enter q; k=$((k + 2)); done
	wait_trace "$trace" $k
	tmx send-keys -t b /
	k=$((k + 1))
	for i in $(seq 10); do
		tmx send-keys -t b -l "lang:zh status<solved"
		tmx send-keys -t b C-u
	done
	tmx send-keys -t b Escape
	sleep 2
	grep '^key j ' "$trace" | awk '{ print $3 }' | stats "move (j)"
	grep -E '^key [Gg] ' "$trace" | awk '{ print $3 }' | stats "jump (G/g)"
	grep '^key Enter ' "$trace" | awk '{ print $3 }' | stats "open ticket (Enter)"
	grep '^key q ' "$trace" | awk '{ print $3 }' | stats "back to list (q)"
	grep '^key prompt ' "$trace" | awk '{ print $3 }' | stats "filter as you type"
	tmx send-keys -t b q
	for i in $(seq 100); do [ -s "$WORK/rss-$n" ] && break; sleep 0.05; done
	awk '/^rss/ { printf "%-22s %.1f MB\n", "peak RSS", $2 / 1024 }' \
	    "$WORK/rss-$n"
	tmx kill-server >/dev/null 2>&1
done
