#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes tests/corpus/redact2.tsv (examples to tune on) and
# tests/corpus/redact2_held.tsv (held back: other templates, other random
# phrases; look only at its score). Every phrase and key is random and
# holds nothing. Lines: kind<TAB>text<TAB>secret<TAB>the text around the
# secret (\n a newline); kind "clean" must come out unchanged, any other
# kind must lose its secret (a phrase's words separated by blanks; a key
# as a string). tests/bench/redact_score.sh scores them.
# Usage: gen_redact2.py [OUTDIR]   (needs store/data/bip39 beside it)
import hashlib
import os
import random
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LISTS = os.path.join(HERE, "..", "..", "store", "data", "bip39")
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def wordlist(name):
    with open(os.path.join(LISTS, name + ".txt"), encoding="utf-8") as f:
        return [unicodedata.normalize("NFC", w.strip().lstrip("\ufeff")) for w in f if w.strip()]


WL = {}
for lang in ("english", "chinese_simplified", "chinese_traditional",
             "spanish", "french", "italian", "japanese", "korean"):
    try:
        WL[lang] = wordlist(lang)
    except OSError:
        pass


def mnemonic(rng, lang, n):
    ent = n * 11 * 32 // 33
    e = rng.getrandbits(ent).to_bytes(ent // 8, "big")
    h = hashlib.sha256(e).digest()
    cs = n * 11 - ent
    bits = (int.from_bytes(e, "big") << cs) | (int.from_bytes(h, "big") >> (256 - cs))
    return [WL[lang][(bits >> (11 * (n - 1 - i))) & 2047] for i in range(n)]


def b58check(payload):
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(raw, "big")
    s = ""
    while n:
        n, r = divmod(n, 58)
        s = B58[r] + s
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + s


def wif(rng):
    k = rng.getrandbits(256).to_bytes(32, "big")
    return b58check(b"\x80" + k + (b"\x01" if rng.random() < .6 else b""))


def xprv(rng, ver="0488ade4"):
    body = bytes.fromhex(ver) + bytes([rng.randrange(4)]) + \
        rng.getrandbits(32).to_bytes(4, "big") + rng.getrandbits(32).to_bytes(4, "big") + \
        rng.getrandbits(256).to_bytes(32, "big") + b"\0" + rng.getrandbits(256).to_bytes(32, "big")
    return b58check(body)


def xpub(rng):
    return xprv(rng, "0488b21e")


def hexs(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def b32(rng, n):
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(n))


def alnum(rng, n):
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def btc_addr(rng):
    return "bc1q" + "".join(rng.choice("023456789acdefghjklmnpqrstuvwxyz") for _ in range(38))


def eth_addr(rng):
    return "0x" + hexs(rng, 40)


def tron_addr(rng):
    return "T" + "".join(rng.choice(B58) for _ in range(33))


def typo(rng, w):
    i = rng.randrange(1, len(w))
    c = rng.choice("aeiorstn")
    return w[:i] + c + w[i + 1:] if w[i] != c else w[:i] + "x" + w[i + 1:]


# --- seed shapes: words -> text ---------------------------------------------

def sh_space(rng, w):
    return " ".join(w)


def sh_upper(rng, w):
    return " ".join(x.upper() for x in w)


def sh_title(rng, w):
    return " ".join(x.capitalize() for x in w)


def sh_lines(rng, w):
    return "\n".join(w)


def sh_numbered(rng, w):
    fmt = rng.choice(["{i}. {w}", "{i}) {w}", "{i}-{w}", "#{i} {w}", "{i}.{w}", "{i} {w}"])
    sep = rng.choice(["\n", "  ", " "])
    return sep.join(fmt.format(i=i + 1, w=x) for i, x in enumerate(w))


def sh_comma(rng, w):
    return rng.choice([", ", ",", " , "]).join(w)


def sh_dash(rng, w):
    return "-".join(w)


def sh_double(rng, w):
    return "".join(x + rng.choice([" ", "  ", "   ", "\t"]) for x in w).rstrip()


def sh_two_lines(rng, w):
    h = len(w) // 2
    return " ".join(w[:h]) + "\n" + " ".join(w[h:])


def sh_rows(rng, w):
    return "\n".join(" ".join(w[i:i + 4]) for i in range(0, len(w), 4))


def sh_html_br(rng, w):
    return "<br>".join(w)


def sh_html_li(rng, w):
    return "<ol>" + "".join("<li>%s</li>" % x for x in w) + "</ol>"


def sh_html_p(rng, w):
    return "".join("<p>%d. %s</p>" % (i + 1, x) for i, x in enumerate(w))


def sh_prefix4(rng, w):
    return " ".join(x[:4] for x in w)


def sh_fullwidth_space(rng, w):
    return "\u3000".join(w)


def sh_quoted(rng, w):
    return '"' + " ".join(w) + '"'


def sh_fold(rng, w):
    return " ".join("".join(c for c in unicodedata.normalize("NFD", x)
                            if not unicodedata.combining(c)) for x in w)


def sh_zh_run(rng, w):
    return "".join(w)


def sh_zh_space(rng, w):
    return " ".join(w)


def sh_zh_comma(rng, w):
    return rng.choice(["、", "，", ","]).join(w)


def sh_slash(rng, w):
    return rng.choice([" / ", " | ", "; ", " - "]).join(w)


def sh_paren_num(rng, w):
    fmt = rng.choice(["({i}) {w}", "[{i}] {w}", "{i}、{w}", "{i}: {w}", "{i} - {w}",
                      "\uff11{w}".replace("\uff11", "{fw}")])
    return rng.choice(["\n", " "]).join(
        fmt.format(i=i + 1, w=x, fw="".join(chr(0xFF10 + int(d)) for d in str(i + 1)) + "\uff0e")
        for i, x in enumerate(w))


def sh_columns(rng, w):
    h = (len(w) + 1) // 2
    return "\n".join("%d %s" % (i + 1, w[i]) + ("\t%d %s" % (i + h + 1, w[i + h]) if i + h < len(w) else "")
                     for i in range(h))


def sh_json_array(rng, w):
    return "[" + ", ".join('"%s"' % x for x in w) + "]"


def sh_quote_mail(rng, w):
    return "\n".join("> " + " ".join(w[i:i + 6]) for i in range(0, len(w), 6))


def sh_span(rng, w):
    return "".join('<span style="color:#333">%s</span>&nbsp;' % x for x in w)


def sh_fw_comma(rng, w):
    return rng.choice(["，", "、", "，"]).join(w)


def sh_punct(rng, w):
    return " ".join(x + rng.choice(["", "", ".", ","]) for x in w)


def sh_markdown(rng, w):
    return "```\n" + " ".join(w) + "\n```"


def sh_num_lines(rng, w):
    return "\n".join("%d\n%s" % (i + 1, x) for i, x in enumerate(w))


def sh_md_table(rng, w):
    return "| # | word |\n|---|---|\n" + "\n".join("| %d | %s |" % (i + 1, x) for i, x in enumerate(w))


def sh_html_table(rng, w):
    return "<table>" + "".join("<tr><td>%d</td><td>%s</td></tr>" % (i + 1, x) for i, x in enumerate(w)) + "</table>"


def sh_split_and(rng, w):
    h = len(w) // 2
    return " ".join(w[:h]) + rng.choice([" and ", " ... ", " then "]) + " ".join(w[h:])


def sh_sentence(rng, w):
    return " ".join(w) + "."


EN_SHAPES = [sh_num_lines, sh_md_table, sh_html_table, sh_split_and, sh_sentence,
             sh_slash, sh_paren_num, sh_columns, sh_json_array, sh_quote_mail,
             sh_span, sh_fw_comma, sh_punct, sh_markdown, sh_space, sh_upper, sh_title, sh_lines, sh_numbered, sh_comma,
             sh_dash, sh_double, sh_two_lines, sh_rows, sh_html_br, sh_html_li,
             sh_html_p, sh_prefix4, sh_quoted, sh_fullwidth_space]
ZH_SHAPES = [sh_zh_run, sh_zh_space, sh_zh_comma, sh_numbered, sh_lines,
             sh_fullwidth_space, sh_paren_num, sh_rows]

# --- templates: {S} is the secret -----------------------------------------------

EN_SEED_T = [
    "Hi, my wallet was drained last night. my recovery phrase is {S} please help",
    "i was told by support to verify my wallet, I entered {S} on the site and now everything is gone!!",
    "{S}",
    "Seed:\n{S}\n\nThanks",
    "Dear team,\n\nI can't restore my wallet with these words:\n{S}\n\nWhat should I do?\nRegards, Tom",
    "here it is {S} can you check my balance",
    "my 24 words {S} (I wrote them on paper)",
    "Backup words -> {S}",
]
EN_SEED_H = [
    "Good morning. Someone on telegram asked me for my phrase and I gave it: {S}. Is my money safe??",
    "<div>Hello,</div><div>please recover my account, words:</div><div>{S}</div><div>Thank you</div>",
    "restore not working  {S}  tried 3 times",
    "I copied this from my notebook:\n{S}\nsorry for bad english",
]
ZH_SEED_T = [
    "我的助记词是：{S}，请帮我找回资产",
    "你好，钱包被盗了\n{S}\n怎么办",
    "{S}",
    "客服你好，我把助記詞發給你們：{S} 請儘快處理",
    "导入钱包失败 {S} 谢谢",
]
ZH_SEED_H = [
    "您好！我的币都没了，这是我的备份：\n{S}\n麻烦帮忙查一下",
    "請幫我看看 {S} 為什麼恢復不了錢包",
    "钱包恢复的时候提示错误，{S}，急！",
]
INTL_SEED_T = {
    "spanish": ["Hola, mi frase semilla es {S} por favor ayuda", "{S}"],
    "french": ["Bonjour, voici ma phrase de récupération : {S} merci", "{S}"],
    "italian": ["Ciao, la mia frase di recupero è {S} grazie", "{S}"],
    "japanese": ["こんにちは。ウォレットの復元フレーズです：{S} よろしくお願いします", "{S}"],
    "korean": ["안녕하세요, 제 복구 문구는 {S} 입니다. 도와주세요", "{S}"],
}
INTL_SEED_H = {
    "spanish": ["me robaron los fondos, palabras: {S}"],
    "french": ["Mon portefeuille est vide !! {S}"],
    "italian": ["non riesco a ripristinare il wallet {S}"],
    "japanese": ["{S}\nこの単語で復元できません"],
    "korean": ["지갑 복구가 안돼요 {S}"],
}

KEY_T = [
    ("wif", "my private key is {S} please move the funds"),
    ("wif", "私钥：{S}"),
    ("wif", "{S}"),
    ("xprv", "Electrum export:\n{S}\n"),
    ("xprv", "master key {S}"),
    ("hexkey", "Private Key: {S}"),
    ("hexkey", "metamask 导出的私钥 0x{S} 帮我转出来"),
    ("hexkey", "priv key = {S}"),
    ("pem", "-----BEGIN EC PRIVATE KEY-----\n{S}\n-----END EC PRIVATE KEY-----"),
    ("keystore", '{"address":"3f2a9c0e","crypto":{"cipher":"aes-128-ctr","ciphertext":"{S}","kdf":"scrypt"},"version":3}'),
    ("apisecret", "API Key: {K}\nSecret Key: {S}"),
    ("apisecret", "apiSecret={S}"),
    ("apisecret", "my api secret is {S} and it placed orders I did not make"),
    ("apisecret", "API密钥：{S}"),
    ("totp", "Google Authenticator setup key: {S}"),
    ("totp", "2FA backup key {S4}"),
    ("totp", "谷歌验证器密钥：{S}"),
    ("backup", "my 2FA backup codes: {S}"),
    ("password", "login password: {S}"),
    ("password", "密码：{S}"),
    ("password", "密碼是{S}，帳號是 test@example.com"),
    ("password", "my pass is {S} I think"),
    ("password", "password = {S}"),
    ("password", "交易密码：{S}"),
    ("password", "my password: {S}"),
    ("totp", "otpauth://totp/Exchange:me%40mail.com?secret={S}&issuer=Exchange"),
    ("wif", "WIF: {S}\nbalance 0.3 BTC"),
    ("hexkey", "Exported private key (MetaMask):\n{S}"),
]
KEY_H = [
    ("wif", "wallet import format: {S} (from bitaddress)"),
    ("xprv", "zprv from my ledger? {Z}"),
    ("hexkey", "Here is the private key for 0x3f...: {S}"),
    ("pem", "-----BEGIN PRIVATE KEY-----\n{S}\n-----END PRIVATE KEY-----"),
    ("apisecret", '{"apiKey":"{K}","secretKey":"{S}"}'),
    ("totp", "authenticator key {S}"),
    ("password", "Password：{S}"),
    ("password", "登录密码为 {S}"),
    ("password", "pw: {S}"),
    ("password", "資金密碼：{S}"),
    ("apisecret", "secret key = {S}"),
    ("totp", "二次验证密钥 {S}"),
    ("pem", "my key file:\n-----BEGIN RSA PRIVATE KEY-----\n{S}\n-----END RSA PRIVATE KEY-----\n"),
    ("backup", "Recovery codes {S}"),
]

CLEAN_T = [
    "txid 0x{H} is still pending, please check",
    "Transaction hash: {H}",
    "my deposit address is {B} and the network was BTC",
    "I sent 150 USDT to {E} on ERC20 but it never arrived",
    "TRC20 address {T}, order 202409181234567, amount 2300 USDT",
    "order id 1834567890123 was cancelled, uid 38291045",
    "Please never share your seed phrase or private key with anyone, including us.",
    "We will never ask for your 12 or 24 words. Keep them offline.",
    "I tried to withdraw my balance again but the transfer is still pending after one hour, please help me check the address and network fee",
    "Can you explain why my account was locked? I did not change anything, I only tried to log in from a new phone and then the app asked for a code.",
    "First I opened the app, then I clicked withdraw, chose the network, pasted the address, entered the amount and confirmed with my code.",
    "my password is wrong every time, I already reset it twice",
    "the 2FA code is not working, it says invalid code",
    "xpub for my watch-only wallet: {XP}",
    "BTC, ETH, USDT, BNB, SOL, XRP, DOGE, ADA, TRX, TON, AVAX, SHIB, DOT, LINK",
    "const result = await client.getBalance(account); if (!result.ok) throw new Error('fail')",
    "你好，我昨天充值的USDT一直没有到账，订单号是202409180001，麻烦帮我查一下",
    "我的账户被冻结了，请问需要提供什么资料才能解冻？",
    "提币一直显示审核中，已经三个小时了，请尽快处理",
    "您好，请不要向任何人透露您的助记词和私钥，客服不会向您索取。",
    "交易哈希：0x{H}，区块已经确认了但是钱包里看不到",
    "你好我想问一下为什么我的身份认证一直没有通过审核",
    "請問為什麼我的提幣一直在處理中？已經等了一天了",
    "Hola, mi retiro está pendiente desde ayer, ¿pueden revisar por favor?",
    "Bonjour, je n'arrive pas à retirer mes fonds depuis hier, pouvez-vous vérifier ?",
    "Ciao, il mio deposito non è ancora arrivato, potete controllare per favore?",
    "こんにちは。出金がまだ届いていません。確認をお願いします。",
    "안녕하세요. 출금이 아직 도착하지 않았습니다. 확인 부탁드립니다.",
    "Your 2FA code expired, please request a new code and try again within 60 seconds.",
    "verification code not received, my phone is 13812345678",
    "I did not share my private key with anyone. txid {H}",
    "Step 1: open the app. Step 2: tap Assets. Step 3: choose Withdraw. Step 4: paste the address and confirm.",
    "I bought a new phone, installed the app again, logged in with my email and now the balance shows zero, please check what happened to my account",
    "Hello, I want to report a scam. A person said he was from your support team and asked me to send my seed words to verify the wallet. I did not send anything.",
    "error 10024: signature invalid, timestamp 1712345678901, recvWindow 5000",
    '{"symbol":"BTCUSDT","orderId":28457,"status":"FILLED","price":"63250.10","executedQty":"0.015"}',
    "如果您的助记词泄露了，请立即把资产转移到新的钱包，并且不要再使用原来的钱包。",
    "我想问一下，提现到银行卡需要多长时间？之前一次等了两天才到账。",
    "密码错误次数太多，账户被锁定了，请帮我解锁",
    "請問如何綁定谷歌驗證器？我找不到設定的位置。",
    "Quiero saber por qué mi cuenta está bloqueada, no hice nada raro, solo cambié de teléfono y ahora no puedo entrar.",
    "Je voudrais savoir pourquoi mon compte est bloqué, je n'ai rien fait de spécial, j'ai seulement changé de téléphone.",
    "Vorrei sapere perché il mio conto è bloccato, non ho fatto niente di strano, ho solo cambiato telefono.",
    "アカウントがロックされました。何もしていないのに、携帯を変えただけでログインできなくなりました。",
    "계정이 잠겼습니다. 휴대폰을 바꾼 것 말고는 아무것도 하지 않았는데 로그인이 안 됩니다.",
    "The fee was 0.0005 BTC, the amount 0.25 BTC, the address bc1q...x9f, and the memo was empty.",
    'my seed phrase: I wrote it down on paper but the paper got wet and now I cannot read some of the words, can you help me recover the wallet please',
    'I lost my recovery phrase after moving house. The box with the backup card was thrown away by accident. Is there any other way to access my funds?',
    'Seed phrase question - if someone else has my words can they steal everything even without my phone and my password?',
    'You asked for my recovery words but your own website says never share them with anyone, so why do you need them for this withdrawal?',
    'The backup phrase screen in the app shows twelve empty boxes and the continue button does not work on my android phone after the update',
    'mnemonic import failed with error invalid checksum, I typed every word exactly as written on my card, maybe the order is wrong?',
    'Please help, my wallet phrase is correct but the app says wrong words. I checked spelling twice and also tried capital letters.',
    'I think a scammer has my seed words now. He said he was from support and asked me to type them into a form to verify my account.',
    'My 24 words are stored in a safe at the bank, I can only get them on Monday. Can you freeze the account until then?',
    'Recovery phrase: not sure, I never got one when I opened the wallet. Where do I find it in the settings menu?',
    'The seed is fine, the problem is the network fee. Every time I try to send bitcoin the fee jumps and the transaction fails.',
    '我的助记词丢了，钱包里还有一些币，请问还有没有别的办法可以找回来？',
    '助记词导入的时候提示校验失败，我确定每个单词都写对了，顺序也没有问题。',
    '請問助記詞可以修改嗎？我擔心之前備份的時候被別人看到了。',
]
CLEAN_H = [
    "block hash {H} height 840000",
    "deposit to {E} memo 104837 tag 9981",
    "Please ask the customer to confirm the amount, the date and the last four digits of the card, then escalate to tier two if the bank has no record.",
    "Thanks for waiting. The network was congested, your withdrawal has now been completed and should arrive within an hour.",
    "今天上午买入的币价格突然下跌，系统是不是出现了问题，能不能帮我看看",
    "我已经按照要求上传了身份证正反面和手持照片，为什么还是失败",
    "退款申请已提交，请耐心等待三到五个工作日",
    "Buenos días, quiero cambiar mi número de teléfono en la cuenta.",
    "Merci pour votre aide, le problème est résolu maintenant.",
    "パスワードを忘れました。リセットの方法を教えてください。",
    "비밀번호를 잊어버렸어요. 재설정 방법을 알려주세요.",
    "git commit -m 'fix wallet balance table layout' && make test",
    "Please keep your recovery phrase offline, write it on paper and store it somewhere safe, never type it into any website.",
    "我的交易记录里面有一笔不认识的转账，金额是五百USDT，时间是昨天晚上十点左右",
    "Mi depósito de ayer todavía no aparece, el hash es {H}",
    "Bonjour, mon retrait est bloqué depuis trois jours, merci de vérifier.",
    "入金したのに残高に反映されていません。ハッシュは {H} です。",
    "출금 주소는 {E} 이고 네트워크는 ERC20입니다.",
    "backup codes are not working, I tried all of them",
    "My password must have 8 characters, one number and one symbol, right?",
]


def fill(rng, t, s):
    return t.replace("{S}", s)


def key_secret(rng, kind, t):
    if kind == "wif":
        return wif(rng)
    if kind == "xprv":
        return xprv(rng, "04b2430c") if "{Z}" in t else xprv(rng)
    if kind == "hexkey":
        return hexs(rng, 64)
    if kind == "pem":
        return alnum(rng, 64) + "\n" + alnum(rng, 40) + "=="
    if kind == "keystore":
        return hexs(rng, 64)
    if kind == "apisecret":
        return alnum(rng, rng.choice([32, 48, 64]))
    if kind == "totp":
        return b32(rng, rng.choice([16, 32]))
    if kind == "backup":
        return " ".join("%04d-%04d" % (rng.randrange(10000), rng.randrange(10000)) for _ in range(5))
    if kind == "password":
        return rng.choice(["Xk9#mq2Lz", "hunter2!Q", "Qwe123456", "sunFlower_88", "Lm@8823kk", "pa55W0rd!x"])
    raise ValueError(kind)


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def build(rng, held):
    out = []
    en_t = EN_SEED_H if held else EN_SEED_T
    zh_t = ZH_SEED_H if held else ZH_SEED_T
    for rep in range(3):
        for sh in EN_SHAPES:
            n = rng.choice([12, 12, 12, 24, 24, 15, 18, 21])
            w = mnemonic(rng, "english", n)
            t = rng.choice(en_t)
            text = fill(rng, t, sh(rng, w))
            secret = " ".join(x[:4] for x in w) if sh is sh_prefix4 else " ".join(w)
            out.append(("seed-en", text, secret, t))
        # a typo in a labelled phrase
        w = mnemonic(rng, "english", 12)
        j = rng.randrange(12)
        w[j] = typo(rng, w[j])
        out.append(("seed-en-typo", fill(rng, en_t[0], " ".join(w)), " ".join(w), en_t[0]))
        for lang in ("chinese_simplified", "chinese_traditional"):
            for sh in ZH_SHAPES:
                n = rng.choice([12, 12, 24])
                w = mnemonic(rng, lang, n)
                t = rng.choice(zh_t)
                out.append(("seed-zh", fill(rng, t, sh(rng, w)), " ".join(w), t))
        for lang, ts in 2 * list((INTL_SEED_H if held else INTL_SEED_T).items()):
            if lang not in WL:
                continue
            n = rng.choice([12, 24])
            w = mnemonic(rng, lang, n)
            t = rng.choice(ts)
            shape = rng.choice([sh_space, sh_numbered, sh_comma, sh_lines, sh_fullwidth_space]
                               + ([sh_upper, sh_fold] if lang[0] in "sfi" else []))
            sec = sh_fold(rng, w) if shape is sh_fold else " ".join(w)
            out.append(("seed-" + lang[:2], fill(rng, t, shape(rng, w)), sec, t))
    for rep in range(2):
        for kind, t in (KEY_H if held else KEY_T):
            s = key_secret(rng, kind, t)
            text = t.replace("{K}", alnum(rng, 64)).replace("{Z}", s)
            if "{S4}" in t:
                text = text.replace("{S4}", " ".join(s[i:i + 4] for i in range(0, len(s), 4)))
            else:
                text = text.replace("{S}", s)
            out.append((kind, text, s, t))
    for rep in range(2):
        for t in (CLEAN_H if held else CLEAN_T):
            text = (t.replace("{H}", hexs(rng, 64)).replace("{B}", btc_addr(rng))
                    .replace("{E}", eth_addr(rng)).replace("{T}", tron_addr(rng))
                    .replace("{XP}", xpub(rng)))
            out.append(("clean", text, "", ""))
    # ordinary prose made of list words, in each language (not a phrase:
    # a real sentence, so no checksum is tried on purpose)
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    for held, name, seed in ((False, "redact2.tsv", 20261207), (True, "redact2_held.tsv", 7031)):
        rng = random.Random(seed)
        rows = build(rng, held)
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write("# kind<TAB>text<TAB>secret<TAB>text around it: by gen_redact2.py;"
                    " random, holds nothing\n")
            for k, t, s, ctx in rows:
                ctx = ctx.replace("{S}", " ").replace("{S4}", " ").replace("{Z}", " ")
                f.write("%s\t%s\t%s\t%s\n" % (k, esc(t), esc(s), esc(ctx)))


if __name__ == "__main__":
    main()
