#!/usr/bin/env bash
# Terminal-safe output everywhere: hostile bytes stored directly in the
# replica (not through ingest) reach the terminal from show, list, outbox,
# audit and error messages only as visible markers: no ESC, no C0/C1, no
# DEL, no bidi or invisible characters, no invalid UTF-8, text after a NUL
# kept; --json stays valid UTF-8 JSON. Run on a real terminal in tmux:
# the window title, paste buffers and screen modes are unchanged. The UI
# shows U+200D and the other invisible characters as markers.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/t8lib.sh"

db=$(demo_desk)
E="char(27)"
# every kind of sequence: OSC title/clipboard/hyperlink, CSI, DCS, APC,
# PM, SOS, ESC k (screen title), 8-bit CSI, DEL, BEL, CR, bidi, zero-width
# and joiners, word joiner, soft hyphen, BOM, a tag, LS/PS, invalid UTF-8,
# an overlong ESC, a NUL
evil="$E || ']0;PWNED' || char(7) || 'A' || $E || ']52;c;cm0gLXJmIH4=' || char(7) ||
  'B' || $E || '[?1049h' || $E || '[2J' || $E || 'P1;2|xx' || $E || '\\' ||
  $E || '_apc' || $E || '\\' || $E || '^pm' || $E || '\\' || $E || 'Xsos' || $E || '\\' ||
  $E || 'kSCREENTITLE' || $E || '\\' || char(155) || '31m' || char(127) || char(8) ||
  char(13) || 'C' || char(8238) || 'D' || char(8205) || 'E' || char(8203) || 'F' ||
  char(8288) || 'G' || char(173) || 'H' || char(65279) || 'I' || char(917505) || 'J' ||
  char(8232) || 'K' || $E || ']8;;http://evil.example/' || char(7) || 'link' ||
  $E || '[6n' || $E || '[c' || CAST(X'C0' AS TEXT) || CAST(X'C19B' AS TEXT) || 'L'"
sql "$db" "UPDATE tickets SET subject = $evil WHERE id = (SELECT min(id) FROM tickets WHERE status = 'open')"
id=$(sql "$db" "SELECT min(id) FROM tickets WHERE status = 'open'")
sql "$db" "INSERT INTO comments(id, ticket_id, author_id, body, public, created_at)
  VALUES(990001, $id, 0, 'before ' || $evil || ' nul:' || char(0) || 'after the NUL', 1, 1)"
sql "$db" "UPDATE users SET name = $evil WHERE id = (SELECT requester_id FROM tickets WHERE id = $id)"
tdesk reply -m "Thanks, checking." "$id" >/dev/null 2>&1 || fail "queue a reply"
sql "$db" "UPDATE outbox SET summary = $evil, state = 'failed', error = $evil"

# the raw byte streams, off a terminal
clean() { # what file
	_count=$((_count + 1))
	python3 - "$2" <<'PY' || fail "$1: unsafe bytes in the output"
import sys
b = open(sys.argv[1], "rb").read()
bad = [c for c in b if (c < 0x20 and c not in (9, 10)) or c == 0x7f]
s = b.decode("utf-8")                      # raises on invalid UTF-8
bad += [hex(ord(c)) for c in s if 0x80 <= ord(c) <= 0x9f or
        ord(c) in (0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029,
                   0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfeff, 0xad) or
        0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069 or
        0xe0000 <= ord(c) <= 0xe007f]
if bad:
    print(sys.argv[1], bad[:10], file=sys.stderr)
    sys.exit(1)
PY
}
tdesk show "$id" > show.out 2> show.err; clean "show" show.out
expect_match "show: markers, not effects" "$(cat show.out)" '\^\[\]0;PWNED\^G'
expect_match "show: invisible characters named" "$(cat show.out)" 'D<U\+200D>E<U\+200B>F<U\+2060>G<U\+00AD>H<U\+FEFF>I<U\+E0001>J<U\+2028>K'
expect_match "show: the text after a NUL is kept" "$(cat show.out)" 'nul:␀after the NUL'
tdesk list > list.out 2>&1; clean "list" list.out
tdesk list --json > list.json; clean "list --json" list.json
check "list --json is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' list.json
tdesk show --json "$id" > show.json; clean "show --json" show.json
check "show --json is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' show.json
tdesk outbox > outbox.out 2>&1; clean "outbox" outbox.out
tdesk outbox --all --json > outbox.json 2>&1; clean "outbox --json" outbox.json
tdesk audit > audit.out 2>&1; clean "audit" audit.out
# an error message quoting customer text
tdesk list "tag:$(printf 'x\033]0;T\007')" > err.out 2>&1; clean "error message" err.out

# on a terminal: nothing changes the title, the paste buffers or the screen mode
tmx new-session -d -s t8 -x 120 -y 40 "sleep 600"
tmx set-option -g set-clipboard on
tmx set-option -g allow-rename on
tmx set-option -g remain-on-exit on >/dev/null 2>&1 || :
tmx set-window-option -g automatic-rename off >/dev/null 2>&1 || :
tmx rename-window -t t8 tdesk-test
title0=$(tmx display-message -p -t t8 '#{pane_title}')
wname0=$(tmx display-message -p -t t8 '#{window_name}')
for cmd in "show $id" "list" "outbox" "audit"; do
	tmx respawn-pane -k -t t8 "cd '$WORK' && '$TDESK' --no-pager $cmd > /dev/tty; echo '[done]'; sleep 600"
	wait_for "$cmd runs" '^\[done\]'
	expect_eq "$cmd: window title unchanged" "$(tmx display-message -p -t t8 '#{pane_title}')" "$title0"
	expect_eq "$cmd: window name unchanged" "$(tmx display-message -p -t t8 '#{window_name}')" "$wname0"
	expect_eq "$cmd: no paste buffer" "$(tmx list-buffers 2>/dev/null | wc -l)" "0"
	expect_eq "$cmd: not on the alternate screen" "$(tmx display-message -p -t t8 '#{alternate_on}')" "0"
done

# the UI: the same ticket, the joiner and friends as markers
tmx set-option -g exit-empty off >/dev/null 2>&1 || :
tmx kill-session -t t8
export NO_COLOR=1
tui_start 120 40 ui "id:$id"
wait_for "the UI lists the ticket" "^ +$id "
keys Enter
wait_for "the UI opens the ticket" "#$id"
wait_for "U+200D shown as a marker" '<U\+200D>'
expect_eq "UI: window title unchanged" "$(tmx display-message -p -t t8 '#{pane_title}')" "$title0"
expect_eq "UI: no paste buffer" "$(tmx list-buffers 2>/dev/null | wc -l)" "0"
done_testing
