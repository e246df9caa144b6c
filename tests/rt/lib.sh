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
