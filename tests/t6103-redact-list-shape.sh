#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A seed phrase with a typo (bad checksum) and no word saying what it is
# is still redacted when it has a phrase's shape as a list: numbered
# 1..N in order, numbered columns, or a whole comma list of N list words
# (N = 12, 15, ..., 24), in English and Chinese. Before, such a phrase
# was cut into pieces and the rest of its words stayed in clear. Prose,
# lists of another length, and lists with other items stay untouched.
. "$(dirname "$0")/lib.sh"

# phrase SEED LIST: a random valid 12-word phrase and, after a tab, the
# same with its last word changed so that the checksum fails (generated,
# they hold nothing)
phrase() {
	python3 - "$1" "$SRC_DIR/store/data/bip39/$2.txt" <<'EOF'
import hashlib, random, sys
random.seed(int(sys.argv[1]))
words = open(sys.argv[2]).read().split()
def ok(idx):
    bits = "".join(bin(i)[2:].zfill(11) for i in idx)
    ent = int(bits[:128], 2).to_bytes(16, "big")
    return bits[128:] == bin(hashlib.sha256(ent).digest()[0])[2:].zfill(8)[:4]
while True:
    ent = random.getrandbits(128).to_bytes(16, "big")
    bits = bin(int.from_bytes(ent, "big"))[2:].zfill(128)
    bits += bin(hashlib.sha256(ent).digest()[0])[2:].zfill(8)[:4]
    idx = [int(bits[i:i + 11], 2) for i in range(0, 132, 11)]
    bad = idx[:11] + [(idx[11] + 1) % 2048]
    if len(set(idx)) == 12 and len(set(bad)) == 12 and not ok(bad):
        break
print(" ".join(words[i] for i in idx) + "\t" + " ".join(words[i] for i in bad))
EOF
}
IFS=$'\t' read -r en en_bad <<<"$(phrase 7 english)"
IFS=$'\t' read -r zh zh_bad <<<"$(phrase 8 chinese_simplified)"

red() { "$TDESK" redact -m "$1"; }
number() { printf %s "$1" | tr ' ' '\n' | awk '{printf "%d. %s\n", NR, $0}'; }
columns() {
	printf %s "$1" | tr ' ' '\n' | awk '{w[NR] = $0} END {
	    for (i = 1; i <= 6; i++) printf "%d. %s   %d. %s\n", i, w[i], i + 6,
	    w[i + 6]}'
}
commas() { printf %s "$1" | sed 's/ /, /g'; }
zhcommas() { printf %s "$1" | sed 's/ /、/g'; }

for p in "$en_bad" "$zh_bad"; do
	expect_eq "numbered, bad checksum: redacted" "$(red "hi
$(number "$p")
thanks")" "hi
[seed phrase redacted: 12 words]
thanks"
	out=$(red "$(columns "$p")")
	expect_eq "numbered columns, bad checksum" "$out" \
	    "[seed phrase redacted: 12 words]"
done
expect_eq "comma list, bad checksum (en)" "$(red "my words $(commas "$en_bad") ok")" \
    "my words [seed phrase redacted: 12 words] ok"
expect_eq "comma list, bad checksum (zh)" "$(red "我的是 $(zhcommas "$zh_bad") 谢谢")" \
    "我的是 [seed phrase redacted: 12 words] 谢谢"
expect_eq "valid phrases as before" "$(red "$(commas "$en")")" \
    "[seed phrase redacted: 12 words]"

# untouched: no phrase's length, other items in the list, prose
eleven=$(printf %s "$en_bad" | cut -d' ' -f1-11)
expect_eq "11 numbered words" "$(red "$(number "$eleven")")" "$(number "$eleven")"
thirteen="$en_bad actor"
expect_eq "13 numbered words" "$(red "$(number "$thirteen")")" \
    "$(number "$thirteen")"
t="$(commas "$en_bad"), blockchain"
expect_eq "a comma list going on with other items" "$(red "$t")" "$t"
t="blockchain, $(commas "$en_bad")"
expect_eq "a comma list with other items before" "$(red "$t")" "$t"
t="I tried the app, the website, the wallet, the card, again and again, and my order is still open, please check, thank you, good day, bye"
expect_eq "English prose with commas" "$(red "$t")" "$t"
t="我已经提交了身份证、护照、银行卡、地址证明、自拍照、收入证明，还是没有通过审核，请帮忙看看，谢谢。"
expect_eq "Chinese prose with list commas" "$(red "$t")" "$t"
t="$en_bad"
expect_eq "a plain run with a bad checksum, no keyword" "$(red "$t")" "$t"
t="$zh_bad"
expect_eq "Chinese characters with spaces, bad checksum" "$(red "$t")" "$t"
done_testing
