#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Credentials: refused or non-agent identities exit 7 (never an empty
# desk), token files must be private, plain http only to loopback, and the
# token never shows in traces, config, the replica or error messages.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

sync_setup --tickets 30 --seed 3
SECRET=$ZD_TOKEN

# --- identities the server may answer with
zd_admin auth '{"mode":"null_id"}' >/dev/null
expect_code 7 "anonymous user (id null) is an auth error" tdesk sync
expect_match "says the credentials were not accepted" "$(last_err)" \
	"anonymous"
expect_eq "nothing pulled" "$(sql "$DB" "SELECT count(*) FROM tickets")" 0
zd_admin auth '{"mode":"end_user"}' >/dev/null
expect_code 7 "end-user role is an auth error" tdesk sync
expect_match "names the role" "$(last_err)" "role 'end-user', not an agent"
zd_admin auth '{"mode":"ok"}' >/dev/null
ZT=wrong expect_code 7 "wrong token: 401" tdesk sync
expect_match "401 explained" "$(last_err)" "refused the credentials"
ZT= expect_code 7 "token variable empty" tdesk sync

# --- token command and bearer token
cat >"$WORK/tok.sh" <<EOF
#!/bin/sh
echo $SECRET
EOF
chmod 700 "$WORK/tok.sh"
check "init with a token command" tdesk init --desk cmd --url "$ZD_URL" \
	--email "$ZD_EMAIL" --token-cmd "$WORK/tok.sh"
expect_code 0 "sync with the token command" tdesk -d cmd sync
check "init with an oauth command" tdesk init --desk oauth --url "$ZD_URL" \
	--email "$ZD_EMAIL" --oauth-token-cmd "$WORK/tok.sh"
expect_code 0 "sync with a bearer token" tdesk -d oauth sync
check "init with a failing command" tdesk init --desk bad --url "$ZD_URL" \
	--email "$ZD_EMAIL" --token-cmd "exit 3"
expect_code 7 "failing token command" tdesk -d bad sync
expect_match "exit status reported" "$(last_err)" "exit status 3"

# --- token files: private or refused, at init and at every use
printf '%s\n' "$SECRET" >"$WORK/token"
chmod 644 "$WORK/token"
expect_code 2 "init refuses a readable token file" tdesk init --desk f \
	--url "$ZD_URL" --email "$ZD_EMAIL" --token-file "$WORK/token"
expect_match "says why" "$(last_err)" "readable by others"
chmod 600 "$WORK/token"
check "init takes a private one" tdesk init --desk f --url "$ZD_URL" \
	--email "$ZD_EMAIL" --token-file "$WORK/token"
expect_code 0 "sync with the token file" tdesk -d f sync
chmod 640 "$WORK/token"
expect_code 2 "sync refuses it once readable" tdesk -d f sync
chmod 600 "$WORK/token"

# --- URLs
expect_code 2 "plain http to another host refused" tdesk init --desk x \
	--url http://example.com --email "$ZD_EMAIL" --token-env ZT
expect_match "https required" "$(last_err)" "not https"
check "https accepted" tdesk init --desk y --url https://example.zendesk.com \
	--email "$ZD_EMAIL" --token-env ZT
check "http to localhost accepted" tdesk init --desk z \
	--url http://localhost:1 --email "$ZD_EMAIL" --token-env ZT
expect_code 5 "unreachable server is a network error" tdesk -d z sync
expect_code 2 "a token given as the variable's name is refused" tdesk init \
	--desk w --url "$ZD_URL" --email "$ZD_EMAIL" --token-env "a b"

# --- the token never leaks
TDESK_TRACE=1 expect_code 0 "traced sync" tdesk sync
trace=$(last_err)
expect_match "the trace shows headers" "$trace" "> GET /api/v2/users/me"
expect_match "authorization redacted" "$trace" "Authorization: Basic <redacted>"
b64=$(printf '%s/token:%s' "$ZD_EMAIL" "$SECRET" | base64 -w0)
check "token not in the trace" sh -c "! grep -Fq -e '$SECRET' -e '$b64' '$WORK/.err'"
check "token not in the config" sh -c "! grep -rFq '$SECRET' '$XDG_CONFIG_HOME'"
check "token not in any replica" sh -c "! grep -rFaq -e '$SECRET' -e '$b64' '$XDG_DATA_HOME'"
ZT=wrong expect_code 7 "bad token" tdesk sync
check "bad token not echoed" sh -c "! grep -Fq wrong '$WORK/.err'"

done_testing
