#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Score the redactor on corpora written by tests/corpus/gen_redact2.py:
# per kind, how many secrets were removed whole (no word of a phrase, no
# 12 characters of a key left beyond what the text around it holds) and
# how many look-alikes ("clean") were touched. Runs `tdesk redact
# --jsonl` once per file.
# Usage: redact_score.py TDESK FILE... [-v: list the misses]
import json
import re
import subprocess
import sys
import unicodedata


def unesc(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            k, t, s, c = (line.rstrip("\n").split("\t") + ["", "", ""])[:4]
            rows.append((k, unesc(t), unesc(s), unesc(c)))
    return rows


def count(text, w):
    if w.isascii() or any(unicodedata.category(c).startswith("L") and ord(c) < 0x2000 for c in w):
        return len(re.findall(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text.lower()))
    return text.count(w)


def leaked(kind, out, secret, ctx):
    out = re.sub(r"\[[^\]]* redacted[^\]]*\]", " ", out)   # the markers' own words
    if kind.startswith("seed"):
        words = secret.split(" ")
        n = 0
        for w in set(words):
            n += max(0, min(count(out, w.lower()), words.count(w)) - count(ctx, w.lower()))
        return n
    flat = re.sub(r"\s", "", out)
    if kind == "backup":
        return sum(c in out for c in secret.split(" "))
    sec = re.sub(r"\s", "", secret)
    step = 12 if len(sec) >= 12 else len(sec)
    return sum(sec[i:i + step] in flat for i in range(0, len(sec) - step + 1, 4))


def score(tdesk, path, verbose):
    rows = read(path)
    inp = "".join(json.dumps({"id": i, "text": r[1]}, ensure_ascii=False) + "\n"
                  for i, r in enumerate(rows))
    p = subprocess.run([tdesk, "redact", "--jsonl"], input=inp.encode(),
                       capture_output=True, check=True)
    outs = [json.loads(l)["redacted_text"] for l in p.stdout.decode().splitlines()]
    per = {}
    fp = clean = 0
    for (k, t, s, c), o in zip(rows, outs):
        if k == "clean":
            clean += 1
            if o != t:
                fp += 1
                if verbose:
                    print("  TOUCHED: %r\n     ->   %r" % (t, o))
            continue
        d = per.setdefault(k, [0, 0])
        d[1] += 1
        n = leaked(k, o, s, c)
        if n == 0:
            d[0] += 1
        elif verbose:
            print("  MISSED %s (%d left): %r\n     ->   %r" % (k, n, t, o))
    got = sum(v[0] for v in per.values())
    tot = sum(v[1] for v in per.values())
    print("%s: secrets removed %d/%d (%.1f%%), look-alikes touched %d/%d" %
          (path.split("/")[-1], got, tot, 100.0 * got / max(tot, 1), fp, clean))
    print("  " + "  ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(per.items())))


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    for path in args[1:]:
        score(args[0], path, "-v" in sys.argv)


if __name__ == "__main__":
    main()
