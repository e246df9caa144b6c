#!/bin/sh
# SPDX-License-Identifier: MIT
# Functions longer than N lines (default 100) in the C files of the given
# folders (default the production ones), longest first: "LINES FILE:LINE
# NAME". Counts from the line naming the function to its closing brace;
# relies on the house style (name at column 0, braces at column 0).
# Usage: tests/bench/fnlen.sh [-n N] [DIR...]
n=100
if [ "$1" = "-n" ]; then n=$2; shift 2; fi
[ $# -gt 0 ] || set -- cmd ui store sync
find "$@" -name '*.c' | sort | xargs awk -v max="$n" '
FNR == 1 { name = ""; start = 0 }
/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name); start = FNR; next }
/^}/ && start { len = FNR - start + 1
	if (len > max) printf "%d %s:%d %s\n", len, FILENAME, start, name
	start = 0 }
' | sort -rn
