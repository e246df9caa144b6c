#!/usr/bin/env bash
# Every example under "Using it" in README.md works as printed on the demo
# desk (those needing a terminal run in tmux; the last needs a helpdesk
# and must fail for that reason only), and the quick start's install line
# works for root and for a user.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

mkdir -p bin man/man1 man/man5
ln -s "$TDESK" bin/tdesk
ln -s "$SRC_DIR/man/tdesk.1" man/man1/tdesk.1
ln -s "$SRC_DIR/man/tdesk.5" man/man5/tdesk.5
export PATH="$WORK/bin:$PATH" MANPATH="$WORK/man" MANPAGER=cat PAGER=cat

sed -n '/^## Using it/,/^## /p' "$SRC_DIR/README.md" | grep '^    tdesk' |
    sed 's/^    //' > examples
check "README has examples" test "$(wc -l < examples)" -gt 10
while IFS= read -r line; do
	# drop a trailing "   # comment" (not a '#' inside quotes)
	cmd=$(printf '%s' "$line" | sed -E "s/[[:space:]]{2,}#[^']*$//")
	case $cmd in
	"tdesk")
		tui_start 100 30
		wait_for "README: '$cmd' opens the queue" '1:My open'
		keys q
		wait_for "and quits" '\[exit 0\]'
		;;
	*"sync")
		expect_code 7 "README: '$cmd' fails only for want of a token" bash -c "$cmd"
		expect_match "because 'pass' is not here" "$(last_err)" 'token'
		;;
	*)
		expect_code 0 "README: $cmd" bash -o pipefail -c "$cmd"
		[ -n "$(last_out)$(last_err)" ] || fail "README: '$cmd' printed nothing"
		;;
	esac
done < examples
db=$XDG_DATA_HOME/tdesk/demo.db
expect_eq "the README's reply and FAQ answer are queued" \
	"$(sql "$db" "SELECT count(*) FROM outbox WHERE ticket_id = 10037 AND kind = 'reply'")" 2
expect_eq "the dry run queued nothing" \
	"$(sql "$db" "SELECT count(*) FROM outbox WHERE kind = 'update'")" 0

# the quick start: $(command -v sudo) is empty for root, sudo otherwise
line=$(grep -m1 'apt-get update' "$SRC_DIR/README.md")
expect_match "install line uses \$(command -v sudo)" "$line" '^ *\$\(command -v sudo\) apt-get update'
expect_match "and installs tdesk on the PATH" "$line" 'meson install -C build && tdesk demo$'
check "every package of .ci/run is in the README" python3 - "$SRC_DIR/.ci/run" "$line" <<'PY'
import re, sys
ci = open(sys.argv[1]).read()
m = re.search(r"--no-install-recommends \\\n(.*?)>/dev/null", ci, re.S)
# the real RT server is for the t23xx tests only (the README names its
# packages beside the test command); zsh and fish only check completions
pkgs = set(m.group(1).replace("\\", " ").split()) - {"ca-certificates",
    "procps", "request-tracker5", "rt5-db-sqlite", "rt5-clients",
    "zsh", "fish"}
missing = [p for p in pkgs if f" {p} " not in sys.argv[2] + " "]
if missing:
    print("missing from the README:", missing)
    sys.exit(1)
PY
done_testing
