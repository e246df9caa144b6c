# SPDX-License-Identifier: MIT
# Shared helpers for the CLI test scripts (tests/t*.sh). Each script runs in
# a fresh directory with its own XDG dirs, so tests never see each other or
# the user's desks. Source it first: . "$(dirname "$0")/lib.sh"
set -u

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(dirname "$TESTS_DIR")
BUILD_DIR=${TDESK_BUILD_DIR:-$SRC_DIR/build}
TDESK=${TDESK:-$BUILD_DIR/cmd/tdesk}

TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$TEST_NAME.XXXXXX")
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
export XDG_CACHE_HOME=$WORK/cache XDG_RUNTIME_DIR=$WORK/run
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset VISUAL EDITOR TDESK_DESK NO_COLOR
export LC_ALL=C.UTF-8 TZ=UTC
cd "$WORK" || exit 1

_fails=0
_count=0
_cleanup() {
	local f
	for f in "${_cleanups[@]:-}"; do [ -n "$f" ] && eval "$f"; done
	if [ "$_fails" = 0 ]; then rm -rf "$WORK"; fi
}
_cleanups=()
trap _cleanup EXIT
# at_exit CMD: run CMD when the test ends (kill servers etc.)
at_exit() { _cleanups+=("$1"); }

tdesk() { "$TDESK" "$@"; }

fail() {
	_fails=$((_fails + 1))
	printf 'not ok - %s: %s\n' "$TEST_NAME" "$*" >&2
}
ok() { :; }

# check DESCRIPTION CMD...: the command must succeed
check() {
	local what=$1; shift
	_count=$((_count + 1))
	if ! "$@"; then fail "$what"; fi
}

# expect_code N DESCRIPTION CMD...: run CMD, require exit status N
expect_code() {
	local want=$1 what=$2 got; shift 2
	_count=$((_count + 1))
	"$@" >"$WORK/.out" 2>"$WORK/.err"; got=$?
	if [ "$got" != "$want" ]; then
		fail "$what: exit $got, wanted $want; stderr: $(head -c 400 "$WORK/.err")"
	fi
}
# the stdout/stderr of the last expect_code
last_out() { cat "$WORK/.out"; }
last_err() { cat "$WORK/.err"; }

# expect_eq DESCRIPTION GOT WANT
expect_eq() {
	_count=$((_count + 1))
	if [ "$2" != "$3" ]; then
		fail "$1: got [$2], wanted [$3]"
	fi
}

# count_agrees LABEL QUERY...: tdesk list --count QUERY is the number of
# rows tdesk list QUERY prints
count_agrees() {
	local label=$1; shift
	expect_eq "$label: --count is the rows listed" \
		"$(tdesk list --count "$@")" "$(tdesk list "$@" | wc -l)"
}

# expect_match DESCRIPTION TEXT REGEX (grep -E)
expect_match() {
	_count=$((_count + 1))
	if ! printf '%s\n' "$2" | grep -Eq -- "$3"; then
		fail "$1: [$(printf '%s' "$2" | head -c 400)] does not match /$3/"
	fi
}
expect_no_match() {
	_count=$((_count + 1))
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		fail "$1: [$(printf '%s' "$2" | head -c 400)] matches /$3/"
	fi
}

# pj EXPR: print a Python expression over the JSON read from stdin (as d)
pj() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# dump_pages DIR TICKETS SEED [ARGS...]: the loopback server's pages of
# TICKETS synthetic tickets written to DIR (for tdesk import)
dump_pages() {
	python3 "$TESTS_DIR/zdserver.py" --dump-pages "$1" --tickets "$2" \
		--seed "$3" "${@:4}" >/dev/null 2>&1 || fail "zdserver --dump-pages"
}

# sql DESK_FILE SQL: query a replica with the sqlite3 shell
sql() { sqlite3 -batch -noheader "$1" "$2"; }

# a free TCP port on 127.0.0.1
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# done_testing: end of every test script
done_testing() {
	if [ "$_fails" != 0 ]; then
		printf 'FAIL %s (%d of %d checks failed, kept %s)\n' "$TEST_NAME" "$_fails" "$_count" "$WORK" >&2
		exit 1
	fi
	printf 'ok %s (%d checks)\n' "$TEST_NAME" "$_count"
	exit 0
}
