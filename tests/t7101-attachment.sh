#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk attachment list|get: a ticket's attachments from the replica, one
# downloaded on demand from the desk's own host into the XDG cache (0600,
# the customer's file name made safe), refused when too large (no partial
# file left) or when its address is on another host.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 40 --seed 11
t=$(my_open_ids 1)
check "an open ticket of mine" test -n "$t"
[ -n "$t" ] || done_testing

atts='[{"file_name":"receipt.pdf","size":5000,"content_type":"application/pdf"},
 {"file_name":"../../.bashrc","size":100},
 {"file_name":"a\u001b[31mred\u0007\u202e.txt","size":50},
 {"file_name":"big.bin","size":31457280},
 {"file_name":"liar.bin","size":1000,"serve_size":3145728},
 {"file_name":"evil.png","size":10,"url":"http://localhost:'"$ZD_PORT"'/attachments/token/t1/"},
 {"file_name":"far.png","size":10,"url":"https://files.example.net/attachments/token/t1/"},
 {"file_name":"stored.txt","size":300,"redirect":true}]'
resp=$(zd_admin customer_reply "{\"ticket_id\":$t,\"attachments\":$atts}")
ids=($(echo "$resp" | pj '" ".join(str(a["id"]) for a in d["attachments"])'))
check "the server took 8 attachments" test "${#ids[@]}" = 8
[ "${#ids[@]}" = 8 ] || done_testing
good=${ids[0]} dots=${ids[1]} ctl=${ids[2]} big=${ids[3]} liar=${ids[4]}
foreign=${ids[5]} far=${ids[6]} stored=${ids[7]}

expect_code 0 "sync" tdesk sync

# list: one line per attachment, names sanitised for the terminal
expect_code 0 "list" tdesk attachment list "$t"
out=$(last_out)
expect_match "list shows the pdf" "$out" "^$good +[0-9]+ +5000 +application/pdf +receipt\.pdf\$"
expect_match "list shows the hostile name as text" "$out" "^$dots .* \.\./\.\./\.bashrc\$"
check "no control character reaches the terminal" \
	sh -c "! printf '%s' \"\$1\" | LC_ALL=C grep -q \"\$(printf '[\\001-\\010\\013-\\037\\177]')\"" _ "$out"
expect_eq "list: 8 lines" "$(printf '%s\n' "$out" | grep -c .)" 8
expect_code 0 "list --json" tdesk attachment list --json "$t"
expect_eq "json: sizes" "$(last_out | pj '",".join(str(a["size"]) for a in d)')" \
	"5000,100,50,31457280,1000,10,10,300"
expect_eq "json: ticket" "$(last_out | pj 'd[0]["ticket_id"]')" "$t"

expect_code 3 "list of an unknown ticket" tdesk attachment list 999999999
expect_match "says which ticket" "$(last_err)" "no ticket 999999999"
expect_code 3 "get of another ticket's attachment" tdesk attachment get 999999999 "$good"
other=$(my_open_ids 2 | awk '{print $2}')
expect_code 3 "get an attachment through the wrong ticket" tdesk attachment get "$other" "$good"
expect_match "names the attachment" "$(last_err)" "has no attachment $good"
expect_code 2 "get needs two ids" tdesk attachment get "$t"

cache=$XDG_CACHE_HOME/tdesk/attachments/$t
# the bytes the server serves for attachment $1, $2 bytes long
want() { python3 -c 'import sys; u=("tdesk-attachment-%s\n" % sys.argv[1]).encode()
sys.stdout.buffer.write((u * (int(sys.argv[2]) // len(u) + 1))[:int(sys.argv[2])])' "$1" "$2"; }

# get: into the cache, 0600 in 0700 directories, path printed
check "nothing downloaded before get" test ! -e "$XDG_CACHE_HOME/tdesk/attachments"
expect_code 0 "get" tdesk attachment get "$t" "$good"
p=$(last_out)
expect_eq "path under the cache" "$p" "$cache/$good-receipt.pdf"
want "$good" 5000 > want.bin
check "content as served" cmp -s "$p" want.bin
expect_eq "file mode 0600" "$(stat -c %a "$p")" 600
expect_eq "directory mode 0700" "$(stat -c %a "$cache")" 700
expect_eq "cache root mode 0700" "$(stat -c %a "$XDG_CACHE_HOME/tdesk")" 700

# -o FILE
expect_code 0 "get -o" tdesk attachment get -o "$WORK/copy.pdf" "$t" "$good"
expect_eq "-o prints the path" "$(last_out)" "$WORK/copy.pdf"
check "-o content" cmp -s "$WORK/copy.pdf" want.bin
expect_eq "-o mode 0600" "$(stat -c %a "$WORK/copy.pdf")" 600

# hostile names stay one plain file in the ticket's directory
expect_code 0 "get ../../.bashrc" tdesk attachment get "$t" "$dots"
expect_eq "dots and slashes gone" "$(last_out)" "$cache/$dots-bashrc"
check "no .bashrc written anywhere" test ! -e "$HOME/.bashrc" -a \
	! -e "$XDG_CACHE_HOME/tdesk/.bashrc" -a ! -e "$XDG_CACHE_HOME/.bashrc"
want "$dots" 100 > want2.bin
check "hostile name: content" cmp -s "$(last_out)" want2.bin
expect_code 0 "get a name with control characters" tdesk attachment get "$t" "$ctl"
expect_match "control characters gone" "$(basename "$(last_out)")" "^$ctl-[A-Za-z0-9._+-]+\.txt\$"
expect_eq "still in the ticket's directory" "$(dirname "$(last_out)")" "$cache"

# too large: refused from the metadata, and when the server sends more
expect_code 2 "a 30 MB attachment is refused" tdesk attachment get "$t" "$big"
expect_match "says why" "$(last_err)" "larger than the limit of 26214400 bytes.*--max-size"
expect_code 2 "more bytes than --max-size arrive" tdesk attachment get --max-size 1M "$t" "$liar"
expect_match "says why (in transit)" "$(last_err)" "larger than the limit of 1048576 bytes"
check "no file, no partial file" sh -c "! ls -a '$cache' | grep -E '^($big|$liar)-|\.part'"
expect_code 0 "--max-size above the size" tdesk attachment get --max-size 4M "$t" "$liar"
expect_eq "the bytes the server sent" "$(stat -c %s "$(last_out)")" 3145728
expect_code 2 "a bad --max-size" tdesk attachment get --max-size lots "$t" "$good"

# an address on another host is never fetched (no credentials leave)
nfetch() { zd_state | pj 'len(d["attachment_fetches"])'; }
before=$(nfetch)
# (localhost is this very server under another name: it would answer)
expect_code 2 "another host name is refused" tdesk attachment get "$t" "$foreign"
expect_match "says it is not the desk's host" "$(last_err)" "not on the desk's host"
expect_code 2 "a remote host is refused" tdesk attachment get "$t" "$far"
expect_match "names the host" "$(last_err)" "files\.example\.net"
check "no file for refused addresses" sh -c "! ls -a '$cache' | grep -E '^($foreign|$far)-'"
expect_eq "the refused ones were never asked for" "$(nfetch)" "$before"
fetches() { zd_state | pj '" ".join("%s:%s:%d" % (f["id"], f["path"].split("/")[2],
    f["authorization"]) for f in d["attachment_fetches"] if f["id"] in ('"$1"'))'; }

# a redirect to a storage host is followed once, without the credentials
expect_code 0 "get through a redirect" tdesk attachment get "$t" "$stored"
want "$stored" 300 > want3.bin
check "redirected content" cmp -s "$(last_out)" want3.bin
expect_eq "credentials to the desk only, not to the storage host" \
	"$(fetches "$stored,")" "$stored:token:1 $stored:storage:0"

# the server wants the desk's credentials
ZT=wrong-token expect_code 7 "refused credentials" tdesk attachment get -o "$WORK/x" "$t" "$good"
check "no file after refused credentials" test ! -e "$WORK/x"

# never opened unless asked; --open runs $TDESK_OPENER on the file
cat > opener.sh <<'EOF'
#!/bin/sh
printf '%s\n' "$1" > "$OPENED"
EOF
chmod +x opener.sh
OPENED=$WORK/opened TDESK_OPENER=$WORK/opener.sh expect_code 0 "get without --open" \
	tdesk attachment get "$t" "$good"
check "not opened" test ! -e "$WORK/opened"
OPENED=$WORK/opened TDESK_OPENER=$WORK/opener.sh expect_code 0 "get --open" \
	tdesk attachment get --open "$t" "$good"
expect_eq "opened the file" "$(cat "$WORK/opened" 2>/dev/null)" "$cache/$good-receipt.pdf"

done_testing
