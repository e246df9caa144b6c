# SPDX-License-Identifier: MIT
# Helpers for tests that talk to the loopback Zendesk simulator
# (tests/zdserver.py). Source after tests/lib.sh:
#   . "$TESTS_DIR/zdserver/lib.sh"
#   zd_start --tickets 50 --seed 7     # sets ZD_PORT ZD_URL ZD_PID
#   zd_admin faults '{"faults":[...]}' # POST /_admin/faults
#   zd_state | ...                     # GET /_admin/state

ZD_SERVER=${ZD_SERVER:-$TESTS_DIR/zdserver.py}
# the interpreter itself, resolved once: a pyenv shim costs ~1 s per call
ZD_PYTHON=${ZD_PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
ZD_EMAIL=${ZD_EMAIL:-agent@example.com}
ZD_TOKEN=${ZD_TOKEN:-test-token}

# zd_start [ARGS...]: start the server on a free port, wait (bounded) for
# its port file, and kill it when the test ends. Returns 1 if it never
# came up. Big desks take ~1 s per 10k tickets to generate (more on a
# loaded machine: ZD_START_TENTHS, tenths of a second, default 600).
zd_start() {
	local pf="$WORK/zdserver.$$.$RANDOM.port" i
	rm -f "$pf"
	"$ZD_PYTHON" "$ZD_SERVER" --port 0 --port-file "$pf" \
	    --agent-email "$ZD_EMAIL" --token "$ZD_TOKEN" "$@" \
	    2>>"$WORK/zdserver.log" &
	ZD_PID=$!
	at_exit "kill $ZD_PID 2>/dev/null; wait $ZD_PID 2>/dev/null"
	for i in $(seq 1 "${ZD_START_TENTHS:-600}"); do
		[ -s "$pf" ] && break
		kill -0 "$ZD_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	[ -s "$pf" ] || return 1
	ZD_PORT=$(cat "$pf")
	ZD_URL=http://127.0.0.1:$ZD_PORT
	export ZD_PORT ZD_URL ZD_PID
}

# zd_json EXPR: evaluate a Python expression over the JSON on stdin (as d)
zd_json() {
	"$ZD_PYTHON" -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# zd_admin NAME [JSON]: POST JSON to /_admin/NAME, print the answer
zd_admin() {
	curl -s --max-time 60 -X POST -H 'Content-Type: application/json' \
	    --data-binary "${2:-{\}}" "$ZD_URL/_admin/$1"
}

# zd_state [QUERY]: print GET /_admin/state?QUERY
zd_state() {
	curl -s --max-time 60 "$ZD_URL/_admin/state${1:+?$1}"
}

# zd_curl ARGS...: curl with the agent's API-token credentials
zd_curl() {
	curl -s --max-time 30 -u "$ZD_EMAIL/token:$ZD_TOKEN" "$@"
}
