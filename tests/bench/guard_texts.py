#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Texts for tests/bench/guard_compare.sh, one a line ("\n" for a line
# break): both corpora, the descriptions and subjects of the dumped
# tickets, N generated texts mixing everything the guard and the
# redactor look at, mutations of corpus lines, seed phrases alone.
# Usage: guard_texts.py SRC PAGES_DIR OUT N   (deterministic: seed 7)
import glob
import hashlib
import json
import random
import re
import sys

src, pages, out, n_gen = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rnd = random.Random(7)
en = open(src + "/store/data/bip39/english.txt").read().split()
zh = open(src + "/store/data/bip39/chinese_simplified.txt").read().split()
rules = open(src + "/store/guard_rules.c", encoding="utf-8").read()
lexicon = re.findall(r'\{ "([^"]+)", L_', rules)


def esc(t):
    return t.replace("\r", " ").replace("\n", "\\n").replace("\0", " ")


corpus = []
for name in ("guard.tsv", "redact.tsv"):
    for line in open(src + "/tests/corpus/" + name, encoding="utf-8"):
        if not line.startswith("#") and "\t" in line:
            corpus.append(line.rstrip("\n").split("\t", 1)[1])
texts = list(corpus)
for p in sorted(glob.glob(pages + "/page-*.json")):
    for t in json.load(open(p, encoding="utf-8")).get("tickets", []):
        for k in ("description", "subject"):
            if t.get(k):
                texts.append(esc(t[k]))


def mnemonic(n, wl):
    ent = n * 11 * 32 // 33
    b = rnd.getrandbits(ent).to_bytes(ent // 8, "big")
    h = hashlib.sha256(b).digest()
    bits = bin(int.from_bytes(b, "big"))[2:].zfill(ent)
    bits += bin(h[0])[2:].zfill(8)[: n * 11 - ent]
    return [wl[int(bits[i * 11:(i + 1) * 11], 2)] for i in range(n)]


def seed_shape():
    n = rnd.choice([12, 15, 18, 21, 24])
    wl = en if rnd.random() < 0.7 else zh
    w = mnemonic(n, wl)
    if rnd.random() < 0.1:
        w[rnd.randrange(n)] = rnd.choice(wl)    # a typo
    s = rnd.randrange(7)
    if wl is en and s == 0:
        w = [x.upper() for x in w]
    if wl is en and s == 1:
        w = [x[:4] for x in w]
    if s == 2:
        return "\n".join("%d. %s" % (i + 1, x) for i, x in enumerate(w))
    if s == 3:
        return ", ".join(w) if wl is en else "、".join(w)
    if s == 4:
        h = n // 2
        return "\n".join("%d. %s    %d. %s" % (i + 1, w[i], i + 1 + h, w[i + h])
                         for i in range(h))
    if s == 5:
        return json.dumps({"mnemonic": " ".join(w)}, ensure_ascii=False)
    if s == 6 and wl is zh:
        return "".join(w)
    if s == 6:
        k = rnd.randrange(3, n - 3)
        return " ".join(w[:k]) + " and then the rest is " + " ".join(w[k:])
    return " ".join(w)


hosts = ["kestrel.example", "help.kestrel.example", "kestre1.example",
         "kestrel-support.help", "xn--kestrl-9va.example", "bit.ly",
         "etherscan.io", "github.com", "evil.com", "k\u0435strel.example",
         "ke\u200bstrel.example", "192.168.1.1", "kestrrel.com",
         "wikipedia.org", "t.me", "foo.bar", "a.b.c.d",
         "kestrel.example.evil.com", "mail.kestrel-exchange.example"]
b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def url():
    h, r = rnd.choice(hosts), rnd.random()
    if r < 0.3:
        return "https://" + h + "/" + rnd.choice(["", "reset", "a?b=c", "x#y"])
    if r < 0.4:
        return "http://kestrel.example@" + h + "/"
    if r < 0.5:
        return "user@" + h
    if r < 0.6:
        return "www." + h
    if r < 0.65:
        return "hxxp://" + h
    return h


def rand_of(alpha, n):
    return "".join(rnd.choice(alpha) for _ in range(n))


def token():
    r = rnd.random()
    if r < 0.25:
        return rnd.choice(lexicon)
    if r < 0.40:
        return rnd.choice(en)
    if r < 0.47:
        return rnd.choice(zh)
    if r < 0.55:
        return rnd.choice(["", "+", "(", "#", "$", ""]) + \
            rand_of("0123456789", rnd.randrange(1, 16))
    if r < 0.58:
        return rnd.choice(["123 456", "+1 415 555 0100", "(415) 555-0100",
                           "138 0013 8000", "12.50", "2024-01-02", "555-0100",
                           "1234567", "020-1234-5678", "123 456 789"])
    if r < 0.63:
        return url()
    if r < 0.65:
        return "0x" + rand_of("0123456789abcdef", rnd.choice([40, 64]))
    if r < 0.66:
        return rand_of("0123456789abcdef", 64)
    if r < 0.67:
        return rnd.choice("13TLMD5KL") + rand_of(b58, rnd.choice([25, 33, 50, 51]))
    if r < 0.68:
        return "bc1q" + rand_of("023456789acdefghjklmnpqrstuvwxyz", 38)
    if r < 0.71:
        return rnd.choice(["{{name}}", "{% if %}", "[NAME]", "【姓名】", "【金额】",
                           "${x}", "%s", "XXX", "<<a>>", "[[b]]", "{x"])
    if r < 0.74:
        return rnd.choice(["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff",
                           "\u00ad", "\u0085", "\u2028", "\U000e0041", "\u061c"])
    if r < 0.80:
        return rnd.choice(["password is", "my password: hunter2", "密码是",
                           "api key:", "secret:", "pin is", "code", "otp", "2fa",
                           "verification code", "验证码", "private key", "私钥",
                           "order", "seed phrase:", "助记词：", "Pwd: x1",
                           "apikey=AbCdEf0123456789AbCd"])
    if r < 0.85:
        return rnd.choice(rnd.choice(corpus).split(" "))
    return rnd.choice(["the", "a", "your", "we", "please", "you", "我们", "您",
                       "的", "了", "请", "it", "is", "to", "ab1cd", "x9"])


seps = [" "] * 12 + [". ", ", ", "\n", "! ", "? ", "; ", "。", "，", "、", "",
                     " (", ") ", ": ", "-", "'", '"', "\t", ".", "…", "  ",
                     "\n\n"]
for i in range(n_gen):
    parts = []
    for j in range(rnd.randrange(1, rnd.choice([3, 8, 20, 40, 80, 200]))):
        parts.append(seed_shape() if rnd.random() < 0.02 else token())
        parts.append(rnd.choice(seps))
    texts.append(esc("".join(parts)))
for i in range(n_gen // 4):
    t = list(rnd.choice(corpus))
    for m in range(rnd.randrange(1, 4)):
        t.insert(rnd.randrange(len(t) + 1),
                 token() if rnd.random() < 0.5 else rnd.choice(seps))
    texts.append(esc("".join(t)))
for i in range(300):
    texts.append(esc(seed_shape()))
raw = [t.encode("utf-8") for t in texts]
# broken UTF-8: stray bytes from 0x80 dropped into words and characters
for i in range(n_gen // 10):
    b = bytearray(rnd.choice(raw))
    for m in range(rnd.randrange(1, 6)):
        b.insert(rnd.randrange(len(b) + 1), rnd.randrange(0x80, 0x100))
    raw.append(bytes(b))
with open(out, "wb") as f:
    for t in raw:
        f.write(t + b"\n")
