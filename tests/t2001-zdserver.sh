#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The loopback Zendesk simulator behaves like the real API where the sync
# client depends on it: cursor pagination to the end, auth failures, 409 on
# a stale updated_stamp, 422 on closed tickets, text/plain 429s, the search
# cap, the admin-only export, commit-then-reset faults and the admin API.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/zdserver/lib.sh"

pj() { zd_json "$@"; }
hdr() { tr -d '\r' | grep -i "^$1:" | head -1 | cut -d' ' -f2-; }

expect_code 2 "refuses a non-loopback address" \
	"$ZD_PYTHON" "$ZD_SERVER" --host 0.0.0.0 --port 0

zd_start --tickets 250 --seed 5 || { fail "server did not start"; done_testing; }
A="$ZD_EMAIL/token:$ZD_TOKEN"
api() { curl -s --max-time 30 -u "$A" "$@"; }

# --- identity
me=$(api "$ZD_URL/api/v2/users/me")
expect_eq "users/me role" "$(printf %s "$me" | pj 'd["user"]["role"]')" agent
expect_eq "users/me id" "$(printf %s "$me" | pj 'd["user"]["id"]')" \
	361000000001
code=$(curl -s -o /dev/null -w '%{http_code}' \
	-H "Authorization: Bearer $ZD_TOKEN" "$ZD_URL/api/v2/users/me")
expect_eq "bearer token accepted" "$code" 200

# --- 401 on bad credentials (basic and bearer)
out=$(curl -s -i -u "$ZD_EMAIL/token:wrong" "$ZD_URL/api/v2/users/me")
expect_match "basic 401" "$out" '^HTTP/1.1 401'
expect_match "basic 401 body" "$out" '"error":"Couldn'"'"'t authenticate you"'
expect_match "basic 401 WWW-Authenticate" "$out" 'WWW-Authenticate: Basic'
out=$(curl -s -i -H 'Authorization: Bearer nope' "$ZD_URL/api/v2/tickets/1")
expect_match "bearer 401" "$out" '"error":"invalid_token"'

# --- auth modes from the admin API
zd_admin auth '{"mode":"null_id"}' >/dev/null
expect_eq "null_id: users/me answers an anonymous user" \
	"$(api "$ZD_URL/api/v2/users/me" | pj 'd["user"]["id"]')" None
zd_admin auth '{"mode":"end_user"}' >/dev/null
expect_eq "end_user: tickets are 403" \
	"$(api -o /dev/null -w '%{http_code}' "$ZD_URL/api/v2/tickets/1")" 403
zd_admin auth '{"mode":"ok"}' >/dev/null

# --- cursor pagination to the end, sorted by -updated_at
want=$(zd_state tickets=all | pj \
	'sum(1 for t in d["tickets"] if t["assignee_id"]==d["agent_id"] and not t["deleted"])')
url="$ZD_URL/api/v2/users/me/tickets/assigned.json?page%5Bsize%5D=100&sort=-updated_at&include=users,groups,slas"
got=0 pages=0 more=True
while [ "$more" = True ] && [ $pages -lt 20 ]; do
	api "$url" >page.json
	pages=$((pages + 1))
	got=$((got + $(pj 'len(d["tickets"])' <page.json)))
	more=$(pj 'd["meta"]["has_more"]' <page.json)
	url=$(pj 'd["links"]["next"]' <page.json)
done
expect_eq "all assigned tickets paged" "$got" "$want"
expect_eq "has_more false on the last page" "$more" False
expect_match "links.next non-null on the last page" "$url" '^http://'
expect_eq "sideloads and slas present" "$(pj \
	'bool(d["users"]) and bool(d["groups"]) and "slas" in d["tickets"][0]' <page.json)" True
api "$ZD_URL/api/v2/users/me/tickets/assigned?page%5Bsize%5D=100&sort=-updated_at" >p1.json
expect_eq "descending updated_at" "$(pj \
	'all(a["updated_at"]>=b["updated_at"] for a,b in zip(d["tickets"],d["tickets"][1:]))' <p1.json)" True
code=$(api -o /dev/null -w '%{http_code}' "$ZD_URL/api/v2/tickets?page%5Bsize%5D=101")
expect_eq "page[size] over 100 refused" "$code" 400

# --- dump mode writes the same pages the server serves
"$ZD_PYTHON" "$ZD_SERVER" --dump-pages dump --tickets 250 --seed 5 \
	--base-url "$ZD_URL" --dump-include "" 2>/dev/null
check "dump-pages wrote page 1" test -s dump/page-00001.json
check "dump page 1 equals the served page" cmp -s dump/page-00001.json p1.json

# --- writes: 409 on a stale stamp, 200 with the fresh one, 422 on closed
tid=$(pj '[t["id"] for t in d["tickets"] if t["status"] in ("open","new","pending")][0]' <p1.json)
stamp=$(api "$ZD_URL/api/v2/tickets/$tid" | pj 'd["ticket"]["updated_at"]')
put() {
	curl -s --max-time 30 -u "$A" -X PUT -H 'Content-Type: application/json' \
	    --data-binary "$2" -o put.json -w '%{http_code}' \
	    "$ZD_URL/api/v2/tickets/$1"
}
code=$(put "$tid" '{"ticket":{"comment":{"body":"stale"},"safe_update":true,"updated_stamp":"2001-01-01T00:00:00Z","metadata":{"client_msg_id":"m-stale"}}}')
expect_eq "stale updated_stamp gives 409" "$code" 409
expect_match "409 body" "$(cat put.json)" '"error":"UpdateConflict"'
code=$(put "$tid" '{"ticket":{"comment":{"body":"fresh reply","public":true},"status":"pending","safe_update":true,"updated_stamp":"'"$stamp"'","metadata":{"client_msg_id":"m-fresh"}}}')
expect_eq "fresh updated_stamp gives 200" "$code" 200
s1=$(pj 'd["ticket"]["updated_at"]' <put.json)
expect_eq "audit carries metadata.custom" \
	"$(pj 'd["audit"]["metadata"]["custom"]["client_msg_id"]' <put.json)" m-fresh
code=$(put "$tid" '{"ticket":{"comment":{"body":"second, same second","public":false}}}')
s2=$(pj 'd["ticket"]["updated_at"]' <put.json)
expect_eq "second update 200" "$code" 200
check "two updates give distinct stamps" test "$s2" \> "$s1"
closed=$(zd_state tickets=all | pj '[t["id"] for t in d["tickets"] if t["status"]=="closed"][0]')
code=$(put "$closed" '{"ticket":{"comment":{"body":"x"}}}')
expect_eq "closed ticket gives 422" "$code" 422
expect_match "422 body" "$(cat put.json)" 'Status closed prevents ticket update'
expect_eq "unknown ticket gives 404" \
	"$(put 999999 '{"ticket":{"status":"open"}}')" 404

# --- commit-then-reset: applied once, the client sees a reset
zd_admin faults '{"faults":[{"endpoint":"tickets.update","kind":"commit_reset","count":1}]}' >/dev/null
curl -s --max-time 30 -u "$A" -X PUT -H 'Content-Type: application/json' \
	--data-binary '{"ticket":{"comment":{"body":"lost answer"},"metadata":{"client_msg_id":"m-cr"}}}' \
	-o /dev/null "$ZD_URL/api/v2/tickets/$tid"
expect_eq "client sees a connection reset" "$?" 56
st=$(zd_state "ids=$tid")
expect_eq "the write was applied exactly once" "$(printf %s "$st" | pj \
	'sum(1 for c in d["tickets"][0]["comments"] if c["body"]=="lost answer")')" 1
expect_eq "its audit has the client_msg_id" "$(api \
	"$ZD_URL/api/v2/tickets/$tid/audits?sort_order=desc" | pj \
	'd["audits"][0]["metadata"]["custom"].get("client_msg_id")')" m-cr
expect_eq "writes recorded in order" "$(printf %s "$st" | pj \
	'",".join("%s:%s:%s" % (w["client_msg_id"], w["status"], w["applied"]) for w in d["writes"] if w["client_msg_id"])')" \
	"m-stale:409:False,m-fresh:200:True,m-cr:200:True"
code=$(api -o /dev/null -w '%{http_code}' "$ZD_URL/api/v2/tickets/$tid")
expect_eq "the fault fired once only" "$code" 200

# --- other faults: 503 with Retry-After, HTML 500, truncated body
zd_admin faults '{"faults":[{"endpoint":"tickets.show","kind":"503","retry_after":3,"count":1},{"endpoint":"tickets.show","kind":"error","status":500,"count":1},{"endpoint":"tickets.show","kind":"truncate","count":1}]}' >/dev/null
out=$(api -i "$ZD_URL/api/v2/tickets/$tid")
expect_match "503 fault" "$out" '^HTTP/1.1 503'
expect_eq "503 Retry-After" "$(printf %s "$out" | hdr Retry-After)" 3
out=$(api -i "$ZD_URL/api/v2/tickets/$tid")
expect_match "500 fault is HTML" "$out" 'Content-Type: text/html'
api -o /dev/null "$ZD_URL/api/v2/tickets/$tid"
expect_eq "truncated body is a partial transfer" "$?" 18
zd_admin faults '{"clear":true}' >/dev/null

# --- rate limit: text/plain 429 with Retry-After
zd_admin rate_limit '{"per_minute":3}' >/dev/null
for i in 1 2 3; do api -o /dev/null "$ZD_URL/api/v2/groups"; done
out=$(api -i "$ZD_URL/api/v2/groups")
expect_match "429 after the limit" "$out" '^HTTP/1.1 429'
expect_match "429 is text/plain" "$(printf %s "$out" | hdr Content-Type)" '^text/plain'
expect_match "429 Retry-After in seconds" "$(printf %s "$out" | hdr Retry-After)" '^[0-9]+$'
expect_eq "X-Rate-Limit header" "$(printf %s "$out" | hdr X-Rate-Limit)" 3
zd_admin rate_limit '{"per_minute":100000}' >/dev/null
expect_eq "429s counted" "$(zd_state tickets=none | pj 'd["rate_limited"]')" 1

# --- search cap and admin-only export
code=$(api -o out.json -w '%{http_code}' -G "$ZD_URL/api/v2/search" \
	--data-urlencode 'query=type:ticket status<solved assignee:me' \
	-d per_page=100 -d page=11)
expect_eq "search page 11 gives 422" "$code" 422
expect_match "search 422 body" "$(cat out.json)" 'Search Response Limits'
n=$(api -G "$ZD_URL/api/v2/search" --data-urlencode \
	'query=type:ticket status<solved assignee:me' | pj \
	'all(r["status"] in ("new","open","pending","hold") and r["result_type"]=="ticket" for r in d["results"]) and d["count"]>0')
expect_eq "search status<solved assignee:me" "$n" True
code=$(api -o /dev/null -w '%{http_code}' \
	"$ZD_URL/api/v2/incremental/tickets/cursor?start_time=0")
expect_eq "incremental export is 403 for an agent" "$code" 403
code=$(api -o /dev/null -w '%{http_code}' -G "$ZD_URL/api/v2/search/export" \
	--data-urlencode 'query=assignee:me')
expect_eq "export search without filter[type] refused" "$code" 400

# --- update_many: 100 at most, a job that completes on the second poll
ids=$(pj '",".join(str(t["id"]) for t in d["tickets"][1:4])' <p1.json)
job=$(curl -s --max-time 30 -u "$A" -X PUT -H 'Content-Type: application/json' \
	--data-binary '{"ticket":{"additional_tags":["bulk_x"]}}' \
	"$ZD_URL/api/v2/tickets/update_many?ids=$ids" | pj 'd["job_status"]["id"]')
api "$ZD_URL/api/v2/job_statuses/$job" >/dev/null
expect_eq "job completes with one result per ticket" "$(api \
	"$ZD_URL/api/v2/job_statuses/$job" | pj \
	'd["job_status"]["status"]+":"+str(len(d["job_status"]["results"]))')" \
	completed:3
expect_eq "update_many applied the tag" "$(api \
	"$ZD_URL/api/v2/tickets/show_many?ids=$ids" | pj \
	'all("bulk_x" in t["tags"] for t in d["tickets"])')" True
many=$("$ZD_PYTHON" -c 'print(",".join(str(i) for i in range(1, 102)))')
expect_eq "more than 100 ids is 400" "$(curl -s -o /dev/null -w '%{http_code}' \
	-u "$A" -X PUT -H 'Content-Type: application/json' -d '{"ticket":{}}' \
	"$ZD_URL/api/v2/tickets/update_many?ids=$many")" 400

# --- macro apply previews without saving
mid=$(api "$ZD_URL/api/v2/macros/active" | pj 'd["macros"][0]["id"]')
t2=$(pj 'd["tickets"][5]["id"]' <p1.json)
s0=$(api "$ZD_URL/api/v2/tickets/$t2" | pj 'd["ticket"]["status"]')
expect_eq "macro apply result" "$(api \
	"$ZD_URL/api/v2/tickets/$t2/macros/$mid/apply" | pj \
	'd["result"]["ticket"]["status"]+":"+str(d["result"]["ticket"]["comment"]["public"])')" \
	solved:True
expect_eq "macro apply does not save" "$(api "$ZD_URL/api/v2/tickets/$t2" | pj \
	'd["ticket"]["status"]')" "$s0"

# --- admin: a customer reply and a delete
before=$(api "$ZD_URL/api/v2/tickets/$tid" | pj 'd["ticket"]["updated_at"]')
zd_admin customer_reply '{"ticket_id":'"$tid"',"body":"还没收到 \ud83d\ude22"}' >/dev/null
after=$(api "$ZD_URL/api/v2/tickets/$tid" | pj 'd["ticket"]["updated_at"]+" "+d["ticket"]["status"]')
check "customer reply bumps updated_at" test "${after% *}" \> "$before"
expect_eq "customer reply reopens a pending ticket" "${after#* }" open
expect_eq "customer reply is the last public comment" "$(api \
	"$ZD_URL/api/v2/tickets/$tid/comments?sort=-created_at&page%5Bsize%5D=1" | pj \
	'd["comments"][0]["body"]')" "还没收到 😢"
zd_admin delete '{"ticket_id":'"$tid"'}' >/dev/null
expect_eq "deleted ticket is 404" \
	"$(api -o /dev/null -w '%{http_code}' "$ZD_URL/api/v2/tickets/$tid")" 404

# --- clean exit on SIGTERM
kill -TERM "$ZD_PID"
wait "$ZD_PID"
expect_eq "exits 0 on SIGTERM" "$?" 0

done_testing
