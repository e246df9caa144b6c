#!/usr/bin/env bash
# Shell completions are generated from the command table: bash completes
# commands, verbs, options, option values, desk names and saved views;
# the zsh and fish scripts parse where those shells are installed.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"
mkdir -p "$XDG_CONFIG_HOME/tdesk"
cat > "$XDG_CONFIG_HOME/tdesk/config.yaml" <<'Y'
views:
  - name: Chinese
    query: "lang:zh status<solved"
Y
mkdir bin && ln -s "$TDESK" bin/tdesk
export PATH="$WORK/bin:$PATH"
tdesk completion bash > tdesk.bash || fail "completion bash"
check "the bash script parses" bash -n tdesk.bash

# complete WORDS...: what bash offers for the last word
complete_words() {
	bash -c '. ./tdesk.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _tdesk; printf "%s\n" "${COMPREPLY[@]}"' complete "$@" | sort | paste -sd' '
}
expect_eq "commands" "$(complete_words tdesk li)" "list"
expect_eq "all commands starting with s" "$(complete_words tdesk s)" "set show stats sync"
expect_eq "options of reply" "$(complete_words tdesk reply --dr)" "--dry-run"
expect_eq "options after operands" "$(complete_words tdesk reply 10002 --m)" "--message"
expect_eq "verbs of outbox" "$(complete_words tdesk outbox d)" "drop"
expect_eq "values of --order" "$(complete_words tdesk list --order u)" "updated urgent"
expect_eq "no option offered as a value" "$(complete_words tdesk reply -m '')" ""
expect_eq "desk names" "$(complete_words tdesk -d de)" "demo"
expect_eq "desk names after --desk" "$(complete_words tdesk --desk '')" "demo"
expect_eq "a saved view's query" "$(complete_words tdesk list lang)" "lang:zh status<solved"
expect_eq "help completes commands" "$(complete_words tdesk help ou)" "outbox"
expect_eq "completion shells" "$(complete_words tdesk completion z)" "zsh"

# every command and option of the table is in each script
for sh in bash zsh fish; do
	expect_code 0 "completion $sh" tdesk completion "$sh"
	for c in list show reply note set outbox sync init demo import macro faq; do
		_count=$((_count + 1))
		last_out | grep -q -- "$c" || fail "$sh script lacks $c"
	done
	expect_match "$sh knows --dry-run" "$(last_out)" 'dry-run'
done
if command -v zsh >/dev/null; then
	tdesk completion zsh > _tdesk
	check "the zsh script parses" zsh -n _tdesk
fi
if command -v fish >/dev/null; then
	tdesk completion fish > tdesk.fish
	check "the fish script parses" fish -n tdesk.fish
	# and completes for real: commands, then a command's options
	got=$(PATH=$(dirname "$TDESK"):$PATH fish -c "source tdesk.fish;
	    complete -C 'tdesk sy'; complete -C 'tdesk sync --'" 2>&1)
	expect_match "fish completes 'sy' to sync" "$got" '^sync'
	expect_match "fish completes sync's options" "$got" '^--wait'
fi
expect_code 2 "an unknown shell" tdesk completion tcsh
done_testing
