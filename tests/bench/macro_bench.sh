#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark (prints numbers, asserts nothing): one macro applied offline to
# 10,000 tickets in one transaction, dropping those actions again, and FAQ
# search over 1,000 entries in English and Chinese. Medians of RUNS runs
# (default 3; 15 for searches), wall time of the whole tdesk process.
# Usage: tests/bench/macro_bench.sh [RUNS]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
TDESK=${TDESK:-$src/build/cmd/tdesk}
runs=${1:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/macro_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
mkdir -p "$XDG_CONFIG_HOME/tdesk/faq"
export LC_ALL=C.UTF-8 TZ=UTC

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# the 10k desk: pages from the loopback server, imported like a sync
python3 "$src/tests/zdserver.py" --dump-pages "$work/pages" --tickets 12000 \
	--page-size 100 >/dev/null 2>&1 || { echo "zdserver --dump-pages failed" >&2; exit 1; }
desk=$work/base.db
"$TDESK" -d "$desk" import "$work"/pages/*.json >/dev/null 2>&1 || exit 1
# every ticket must be able to take the macro: closed ones cannot
sqlite3 "$desk" "UPDATE tickets SET status = 'open' WHERE status = 'closed';
	INSERT OR REPLACE INTO sync_state VALUES('me.name', 'Bench Agent')"
n=$(sqlite3 "$desk" "SELECT count(*) FROM tickets")
sqlite3 "$desk" "SELECT id FROM tickets ORDER BY id LIMIT 10000" > "$work/ids"
n=$(wc -l < "$work/ids")
echo "tickets: $n"

apply_t=() drop_t=() dry_t=()
for r in $(seq "$runs"); do
	t0=$(now)
	"$TDESK" -d "$desk" macro apply --dry-run --set coin=USDT \
		"Incident - withdrawals delayed" - < "$work/ids" >/dev/null || exit 1
	t1=$(now)
	dry_t+=("$(echo "$t1 - $t0" | bc)")
	cp "$desk" "$work/run.db"
	rm -f "$work/run.db-wal" "$work/run.db-shm"
	t0=$(now)
	"$TDESK" -d "$work/run.db" macro apply --yes --set coin=USDT \
		"Incident - withdrawals delayed" - < "$work/ids" >/dev/null || exit 1
	t1=$(now)
	apply_t+=("$(echo "$t1 - $t0" | bc)")
	q=$(sqlite3 "$work/run.db" "SELECT count(*), count(DISTINCT ticket_id) FROM outbox WHERE kind = 'macro'")
	[ "$q" = "$n|$n" ] || echo "WARNING: outbox has $q, wanted $n|$n" >&2
	sqlite3 "$work/run.db" "SELECT id FROM outbox ORDER BY id DESC" > "$work/ob"
	t0=$(now)
	"$TDESK" -d "$work/run.db" outbox drop --yes $(cat "$work/ob") >/dev/null 2>&1 || exit 1
	t1=$(now)
	drop_t+=("$(echo "$t1 - $t0" | bc)")
done
printf 'macro apply, %s tickets, one transaction: %.3f s (median of %s)\n' "$n" \
	"$(printf '%s\n' "${apply_t[@]}" | median)" "$runs"
printf 'macro apply --dry-run (render and check only): %.3f s\n' \
	"$(printf '%s\n' "${dry_t[@]}" | median)"
printf 'outbox drop of those %s actions: %.3f s\n' "$n" \
	"$(printf '%s\n' "${drop_t[@]}" | median)"

# 1,000 FAQ entries: the starter pack's texts, varied
python3 - "$src/store/starter/faq" "$XDG_CONFIG_HOME/tdesk/faq/bench.yaml" <<'PY'
import sys, os, re, random
random.seed(7)
words = "account deposit withdrawal network memo margin futures fee api key limit order price market security phishing review compliance whitelist address transfer wallet balance verify identity document selfie login password code device".split()
han = "充值提现账户安全验证密码网络地址合约保证金手续费订单价格市场钓鱼审核冻结解冻白名单钱包余额身份证件登录设备转账到账延迟处理风险"
out = ["faq:"]
for i in range(1000):
    en_t = " ".join(random.choice(words) for _ in range(6))
    en_b = " ".join(random.choice(words) for _ in range(80))
    zh_t = "".join(random.choice(han) for _ in range(10))
    zh_b = "".join(random.choice(han) for _ in range(200))
    out += ["  - id: bench-%04d" % i, "    category: bench",
            "    keywords: [%s, %s]" % (random.choice(words), random.choice(han) + random.choice(han)),
            "    en:", "      title: %s" % en_t, "      body: %s" % en_b,
            "    zh:", "      title: %s" % zh_t, "      body: %s" % zh_b]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
cp "$desk" "$work/faq.db"
"$TDESK" -d "$work/faq.db" faq list >/dev/null || exit 1	# loads the files
echo "faq entries: $("$TDESK" -d "$work/faq.db" faq list | wc -l)"
for q in withdrawal "api key" 提现 冻 安全验证; do
	ts=()
	for r in $(seq 15); do
		t0=$(now)
		"$TDESK" -d "$work/faq.db" faq search "$q" >/dev/null
		t1=$(now)
		ts+=("$(echo "($t1 - $t0) * 1000" | bc)")
	done
	printf 'faq search %-12s %6.2f ms (whole process, median of 15)\n' "'$q'" \
		"$(printf '%s\n' "${ts[@]}" | median)"
done
# the search statement alone (what store_faq_search runs): 200 in one
# sqlite3 process, minus that process with none
for m in '"withdrawal"*' '"提 现"' '"冻"' '"安 全 验 证"'; do
	stmt="SELECT count(*) FROM (SELECT rowid, bm25(faq_fts, 10.0, 1.0, 5.0) r FROM faq_fts WHERE faq_fts MATCH '$m' ORDER BY r LIMIT 20);"
	t0=$(now); for i in $(seq 200); do echo "$stmt"; done | sqlite3 "$work/faq.db" >/dev/null; t1=$(now)
	echo "SELECT 1;" | sqlite3 "$work/faq.db" >/dev/null; t2=$(now)
	printf 'faq search SQL %-16s %6.3f ms per query\n' "$m" \
		"$(echo "(($t1 - $t0) - ($t2 - $t1)) * 1000 / 200" | bc -l)"
done
t0=$(now); "$TDESK" -d "$work/faq.db" --version >/dev/null; t1=$(now)
printf 'process start floor (tdesk --version): %.2f ms\n' "$(echo "($t1 - $t0) * 1000" | bc)"
