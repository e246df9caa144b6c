#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Attachments in the full-screen UI: numbered under their comment with
# name, type and size (a hostile name drawn as text); nothing downloaded
# or opened until v; v then downloads through `tdesk attachment get`
# (cache, 0600, safe name) and runs $TDESK_OPENER with the path as its
# only argument; a file over the cap is refused on screen; a download
# that hangs is stopped after TDESK_ATTACHMENT_TIMEOUT while the UI keeps
# answering keys, and leaves no partial file.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"
. "$TESTS_DIR/t8lib.sh"

sync_setup --tickets 20 --seed 7
t=$(my_open_ids 1)
check "an open ticket of mine" test -n "$t"
[ -n "$t" ] || done_testing

atts='[{"file_name":"receipt.pdf","size":5000,"content_type":"application/pdf"},
 {"file_name":"../../x\u001b[31mred\u0007 $(touch pwned).txt","size":100,"content_type":"text/plain"},
 {"file_name":"big.bin","size":31457280},
 {"file_name":"slow.png","size":10,"content_type":"image/png","delay_ms":8000}]'
resp=$(zd_admin customer_reply "{\"ticket_id\":$t,\"attachments\":$atts}")
ids=($(echo "$resp" | pj '" ".join(str(a["id"]) for a in d["attachments"])'))
check "the server took 4 attachments" test "${#ids[@]}" = 4
[ "${#ids[@]}" = 4 ] || done_testing
good=${ids[0]} bad=${ids[1]} big=${ids[2]} slow=${ids[3]}
expect_code 0 "sync" tdesk -d work sync

# the opener records its arguments, one a line, and how many
cat > opener.sh <<'EOF'
#!/bin/sh
{ echo "argc=$#"; for a in "$@"; do printf '%s\n' "$a"; done; } >> "$OPENED"
EOF
chmod +x opener.sh
export OPENED=$WORK/opened TDESK_OPENER=$WORK/opener.sh
export TDESK_ATTACHMENT_TIMEOUT=2
# the UI's own bound must stop the slow download, not curl's
unset TDESK_SYNC_LOW_SPEED_TIME
cache=$XDG_CACHE_HOME/tdesk/attachments/$t
export NO_COLOR=1

tui_start 120 40 -d work ui "#$t"
wait_for "first screen" "^ +$t "
keys Enter
wait_for "the ticket opens" "^ #$t "
keys G
wait_for "first attachment, numbered" "\\(1\\) \\[attachment $good\\] receipt\\.pdf \\(application/pdf, 5 KB\\)"
wait_for "hostile name shown as text" "\\(2\\) \\[attachment $bad\\] \\.\\./\\.\\./x\\^\\[\\[31mred\\^G \\\$\\(touch pwned\\)\\.txt \\(text/plain"
wait_for "the big one" "\\(3\\) \\[attachment $big\\] big\\.bin \\(application/octet-stream, 30\\.0 MB\\)"
wait_for "the slow one" "\\(4\\) \\[attachment $slow\\] slow\\.png"
check "nothing downloaded before a key" test ! -e "$XDG_CACHE_HOME/tdesk/attachments"
check "nothing opened before a key" test ! -e "$OPENED"

# v, 1: downloaded into the cache, then opened with the path alone
keys v
wait_for "v asks which" "open which attachment \\(1-4\\)\\?"
keys 1
wait_for "opened" "opened $cache/$good-receipt\\.pdf"
expect_eq "the opener got one argument, the cached file" "$(cat "$OPENED")" \
	"argc=1
$cache/$good-receipt.pdf"
expect_eq "file mode 0600" "$(stat -c %a "$cache/$good-receipt.pdf")" 600
expect_eq "the bytes the server sent" "$(stat -c %s "$cache/$good-receipt.pdf")" 5000

# the hostile name: one safe file in the ticket's directory, no shell ran
: > "$OPENED"
keys v
wait_for "v asks again" "open which attachment"
keys 2
wait_for "opened the second" "opened $cache/$bad-"
got=$(sed -n 2p "$OPENED")
expect_eq "one argument" "$(head -n 1 "$OPENED")" "argc=1"
expect_eq "in the ticket's directory" "$(dirname "$got")" "$cache"
expect_match "a safe name" "$(basename "$got")" "^$bad-[A-Za-z0-9._+-]+\\.txt\$"
check "no command in the name ran" test ! -e "$WORK/pwned" -a ! -e "$cache/pwned"

# over the size cap: refused, said on screen, never opened
: > "$OPENED"
keys v
wait_for "v asks again" "open which attachment"
keys 3
wait_for "too large, said so" "cannot download big\\.bin: refused: .*larger than the limit"
check "not opened" test ! -s "$OPENED"
check "no file for the big one" sh -c "! ls -a '$cache' | grep -E '^$big-'"

# a download that hangs: stopped after 2 s; keys still work meanwhile
keys v
wait_for "v asks again" "open which attachment"
keys 4
wait_for "downloading in the background" "downloading slow\\.png"
keys '?'
wait_for "the UI answers a key during the download" "download and open an attachment"
keys q
wait_for "back to the ticket" "^ #$t "
wait_for "stopped, said so" "slow\\.png: no answer after 2 s, download stopped" 8
check "not opened" test ! -s "$OPENED"
check "no partial file left" sh -c "! ls -a '$cache' | grep -E '^$slow-|\\.part'"

keys q
wait_for "the list" "^ +$t "
keys q
wait_for "quits" '^\[exit 0\]'
done_testing
