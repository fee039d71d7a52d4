#!/usr/bin/env bash
# What the container probe adds to `connfix check`: its own time with a real Docker engine
# (started here in a network namespace of its own, on a private socket, with a busybox image
# imported locally), and with no engine at all. Needs root, docker.io and busybox-static.
# Everything it starts is removed at the end.
#
#   sudo bash bench/container.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=$PWD/target/release/connfix
runs=15
ns=cfx-bench-dk-$$
dir=$(mktemp -d)
cleanup() {
  DOCKER_HOST=unix://$dir/docker.sock docker rm -f web >/dev/null 2>&1 || true
  [ -f "$dir/dockerd.pid" ] && kill "$(cat "$dir/dockerd.pid")" 2>/dev/null || true
  sleep 2
  pkill -f "containerd.*$dir" 2>/dev/null || true
  grep -o " $dir[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
nsenter --net=/var/run/netns/"$ns" dockerd --host=unix://"$dir"/docker.sock \
  --data-root="$dir"/data --exec-root="$dir"/exec --pidfile="$dir"/dockerd.pid \
  --storage-driver=vfs >"$dir"/log 2>&1 &
export DOCKER_HOST=unix://$dir/docker.sock
for _ in $(seq 1 300); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
mkdir -p "$dir"/rootfs/bin "$dir"/rootfs/www
cp /bin/busybox "$dir"/rootfs/bin/ && ln -s busybox "$dir"/rootfs/bin/httpd && ln -s busybox "$dir"/rootfs/bin/sh
echo ok > "$dir"/rootfs/www/index.html
tar -C "$dir"/rootfs -c . | docker import - cfx-busybox:bench >/dev/null
docker run -d --name web -p 127.0.0.1:18099:8080 cfx-busybox:bench httpd -f -p 8080 -h /www >/dev/null
sleep 1

measure() {
  local label=$1; shift
  python3 - "$label" "$runs" "$@" <<'PY'
import json, statistics, subprocess, sys, time
label, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
probe, wall = [], []
for _ in range(runs):
    t = time.perf_counter()
    v = json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)
    wall.append((time.perf_counter() - t) * 1000)
    probe.append(next(p for p in v["probes"] if p["id"] == "container")["elapsed_ms"])
print(f"{label:<34} container probe median {statistics.median(probe):6.1f} ms (max {max(probe):6.1f})   whole check median {statistics.median(wall):6.1f} ms")
PY
}
measure "engine present, published port" ip netns exec "$ns" env DOCKER_HOST="$DOCKER_HOST" "$bin" check http://127.0.0.1:18099/ --json
measure "no engine (no socket)" ip netns exec "$ns" env DOCKER_HOST=unix:///nonexistent.sock "$bin" check http://127.0.0.1:18099/ --json
