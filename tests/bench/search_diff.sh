#!/bin/bash
# SPDX-License-Identifier: MIT
# Old tdesk vs new: the same tickets, in the same order, for searches in
# every order, with and without a limit (the new plans must not change
# what a list shows), and the same counts. One pinned clock for both, so
# a breach or an age ticking over between the runs is not a difference.
# Each binary reads its own copy of the desk (see search_cmp.sh). Prints
# each difference and "N of M differ"; exits 1 when any does.
# usage: tests/bench/search_diff.sh OLD_TDESK OLD_DATA NEW_TDESK NEW_DATA
#   env TDESK_NOW (the clock, default 2026-12-07T01:00:00Z)
set -u
[ $# -eq 4 ] || { sed -n '9,10p' "$0" >&2; exit 2; }
OLD=$1 DO=$2 NEW=$3 DN=$4
export LC_ALL=C.UTF-8 TZ=UTC TDESK_PAGER=cat
export TDESK_NOW=${TDESK_NOW:-2026-12-07T01:00:00Z}
unset NO_COLOR TDESK_DESK
HOME=$(mktemp -d "${TMPDIR:-/tmp}/search_diff.XXXXXX")
export HOME XDG_CONFIG_HOME=$HOME/config
trap 'rm -rf "$HOME"' EXIT
qs=("withdrawal" "the" "the -account" '"destination tag"' "提现"
	"account -the" "deposit status<solved" "withdrawal vip:yes"
	"lang:zh 充值" "password" "kyc -withdrawal" "zzzznotaword" "account"
	"hacked" "withdrawal is:unassigned" '"not received" -deposit'
	"refund status:open" "2fa")
ids() {	# data, binary, list args...: the ids listed
	local d=$1 b=$2
	shift 2
	XDG_DATA_HOME=$d "$b" -d demo list "$@" 2>&1 | awk '{ print $1 }' |
		md5sum
}
bad=0 n=0
for q in "${qs[@]}"; do
	for o in urgent updated id; do
		for l in 20 300 ""; do
			n=$((n + 1))
			# shellcheck disable=SC2086 # the query's words
			[ "$(ids "$DO" "$OLD" --order $o ${l:+--limit $l} -- $q)" = \
			  "$(ids "$DN" "$NEW" --order $o ${l:+--limit $l} -- $q)" ] ||
				{ bad=$((bad + 1)); echo "differ: --order $o ${l:+--limit $l} $q"; }
		done
	done
	n=$((n + 1))
	# shellcheck disable=SC2086
	a=$(XDG_DATA_HOME=$DO "$OLD" -d demo list --count -- $q 2>&1)
	# shellcheck disable=SC2086
	b=$(XDG_DATA_HOME=$DN "$NEW" -d demo list --count -- $q 2>&1)
	[ "$a" = "$b" ] || { bad=$((bad + 1)); echo "differ: --count $q: $a vs $b"; }
done
echo "$bad of $n differ"
[ "$bad" -eq 0 ]
