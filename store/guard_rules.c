/* SPDX-License-Identifier: MIT */
/*
 * The reply guard's words and rules. One pass finds the words that
 * matter (a lexicon of secrets, requests, negations, warnings, tools,
 * messengers, ...) with their sentence, clause and token position; rules
 * then look at each sentence: a request for a secret is blocked, the
 * same words inside a warning ("never share your seed phrase with
 * anyone, including us") are not.
 */
#include "store/guard.h"
#include "store/ascii.h"
#include "store/guard_int.h"
#include "store/redact_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* --- lexicon -------------------------------------------------------------- */

struct term {
	const char *s;
	unsigned mask;
};

/*
 * ASCII terms match at word boundaries, case-insensitively: a space
 * matches any run of blanks, '-' matches '-', a blank or nothing, '\''
 * matches ' or U+2019 or nothing, a final '*' makes the term a prefix.
 * Other terms (Chinese) match anywhere.
 */
static const struct term lexicon[] = {
	/* secrets nobody may ask for */
	{ "seed phrase", L_STRONG }, { "seed phrases", L_STRONG },
	{ "seed words", L_STRONG }, { "seed", L_STRONG },
	{ "recovery phrase", L_STRONG }, { "recovery words", L_STRONG },
	{ "recovery seed", L_STRONG }, { "secret phrase", L_STRONG },
	{ "secret recovery phrase", L_STRONG }, { "backup phrase", L_STRONG },
	{ "mnemonic*", L_STRONG }, { "12 words", L_STRONG },
	{ "24 words", L_STRONG }, { "12-word", L_STRONG },
	{ "24-word", L_STRONG }, { "twelve words", L_STRONG },
	{ "private key*", L_STRONG }, { "privkey", L_STRONG },
	{ "keystore*", L_STRONG }, { "wallet.dat", L_STRONG },
	{ "api secret*", L_STRONG }, { "secret key*", L_STRONG },
	{ "api key*", L_STRONG }, { "words of your", L_STRONG },
	{ "backup key*", L_STRONG }, { "recovery key*", L_STRONG },
	{ "setup key*", L_STRONG }, { "2fa secret", L_STRONG },
	{ "12个单词", L_STRONG }, { "24个单词", L_STRONG },
	{ "助记单词", L_STRONG }, { "钱包单词", L_STRONG },
	{ "十二个单词", L_STRONG }, { "备份密钥", L_STRONG },
	{ "助记词", L_STRONG }, { "私钥", L_STRONG }, { "密钥", L_STRONG },
	{ "秘钥", L_STRONG }, { "种子短语", L_STRONG }, { "恢复短语", L_STRONG },
	{ "备份短语", L_STRONG }, { "钱包备份", L_STRONG },
	{ "keystore文件", L_STRONG }, { "api secret", L_STRONG },
	{ "password*", L_WEAK }, { "passcode*", L_WEAK },
	{ "passphrase*", L_WEAK }, { "pin", L_WEAK }, { "pin code", L_WEAK },
	{ "2fa", L_WEAK | L_SECFEAT }, { "2fa code*", L_WEAK },
	{ "2-fa", L_WEAK | L_SECFEAT }, { "two-factor", L_WEAK | L_SECFEAT },
	{ "two-factor code*", L_WEAK }, { "verification code*", L_WEAK },
	{ "sms code*", L_WEAK }, { "email code*", L_WEAK },
	{ "authentication code*", L_WEAK }, { "authenticator code*", L_WEAK },
	{ "google authenticator", L_WEAK | L_SECFEAT },
	{ "authenticator", L_SECFEAT }, { "otp", L_WEAK },
	{ "one-time code*", L_WEAK }, { "one-time password*", L_WEAK },
	{ "security code*", L_WEAK }, { "6-digit code*", L_WEAK },
	{ "six-digit code*", L_WEAK }, { "login code*", L_WEAK },
	{ "credentials", L_WEAK }, { "login details", L_WEAK },
	{ "code from your", L_WEAK }, { "code from the", L_WEAK },
	{ "code in your", L_WEAK }, { "code we sent", L_WEAK },
	{ "code on your", L_WEAK }, { "code in the sms", L_WEAK },
	{ "code you got", L_WEAK }, { "secret words", L_STRONG },
	{ "seedphrase", L_STRONG }, { "privatekey", L_STRONG },
	{ "recoveryphrase", L_STRONG }, { "priv key", L_STRONG },
	{ "backup code*", L_WEAK }, { "recovery code*", L_WEAK },
	{ "wallet phrase", L_STRONG }, { "备用码", L_WEAK },
	{ "pass word", L_WEAK }, { "passwrd", L_WEAK }, { "pasword*", L_WEAK },
	{ "passward", L_WEAK }, { "六位数字", L_WEAK }, { "6位数字", L_WEAK },
	{ "六位数", L_WEAK }, { "数字码", L_WEAK }, { "识别码", L_WEAK },
	{ "登入密码", L_WEAK }, { "交易密码", L_WEAK },
	/* Japanese, Korean: the secrets and the polite requests (a "do
	 * not" is in the verb: 教えないでください, 알려주지 마세요) */
	{ "シードフレーズ", L_STRONG }, { "リカバリーフレーズ", L_STRONG },
	{ "秘密鍵", L_STRONG }, { "秘密键", L_STRONG }, { "パスワード", L_WEAK },
	{ "認証コード", L_WEAK }, { "认证コード", L_WEAK },
	{ "暗証番号", L_WEAK }, { "暗证番号", L_WEAK }, { "確認コード", L_WEAK },
	{ "确认コード", L_WEAK },
	{ "教えてください", L_ASK }, { "送ってください", L_ASK },
	{ "送信してください", L_ASK }, { "共有してください", L_ASK },
	{ "入力してください", L_ENTER },
	{ "시드 문구", L_STRONG }, { "복구 문구", L_STRONG },
	{ "개인 키", L_STRONG }, { "개인키", L_STRONG }, { "니모닉", L_STRONG },
	{ "비밀번호", L_WEAK }, { "인증 코드", L_WEAK }, { "인증코드", L_WEAK },
	{ "인증번호", L_WEAK },
	{ "알려주세요", L_ASK }, { "알려 주세요", L_ASK },
	{ "보내주세요", L_ASK }, { "보내 주세요", L_ASK },
	{ "공유해 주세요", L_ASK }, { "공유해주세요", L_ASK },
	{ "입력해 주세요", L_ENTER }, { "입력해주세요", L_ENTER },
	{ "code we just sent", L_WEAK }, { "code you received", L_WEAK },
	{ "code you just received", L_WEAK }, { "code sent to your", L_WEAK },
	{ "code that was", L_WEAK }, { "code we texted", L_WEAK },
	{ "texted code", L_WEAK },
	{ "authenticator app code", L_WEAK }, { "收到的代码", L_WEAK },
	{ "密码", L_WEAK }, { "验证码", L_WEAK }, { "动态码", L_WEAK },
	{ "动态口令", L_WEAK }, { "口令", L_WEAK }, { "校验码", L_WEAK },
	{ "2fa码", L_WEAK }, { "谷歌验证", L_WEAK | L_SECFEAT },
	{ "二次验证", L_WEAK | L_SECFEAT }, { "双重验证", L_SECFEAT },
	{ "身份验证器", L_SECFEAT }, { "两步验证", L_SECFEAT },

	/* asking */
	{ "send", L_ASK | L_MOVE }, { "sent", L_ASK }, { "provide", L_ASK },
	{ "share", L_ASK }, { "tell", L_ASK }, { "give", L_ASK },
	{ "sending", L_ASK }, { "providing", L_ASK }, { "sharing", L_ASK },
	{ "telling", L_ASK }, { "giving", L_ASK }, { "uploading", L_ASK },
	{ "attaching", L_ASK }, { "pasting", L_ASK }, { "forwarding", L_ASK },
	{ "replying with", L_ASK }, { "entering", L_ENTER },
	{ "typing", L_ENTER }, { "submitting", L_ENTER },
	{ "reply", L_ASK }, { "respond with", L_ASK }, { "upload", L_ASK },
	{ "attach", L_ASK }, { "paste", L_ASK }, { "forward", L_ASK },
	{ "read out", L_ASK }, { "dm", L_ASK }, { "let us know", L_ASK },
	{ "let me know", L_ASK }, { "ask for", L_ASK }, { "read me", L_ASK },
	{ "write", L_WRITE }, { "write down", L_SKIP },
	{ "ask you for", L_ASK }, { "we need your", L_ASK },
	{ "i need your", L_ASK }, { "we require your", L_ASK },
	{ "requires the", L_ASK }, { "require the", L_ASK },
	{ "requires your", L_ASK }, { "require your", L_ASK },
	{ "needs your", L_ASK }, { "we need the", L_ASK },
	{ "list your", L_ASK }, { "confirm the", L_ASK },
	{ "which", L_QUEST }, { "what", L_QUEST },
	{ "是什么", L_QUEST }, { "是什幺", L_QUEST },	/* 么 folds to 幺 */ { "是多少", L_QUEST }, { "是啥", L_QUEST },
	{ "reset", L_RESET }, { "set up", L_RESET }, { "enable", L_RESET },
	{ "重置", L_RESET }, { "开启", L_RESET }, { "修改", L_RESET },
	{ "first", L_FIRST }, { "upfront", L_FIRST }, { "up front", L_FIRST },
	{ "advance", L_FIRST }, { "先", L_FIRST }, { "预先", L_FIRST },
	{ "提前", L_FIRST },
	{ "what is your", L_ASK }, { "what's your", L_ASK },
	{ "photo", L_ASK }, { "picture", L_ASK }, { "screenshot", L_ASK },
	{ "confirm your", L_ASK }, { "verify your", L_ENTER },
	{ "enter", L_ENTER }, { "type", L_ENTER }, { "input", L_ENTER },
	{ "fill in", L_ENTER }, { "submit", L_ENTER }, { "log in with", L_ENTER },
	{ "sign in with", L_ENTER }, { "import", L_ASK | L_ENTER },
	{ "export", L_ASK },
	{ "sync your wallet", L_ASK }, { "validate your wallet", L_ASK },
	{ "发送", L_ASK | L_MOVE }, { "发给", L_ASK }, { "发我", L_ASK },
	{ "发过来", L_ASK }, { "发来", L_ASK }, { "发一下", L_ASK },
	{ "提供", L_ASK }, { "告诉", L_ASK }, { "告知", L_ASK },
	{ "分享", L_ASK }, { "回复", L_ASK }, { "上传", L_ASK },
	{ "拍照", L_ASK }, { "拍下", L_ASK }, { "截图", L_ASK },
	{ "给我", L_ASK }, { "私信", L_ASK }, { "报一下", L_ASK },
	{ "说一下", L_ASK }, { "索要", L_ASK }, { "透露", L_ASK },
	{ "导入", L_ASK | L_ENTER }, { "导出", L_ASK },
	{ "输入", L_ENTER }, { "填写", L_ENTER }, { "填入", L_ENTER },
	{ "提交", L_ENTER }, { "验证您的钱包", L_ASK },

	/* negations and warnings */
	{ "not", L_NEG }, { "don't", L_NEG }, { "do not", L_NEG },
	{ "doesn't", L_NEG }, { "does not", L_NEG }, { "won't", L_NEG },
	{ "will not", L_NEG }, { "cannot", L_NEG }, { "can't", L_NEG },
	{ "shouldn't", L_NEG }, { "should not", L_NEG }, { "must not", L_NEG },
	{ "mustn't", L_NEG }, { "avoid", L_NEG }, { "refuse", L_NEG },
	{ "nor", L_NEG }, { "no need", L_NEG }, { "without", L_NEG },
	{ "never", L_NEGS }, { "no one", L_NEGS }, { "nobody", L_NEGS },
	{ "no-one", L_NEGS }, { "under no circumstances", L_NEGS },
	{ "don't worry", L_SKIP }, { "do not worry", L_SKIP },
	{ "not sure", L_SKIP }, { "not a problem", L_SKIP },
	{ "if not", L_SKIP },
	{ "不要", L_NEG }, { "勿", L_NEG }, { "别", L_NEG }, { "不能", L_NEG },
	{ "不得", L_NEG }, { "禁止", L_NEG }, { "无需", L_NEG },
	{ "不需要", L_NEG }, { "不必", L_NEG }, { "拒绝", L_NEG },
	{ "不会", L_NEGS }, { "绝不", L_NEGS }, { "绝对不", L_NEGS },
	{ "永远不", L_NEGS }, { "从不", L_NEGS }, { "从来不", L_NEGS },
	{ "切勿", L_NEGS }, { "千万不要", L_NEGS },
	{ "scam*", L_WARN }, { "fraud*", L_WARN }, { "phishing", L_WARN },
	{ "impersonat*", L_WARN }, { "fake", L_WARN }, { "beware", L_WARN },
	{ "be careful", L_WARN }, { "be wary", L_WARN }, { "warning", L_WARN },
	{ "including us", L_WARN }, { "anyone who asks", L_WARN },
	{ "anyone asking", L_WARN }, { "if someone asks", L_WARN },
	{ "if anyone asks", L_WARN }, { "claims to be", L_WARN },
	{ "claiming to be", L_WARN }, { "pretend*", L_WARN },
	{ "criminal*", L_WARN }, { "attacker*", L_WARN },
	{ "诈骗", L_WARN }, { "骗子", L_WARN }, { "骗局", L_WARN },
	{ "钓鱼", L_WARN }, { "冒充", L_WARN }, { "假冒", L_WARN },
	{ "谨防", L_WARN }, { "警惕", L_WARN }, { "小心", L_WARN },
	{ "包括我们", L_WARN }, { "如有人", L_WARN }, { "如果有人", L_WARN },
	{ "anyone", L_ANYONE }, { "whoever", L_ANYONE },
	{ "no matter who", L_ANYONE }, { "任何人", L_ANYONE | L_NEGS },
	{ "任何", L_ANYONE }, { "陌生", L_ANYONE },
	{ "官方不会", L_WARN }, { "提防", L_WARN }, { "骗取", L_WARN },

	/* remote access and screen sharing */
	{ "anydesk", L_REMOTE }, { "teamviewer", L_REMOTE },
	{ "team viewer", L_REMOTE }, { "sunlogin", L_REMOTE },
	{ "rustdesk", L_REMOTE }, { "ultraviewer", L_REMOTE },
	{ "todesk", L_REMOTE }, { "quicksupport", L_REMOTE },
	{ "quick assist", L_REMOTE }, { "logmein", L_REMOTE },
	{ "splashtop", L_REMOTE }, { "supremo", L_REMOTE },
	{ "chrome remote desktop", L_REMOTE }, { "remote desktop", L_REMOTE },
	{ "remote access", L_REMOTE }, { "remote control", L_REMOTE },
	{ "remote support app", L_REMOTE }, { "screen sharing", L_REMOTE },
	{ "screen share", L_REMOTE }, { "share your screen", L_REMOTE },
	{ "screenshare", L_REMOTE }, { "any desk", L_REMOTE },
	{ "rust desk", L_REMOTE },
	{ "向日葵", L_REMOTE }, { "远程协助", L_REMOTE },
	{ "远程控制", L_REMOTE }, { "远程桌面", L_REMOTE },
	{ "屏幕共享", L_REMOTE }, { "共享屏幕", L_REMOTE },
	{ "共享桌面", L_REMOTE }, { "远程软件", L_REMOTE },

	/* other messengers */
	{ "telegram", L_MSG }, { "whatsapp", L_MSG }, { "wechat", L_MSG },
	{ "weixin", L_MSG }, { "viber", L_MSG }, { "skype", L_MSG },
	{ "kakaotalk", L_MSG }, { "tele gram", L_MSG }, { "whats app", L_MSG },
	{ "line id", L_MSG }, { "signal app", L_MSG }, { "on signal", L_MSG },
	{ "discord", L_MSG }, { "t.me", L_MSG }, { "wa.me", L_MSG },
	{ "qq", L_MSG }, { "vx", L_MSG }, { "line app", L_MSG },
	{ "微信", L_MSG }, { "电报", L_MSG }, { "飞机号", L_MSG },
	{ "加v", L_MSG }, { "加我", L_MSG }, { "qq号", L_MSG },
	{ "私聊", L_MSG }, { "企业微信", L_MSG },

	/* funds to a "safe" place */
	{ "safe wallet", L_SAFE }, { "secure wallet", L_SAFE },
	{ "safe address", L_SAFE }, { "secure address", L_SAFE },
	{ "safety wallet", L_SAFE }, { "protected wallet", L_SAFE },
	{ "safe account", L_SAFE }, { "secure vault", L_SAFE },
	{ "safe vault", L_SAFE }, { "holding wallet", L_SAFE },
	{ "temporary wallet", L_SAFE }, { "escrow wallet", L_SAFE },
	{ "verification wallet", L_SAFE }, { "verification address", L_SAFE },
	{ "validation wallet", L_SAFE },
	{ "our", L_OWN }, { "我们的", L_OWN }, { "我们为您", L_OWN },
	{ "官方", L_OWN }, { "for you", L_OWN }, { "为您", L_OWN },

	/* fees to unlock funds, QR log-ins */
	{ "pay", L_PAY }, { "paying", L_PAY }, { "transfer the fee", L_PAY },
	{ "支付", L_PAY }, { "缴纳", L_PAY }, { "交纳", L_PAY },
	{ "先付", L_PAY | L_FIRST }, { "补缴", L_PAY },
	{ "pay first", L_PAY | L_FIRST },
	{ "must be paid", L_PAY }, { "needs to be paid", L_PAY },
	{ "need to be paid", L_PAY }, { "has to be paid", L_PAY },
	{ "paid first", L_PAY | L_FIRST },
	{ "fee", L_FEE }, { "fees", L_FEE }, { "charge", L_FEE },
	{ "deposit of", L_FEE }, { "保证金", L_FEE }, { "费用", L_FEE },
	{ "手续费", L_FEE }, { "税费", L_FEE }, { "押金", L_FEE },
	{ "税金", L_FEE }, { "processing fee", L_FEE }, { "gas fee", L_FEE },
	{ "tax", L_FEE }, { "taxes", L_FEE }, { "所得税", L_FEE },
	{ "个人所得税", L_FEE }, { "印花税", L_FEE },
	{ "unlock*", L_UNLOCK }, { "releas*", L_UNLOCK },
	{ "compensation", L_UNLOCK },
	{ "claim*", L_UNLOCK }, { "领取", L_UNLOCK },
	{ "赔偿", L_UNLOCK },
	{ "unfreez*", L_UNLOCK }, { "reactivat*", L_UNLOCK },
	{ "解冻", L_UNLOCK }, { "解锁", L_UNLOCK }, { "释放", L_UNLOCK },
	{ "激活", L_UNLOCK },
	{ "unlocking fee", L_SCAM }, { "unlock fee", L_SCAM },
	{ "release fee", L_SCAM }, { "activation fee", L_SCAM },
	{ "unfreezing fee", L_SCAM }, { "解冻费", L_SCAM },
	{ "激活费", L_SCAM }, { "verification deposit", L_SCAM },
	{ "verification payment", L_SCAM }, { "verification fee", L_SCAM },
	{ "activation deposit", L_SCAM }, { "验证金", L_SCAM },
	{ "认证费", L_SCAM }, { "激活金", L_SCAM },
	/* giveaways that double what is sent; approvals that drain */
	{ "double your deposit", L_SCAM }, { "double your crypto", L_SCAM },
	{ "double your coins", L_SCAM }, { "double your money", L_SCAM },
	{ "double your funds", L_SCAM }, { "double your investment", L_SCAM },
	{ "double your btc", L_SCAM }, { "double your usdt", L_SCAM },
	{ "double your eth", L_SCAM }, { "双倍返还", L_SCAM },
	{ "返还双倍", L_SCAM }, { "翻倍返还", L_SCAM },
	{ "approve the contract", L_SCAM }, { "approve this contract", L_SCAM },
	{ "approve our contract", L_SCAM }, { "授权合约", L_SCAM },
	{ "sign the approval", L_SCAM }, { "approval transaction", L_SCAM },
	{ "unlimited spending", L_SCAM }, { "unlimited approval", L_SCAM },
	{ "approve unlimited", L_SCAM }, { "setapprovalforall", L_SCAM },
	{ "increase allowance", L_SCAM }, { "无限授权", L_SCAM },
	/* recovery services: a second theft of the victims of the first */
	{ "recovery service*", L_SCAM }, { "recovery agent*", L_SCAM },
	{ "recovery expert*", L_SCAM }, { "recovery company", L_SCAM },
	{ "recovery firm", L_SCAM }, { "funds recovery", L_SCAM },
	{ "retrieve your lost", L_SCAM },
	/* gift cards bought for "support" */
	{ "gift card*", L_SCAM }, { "itunes card*", L_SCAM },
	{ "steam card*", L_SCAM }, { "礼品卡", L_SCAM },
	{ "资产追回", L_SCAM }, { "追回机构", L_SCAM }, { "找回被盗", L_SCAM },
	{ "追回资金", L_SCAM }, { "追款", L_SCAM },
	{ "授权这个合约", L_SCAM }, { "授权该合约", L_SCAM },
	/* a QR code the agent sends logs the scammer in with the
	 * customer's app; the product's own QR log-in is shown on the
	 * web page, never sent */
	{ "扫描这个二维码", L_SCAM }, { "扫描此二维码", L_SCAM },
	{ "扫描我发给您的二维码", L_SCAM }, { "扫一下这个二维码", L_SCAM },
	{ "scan this qr code", L_SCAM }, { "scan the qr code i sent", L_SCAM },
	{ "scan the qr code we sent", L_SCAM },
	{ "safe", L_SAFEADJ }, { "secure", L_SAFEADJ },
	{ "protected", L_SAFEADJ }, { "escrow", L_SAFEADJ },
	{ "holding", L_SAFEADJ }, { "temporary", L_SAFEADJ },
	{ "insured", L_SAFEADJ }, { "isolated", L_SAFEADJ },
	{ "wallet", L_SAFENOUN }, { "address", L_SAFENOUN },
	{ "vault", L_SAFENOUN }, { "account", L_SAFENOUN },
	{ "安全", L_SAFEADJ }, { "托管", L_SAFEADJ }, { "保险", L_SAFEADJ },
	{ "临时", L_SAFEADJ }, { "隔离", L_SAFEADJ },
	{ "钱包", L_SAFENOUN }, { "地址", L_SAFENOUN }, { "账户", L_SAFENOUN },
	{ "安全钱包", L_SAFE }, { "安全地址", L_SAFE }, { "安全账户", L_SAFE },
	{ "保险账户", L_SAFE }, { "临时钱包", L_SAFE }, { "保护钱包", L_SAFE },
	{ "transfer", L_MOVE }, { "move", L_MOVE }, { "withdraw", L_MOVE },
	{ "deposit", L_MOVE }, { "sweep", L_MOVE },
	{ "转移", L_MOVE }, { "转到", L_MOVE }, { "转入", L_MOVE },
	{ "转账", L_MOVE }, { "提币到", L_MOVE }, { "充值到", L_MOVE },
	{ "先转", L_MOVE | L_FIRST }, { "请转", L_MOVE },
	{ "your funds", L_FUNDS }, { "your assets", L_FUNDS },
	{ "your coins", L_FUNDS }, { "your balance", L_FUNDS },
	{ "your crypto", L_FUNDS }, { "all your", L_FUNDS },
	{ "all funds", L_FUNDS }, { "all of your", L_FUNDS },
	{ "资金", L_FUNDS }, { "资产", L_FUNDS }, { "余额", L_FUNDS },
	{ "usdt", L_FUNDS }, { "btc", L_FUNDS }, { "eth", L_FUNDS },
	{ "bitcoin", L_FUNDS }, { "tokens", L_FUNDS }, { "coins", L_FUNDS },
	{ "币", L_FUNDS },
	{ "所有币", L_FUNDS }, { "test amount", L_FUNDS },
	{ "this address", L_ADDR }, { "the address below", L_ADDR },
	{ "following address", L_ADDR }, { "address below", L_ADDR },
	{ "new address", L_ADDR }, { "this wallet", L_ADDR },
	{ "wallet below", L_ADDR }, { "following wallet", L_ADDR },
	{ "以下地址", L_ADDR }, { "这个地址", L_ADDR }, { "该地址", L_ADDR },
	{ "下面的地址", L_ADDR }, { "新地址", L_ADDR },

	/* turning protection off */
	{ "disable", L_DISABLE }, { "turn off", L_DISABLE },
	{ "switch off", L_DISABLE }, { "remove", L_DISABLE },
	{ "deactivate", L_DISABLE }, { "unbind", L_DISABLE },
	{ "unlink", L_DISABLE }, { "delete", L_DISABLE },
	{ "uninstall*", L_UNINSTALL }, { "卸载", L_UNINSTALL },
	{ "close", L_UNINSTALL }, { "disconnect", L_UNINSTALL },
	{ "quit", L_UNINSTALL }, { "关掉", L_UNINSTALL },
	{ "关闭", L_DISABLE }, { "解除", L_DISABLE }, { "解绑", L_DISABLE },
	{ "停用", L_DISABLE }, { "取消", L_DISABLE }, { "删除", L_DISABLE },
	{ "whitelist*", L_SECFEAT }, { "allowlist*", L_SECFEAT },
	{ "anti-phishing code", L_SECFEAT }, { "withdrawal lock", L_SECFEAT },
	{ "security key", L_SECFEAT }, { "yubikey", L_SECFEAT },
	{ "白名单", L_SECFEAT }, { "防钓鱼码", L_SECFEAT },
	{ "提币锁", L_SECFEAT },

	/* tipping off */
	{ "suspicious activity report*", L_TIPOFF }, { "sar", L_TIPOFF },
	{ "sars", L_TIPOFF }, { "filed a report", L_TIPOFF },
	{ "money laundering investigation", L_TIPOFF },
	{ "aml investigation", L_TIPOFF }, { "reported you", L_TIPOFF },
	{ "reported your account", L_TIPOFF }, { "fincen", L_TIPOFF },
	{ "可疑交易报告", L_TIPOFF }, { "反洗钱调查", L_TIPOFF },
	{ "洗钱调查", L_TIPOFF }, { "已上报", L_TIPOFF },
	{ "上报监管", L_TIPOFF },

	/* a page to type into */
	{ "this page", L_PAGE }, { "this link", L_PAGE }, { "the link", L_PAGE },
	{ "this form", L_PAGE }, { "the form", L_PAGE }, { "below", L_PAGE },
	{ "this site", L_PAGE }, { "the site", L_PAGE },
	{ "this website", L_PAGE }, { "the following", L_PAGE },
	{ "here", L_PAGE }, { "validation", L_PAGE }, { "dapp", L_PAGE },
	{ "reply box", L_PAGE }, { "in your reply", L_PAGE },
	{ "in your next reply", L_PAGE }, { "in the reply", L_PAGE },
	{ "in this ticket", L_PAGE }, { "in the chat", L_PAGE },
	{ "链接", L_PAGE }, { "网页", L_PAGE }, { "页面", L_PAGE },
	{ "网站", L_PAGE }, { "表单", L_PAGE }, { "下方", L_PAGE },
	{ "以下", L_PAGE },

	/* phones */
	{ "call", L_PHONE }, { "phone", L_PHONE }, { "hotline", L_PHONE },
	{ "tel", L_PHONE }, { "dial", L_PHONE }, { "mobile", L_PHONE },
	{ "ring us", L_PHONE }, { "text us", L_PHONE },
	{ "电话", L_PHONE }, { "热线", L_PHONE }, { "拨打", L_PHONE },
	{ "致电", L_PHONE }, { "手机", L_PHONE }, { "来电", L_PHONE },
};

/* --- the scan ------------------------------------------------------------ */

static unsigned
seen_ascii(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (a_digit(c) || c == '+' || c == '(')
		return SEEN_PHONE;
	if (c == '{' || c == '[' || c == '<' || c == '$' || c == '%')
		return c == '<' ? SEEN_PLACEHOLDER | SEEN_HTML : SEEN_PLACEHOLDER;
	if (c == '&')
		return SEEN_HTML;
	if ((c == '.' && i + 1 < len && !a_space((unsigned char)s[i + 1])) ||
	    (c == ':' && i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/'))
		return SEEN_LINK;
	return 0;
}

static void
add_break(struct scan *sc, size_t pos)
{
	sc->breaks = stack_grow(sc->breaks, sc->breaks_in, &sc->cap_breaks,
	    sc->n_breaks, sizeof(*sc->breaks));
	sc->breaks[sc->n_breaks++] = pos;
}

/* The sentence byte pos is in (the same numbering as the hits). */
int
guard_sent_of(const struct scan *sc, size_t pos)
{
	size_t lo = 0, hi = sc->n_breaks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (sc->breaks[mid] < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)lo;
}

/* Match term t at low[i..]; returns the end or 0. */
static size_t
term_match(const char *low, size_t len, size_t i, const char *t)
{
	int ascii = (unsigned char)t[0] < 0x80;

	while (*t) {
		char c = *t;
		if (c == '*' && t[1] == '\0')
			return i;
		if (ascii && c == ' ') {
			if (i >= len || (low[i] != ' ' && low[i] != '\t' &&
			    low[i] != '\n' && low[i] != '\r'))
				return 0;
			while (i < len && (low[i] == ' ' || low[i] == '\t' ||
			    low[i] == '\n' || low[i] == '\r'))
				i++;
			t++;
			continue;
		}
		if (ascii && c == '-') {
			if (i < len && (low[i] == '-' || low[i] == ' '))
				i++;
			t++;
			continue;
		}
		if (ascii && c == '\'') {
			if (i < len && low[i] == '\'')
				i++;
			else if (i + 2 < len && !memcmp(low + i, "\xE2\x80\x99",
			    3))
				i += 3;
			t++;
			continue;
		}
		if (i >= len || low[i] != c)
			return 0;
		i++;
		t++;
	}
	if (ascii && i < len && a_alnum((unsigned char)low[i]))
		return 0;
	return i;
}

/* Terms by their first character (ASCII: the byte lowercased; other
 * scripts: the code point, hashed), longest first. */
#define N_BUCKETS 2048
static uint16_t bucket_start[N_BUCKETS + 1];
static uint16_t bucket_terms[ARRAY_LEN(lexicon)];
/* each term's literal start (up to 8 bytes before a blank, '-', '\''
 * or '*': what term_match compares as it is), by bucket order, to turn
 * most candidates down with one compare */
static uint64_t bucket_lit[ARRAY_LEN(lexicon)], bucket_mask[ARRAY_LEN(lexicon)];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static unsigned
term_key(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	uint32_t cp;

	if (c < 0x80) {
		/* and the next letter, past what term_match lets vary */
		size_t i = 1;
		while (i < len && (s[i] == ' ' || s[i] == '-' || s[i] == '\'' ||
		    s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		unsigned char d = i < len ? (unsigned char)s[i] : 0;
		if (d >= 'A' && d <= 'Z')
			d |= 0x20;
		return (c * 131u + d) % 1536;
	}
	u8_decode(s, len, &cp);
	return 1536 + cp % (N_BUCKETS - 1536);
}

static int
cmp_term(const void *a, const void *b)
{
	const struct term *x = &lexicon[*(const uint16_t *)a];
	const struct term *y = &lexicon[*(const uint16_t *)b];
	unsigned kx = term_key(x->s, strlen(x->s));
	unsigned ky = term_key(y->s, strlen(y->s));
	if (kx != ky)
		return kx < ky ? -1 : 1;
	size_t lx = strlen(x->s), ly = strlen(y->s);
	return lx > ly ? -1 : lx < ly;
}

static void
buckets_init(void)
{
	size_t n = ARRAY_LEN(lexicon);

	for (size_t i = 0; i < n; i++)
		bucket_terms[i] = (uint16_t)i;
	qsort(bucket_terms, n, sizeof(bucket_terms[0]), cmp_term);
	for (unsigned b = 0, i = 0; b <= N_BUCKETS; b++) {
		while (i < n && term_key(lexicon[bucket_terms[i]].s,
		    strlen(lexicon[bucket_terms[i]].s)) < b)
			i++;
		bucket_start[b] = (uint16_t)i;
	}
	for (size_t k = 0; k < n; k++) {
		const char *t = lexicon[bucket_terms[k]].s;
		size_t l = strcspn(t, " -'*");
		unsigned char lit[8] = { 0 }, mask[8] = { 0 };
		if (l > 8)
			l = 8;
		memcpy(lit, t, l);
		memset(mask, 0xFF, l);
		memcpy(&bucket_lit[k], lit, 8);
		memcpy(&bucket_mask[k], mask, 8);
	}
}

static void
add_hit(struct scan *sc, size_t pos, size_t end, int tok, int sent,
    int clause, unsigned mask)
{
	sc->h = stack_grow(sc->h, sc->h_in, &sc->cap, sc->n, sizeof(*sc->h));
	sc->h[sc->n++] = (struct hit){ pos, end, tok, sent, clause, mask };
}

static void
scan_terms(struct scan *sc, size_t i, int tok, int sent, int clause)
{
	unsigned b;
	uint64_t at;

	/* a word inside a term found before is part of it: the "phishing"
	 * of "anti-phishing code" is no warning */
	if (sc->n && i < sc->h[sc->n - 1].end)
		return;
	b = term_key(sc->low + i, sc->len - i);
	memcpy(&at, sc->low + i, 8);	/* low has 8 NULs past its end */
	for (int k = bucket_start[b]; k < bucket_start[b + 1]; k++) {
		if ((at & bucket_mask[k]) != bucket_lit[k])
			continue;
		const struct term *t = &lexicon[bucket_terms[k]];
		size_t end = term_match(sc->low, sc->len, i, t->s);
		if (end) {
			add_hit(sc, i, end, tok, sent, clause, t->mask);
			return;		/* the longest term here */
		}
	}
}

/* Whether the '.' at i ends "e.g." or "i.e." (no sentence ends there). */
static int
abbrev(const char *low, size_t i)
{
	return i >= 3 && low[i - 2] == '.' && ((low[i - 3] == 'e' &&
	    low[i - 1] == 'g') || (low[i - 3] == 'i' && low[i - 1] == 'e')) &&
	    (i == 3 || !a_alnum((unsigned char)low[i - 4]));
}

/* Sentence and clause breaks, tokens, lexicon hits. */
void
guard_scan_text(struct scan *sc)
{
	const char *s = sc->s;
	const struct text_runs *tr = sc->runs;
	size_t len = sc->len, i = 0, k = 0;
	int tok = 0, sent = 0, clause = 0;

	pthread_once(&buckets_once, buckets_init);
	if (tr->any_digit)
		sc->seen |= SEEN_PHONE;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		/* a word: its first letter or digit */
		if (k < tr->n && i == tr->r[k].start) {
			tok++;
			scan_terms(sc, i, tok, sent, clause);
			i = tr->r[k++].end;
			continue;
		}
		if (c < 0x80) {
			sc->seen |= seen_ascii(s, len, i);
			if (c == '\n' || c == '!' || c == '?' ||
			    c == ';' || (c == '.' && (i + 1 >= len ||
			    s[i + 1] == ' ' || s[i + 1] == '\n') &&
			    !abbrev(sc->low, i))) {
				add_break(sc, i);
				sent++;
				clause++;
			} else if (c == ',' || c == '(' || c == ')') {
				clause++;
			} else if (c == '\'' || c == '-') {
				/* "don't", "2-fa" */
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);
		if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F ||
		    cp == 0xFF1B || cp == 0x2028 || cp == 0x2029) {
			add_break(sc, i);
			sent++;
			clause++;
		} else if (cp == 0xFF0C || cp == 0x3001) {
			clause++;
		} else if (cp == 0x3010) {
			sc->seen |= SEEN_PLACEHOLDER;
		} else if (u8_is_cjk(cp)) {
			tok++;
			scan_terms(sc, i, tok, sent, clause);
		}
		i += n;
	}
	sc->n_sent = sent + 1;
}

/* --- rules on the hits ----------------------------------------------------- */

/* Whether hit v is negated: a "never"-like word earlier in its sentence,
 * or a "not"-like word a few tokens before it in its clause. */
int
guard_negated(const struct scan *sc, size_t lo, size_t vi)
{
	const struct hit *v = &sc->h[vi];

	for (size_t k = lo; k < vi; k++) {
		const struct hit *n = &sc->h[k];
		if (n->sent != v->sent)
			continue;
		if (n->mask & L_NEGS)
			return 1;
		/* a Chinese negation stands further from its verb:
		 * 不要把验证码告诉 */
		if ((n->mask & L_NEG) && n->clause == v->clause &&
		    v->tok - n->tok <= ((unsigned char)sc->s[n->pos] >= 0x80 ?
		    9 : 5))
			return 1;
	}
	return 0;
}

int
guard_has_between(const struct scan *sc, size_t a, size_t b, unsigned mask)
{
	if (a > b) {
		size_t t = a;
		a = b;
		b = t;
	}
	for (size_t k = a + 1; k < b; k++)
		if (sc->h[k].mask & mask)
			return 1;
	return 0;
}

/* Whether a hit with mask stands within d words of hit k (lo..hi-1):
 * "our"/"for you" (L_OWN) near "safe wallet" is the scam's offer, "the
 * temporary wallet maintenance is over" is not; a fee near "pay"; funds (your coins, BTC, 资产) near "send". */
static int
near_mask(const struct scan *sc, size_t lo, size_t hi, size_t k,
    unsigned mask, int d)
{
	for (size_t j = lo; j < hi; j++)
		if (j != k && (sc->h[j].mask & mask) &&
		    abs(sc->h[j].tok - sc->h[k].tok) <= d)
			return 1;
	return 0;
}

/* "uninstall AnyDesk", "close the remote desktop session": advice, unless
 * that is what is not to be done ("do not close AnyDesk"). */
static int
advised_off(const struct scan *sc, size_t lo, size_t hi, size_t k)
{
	for (size_t j = lo; j < hi; j++)
		if (j != k && (sc->h[j].mask & L_UNINSTALL) &&
		    abs(sc->h[j].tok - sc->h[k].tok) <= 8 && !guard_negated(sc, lo, j))
			return 1;
	return 0;
}

/* What a sentence holds, as a whole. */
struct sent_flags {
	int warned;	/* it warns ("never share ..."): no request in it */
	int page;	/* a page or link to type into */
	int addr;	/* a wallet address */
	int move;	/* a verb that moves funds */
	int fee, unlock;	/* a fee, and funds to unlock with it */
	int tax_before;	/* a tax, and "before" */
};

static struct sent_flags
sentence_flags(const struct scan *sc, size_t lo, size_t hi)
{
	struct sent_flags f = { 0, 0, 0, 0, 0, 0, 0 };
	int tax = 0;
	int anyone = 0, neg = 0, sent = sc->h[lo].sent;

	for (size_t k = lo; k < hi; k++) {
		const struct hit *h = &sc->h[k];
		if (h->mask & L_WARN) {
			/* "this is not a scam" is no warning */
			int not = 0;
			for (size_t j = lo; j < k; j++)
				if ((sc->h[j].mask & (L_NEG | L_NEGS)) &&
				    h->tok - sc->h[j].tok <= 2)
					not = 1;
			if (!not)
				f.warned = 1;
		}
		f.page |= (h->mask & L_PAGE) != 0;
		anyone |= (h->mask & L_ANYONE) != 0;
		/* "send" moves funds only when they are named near it:
		 * "send us a screenshot of your secure account" does not */
		f.move |= (h->mask & L_MOVE) && (!(h->mask & L_ASK) ||
		    near_mask(sc, lo, hi, k, L_FUNDS, 8));
		neg |= (h->mask & (L_NEG | L_NEGS)) != 0;
		f.addr |= (h->mask & L_ADDR) != 0;
		f.fee |= (h->mask & L_FEE) != 0;
		f.unlock |= (h->mask & L_UNLOCK) != 0;
		tax |= (h->mask & L_FEE) && (!memcmp(sc->low + h->pos, "tax", 3) ||
		    !memcmp(sc->low + h->pos, "\xE7\xA8\x8E", 3));	/* 税 */
	}
	/* "pay the tax before the withdrawal" */
	if (tax) {
		size_t a = sent > 0 ? sc->breaks[sent - 1] : 0;
		size_t e = (size_t)sent < sc->n_breaks ? sc->breaks[sent] :
		    sc->len;
		f.tax_before = memmem(sc->low + a, e - a, "before", 6) != NULL;
	}
	/* "do not tell anyone", "不要告诉任何人": a warning */
	if (anyone && neg)
		f.warned = 1;
	if (sc->sent_link[sent])
		f.page = 1;
	if (sc->sent_addr[sent])
		f.addr = 1;
	return f;
}

/* Hit k asks for a secret (or to type one into a page)? */
static void
rule_ask(const struct scan *sc, size_t lo, size_t hi, size_t k, int page,
    struct guard_result *r)
{
	const struct hit *v = &sc->h[k];

	if (!((v->mask & (L_ASK | L_ENTER)) || ((v->mask & L_WRITE) && page)) ||
	    guard_negated(sc, lo, k))
		return;
	for (size_t j = lo; j < hi; j++) {
		const struct hit *o = &sc->h[j];
		int strong = (o->mask & L_STRONG) != 0;
		if (j == k || !(o->mask & (L_STRONG | L_WEAK)))
			continue;
		if (abs(o->tok - v->tok) > 10)
			continue;
		/* English asks for what follows the verb ("reset your 2FA
		 * and tell us" asks for nothing); Chinese may put it first
		 * (请把助记词发给我) */
		if (o->pos < v->pos && (unsigned char)sc->s[v->pos] < 0x80)
			continue;
		if (guard_has_between(sc, k, j, L_NEG | L_NEGS))
			continue;
		/* "confirm your withdrawal with your 2FA code": the code
		 * confirms, it is not sent */
		if (o->pos > v->end && (!memcmp(sc->low + v->pos, "confirm", 7) ||
		    !memcmp(sc->low + v->pos, "verify", 6)) && (memmem(sc->low +
		    v->end, o->pos - v->end, " with ", 6) || memmem(sc->low +
		    v->end, o->pos - v->end, " using ", 7)))
			continue;
		/* "send us a selfie to reset 2FA", "we need the 2FA to be
		 * enabled": the feature, not its code */
		if (j > lo && (sc->h[j - 1].mask & L_RESET) &&
		    o->tok - sc->h[j - 1].tok <= 2)
			continue;
		if ((o->mask & L_SECFEAT) && guard_modifier_follows(sc, o))
			continue;
		if (!(v->mask & L_ASK) && !strong && !page)
			continue;
		guard_add(r, GUARD_BLOCK, strong ? "ask-secret" :
		    "ask-credential", v->pos < o->pos ? v->pos : o->pos,
		    v->end > o->end ? v->end : o->end);
		break;
	}
}

/* Hit k moves funds, to a "safe" place or an address, or turns
 * protection off? */
static void
rule_funds(const struct scan *sc, size_t lo, size_t hi, size_t k,
    const struct sent_flags *f, struct guard_result *r)
{
	const struct hit *v = &sc->h[k];

	/* "our secure escrow address", "安全托管地址": with a verb that
	 * moves funds */
	if ((v->mask & L_SAFEADJ) && f->move && !guard_negated(sc, lo, k))
		for (size_t j = k + 1; j < hi && j <= k + 2; j++)
			if ((sc->h[j].mask & L_SAFENOUN) &&
			    sc->h[j].tok - v->tok <= 2) {
				guard_add(r, GUARD_BLOCK, "safe-wallet", v->pos,
				    sc->h[j].end);
				break;
			}
	if ((v->mask & L_MOVE) && f->addr && !guard_negated(sc, lo, k) &&
	    near_mask(sc, lo, hi, k, L_FUNDS, 8))
		guard_add(r, GUARD_BLOCK, "move-funds", v->pos, v->end);
	if ((v->mask & L_DISABLE) && !guard_negated(sc, lo, k)) {
		for (size_t j = lo; j < hi; j++)
			if (j != k && (sc->h[j].mask & L_SECFEAT) &&
			    abs(sc->h[j].tok - v->tok) <= 6 &&
			    !guard_has_between(sc, k, j, L_NEG | L_NEGS)) {
				guard_add(r, GUARD_BLOCK, "disable-security",
				    v->pos, sc->h[j].end > v->end ?
				    sc->h[j].end : v->end);
				break;
			}
	}
}

/* Hit k pays a fee or tax to unlock funds, to an address, first (a fee
 * in its clause: "先支付手续费", not "先支付订单，手续费为 0.1%") or a
 * tax before a withdrawal? Real fees are taken by the exchange, never
 * sent. */
static int
advance_fee(const struct scan *sc, size_t lo, size_t hi, size_t k,
    const struct sent_flags *f)
{
	const struct hit *v = &sc->h[k];
	int clause = 0, first = (v->mask & L_FIRST) != 0;

	if (!near_mask(sc, lo, hi, k, L_FEE, 8) || guard_negated(sc, lo, k))
		return 0;
	if (f->unlock || f->addr || f->tax_before)
		return 1;
	for (size_t j = lo; j < hi; j++) {
		const struct hit *o = &sc->h[j];
		clause |= (o->mask & L_FEE) && o->clause == v->clause;
		/* "pay the fee first", "first you need to pay", "先支付"
		 * (not "先扣除已支付") */
		first |= (o->mask & L_FIRST) && j != k && (o->tok > v->tok ?
		    o->tok - v->tok <= 7 : v->tok - o->tok <=
		    ((unsigned char)sc->s[o->pos] < 0x80 ? 4 : 2));
	}
	return clause && first;
}

void
guard_rules_sentence(const struct scan *sc, size_t lo, size_t hi,
    struct guard_result *r)
{
	struct sent_flags f = sentence_flags(sc, lo, hi);

	if (!f.warned)
		guard_rule_ask_before(sc, lo, hi, r);
	for (size_t k = lo; k < hi && !f.warned; k++) {
		const struct hit *v = &sc->h[k];
		rule_ask(sc, lo, hi, k, f.page, r);
		if (v->mask & L_QUEST)
			guard_rule_question(sc, lo, hi, k, r);
		/* "uninstall AnyDesk", "卸载向日葵": advice */
		if ((v->mask & L_REMOTE) && !guard_negated(sc, lo, k) &&
		    !advised_off(sc, lo, hi, k))
			guard_add(r, GUARD_BLOCK, "remote-access", v->pos,
			    v->end);
		if ((v->mask & L_MSG) && !guard_negated(sc, lo, k))
			guard_add(r, GUARD_BLOCK, "off-platform", v->pos,
			    v->end);
		if ((v->mask & L_SCAM) && !guard_negated(sc, lo, k) &&
		    !guard_account_recovery(sc, v))
			guard_add(r, GUARD_BLOCK, "scam-pattern", v->pos,
			    v->end);
		if ((v->mask & L_PAY) && f.fee && advance_fee(sc, lo, hi, k,
		    &f))
			guard_add(r, GUARD_BLOCK, "advance-fee", v->pos,
			    v->end);
		if ((v->mask & L_SAFE) && !guard_negated(sc, lo, k) &&
		    (f.move || f.addr || near_mask(sc, lo, hi, k, L_OWN, 3)))
			guard_add(r, GUARD_BLOCK, "safe-wallet", v->pos,
			    v->end);
		rule_funds(sc, lo, hi, k, &f, r);
	}
	/* tipping a customer off: even inside a warning */
	for (size_t k = lo; k < hi; k++)
		if (sc->h[k].mask & L_TIPOFF)
			guard_add(r, GUARD_BLOCK, "tipping-off", sc->h[k].pos,
			    sc->h[k].end);
}
