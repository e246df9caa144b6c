# SPDX-License-Identifier: MIT
# For the RT tests (t23xx): source after lib.sh. rt_start gives the test its
# own Request Tracker 5 server (tests/rt/rtserver.sh) and stops it when the
# test ends; when RT is not installed the test is skipped (exit 77) with a
# one-line hint, which tests/run counts and prints.
RT_SCRIPT=$TESTS_DIR/rt/rtserver.sh

rt_skip_unless_installed() {
	if ! "$RT_SCRIPT" available; then
		echo "skipped: Request Tracker 5 not installed (apt-get install request-tracker5 rt5-db-sqlite rt5-clients)"
		trap - EXIT
		rm -rf "$WORK"
		exit 77
	fi
}

# rt_start: the server's URL, port, tokens in RT_URL RT_PORT RT_TOKEN RT_TOKEN2
rt_start() {
	rt_skip_unless_installed
	at_exit '"$RT_SCRIPT" stop "$WORK/rt"'
	"$RT_SCRIPT" start "$WORK/rt" || { fail "RT server did not start"; done_testing; }
	. "$WORK/rt/env"
	# should the test be killed before its EXIT trap runs, the server
	# still goes when the test's shell does (at most an hour)
	(
		for _ in $(seq 1 3600); do kill -0 $$ 2>/dev/null || break; sleep 1; done
		"$RT_SCRIPT" stop "$WORK/rt"
	) </dev/null >/dev/null 2>&1 &
}

# rt_api METHOD PATH [JSON]: one REST 2.0 call as the agent; prints the body
rt_api() {
	local m=$1 p=$2
	shift 2
	curl -s -X "$m" -H "Authorization: token $RT_TOKEN" \
		-H 'Content-Type: application/json' ${1:+--data-binary "$1"} \
		"$RT_URL/REST/2.0$p"
}

# rt_perl CODE: run Perl with RT loaded against the test's database (as the
# system user: $sys)
rt_perl() {
	RT_SITE_CONFIG=$WORK/rt/RT_SiteConfig.pm RT_SITE_CONFIG_DIR=$WORK/rt/site.d \
		perl -I/usr/share/request-tracker5/lib -e '
use strict; use warnings; use RT; RT::LoadConfig(); RT::Init();
our $sys = RT->SystemUser;
'"$1"
}

# rt_api2 METHOD PATH [JSON]: the same as the second agent (agent2)
rt_api2() {
	local m=$1 p=$2
	shift 2
	curl -s -X "$m" -H "Authorization: token $RT_TOKEN2" \
		-H 'Content-Type: application/json' ${1:+--data-binary "$1"} \
		"$RT_URL/REST/2.0$p"
}

# rt_new QUEUE SUBJECT TEXT [OWNER]: create a ticket as the agent; prints its id
rt_new() {
	rt_api POST /ticket "{\"Queue\":\"$1\",\"Subject\":\"$2\",\"Requestor\":\"carol@customer.test\",\"Content\":\"$3\",\"Owner\":\"${4:-Nobody}\"}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

# rt_field ID FIELD: a field of a ticket as RT has it
rt_field() {
	rt_api GET "/ticket/$1" | python3 -c '
import json, sys
v = json.load(sys.stdin)[sys.argv[1]]
print(v["id"] if isinstance(v, dict) else v)' "$2"
}

# rt_count_msgs ID TYPE TEXT: how many transactions of TYPE carry TEXT
rt_count_msgs() {
	rt_api GET "/ticket/$1/attachments?per_page=100&fields=TransactionId,ContentType,Content" >"$WORK/.att"
	rt_api GET "/ticket/$1/history?per_page=100&fields=Type" >"$WORK/.hist"
	python3 - "$WORK/.att" "$WORK/.hist" "$2" "$3" <<'PY'
import json, sys
att = json.load(open(sys.argv[1]))["items"]
hist = {h["id"]: h["Type"] for h in json.load(open(sys.argv[2]))["items"]}
txns = {a["TransactionId"] for a in att
        if a["ContentType"] == "text/plain" and a["Content"].strip() == sys.argv[4]
        and hist.get(a["TransactionId"]) == sys.argv[3]}
print(len(txns))
PY
}

# rt_desk [PROXY_URL]: tdesk desk "rt" on the test's server (or through a
# proxy), pulling unowned tickets of Support and General
rt_desk() {
	export RT_TOKEN
	tdesk init --desk rt --backend rt --url "${1:-$RT_URL}" --user agent \
		--token-env RT_TOKEN --group Support --group General >/dev/null ||
		fail "tdesk init --backend rt"
	RT_DB=$XDG_DATA_HOME/tdesk/rt.db
}

# proxy_start: the fault proxy in front of the server; PROXY_URL, PROXY_DIR
proxy_start() {
	PROXY_DIR=$WORK/proxy
	mkdir -p "$PROXY_DIR"
	echo '[]' >"$PROXY_DIR/rules.json"
	python3 "$TESTS_DIR/rt/faultproxy.py" "$PROXY_DIR/port" "$RT_URL" \
		"$PROXY_DIR" "$RT_TOKEN2" 2>"$PROXY_DIR/stderr" &
	PROXY_PID=$!
	at_exit 'kill $PROXY_PID 2>/dev/null'
	for _ in $(seq 1 100); do [ -s "$PROXY_DIR/port" ] && break; sleep 0.05; done
	PROXY_URL=http://127.0.0.1:$(cat "$PROXY_DIR/port")
}

# proxy_rules JSON: what the proxy does next
proxy_rules() { printf '%s\n' "$1" >"$PROXY_DIR/rules.json"; }
