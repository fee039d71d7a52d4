#!/usr/bin/env python3
"""Check one collector's file before it joins the corpus: format, labels, and overlap with
every set in tests/corpus/real and the other files given after it (the other collectors'
files of the same round). Prints only line numbers and reasons, never the other texts, so a
blind collector can run it without seeing the corpus.

    python3 bench/corpus-check.py MY.jsonl [OTHER.jsonl ...]
"""
import glob, json, os, re, sys, collections

KINDS = {"refused", "timeout", "reset", "tls", "dns", "unreachable", "other"}
FAMILIES = set("""mobile go http-cli databases-brokers ssh windows-dotnet browser cli
cloud-containers jvm localized native-functional net-tools node proxy-monitoring python
scripting tls""".split())
FIELDS = {"source", "ecosystem", "family", "detail", "kind", "host", "port", "text"}

def norm(t):
    return re.sub(r"[\W_]+", "", t.lower())

def src(u):
    return re.sub(r"[#?].*$", "", u.strip().rstrip("/").lower())

mine = sys.argv[1]
corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus", "real")
others = glob.glob(os.path.join(corpus, "*.jsonl")) + \
         [f for f in sys.argv[2:] if os.path.abspath(f) != os.path.abspath(mine)]
old_src, old_txt = set(), []
for f in others:
    for line in open(f, encoding="utf-8"):
        if line.strip():
            try:
                r = json.loads(line)
            except Exception:
                continue
            old_src.add(src(r.get("source", "")))
            old_txt.append(norm(r.get("text", "")))
problems, seen_txt, per_src, per_eco, n = [], [], collections.Counter(), collections.Counter(), 0
for i, line in enumerate(open(mine, encoding="utf-8"), 1):
    if not line.strip():
        continue
    n += 1
    try:
        r = json.loads(line)
    except Exception as e:
        problems.append(f"line {i}: not JSON ({e})"); continue
    miss = FIELDS - set(r)
    if miss: problems.append(f"line {i}: missing {sorted(miss)}")
    if r.get("kind") not in KINDS: problems.append(f"line {i}: kind must be one of {sorted(KINDS)}")
    if r.get("family") not in FAMILIES: problems.append(f"line {i}: unknown family")
    if r.get("port") is not None and not (isinstance(r["port"], int) and 0 < r["port"] < 65536):
        problems.append(f"line {i}: port must be an integer or null")
    h = r.get("host")
    if h is not None and (not isinstance(h, str) or not h or h != h.strip()):
        problems.append(f"line {i}: host must be a non-empty string or null")
    t = r.get("text", "")
    if not isinstance(t, str) or len(t.strip()) < 8: problems.append(f"line {i}: text too short"); continue
    if "actively refused it" in t: problems.append(f"line {i}: holds the reference sentence; leave it out")
    # A source's address can spell the sentence too (a blog post's slug).
    if "actively-refused-it" in r.get("source", "").lower():
        problems.append(f"line {i}: the source's address holds the reference sentence; leave it out")
    s = src(r.get("source", ""))
    if not s.startswith("http"): problems.append(f"line {i}: source must be a URL")
    if s in old_src: problems.append(f"line {i}: this source thread is already collected")
    per_src[s] += 1
    if per_src[s] == 3: problems.append(f"line {i}: more than 2 records from one thread")
    per_eco[r.get("ecosystem")] += 1
    if per_eco[r.get("ecosystem")] == 4: problems.append(f"line {i}: more than 3 records of one ecosystem")
    nt = norm(t)
    if len(nt) >= 12 and any(nt in o or (len(o) >= 12 and o in nt) for o in old_txt):
        problems.append(f"line {i}: text overlaps an already collected text")
    if any(nt in o or o in nt for o in seen_txt):
        problems.append(f"line {i}: text overlaps an earlier line of this file")
    seen_txt.append(nt)
for p in problems: print(p)
print(("OK" if not problems else f"{len(problems)} problems") + f", {n} records")
