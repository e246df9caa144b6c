#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark (prints numbers, asserts nothing): the floors under `tdesk
# import` of N tickets (default 100,000), each measured alone on the same
# data, beside the import itself: json-c parsing and freeing the pages
# (1 and 2 threads, tests/bench/json_floor.c), and on a fresh WAL database
# with the import's page cache, SQLite copying the imported rows as they
# are (tickets, users), the full-text build from the imported texts and
# its merge, the tickets' index builds and the commit. What an import
# does beyond these is tdesk's own: mapping, sanitising, redaction,
# classification, derived rows. A release build gives the numbers:
# TDESK=$PWD/build-rel/cmd/tdesk. Reuses the pages of ingest_bench.sh in
# TDESK_BENCH_DIR.
# Usage: tests/bench/ingest_floors.sh [TICKETS]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
TDESK=${TDESK:-$src/build/cmd/tdesk}
n=${1:-100000}
work=${TDESK_BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ingest_floors.XXXXXX")}
[ -n "${TDESK_BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
export LC_ALL=C.UTF-8 TZ=UTC
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell" >&2; exit 1; }

if [ ! -d "$work/pages-$n" ]; then
	echo "generating $n tickets (100 per page, with users, groups and SLA sideloads)..."
	python3 "$src/tests/zdserver.py" --dump-pages "$work/pages-$n" --dump-list all \
		--tickets "$n" --seed 1 >/dev/null 2>&1 || { echo "zdserver --dump-pages failed" >&2; exit 1; }
fi
pages=("$work/pages-$n"/page-*.json)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

# the import itself, whose desk the SQLite floors start from
db=$work/floors-src.db
rm -f "$db" "$db-wal" "$db-shm"
out=$("$TDESK" -d "$db" import --stats "${pages[@]}" 2>/dev/null) || { echo "import failed" >&2; exit 1; }
v() { echo "$out" | awk -v k="$1" '$1 == k {print $2}'; }
echo "tdesk import: ingest $(v ingest_seconds) s + index build $(v index_seconds) s;" \
	"$(v cpu_seconds) CPU-s, of which the writer thread $(v writer_cpu_seconds);" \
	"$(v tickets_per_second_indexed) tickets/s indexed; peak RSS $(v max_rss_kb) KB"

# JSON: json-c alone (the readers' share of an import)
cc -O2 -o "$work/json_floor" "$src/tests/bench/json_floor.c" \
	$(pkg-config --cflags --libs json-c) -lpthread || { echo "cannot build json_floor" >&2; exit 1; }
"$work/json_floor" 1 "${pages[@]}"
"$work/json_floor" 2 "${pages[@]}"

# SQLite: the same rows, texts and indexes into a fresh desk-shaped file
q() { sqlite3 "$db" "$1"; }
fresh=$work/floors.db
rm -f "$fresh" "$fresh-wal" "$fresh-shm"
{
	echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
	echo "PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY;"
	echo "ATTACH '$db' AS src;"
	q "SELECT sql || ';' FROM sqlite_schema WHERE name IN ('tickets', 'users')"
	q "SELECT sql || ';' FROM sqlite_schema WHERE name = 'ticket_fts'"
	# merges held until the optimize, as in an import (store/bulk.c)
	echo "INSERT INTO ticket_fts(ticket_fts, rank) VALUES('automerge', 0);"
	echo "INSERT INTO ticket_fts(ticket_fts, rank) VALUES('crisismerge', 64);"
	echo ".timer on"
	echo "BEGIN;"
	echo "INSERT INTO main.tickets SELECT * FROM src.tickets;"
	echo "INSERT INTO main.users SELECT * FROM src.users;"
	echo "INSERT INTO main.ticket_fts(rowid, subject, body) SELECT rowid, subject, body FROM src.ticket_fts;"
	echo "INSERT INTO main.ticket_fts(ticket_fts) VALUES('optimize');"
	q "SELECT sql || ';' FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('tickets', 'users')" | tr '\n' ' '
	echo
	echo "COMMIT;"
} | sqlite3 "$fresh" 2>&1 | awk '
	/^Run Time/ { t[++k] = $4; c[k] = $6 + $8 }
	END {
		# begin, tickets, users, full text, optimize, the indexes, commit
		split("|rows: tickets (copied)|rows: users (copied)|full text: build from the texts|full text: optimize", name, "|")
		for (i = 2; i <= k; i++) {
			j = i <= 5 ? i : i == k ? 7 : 6
			w[j] += t[i]; u[j] += c[i]
		}
		name[6] = "index builds (tickets, users)"; name[7] = "commit"
		for (j = 2; j <= 7; j++) {
			printf "sqlite floor, %-32s %6.3f s wall %6.3f CPU-s\n", name[j], w[j], u[j]
			sw += w[j]; sc += u[j]
		}
		printf "sqlite floor, %-32s %6.3f s wall %6.3f CPU-s (one connection: serial)\n", "all of the above", sw, sc
	}'
echo "40,000 tickets/s is $(awk -v n="$n" 'BEGIN {printf "%.2f", n / 40000}') s wall for $n tickets"
rm -f "$fresh" "$fresh-wal" "$fresh-shm"
