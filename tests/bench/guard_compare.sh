#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compare (prints, asserts nothing a test suite runs): do two builds of
# tdesk give the same guard verdicts, reasons, redactions and hashes on
# every text? The texts: both corpora, the descriptions and subjects of
# N synthetic tickets, and generated texts (lexicon words, list words,
# seed phrases in every shape, numbers, links, keys, placeholders, hidden
# characters, Chinese), by tests/bench/guard_texts.py.
# Usage: tests/bench/guard_compare.sh OLD_SRC OLD_BUILD [NEW_BUILD] [N]
#   e.g. OLD_SRC=/tmp/base (a checkout of the old commit), OLD_BUILD its
#   build dir; NEW_BUILD defaults to build-rel of this tree.
# Exit 0: the same on every text; 1: differences (the first are shown).
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 2 ] || { sed -n '9,12p' "$0" >&2; exit 2; }
old_src=$1 old_build=$2 new_build=${3:-$src/build-rel} n=${4:-30000}
work=$(mktemp -d "${TMPDIR:-/tmp}/guard_compare.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT; echo "work: $work" >&2
drv() { # source tree, build dir, output
	cc -O2 -std=c17 -D_GNU_SOURCE -I"$1" -I"$2" \
	    "$src/tests/bench/guard_compare.c" "$2/store/libtdesk_store.a" \
	    -lsqlite3 -lyaml -lm -o "$3"
}
drv "$old_src" "$old_build" "$work/old" || exit 2
drv "$src" "$new_build" "$work/new" || exit 2
python3 "$src/tests/zdserver.py" --dump-pages "$work/pages" --dump-list all \
	--tickets 5000 --seed 1 >/dev/null 2>&1 || { echo "zdserver failed" >&2; exit 2; }
python3 "$src/tests/bench/guard_texts.py" "$src" "$work/pages" "$work/texts" "$n" ||
	exit 2
"$work/old" <"$work/texts" >"$work/old.out"
"$work/new" <"$work/texts" >"$work/new.out"
texts=$(wc -l <"$work/texts")
if cmp -s "$work/old.out" "$work/new.out"; then
	echo "same on all $texts texts ($(grep -c '^G block' "$work/old.out") blocked," \
	    "$(grep -c '^R [1-9]' "$work/old.out") with secrets)"
	exit 0
fi
# per text: does anything differ, does the guard's verdict differ
python3 - "$work/old.out" "$work/new.out" <<'P'
import sys
def texts(path):
    t, cur = [], None
    for line in open(path, "rb"):
        if line.startswith(b"# "):
            cur = []
            t.append(cur)
        cur.append(line)
    return t
old, new = texts(sys.argv[1]), texts(sys.argv[2])
diff = [i for i, (a, b) in enumerate(zip(old, new)) if a != b]
verd = [i for i in diff if old[i][1].split()[:2] != new[i][1].split()[:2]]
print("DIFFERENT: %d of %d texts, the guard's verdict on %d" %
      (len(diff), len(old), len(verd)))
for i in (verd or diff)[:10]:
    print("text %d:\n  old %s  new %s" % (i, old[i][1].decode(errors="replace"),
                                          new[i][1].decode(errors="replace")))
P
exit 1
