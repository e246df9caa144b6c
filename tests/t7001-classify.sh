#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Triage rules: tdesk classify --jsonl over tickets invented for the
# purpose (English and Chinese), the hard cases one by one (negation,
# several topics, two-word tickets, quoted error codes, a phishing mail
# not fallen for), the accuracy on the labelled corpus, and a broken
# rules file: file:line:col, refused whole, the desk keeps its last
# good rules.
. "$(dirname "$0")/lib.sh"

one() { # subject body -> "category incident urgent rules"
	python3 -c 'import json,sys; print(json.dumps({"id":1,"subject":sys.argv[1],"body":sys.argv[2]}))' "$1" "$2" |
	    "$TDESK" classify --jsonl | python3 -c 'import json,sys; o=json.loads(sys.stdin.read())
print(o["category"], int(o["security_incident"]), int(o["urgent"]), " ".join(o["rules"]))'
}
cat_of() { one "$1" "$2" | awk '{print $1, $2, $3}'; }

expect_eq "two words" "$(cat_of "提现卡住了" "")" "withdrawal 0 0"
expect_eq "negated strange login is no incident" \
	"$(cat_of "Question" "I did NOT get any strange login email, how do I see my devices?")" "security 0 0"
expect_eq "没有收到 stays a deposit" "$(cat_of "充值" "充值的USDT没有收到，帮我查一下")" "deposit 0 0"
expect_eq "not hacked, lost phone" \
	"$(cat_of "2FA" "I'm not hacked, nothing is missing, I just lost my phone with the authenticator")" "account_access 0 0"
expect_eq "main ask wins over an aside" \
	"$(cat_of "Withdrawal stuck" "My withdrawal has been pending for 5 hours. Also, how long does KYC take?")" "withdrawal 0 0"
expect_eq "quoted error code" \
	"$(cat_of "bot" 'Getting {"code":-1021,"msg":"Timestamp outside recvWindow"} on every order')" "api 0 0"
expect_eq "phishing mail not fallen for" \
	"$(cat_of "Fake email" "Got a phishing email with a link. I did not click it. Just reporting.")" "security 0 0"
expect_eq "unauthorized withdrawal is an incident" \
	"$(cat_of "Help" "There is a withdrawal of 2 BTC I did not make. Please freeze my account")" "security 1 1"
expect_eq "code given to a scammer" \
	"$(cat_of "被骗" "有人冒充客服，我把谷歌验证码告诉了他，现在登录不上")" "security 1 1"
expect_eq "SIM swap" "$(cat_of "phone" "My phone lost service and then my password was changed, I think it was a SIM swap")" "security 1 1"
expect_eq "leaked API key with withdraw rights" \
	"$(cat_of "API key" "I leaked my API key with withdrawal permission on GitHub")" "security 1 1"
expect_eq "urgency in Chinese" "$(cat_of "充值没到" "急用，请尽快处理")" "deposit 0 1"
expect_eq "not urgent is not urgent" "$(cat_of "Fees" "Not urgent: why did my maker fee change?")" "trade 0 0"
expect_eq "'no longer' is not a long position" \
	"$(cat_of "email change" "I no longer have access to the email registered on my account, how can I change it?")" "account_access 0 0"
expect_eq "a sanctioned country" "$(cat_of "注册" "我在伊朗，为什么不能注册？")" "compliance 0 0"
expect_eq "traditional characters: a withdrawal" "$(cat_of "提幣一直審核中" "提現USDT到錢包地址，已經一天了還是顯示審核中。")" "withdrawal 0 0"
expect_eq "traditional characters: an incident" \
	"$(cat_of "帳號被盜" "我的帳戶被盜了，有人改了我的郵箱並且提走了所有的幣，請馬上凍結！")" "security 1 1"
expect_match "decisions name their rules" "$(one "提现卡住了" "")" "withdrawal-words"

# mail as it comes (each of these was misread once): quoted history and
# signatures weigh little and make no incident, HTML and full-width
# letters read as text, the customer closing the matter is "other"
nl=$'\n'
expect_eq "a quoted agent reply does not decide 'Any update?'" \
	"$(cat_of "Re: Request #55120" "Still not there. Please check again.${nl}${nl}On Mon, Nov 30, 2026 at 9:14 AM Exchange Support wrote:${nl}> Hi, we have checked your withdrawal and it is being processed.${nl}> If you have questions about deposits, KYC or trading, see our help center.")" "withdrawal 0 0"
expect_eq "a disclaimer's 'unauthorised' is no incident" \
	"$(cat_of "deposit not arriving" "I transferred 300 USDT from my MetaMask 6 hours ago, nothing.${nl}${nl}Regards,${nl}Peter${nl}This email and any attachments are confidential. Unauthorised use, disclosure or withdrawal of this message is prohibited.")" "deposit 0 0"
expect_eq "thanks above a quoted withdrawal" \
	"$(cat_of "Re: your ticket" "Thank you, that solved it!${nl}${nl}On Tue, Dec 1, 2026, Support wrote:${nl}> Regarding your withdrawal, please confirm the address and network.")" "other 0 0"
expect_eq "Chinese quoted history (写道)" \
	"$(cat_of "回复：您的工单" "好的，已经收到了，谢谢！${nl}${nl}在 2026年12月1日，客服 写道：${nl}> 您的提现已经处理完成，请查收。")" "other 0 0"
expect_eq "an auto-reply: other, and 'for urgent matters' is no urgency" \
	"$(cat_of "Automatic reply: Re: withdrawal" "I am out of the office until Monday. For urgent matters please contact my colleague.")" "other 0 0"
expect_eq "full-width letters" "$(cat_of "ｗｉｔｈｄｒａｗａｌ　ｐｅｎｄｉｎｇ" "")" "withdrawal 0 0"
expect_eq "HTML mail: an entity keeps a quoted reply quoted" \
	"$(cat_of "Re: help" "<div>Got it, thanks</div><div><br></div><div>On Dec 2, 2026, Support wrote:</div><div>&gt; Your deposit was credited after manual review.</div>")" "other 0 0"
expect_eq "a forwarded phishing mail: its subject is no incident" \
	"$(cat_of "Fwd: Unauthorized login attempt" "Is this email from you? The sender looks odd.${nl}${nl}---------- Forwarded message ---------${nl}From: Exchange Security <security@exch-verify.example>${nl}${nl}We detected an unauthorized login. Click here to verify your identity.")" "security 0 0"
expect_eq "the signature's job title does not decide" \
	"$(cat_of "Request #71002" "Dear Sir/Madam,${nl}${nl}I am writing regarding my EUR bank transfer of 2,500 made on 1 December. The money left my bank but has not been credited to my account.${nl}${nl}Yours sincerely,${nl}John Smith${nl}Head of Compliance | Northwind Trading Ltd")" "deposit 0 0"
expect_eq "'Thanks!' opening a message is no signature" \
	"$(cat_of "thanks" "Thanks!${nl}Received it, all good now.")" "other 0 0"
expect_eq "a greeting is not the message's first sentence" \
	"$(cat_of "help" "Hello,${nl}My withdrawal is stuck for 2 days.${nl}The deposit page looks odd to me.")" "withdrawal 0 0"
expect_eq "odd spacing between Chinese characters" "$(cat_of "提 现 卡 住 了" "已经 两 天 了")" "withdrawal 0 0"
expect_eq "a chat bot's topic menu does not decide" \
	"$(cat_of "Chat transcript" "Bot: Please choose a topic: Deposit, Withdrawal, KYC, Login, Other${nl}Visitor: Withdrawal${nl}Visitor: my usdt withdrawal is pending for 6 hours")" "withdrawal 0 0"
expect_eq "a closing followed by the problem ('It works now but ...')" \
	"$(cat_of "hi" "It works now but my withdrawal is still missing.")" "withdrawal 0 0"
expect_eq "an incident told only in the history quoted: security, no new alarm" \
	"$(cat_of "Re: help" "Any update?${nl}${nl}On Mon, Dec 1, 2026 Ann wrote:${nl}> Someone hacked my account and withdrew my BTC to an unknown address. I did not do this.")" "security 0 0"
expect_eq "an agent's quoted warning is no incident nor its topic" \
	"$(cat_of "Re: withdrawal" "I did not receive it yet.${nl}${nl}On Thu, Dec 3, 2026 Support wrote:${nl}> If you did not request this withdrawal, please contact us immediately and we will freeze your account.")" "withdrawal 0 0"
expect_eq "a limit the ask would raise is its purpose" \
	"$(cat_of "Verification" "Hello,${nl}I am doing the advanced verification to increase my withdrawal limit and the address step is stuck for a week.")" "kyc 0 0"
expect_eq "a guess at the cause is not the topic" \
	"$(cat_of "认证被拒" "你好，${nl}认证被拒了，是因为我所在的地区吗？")" "kyc 0 0"
expect_eq "a region without service (所在地区, no 的) is compliance" \
	"$(cat_of "搬家后不能用了" "我搬到了新加坡，账户提示所在地区暂不提供服务，我的资产还要提出来，怎么办？")" "compliance 0 0"
expect_eq "a consequence (就不能入金) is not the topic" \
	"$(cat_of "实名认证" "上周交了护照和自拍，还在审核中，认证不通过就不能入金，怎么回事？")" "kyc 0 0"
expect_eq "a denied hack is no hack" \
	"$(cat_of "I was not hacked" "I was not hacked, I just forgot my password and the email with the reset code is not coming.")" "account_access 0 0"
# incidents told over two sentences, and denials that are none
expect_eq "the denial in the next sentence" \
	"$(cat_of "someone withdrew my funds" "Somebody withdrew all my USDT tonight. I never authorised it. Lock my account please.")" "security 1 1"
expect_eq "a code read out to a caller" \
	"$(cat_of "gave my code" "A man called saying he was from your security team and asked for the 6 digit code I received by SMS. I gave it to him and now I cannot log in.")" "security 1 1"
expect_eq "an address added to the whitelist that the customer never added" \
	"$(cat_of "白名单被加了地址" "提币白名单里多了一个我没加过的地址，还有一笔提币在审核，请马上拦截")" "security 1 1"
expect_eq "'I didn't change anything' in my code is no incident" \
	"$(cat_of "API stopped working" "I didn't change anything in my code and since yesterday the API returns -2015 for every request with my API key.")" "api 0 0"
expect_eq "'not yet' is no denial" \
	"$(cat_of "Withdrawal fee" "I didn't make any withdrawal yet, I just want to know the fee for BTC before I do.")" "withdrawal 0 0"
expect_eq "是不是我 asks, it does not deny" \
	"$(cat_of "提币地址" "是不是我的提币地址填错了？币一直没到")" "withdrawal 0 0"
expect_eq "a question whether hacked is none" \
	"$(cat_of "Did I get hacked?" "Balances are fine, but I got a 2FA code SMS I didn't request. What should I do?")" "security 0 0"
# which way the coins went; 交易所 is the exchange, not a trade
expect_eq "took out: a withdrawal" \
	"$(cat_of "missing" "the coins I took out yesterday never showed up in my Kraken account. tx hash: 0x55ab")" "withdrawal 0 0"
expect_eq "交易所 is no trade" "$(cat_of "安全问题" "放在交易所安全吗？你们有没有保险？")" "security 0 0"
expect_eq "Cantonese: 錢唔見咗, 唔係我做嘅" \
	"$(cat_of "錢唔見咗" "我個戶口啲幣唔見咗，有人登入咗我個帳號轉走晒，唔係我做嘅")" "security 1 1"
expect_eq "a question how to avoid a hack is none" \
	"$(cat_of "Protect my account" "How can I protect my account from getting hacked? What settings do you recommend?")" "security 0 0"
expect_eq "traditional 帳 reads as 账 (it folds to 帐)" "$(cat_of "USDT沒到帳" "三小時了還沒到帳")" "deposit 0 0"
expect_eq "traditional Chinese: 儲值 未入帳" "$(cat_of "儲值未入帳" "我儲值了300 USDT，鏈上顯示成功，但帳戶沒有入帳。")" "deposit 0 0"

# numbers keep their type, lines without an id are reported
out=$(printf '%s\n' '{"id":"a-1","subject":"deposit missing"}' 'not json' |
    "$TDESK" classify --jsonl 2>"$WORK/err"; echo "rc=$?")
expect_match "string id kept" "$out" '^\{"id":"a-1","category":"deposit","security_incident":false,"urgent":false,"priority":"normal","group":"Funds","rules":\["deposit-words","deposit-main"\]\}'
expect_match "bad line: partial" "$out" 'rc=6'
expect_match "bad line named" "$(cat "$WORK/err")" 'line 2'

# the development corpus, and the held-out one (written with it, before
# any rule, and never used to write or tune them); the fifth session's
# mail-shaped corpus and its second held-back part
for c in dev heldout s5 s5hold2; do
	check "$c corpus meets the targets" python3 "$TESTS_DIR/triage/score.py" \
	    "$TDESK" "$TESTS_DIR/triage/$c.tsv" --min-cat 0.85 \
	    --min-inc-recall 0.95 --min-inc-precision 0.8 --min-urg-recall 0.9
done

# a user rule replaces a starter one of the same name, and adds its own
mkdir -p "$XDG_CONFIG_HOME/tdesk"
cat >"$XDG_CONFIG_HOME/tdesk/rules.yaml" <<'YAML'
rules:
  - name: nft-words
    category: trade
    weight: 9
    match: [nft, 藏品]
YAML
expect_eq "user rule" "$(cat_of "NFT" "my nft is missing")" "trade 0 0"
expect_code 0 "check a good file" tdesk classify --check
expect_code 0 "demo desk" tdesk demo --tickets 60
expect_eq "good copy kept in the desk" "$(sql "$XDG_DATA_HOME/tdesk/demo.db" \
	"SELECT count(*) FROM sync_state WHERE key = 'triage.rules.good'")" 1

# a bad regex and an unknown category: refused whole with a position
cat >"$XDG_CONFIG_HOME/tdesk/rules.yaml" <<'YAML'
rules:
  - name: nft-words
    category: trade
    match: [nft]
  - name: broken
    category: trade
    regex: 'a(b'
YAML
expect_code 2 "check refuses a bad regex" tdesk classify --check
expect_match "file:line:col" "$(last_err)" "rules.yaml:7:12: bad regex"
cat >"$XDG_CONFIG_HOME/tdesk/rules.yaml" <<'YAML'
rules:
  - name: nft-words
    category: art
    match: [nft]
YAML
expect_code 2 "check refuses an unknown category" tdesk classify --check
expect_match "unknown category at its place" "$(last_err)" \
	"rules.yaml:3:15: unknown category 'art'"
# the desk opens with its last good rules (the nft rule still works)
expect_code 0 "list still works" tdesk list
expect_match "warning names the file" "$(last_err)" "rules.yaml:3:15: .*last good copy"
expect_code 0 "classify --desk with the last good rules" tdesk classify --desk
id=$(sql "$XDG_DATA_HOME/tdesk/demo.db" "SELECT min(id) FROM tickets")
expect_code 0 "override" tdesk classify --set kyc "$id"
expect_code 2 "override: unknown category" tdesk classify --set art "$id"
expect_code 3 "override: unknown ticket" tdesk classify --set kyc 999999

done_testing
