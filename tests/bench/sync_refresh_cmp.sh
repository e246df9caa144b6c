#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A first sync by two binaries against the same loopback server, turn
# about (OLD, NEW, OLD, NEW), then the raw transfer of the last sync's
# GETs; prints wall and CPU times, the ratio to the raw transfer, and
# whether the derived rows (classes, tags, SLA rows, full text) of the
# two replicas are identical. Prints numbers, never fails on a slow day.
# Usage: OLD=/path/to/old/tdesk [TDESK=new] tests/bench/sync_refresh_cmp.sh N
. "$(dirname "$0")/../lib.sh"
. "$TESTS_DIR/synclib.sh"

N=${1:-10000}
OLD=${OLD:?OLD=path of the binary to compare with}
ROUNDS=${ROUNDS:-2}
export ZD_START_TENTHS=${ZD_START_TENTHS:-6000}
now() { date +%s.%N; }

sync_setup --tickets "$N" --seed 7 --rate-limit 10000000 \
    --request-log "$WORK/requests.log"
cp "$DB" "$WORK/empty.db"
for r in $(seq 1 "$ROUNDS"); do
	for who in old new; do
		bin=$OLD
		[ "$who" = new ] && bin=$TDESK
		cp "$WORK/empty.db" "$DB"
		rm -f "$DB-wal" "$DB-shm"
		: >"$WORK/requests.log"
		t0=$(now)
		/usr/bin/time -f "%e %U %S" -o "$WORK/time" "$bin" sync \
		    --pull --json >"$WORK/sync.json"
		t1=$(now)
		read -r wall user sys <"$WORK/time"
		echo "round $r $who: $(python3 -c "print('%.2f' % ($t1 - $t0))")" \
		    "s wall, $user s user, $sys s sys; $(cat "$WORK/sync.json")"
		eval "wall_$who=$(python3 -c "print($t1 - $t0)")"
		derived_rows "$DB" | md5sum | cut -c1-32 >"$WORK/derived.$who"
		[ "$r" = 1 ] && derived_rows "$DB" | grep -E "^(match|marks):" \
		    >"$WORK/counts.$who"
	done
	python3 -c "print('round $r new/old wall: %.2f' % ($wall_new / $wall_old))"
done
echo "FTS MATCH counts and leftover marks (new): $(paste -sd' ' "$WORK/counts.new")"
if cmp -s "$WORK/derived.old" "$WORK/derived.new" &&
    cmp -s "$WORK/counts.old" "$WORK/counts.new"; then
	echo "derived rows: identical"
else
	echo "derived rows: DIFFERENT"
fi
awk -v base="$ZD_URL" '$1 == "GET" && $2 != "users.me" {
    printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", base, $3 }' \
    "$WORK/requests.log" >"$WORK/curl.cfg"
t0=$(now)
curl -s -u "$ZD_EMAIL/token:$ZD_TOKEN" -K "$WORK/curl.cfg"
t1=$(now)
python3 -c "raw = $t1 - $t0; print('raw transfer %.2f s ($(grep -c '^url' "$WORK/curl.cfg") GETs); last round: old/raw %.2f, new/raw %.2f' % (raw, $wall_old / raw, $wall_new / raw))"
