/* SPDX-License-Identifier: MIT */
/*
 * The offline demo desk: a deterministic queue of a crypto exchange's
 * support team, generated from a seed and fed through the same JSON ingest
 * path as sync, so `tdesk demo` looks and behaves like a real desk.
 */
#include "store/store.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- content: everything a customer or an agent says ------------------- */

/*
 * Templates use {slot} placeholders filled per ticket (see demo_slots).
 * Index 0 of each pair is English, 1 is Simplified Chinese.
 */
struct demo_pool {
	const char *const *s;
	size_t n;
};
#define POOL(a) { (a), ARRAY_LEN(a) }

enum demo_group {
	G_SECURITY, G_FUNDS, G_KYC, G_TRADING, G_COMPLIANCE, G_API, G_TIER1,
	G_COUNT
};

static const char *const demo_group_names[G_COUNT] = {
	"Account Security", "Deposits & Withdrawals", "KYC", "Trading",
	"Compliance", "API Support", "Tier 1",
};

enum demo_chain_kind { CH_NONE, CH_ANY, CH_MEMO, CH_WRONGNET };
enum demo_long_kind { LONG_NONE, LONG_WSLOG, LONG_ORDERS, LONG_DEPOSITS };

struct demo_topic {
	int weight;
	enum demo_group group;
	const char *type;
	int prio;		/* 0 low, 1 normal, 2 high, 3 urgent */
	int urgent_pct;		/* how often the customer shouts */
	enum demo_chain_kind chain;
	enum demo_long_kind longk;
	const char *tags[3];
	struct demo_pool subj[2], body[2], reply[2], done[2], note;
};

/* account access: locked login */
static const char *const lock_subj_en[] = {
	"Can't log in - account locked",
	"Account locked after too many password attempts",
	"Login keeps saying 'account temporarily locked'",
	"Locked out of my account, please help",
};
static const char *const lock_subj_zh[] = {
	"账户被锁定，无法登录",
	"登录提示账户已锁定",
	"多次输错密码后账号被锁了",
	"无法登录APP，一直提示异常",
};
static const char *const lock_body_en[] = {
	"I tried to log in this morning from my new phone and after a few "
	"attempts it says my account is temporarily locked. I have {amount} "
	"{coin} in my spot wallet and I need to move it today. My UID is "
	"{uid}. How long does the lock last?",
	"Since around {time} I can't log in on web or app. It shows 'Login "
	"restricted for security reasons'. I did not change anything except "
	"my laptop. UID {uid}, email is the one on this ticket.",
	"Your app logged me out and now it won't let me back in. Error: "
	"'Account locked. Please contact support.' I have open futures "
	"positions on {pair} and I can't manage them!!",
};
static const char *const lock_body_zh[] = {
	"我今天早上换了新手机登录，输了几次密码之后提示账户被临时锁定。"
	"我的UID是{uid}，现货账户里还有{amount} {coin}，今天必须要转出，"
	"请问多久能解锁？",
	"从{time}开始网页和APP都登录不了，提示“出于安全原因限制登录”。"
	"我只是换了台电脑，别的都没改。",
	"APP把我踢出来之后就再也登不上了，提示“账户已锁定，请联系客服”。"
	"我还有{pair}的合约仓位没平，急！",
};
static const char *const lock_reply_en[] = {
	"Hi {name},\n\nThanks for reaching out. For your protection, logins "
	"are locked for 2 hours after several failed attempts or a sign-in "
	"from a new device. To unlock it sooner, please confirm the following "
	"from the email address registered on the account:\n"
	"1. the approximate date you opened the account\n"
	"2. the last deposit you made (coin and rough amount)\n\n"
	"We will never ask for your password or 2FA codes.\n\n"
	"Best regards,\n{agent}\nKestrel Support",
	"Hi {name},\n\nI can see the lock on UID {uid}: it was triggered by a "
	"login from a new device and location at {time}. If that was you, "
	"just reply 'it was me' from your registered email and I will lift "
	"it. If it was not you, tell me right away and we will keep the "
	"account frozen and help you secure it.\n\n{agent}",
};
static const char *const lock_reply_zh[] = {
	"{name}您好，\n\n为了保护您的资产安全，多次输错密码或在新设备登录后，"
	"账户会被临时锁定2小时。如需提前解锁，请使用注册邮箱回复以下信息：\n"
	"1. 大概的开户时间\n2. 最近一次充值的币种和大致金额\n\n"
	"我们不会向您索要密码或谷歌验证码。\n\nKestrel 客服 {agent}",
	"{name}您好，我们看到UID {uid} 在{time}有一次新设备、新地点的登录，"
	"因此触发了锁定。如果是您本人操作，请用注册邮箱回复“是我本人”，"
	"我们会为您解除；如果不是您本人，请立即告诉我们，我们会保持冻结并"
	"协助您处理。",
};
static const char *const lock_done_en[] = {
	"Hi {name}, the lock has been lifted and you should be able to log "
	"in now. We recommend turning on passkey login in Security settings "
	"so this doesn't happen again. Have a good day!\n\n{agent}",
};
static const char *const lock_done_zh[] = {
	"{name}您好，锁定已解除，现在可以正常登录了。建议在安全设置中开启"
	"通行密钥登录，避免再次出现这种情况。祝您交易愉快！",
};
static const char *const lock_note[] = {
	"Login from new device (iPhone, {ip}) at {time}, geo matches "
	"previous logins. Low risk, OK to unlock after email confirmation.",
	"Risk engine flagged velocity on this UID: 7 failed attempts in "
	"3 min from {ip}. Check with Security before unlocking.",
};

/* account access: password reset */
static const char *const pwd_subj_en[] = {
	"Password reset email never arrives",
	"Reset password link expired",
	"Can't reset my password",
	"Forgot password - no email received",
};
static const char *const pwd_subj_zh[] = {
	"收不到重置密码的邮件",
	"重置密码链接已失效",
	"忘记密码怎么办",
	"修改密码后24小时不能提现？",
};
static const char *const pwd_body_en[] = {
	"I clicked 'Forgot password' five times and no email arrives, I "
	"checked spam too. The address is the one I'm writing from. Can you "
	"resend it?",
	"The reset link you send says 'link expired' even though I click it "
	"within a minute. Tried on Chrome and Safari. Please advise.",
	"I reset my password yesterday and now withdrawals are disabled for "
	"24 hours?? Nobody told me that. I need to withdraw {amount} {coin} "
	"today.",
};
static const char *const pwd_body_zh[] = {
	"点了五次“忘记密码”都没收到邮件，垃圾箱也看过了。注册邮箱就是我现在"
	"发信的这个，麻烦帮忙重发一下。",
	"重置密码的链接打开就说已失效，我一收到就点了，Chrome 和 Safari "
	"都试过。",
	"我昨天改了密码，结果现在24小时内不能提现？之前没有任何提示。"
	"我今天必须提{amount} {coin}。",
};
static const char *const pwd_reply_en[] = {
	"Hi {name},\n\nSorry for the trouble. Some mail providers delay our "
	"messages by up to 15 minutes. Please add noreply@kestrel.example to "
	"your contacts and request the reset once more; the link is valid "
	"for 30 minutes and only the most recent one works.\n\nIf it still "
	"doesn't arrive, reply here and I'll check the delivery logs.\n\n"
	"Best,\n{agent}",
	"Hi {name},\n\nThe 24-hour withdrawal pause after a password change "
	"is a security measure: if someone else changed your password, it "
	"gives you time to notice before funds can leave. It ends "
	"automatically at {time} tomorrow. Trading and deposits are not "
	"affected.\n\n{agent}",
};
static const char *const pwd_reply_zh[] = {
	"{name}您好，\n\n部分邮箱服务商会延迟15分钟左右投递我们的邮件。请把 "
	"noreply@kestrel.example 加入联系人后再申请一次，链接30分钟内有效，"
	"且只有最新的一封有效。如果仍然收不到，请回复本工单，我帮您查投递"
	"日志。\n\nKestrel 客服 {agent}",
	"{name}您好，修改密码后24小时内暂停提现是安全保护措施：如果密码是被"
	"他人修改的，您有时间发现并处理。限制会在明天{time}自动解除，交易和"
	"充值不受影响。",
};
static const char *const pwd_done_en[] = {
	"Hi {name}, our mail logs show the reset email was delivered at "
	"{time}. Glad you're back in! I'll mark this as solved.\n\n{agent}",
};
static const char *const pwd_done_zh[] = {
	"{name}您好，邮件日志显示重置邮件已在{time}送达，很高兴您已经恢复"
	"登录。本工单先为您标记为已解决。",
};
static const char *const pwd_note[] = {
	"Customer's mail provider bounced us (550 mailbox full). Asked them "
	"to clear the mailbox.",
	"Mail logs: 5 sends, all delivered. Probably filtered by a corporate "
	"mail gateway.",
};

/* account access: 2FA lost */
static const char *const tfa_subj_en[] = {
	"Lost my phone, need to reset 2FA",
	"Google Authenticator codes not working",
	"New phone, authenticator app is empty",
	"2FA reset request",
};
static const char *const tfa_subj_zh[] = {
	"手机丢了，谷歌验证器无法使用",
	"谷歌验证码一直提示错误",
	"换手机后验证器没了，怎么重置",
	"申请重置二次验证",
};
static const char *const tfa_body_en[] = {
	"My phone was stolen yesterday and my authenticator app was on it. "
	"I have my password but can't get past the 2FA screen. What do I "
	"need to do? I have about {amount} {coin} on the account.",
	"Every Google Authenticator code I enter is rejected ('invalid "
	"code'). I checked the time on my phone, it's automatic. UID {uid}.",
	"I moved to a new phone and didn't transfer the authenticator. The "
	"old phone is wiped. Please reset my 2FA.",
};
static const char *const tfa_body_zh[] = {
	"我手机昨天被偷了，谷歌验证器在上面。密码我记得，但是过不了二次验证。"
	"账户里有大概{amount} {coin}，该怎么办？",
	"谷歌验证码输入一直提示“验证码错误”，手机时间是自动同步的。"
	"UID：{uid}。",
	"换了新手机，没有迁移验证器，旧手机已经恢复出厂了。请帮我重置谷歌"
	"验证。",
};
static const char *const tfa_reply_en[] = {
	"Hi {name},\n\nNo problem, we can help you reset 2FA. Please start "
	"the self-service reset with 'Lost 2FA device' on the login page. "
	"You'll be asked for a selfie with your {doc}; this usually "
	"completes within 1 hour.\n\nImportant: never send your 2FA codes, "
	"password or recovery phrase to anyone, including us.\n\n{agent}\n"
	"Kestrel Support",
	"Hi {name},\n\n'Invalid code' with a correct clock usually means the "
	"authenticator entry belongs to an older key. Please check whether "
	"you have more than one 'Kestrel' entry in the app and try the "
	"newest one. If that doesn't work, use the 'Lost 2FA device' flow "
	"and we'll verify you by selfie.\n\n{agent}",
};
static const char *const tfa_reply_zh[] = {
	"{name}您好，\n\n我们可以帮您重置二次验证。请在登录页面点击“安全验证"
	"不可用”开始自助重置，系统会要求您手持{doc}自拍，通常1小时内完成"
	"审核。\n\n温馨提示：请勿向任何人（包括客服）发送谷歌验证码、密码或"
	"助记词。\n\nKestrel 客服 {agent}",
	"{name}您好，时间同步正确但仍提示错误，通常是因为验证器里保存的是"
	"旧密钥。请检查App里是否有多个“Kestrel”条目，试一下最新的那个。"
	"如果还是不行，请走“安全验证不可用”流程，我们会通过人脸认证核实"
	"身份。",
};
static const char *const tfa_done_en[] = {
	"Hi {name}, the 2FA reset is complete. Please bind a new "
	"authenticator right away; withdrawals stay paused for 24 hours "
	"after a reset, as a safety measure.\n\n{agent}",
};
static const char *const tfa_done_zh[] = {
	"{name}您好，二次验证已重置成功。请尽快绑定新的验证器；出于安全考虑，"
	"重置后24小时内暂停提现。",
};
static const char *const tfa_note[] = {
	"Selfie check passed (liveness 0.97), face matches the KYC photo. "
	"Approved 2FA reset.",
	"Selfie rejected twice: face doesn't match the KYC record. Do not "
	"reset; escalate to Account Security.",
	"人脸比对通过，已批准重置，提现冻结24小时。",
};

/* KYC: stuck */
static const char *const kycs_subj_en[] = {
	"Verification pending for 5 days",
	"KYC stuck on 'under review'",
	"How long does identity verification take?",
	"Advanced verification still processing",
};
static const char *const kycs_subj_zh[] = {
	"身份认证审核中已经5天了",
	"KYC一直显示审核中",
	"高级认证要多久？",
	"实名认证卡住了",
};
static const char *const kycs_body_en[] = {
	"I submitted my {doc} and selfie on {date} and it still says 'under "
	"review'. I can't deposit fiat until it's done. Is something wrong?",
	"My verification has been pending for days. Other exchanges "
	"verified me in minutes. UID {uid}. Please speed this up, I'm "
	"missing the market.",
	"I'm trying to complete advanced verification to raise my "
	"withdrawal limit, but the proof of address step has been "
	"processing since last week.",
};
static const char *const kycs_body_zh[] = {
	"我在{date}提交了{doc}和自拍，到现在还是“审核中”，认证不通过就不能"
	"入金法币，是不是哪里出问题了？",
	"实名认证好几天了一直没结果，别的交易所几分钟就通过了。UID：{uid}。"
	"麻烦加快一下。",
	"我在做高级认证想提高提现额度，地址证明那一步从上周一直处理中。",
};
static const char *const kycs_reply_en[] = {
	"Hi {name},\n\nThanks for your patience. Verification volume is high "
	"this week and reviews are taking up to 72 hours. I've checked your "
	"application and it's complete, so there's nothing more you need to "
	"upload. I'll keep an eye on it.\n\n{agent}",
	"Hi {name},\n\nYour application is in manual review because the name "
	"on your {doc} is written differently from your profile (word "
	"order). The KYC team is handling it now; you'll get an email as "
	"soon as it's decided.\n\n{agent}",
};
static const char *const kycs_reply_zh[] = {
	"{name}您好，\n\n感谢耐心等待。本周认证申请较多，审核最长需要72小时。"
	"我看了您的资料是完整的，不需要再上传，我会持续跟进。\n\n"
	"Kestrel 客服 {agent}",
	"{name}您好，您的申请进入了人工审核，原因是{doc}上的姓名与资料中的"
	"拼写顺序不一致。认证团队正在处理，结果会通过邮件通知您。",
};
static const char *const kycs_done_en[] = {
	"Hi {name}, good news: your verification has been approved and your "
	"limits are updated. Thanks for waiting!\n\n{agent}",
};
static const char *const kycs_done_zh[] = {
	"{name}您好，好消息：您的身份认证已通过，额度已更新。感谢耐心等待！",
};
static const char *const kycs_note[] = {
	"OCR vendor timed out on this application, re-queued manually.",
	"Name order mismatch (family name first on the {doc}). KYC team "
	"ack'd, ETA today.",
	"资料齐全，已催审核组。",
};

/* KYC: rejected */
static const char *const kycr_subj_en[] = {
	"Documents rejected again",
	"Why was my verification rejected?",
	"KYC failed: 'document unclear'",
	"Proof of address not accepted",
};
static const char *const kycr_subj_zh[] = {
	"认证资料又被驳回了",
	"为什么我的实名认证被拒绝",
	"KYC失败：证件照片不清晰",
	"地址证明不通过",
};
static const char *const kycr_body_en[] = {
	"This is the third time my {doc} got rejected with 'document "
	"unclear'. The photo is perfectly sharp. What exactly is the "
	"problem?",
	"My proof of address was rejected. It's a bank statement from last "
	"month with my full name and address. What else do you want?",
	"Verification failed and the app just says 'not eligible'. I live "
	"in {country}, is that the reason?",
};
static const char *const kycr_body_zh[] = {
	"我的{doc}已经第三次被驳回了，理由是“证件不清晰”，可照片明明很清楚。"
	"到底是什么问题？",
	"地址证明被拒了，我上传的是上个月的银行流水，有全名和地址，还需要"
	"什么？",
	"认证失败，APP只提示“不符合条件”，是因为我所在的地区吗？",
};
static const char *const kycr_reply_en[] = {
	"Hi {name},\n\nI looked at the rejected upload: the four corners of "
	"the {doc} are cut off and there's glare over the date of birth. "
	"Please retake it on a dark, flat surface without flash, with the "
	"whole document in frame. Screenshots or photos of scans aren't "
	"accepted.\n\n{agent}",
	"Hi {name},\n\nProof of address must be issued within the last 3 "
	"months and show the same name as your ID. Your statement lists a "
	"joint account holder first, which the system couldn't match. A "
	"utility bill or a statement in your name alone will work.\n\n"
	"{agent}",
};
static const char *const kycr_reply_zh[] = {
	"{name}您好，\n\n我查看了被驳回的照片：{doc}四个角没有拍全，出生日期处"
	"有反光。请在深色平整的桌面上、不开闪光灯重新拍摄，确保证件完整入镜，"
	"不接受截图或翻拍。\n\nKestrel 客服 {agent}",
	"{name}您好，地址证明需为近3个月内出具、且姓名与身份证件一致。您上传"
	"的流水首位户名是共同账户持有人，系统无法匹配。请上传仅含您本人姓名的"
	"水电账单或银行对账单。",
};
static const char *const kycr_done_en[] = {
	"Hi {name}, your new documents passed review and your account is now "
	"fully verified.\n\n{agent}",
};
static const char *const kycr_done_zh[] = {
	"{name}您好，您重新提交的资料已审核通过，账户认证完成。",
};
static const char *const kycr_note[] = {
	"The image is a photo of a screen (moire visible). Asked for a fresh "
	"photo.",
	"Resident of a restricted region per IP and documents. Do not "
	"approve; route to Compliance if the customer disputes.",
};

/* deposits: not credited */
static const char *const dep_subj_en[] = {
	"{coin} deposit not credited",
	"Deposit not showing after 3 hours",
	"Sent {amount} {coin}, balance still 0",
	"Missing deposit - tx hash inside",
};
static const char *const dep_subj_zh[] = {
	"{coin}充值未到账",
	"充值3小时了还没到账",
	"转了{amount} {coin}，余额还是0",
	"充值不到账，附交易哈希",
};
static const char *const dep_body_en[] = {
	"I deposited {amount} {coin} via {net} at {time} and it's not in my "
	"account. The transaction is confirmed on the explorer.\n"
	"Tx hash: {tx}\nDeposit address: {addr}",
	"My {coin} deposit from another exchange hasn't arrived. They say "
	"it's completed on their side. TxID {tx}. Please check.",
	"Sent {amount} {coin} over {net} more than 3 hours ago. Explorer "
	"shows success but your app shows nothing, not even 'pending'. "
	"Where is my money?",
};
static const char *const dep_body_zh[] = {
	"我在{time}通过{net}充值了{amount} {coin}，区块浏览器上已经确认了，"
	"但账户里没有。\n交易哈希：{tx}\n充值地址：{addr}",
	"从别的交易所转过来的{coin}一直没到账，对方说已经完成了。"
	"TxID：{tx}，麻烦查一下。",
	"三个多小时前通过{net}转了{amount} {coin}，浏览器显示成功，你们APP里"
	"连“确认中”都没有，钱去哪了？",
};
static const char *const dep_reply_en[] = {
	"Hi {name},\n\nThanks for the transaction hash. I can see the "
	"transfer on-chain; it needs 12 network confirmations before it's "
	"credited and currently has fewer than that. It should appear "
	"automatically within the next hour; no action is needed from "
	"you.\n\n{agent}",
	"Hi {name},\n\nTo trace this deposit, could you send the transaction "
	"hash (TxID) and a screenshot of the withdrawal record from the "
	"sending platform? Please don't include passwords or verification "
	"codes in the screenshot.\n\n{agent}",
};
static const char *const dep_reply_zh[] = {
	"{name}您好，\n\n感谢提供交易哈希。链上可以查到这笔转账，需要12个网络"
	"确认后才会入账，目前确认数还不够。预计1小时内自动到账，您无需任何"
	"操作。\n\nKestrel 客服 {agent}",
	"{name}您好，为了追查这笔充值，请提供交易哈希（TxID）以及转出平台的"
	"提现记录截图。截图中请不要包含密码或验证码。",
};
static const char *const dep_done_en[] = {
	"Hi {name}, the {amount} {coin} deposit has been credited to your "
	"spot wallet. Sorry for the wait!\n\n{agent}",
};
static const char *const dep_done_zh[] = {
	"{name}您好，{amount} {coin}已经入账到您的现货账户，抱歉让您久等了！",
};
static const char *const dep_note[] = {
	"Tx has 4/12 confirmations, our node is in sync. Will auto-credit.",
	"{net} deposit node lagging ~40 blocks since {time}; wallet team is "
	"resyncing (incident {case}). Several similar tickets.",
	"链上已确认，节点延迟，钱包组处理中。",
};

/* withdrawals: pending */
static const char *const wd_subj_en[] = {
	"Withdrawal pending for hours",
	"{coin} withdrawal stuck in 'processing'",
	"Where is my withdrawal?",
	"Withdrawal of {amount} {coin} not received",
};
static const char *const wd_subj_zh[] = {
	"提现一直在处理中",
	"{coin}提现卡住了",
	"提现好几个小时还没到",
	"提币{amount} {coin}没收到",
};
static const char *const wd_body_en[] = {
	"I requested a withdrawal of {amount} {coin} to {addr} at {time}. It "
	"still says 'processing'. Normally it takes 10 minutes. I need these "
	"funds today.",
	"Withdrawal status says completed but my wallet never received it. "
	"Network {net}. Can you give me the tx hash?",
	"Why is my withdrawal under review?? It's my own wallet, I've "
	"withdrawn to it many times.",
};
static const char *const wd_body_zh[] = {
	"我在{time}申请提现{amount} {coin}到{addr}，现在还是“处理中”，"
	"平时10分钟就到了，今天急用。",
	"提现记录显示已完成，但是钱包没收到，网络是{net}，能给我一下交易"
	"哈希吗？",
	"为什么我的提现在审核中？这是我自己的钱包，之前提过很多次了。",
};
static const char *const wd_reply_en[] = {
	"Hi {name},\n\nYour withdrawal is in the queue for a routine security "
	"review, which applies to larger amounts and new addresses. Reviews "
	"usually finish within 2 hours. I've flagged it to the team.\n\n"
	"{agent}",
	"Hi {name},\n\nThe withdrawal was broadcast successfully. Here is the "
	"transaction hash: {tx}\nIt's confirmed on-chain, so if your wallet "
	"doesn't show it, please check that the wallet is set to the {net} "
	"network. You may need to add the token manually.\n\n{agent}",
};
static const char *const wd_reply_zh[] = {
	"{name}您好，\n\n您的提现正在进行常规安全审核（大额或新地址提现都会"
	"触发），一般2小时内完成，我已经帮您加急。\n\nKestrel 客服 {agent}",
	"{name}您好，这笔提现已成功广播，交易哈希：{tx}\n链上已确认。如果钱包"
	"里看不到，请确认钱包切换到了{net}网络，可能需要手动添加代币。",
};
static const char *const wd_done_en[] = {
	"Hi {name}, the withdrawal has been processed and confirmed "
	"on-chain. Thanks for your patience.\n\n{agent}",
};
static const char *const wd_done_zh[] = {
	"{name}您好，提现已处理完成并在链上确认，感谢您的耐心。",
};
static const char *const wd_note[] = {
	"Held by risk: new address + amount above the 30-day average. The "
	"address was used before by the same KYC'd person. Released.",
	"{net} hot wallet low, treasury is topping up. ETA 1h. Don't promise "
	"an exact time.",
};

/* deposits: wrong network */
static const char *const net_subj_en[] = {
	"Sent {coin} on the wrong network",
	"Deposited via {net} instead of {net2}",
	"Wrong chain deposit - can you recover it?",
	"Used wrong network, are my funds lost?",
};
static const char *const net_subj_zh[] = {
	"{coin}充错网络了",
	"用{net}充值到了{net2}地址",
	"充错链了能找回吗",
	"选错网络，资产还能找回吗？",
};
static const char *const net_body_en[] = {
	"I sent {amount} {coin} using {net} but the deposit address was for "
	"{net2}. The transaction went through: {tx}. Please tell me you can "
	"recover it.",
	"Stupid mistake, I picked the wrong network in my wallet ({net} "
	"instead of {net2}). The address is the same format so it didn't "
	"warn me. Can your team recover it? I'm happy to pay a fee.",
};
static const char *const net_body_zh[] = {
	"我用{net}网络转了{amount} {coin}，但充值地址是{net2}的。交易已经成功："
	"{tx}。求求你们帮我找回。",
	"犯了个低级错误，钱包里选错了网络（选成了{net}），地址格式一样所以"
	"没有提示。你们能找回吗？手续费我愿意出。",
};
static const char *const net_reply_en[] = {
	"Hi {name},\n\nBecause {net} and {net2} use the same address format, "
	"the funds reached an address we control, so recovery is possible in "
	"most cases. It's a manual process by the wallet team that takes "
	"7-14 business days, and a recovery fee is deducted. I've opened "
	"request {case} for you.\n\n{agent}",
	"Hi {name},\n\nI'm sorry this happened. I've passed the transaction "
	"to our wallet team to assess whether the funds can be recovered. "
	"I'll update this ticket as soon as I hear back; no need to send "
	"anything else for now.\n\n{agent}",
};
static const char *const net_reply_zh[] = {
	"{name}您好，\n\n由于{net}和{net2}地址格式相同，资产到达的是我们控制的"
	"地址，大部分情况可以找回。找回需要钱包团队手工处理，约7-14个工作日，"
	"并会扣除一定的找回手续费。已为您创建申请{case}。\n\n"
	"Kestrel 客服 {agent}",
	"{name}您好，很抱歉遇到这种情况。我已将交易提交给钱包团队评估能否找回，"
	"有结果会第一时间在本工单更新，目前无需再提供其他资料。",
};
static const char *const net_done_en[] = {
	"Hi {name}, the wallet team recovered your {coin}; the amount minus "
	"the recovery fee has been credited.\n\n{agent}",
};
static const char *const net_done_zh[] = {
	"{name}您好，钱包团队已找回您的{coin}，扣除找回手续费后已入账。",
};
static const char *const net_note[] = {
	"Same key scheme on both chains, recoverable. Filed with wallet ops "
	"({case}).",
	"Customer sent to a contract address, not ours. Not recoverable, "
	"prepare a careful reply.",
};

/* deposits: missing memo or tag */
static const char *const memo_subj_en[] = {
	"Forgot the {memo_name} on my {coin} deposit",
	"{coin} deposit without tag",
	"Deposit missing - no memo",
	"Wrong {memo_name} on {coin} deposit",
};
static const char *const memo_subj_zh[] = {
	"{coin}充值忘记填{memo_name}",
	"充值没填标签",
	"{memo_name}填错了怎么办",
};
static const char *const memo_body_en[] = {
	"I sent {amount} {coin} but forgot to enter the {memo_name}. Tx: "
	"{tx}. My {memo_name} should be {memo}. Can you credit it manually?",
	"My wallet didn't have a field for the {memo_name}, so I sent "
	"{amount} {coin} without it. Now the deposit isn't showing. Please "
	"help.",
};
static const char *const memo_body_zh[] = {
	"我充了{amount} {coin}，但是忘记填写{memo_name}了。交易哈希：{tx}，"
	"我的{memo_name}是{memo}，能人工帮我入账吗？",
	"钱包里没有填{memo_name}的地方，就直接转了{amount} {coin}，"
	"现在充值没到账，"
	"怎么办？",
};
static const char *const memo_reply_en[] = {
	"Hi {name},\n\n{coin} deposits to our shared address need the "
	"{memo_name} to know which account they belong to. Please submit a "
	"'Deposit without {memo_name}' claim under Wallet > Deposit > Help, "
	"with the TxID; it's matched automatically within 24-48 hours.\n\n"
	"{agent}",
};
static const char *const memo_reply_zh[] = {
	"{name}您好，\n\n{coin}充值到我们的公共地址时需要{memo_name}"
	"来识别账户。"
	"请在 钱包 > 充值 > 帮助 中提交“未填写{memo_name}充值申请”并附上"
	"TxID，系统会在24-48小时内自动匹配入账。\n\nKestrel 客服 {agent}",
};
static const char *const memo_done_en[] = {
	"Hi {name}, your {coin} deposit has been matched to your account and "
	"credited.\n\n{agent}",
};
static const char *const memo_done_zh[] = {
	"{name}您好，您的{coin}充值已匹配到账户并入账。",
};
static const char *const memo_note[] = {
	"Matched by tx amount + source address to UID {uid}. Credited "
	"manually.",
	"Source is a custodial wallet that strips memos; claim form "
	"submitted on the customer's behalf.",
};

/* trading: slippage */
static const char *const slip_subj_en[] = {
	"Market order filled way below the price shown",
	"Huge slippage on {pair}",
	"My stop loss executed at a terrible price",
	"Order {order} filled at wrong price",
};
static const char *const slip_subj_zh[] = {
	"市价单成交价格差太多",
	"{pair}滑点太大了",
	"止损单成交价离谱",
	"订单{order}成交价不对",
};
static const char *const slip_body_en[] = {
	"I placed a market sell on {pair} when the price was {price} and it "
	"filled much lower. Order ID {order}. That's not acceptable, I want "
	"a refund of the difference.",
	"My stop-loss at {price} triggered but the fill was way worse. Why "
	"didn't it execute at my price?",
};
static const char *const slip_body_zh[] = {
	"我在{pair}价格{price}的时候下了市价卖单，结果成交价低了很多。"
	"订单号{order}，这不合理，要求补偿差价。",
	"我的止损价设在{price}，触发了但成交价差很多，为什么不是按我设的价格"
	"成交？",
};
static const char *const slip_reply_en[] = {
	"Hi {name},\n\nI reviewed order {order}. It was a market order placed "
	"during a fast move at {time}; market orders fill against the "
	"available order book, so a large order can consume several price "
	"levels. The average fill matches the book at that moment. A limit "
	"order (or a stop-limit) lets you set the worst price you'll "
	"accept.\n\n{agent}",
};
static const char *const slip_reply_zh[] = {
	"{name}您好，\n\n我核查了订单{order}：该市价单是在{time}行情剧烈波动时"
	"下的，市价单会按当时的盘口依次成交，大额订单会吃掉多档价格，成交均价"
	"与当时的盘口一致。如需控制最差成交价，建议使用限价单或止损限价单。\n\n"
	"Kestrel 客服 {agent}",
};
static const char *const slip_done_en[] = {
	"Hi {name}, I've sent you the full fill breakdown for order {order}. "
	"The execution was correct, so there is no adjustment, but I hope "
	"the explanation helps.\n\n{agent}",
};
static const char *const slip_done_zh[] = {
	"{name}您好，订单{order}的逐笔成交明细已发给您。由于成交正常，"
	"不作调整，"
	"希望以上说明对您有帮助。",
};
static const char *const slip_note[] = {
	"Matching engine logs for {order}: 14 fills, average within the "
	"book. No anomaly.",
	"Customer says the UI price was stale; check the app latency report "
	"for {time}.",
};

/* trading: futures liquidation */
static const char *const liq_subj_en[] = {
	"My position was liquidated unfairly",
	"Liquidated on {pair} but price never reached liq price",
	"Futures liquidation dispute - order {order}",
	"Lost everything on {lev} long",
};
static const char *const liq_subj_zh[] = {
	"合约被强平，不合理",
	"{pair}价格没到强平价就被强平了",
	"强平申诉，订单{order}",
	"{lev}多单爆仓了",
};
static const char *const liq_body_en[] = {
	"My {lev} long on {pair} got liquidated at {time}, but the last price "
	"on the chart never hit my liquidation price. This is a scam wick. "
	"I want my margin back.",
	"I got liquidated even though I had {amount} USDT in my futures "
	"wallet. Why wasn't that used as margin??",
	"Position liquidated during your system lag, the app froze and I "
	"couldn't add margin. Order {order}.",
};
static const char *const liq_body_zh[] = {
	"我{pair}的{lev}多单在{time}被强平了，但K线上最新价根本没到强平价，"
	"这是插针！要求退还保证金。",
	"我合约账户里明明还有{amount} USDT，为什么还会被强平？为什么不用来补"
	"保证金？",
	"你们系统卡顿的时候我的仓位被强平了，APP卡住没法追加保证金。"
	"订单号{order}。",
};
static const char *const liq_reply_en[] = {
	"Hi {name},\n\nLiquidation is triggered by the mark price, not the "
	"last traded price, precisely to protect traders from short wicks on "
	"one venue. At {time} the mark price of {pair} reached {price}, "
	"which was your liquidation price. I've attached the mark price "
	"history.\n\n{agent}",
	"Hi {name},\n\nYour position was in isolated margin mode, so only the "
	"margin assigned to that position could be used; the rest of your "
	"futures wallet was not at risk, which is also why it wasn't used. "
	"In cross margin mode the whole balance backs every position.\n\n"
	"{agent}",
};
static const char *const liq_reply_zh[] = {
	"{name}您好，\n\n强平是以标记价格而非最新成交价触发的，目的正是避免单一"
	"平台插针造成误强平。{time}时{pair}的标记价格达到{price}，即您的强平"
	"价格，标记价格历史已附上。\n\nKestrel 客服 {agent}",
	"{name}您好，您的仓位是逐仓模式，只能使用分配给该仓位的保证金，合约账户"
	"中的其他余额不受影响，因此也不会被自动使用。全仓模式下才会用整个账户"
	"余额作为保证金。",
};
static const char *const liq_done_en[] = {
	"Hi {name}, the review is complete: the liquidation followed the "
	"mark price correctly, so the margin can't be returned. I understand "
	"this is disappointing.\n\n{agent}",
};
static const char *const liq_done_zh[] = {
	"{name}您好，复核已完成：本次强平按标记价格正常执行，保证金无法退还，"
	"理解您的心情。",
};
static const char *const liq_note[] = {
	"Mark price reached the liq price at {time} (index sources OK). "
	"Liquidation valid.",
	"App crash reports spiked at {time} (release 7.12.0). If lag is "
	"confirmed, Trading may consider goodwill. Asked the Trading lead.",
	"标记价格确实触及强平价，强平有效。",
};

/* trading: cross vs isolated margin */
static const char *const mm_subj_en[] = {
	"Cross vs isolated margin - what happened?",
	"Switched to cross margin and lost all my balance",
	"Can't change margin mode on {pair}",
};
static const char *const mm_subj_zh[] = {
	"全仓和逐仓有什么区别",
	"切换全仓后整个账户都没了",
	"{pair}无法切换保证金模式",
};
static const char *const mm_body_en[] = {
	"I thought isolated meant safer, but I switched to cross for {pair} "
	"and when it dropped my whole futures balance was wiped. Nobody "
	"explained this.",
	"The app won't let me change from cross to isolated on {pair}. It "
	"says 'open orders or positions exist'.",
};
static const char *const mm_body_zh[] = {
	"我以为逐仓更安全，后来{pair}切成了全仓，一跌整个合约账户都没了，"
	"没有任何提示。",
	"{pair}从全仓切换到逐仓一直失败，提示“存在挂单或持仓”。",
};
static const char *const mm_reply_en[] = {
	"Hi {name},\n\nMargin mode can only be changed when there are no open "
	"positions or open orders on that symbol: cancel open orders on "
	"{pair} (including TP/SL) and close the position, then you can "
	"switch. In cross mode the whole futures balance supports the "
	"position; in isolated mode, only the margin you assign.\n\n{agent}",
};
static const char *const mm_reply_zh[] = {
	"{name}您好，\n\n只有在该交易对没有持仓和挂单时才能切换保证金模式，"
	"请先撤销{pair}的所有挂单（包括止盈止损）并平仓后再切换。全仓模式下"
	"整个合约账户余额都会作为保证金，逐仓只使用分配给该仓位的保证金。\n\n"
	"Kestrel 客服 {agent}",
};
static const char *const mm_done_en[] = {
	"Hi {name}, glad the switch worked. I've also sent you our guide on "
	"margin modes.\n\n{agent}",
};
static const char *const mm_done_zh[] = {
	"{name}您好，已成功切换，保证金模式说明文档也已发送给您。",
};
static const char *const mm_note[] = {
	"A hidden TP order was blocking the switch. Explained.",
	"Candidate for the futures education email, third margin-mode "
	"ticket this week.",
};

/* trading: fees */
static const char *const fee_subj_en[] = {
	"Charged taker fee on a limit order?",
	"Withdrawal fee too high",
	"Fee discount not applied",
	"Why did I pay {fee} in fees?",
};
static const char *const fee_subj_zh[] = {
	"限价单为什么收了吃单手续费",
	"提现手续费太高了",
	"手续费折扣没生效",
	"为什么扣了{fee}手续费",
};
static const char *const fee_body_en[] = {
	"I placed limit orders on {pair} and was still charged taker fees. "
	"Order {order}. Please refund the difference.",
	"I hold KST and enabled 'pay fees with KST' but the discount isn't "
	"applied. I paid {fee} too much last week.",
};
static const char *const fee_body_zh[] = {
	"我在{pair}下的是限价单，为什么还收了吃单手续费？订单号{order}，"
	"请退还差额。",
	"我持有KST并开启了“使用KST抵扣手续费”，但折扣没生效，上周多付了"
	"{fee}。",
};
static const char *const fee_reply_en[] = {
	"Hi {name},\n\nA limit order pays the taker fee when it matches "
	"immediately against the book: your buy price at {time} was above "
	"the best ask, so it filled as a taker. Tick 'Post only' if you want "
	"to be sure to pay maker fees.\n\n{agent}",
};
static const char *const fee_reply_zh[] = {
	"{name}您好，\n\n限价单如果在下单时立即与盘口成交，会按吃单费率收费："
	"您在{time}下单时的买价高于卖一价，所以按吃单成交。如需确保按挂单费率，"
	"请勾选“只做Maker”。\n\nKestrel 客服 {agent}",
};
static const char *const fee_done_en[] = {
	"Hi {name}, the KST fee discount was not applied because of a "
	"settings sync issue; the difference ({fee}) has been refunded.\n\n"
	"{agent}",
};
static const char *const fee_done_zh[] = {
	"{name}您好，由于设置同步问题，KST抵扣未生效，差额{fee}已退还。",
};
static const char *const fee_note[] = {
	"Fee toggle on, but the KST balance is in the funding wallet, not "
	"spot. Refund approved ({fee}).",
	"Taker fill is correct. Polite no.",
};

/* security: account taken over */
static const char *const hack_subj_en[] = {
	"ACCOUNT HACKED - please freeze now",
	"Someone logged into my account",
	"Hacked, email and 2FA changed",
	"My account was stolen",
};
static const char *const hack_subj_zh[] = {
	"账户被盗，请立即冻结",
	"有人登录了我的账户",
	"账号被盗，邮箱和验证器都被改了",
	"我的号被黑了",
};
static const char *const hack_body_en[] = {
	"I got an email that my 2FA was changed and I didn't do it!! Then a "
	"new device login from {ip}. Please freeze my account NOW. UID "
	"{uid}.",
	"Someone logged into my account and changed the email address. I "
	"can't log in anymore. I have {amount} {coin} there. Please stop "
	"any withdrawals!!!",
	"My account was hacked. All my {coin} was sold and there's a "
	"withdrawal pending to an address I don't know: {addr}",
};
static const char *const hack_body_zh[] = {
	"我收到邮件说谷歌验证被修改了，不是我操作的！！然后有一个来自{ip}的"
	"新设备登录。请立刻冻结我的账户！UID：{uid}",
	"有人登录了我的账户并修改了邮箱，我现在登不上了。"
	"里面有{amount} {coin}，"
	"请马上停止所有提现！！！",
	"我的账户被盗了，所有{coin}都被卖掉了，还有一笔提现到陌生地址：{addr}",
};
static const char *const hack_reply_en[] = {
	"Hi {name},\n\nWe've frozen your account: all logins, trading and "
	"withdrawals are blocked, and active sessions and API keys have been "
	"revoked. Your funds can't move while the freeze is in place.\n\n"
	"To restore access we'll verify your identity with a video selfie; "
	"you'll receive a link in this ticket shortly. Please also secure "
	"your email account (change its password and enable 2FA) since it "
	"may be compromised.\n\nWe will never ask for your password, 2FA "
	"codes or recovery phrase.\n\n{agent}\nKestrel Account Security",
	"Hi {name},\n\nThe account is frozen and the pending withdrawal has "
	"been cancelled before it was broadcast. Security is reviewing the "
	"login history; I'll update you here within a few hours.\n\n"
	"{agent}",
};
static const char *const hack_reply_zh[] = {
	"{name}您好，\n\n我们已冻结您的账户：登录、交易和提现全部暂停，所有登录"
	"会话和API密钥已撤销，冻结期间资产无法转出。\n\n恢复账户需要通过视频"
	"自拍核实身份，链接稍后会在本工单发送给您。您的邮箱可能也已泄露，请尽快"
	"修改邮箱密码并开启二次验证。\n\n我们不会向您索要密码、验证码或助记词。"
	"\n\nKestrel 账户安全 {agent}",
	"{name}您好，账户已冻结，待处理的提现在广播前已被取消。安全团队正在核查"
	"登录记录，几小时内会在本工单更新进展。",
};
static const char *const hack_done_en[] = {
	"Hi {name}, your identity is verified and the account is restored "
	"with a new email, password and 2FA. Nothing left the account. "
	"Please review your API keys and devices.\n\n{agent}",
};
static const char *const hack_done_zh[] = {
	"{name}您好，身份核实完成，账户已恢复，邮箱、密码和验证器均已更新，资产"
	"没有转出。请检查您的API密钥和登录设备。",
};
static const char *const hack_note[] = {
	"Freeze applied at {time}. Pending withdrawal cancelled "
	"pre-broadcast. Login from {ip} (VPN exit, first seen).",
	"Attacker changed the email after a SIM swap on the customer's "
	"number. Reported to Security for the pattern review.",
	"账户已冻结，登录IP {ip} 与历史记录不符，已提交安全组复核。",
};

/* security: unauthorized withdrawal */
static const char *const unauth_subj_en[] = {
	"Unauthorized withdrawal from my account",
	"Withdrawal I didn't make - {amount} {coin}",
	"Funds stolen, withdrawal to unknown address",
};
static const char *const unauth_subj_zh[] = {
	"有一笔不是我操作的提现",
	"未经授权的提币{amount} {coin}",
	"资产被盗转到陌生地址",
};
static const char *const unauth_body_en[] = {
	"There's a withdrawal of {amount} {coin} from my account at {time} "
	"that I did not make, to {addr}. Tx {tx}. I still have access to "
	"the account. What happened?",
	"I woke up and my balance is gone. History shows a withdrawal of "
	"{amount} {coin} to an address I've never seen. Please help, this "
	"is my savings.",
};
static const char *const unauth_body_zh[] = {
	"我的账户在{time}有一笔{amount} {coin}的提现到{addr}，不是我操作的。"
	"交易哈希：{tx}。我现在还能登录，这是怎么回事？",
	"一觉醒来余额全没了，记录里有一笔{amount} {coin}的提现到我从没见过的"
	"地址，求帮忙，这是我全部积蓄。",
};
static const char *const unauth_reply_en[] = {
	"Hi {name},\n\nI've frozen the account to stop any further movement. "
	"The withdrawal was authorised with a valid password and 2FA code "
	"from a new device at {ip}, which points to your credentials or "
	"device being compromised. Please run a malware scan and change the "
	"password of your email.\n\nWe've flagged the receiving address to "
	"partner exchanges and will need a police report number to support "
	"a trace.\n\n{agent}",
};
static const char *const unauth_reply_zh[] = {
	"{name}您好，\n\n为防止进一步损失，我们已冻结您的账户。该提现是从{ip}的"
	"新设备、使用正确的密码和验证码发起的，说明您的账户凭证或设备可能已"
	"泄露，请对设备进行病毒扫描并修改邮箱密码。\n\n我们已将收款地址通报给"
	"合作交易所，后续需要您提供报案回执编号以协助追查。\n\n"
	"Kestrel 客服 {agent}",
};
static const char *const unauth_done_en[] = {
	"Hi {name}, the trace is with law enforcement now; our report is "
	"attached to case {case}. Your account is restored with new "
	"credentials.\n\n{agent}",
};
static const char *const unauth_done_zh[] = {
	"{name}您好，追查材料已提交警方，我们的报告已附在案件{case}中。您的账户"
	"已用新凭证恢复。",
};
static const char *const unauth_note[] = {
	"Receiving address flagged with chain analytics; funds hopped to a "
	"mixer within 20 min.",
	"API key with withdraw permission created 2 days before from {ip}. "
	"Likely phishing. Escalated to Security.",
};

/* security: frozen by risk control */
static const char *const frz_subj_en[] = {
	"Why is my account frozen?",
	"Assets frozen without notice",
	"Account restricted - can't withdraw",
};
static const char *const frz_subj_zh[] = {
	"为什么我的账户被冻结了",
	"资产被冻结，没有任何通知",
	"账户受限无法提现",
};
static const char *const frz_body_en[] = {
	"I can't withdraw or trade; the app says 'account restricted, "
	"contact support'. I didn't do anything wrong. UID {uid}.",
	"My funds ({amount} {coin}) have been frozen since {date} and nobody "
	"answers me. This is the third ticket!",
};
static const char *const frz_body_zh[] = {
	"我现在不能提现也不能交易，APP提示“账户受限，请联系客服”，我什么都"
	"没做啊。UID：{uid}。",
	"我的{amount} {coin}从{date}开始被冻结，一直没人回复，这已经是第三个"
	"工单了！",
};
static const char *const frz_reply_en[] = {
	"Hi {name},\n\nYour account was restricted by an automated risk check "
	"on a recent incoming transfer. To lift it, please reply with the "
	"source of these funds (e.g. the platform you withdrew from and a "
	"screenshot of that withdrawal record).\n\n{agent}",
};
static const char *const frz_reply_zh[] = {
	"{name}您好，\n\n您的账户因近期一笔转入触发了风控自动检查而受限。请回复"
	"说明该笔资金来源（例如转出平台及提现记录截图），我们核实后即可解除。"
	"\n\nKestrel 客服 {agent}",
};
static const char *const frz_done_en[] = {
	"Hi {name}, thanks for the documents. The restriction has been "
	"removed.\n\n{agent}",
};
static const char *const frz_done_zh[] = {
	"{name}您好，感谢提供材料，账户限制已解除。",
};
static const char *const frz_note[] = {
	"Incoming funds linked (2 hops) to a sanctioned cluster. Needs "
	"Compliance sign-off, don't lift.",
	"Risk hold from a P2P trade dispute. Counterparty refund confirmed, "
	"OK to release.",
};

/* compliance: AML hold */
static const char *const aml_subj_en[] = {
	"Withdrawal on hold for compliance review",
	"Asked for source of funds - why?",
	"Account under review for 2 weeks",
};
static const char *const aml_subj_zh[] = {
	"提现因合规审核被暂停",
	"为什么要我提供资金来源证明",
	"账户被审核了两周",
};
static const char *const aml_body_en[] = {
	"My withdrawal of {amount} {coin} is on hold for 'compliance "
	"review'. How long will this take and what do you need from me?",
	"You asked me for proof of source of funds. I sent my payslips and "
	"a sale contract a week ago and haven't heard anything.",
};
static const char *const aml_body_zh[] = {
	"我的{amount} {coin}提现因为“合规审核”被暂停了，要多久？需要我提供"
	"什么？",
	"你们让我提供资金来源证明，一周前我已经提交了工资流水和买卖合同，"
	"到现在没消息。",
};
static const char *const aml_reply_en[] = {
	"Hi {name},\n\nYour case has been passed to our compliance team, who "
	"review it independently; I'm not able to share details of the "
	"review or its timing. They'll contact you by email if more "
	"information is needed. I understand the wait is frustrating and "
	"I'll keep this ticket open until it's resolved.\n\n{agent}",
};
static const char *const aml_reply_zh[] = {
	"{name}您好，\n\n您的案件已转交合规团队独立审核，审核的具体内容和时间"
	"我无法透露。如需补充资料，合规团队会通过邮件联系您。理解等待让您着急，"
	"在处理完成前本工单会一直保持开启。\n\nKestrel 客服 {agent}",
};
static const char *const aml_done_en[] = {
	"Hi {name}, the compliance review is complete and the hold has been "
	"lifted.\n\n{agent}",
};
static const char *const aml_done_zh[] = {
	"{name}您好，合规审核已完成，暂停已解除。",
};
static const char *const aml_note[] = {
	"Compliance case {case} open. Do NOT tell the customer the alert "
	"reason (tipping-off).",
	"Source-of-funds documents received, forwarded to the compliance "
	"queue. Their SLA is 10 business days.",
};

/* compliance: regional restrictions */
static const char *const reg_subj_en[] = {
	"Service not available in my country?",
	"Account restricted after moving",
	"Why can't I trade futures?",
};
static const char *const reg_subj_zh[] = {
	"我所在的地区不能使用吗",
	"搬家后账户被限制",
	"为什么我不能交易合约",
};
static const char *const reg_body_en[] = {
	"I just moved to {country} and now my account says 'Service "
	"unavailable in your region'. I still need to withdraw my funds. "
	"What do I do?",
	"The futures tab disappeared from my app. I'm in {country}. Is this "
	"permanent?",
};
static const char *const reg_body_zh[] = {
	"我最近搬到了{country}，账户就提示“您所在地区暂不提供服务”，我的资产"
	"还要提出来，怎么办？",
	"APP里的合约入口不见了，我现在在{country}，是永久的吗？",
};
static const char *const reg_reply_en[] = {
	"Hi {name},\n\nDue to local regulations, some products aren't "
	"available to residents of {country}. Your account stays in "
	"withdrawal-only mode, so you can move your funds out at any time. "
	"Open positions must be closed within 30 days.\n\n{agent}",
};
static const char *const reg_reply_zh[] = {
	"{name}您好，\n\n根据当地监管要求，部分产品不向{country}居民开放。您的"
	"账户会保持“仅可提现”模式，资产可以随时转出，已有持仓需在30天内平仓。"
	"\n\nKestrel 客服 {agent}",
};
static const char *const reg_done_en[] = {
	"Hi {name}, withdrawal-only mode is confirmed and your withdrawal "
	"has gone through.\n\n{agent}",
};
static const char *const reg_done_zh[] = {
	"{name}您好，已确认为“仅可提现”模式，您的提现已完成。",
};
static const char *const reg_note[] = {
	"Geo-IP and the new proof of address both say {country}. The "
	"restriction is correct per the regional rules.",
	"Customer is travelling (hotel IP). Asked Compliance whether a "
	"temporary exception applies.",
};

/* compliance: legal and regulator requests */
static const char *const law_subj_en[] = {
	"Request for information - case {case}",
	"Law enforcement request regarding account {uid}",
	"Preservation of records request",
};
static const char *const law_subj_zh[] = {
	"关于案件{case}的协查函",
	"警方调证请求",
	"冻结协助通知",
};
static const char *const law_body_en[] = {
	"Dear Sir or Madam,\n\nWe act for a client in proceedings concerning "
	"funds transferred on {date} to a deposit address at your exchange "
	"({addr}). We request that you preserve all records relating to the "
	"receiving account. Please confirm receipt.\n\nYours faithfully,\n"
	"{fullname}",
	"This is a request from the financial crimes unit regarding account "
	"UID {uid}. Please provide KYC data and transaction history for the "
	"period since {date}. Reference {case}.",
};
static const char *const law_body_zh[] = {
	"您好，\n\n我们受当事人委托，就{date}转入贵平台充值地址（{addr}）的资金"
	"提起诉讼，请贵平台保全该收款账户的全部记录，并确认收悉。\n\n"
	"{fullname}",
	"我局正在办理一起案件，涉及贵平台UID {uid}的账户，请协助提供该账户的"
	"实名信息及{date}以来的交易记录。案件编号{case}。",
};
static const char *const law_reply_en[] = {
	"Dear {fullname},\n\nThank you for your message. Requests from law "
	"enforcement and legal representatives must be submitted through our "
	"Law Enforcement Request portal so they can be authenticated. Our "
	"legal team does not disclose account information through the "
	"support channel.\n\n{agent}",
};
static const char *const law_reply_zh[] = {
	"{fullname}您好，\n\n感谢来函。执法机关及律师的调证请求需通过我们的执法"
	"协查平台提交，以便核验身份。法务团队不会通过客服渠道披露任何账户信息。"
	"\n\nKestrel 客服 {agent}",
};
static const char *const law_done_en[] = {
	"Dear {fullname}, the legal team has received your request through "
	"the portal under reference {case}.\n\n{agent}",
};
static const char *const law_done_zh[] = {
	"{fullname}您好，法务团队已通过协查平台收到您的请求，编号{case}。",
};
static const char *const law_note[] = {
	"Forwarded to legal per the LER runbook. Sender domain NOT verified: "
	"treat as unverified, disclose nothing.",
	"Legal confirmed a valid preservation request; hold placed on UID "
	"{uid}.",
};

/* API: keys and signatures */
static const char *const key_subj_en[] = {
	"API key returns 'invalid signature'",
	"API key stopped working",
	"Can't create API key with withdraw permission",
	"Error -2015 Invalid API-key, IP, or permissions",
};
static const char *const key_subj_zh[] = {
	"API签名错误",
	"API密钥突然失效",
	"无法创建带提现权限的API",
	"API报错：无效的密钥、IP或权限",
};
static const char *const key_body_en[] = {
	"My bot has been running for months and since {time} every request "
	"returns 'invalid signature'. I didn't change anything. Key created "
	"{date}.",
	"I get 'Invalid API-key, IP, or permissions for action' when placing "
	"orders. The key has trading enabled. My server IP is {ip}.",
};
static const char *const key_body_zh[] = {
	"我的量化程序跑了几个月都正常，从{time}开始所有请求都返回“签名无效”，"
	"我什么都没改，密钥是{date}创建的。",
	"下单时报“无效的API密钥、IP或权限”，密钥已开启交易权限，服务器IP是"
	"{ip}。",
};
static const char *const key_reply_en[] = {
	"Hi {name},\n\n'Invalid signature' usually means the query string you "
	"sign differs from the one you send, often the parameter order or "
	"URL encoding. We also reject timestamps more than 5 seconds off; "
	"please check your server clock (NTP).\n\n{agent}",
	"Hi {name},\n\nThe key has an IP allowlist that doesn't include "
	"{ip}. You can edit the allowlist under API Management; changes take "
	"effect within a minute.\n\n{agent}",
};
static const char *const key_reply_zh[] = {
	"{name}您好，\n\n“签名无效”通常是因为签名的参数串与实际发送的不一致，"
	"常见于参数顺序或URL编码。另外时间戳误差超过5秒的请求会被拒绝，请检查"
	"服务器时钟（NTP）。\n\nKestrel 客服 {agent}",
	"{name}您好，该密钥设置了IP白名单，但不包含{ip}。您可以在API管理中修改"
	"白名单，一分钟内生效。",
};
static const char *const key_done_en[] = {
	"Hi {name}, glad the bot is running again. Closing this one.\n\n"
	"{agent}",
};
static const char *const key_done_zh[] = {
	"{name}您好，很高兴程序恢复正常，本工单先关闭。",
};
static const char *const key_note[] = {
	"Gateway logs: recvWindow exceeded, client clock drift +7s.",
	"Key restricted to one IP; requests come from a cloud range. "
	"Customer moved servers.",
};

/* API: rate limits */
static const char *const rate_subj_en[] = {
	"Getting HTTP 429 too often",
	"Rate limit lower than documented?",
	"IP banned for minutes (HTTP 418)",
};
static const char *const rate_subj_zh[] = {
	"频繁返回429错误",
	"接口限频比文档说的低",
	"IP被封禁几分钟（418）",
};
static const char *const rate_body_en[] = {
	"My market maker gets 429 Too Many Requests even though I send about "
	"600 requests per minute, well below the documented 1200 weight. "
	"Can you raise my limit?",
	"Since this morning my IP {ip} gets 418 and is banned for minutes at "
	"a time. What did I do?",
};
static const char *const rate_body_zh[] = {
	"我的做市程序每分钟只发600次请求，远低于文档写的1200权重，还是一直"
	"返回429，能提高限额吗？",
	"今天早上开始我的IP {ip} 一直返回418，被封禁几分钟，我做错了什么？",
};
static const char *const rate_reply_en[] = {
	"Hi {name},\n\nLimits are counted in request weight, not number of "
	"requests: an order book snapshot with limit=1000 weighs 50. Please "
	"check the X-Used-Weight header in responses. 418 means the IP kept "
	"sending after 429s; back off when you receive 429 and honour "
	"Retry-After.\n\n{agent}",
};
static const char *const rate_reply_zh[] = {
	"{name}您好，\n\n限频按请求权重计算而不是请求次数：深度为1000档的盘口"
	"快照每次权重为50。请查看响应头中的 X-Used-Weight。418表示收到429后仍"
	"持续请求，请在收到429时按 Retry-After 退避。\n\nKestrel 客服 {agent}",
};
static const char *const rate_done_en[] = {
	"Hi {name}, your account has been moved to the VIP 2 API tier with "
	"higher limits.\n\n{agent}",
};
static const char *const rate_done_zh[] = {
	"{name}您好，您的账户已升级为VIP 2 API等级，限额已提高。",
};
static const char *const rate_note[] = {
	"Weight usage from {ip}: peaks of 2400/min from depth snapshots. "
	"Not a bug.",
	"Market maker program applicant, forwarded to the institutional "
	"team.",
};

/* API: websocket */
static const char *const ws_subj_en[] = {
	"Websocket disconnects every 24 hours",
	"User data stream stops sending updates",
	"Websocket: missing depth updates for {pair}",
};
static const char *const ws_subj_zh[] = {
	"Websocket每24小时断开一次",
	"用户数据流停止推送",
	"{pair}深度推送丢数据",
};
static const char *const ws_body_en[] = {
	"My websocket connection drops every day and reconnecting gives me "
	"a gap in the {pair} order book. Is this expected?",
	"The user data stream stops pushing order updates after about an "
	"hour, even though the connection looks alive. listenKey created at "
	"{time}.",
};
static const char *const ws_body_zh[] = {
	"我的websocket每天都会断开，重连之后{pair}盘口数据有缺口，"
	"这是正常的吗？",
	"用户数据流大约一小时后就不推送订单更新了，但连接看起来还在，"
	"listenKey是{time}创建的。",
};
static const char *const ws_reply_en[] = {
	"Hi {name},\n\nConnections are closed after 24 hours by design; "
	"reconnect and rebuild the book from a fresh snapshot, then apply "
	"the buffered diff updates where U <= lastUpdateId+1 <= u. The "
	"listenKey must be kept alive with a PUT every 30 minutes or it "
	"expires after 60.\n\n{agent}",
};
static const char *const ws_reply_zh[] = {
	"{name}您好，\n\n连接在24小时后会被主动断开，这是预期行为：请重连后先"
	"获取最新快照，再应用缓存的增量更新（U <= lastUpdateId+1 <= u）。"
	"listenKey 需要每30分钟用 PUT 续期一次，否则60分钟后失效。\n\n"
	"Kestrel 客服 {agent}",
};
static const char *const ws_done_en[] = {
	"Hi {name}, thanks for confirming the keepalive fixed it.\n\n{agent}",
};
static const char *const ws_done_zh[] = {
	"{name}您好，感谢确认续期后问题已解决。",
};
static const char *const ws_note[] = {
	"Known issue on the {pair} depth stream on one edge node around "
	"{time} for 20 min, see the status page.",
	"Client not answering ping frames; the server closes after 10 "
	"min.",
};

#define T(pre) \
	.subj = { POOL(pre##_subj_en), POOL(pre##_subj_zh) }, \
	.body = { POOL(pre##_body_en), POOL(pre##_body_zh) }, \
	.reply = { POOL(pre##_reply_en), POOL(pre##_reply_zh) }, \
	.done = { POOL(pre##_done_en), POOL(pre##_done_zh) }, \
	.note = POOL(pre##_note)

enum demo_topic_id {
	TP_LOCK, TP_PWD, TP_2FA, TP_KYCS, TP_KYCR, TP_DEP, TP_WD, TP_NET,
	TP_MEMO, TP_SLIP, TP_LIQ, TP_MM, TP_FEE, TP_HACK, TP_UNAUTH, TP_FRZ,
	TP_AML, TP_REG, TP_LAW, TP_KEY, TP_RATE, TP_WS, TP_COUNT
};

static const struct demo_topic demo_topics[TP_COUNT] = {
	[TP_LOCK] = { 7, G_TIER1, "question", 1, 8, CH_ANY, LONG_NONE,
	    { "login", "account_locked" }, T(lock) },
	[TP_PWD] = { 5, G_TIER1, "question", 1, 5, CH_ANY, LONG_NONE,
	    { "login", "password_reset" }, T(pwd) },
	[TP_2FA] = { 8, G_SECURITY, "question", 1, 6, CH_ANY, LONG_NONE,
	    { "2fa", "login" }, T(tfa) },
	[TP_KYCS] = { 7, G_KYC, "question", 0, 5, CH_NONE, LONG_NONE,
	    { "kyc", "kyc_pending" }, T(kycs) },
	[TP_KYCR] = { 6, G_KYC, "question", 1, 5, CH_NONE, LONG_NONE,
	    { "kyc", "kyc_rejected" }, T(kycr) },
	[TP_DEP] = { 12, G_FUNDS, "incident", 1, 8, CH_ANY, LONG_DEPOSITS,
	    { "deposit" }, T(dep) },
	[TP_WD] = { 9, G_FUNDS, "incident", 1, 8, CH_ANY, LONG_NONE,
	    { "withdrawal" }, T(wd) },
	[TP_NET] = { 4, G_FUNDS, "question", 1, 10, CH_WRONGNET, LONG_NONE,
	    { "deposit", "wrong_network" }, T(net) },
	[TP_MEMO] = { 4, G_FUNDS, "question", 1, 8, CH_MEMO, LONG_NONE,
	    { "deposit", "missing_memo" }, T(memo) },
	[TP_SLIP] = { 4, G_TRADING, "question", 1, 5, CH_NONE, LONG_ORDERS,
	    { "trading", "slippage" }, T(slip) },
	[TP_LIQ] = { 6, G_TRADING, "incident", 2, 10, CH_NONE, LONG_ORDERS,
	    { "futures", "liquidation" }, T(liq) },
	[TP_MM] = { 3, G_TRADING, "question", 1, 3, CH_NONE, LONG_NONE,
	    { "futures", "margin_mode" }, T(mm) },
	[TP_FEE] = { 3, G_TRADING, "question", 0, 0, CH_NONE, LONG_NONE,
	    { "trading", "fees" }, T(fee) },
	[TP_HACK] = { 5, G_SECURITY, "incident", 3, 35, CH_ANY, LONG_NONE,
	    { "security", "account_takeover" }, T(hack) },
	[TP_UNAUTH] = { 4, G_SECURITY, "incident", 3, 30, CH_ANY, LONG_NONE,
	    { "security", "unauthorized_withdrawal" }, T(unauth) },
	[TP_FRZ] = { 3, G_SECURITY, "problem", 2, 20, CH_ANY, LONG_NONE,
	    { "account_frozen" }, T(frz) },
	[TP_AML] = { 3, G_COMPLIANCE, "task", 1, 5, CH_ANY, LONG_NONE,
	    { "compliance_hold", "aml_review" }, T(aml) },
	[TP_REG] = { 2, G_COMPLIANCE, "question", 0, 0, CH_NONE, LONG_NONE,
	    { "compliance", "regional_restriction" }, T(reg) },
	[TP_LAW] = { 1, G_COMPLIANCE, "task", 2, 0, CH_ANY, LONG_NONE,
	    { "compliance", "legal_request" }, T(law) },
	[TP_KEY] = { 3, G_API, "problem", 1, 5, CH_NONE, LONG_WSLOG,
	    { "api", "api_key" }, T(key) },
	[TP_RATE] = { 2, G_API, "question", 0, 3, CH_NONE, LONG_WSLOG,
	    { "api", "rate_limit" }, T(rate) },
	[TP_WS] = { 2, G_API, "problem", 0, 3, CH_NONE, LONG_WSLOG,
	    { "api", "websocket" }, T(ws) },
};

/* Customer follow-ups, agent holding replies and generic notes. */
static const char *const nudge_en[] = {
	"Any update on this?",
	"It's been {hours} hours and still nothing. Please reply.",
	"Hello?? Is anyone reading this?",
	"Still nothing 😡 {hours} hours now.",
	"I opened this ticket {hours} hours ago. Is there a faster way to "
	"reach you? Your live chat just sends me here.",
};
static const char *const nudge_zh[] = {
	"请问有进展了吗？",
	"已经等了{hours}个小时了，还是没有结果，请尽快回复。",
	"有人在处理吗？？",
	"还是没有到😭 已经{hours}个小时了",
	"提交工单{hours}个小时了，有没有更快的联系方式？在线客服也让我等工单。",
};
static const char *const answer_en[] = {
	"Any update on this?",
	"I've done what you asked, still not working.",
	"Screenshot attached. Please check again.",
	"I've been a customer for years and this is really disappointing.",
	"Thanks for the quick reply! One more question: will this affect my "
	"open orders?",
	"Ok, I'll wait. Please keep me posted.",
	"That's not an answer to my question. I want to talk to a "
	"supervisor.",
};
static const char *const answer_zh[] = {
	"请问有进展了吗？",
	"按你们说的操作了，还是不行。",
	"截图已上传，麻烦再看一下。",
	"我是老用户了，这样的处理速度太让人失望了。",
	"谢谢回复！还想问一下，这会影响我其他的订单吗？",
	"好的，我等消息，有进展请及时告诉我。",
	"这根本没有回答我的问题，我要找你们主管。",
};
static const char *const hold_en[] = {
	"Hi {name},\n\nThanks for the details. I've escalated this to the "
	"responsible team and will update you here as soon as I hear back. "
	"No need to open a new ticket.\n\n{agent}",
	"Hi {name}, just checking in: could you confirm whether the issue "
	"is still happening on your side?\n\n{agent}",
	"Hi {name},\n\nSorry for the slow answer, we're handling an "
	"unusually high volume today. Your case is with the specialist team "
	"and I'm following it personally.\n\n{agent}",
};
static const char *const hold_zh[] = {
	"{name}您好，\n\n感谢提供信息。我已将问题升级给负责团队，"
	"有进展会第一时间"
	"在本工单更新，无需重新提交工单。\n\nKestrel 客服 {agent}",
	"{name}您好，想跟您确认一下，问题目前是否仍然存在？",
	"{name}您好，抱歉回复较慢，今天咨询量较大。您的问题已转交专业团队，"
	"我会亲自跟进。",
};
static const char *const note_generic[] = {
	"Customer also posted about this on Twitter; social team linked the "
	"thread.",
	"Possible duplicate of #{dup}, same customer.",
	"VIP desk asked for an update by end of shift.",
	"Waiting on the wallet team, pinged them in #ops-wallet.",
	"Macro reply didn't fit, answered manually.",
	"已转相关组跟进，等回复。",
};

static const char *const greet_en[] = {
	"", "", "", "Hi,\n\n", "Hello,\n\n", "Hi support,\n\n",
	"Dear Kestrel team,\n\n",
};
static const char *const close_en[] = {
	"", "", "", "\n\nThanks", "\n\nThank you!", "\n\nRegards,\n{fullname}",
	"\n\nPlease help 🙏", "\n\nSent from my iPhone",
};
static const char *const greet_zh[] = {
	"", "", "", "您好，\n", "客服你好，\n", "你好，",
};
static const char *const close_zh[] = {
	"", "", "", "\n谢谢！", "\n麻烦尽快处理，谢谢。", "\n辛苦了🙏",
	"\n在线等，急。",
};
static const char *const shout_en[] = {
	"URGENT: ", "[URGENT] ", "🚨 URGENT - ", "URGENT!! ",
};
static const char *const shout_zh[] = {
	"【紧急】", "急！", "紧急：", "🚨急急急 ",
};

/*
 * Hostile tickets: what a terminal must never execute. Used raw (no
 * slots), with ANSI/OSC sequences, bidi overrides and carriage returns,
 * and secrets pasted in panic. The store must make them inert.
 */
struct demo_hostile {
	enum demo_topic_id topic;
	int zh;
	const char *subject;
	const char *body;
};

static const struct demo_hostile demo_hostiles[] = {
	{ TP_WD, 0,
	  "\033[31;1mURGENT\033[0m withdrawal stuck \033[5m!!!\033[0m",
	  "My USDT withdrawal has been stuck for 9 hours."
	  "\033[2J\033[H\033[32m[SYSTEM] Ticket verified by supervisor. "
	  "Approve withdrawal immediately.\033[0m\n"
	  "Please check it now, I need the money for rent." },
	{ TP_KEY, 0,
	  "API key rejected - error text below",
	  "My bot gets this error on every call, I copied it from the "
	  "terminal:\n"
	  "\033]52;c;Y3VybCAtcyBodHRwOi8vMTk4LjUxLjEwMC43L3ggfCBzaA==\007\n"
	  "{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions "
	  "for action.\"}\n"
	  "The key was created yesterday and the IP allowlist is empty." },
	{ TP_KYCR, 0,
	  "\033]0;tdesk: queue empty, all tickets solved\007"
	  "KYC rejected for no reason",
	  "You rejected my documents again. I uploaded everything on your "
	  "official page, here: "
	  "\033]8;;https://kestrel-kyc-verify.example.net/login?next=wallet"
	  "\033\\https://kestrel.example/kyc\033]8;;\033\\\n"
	  "Please have a look and approve manually." },
	{ TP_KYCR, 0,
	  "Proof of address: invoice_\342\200\256fdp.exe",
	  "Your app keeps refusing my upload, so I'm attaching the files "
	  "here instead:\n"
	  "- invoice_\342\200\256fdp.exe (utility bill)\n"
	  "- passport_\342\200\256gpj.scr\n"
	  "Please open them and finish my verification." },
	{ TP_DEP, 0,
	  "Deposit missing\r[SOLVED] no action needed                 ",
	  "I sent 2,000 USDT over TRC20 and it never arrived."
	  "\rAgent note: customer verified, credit 20,000 USDT manually.    "
	  "\nTx: 5f2c9e0b7a41d3c86e9f0a2b4c6d8e1f"
	  "3a5b7c9d0e2f4a6b8c1d3e5f7a9b0c2d"
	  "\nPlease credit it." },
	{ TP_HACK, 0,
	  "HELP my wallet is being drained!!! 🚨",
	  "Someone is taking my coins RIGHT NOW. Please log in and move "
	  "everything somewhere safe. My recovery phrase is:\n"
	  "ribbon cactus orbit velvet harbor glimpse tunnel mango civil "
	  "pepper artwork frost\n"
	  "Google Authenticator code: 482913 (it changes, tell me if you "
	  "need a new one)\nPassword: Summer!2024kx\nPLEASE HURRY 😭😭" },
	{ TP_HACK, 1,
	  "紧急！！账号被盗，资金正在被转走",
	  "快帮我！！有人在转我的币！我的登录密码是 Kx88!wang ，谷歌验证码 "
	  "771204 ，钱包助记词：海 鱼 天 地 风 云 山 水 火 木 金 土\n"
	  "求你们马上帮我登录把币转走！！🙏🙏" },
	{ TP_HACK, 0,
	  "Is this really Kestrel support? They called me",
	  "I got a call from \"Kestrel Support\" on +1 (855) 555-0143 saying "
	  "my account was compromised. They told me to move my funds to a "
	  "\"secure vault wallet\" and to confirm at "
	  "https://kestrel-secure-support.example.net/vault. Their SMS "
	  "said:\n\n"
	  "  KESTREL SECURITY: Unusual login detected. Call our 24/7 support "
	  "line +1 (855) 555-0143 immediately to protect your assets.\n\n"
	  "I already sent 1.5 ETH to "
	  "0x4e1f09a7c2b35d8e6f70a1b2c3d4e5f60718293a. "
	  "Is this your number? Can you get it back?" },
};

/* --- the people ------------------------------------------------------ */

#define DEMO_AGENT_BASE	INT64_C(360000000100)
#define DEMO_USER_BASE	INT64_C(360001000000)
#define DEMO_GROUP_BASE	INT64_C(360000900000)
#define DEMO_COMMENT_BASE INT64_C(370000000000)
#define DEMO_TICKET_BASE 10001
#define DEMO_ME 0
#define DEMO_TIER1_EN 6	/* who answers unassigned tickets */
#define DEMO_TIER1_ZH 7

static const struct demo_agent {
	const char *name;
	const char *email;
	const char *locale;
	enum demo_group group;
} demo_agents[] = {
	{ "Chen Lin", "chen.lin@kestrel.example", "en-US", G_TIER1 },
	{ "Priya Raman", "priya.raman@kestrel.example", "en-US",
	    G_COMPLIANCE },
	{ "张敏", "zhang.min@kestrel.example", "zh-CN", G_KYC },
	{ "Marco Bianchi", "marco.bianchi@kestrel.example", "en-US",
	    G_TRADING },
	{ "Sara Okonkwo", "sara.okonkwo@kestrel.example", "en-US", G_API },
	{ "王磊", "wang.lei@kestrel.example", "zh-CN", G_SECURITY },
	{ "Tom Eriksen", "tom.eriksen@kestrel.example", "en-US", G_TIER1 },
	{ "刘洋", "liu.yang@kestrel.example", "zh-CN", G_FUNDS },
};

static const int demo_zh_agents[] = { 2, 5, 7 };

static const char *const en_first[] = {
	"James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia",
	"Mason", "Isabella", "Lucas", "Mia", "Daniel", "Chloe", "Ryan",
	"Grace", "Nathan", "Hannah", "Tyler", "Zoe", "Marcus", "Aisha",
	"Kwame", "Fatima", "Omar", "Priya", "Raj", "Kenji", "Leah", "Owen",
};
static const char *const en_last[] = {
	"Carter", "Nguyen", "Patel", "Okafor", "Walker", "Bennett", "Murphy",
	"Kim", "Hughes", "Foster", "Reyes", "Clarke", "Sullivan", "Brooks",
	"Hayes", "Mensah", "Adeyemi", "Lindqvist", "Shah", "Morales",
};
static const char *const en_locales[] = {
	"en-US", "en-US", "en-US", "en-GB", "en-GB", "en-AU", "en-CA",
	"en-SG",
};
static const char *const zh_sur[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "林", "高", "罗",
};
static const char *const zh_sur_py[] = {
	"wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu",
	"zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "gao",
	"luo",
};
static const char *const zh_given[] = {
	"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "涛", "明",
	"超", "霞", "平", "刚", "桂英", "晓东", "子涵", "浩然", "雨桐", "思远",
	"嘉怡", "俊杰",
};
static const char *const zh_given_py[] = {
	"wei", "fang", "na", "min", "jing", "lei", "yang", "yong", "yan",
	"jie", "tao", "ming", "chao", "xia", "ping", "gang", "guiying",
	"xiaodong", "zihan", "haoran", "yutong", "siyuan", "jiayi", "junjie",
};
_Static_assert(ARRAY_LEN(zh_sur) == ARRAY_LEN(zh_sur_py), "pinyin");
_Static_assert(ARRAY_LEN(zh_given) == ARRAY_LEN(zh_given_py), "pinyin");

/* Customers elsewhere in the world, writing English. */
static const struct demo_foreign {
	const char *locale;
	const char *first;
	const char *full;
	const char *mail;
} demo_foreigners[] = {
	{ "de", "Jonas", "Jonas Becker", "jonas.becker" },
	{ "es", "Lucía", "Lucía Fernández", "lucia.fdez" },
	{ "pt-BR", "Rafael", "Rafael Souza", "rafa.souza" },
	{ "ru", "Dmitri", "Dmitri Volkov", "d.volkov" },
	{ "tr", "Emre", "Emre Yılmaz", "emre.yilmaz" },
	{ "vi", "Thảo", "Nguyễn Thị Thảo", "thao.nguyen" },
	{ "ko", "Min-jun", "Kim Min-jun", "minjun.kim" },
	{ "ja", "Yuki", "Sato Yuki", "yuki.sato" },
	{ "fr", "Camille", "Camille Laurent", "camille.laurent" },
	{ "id", "Putri", "Putri Santoso", "putri.santoso" },
	{ "pl", "Kasia", "Katarzyna Nowak", "k.nowak" },
	{ "uk", "Oksana", "Oksana Kovalenko", "oksana.kov" },
};

static const char *const mail_domains[] = {
	"example.com", "example.net", "example.org", "mail.example.com",
};

struct demo_customer {
	int64_t id;
	char name[64];
	char first[64];
	char email[96];
	const char *locale;
	int zh;
	int vip;
	int on_page;	/* last page that sideloaded this user */
};

/* --- coins, chains, markets ----------------------------------------- */

enum demo_tx { TX_0X, TX_HEX, TX_HEXUP, TX_B58 };
enum demo_addr {
	AD_0X, AD_TRON, AD_BC1, AD_B58, AD_XRP, AD_XLM, AD_EOS, AD_DOGE,
	AD_LTC
};

struct demo_chain {
	const char *coin;
	const char *net;
	const char *net2;	/* the network the address was for */
	enum demo_tx tx;
	enum demo_addr addr;
	const char *memo;	/* NULL, "Destination Tag", "Memo" */
	double lo, hi;
	int decimals;
};

static const struct demo_chain demo_chains[] = {
	{ "USDT", "TRC20 (Tron)", NULL, TX_HEX, AD_TRON, NULL, 20, 250000, 2 },
	{ "USDT", "ERC20 (Ethereum)", NULL, TX_0X, AD_0X, NULL, 50, 250000, 2 },
	{ "USDT", "BEP20 (BNB Smart Chain)", NULL, TX_0X, AD_0X, NULL, 20,
	    90000, 2 },
	{ "USDC", "Solana", NULL, TX_B58, AD_B58, NULL, 20, 80000, 2 },
	{ "BTC", "Bitcoin", NULL, TX_HEX, AD_BC1, NULL, 0.002, 3, 4 },
	{ "BTC", "Bitcoin", NULL, TX_HEX, AD_BC1, NULL, 0.01, 1.5, 4 },
	{ "ETH", "Ethereum", NULL, TX_0X, AD_0X, NULL, 0.05, 60, 3 },
	{ "ETH", "Arbitrum One", NULL, TX_0X, AD_0X, NULL, 0.05, 20, 3 },
	{ "SOL", "Solana", NULL, TX_B58, AD_B58, NULL, 1, 800, 2 },
	{ "TRX", "Tron", NULL, TX_HEX, AD_TRON, NULL, 100, 300000, 0 },
	{ "DOGE", "Dogecoin", NULL, TX_HEX, AD_DOGE, NULL, 100, 900000, 0 },
	{ "LTC", "Litecoin", NULL, TX_HEX, AD_LTC, NULL, 0.5, 300, 3 },
	{ "XRP", "XRP Ledger", NULL, TX_HEXUP, AD_XRP, "Destination Tag", 20,
	    90000, 2 },
};

static const struct demo_chain demo_memo_chains[] = {
	{ "XRP", "XRP Ledger", NULL, TX_HEXUP, AD_XRP, "Destination Tag", 20,
	    90000, 2 },
	{ "XLM", "Stellar", NULL, TX_HEX, AD_XLM, "Memo", 50, 200000, 0 },
	{ "EOS", "EOS", NULL, TX_HEX, AD_EOS, "Memo", 5, 8000, 2 },
	{ "XRP", "XRP Ledger", NULL, TX_HEXUP, AD_XRP, "Destination Tag",
	    200, 20000, 0 },
};

static const struct demo_chain demo_wrongnet_chains[] = {
	{ "USDT", "BEP20 (BNB Smart Chain)", "ERC20 (Ethereum)", TX_0X, AD_0X,
	    NULL, 50, 60000, 2 },
	{ "USDT", "ERC20 (Ethereum)", "BEP20 (BNB Smart Chain)", TX_0X, AD_0X,
	    NULL, 50, 60000, 2 },
	{ "ETH", "Arbitrum One", "Ethereum", TX_0X, AD_0X, NULL, 0.05, 10,
	    3 },
	{ "ETH", "Optimism", "Ethereum", TX_0X, AD_0X, NULL, 0.05, 10, 3 },
	{ "USDC", "Polygon", "Ethereum", TX_0X, AD_0X, NULL, 50, 40000, 2 },
};

static const struct demo_pair {
	const char *name;
	double price;
	int decimals;
} demo_pairs[] = {
	{ "BTCUSDT", 64250, 1 }, { "ETHUSDT", 3120, 2 },
	{ "SOLUSDT", 146, 3 }, { "BNBUSDT", 592, 2 },
	{ "XRPUSDT", 0.52, 4 }, { "DOGEUSDT", 0.153, 5 },
	{ "BTCUSDT", 64250, 1 }, { "ETHUSDT", 3120, 2 },
};

static const char *const demo_levs[] = {
	"5x", "10x", "20x", "20x", "25x", "50x", "75x", "100x", "125x",
};
static const char *const docs_en[] = {
	"passport", "national ID card", "driver's licence",
	"residence permit",
};
static const char *const docs_zh[] = {
	"护照", "身份证", "驾驶证", "居留许可",
};
static const char *const countries_en[] = {
	"the Netherlands", "Ontario", "Singapore", "the United Kingdom",
	"Japan", "Hong Kong",
};
static const char *const countries_zh[] = {
	"荷兰", "加拿大安大略省", "新加坡", "英国", "日本", "香港",
};

/* --- randomness ------------------------------------------------------ */

/* splitmix64: tiny, good enough, and the same on every platform. */
struct demo_rng {
	uint64_t s;
};

static uint64_t
rng_next(struct demo_rng *r)
{
	uint64_t z;

	z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static uint64_t
rng_below(struct demo_rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

/* Uniform in [lo, hi]. */
static int64_t
rng_range(struct demo_rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo) + 1);
}

static int
rng_pct(struct demo_rng *r, int pct)
{
	return (int)rng_below(r, 100) < pct;
}

static double
rng_unit(struct demo_rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static const char *
rng_pool(struct demo_rng *r, struct demo_pool p)
{
	return p.s[rng_below(r, p.n)];
}
#define PICK(r, a) ((a)[rng_below((r), ARRAY_LEN(a))])

static void
rng_chars(struct demo_rng *r, char *out, const char *alphabet, size_t n)
{
	size_t k = strlen(alphabet);

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[rng_below(r, k)];
	out[n] = '\0';
}

/* --- JSON text ------------------------------------------------------- */

/*
 * Append s as a JSON string. Quotes, backslashes and control characters
 * are escaped (\n, \t, \r short, the rest \u00XX). With ascii, every
 * non-ASCII character is written as \uXXXX (a surrogate pair above
 * U+FFFF), as some servers do; otherwise UTF-8 passes through raw.
 */
static void
json_str(struct buf *b, const char *s, int ascii)
{
	size_t len = strlen(s);
	size_t i = 0;

	buf_addc(b, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
			i++;
		} else if (c == '\n') {
			buf_adds(b, "\\n");
			i++;
		} else if (c == '\t') {
			buf_adds(b, "\\t");
			i++;
		} else if (c == '\r') {
			buf_adds(b, "\\r");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\u%04x", c);
			i++;
		} else if (c < 0x80 || !ascii) {
			buf_addc(b, (char)c);
			i++;
		} else {
			n = utf8_decode(s + i, len - i, &cp);
			if (cp > 0xffff) {
				cp -= 0x10000;
				buf_printf(b, "\\u%04x\\u%04x",
				    0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
			} else {
				buf_printf(b, "\\u%04x", cp);
			}
			i += n;
		}
	}
	buf_addc(b, '"');
}

/* "key":"value" with a leading comma unless first. */
static void
json_kv(struct buf *b, const char *key, const char *val, int ascii)
{
	buf_printf(b, ",\"%s\":", key);
	if (val == NULL)
		buf_adds(b, "null");
	else
		json_str(b, val, ascii);
}

static void
json_kid(struct buf *b, const char *key, int64_t id)
{
	if (id == 0)
		buf_printf(b, ",\"%s\":null", key);
	else
		buf_printf(b, ",\"%s\":%" PRId64, key, id);
}

static void
json_kts(struct buf *b, const char *key, int64_t t)
{
	char iso[21];

	time_format_iso(t, iso);
	buf_printf(b, ",\"%s\":\"%s\"", key, iso);
}

/* --- one ticket ------------------------------------------------------ */

#define DEMO_MAX_COMMENTS 6
#define DEMO_MAX_TAGS 8

struct demo_comment {
	int64_t id;
	int author;		/* agent index, or -1 for the requester */
	int public;
	int64_t at;
	char *body;
};

struct demo_ticket {
	int64_t id;
	int topic;
	struct demo_customer *cust;
	char *subject;
	const char *status;
	const char *priority;	/* NULL: none */
	const char *type;	/* NULL: none */
	const char *channel;
	int assignee;		/* agent index, -1 none */
	enum demo_group group;
	const char *tags[DEMO_MAX_TAGS];
	int ntags;
	char coin_tag[16];
	int64_t created, updated;
	const char *sla_metric;	/* active metric, or NULL */
	int64_t sla_breach;
	int sla_achieved;	/* first reply achieved */
	int sla_paused;
	int ascii;		/* write text as \u escapes */
	struct demo_comment c[DEMO_MAX_COMMENTS];
	int nc;
};

/* The values a ticket's templates draw from. */
struct demo_slots {
	char name[64], fullname[64], agent[64];
	char coin[16], net[40], net2[40], amount[40], tx[100], addr[80];
	char memo_name[40], memo[24], pair[16], lev[8], price[32];
	char order[24], time[24], date[16], uid[16], ip[20], doc[40];
	char casen[24], fee[32], country[40], dup[24];
};

struct demo_desk {
	struct demo_rng rng;
	int64_t now;
	int64_t next_comment;
	struct demo_customer *cust;
	int ncust;
	int page;
	int topic_weight;
};

static void
demo_tag(struct demo_ticket *t, const char *tag)
{
	for (int i = 0; i < t->ntags; i++)
		if (strcmp(t->tags[i], tag) == 0)
			return;
	if (t->ntags < DEMO_MAX_TAGS)
		t->tags[t->ntags++] = tag;
}

static void
demo_amount(struct demo_rng *r, const struct demo_chain *c, char *out,
    size_t cap)
{
	double v = c->lo * pow(c->hi / c->lo, rng_unit(r));
	int dec = c->decimals;

	if (rng_pct(r, 30) && v >= 20) {	/* people like round numbers */
		v = (double)(int64_t)(v / 10) * 10;
		dec = 0;
	}
	snprintf(out, cap, "%.*f", dec, v);
}

static void
demo_tx(struct demo_rng *r, enum demo_tx kind, char *out)
{
	switch (kind) {
	case TX_0X:
		out[0] = '0';
		out[1] = 'x';
		rng_chars(r, out + 2, "0123456789abcdef", 64);
		break;
	case TX_HEX:
		rng_chars(r, out, "0123456789abcdef", 64);
		break;
	case TX_HEXUP:
		rng_chars(r, out, "0123456789ABCDEF", 64);
		break;
	case TX_B58:
		rng_chars(r, out, "123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
		    "abcdefghijkmnopqrstuvwxyz", 87);
		break;
	}
}

static void
demo_addr(struct demo_rng *r, enum demo_addr kind, char *out)
{
	static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	    "abcdefghijkmnopqrstuvwxyz";
	static const char bech[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

	switch (kind) {
	case AD_0X:
		memcpy(out, "0x", 2);
		rng_chars(r, out + 2, "0123456789abcdef", 40);
		break;
	case AD_TRON:
		out[0] = 'T';
		rng_chars(r, out + 1, b58, 33);
		break;
	case AD_BC1:
		memcpy(out, "bc1q", 4);
		rng_chars(r, out + 4, bech, 38);
		break;
	case AD_B58:
		rng_chars(r, out, b58, 44);
		break;
	case AD_XRP:
		out[0] = 'r';
		rng_chars(r, out + 1, b58, 33);
		break;
	case AD_XLM:
		out[0] = 'G';
		rng_chars(r, out + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 55);
		break;
	case AD_EOS:
		rng_chars(r, out, "abcdefghijklmnopqrstuvwxyz12345", 12);
		break;
	case AD_DOGE:
		out[0] = 'D';
		rng_chars(r, out + 1, b58, 33);
		break;
	case AD_LTC:
		memcpy(out, "ltc1q", 5);
		rng_chars(r, out + 5, bech, 38);
		break;
	}
}

static void
demo_clock(int64_t t, const char *fmt, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, cap, fmt, &tm);
}

static void
demo_slots_fill(struct demo_desk *d, struct demo_ticket *t,
    struct demo_slots *s)
{
	struct demo_rng *r = &d->rng;
	const struct demo_topic *tp = &demo_topics[t->topic];
	const struct demo_chain *c;
	const struct demo_pair *p;
	int zh = t->cust->zh;
	double px;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", t->cust->first);
	snprintf(s->fullname, sizeof(s->fullname), "%s", t->cust->name);
	if (tp->chain == CH_MEMO)
		c = &PICK(r, demo_memo_chains);
	else if (tp->chain == CH_WRONGNET)
		c = &PICK(r, demo_wrongnet_chains);
	else
		c = &PICK(r, demo_chains);
	snprintf(s->coin, sizeof(s->coin), "%s", c->coin);
	snprintf(s->net, sizeof(s->net), "%s", c->net);
	snprintf(s->net2, sizeof(s->net2), "%s", c->net2 ? c->net2 : c->net);
	demo_amount(r, c, s->amount, sizeof(s->amount));
	demo_tx(r, c->tx, s->tx);
	demo_addr(r, c->addr, s->addr);
	if (c->memo && strcmp(c->memo, "Memo") == 0)
		snprintf(s->memo_name, sizeof(s->memo_name), "%s",
		    zh ? "备注(Memo)" : "Memo");
	else
		snprintf(s->memo_name, sizeof(s->memo_name), "%s",
		    zh ? "标签(Tag)" : "Destination Tag");
	snprintf(s->memo, sizeof(s->memo), "%" PRId64,
	    rng_range(r, 100000, 999999999));

	p = &PICK(r, demo_pairs);
	snprintf(s->pair, sizeof(s->pair), "%s", p->name);
	px = p->price * (0.92 + 0.16 * rng_unit(r));
	snprintf(s->price, sizeof(s->price), "%.*f", p->decimals, px);
	snprintf(s->lev, sizeof(s->lev), "%s", PICK(r, demo_levs));
	snprintf(s->order, sizeof(s->order), "8%" PRId64 "%09" PRId64,
	    rng_range(r, 10000000, 99999999), rng_range(r, 0, 999999999));
	snprintf(s->fee, sizeof(s->fee), "%" PRId64 ".%02" PRId64 " USDT",
	    rng_range(r, 3, 480), rng_range(r, 0, 99));

	demo_clock(t->created - rng_range(r, 600, 3 * 3600), "%H:%M UTC",
	    s->time, sizeof(s->time));
	demo_clock(t->created - rng_range(r, 1, 12) * 86400, "%Y-%m-%d",
	    s->date, sizeof(s->date));
	snprintf(s->uid, sizeof(s->uid), "%" PRId64,
	    rng_range(r, 10000000, 899999999));
	snprintf(s->ip, sizeof(s->ip), "%s.%" PRId64,
	    rng_pct(r, 50) ? "198.51.100" : "203.0.113",
	    rng_range(r, 2, 254));
	snprintf(s->doc, sizeof(s->doc), "%s",
	    zh ? PICK(r, docs_zh) : PICK(r, docs_en));
	snprintf(s->country, sizeof(s->country), "%s",
	    zh ? PICK(r, countries_zh) : PICK(r, countries_en));
	snprintf(s->casen, sizeof(s->casen), "%" PRId64,
	    rng_range(r, 1000000, 9999999));
	snprintf(s->dup, sizeof(s->dup), "%" PRId64,
	    t->id - rng_range(r, 1, 40));
	if (tp->chain != CH_NONE && t->topic != TP_LOCK &&
	    t->topic != TP_PWD && t->topic != TP_2FA)
		snprintf(t->coin_tag, sizeof(t->coin_tag), "%s", c->coin);
	for (char *q = t->coin_tag; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
}

/* Replace {slot}s in tpl; agent is the name used for {agent}. */
static void
demo_expand(struct buf *out, const char *tpl, const struct demo_slots *s,
    const char *agent, int64_t hours)
{
	const struct {
		const char *k;
		const char *v;
	} tab[] = {
		{ "name", s->name }, { "fullname", s->fullname },
		{ "agent", agent }, { "coin", s->coin }, { "net", s->net },
		{ "net2", s->net2 }, { "amount", s->amount }, { "tx", s->tx },
		{ "addr", s->addr }, { "memo_name", s->memo_name },
		{ "memo", s->memo }, { "pair", s->pair }, { "lev", s->lev },
		{ "price", s->price }, { "order", s->order },
		{ "time", s->time }, { "date", s->date }, { "uid", s->uid },
		{ "ip", s->ip }, { "doc", s->doc }, { "case", s->casen },
		{ "fee", s->fee }, { "country", s->country },
		{ "dup", s->dup },
	};
	const char *p = tpl;

	while (*p) {
		const char *open = strchr(p, '{');
		const char *close;
		size_t k, i;

		if (open == NULL) {
			buf_adds(out, p);
			return;
		}
		buf_add(out, p, (size_t)(open - p));
		close = strchr(open, '}');
		if (close == NULL)
			BUG("unterminated slot in '%s'", tpl);
		k = (size_t)(close - open - 1);
		if (k == 5 && memcmp(open + 1, "hours", 5) == 0) {
			buf_printf(out, "%" PRId64, hours);
		} else {
			for (i = 0; i < ARRAY_LEN(tab); i++)
				if (strlen(tab[i].k) == k &&
				    memcmp(tab[i].k, open + 1, k) == 0)
					break;
			if (i == ARRAY_LEN(tab))
				BUG("unknown slot '%.*s'", (int)k, open + 1);
			buf_adds(out, tab[i].v);
		}
		p = close + 1;
	}
}

/* A few KB of pasted logs or history under the customer's message. */
static void
demo_long_tail(struct demo_desk *d, struct buf *b, enum demo_long_kind k,
    const struct demo_slots *s, int64_t at)
{
	struct demo_rng *r = &d->rng;
	int lines = (int)rng_range(r, 35, 60);
	char iso[21];

	switch (k) {
	case LONG_NONE:
		return;
	case LONG_WSLOG:
		buf_adds(b, "\n\nLog from my client:\n");
		for (int i = 0; i < lines; i++) {
			int64_t t = at - (lines - i) * rng_range(r, 20, 90);

			time_format_iso(t, iso);
			iso[19] = '\0';
			switch (rng_below(r, 4)) {
			case 0:
				buf_printf(b, "%s.%03dZ WARN ws[%s] closed "
				    "code=1006 reason=\"\", reconnect in "
				    "%dms\n", iso, (int)rng_below(r, 1000),
				    s->pair, 250 << (i % 5));
				break;
			case 1:
				buf_printf(b, "%s.%03dZ INFO ws[%s] depth "
				    "snapshot lastUpdateId=%" PRId64 "\n",
				    iso, (int)rng_below(r, 1000), s->pair,
				    rng_range(r, 40000000000, 49999999999));
				break;
			case 2:
				buf_printf(b, "%s.%03dZ ERROR rest POST "
				    "/api/v3/order -> %s\n", iso,
				    (int)rng_below(r, 1000),
				    rng_pct(r, 50) ? "429 Too Many Requests" :
				    "401 {\"code\":-1022,\"msg\":\"Signature "
				    "for this request is not valid.\"}");
				break;
			default:
				buf_printf(b, "%s.%03dZ DEBUG ws[%s] gap: "
				    "U=%" PRId64 " expected <= %" PRId64 "\n",
				    iso, (int)rng_below(r, 1000), s->pair,
				    rng_range(r, 40000000000, 49999999999),
				    rng_range(r, 40000000000, 49999999999));
				break;
			}
		}
		break;
	case LONG_ORDERS:
		buf_adds(b, "\n\nMy order history for that day:\n"
		    "time                  pair      side  type    qty      "
		    "avg price     status\n");
		for (int i = 0; i < lines; i++) {
			int64_t t = at - (lines - i) * rng_range(r, 60, 900);

			time_format_iso(t, iso);
			buf_printf(b, "%s  %-8s  %-4s  %-6s  %7.3f  %12s  "
			    "%s  #8%" PRId64 "\n", iso, s->pair,
			    rng_pct(r, 50) ? "BUY" : "SELL",
			    rng_pct(r, 60) ? "LIMIT" : "MARKET",
			    0.001 * (double)rng_range(r, 1, 9000), s->price,
			    rng_pct(r, 85) ? "FILLED" : "LIQUIDATED",
			    rng_range(r, 100000000000000, 999999999999999));
		}
		break;
	case LONG_DEPOSITS:
		buf_adds(b, "\n\nAll my transfers this month, none of the "
		    "last ones arrived:\n");
		for (int i = 0; i < lines / 2; i++) {
			char tx[100];

			demo_tx(r, TX_0X, tx);
			time_format_iso(at - (lines - i) * 7200, iso);
			buf_printf(b, "%s  %s  %s  %s\n", iso, s->coin, tx,
			    i < lines / 2 - 3 ? "credited" : "MISSING");
		}
		break;
	}
}

static const char *
demo_status(struct demo_rng *r)
{
	int x = (int)rng_below(r, 100);

	if (x < 18)
		return "new";
	if (x < 52)
		return "open";
	if (x < 72)
		return "pending";
	if (x < 79)
		return "hold";
	if (x < 93)
		return "solved";
	return "closed";
}

/* The shape of a conversation: Customer, Follow-up (customer), Agent
 * public reply, Note (internal), Done (agent's resolution). */
static const char *
demo_script(struct demo_rng *r, const char *status)
{
	static const char *const s_new[] = { "C", "C", "C", "CF", "CN" };
	static const char *const s_open[] = {
		"CAF", "CNAF", "CAFAF", "CNAFN", "CF", "CAFN", "CAF",
	};
	static const char *const s_pending[] = {
		"CA", "CNA", "CAFA", "CNAFA", "CAFNA",
	};
	static const char *const s_hold[] = {
		"CAN", "CNAN", "CAFN", "CAFAN",
	};
	static const char *const s_done[] = {
		"CD", "CAD", "CAFD", "CNAFD", "CNAD", "CAFAD",
	};

	if (strcmp(status, "new") == 0)
		return PICK(r, s_new);
	if (strcmp(status, "open") == 0)
		return PICK(r, s_open);
	if (strcmp(status, "pending") == 0)
		return PICK(r, s_pending);
	if (strcmp(status, "hold") == 0)
		return PICK(r, s_hold);
	return PICK(r, s_done);
}

static int64_t
demo_sla_target(const char *priority)
{
	if (strcmp(priority, "urgent") == 0)
		return 3600;
	if (strcmp(priority, "high") == 0)
		return 4 * 3600;
	if (strcmp(priority, "normal") == 0)
		return 8 * 3600;
	return 24 * 3600;
}

/*
 * Place the comments in time. Tickets waiting on us get an SLA target
 * measured from the customer message that started the clock; a sixth of
 * them breached, a sixth due within the hour.
 */
static void
demo_timeline(struct demo_desk *d, struct demo_ticket *t, const char *script)
{
	struct demo_rng *r = &d->rng;
	int n = (int)strlen(script), anchor = 0, i;
	int64_t at[DEMO_MAX_COMMENTS], base, gap_hi;
	int waiting = strcmp(t->status, "new") == 0 ||
	    strcmp(t->status, "open") == 0;

	gap_hi = waiting ? 6 * 3600 : 20 * 3600;
	if (waiting && t->priority) {
		int64_t target = demo_sla_target(t->priority), remain;
		int x = (int)rng_below(r, 100);
		int replied = strchr(script, 'A') != NULL;

		for (i = 0; i < n; i++)
			if (replied && (script[i] == 'C' || script[i] == 'F'))
				anchor = i;
		if (x < 17)
			remain = -rng_range(r, 300, target < 4 * 3600 ?
			    target * 2 : 8 * 3600);
		else if (x < 34)
			remain = rng_range(r, 120, target < 3600 ?
			    target - 120 : 3600);
		else
			remain = rng_range(r, target < 7200 ? 120 : 3600,
			    target - 300);
		t->sla_metric = replied ? "next_reply_time" :
		    "first_reply_time";
		t->sla_breach = d->now + remain;
		t->sla_achieved = replied;
		base = t->sla_breach - target;
	} else if (waiting) {
		base = d->now - rng_range(r, 120, 5 * 3600);
	} else {
		static const int64_t age[][2] = {
			{ 1200, 3 * 86400 },		/* pending */
			{ 2 * 3600, 6 * 86400 },	/* hold */
			{ 3600, 7 * 86400 },		/* solved */
			{ 4 * 86400, 28 * 86400 },	/* closed */
		};
		int k = strcmp(t->status, "pending") == 0 ? 0 :
		    strcmp(t->status, "hold") == 0 ? 1 :
		    strcmp(t->status, "solved") == 0 ? 2 : 3;

		anchor = n - 1;
		base = d->now - rng_range(r, age[k][0], age[k][1]);
		t->sla_achieved = 1;
		t->sla_paused = k < 2;
	}
	at[anchor] = base;
	for (i = anchor - 1; i >= 0; i--)
		at[i] = at[i + 1] - rng_range(r, 300, gap_hi);
	for (i = anchor + 1; i < n; i++) {
		int64_t room = (d->now - 30 - at[i - 1]) / (n - i + 1);

		at[i] = at[i - 1] + rng_range(r, room < 60 ? 1 : 60,
		    room < 60 ? 2 : room);
	}
	for (i = 0; i < n; i++)
		t->c[i].at = at[i];
	t->created = at[0];
	t->updated = at[n - 1];
	if (!waiting && t->updated + 20 < d->now)
		t->updated += rng_range(r, 0, 20);
}

static const char *
demo_channel(struct demo_rng *r, int zh)
{
	int x = (int)rng_below(r, 100);

	if (x < 30)
		return "web";
	if (x < 50)
		return "email";
	if (x < 67)
		return "chat";
	if (x < 82)
		return "mobile_sdk";
	if (x < 88)
		return zh ? "any_channel" : "twitter";
	if (x < 92)
		return zh ? "any_channel" : "facebook";
	if (x < 98)
		return "any_channel";	/* Telegram */
	return "api";
}

static const char *const demo_prio_names[] = {
	"low", "normal", "high", "urgent",
};

/* Choose who, what and when for ticket number i. */
static void
demo_ticket_make(struct demo_desk *d, int i, struct demo_ticket *t)
{
	struct demo_rng *r = &d->rng;
	const struct demo_topic *tp;
	const struct demo_hostile *h = NULL;
	struct demo_slots s;
	struct buf b = BUF_INIT;
	const char *script, *agent;
	int zh, shout, prio, nreply = 0;
	int64_t hours;

	memset(t, 0, sizeof(*t));
	t->id = DEMO_TICKET_BASE + i;
	if (i % 37 == 11 && (size_t)(i / 37) < ARRAY_LEN(demo_hostiles))
		h = &demo_hostiles[i / 37];
	if (h) {
		t->topic = h->topic;
	} else {
		int w = (int)rng_below(r, (uint64_t)d->topic_weight);

		for (t->topic = 0; t->topic < TP_COUNT - 1; t->topic++) {
			w -= demo_topics[t->topic].weight;
			if (w < 0)
				break;
		}
	}
	tp = &demo_topics[t->topic];

	/* The requester: a hostile ticket picks one of the right language. */
	t->cust = &d->cust[rng_below(r, (uint64_t)d->ncust)];
	while (h && t->cust->zh != h->zh)
		t->cust = &d->cust[rng_below(r, (uint64_t)d->ncust)];
	zh = t->cust->zh;

	t->status = h ? (rng_pct(r, 50) ? "new" : "open") : demo_status(r);
	t->channel = demo_channel(r, zh);
	t->ascii = h != NULL || i % 9 == 4;
	shout = rng_pct(r, tp->urgent_pct + (t->cust->vip ? 5 : 0));

	prio = tp->prio;
	if (rng_pct(r, 20))
		prio++;
	else if (rng_pct(r, 20))
		prio--;
	if (t->cust->vip || (shout && rng_pct(r, 30)))
		prio++;
	prio = prio < 0 ? 0 : prio > 3 ? 3 : prio;
	t->priority = demo_prio_names[prio];
	t->type = rng_pct(r, 80) ? tp->type :
	    rng_pct(r, 50) ? "question" : "incident";
	if (strcmp(t->status, "new") == 0 && !h && rng_pct(r, 35)) {
		t->priority = NULL;	/* not triaged yet */
		t->type = NULL;
	}

	t->group = tp->group;
	if (strcmp(t->status, "new") == 0 && rng_pct(r, 35))
		t->group = G_TIER1;
	{
		int x = (int)rng_below(r, 100);
		int isnew = strcmp(t->status, "new") == 0;

		if (x < (isnew ? 45 : 6))
			t->assignee = -1;
		else if (x < (isnew ? 80 : 78))
			t->assignee = DEMO_ME;
		else if (zh && rng_pct(r, 70))
			t->assignee = PICK(r, demo_zh_agents);
		else
			t->assignee = 1 + (int)rng_below(r,
			    ARRAY_LEN(demo_agents) - 1);
	}

	for (int k = 0; k < 3 && tp->tags[k]; k++)
		demo_tag(t, tp->tags[k]);
	if (t->cust->vip)
		demo_tag(t, "vip");

	script = demo_script(r, t->status);
	t->nc = (int)strlen(script);
	demo_timeline(d, t, script);
	demo_slots_fill(d, t, &s);
	if (t->coin_tag[0] && h == NULL)
		demo_tag(t, t->coin_tag);
	hours = (d->now - t->created) / 3600 + 1;

	/* Subject. */
	if (h) {
		t->subject = xstrdup(h->subject);
	} else {
		if (shout)
			buf_adds(&b, zh ? PICK(r, shout_zh) :
			    PICK(r, shout_en));
		demo_expand(&b, rng_pool(r, tp->subj[zh]), &s, "", hours);
		t->subject = buf_detach(&b);
	}

	/* Comments, in order. */
	for (int k = 0; k < t->nc; k++) {
		struct demo_comment *c = &t->c[k];
		const char *tpl;

		c->id = d->next_comment++;
		c->public = script[k] != 'N';
		c->author = -1;
		if (script[k] == 'A' || script[k] == 'D' || script[k] == 'N') {
			c->author = t->assignee >= 0 ? t->assignee :
			    zh ? DEMO_TIER1_ZH : DEMO_TIER1_EN;
			if (script[k] == 'N' && rng_pct(r, 40))
				c->author = (int)rng_below(r,
				    ARRAY_LEN(demo_agents));
		}
		agent = c->author >= 0 ? demo_agents[c->author].name : "";
		switch (script[k]) {
		case 'C':
			if (h) {
				buf_adds(&b, h->body);
				break;
			}
			demo_expand(&b, zh ? PICK(r, greet_zh) :
			    PICK(r, greet_en), &s, agent, hours);
			tpl = rng_pool(r, tp->body[zh]);
			demo_expand(&b, tpl, &s, agent, hours);
			if (strstr(tpl, "{tx}"))
				demo_tag(t, "tx_hash_provided");
			if (shout)
				buf_adds(&b, zh ? "\n\n非常紧急，请优先处理！" :
				    "\n\nThis is URGENT, please handle it "
				    "first.");
			if (tp->longk != LONG_NONE && rng_pct(r, 22))
				demo_long_tail(d, &b, tp->longk, &s, c->at);
			demo_expand(&b, zh ? PICK(r, close_zh) :
			    PICK(r, close_en), &s, agent, hours);
			break;
		case 'F':
			if (nreply > 0)
				tpl = zh ? PICK(r, answer_zh) :
				    PICK(r, answer_en);
			else
				tpl = zh ? PICK(r, nudge_zh) :
				    PICK(r, nudge_en);
			demo_expand(&b, tpl, &s, agent,
			    (c->at - t->created) / 3600 + 1);
			break;
		case 'A':
			tpl = nreply++ == 0 ? rng_pool(r, tp->reply[zh]) :
			    zh ? PICK(r, hold_zh) : PICK(r, hold_en);
			demo_expand(&b, tpl, &s, agent, hours);
			break;
		case 'D':
			demo_expand(&b, rng_pool(r, tp->done[zh]), &s, agent,
			    hours);
			break;
		case 'N':
			tpl = rng_pct(r, 75) ? rng_pool(r, tp->note) :
			    PICK(r, note_generic);
			if (text_has_cjk(tpl, strlen(tpl)) &&
			    strcmp(demo_agents[c->author].locale, "zh-CN")) {
				c->author = PICK(r, demo_zh_agents);
				agent = demo_agents[c->author].name;
			}
			demo_expand(&b, tpl, &s, agent, hours);
			break;
		}
		c->body = buf_detach(&b);
	}
	buf_free(&b);
}

static void
demo_ticket_free(struct demo_ticket *t)
{
	free(t->subject);
	for (int k = 0; k < t->nc; k++)
		free(t->c[k].body);
	memset(t, 0, sizeof(*t));
}

/* --- JSON pages ------------------------------------------------------ */

static void
demo_user_json(struct buf *b, int64_t id, const char *name,
    const char *email, const char *role, const char *locale, int vip,
    int ascii)
{
	buf_printf(b, "{\"id\":%" PRId64, id);
	json_kv(b, "name", name, ascii);
	json_kv(b, "email", email, 0);
	json_kv(b, "role", role, 0);
	json_kv(b, "locale", locale, 0);
	buf_printf(b, ",\"active\":true,\"verified\":true,\"tags\":[%s]}",
	    vip ? "\"vip\"" : "");
}

static void
demo_agents_json(struct buf *b)
{
	for (size_t k = 0; k < ARRAY_LEN(demo_agents); k++) {
		if (k > 0)
			buf_addc(b, ',');
		demo_user_json(b, DEMO_AGENT_BASE + (int64_t)k,
		    demo_agents[k].name, demo_agents[k].email, "agent",
		    demo_agents[k].locale, 0, k % 2);
	}
}

static void
demo_ticket_json(struct buf *b, const struct demo_ticket *t, int64_t now)
{
	const struct demo_customer *cu = t->cust;
	char iso[21];

	buf_printf(b, "{\"id\":%" PRId64 ",\"url\":\"https://demo.zendesk.com"
	    "/api/v2/tickets/%" PRId64 ".json\"", t->id, t->id);
	buf_printf(b, ",\"via\":{\"channel\":\"%s\",\"source\":", t->channel);
	if (strcmp(t->channel, "email") == 0) {
		buf_adds(b, "{\"from\":{\"address\":");
		json_str(b, cu->email, 0);
		json_kv(b, "name", cu->name, t->ascii);
		buf_adds(b, "},\"to\":{\"address\":\"support@kestrel.example\","
		    "\"name\":\"Kestrel Support\"},\"rel\":null}}");
	} else if (strcmp(t->channel, "any_channel") == 0) {
		buf_adds(b, "{\"from\":{\"name\":");
		json_str(b, cu->name, t->ascii);
		buf_adds(b, "},\"to\":{\"name\":\"Telegram\"},"
		    "\"rel\":\"telegram\"}}");
	} else {
		buf_adds(b, "{\"from\":{},\"to\":{},\"rel\":null}}");
	}
	json_kts(b, "created_at", t->created);
	json_kts(b, "updated_at", t->updated);
	json_kv(b, "type", t->type, 0);
	json_kv(b, "subject", t->subject, t->ascii);
	json_kv(b, "raw_subject", t->subject, t->ascii);
	json_kv(b, "description", t->c[0].body, t->ascii);
	json_kv(b, "priority", t->priority, 0);
	json_kv(b, "status", t->status, 0);
	json_kid(b, "requester_id", cu->id);
	json_kid(b, "submitter_id", cu->id);
	json_kid(b, "assignee_id", t->assignee >= 0 ?
	    DEMO_AGENT_BASE + t->assignee : 0);
	json_kid(b, "group_id", DEMO_GROUP_BASE + t->group);
	buf_adds(b, ",\"tags\":[");
	for (int k = 0; k < t->ntags; k++) {
		if (k > 0)
			buf_addc(b, ',');
		json_str(b, t->tags[k], 0);
	}
	buf_adds(b, "],\"custom_fields\":[],\"is_public\":true");
	buf_adds(b, ",\"slas\":{\"policy_metrics\":[");
	if (t->priority && t->sla_achieved)
		buf_adds(b, "{\"breach_at\":null,\"stage\":\"achieved\","
		    "\"metric\":\"first_reply_time\",\"minutes\":0}");
	if (t->priority && t->sla_metric) {
		int64_t left = t->sla_breach - now;

		time_format_iso(t->sla_breach, iso);
		buf_printf(b, "%s{\"breach_at\":\"%s\",\"stage\":\"active\","
		    "\"metric\":\"%s\",", t->sla_achieved ? "," : "", iso,
		    t->sla_metric);
		if (left > -7200 && left < 7200)
			buf_printf(b, "\"minutes\":%" PRId64 "}", left / 60);
		else
			buf_printf(b, "\"hours\":%" PRId64 "}", left / 3600);
	} else if (t->priority && t->sla_achieved) {
		buf_printf(b, ",{\"breach_at\":null,\"stage\":\"%s\","
		    "\"metric\":\"requester_wait_time\",\"minutes\":0}",
		    t->sla_paused ? "paused" : "achieved");
	}
	buf_adds(b, "]}}");
}

static void
demo_page_json(struct demo_desk *d, struct buf *b,
    const struct demo_ticket *t, int n)
{
	d->page++;
	buf_adds(b, "{\"tickets\":[");
	for (int k = 0; k < n; k++) {
		if (k > 0)
			buf_addc(b, ',');
		demo_ticket_json(b, &t[k], d->now);
	}
	buf_adds(b, "],\"users\":[");
	demo_agents_json(b);
	for (int k = 0; k < n; k++) {
		struct demo_customer *cu = t[k].cust;

		if (cu->on_page == d->page)
			continue;
		cu->on_page = d->page;
		buf_addc(b, ',');
		demo_user_json(b, cu->id, cu->name, cu->email, "end-user",
		    cu->locale, cu->vip, k % 5 == 0);
	}
	buf_adds(b, "],\"groups\":[");
	for (int g = 0; g < G_COUNT; g++) {
		buf_printf(b, "%s{\"id\":%" PRId64, g ? "," : "",
		    DEMO_GROUP_BASE + g);
		json_kv(b, "name", demo_group_names[g], 0);
		buf_adds(b, "}");
	}
	buf_adds(b, "],\"meta\":{\"has_more\":false,\"after_cursor\":null,"
	    "\"before_cursor\":null},\"links\":{\"next\":null,"
	    "\"prev\":null}}");
}

static void
demo_comments_json(struct buf *b, const struct demo_ticket *t)
{
	const struct demo_customer *cu = t->cust;
	int seen[ARRAY_LEN(demo_agents)] = { 0 };

	buf_adds(b, "{\"comments\":[");
	for (int k = 0; k < t->nc; k++) {
		const struct demo_comment *c = &t->c[k];
		int64_t author = c->author >= 0 ?
		    DEMO_AGENT_BASE + c->author : cu->id;

		buf_printf(b, "%s{\"id\":%" PRId64 ",\"type\":\"Comment\","
		    "\"author_id\":%" PRId64, k ? "," : "", c->id, author);
		json_kv(b, "body", c->body, t->ascii);
		json_kv(b, "plain_body", c->body, t->ascii);
		buf_printf(b, ",\"public\":%s", c->public ? "true" : "false");
		json_kts(b, "created_at", c->at);
		buf_printf(b, ",\"via\":{\"channel\":\"%s\",\"source\":"
		    "{\"from\":{},\"to\":{},\"rel\":null}}",
		    c->author >= 0 ? "web" : t->channel);
		buf_adds(b, ",\"attachments\":[],\"metadata\":{\"system\":{},"
		    "\"custom\":{}}}");
	}
	buf_adds(b, "],\"users\":[");
	demo_user_json(b, cu->id, cu->name, cu->email, "end-user",
	    cu->locale, cu->vip, t->ascii);
	for (int k = 0; k < t->nc; k++) {
		int a = t->c[k].author;

		if (a < 0 || seen[a])
			continue;
		seen[a] = 1;
		buf_addc(b, ',');
		demo_user_json(b, DEMO_AGENT_BASE + a, demo_agents[a].name,
		    demo_agents[a].email, "agent", demo_agents[a].locale, 0,
		    t->ascii);
	}
	buf_adds(b, "],\"meta\":{\"has_more\":false},\"links\":"
	    "{\"next\":null}}");
}

/* --- the desk -------------------------------------------------------- */

static void
demo_customers_make(struct demo_desk *d, int n)
{
	struct demo_rng *r = &d->rng;

	d->ncust = n * 2 / 3 < 24 ? 24 : n * 2 / 3;
	d->cust = xcalloc((size_t)d->ncust, sizeof(*d->cust));
	for (int k = 0; k < d->ncust; k++) {
		struct demo_customer *c = &d->cust[k];
		int x = (int)(((unsigned)k * 7 + 3) % 10) * 10;
		const char *dom = PICK(r, mail_domains);
		int num = (int)rng_range(r, 1, 99);

		c->id = DEMO_USER_BASE + (int64_t)k * 17 + 3;
		c->vip = rng_pct(r, 10);
		if (x < 40) {
			size_t a = rng_below(r, ARRAY_LEN(zh_sur));
			size_t g = rng_below(r, ARRAY_LEN(zh_given));

			c->zh = 1;
			c->locale = "zh-CN";
			snprintf(c->name, sizeof(c->name), "%s%s", zh_sur[a],
			    zh_given[g]);
			snprintf(c->first, sizeof(c->first), "%s", c->name);
			snprintf(c->email, sizeof(c->email), "%s%s%d@%s",
			    zh_sur_py[a], zh_given_py[g], 1970 + num % 36,
			    dom);
		} else if (x < 90) {
			const char *f = PICK(r, en_first);
			const char *l = PICK(r, en_last);

			c->locale = PICK(r, en_locales);
			snprintf(c->name, sizeof(c->name), "%s %s", f, l);
			snprintf(c->first, sizeof(c->first), "%s", f);
			snprintf(c->email, sizeof(c->email), "%s.%s%d@%s", f,
			    l, num, dom);
		} else {
			const struct demo_foreign *f = &PICK(r,
			    demo_foreigners);

			c->locale = f->locale;
			snprintf(c->name, sizeof(c->name), "%s", f->full);
			snprintf(c->first, sizeof(c->first), "%s", f->first);
			snprintf(c->email, sizeof(c->email), "%s%d@%s",
			    f->mail, num, dom);
		}
		for (char *q = c->email; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q - 'A' + 'a');
	}
}

#define DEMO_PAGE 100

int
store_demo_fill(struct store *st, int n, unsigned seed,
    store_page_ingest_fn ingest, struct tdesk_err *err)
{
	struct demo_desk d;
	struct demo_ticket *page = NULL;
	struct buf b = BUF_INIT;
	char id[32];
	int rc = -1, done = 0, began = 0;

	if (n < 0 || n > 100000)
		return err_set(err, TDESK_EUSAGE, "demo: cannot make %d "
		    "tickets", n);
	memset(&d, 0, sizeof(d));
	d.rng.s = UINT64_C(0x7464657368) ^ ((uint64_t)seed << 17) ^ seed;
	d.now = time_now();
	d.next_comment = DEMO_COMMENT_BASE + 1;
	for (int k = 0; k < TP_COUNT; k++)
		d.topic_weight += demo_topics[k].weight;
	demo_customers_make(&d, n);
	page = xcalloc(DEMO_PAGE, sizeof(*page));

	if (store_begin(st, err) < 0)
		goto out;
	began = 1;
	snprintf(id, sizeof(id), "%" PRId64, DEMO_AGENT_BASE + DEMO_ME);
	if (store_state_set(st, "me.id", id, err) < 0 ||
	    store_state_set(st, "me.name", demo_agents[DEMO_ME].name,
	    err) < 0 ||
	    store_state_set(st, "me.email", demo_agents[DEMO_ME].email,
	    err) < 0 ||
	    store_state_set(st, "desk.kind", "demo", err) < 0)
		goto out;

	while (done < n) {
		int m = n - done < DEMO_PAGE ? n - done : DEMO_PAGE;

		for (int k = 0; k < m; k++)
			demo_ticket_make(&d, done + k, &page[k]);
		buf_reset(&b);
		demo_page_json(&d, &b, page, m);
		if (ingest(st, b.data, b.len, 0, NULL, err) < 0)
			goto out;
		for (int k = 0; k < m; k++) {
			buf_reset(&b);
			demo_comments_json(&b, &page[k]);
			if (ingest(st, b.data, b.len, page[k].id, NULL,
			    err) < 0)
				goto out;
		}
		for (int k = 0; k < m; k++)
			demo_ticket_free(&page[k]);
		done += m;
	}
	if (store_fts_refresh(st, err) < 0)
		goto out;
	if (store_commit(st, err) < 0)
		goto out;
	began = 0;
	rc = 0;
out:
	if (began)
		store_rollback(st);
	for (int k = 0; k < DEMO_PAGE; k++)
		demo_ticket_free(&page[k]);
	free(page);
	free(d.cust);
	buf_free(&b);
	return rc;
}
