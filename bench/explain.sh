#!/usr/bin/env bash
# What `connfix explain` costs and how often it is right:
#  - time and peak memory for pastes of 1 KB, 1 MB and 4 MB (a log of unrelated lines with
#    real client errors spread through it; 4 MB is the most it reads), and for one line;
#  - accuracy (kind, host, port) on the documented corpus and on the captured corpus.
#    (To measure accuracy on messages the signatures were not tuned on, put a new corpus
#    in tests/corpus/heldout/*.toml before looking at what explain makes of it.)
# No network traffic at all. Needs hyperfine (apt-get install hyperfine) and python3.
#
#   bash bench/explain.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/connfix
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import glob, random, sys
out = sys.argv[1]
random.seed(7)
errors = [open(f, errors="replace").read() for f in sorted(glob.glob("tests/corpus/captured/*.txt"))]
noise = [
    "2024-05-01 12:00:{:02d},{:03d} INFO  [worker-{}] handled request GET /api/items/{} in {} ms",
    "2024-05-01 12:00:{:02d},{:03d} DEBUG [pool-{}] connection {} returned to pool after {} ms",
]
def paste(size):
    lines, n = [], 0
    while n < size:
        if random.random() < 0.002:
            s = random.choice(errors)
        else:
            s = random.choice(noise).format(random.randrange(60), random.randrange(1000),
                random.randrange(8), random.randrange(100000), random.randrange(500)) + "\n"
        lines.append(s)
        n += len(s)
    return "".join(lines)
for name, size in [("1k", 1024), ("1m", 1 << 20), ("4m", (4 << 20) - 4096)]:
    open(f"{out}/paste-{name}.txt", "w").write(paste(size))
open(f"{out}/one-line.txt", "w").write("Error: connect ECONNREFUSED 127.0.0.1:5432\n")
PY

echo "== explain time (release build)"
hyperfine -N --warmup 2 --runs 15 -i \
  "$bin explain $work/one-line.txt --json" \
  "$bin explain $work/paste-1k.txt --json" \
  "$bin explain $work/paste-1m.txt --json" \
  "$bin explain $work/paste-4m.txt --json"

echo
echo "== peak memory (max RSS)"
for f in one-line paste-1m paste-4m; do
  /usr/bin/time -f "  $f: %M KB" "$bin" explain "$work/$f.txt" --json >/dev/null
done

echo
echo "== accuracy"
python3 - "$bin" <<'PY'
import glob, json, subprocess, sys, tomllib
bin = sys.argv[1]
def run(text):
    r = subprocess.run([bin, "explain", "-", "--json"], input=text, capture_output=True, text=True)
    return json.loads(r.stdout) if r.stdout.strip() else {}
def score(name, cases):
    right = {"kind": 0, "host": 0, "port": 0, "all three": 0}
    for text, want in cases:
        got = run(text)
        t = got.get("target") or {}
        ok = {
            "kind": got.get("kind") == want.get("kind"),
            "host": t.get("host") == want.get("host"),
            "port": t.get("port") == want.get("port"),
        }
        ok["all three"] = all(ok.values())
        for k, v in ok.items():
            right[k] += v
    n = len(cases)
    print(f"  {name}: {n} cases  " + "  ".join(f"{k} {100 * v / n:.1f}%" for k, v in right.items()))
def toml_cases(pattern):
    cases = []
    for f in sorted(glob.glob(pattern)):
        for c in tomllib.load(open(f, "rb"))["case"]:
            cases.append((c["text"], c))
    return cases
score("documented", toml_cases("tests/corpus/documented/*.toml"))
if glob.glob("tests/corpus/heldout/*.toml"):
    score("held-out  ", toml_cases("tests/corpus/heldout/*.toml"))
# The captured corpus: the expected target is in the file name's scenario (the test's table).
scen = {"refused-v4": ("127.0.0.1", 8081), "refused-v6": ("::1", 8082), "nxdomain": ("nothere.connfix.test", 8083),
        "dead-dns": ("api.connfix.test", 8084), "reset": ("127.0.0.1", 8085), "timeout": ("127.0.0.1", 8086),
        "unreachable": ("10.231.9.9", 8087), "tls-mismatch": ("127.0.0.1", 8443)}
kinds = {"refused-v4": "refused", "refused-v6": "refused", "nxdomain": "dns", "dead-dns": "dns", "reset": "reset",
         "timeout": "timeout", "unreachable": "unreachable", "tls-mismatch": "tls"}
right = n = 0
for f in sorted(glob.glob("tests/corpus/captured/*.txt")):
    s = next((k for k in scen if f.endswith(k + ".txt")), None)
    if not s:
        continue
    n += 1
    got = run(open(f, errors="replace").read())
    right += got.get("kind") == kinds[s]
print(f"  captured: {n} TCP captures, kind as the scenario made it: {100 * right / n:.1f}% "
      "(the rest say less than the scenario: curl's 'Couldn't connect', Java's bare ConnectException;"
      " tests/explain_clients.rs holds what each must say)")
PY
