#!/usr/bin/env bash
# Speed and memory of `connfix check`, measured side by side with the commands an expert
# would type for the same question. Traffic goes only to loopback and to a network namespace
# this script makes and removes. Needs: hyperfine (apt-get install hyperfine); root for the
# DROP case and for reading firewall rules.
#
#   bash bench/check.sh            # prints the figures quoted in the issue notes
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q
bin=$PWD/target/release/connfix
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

echo "== refused loopback port 127.0.0.1:$port: connfix vs the expert's commands"
expert="getent ahosts 127.0.0.1 >/dev/null; nc -z -w1 127.0.0.1 $port; ss -ltnp >/dev/null; iptables -S >/dev/null 2>&1; nft list ruleset >/dev/null 2>&1; true"
hyperfine -i --warmup 3 --runs 30 -N \
  "$bin check 127.0.0.1:$port --json" \
  "sh -c '$expert'" 2>/dev/null || hyperfine -i --warmup 3 --runs 30 \
  "$bin check 127.0.0.1:$port --json" "$expert"

echo
echo "== peak memory (max RSS) of one check"
python3 - "$bin" "$port" <<'PY'
import resource, subprocess, sys
subprocess.run([sys.argv[1], "check", f"127.0.0.1:{sys.argv[2]}", "--json"], stdout=subprocess.DEVNULL)
print(f"max RSS: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f} MiB")
PY

echo
echo "== release binary size"
ls -l "$bin" | awk '{printf "%.1f MiB\n", $5 / 1048576}'

if [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null && command -v iptables >/dev/null; then
  ns="cfx-bench-$$"
  ip netns add "$ns"
  trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
  ip netns exec "$ns" ip link set lo up
  ip netns exec "$ns" iptables -A INPUT -p tcp --dport 9 -j DROP
  echo
  echo "== DROP target with --timeout 2s (all probes concurrent: close to 2 s, not a sum)"
  hyperfine -i --runs 5 -N "ip netns exec $ns $bin check 127.0.0.1:9 --timeout 2s --json" 2>/dev/null \
    || hyperfine -i --runs 5 "ip netns exec $ns $bin check 127.0.0.1:9 --timeout 2s --json"
fi
