#!/bin/bash
# SPDX-License-Identifier: MIT
# Old tdesk vs new on the same searches, runs interleaved (old, new, old,
# ...) so a shared machine's load falls on both alike: median CPU ms of
# `tdesk -d demo list Q | head -n 40` (and of --count) for each, and the
# ratio. Each binary reads its own copy of the desk (a newer schema's
# migration would lock the old binary out): make them with
# tests/bench/scale.sh, copy the directory, and let the new binary
# migrate its copy once.
# usage: tests/bench/search_cmp.sh OLD_TDESK OLD_DATA NEW_TDESK NEW_DATA
#   (DATA: an XDG_DATA_HOME holding tdesk/demo.db); env R (runs, 7)
set -u
[ $# -eq 4 ] || { sed -n '9,10p' "$0" >&2; exit 2; }
export LC_ALL=C.UTF-8 TZ=UTC TDESK_PAGER=cat
unset NO_COLOR TDESK_DESK
HOME=$(mktemp -d "${TMPDIR:-/tmp}/search_cmp.XXXXXX")
export HOME XDG_CONFIG_HOME=$HOME/config
trap 'rm -rf "$HOME"' EXIT
echo "load: $(uptime | sed 's/.*load/load/')"
python3 - "$@" "${R:-7}" <<'PY'
import os, resource, subprocess, sys
old, olddata, new, newdata, runs = sys.argv[1:6]
runs = int(runs)
queries = [
    ("list (status<solved)", "", 0), ("withdrawal", "withdrawal", 0),
    ("提现 (zh)", "提现", 0), ("XRP status<solved", "XRP 'status<solved'", 0),
    ("'destination tag'", "'\"destination tag\"'", 0),
    ("eos (1%)", "eos", 0), ("unfairly status<solved",
    "unfairly 'status<solved'", 0), ("the -account", "the -- -account", 0),
    ("--count withdrawal", "withdrawal", 1),
    ("--count 'destination tag'", "'\"destination tag\"'", 1),
    ("--count XRP status<solved", "XRP 'status<solved'", 1),
]
def cpu(tdesk, data, q, count):
    cmd = ("'%s' -d demo list --count %s" % (tdesk, q) if count else
           "'%s' -d demo list %s | head -n 40" % (tdesk, q))
    env = dict(os.environ, XDG_DATA_HOME=data)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["sh", "-c", cmd], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000
med = lambda v: sorted(v)[(len(v) - 1) // 2]
for b, d in ((old, olddata), (new, newdata)):	# warm the page cache
    cpu(b, d, "--limit 1", 0)
print("%-28s %9s %9s %6s" % ("median CPU ms", "old", "new", "new/old"))
for label, q, count in queries:
    o, n = [], []
    for _ in range(runs):
        o.append(cpu(old, olddata, q, count))
        n.append(cpu(new, newdata, q, count))
    print("%-28s %9.1f %9.1f %6.2f" % (label, med(o), med(n), med(n) / med(o)))
PY
