#!/usr/bin/env python3
"""How often `connfix explain` changes its answer when a corpus message is pasted the way
real pastes get mangled: CRLF line ends, colour codes, a Markdown fence, unrelated log
lines around it, a syslog prefix on every line, or a terminal cutting lines at 80 or 120
columns. Each message is read plain and mangled; a different (kind, host, port) counts.
No network traffic. Usage:
  python3 bench/explain-robust.py --bin target/release/connfix [--sample 300] [--seed 1]
"""
import argparse, glob, json, random, subprocess
from pathlib import Path


def answer(bin_path, text):
    r = subprocess.run([bin_path, "explain", "-", "--json"], input=text.encode(),
                       capture_output=True, timeout=20)
    try:
        d = json.loads(r.stdout)
    except json.JSONDecodeError:
        return ("error", r.stderr.decode(errors="replace")[:80], None)
    t = d.get("target") or {}
    return (d.get("kind"), t.get("host"), t.get("port"))


def cut(text, width):
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out)


MANGLES = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "colour": lambda t: "\n".join(f"\x1b[31m{l}\x1b[0m" if l.strip() else l for l in t.split("\n")),
    "fence": lambda t: f"Here is the error:\n```\n{t}\n```\nAny ideas?",
    "noise": lambda t: "\n".join(f"INFO worker {i}: processed batch {i} in 12ms" for i in range(30))
    + f"\n{t}\n" + "\n".join(f"DEBUG gc pause {i}ms" for i in range(30)),
    "syslog": lambda t: "\n".join(f"Dec  5 08:00:01 web01 app[4242]: {l}" for l in t.split("\n")),
    "cut80": lambda t: cut(t, 80),
    "cut120": lambda t: cut(t, 120),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", action="store_true", help="print each changed record")
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent / "tests/corpus/real"
    records = [json.loads(l) for f in sorted(glob.glob(str(root / "*.jsonl"))) for l in open(f)]
    random.seed(args.seed)
    sample = random.sample(records, min(args.sample, len(records)))
    plain = [answer(args.bin, r["text"]) for r in sample]
    for name, mangle in MANGLES.items():
        changed = 0
        for r, p in zip(sample, plain):
            got = answer(args.bin, mangle(r["text"]))
            if got != p:
                changed += 1
                if args.show:
                    print(f"  [{name}] {r['source']}: {p} -> {got}")
        print(f"{name:8} {changed:3} of {len(sample)} answers changed", flush=True)


if __name__ == "__main__":
    main()
