#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Score `tdesk classify --jsonl` against a labelled corpus (TSV: split,
# category, incident, urgent, lang, subject, body). Usage:
#   score.py TDESK CORPUS.tsv [--verbose] [--min-cat 0.85 --min-inc-recall 0.95
#            --min-inc-precision 0.8 --min-urg-recall 0.9]
# Prints the numbers; exits 1 when a minimum is not met.
import json, subprocess, sys

args = sys.argv[1:]
tdesk, corpus = args[0], args[1]
verbose = "--verbose" in args
mins = {}
for k in ("--min-cat", "--min-inc-recall", "--min-inc-precision", "--min-urg-recall"):
    if k in args:
        mins[k] = float(args[args.index(k) + 1])
rows = []
with open(corpus, encoding="utf-8") as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        p = line.rstrip("\n").split("\t")
        rows.append(dict(cat=p[1], inc=p[2] == "1", urg=p[3] == "1", lang=p[4], subject=p[5], body=p[6]))
inp = "".join(json.dumps({"id": i, "subject": r["subject"], "body": r["body"], "lang": r["lang"]}, ensure_ascii=False) + "\n" for i, r in enumerate(rows))
out = subprocess.run([tdesk, "classify", "--jsonl"], input=inp.encode(), capture_output=True, check=True).stdout.decode()
res = {}
for line in out.splitlines():
    o = json.loads(line)
    res[o["id"]] = o
ok = tp = fp = fn = utp = ufn = 0
for i, r in enumerate(rows):
    o = res[i]
    good = o["category"] == r["cat"]
    ok += good
    if r["inc"] and o["security_incident"]: tp += 1
    elif r["inc"]: fn += 1
    elif o["security_incident"]: fp += 1
    if r["urg"] and o["urgent"]: utp += 1
    elif r["urg"]: ufn += 1
    if verbose and (not good or r["inc"] != o["security_incident"] or r["urg"] != o["urgent"]):
        print("MISS %-15s inc=%d urg=%d got %-15s inc=%d urg=%d rules=%s | %s | %s" % (
            r["cat"], r["inc"], r["urg"], o["category"], o["security_incident"], o["urgent"],
            ",".join(o["rules"]), r["subject"], r["body"][:70]))
n = len(rows)
cat = ok / n
rec = tp / (tp + fn) if tp + fn else 1.0
prec = tp / (tp + fp) if tp + fp else 1.0
urec = utp / (utp + ufn) if utp + ufn else 1.0
print("%s: %d tickets: category accuracy %.1f%%, incident recall %.1f%% precision %.1f%%, urgent recall %.1f%%"
      % (corpus.split("/")[-1], n, 100 * cat, 100 * rec, 100 * prec, 100 * urec))
fail = 0
for k, v in (("--min-cat", cat), ("--min-inc-recall", rec), ("--min-inc-precision", prec), ("--min-urg-recall", urec)):
    if k in mins and v < mins[k]:
        print("below %s %.2f" % (k, mins[k])); fail = 1
sys.exit(fail)
