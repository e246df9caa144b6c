#!/bin/bash
# SPDX-License-Identifier: MIT
# Scale: the same desk at 100k and 1M tickets (tdesk demo's generator),
# and what an agent waits for on each: `tdesk list`'s first screen (the
# default queue and a few filters), full-text search (English, Chinese)
# and the UI's first full screen. Target (issue 9): at 1M, list and
# search <= 2x their 100k times; the UI's first screen <= 50 ms.
# Prints numbers (medians of R runs: wall clock of the whole pipeline and
# its CPU time, which a loaded machine disturbs less); never fails on a
# slow day.
# usage: tests/bench/scale.sh [SIZES...]   (default: 100000 1000000)
# env:   TDESK (default build-rel's, else build's), R (runs, 5),
#        SCALE_DIR (keep the desks there between runs; a 1M desk takes
#        ~4.5 GB and 15+ minutes to make), SCALE_ONLY=list|search|ui
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${TDESK:-}" ]; then
	TDESK=$SRC/build-rel/cmd/tdesk
	[ -x "$TDESK" ] || TDESK=$SRC/build/cmd/tdesk
fi
SIZES=${*:-100000 1000000}
R=${R:-5}
ONLY=${SCALE_ONLY:-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scale.XXXXXX")
DESKS=${SCALE_DIR:-$WORK}
SOCK="scale$$"
tmx() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tmx kill-server >/dev/null 2>&1; rm -rf "$WORK"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC HOME=$WORK XDG_CONFIG_HOME=$WORK/config
unset NO_COLOR TDESK_DESK
export TDESK_PAGER=cat

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", NR ? v[int((NR + 1) / 2)] : -1 }'; }

# sh -c "$1" R times: median wall ms and median CPU ms (user + sys of the
# pipeline; steadier than wall time on a loaded machine)
timed() {
	python3 - "$1" "$R" <<'PY'
import resource, subprocess, sys, time
cmd, runs = sys.argv[1], int(sys.argv[2])
wall, cpu = [], []
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    subprocess.run(["sh", "-c", cmd], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall.append((time.monotonic() - t0) * 1000)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
med = lambda v: sorted(v)[(len(v) - 1) // 2]
print("%8.1f ms  cpu %7.1f ms" % (med(wall), med(cpu)))
PY
}

first_screen() {	# label, query words: time to the first 40 lines
	printf '%-34s %s\n' "$1" "$(timed "'$TDESK' -d demo list $2 | head -n 40")"
}

ui_first() {	# the UI's first full screen, from TDESK_UI_TRACE
	local i trace
	for i in $(seq "$R"); do
		trace=$WORK/trace-$i
		: >"$trace"
		tmx new-session -d -s b -x 120 -y 40 \
		    "TDESK_UI_TRACE='$trace' '$TDESK' -d demo ui"
		for _ in $(seq 400); do grep -q '^paint' "$trace" && break; sleep 0.05; done
		awk '/^paint/ { print $2 / 1000; exit }' "$trace"
		tmx kill-server >/dev/null 2>&1
		sleep 0.2
	done | median
}

echo "tdesk: $TDESK; load: $(uptime | sed 's/.*load/load/')"
for n in $SIZES; do
	export XDG_DATA_HOME=$DESKS/data-$n
	if [ ! -s "$XDG_DATA_HOME/tdesk/demo.db" ]; then
		t0=$(date +%s)
		"$TDESK" demo --tickets "$n" </dev/null >/dev/null || exit 1
		echo "(made the $n-ticket desk in $(( $(date +%s) - t0 )) s)"
	fi
	echo "== $n tickets ($(du -sh "$XDG_DATA_HOME/tdesk" | cut -f1))"
	"$TDESK" -d demo list --limit 1 >/dev/null	# warm the cache
	if [ -z "$ONLY" ] || [ "$ONLY" = list ]; then
		first_screen "list (status<solved, urgent)" ""
		first_screen "list lang:zh" "lang:zh"
		first_screen "list priority>=high status<solved" "'priority>=high' 'status<solved'"
		first_screen "list assignee:me" "assignee:me"
		first_screen "list --order updated" "--order updated"
		printf '%-34s %s\n' "list --count" "$(timed "'$TDESK' -d demo list --count")"
	fi
	if [ -z "$ONLY" ] || [ "$ONLY" = search ]; then
		first_screen "search withdrawal" "withdrawal"
		first_screen "search 提现 (zh)" "提现"
		first_screen "search XRP status<solved" "XRP 'status<solved'"
		first_screen "search 'destination tag'" "'\"destination tag\"'"
		first_screen "search eos (1%)" "eos"
		first_screen "search unfairly status<solved" "unfairly 'status<solved'"
		first_screen "search the -account" "the -- -account"
		for w in withdrawal "'\"destination tag\"'" "XRP 'status<solved'"; do
			printf '%-34s %s\n' "search --count $w" \
			    "$(timed "'$TDESK' -d demo list --count $w")"
		done
	fi
	if [ -z "$ONLY" ] || [ "$ONLY" = ui ]; then
		printf '%-34s %8s ms (in ui_run)\n' "UI first full screen" "$(ui_first)"
	fi
done
