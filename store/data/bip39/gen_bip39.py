#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Turn the BIP39 word lists into C arrays: english.txt chinese.txt out.c
import sys

def words(path):
    with open(path, encoding="utf-8") as f:
        w = [line.strip() for line in f if line.strip()]
    if len(w) != 2048:
        sys.exit(f"{path}: {len(w)} words, wanted 2048")
    return w

en = words(sys.argv[1])
zh = words(sys.argv[2])
if en != sorted(en):
    sys.exit("english list is not sorted")
with open(sys.argv[3], "w", encoding="utf-8") as out:
    out.write("/* SPDX-License-Identifier: MIT */\n")
    out.write("/* Generated from store/data/bip39 by gen_bip39.py. */\n")
    out.write("#include <stdint.h>\n")
    out.write("const char *const bip39_english[2048] = {\n")
    for w in en:
        out.write(f'\t"{w}",\n')
    out.write("};\n")
    out.write("const uint32_t bip39_chinese[2048] = {\n")
    for w in zh:
        if len(w) != 1:
            sys.exit(f"chinese word {w!r} is not one character")
        out.write(f"\t0x{ord(w):04x},\n")
    out.write("};\n")
