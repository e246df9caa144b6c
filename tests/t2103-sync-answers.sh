#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tdesk sync pulls the active macros and the en-us/zh-cn Help Center
# articles after the tickets, replacing the remote copy in one go: they
# show in 'macro list' and 'faq search' as remote, a second sync does not
# duplicate them, ones gone from the server go here too, and a refusal
# (403, 404) keeps the old copy without failing the ticket sync.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"
# refresh macros and articles on every sync here (by default: hourly)
export TDESK_SYNC_ANSWERS_EVERY=0

sync_setup --tickets 30 --seed 5

n_macros=$(zd_curl "$ZD_URL/api/v2/macros/active.json" | pj 'len(d["macros"])')
n_en=$(zd_curl "$ZD_URL/api/v2/help_center/en-us/articles.json?per_page=100" |
    pj 'd["count"]')
n_zh=$(zd_curl "$ZD_URL/api/v2/help_center/zh-cn/articles.json?per_page=100" |
    pj 'd["count"]')
n_art=$((n_en + n_zh))
[ "$n_macros" -gt 0 ] && [ "$n_en" -gt 0 ] && [ "$n_zh" -gt 0 ] ||
	fail "the server has macros and articles in both locales"

remote_macros() { sql "$DB" "SELECT count(*) FROM macros WHERE source = 'remote'"; }
remote_faq() { sql "$DB" "SELECT count(*) FROM faq WHERE source = 'remote'"; }
remote_texts() {
	sql "$DB" "SELECT count(*) FROM faq_text t JOIN faq f ON f.id = t.faq_id \
	    WHERE f.source = 'remote'${1:+ AND t.lang = '$1'}"
}
# answers_requests ENDPOINT: how many requests the server saw for it
answers_requests() {
	zd_state tickets=none | pj "sum(1 for r in d['request_log']
	    if r['endpoint'] == '$1')"
}

m0=$(answers_requests macros) a0=$(answers_requests hc.articles)
expect_code 0 "first sync" tdesk sync --json
expect_match "json reports the answers" "$(last_out)" \
	"\"answers\":\\{\"macros\":$n_macros,\"articles\":$n_art,\"error\":null\\}\\}\$"
expect_eq "remote macros stored" "$(remote_macros)" "$n_macros"
expect_eq "remote articles stored" "$(remote_faq)" "$n_art"
expect_eq "English article texts" "$(remote_texts en)" "$n_en"
expect_eq "Chinese article texts" "$(remote_texts zh)" "$n_zh"
expect_eq "macro actions kept" "$(sql "$DB" "SELECT json_array_length( \
	definition, '\$.actions') FROM macros WHERE remote_id = 360070000004")" 7
expect_eq "one request per list (each fits a page)" \
	"$(($(answers_requests macros) - m0)) $(($(answers_requests \
	    hc.articles) - a0))" "1 2"

# the agent sees them
expect_code 0 "macro list" tdesk macro list
expect_match "remote macro listed" "$(last_out)" '^Escalate to Tier 2 +remote '
expect_match "Chinese remote macro listed" "$(last_out)" '^退款处理中 \(ZH\) +remote '
expect_code 0 "faq search by a title word" tdesk faq search fees
fees=zd-$(zd_curl "$ZD_URL/api/v2/help_center/en-us/articles.json?per_page=100" |
    pj '[a["id"] for a in d["articles"] if a["title"] == "Fees and limits"][0]')
expect_match "English article found" "$(last_out)" "^$fees .* en Fees and limits"
expect_code 0 "faq search in Chinese" tdesk faq search 手续费
expect_match "Chinese article found" "$(last_out)" "^zd-[0-9]+ .* zh 手续费与限额"
expect_code 0 "faq show" tdesk faq show "$fees"
expect_match "article body as text, not HTML" "$(last_out)" '^[^<]*$'

# a macro and an article deleted on the server (its admin API cannot
# delete them, so plant remote copies the server no longer has)
sql "$DB" "INSERT INTO macros(name, source, remote_id) \
	VALUES('Retired remote macro', 'remote', 999)" || fail "plant macro"
sql "$DB" "INSERT INTO faq(id, source, remote_id) VALUES('zd-999', 'remote', 999); \
	INSERT INTO faq_text(faq_id, lang, title, body) \
	VALUES('zd-999', 'en', 'Retired article', 'gone')" || fail "plant article"
expect_code 0 "second sync" tdesk sync --json
expect_match "second sync reports the same" "$(last_out)" \
	"\"answers\":\\{\"macros\":$n_macros,\"articles\":$n_art,\"error\":null\\}"
expect_eq "no duplicate macros" "$(remote_macros)" "$n_macros"
expect_eq "no duplicate articles" "$(remote_faq) $(remote_texts)" "$n_art $n_art"
expect_eq "macro deleted remotely is gone" "$(sql "$DB" \
	"SELECT count(*) FROM macros WHERE name = 'Retired remote macro'")" 0
expect_eq "article deleted remotely is gone" "$(sql "$DB" \
	"SELECT count(*) FROM faq WHERE id = 'zd-999'")" 0
expect_code 0 "macro list after" tdesk macro list
expect_no_match "retired macro not listed" "$(last_out)" 'Retired remote macro'
expect_match "starter macros untouched" "$(last_out)" ' starter '

# smaller pages: every page is read, up to meta.has_more == false
a0=$(answers_requests hc.articles)
TDESK_SYNC_ANSWERS_PAGE=10 expect_code 0 "sync with pages of 10" \
	tdesk sync --json
expect_eq "every page of both locales read" \
	"$(($(answers_requests hc.articles) - a0))" \
	"$(( (n_en + 9) / 10 + (n_zh + 9) / 10 ))"
expect_match "all articles counted" "$(last_out)" "\"articles\":$n_art,"
expect_eq "all articles kept, once" "$(remote_faq) $(remote_texts)" \
	"$n_art $n_art"

# no Help Center for this agent: tickets still sync, articles are kept
zd_admin faults '{"faults":[{"endpoint":"hc.articles","kind":"error","status":403}]}' >/dev/null
t=$(my_open_ids 1)
zd_admin customer_reply "{\"ticket_id\":$t,\"body\":\"answers test 7\"}" >/dev/null
expect_code 0 "sync with Help Center refused" tdesk sync --json
out=$(last_out)
expect_match "articles kept, error said" "$out" \
	"\"answers\":\\{\"macros\":$n_macros,\"articles\":null,\"error\":\"articles: HTTP 403[^\"]*\"\\}"
expect_match "the refusal on stderr" "$(last_err)" 'kept the previous .*articles: HTTP 403'
expect_eq "ticket sync went on" "$(sql "$DB" "SELECT count(*) FROM comments \
	WHERE ticket_id = $t AND body = 'answers test 7'")" 1
expect_eq "previous articles kept" "$(remote_faq) $(remote_texts)" "$n_art $n_art"
expect_code 0 "old articles still searchable" tdesk faq search fees
expect_match "kept article found" "$(last_out)" "^$fees "

# macros gone (404): kept too, while the articles come in again
zd_admin faults '{"faults":[{"endpoint":"macros","kind":"error","status":404}]}' >/dev/null
expect_code 0 "sync with macros missing" tdesk sync --json
expect_match "macros kept, error said" "$(last_out)" \
	"\"answers\":\\{\"macros\":null,\"articles\":$n_art,\"error\":\"macros: HTTP 404[^\"]*\"\\}"
expect_eq "previous macros kept" "$(remote_macros)" "$n_macros"
expect_code 0 "text summary" tdesk sync
expect_no_match "no macro count when kept" "$(last_out)" ' macros'
expect_match "article count in the summary" "$(last_out)" ", $n_art articles\$"

zd_admin faults '{"clear":true}' >/dev/null
expect_code 0 "sync when all is well again" tdesk sync
expect_match "summary counts both" "$(last_out)" \
	", $n_macros macros, $n_art articles\$"
expect_eq "nothing on stderr" "$(last_err)" ""

# --push pulls no answers
before=$(answers_requests macros)
expect_code 0 "push only" tdesk sync --push --json
expect_no_match "no answers in a push" "$(last_out)" '"answers"'
expect_eq "no macro request on push" "$(answers_requests macros)" "$before"

# credentials refused (401) while pulling answers fail the sync as
# anywhere else, after the tickets are in
zd_admin faults '{"faults":[{"endpoint":"macros","kind":"error","status":401}]}' >/dev/null
expect_code 7 "401 on macros is an auth error" tdesk sync --pull --json
expect_match "said so" "$(last_err)" 'refused the credentials'
expect_eq "macros kept after a 401" "$(remote_macros)" "$n_macros"
zd_admin faults '{"clear":true}' >/dev/null

done_testing
