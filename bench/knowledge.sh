#!/usr/bin/env bash
# What loading knowledge files costs as they grow: `connfix kb check DIR` on generated user
# knowledge directories with one checklist of 1k, 4k and 16k steps, and with one error
# signature file of 4k signatures (every pattern compiled and tried on its example), then
# an ordinary command (`kb list`) with a 13 MB checklist in the user's config directory,
# which a per-file size limit turns away at once. Loading should grow linearly: 4x the
# steps, about 4x the time. No network traffic. Needs python3.
#
#   bash bench/knowledge.sh              # builds and measures the release binary
#   BIN=/path/to/connfix bash bench/knowledge.sh   # measures another build (e.g. an older one)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${BIN:-}" ]; then
  cargo build --release -q
  BIN=$PWD/target/release/connfix
fi
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import os, sys
out = sys.argv[1]
facts = ["tcp.connected", "tcp.refused", "tcp.timeout", "listener.none"]

def checklist(path, steps):
    with open(path, "w") as f:
        f.write('id = "bench-list"\ntitle = "Bench"\nabout = "A generated checklist."\n')
        for i in range(steps):
            f.write(f'\n[[step]]\nid = "step-{i}"\ntitle = "Step {i}"\n'
                    f'do = "Look at thing {i} on {{{{target.host}}}}"\ngood = "Thing {i} is fine"\n'
                    f'pass_if = ["{facts[i % 2]}"]\nfail_if = ["{facts[2 + i % 2]}"]\n')

for steps in (1000, 4000, 16000):
    d = f"{out}/steps-{steps // 1000}k/checklists"
    os.makedirs(d)
    checklist(f"{d}/bench-list.toml", steps)

d = f"{out}/signatures-4k/errors"
os.makedirs(d)
with open(f"{d}/bench.toml", "w") as f:
    f.write('ecosystem = "bench"\ntitle = "the bench client"\n')
    for i in range(4000):
        f.write(f"\n[[signature]]\nid = \"bench-{i}\"\nkind = \"refused\"\n"
                f"pattern = '''BENCH-E{i}: cannot reach (?P<addr>\\S+)'''\nrank = 2\n"
                f"knowledge = [\"nothing-listening\"]\nexamples = [\"BENCH-E{i}: cannot reach db:5432\"]\n")

# About 13 MB: far over the per-file limit.
d = f"{out}/home/connfix/knowledge/checklists"
os.makedirs(d)
checklist(f"{d}/huge.toml", 72000)
PY

# Best of $RUNS wall-clock runs of a command, in seconds; its exit code is not judged.
best() {
  local best="" t
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f %e -o "$work/time" "$@" >/dev/null 2>&1 || true
    t=$(tail -1 "$work/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}

echo "== connfix kb check DIR ($BIN; best of $RUNS)"
printf '  %-28s %10s %8s\n' "directory" "size" "seconds"
for case in steps-1k steps-4k steps-16k signatures-4k; do
  size=$(du -sh "$work/$case" | cut -f1)
  printf '  %-28s %10s %8s\n' "$case" "$size" "$(best env XDG_CONFIG_HOME="$work/none" "$BIN" kb check "$work/$case")"
done
echo "  (each must say it is valid:)"
for case in steps-16k signatures-4k; do
  printf '    %s: ' "$case"
  XDG_CONFIG_HOME="$work/none" "$BIN" kb check "$work/$case" | tail -1
done

echo
huge=$work/home/connfix/knowledge/checklists/huge.toml
limit=${HUGE_TIMEOUT:-300}
echo "== connfix kb list with a $(du -h "$huge" | cut -f1) checklist in the user's knowledge directory (given up after ${limit}s)"
printf '  %-28s %8s\n' "command" "seconds"
t=$(RUNS=1 best env XDG_CONFIG_HOME="$work/home" timeout "$limit" "$BIN" kb list)
if awk "BEGIN{exit !($t >= $limit)}"; then t=">$limit"; fi
printf '  %-28s %8s\n' "kb list" "$t"
echo "  what kb check says about the file:"
XDG_CONFIG_HOME="$work/home" timeout "$limit" "$BIN" kb check 2>&1 | grep -i "huge.toml" | head -2 | sed 's/^/    /' || true
