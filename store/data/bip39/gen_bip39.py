#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Turn the BIP39 word lists into C arrays:
#   english.txt chinese_simplified.txt chinese_traditional.txt
#   spanish.txt french.txt italian.txt japanese.txt korean.txt out.c
# (the last five as bip39_intl: Latin words lowercase without their
# accents, which the Spanish and French lists keep unique; Japanese and
# Korean in NFC, as typed: the files are NFD)
# (with them, the other standard numbers the redactor checks with: the
# SHA-256 round constants, computed from their definition)
import sys
import unicodedata

def words(path):
    with open(path, encoding="utf-8") as f:
        w = [line.strip().lstrip("\ufeff") for line in f if line.strip()]
    if len(w) != 2048:
        sys.exit(f"{path}: {len(w)} words, wanted 2048")
    return w

def cube_root_fracs(count, bits):
    """FIPS 180-4 4.2.2 and 4.2.3: the first `bits` bits of the
    fractional parts of the cube roots of the first `count` primes
    (exact integer arithmetic): SHA-256's K (64, 32), SHA-512's (80, 64)."""
    primes = [p for p in range(2, 410) if all(p % d for d in range(2, p))]
    k = []
    for p in primes[:count]:
        n = p << (3 * bits)     # cbrt(p) * 2^bits = cbrt(p * 2^(3 bits))
        lo, hi = 0, 1 << (bits + 4)
        while lo < hi:          # the largest r with r^3 <= n
            mid = (lo + hi + 1) // 2
            if mid ** 3 <= n:
                lo = mid
            else:
                hi = mid - 1
        k.append(lo & ((1 << bits) - 1))
    return k


def chinese(out, name, w):
    out.write(f"const uint32_t {name}[2048] = {{\n")
    for c in w:
        if len(c) != 1:
            sys.exit(f"chinese word {c!r} is not one character")
        out.write(f"\t0x{ord(c):04x},\n")
    out.write("};\n")

def fold(w):
    w = unicodedata.normalize("NFC", w)
    if w.isascii() or unicodedata.name(w[0]).startswith("LATIN"):
        w = "".join(c for c in unicodedata.normalize("NFD", w)
                    if not unicodedata.combining(c))
        if not w.isascii():
            sys.exit(f"{w!r} is not ASCII without its accents")
    return w.lower()


def intl(out, paths):
    out.write(f"const char *const bip39_intl[{len(paths)}][2048] = {{\n")
    for p in paths:
        w = [fold(x) for x in words(p)]
        if len(set(w)) != 2048:
            sys.exit(f"{p}: words not unique once folded")
        out.write("\t{\n")
        for x in w:
            out.write('\t\t"' + "".join(c if c.isascii() else
                      "".join(f"\\x{b:02x}" for b in c.encode())
                      for c in x) + '",\n')
        out.write("\t},\n")
    out.write("};\n")


en = words(sys.argv[1])
zh = words(sys.argv[2])
zt = words(sys.argv[3])
if en != sorted(en):
    sys.exit("english list is not sorted")
# the redactor looks both Chinese lists up in one table: a character in
# both must stand at the same index
at = {c: i for i, c in enumerate(zh)}
for i, c in enumerate(zt):
    if at.get(c, i) != i:
        sys.exit(f"{c!r} is word {at[c]} simplified, {i} traditional")
with open(sys.argv[-1], "w", encoding="utf-8") as out:
    out.write("/* SPDX-License-Identifier: MIT */\n")
    out.write("/* Generated from store/data/bip39 by gen_bip39.py. */\n")
    out.write("#include <stdint.h>\n")
    out.write("const char *const bip39_english[2048] = {\n")
    for w in en:
        out.write(f'\t"{w}",\n')
    out.write("};\n")
    chinese(out, "bip39_chinese", zh)
    chinese(out, "bip39_chinese_trad", zt)
    intl(out, sys.argv[4:-1])
    out.write("const uint64_t sha512_k[80] = {\n")
    for v in cube_root_fracs(80, 64):
        out.write(f"\t0x{v:016x}ull,\n")
    out.write("};\n")
    out.write("const uint32_t sha256_k[64] = {\n")
    for v in cube_root_fracs(64, 32):
        out.write(f"\t0x{v:08x},\n")
    out.write("};\n")
