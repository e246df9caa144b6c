#!/usr/bin/env bash
# The manual stays in step with the code: man pages lint clean, and every
# command's --help usage is its SYNOPSIS line in tdesk(1).
. "$(dirname "$0")/lib.sh"

for page in "$SRC_DIR"/man/*.[1-9]; do
	expect_code 0 "mandoc lint $(basename "$page")" mandoc -T lint -W warning "$page"
done

synopsis=$(MANWIDTH=200 mandoc -T utf8 -O width=200 "$SRC_DIR/man/tdesk.1" | col -b |
	sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \t' ' ' |
	tr '\n' ' ' | sed 's/ tdesk /\n/g' | sed 's/^ *tdesk //; s/ *$//')
nows() { tr -d ' \t\n'; }
cmds=$(tdesk --help | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1}')
check "tdesk --help lists commands" test -n "$cmds"
for c in $cmds; do
	_count=$((_count + 1))
	usage=$(tdesk "$c" --help | head -1 | sed 's/^usage: tdesk //')
	found=0
	while IFS= read -r line; do
		[ "$(printf '%s' "$line" | nows)" = "$(printf '%s' "$usage" | nows)" ] && found=1
	done <<<"$synopsis"
	[ $found = 1 ] || fail "'tdesk $c --help' ($usage) is not a SYNOPSIS line of tdesk(1)"
	_count=$((_count + 1))
	grep -q "^\.It Cm $c\b" "$SRC_DIR/man/tdesk.1" || fail "tdesk(1) does not describe '$c' under COMMANDS"
done
# and nothing documented that does not exist
while IFS= read -r line; do
	c=${line%% *}
	case $c in ''|\[*) continue ;; esac
	_count=$((_count + 1))
	printf '%s\n' $cmds | grep -qx "$c" || fail "tdesk(1) documents '$c', which tdesk does not have"
done <<<"$synopsis"

# every exit status in the code is documented
for n in $(grep -o 'EXIT_[A-Z]* = [0-9]' "$SRC_DIR/cmd/cmd.h" | awk '{print $3}'); do
	_count=$((_count + 1))
	mandoc -T utf8 "$SRC_DIR/man/tdesk.1" | col -b | sed -n '/^EXIT STATUS/,/^EXAMPLES/p' | grep -qE "^ *$n[[:space:]]" ||
		fail "exit status $n is not documented"
done
# KEY BINDINGS lists exactly what the key tables hold
tdesk keys > keys.tsv
for v in picker browse prompt; do
	check "'tdesk keys' lists the $v table" grep -q "^$v	" keys.tsv
done
MANWIDTH=200 mandoc -T utf8 -O width=200 "$SRC_DIR/man/tdesk.1" | col -b |
	sed -n '/^KEY BINDINGS/,/^SYNC/p' > keys.man
check "KEY BINDINGS matches 'tdesk keys'" python3 - keys.tsv keys.man <<'PY'
import re, sys
want = set()
for line in open(sys.argv[1]):
    view, key, action = line.rstrip("\n").split("\t")[:3]
    want.add((view, key, action))
have, view = set(), None
for line in open(sys.argv[2]):
    m = re.match(r"^   (\S+)\s*$", line)
    if m:
        view = m.group(1)
        continue
    m = re.match(r"^     (\S.*?)(?:\t+|\s{2,})(.*)\((\S+)\)\s*$", line)
    if view and m:
        for key in m.group(1).split(", "):
            have.add((view, key.strip(), m.group(3)))
missing = sorted(want - have)
extra = sorted(have - want)
if missing or extra:
    print("missing from tdesk(1):", missing[:10], "\nnot in the key tables:", extra[:10])
    sys.exit(1)
PY
expect_code 0 "--version" tdesk --version
expect_match "version" "$(last_out)" '^tdesk [0-9]+\.[0-9]+'
done_testing
