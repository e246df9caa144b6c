#!/usr/bin/env bash
# FAQ answers from the command line: the starter pack has at least 20
# entries in English and Chinese; search finds them in both languages,
# one- and two-character Chinese queries included, best first; show
# picks the language; a bad file is reported as file:line:col and
# refused whole.
. "$(dirname "$0")/lib.sh"

tdesk demo >/dev/null || fail "demo"

expect_code 0 "faq list" tdesk faq list
[ "$(last_out | wc -l)" -ge 20 ] || fail "fewer than 20 FAQ answers"
expect_eq "every entry in en and zh" "$(tdesk faq list --json | grep -c '"langs":"en zh"')" "$(last_out | wc -l)"

first() { tdesk faq search "$@" | head -1 | awk '{print $1}'; }
expect_eq "English word" "$(first liquidation)" futures-liquidation
expect_match "English prefix" "$(tdesk faq search withdraw | head -3)" "^withdrawal-pending "
expect_eq "two Chinese characters" "$(first 滑点)" slippage
expect_eq "two Chinese characters (强平)" "$(first 强平)" futures-liquidation
expect_eq "mixed" "$(first 2FA 重置)" 2fa-reset
expect_code 0 "one Chinese character" tdesk faq search 冻
expect_match "1-char recall" "$(last_out)" "^account-frozen "
expect_code 0 "Chinese query shows Chinese" tdesk faq search 钓鱼
expect_match "zh title" "$(last_out)" "^phishing-links .* zh 怎样识别钓鱼"
expect_code 0 "--lang zh on an English query" tdesk faq search --lang zh authenticator
expect_match "zh text" "$(last_out)" "^2fa-reset .* zh 双重验证"
expect_code 0 "a sentence still finds it" tdesk faq search "my withdrawal is stuck, what is going on"
expect_match "loose match" "$(last_out)" "withdrawal-pending"
expect_code 3 "no match" tdesk faq search zzzzqqq
expect_code 0 "json" tdesk faq search --json 提现
expect_match "json array" "$(last_out | head -1)" '^\[$'
expect_match "json fields" "$(last_out)" '"id":"withdrawal-pending","category":"deposit-withdrawal","lang":"zh"'

expect_code 0 "show zh" tdesk faq show --lang zh support-never-asks
expect_match "zh body" "$(last_out)" "我们没有客服电话"
expect_code 0 "show default en" tdesk faq show support-never-asks
expect_match "en body" "$(last_out)" "no phone hotline"
expect_code 3 "show unknown" tdesk faq show nope

mkdir -p "$XDG_CONFIG_HOME/tdesk/faq"
cat > "$XDG_CONFIG_HOME/tdesk/faq/mine.yaml" <<'Y'
faq:
  - id: office-hours
    category: general
    keywords: [hours, 时间]
    en:
      title: When is support available?
      body: Around the clock, every day.
    zh:
      title: 客服什么时候在线？
      body: 全年无休，每天 24 小时。
  - id: broken
    en:
      title: Missing its body
Y
expect_code 3 "bad file refused whole" tdesk faq show office-hours
expect_match "position" "$(last_err)" "faq/mine.yaml:13:7: FAQ text 'en' has no body"
sed -i '/- id: broken/,$d' "$XDG_CONFIG_HOME/tdesk/faq/mine.yaml"
expect_code 0 "fixed file" tdesk faq search 在线
expect_match "agent's entry found by 2 chars" "$(last_out)" "(^|\n)office-hours "
expect_code 0 "and shown" tdesk faq show --lang zh office-hours
expect_match "its text" "$(last_out)" "全年无休"
done_testing
