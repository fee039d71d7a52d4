#!/usr/bin/env bash
# What the service probe (what answers past the TCP handshake) adds to `connfix check` on
# loopback: its own elapsed time, and the whole check, against real Redis, PostgreSQL-less
# loopback servers. Traffic stays on 127.0.0.1; the servers are started and stopped here.
#
#   bash bench/service.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q
bin=$PWD/target/release/connfix
runs=15
dir=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# median of the service probe's elapsed_ms and of the whole check's wall time, over $runs
measure() {
  local target=$1
  python3 - "$bin" "$target" "$runs" <<'PY'
import json, statistics, subprocess, sys, time
bin, target, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
probe, wall = [], []
for _ in range(runs):
    t = time.perf_counter()
    out = subprocess.run([bin, "check", target, "--json"], capture_output=True, text=True).stdout
    wall.append((time.perf_counter() - t) * 1000)
    v = json.loads(out)
    s = next(p for p in v["probes"] if p["id"] == "service")
    probe.append(s["elapsed_ms"])
print(f"{target:<40} verdict {v['verdict']['id']:<18} service probe median {statistics.median(probe):6.1f} ms (max {max(probe):6.1f})   whole check median {statistics.median(wall):6.1f} ms")
PY
}

if command -v redis-server >/dev/null; then
  p=$(free_port)
  redis-server --port "$p" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >/dev/null &
  pids+=($!)
  sleep 0.3
  measure "redis://127.0.0.1:$p"
fi

# An HTTP server (python): the probe only glances for a banner.
p=$(free_port)
python3 -m http.server "$p" --bind 127.0.0.1 >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
measure "http://127.0.0.1:$p/"

# A refused port: the service probe is skipped, so it adds nothing.
p=$(free_port)
measure "127.0.0.1:$p"
