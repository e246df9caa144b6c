#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Turn t2s.txt (a traditional character, a blank, its simplified form, per
# line) into a C table indexed by code point - 0x4E00: t2s.txt out.c
import sys

LO, HI = 0x4E00, 0x9FFF
table = [0] * (HI - LO + 1)
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 1 or len(parts[1]) != 1:
            sys.exit(f"{sys.argv[1]}:{n}: want two characters")
        t, s = ord(parts[0]), ord(parts[1])
        if not LO <= t <= HI or not 0x800 <= s <= 0xFFFF:
            sys.exit(f"{sys.argv[1]}:{n}: out of range")
        table[t - LO] = s
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("/* SPDX-License-Identifier: MIT */\n")
    out.write("/* Generated from store/data/t2s by gen_t2s.py. */\n")
    out.write("#include <stdint.h>\n")
    out.write(f"const uint16_t zh_t2s_table[{HI - LO + 1}] = {{\n")
    for i in range(0, len(table), 12):
        out.write("\t" + " ".join(f"0x{v:04x}," for v in table[i:i + 12]) + "\n")
    out.write("};\n")
