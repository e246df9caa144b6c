# SPDX-License-Identifier: MIT
# Helpers for the TUI tests (t8xxx): drive the real tdesk in a private tmux
# server, read the screen with capture-pane, wait with bounded loops.
# Source after lib.sh: . "$TESTS_DIR/t8lib.sh"  (not a test itself)

if ! command -v tmux >/dev/null 2>&1; then
	echo "ok $TEST_NAME # SKIP tmux not installed"
	exit 0
fi

T8_SOCK="t8$$"
tmx() { tmux -L "$T8_SOCK" -f /dev/null "$@"; }
at_exit 'tmux -L "$T8_SOCK" kill-server >/dev/null 2>&1'

# tui_start W H ARGS...: run tdesk ARGS in an 80x24-like pane; the pane
# stays after tdesk exits and shows "[exit N]".
tui_start() {
	local w=$1 h=$2 cmd a i
	shift 2
	cmd="cd '$WORK' && '$TDESK'"
	for a in "$@"; do cmd="$cmd '$a'"; done
	cmd="$cmd; echo \"[exit \$?]\"; sleep 600"
	# A server still exiting after its last session was killed takes the
	# new session down with it: start again until the session stays.
	for i in $(seq 50); do
		tmx new-session -d -s t8 -x "$w" -y "$h" "$cmd" 2>/dev/null
		sleep 0.05
		tmx has-session -t t8 2>/dev/null && break
		sleep 0.1
	done
	tmx set-option -g remain-on-exit on >/dev/null 2>&1 || :
}

# the screen as text (or with attributes: screen -e)
screen() { tmx capture-pane -p -t t8 "$@"; }
keys() { tmx send-keys -t t8 "$@"; }
# type literal text
typ() { tmx send-keys -t t8 -l -- "$1"; }

# wait_for DESCRIPTION REGEX [SECONDS]: the screen must show REGEX soon
wait_for() {
	local what=$1 re=$2 secs=${3:-5} i
	_count=$((_count + 1))
	for i in $(seq $((secs * 20))); do
		if screen | grep -Eq -- "$re"; then
			return 0
		fi
		sleep 0.05
	done
	fail "$what: screen never showed /$re/; it shows:
$(screen)"
	return 1
}

# wait_gone DESCRIPTION REGEX [SECONDS]
wait_gone() {
	local what=$1 re=$2 secs=${3:-5} i
	_count=$((_count + 1))
	for i in $(seq $((secs * 20))); do
		if ! screen | grep -Eq -- "$re"; then
			return 0
		fi
		sleep 0.05
	done
	fail "$what: screen still shows /$re/:
$(screen)"
	return 1
}

# wait_sql DESCRIPTION DB SQL WANT [SECONDS]: poll the replica
wait_sql() {
	local what=$1 db=$2 q=$3 want=$4 secs=${5:-5} i got=
	_count=$((_count + 1))
	for i in $(seq $((secs * 20))); do
		got=$(sql "$db" "$q" 2>/dev/null)
		[ "$got" = "$want" ] && return 0
		sleep 0.05
	done
	fail "$what: [$q] gave [$got], wanted [$want]"
	return 1
}

# demo_desk: create the demo desk (stdout not a terminal) and print its path
demo_desk() {
	"$TDESK" demo </dev/null | tail -n 1
}

# the line of the screen holding the cursor row of the list
selected_id() {
	screen | sed -n '3,$p' | head -n 1 | awk '{print $1}'
}
