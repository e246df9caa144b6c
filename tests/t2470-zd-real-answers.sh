#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Zendesk answers as real desks send them (tests/zd/: email HTML with
# quoted history, Outlook markup, html_body-only comments, CRLF and lone
# CR, HTML sent as the plain body, plain_body-only comments, nulls where
# strings belong, ids above 2^53 and as strings, every custom field type,
# lone surrogates, hostile escapes) read well in `tdesk show` and
# `tdesk show --json`, whether imported or synced: no tags, entities
# decoded, quoted history as "> " lines, no stray spaces or blank lines,
# nothing lost, escapes inert.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/synclib.sh"

Z=$TESTS_DIR/zd
BIG=9007199254740993
I=(-d "$WORK/imp.db")

# readable LABEL TEXT: what every shown body must be
readable() {
	check "$1: no HTML tags" sh -c '! printf "%s" "$1" | grep -qiE \
	    "</?(p|div|br|span|table|tr|td|ul|ol|li|blockquote|html|head|style|img|a|b|o:p)( [^>]*)?>"' _ "$2"
	check "$1: no HTML entities" sh -c '! printf "%s" "$1" | grep -qE \
	    "&(nbsp|amp|lt|gt|quot|hellip|#[0-9]+|#x[0-9a-fA-F]+);"' _ "$2"
	check "$1: no spaces at line ends" sh -c \
	    '! printf "%s\n" "$1" | grep -q "[[:blank:]]$"' _ "$2"
	check "$1: no two blank lines in a row" sh -c 'printf "%s\n" "$1" |
	    awk "/^\\|?\$/ { if (++b > 1) bad = 1; next } { b = 0 }
	    END { exit bad }"' _ "$2"
	check "$1: no raw control characters" sh -c \
	    '! printf "%s" "$1" | tr -d "\n" | grep -q "[[:cntrl:]]"' _ "$2"
}

expect_code 0 "import the tickets" tdesk "${I[@]}" import "$Z/tickets.json"
expect_code 0 "import the email comments" \
	tdesk "${I[@]}" import --comments $BIG "$Z/comments-email.json"
expect_code 0 "import the mixed comments" \
	tdesk "${I[@]}" import --comments 73001 "$Z/comments-mixed.json"

# --- an email thread with an html_body-only reply and an HTML note
expect_code 0 "show the email thread" tdesk "${I[@]}" show $BIG
out=$(last_out)
readable "email thread" "$out"
expect_match "the html-only reply is shown" "$out" \
	'^还是没有到账 请尽快处理… Fees <1 USDT & no "memo"\.$'
expect_match "its inline image is named" "$out" '^\[image: image\.png\]$'
expect_match "the quoted history is quoted" "$out" '^> Hi 李伟,$'
expect_match "nested quotes" "$out" '^> > older > quoted$'
expect_match "the html-only note's table" "$out" '^\| Amount \| 1,250\.75 USDT$'
expect_match "its numbered list" "$out" '^\| 2\. escalate to treasury$'
expect_match "a link's target after its text" "$out" \
	'tronscan \(https://tronscan\.org/#/transaction/9f2c4e0b\)'
expect_match "CRLF bodies lose their CRs, and their trailing blank lines" \
	"$out" $'^李伟\n\n--- Jane Agent'
expect_match "the thumbnail is not an attachment" \
	"$(grep -c '^\[attachment' <<<"$out")" '^1$'
expect_match "custom fields of every type" "$out" \
	$'  Escalated: yes\n  Incident date: 2026-10-30\n  Amount \\(USD\\): 1250\\.75\n  Asset / chain: chain_trc20, asset_usdt\n  Tier: vip_tier_2\n  Refunded: no\n  BTC fee: 0\\.00012'
expect_no_match "a null field shows nothing" "$out" 'Notes'

# --- the mixed comments of a ticket without a subject
expect_code 0 "show the mixed ticket" tdesk "${I[@]}" show 73001
out=$(last_out)
readable "mixed comments" "$out"
expect_match "no subject, said" "$out" '^#73001 \(no subject\)$'
expect_match "a requester without an email named once" "$out" \
	"^requester: Ana \"Nina\" O'Brien\$"
expect_match "a multi-line rating comment stays indented" "$out" \
	$'^satisfaction: bad - Took 3 days\n  and nobody answered\\.$'
expect_match "Outlook HTML: the text" "$out" \
	'^Our company account \(UID 7700123\) cannot withdraw – error “E1024”\.$'
expect_match "Outlook HTML: the signature lines" "$out" $'^Tom Becker\nCFO'
expect_no_match "Outlook HTML: no style sheet or tracking pixel" "$out" \
	'MsoNormal|track\.example|shapedefaults'
expect_match "Outlook HTML: the quoted header" "$out" \
	'^From: Acme Support <support@acme\.zendesk\.com>$'
expect_match "plain_body only: its lines, unindented" "$out" \
	$'^Automatic reply:\n\n I am out of office until 9 Nov\\.\nUrgent matters'
expect_match "lone CRs are line breaks" "$out" \
	$'^Dear Tom,\n\nthe error E1024 means'
expect_no_match "no CR shown as ^M" "$out" '\^M'
expect_match "HTML sent as the plain body is read as HTML" "$out" \
	$'^Sorry, my client sent HTML\\.\n\nStill E1024 & I added the address\\.$'
expect_match "an unnamed attachment says so" "$out" \
	'^\[attachment 73001900001\] \(no name\) \(unknown type, 0 B\)$'
expect_match "an attachment Zendesk found malware in says so" "$out" \
	'^\[attachment 73001900004\] invoice\.pdf\.exe \(malware found by Zendesk, 72\.0 KB\)$'
expect_match "an attachment id given as a string" "$out" \
	'^\[attachment 73001900002\] 回单 2026-11-01\.pdf \(application/pdf, 2\.2 MB\)$'
expect_match "a very long line whole" "$out" \
	"0x$(printf '%064x' $((399 * 7919)))\$"
expect_match "escapes in HTML entities made inert" "$out" \
	'^look: \^\[\[31mRED\^\[\[0m <U\+202E>gnp\.exe'
expect_match "a stray < is text, not a tag" "$out" '&amp c<d & e>f$'
expect_match "an address in angle brackets kept" "$out" \
	'^Jane <jane@example\.com> and <jane@example\.org>$'
expect_match "a plain body that shows a tag is kept as written" "$out" \
	'^\| <script>alert\(1\)</script>$'
expect_match "plain < and & kept" "$out" \
	'^a < b and c > d, 5<6, <3 love it, x&y$'
expect_match "a link whose text names another site shows where it goes" \
	"$out" '^https://www\.acme\.com/security \(https://acme-support\.example\.net/verify\?id=1&t=2\) help@acme\.com acme\.com top click$'
expect_match "markdown images in a body named, not their long URLs" "$out" \
	$'^Please compare with this screenshot:\n\n\\[image: whitelist\\.png\\]\n\nand \\[image: step 2\\]\\. Wow! \\[not an image\\]\\(https://acme\\.com\\)$'

# --- calls: the transcription Zendesk keeps aside, a call without a body
expect_code 0 "import the call comments" \
	tdesk "${I[@]}" import --comments 73003 "$Z/comments-voice.json"
expect_code 0 "show the call" tdesk "${I[@]}" show 73003
out=$(last_out)
readable "calls" "$out"
expect_match "a call's transcription after its details" "$out" \
	$'^\\| Length of phone call: 4 minutes\n\\|\n\\| Transcription:\n\\| Caller: hi, I sent 0\\.5 BTC'
expect_match "a call without a body says what the call was" "$out" \
	$'^\\| Call from \\+14155550100 to \\+18005550199, 1:05\n\\| Recording: https://acme\\.zendesk\\.com/rec/2$'

# --- a seed phrase in a comment that came only as HTML: redacted and
# flagged like any other, and its HTML not kept
expect_code 0 "import an html-only comment with a seed phrase" \
	tdesk "${I[@]}" import --comments 73004 "$Z/comments-secret.json"
expect_code 0 "show it" tdesk "${I[@]}" show 73004
out=$(last_out)
expect_match "the phrase is redacted" "$out" $'^my words:\n\\[seed phrase redacted: 12 words\\]$'
expect_match "the ticket is flagged" "$out" '^SECRET EXPOSED: seed-phrase'
expect_eq "its HTML is not kept" "$(sql "$WORK/imp.db" "SELECT count(*)
	FROM comments WHERE id = 73004000001 AND (html LIKE '%liar%' OR
	body LIKE '%liar%')")" 0

# --- a search export page: organisations, users and groups among tickets
expect_code 0 "import an export page" \
	tdesk "${I[@]}" import "$Z/search-export.json"
expect_code 0 "show its ticket" tdesk "${I[@]}" show 73200
out=$(last_out)
readable "export ticket" "$out"
expect_match "a subject on one line, no spaces at its ends" "$out" \
	'^#73200 提現 未到賬$'
expect_match "its requester from the same page" "$out" \
	'^requester: 王.芳 <wang\.fang@example\.cn>$'
expect_match "its organisation and group from the same page" "$out" \
	$'^organization: Ｆｕｌｌ　Ｗｉｄｔｈ 有限公司\nassignee: Jane Agent  group: 二线支持 Tier 2$'
expect_match "runs of blank lines in a description as one" "$out" \
	$'ＴＸ１２３４５\n\n謝謝$'
expect_code 0 "the closed ticket after the article is there" \
	tdesk "${I[@]}" show 73201

# --- JSON: the same text, ids exact
expect_code 0 "show --json" tdesk "${I[@]}" show --json $BIG
json=$(last_out)
expect_eq "json: an id above 2^53 exact" \
	"$(pj '[c["id"] for c in d["comments"]][2]' <<<"$json")" 9007199254741003
expect_eq "json: the html-only reply" "$(pj 'd["comments"][2]["body"]' \
	<<<"$json")" "$(printf '%s\n' '还是没有到账 请尽快处理… Fees <1 USDT & no "memo".' \
	'' '[image: image.png]' '' \
	'Jane (Acme Support) <support@acme.zendesk.com> 于2026年11月2日周一 13:00写道：' \
	'> Hi 李伟,' '>' '> Thanks for reaching out.' '> > older > quoted' \
	'> > text')"
expect_code 0 "show --json of the mixed ticket" tdesk "${I[@]}" show --json 73001
json=$(last_out)
expect_eq "json: all ten comments" "$(pj 'len(d["comments"])' <<<"$json")" 10
for k in 0 1 2 3 5 7 8; do
	readable "json body $k" "$(pj "d['comments'][$k]['body']" <<<"$json")"
done
expect_eq "json: no empty body" "$(pj 'sum(1 for c in d["comments"]
	if not c["body"].strip())' <<<"$json")" 0

# --- odd JSON: lone surrogates, NUL, a ticket given as "ticket"
printf '%s' '{"ticket":{"id":"73100","subject":"lone \ud83d here",
 "description":"low \udc4d, pair \ud83d\ude00, nul \u0000 end\r\n\r\n\r\n",
 "status":"open","tags":null,"custom_fields":[{"id":null,"value":"x"}],
 "via":null,"satisfaction_rating":"offered"}}' >"$WORK/odd.json"
expect_code 0 "import odd JSON" tdesk "${I[@]}" import "$WORK/odd.json"
expect_code 0 "show it" tdesk "${I[@]}" show 73100
out=$(last_out)
expect_match "lone surrogates are U+FFFD" "$out" '^#73100 lone � here$'
expect_match "pairs and NUL kept" "$out" '^low �, pair 😀, nul ␀ end$'
readable "odd JSON" "$out"

# --- every member of the wrong type or null: imported, shown, nothing lost
# of what is right
expect_code 0 "import a page of wrong types" \
	tdesk -d "$WORK/nulls.db" import "$Z/nulls.json"
expect_code 0 "show its ticket" tdesk -d "$WORK/nulls.db" show 73300
out=$(last_out)
expect_match "the good tag kept" "$out" '^tags: ok$'
expect_match "the good values of a list kept" "$out" ': 1, a, 2\.5$'
expect_code 0 "and the ticket after the junk" tdesk -d "$WORK/nulls.db" show 73301

# --- the same answers synced from the loopback server
sync_setup --tickets 30 --seed 7
t=$(my_open_ids 1)
for f in comments-email comments-mixed; do
	zd_admin raw_comments "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(json.dumps({"ticket_id": int(sys.argv[2]), "comments": d["comments"]}))' \
	    "$Z/$f.json" "$t")" >/dev/null
done
expect_code 0 "sync" tdesk sync
expect_code 0 "show the synced ticket" tdesk show --json "$t"
synced=$(last_out)
bodies() { pj 'json.dumps(sorted(c["body"] for c in d["comments"]
	if str(c["id"]).startswith(("73001", "90071992547410"))))'; }
imported=$(tdesk "${I[@]}" show --json $BIG | bodies)
imported2=$(tdesk "${I[@]}" show --json 73001 | bodies)
same=$(python3 -c 'import json, sys
a = json.loads(sys.argv[1]); b = json.loads(sys.argv[2]) + json.loads(sys.argv[3])
print("same" if sorted(a) == sorted(b) and len(a) == 14 else "differ")' \
	"$(bodies <<<"$synced")" "$imported" "$imported2")
expect_eq "synced bodies read as imported ones" "$same" same
expect_code 0 "show (text) the synced ticket" tdesk show "$t"
readable "synced ticket" "$(last_out)"
expect_code 1 "no download of an attachment Zendesk found malware in" \
	tdesk attachment get "$t" 73001900004
expect_match "it says why" "$(last_err)" "refused: attachment 73001900004"
done_testing
