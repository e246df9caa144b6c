#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Score (prints numbers, asserts nothing): the reply guard on labelled
# corpora (verdict<TAB>class<TAB>text, as tests/corpus/guard2*.tsv; two
# columns as guard.tsv are read with the class "-"): per file and class,
# the scams blocked (recall; warned ones shown apart) and the ordinary
# replies blocked (false positives) or warned.
# Usage: tests/bench/guard_score.sh [-v] [TDESK] [FILE.tsv ...]
#   -v lists the lines scored wrong (not for a held-back file: name it
#   with -V to see those too). Default files: guard.tsv, guard2.tsv,
#   guard2-held.tsv.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
verbose=0
case ${1:-} in -v) verbose=1; shift ;; -V) verbose=2; shift ;; esac
tdesk=$src/build/cmd/tdesk
case ${1:-} in *.tsv|'') ;; *) tdesk=$1; shift ;; esac
[ -x "$tdesk" ] || { echo "build first: ninja -C build" >&2; exit 1; }
[ $# -gt 0 ] || set -- "$src"/tests/corpus/guard.tsv \
	"$src"/tests/corpus/guard2.tsv "$src"/tests/corpus/guard2-held.tsv
TDESK=$tdesk VERBOSE=$verbose python3 - "$@" <<'PY'
import json, os, subprocess, sys
from collections import defaultdict

def lines(path):
    for ln in open(path, encoding="utf-8"):
        ln = ln.rstrip("\n")
        if not ln or ln.startswith("#") or "\t" not in ln:
            continue
        f = ln.split("\t")
        want, cls, text = (f[0], f[1], "\t".join(f[2:])) if len(f) >= 3 \
            else (f[0], "-", f[1])
        yield want, cls, text.replace("\\n", "\n")

def lang(t):
    if any("\u3040" <= c <= "\u30ff" or "\uac00" <= c <= "\ud7af" for c in t):
        return "ja/ko"
    return "zh" if any("\u4e00" <= c <= "\u9fff" for c in t) else "en"

verbose = int(os.environ["VERBOSE"])
for path in sys.argv[1:]:
    items = list(lines(path))
    inp = "".join(json.dumps({"id": i, "text": t}) + "\n"
                  for i, (_, _, t) in enumerate(items))
    out = subprocess.run([os.environ["TDESK"], "guard", "--jsonl"], input=inp,
                         capture_output=True, text=True).stdout.splitlines()
    got = {}
    for o in out:
        d = json.loads(o)
        got[d["id"]] = d.get("verdict", "error")
    held = "held" in os.path.basename(path)
    tab = defaultdict(lambda: [0, 0, 0])  # (want, key) -> n, blocked, warned
    for i, (want, cls, text) in enumerate(items):
        v = got.get(i, "error")
        for key in ("all", "lang:" + lang(text), cls):
            t = tab[(want, key)]
            t[0] += 1
            t[1] += v == "block"
            t[2] += v == "warn"
        wrong = (want == "block") != (v == "block")
        if wrong and verbose and (not held or verbose > 1):
            print(f"  WRONG want {want} got {v}: [{cls}] {text!r}")
    print(f"== {os.path.basename(path)}: {len(items)} lines")
    for want, what in (("block", "scams blocked"), ("ok", "ok replies blocked")):
        keys = sorted((k for w, k in tab if w == want),
                      key=lambda k: (k != "all", not k.startswith("lang:"), k))
        for k in keys:
            n, b, w = tab[(want, k)]
            print(f"  {what:20s} {k:14s} {b:4d}/{n:<4d} {100.0 * b / n:5.1f}%"
                  f"  (warned {w})")
PY
