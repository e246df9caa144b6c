#!/usr/bin/env bash
# The layering of ARCHITECTURE.md: only store/ includes sqlite3.h, only
# sync/ curl and the JSON library (json-c; cmd/ may too), only ui/ curses;
# ui/ and sync/ never include each other; store/ includes no other layer
# and knows no vendor's wire format; sync/ backends run no SQL; the
# internal headers stay home.
. "$(dirname "$0")/lib.sh"
cd "$SRC_DIR" || exit 1

bad() { # pattern, allowed dir
	grep -rlE --include='*.[ch]' "#include *[<\"]($1)[>\"]" cmd ui store sync | grep -v "^$2/" || true
}
expect_eq "sqlite3.h only in store/" "$(bad 'sqlite3\.h' store)" ""
expect_eq "curl only in sync/" "$(bad 'curl/curl\.h' sync)" ""
expect_eq "the JSON library only in sync/ (and cmd/)" "$(grep -rlE --include='*.[ch]' '#include *[<"]json-c/' ui store || true)" ""
expect_eq "store/ reads no JSON with a library" \
	"$(grep -nE 'json_tokener|json_object_|cJSON|jansson' store/*.[ch] || true)" ""
# sync/ backends map answers to the store API and never run SQL
expect_eq "sync/ runs no SQL" "$(grep -nE '\b(SELECT|INSERT|UPDATE|DELETE) +(\*|[a-z_]+ +(FROM|INTO|SET)|FROM|INTO)\b|sqlite3_' sync/*.[ch] || true)" ""
expect_eq "curses only in ui/" "$(bad 'n?cursesw?\.h|ncursesw/[a-z]+\.h|curses\.h' ui)" ""
expect_eq "ui/ does not include sync/" "$(grep -rlE --include='*.[ch]' '#include *"(\.\./)?sync/' ui || true)" ""
expect_eq "sync/ does not include ui/" "$(grep -rlE --include='*.[ch]' '#include *"(\.\./)?ui/' sync || true)" ""
expect_eq "store/ includes no upper layer" "$(grep -rlE --include='*.[ch]' '#include *"(\.\./)?(ui|sync|cmd)/' store || true)" ""
expect_eq "store_int.h stays in store/" "$(grep -rl --include='*.[ch]' 'store_int\.h' cmd ui sync || true)" ""
expect_eq "ui_int.h stays in ui/" "$(grep -rl --include='*.[ch]' 'ui_int\.h' cmd store sync || true)" ""
expect_eq "sync_int.h stays in sync/" "$(grep -rl --include='*.[ch]' 'sync_int\.h' cmd store ui || true)" ""
expect_eq "lower layers never exit or print to stdout" \
	"$(grep -nE '\b(exit|printf|puts)\(' store/*.c sync/*.c | grep -v '^\S*:\s*/[*/]' || true)" ""
expect_eq "every source file starts with an SPDX line" \
	"$(for f in cmd/*.[ch] ui/*.[ch] store/*.[ch] sync/*.[ch]; do head -1 "$f" | grep -q SPDX-License-Identifier || echo "$f"; done)" ""
done_testing
