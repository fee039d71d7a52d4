#!/usr/bin/env python3
"""Score `connfix explain --json` on a set of real error messages.

Reads JSONL records (tests/corpus/real/*.jsonl), runs the real binary once per
record with the text on stdin, and compares kind, host and port with the labels.
A null label must be answered with null; `alt_hosts` lists other spellings of the
same target that also count. Prints accuracy overall, per kind, per family and
per ecosystem (worst first), then every miss.

    python3 bench/explain-score.py --bin target/release/connfix tests/corpus/real/working.jsonl
    options: --misses N (how many misses to print, default all), --json (machine-readable totals)
"""
import argparse
import collections
import json
import subprocess
import sys


def norm_host(h):
    if h is None:
        return None
    return h.strip().strip("[]").lower().rstrip(".")


def explain(binary, text):
    out = subprocess.run([binary, "explain", "-", "--json"], input=text.encode(),
                         capture_output=True, timeout=30)
    try:
        data = json.loads(out.stdout.decode() or "{}")
    except json.JSONDecodeError:
        data = {}
    target = data.get("target") or {}
    return data.get("kind"), target.get("host"), target.get("port")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--misses", type=int, default=-1)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    records = [json.loads(line) for f in args.files for line in open(f, encoding="utf-8") if line.strip()]
    tallies = {k: collections.defaultdict(lambda: [0, 0, 0, 0]) for k in ("kind", "family", "ecosystem")}
    total = [0, 0, 0, 0]
    misses = []
    for r in records:
        kind, host, port = explain(args.bin, r["text"])
        want_hosts = {norm_host(r["host"])} | {norm_host(h) for h in r.get("alt_hosts", [])}
        ok = (kind == r["kind"], norm_host(host) in want_hosts, port == r["port"])
        for t in [total] + [tallies[k][r[k]] for k in tallies]:
            t[0] += 1
            for i, good in enumerate(ok):
                t[i + 1] += good
        if not all(ok):
            misses.append((r, (kind, host, port), ok))

    def pct(t, i):
        return 100.0 * t[i] / t[0] if t[0] else 0.0

    if args.json:
        json.dump({"n": total[0], "kind": pct(total, 1), "host": pct(total, 2), "port": pct(total, 3),
                   "families": {f: {"n": t[0], "kind": pct(t, 1), "host": pct(t, 2), "port": pct(t, 3)}
                                for f, t in tallies["family"].items()}}, sys.stdout, indent=1)
        print()
        return
    print(f"records {total[0]}: kind {pct(total,1):.1f}%  host {pct(total,2):.1f}%  port {pct(total,3):.1f}%")
    for k in ("kind", "family", "ecosystem"):
        rows = sorted(tallies[k].items(), key=lambda kv: (min(pct(kv[1], 1), pct(kv[1], 2), pct(kv[1], 3)), kv[0]))
        if k == "ecosystem":
            rows = [kv for kv in rows if min(pct(kv[1], i) for i in (1, 2, 3)) < 100]
            print(f"\n== per ecosystem (only those below 100%: {len(rows)} of {len(tallies[k])})")
        else:
            print(f"\n== per {k}")
        for name, t in rows:
            print(f"  {name:28} n={t[0]:3}  kind {pct(t,1):5.1f}  host {pct(t,2):5.1f}  port {pct(t,3):5.1f}")
    shown = misses if args.misses < 0 else misses[: args.misses]
    print(f"\n== misses ({len(misses)})")
    for r, got, ok in shown:
        flags = "".join(c if not good else "." for c, good in zip("KHP", ok))
        print(f"[{flags}] {r['ecosystem']} ({r['family']}) {r['source']}")
        print(f"    want {r['kind']} {r['host']} {r['port']}   got {got[0]} {got[1]} {got[2]}")
        print("    | " + r["text"][:300].replace("\n", "\n    | "))


if __name__ == "__main__":
    main()
