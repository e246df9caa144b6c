#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Score `tdesk classify --jsonl` against a labelled corpus (TSV: split,
# category, incident, urgent, lang, subject, body). Usage:
#   score.py TDESK CORPUS.tsv [--verbose] [--min-cat 0.85 --min-inc-recall 0.95
#            --min-inc-precision 0.8 --min-urg-recall 0.9] [--confusion]
# "\\n" in a body is a line break (mail with quoted history, signatures).
# Prints the numbers (--confusion: the category confusion matrix, rows
# the label, columns the verdict); exits 1 when a minimum is not met.
import json, subprocess, sys

args = sys.argv[1:]
tdesk, corpus = args[0], args[1]
verbose = "--verbose" in args
confusion = "--confusion" in args
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
        rows.append(dict(cat=p[1], inc=p[2] == "1", urg=p[3] == "1", lang=p[4], subject=p[5], body=p[6].replace("\\n", "\n")))
inp = "".join(json.dumps({"id": i, "subject": r["subject"], "body": r["body"], "lang": r["lang"]}, ensure_ascii=False) + "\n" for i, r in enumerate(rows))
out = subprocess.run([tdesk, "classify", "--jsonl"], input=inp.encode(), capture_output=True, check=True).stdout.decode()
res = {}
for line in out.splitlines():
    o = json.loads(line)
    res[o["id"]] = o
ok = tp = fp = fn = utp = ufn = ufp = 0
for i, r in enumerate(rows):
    o = res[i]
    good = o["category"] == r["cat"]
    ok += good
    if r["inc"] and o["security_incident"]: tp += 1
    elif r["inc"]: fn += 1
    elif o["security_incident"]: fp += 1
    if r["urg"] and o["urgent"]: utp += 1
    elif r["urg"]: ufn += 1
    elif o["urgent"]: ufp += 1
    if verbose and (not good or r["inc"] != o["security_incident"] or r["urg"] != o["urgent"]):
        print("MISS %-15s inc=%d urg=%d got %-15s inc=%d urg=%d rules=%s | %s | %s" % (
            r["cat"], r["inc"], r["urg"], o["category"], o["security_incident"], o["urgent"],
            ",".join(o["rules"]), r["subject"], r["body"][:70]))
n = len(rows)
if confusion:
    names = ["security", "account_access", "kyc", "deposit", "withdrawal",
             "trade", "compliance", "api", "other"]
    short = [c[:5] for c in names]
    m = {}
    for i, r in enumerate(rows):
        k = (r["cat"], res[i]["category"])
        m[k] = m.get(k, 0) + 1
    print("%-15s" % "label \\ got" + "".join("%6s" % c for c in short))
    for a in names:
        print("%-15s" % a + "".join("%6s" % (m.get((a, b), "") or ".") for b in names))
cat = ok / n
rec = tp / (tp + fn) if tp + fn else 1.0
prec = tp / (tp + fp) if tp + fp else 1.0
urec = utp / (utp + ufn) if utp + ufn else 1.0
uprec = utp / (utp + ufp) if utp + ufp else 1.0
print("%s: %d tickets: category accuracy %.1f%%, incident recall %.1f%% precision %.1f%%, urgent recall %.1f%% precision %.1f%%"
      % (corpus.split("/")[-1], n, 100 * cat, 100 * rec, 100 * prec, 100 * urec, 100 * uprec))
fail = 0
for k, v in (("--min-cat", cat), ("--min-inc-recall", rec), ("--min-inc-precision", prec), ("--min-urg-recall", urec)):
    if k in mins and v < mins[k]:
        print("below %s %.2f" % (k, mins[k])); fail = 1
sys.exit(fail)
