#!/usr/bin/env bash
# What `connfix wait` costs and how quickly it notices a service:
#  - the time from a service starting to listen to `wait` returning, over RUNS runs in which
#    the listener appears 0.5-2 s after `wait` started (median, p90, max), for the default
#    --max-interval (1s) and for 250ms; and, as the floor, `wait` on a target already up;
#  - CPU time (user+sys), peak memory and connect() attempts while waiting DURATION seconds
#    on a port nothing listens on (attempts counted with strace when it is installed).
# Traffic goes only to 127.0.0.1. Needs python3; strace is optional.
#
#   bash bench/wait.sh                  # RUNS=15 DURATION=30
#   RUNS=5 DURATION=10 bash bench/wait.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q
bin=$PWD/target/release/connfix
runs=${RUNS:-15}
duration=${DURATION:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== time from the service listening to wait returning ($runs runs each, release build)"
python3 - "$bin" "$runs" <<'PY'
import random, socket, statistics, subprocess, sys, time

bin, runs = sys.argv[1], int(sys.argv[2])
random.seed(6)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listen(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)  # connects complete in the backlog; nothing needs to accept them
    return s


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))]


def report(name, ms):
    print(f"  {name:<34} median {statistics.median(ms):6.1f} ms   p90 {pct(ms, 90):6.1f} ms"
          f"   max {max(ms):6.1f} ms   (n={len(ms)})")


def late(extra):
    ms = []
    for _ in range(runs):
        port = free_port()
        proc = subprocess.Popen([bin, "wait", f"127.0.0.1:{port}", "--timeout", "60s", "-q", *extra])
        try:
            time.sleep(random.uniform(0.5, 2.0))
            if proc.poll() is not None:
                sys.exit(f"wait returned {proc.returncode} before anything listened on {port}")
            listener = listen(port)
            t_listen = time.monotonic()
            try:
                code = proc.wait(timeout=70)
                t_exit = time.monotonic()
            finally:
                listener.close()
            if code != 0:
                sys.exit(f"wait exited {code} for 127.0.0.1:{port}")
            ms.append((t_exit - t_listen) * 1000)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return ms


# The floor: process start, one connect, exit.
port = free_port()
listener = listen(port)
floor = []
for _ in range(runs):
    t0 = time.monotonic()
    code = subprocess.run([bin, "wait", f"127.0.0.1:{port}", "--timeout", "60s", "-q"], timeout=70).returncode
    floor.append((time.monotonic() - t0) * 1000)
    assert code == 0, code
listener.close()
report("already up (start to exit)", floor)
report("late, default --max-interval 1s", late([]))
report("late, --max-interval 250ms", late(["--max-interval", "250ms"]))
PY

echo
echo "== waiting ${duration} s on 127.0.0.1:CLOSED (nothing listens)"
python3 - "$bin" "$duration" "$work" <<'PY'
import os, re, resource, shutil, socket, subprocess, sys, time

bin, duration, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
cmd = [bin, "wait", f"127.0.0.1:{port}", "--timeout", f"{duration}s", "-q"]

before = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
code = subprocess.run(cmd, stderr=subprocess.DEVNULL, timeout=duration + 30).returncode
wall = time.monotonic() - t0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
user = after.ru_utime - before.ru_utime
sys_ = after.ru_stime - before.ru_stime
print(f"  exit code {code} (124 expected) after {wall:.2f} s")
print(f"  CPU: user {user:.3f} s + sys {sys_:.3f} s = {user + sys_:.3f} s"
      f"  ({100 * (user + sys_) / wall:.2f}% of one core)")
print(f"  peak memory (max RSS): {after.ru_maxrss / 1024:.1f} MiB")

strace = shutil.which("strace")
if not strace:
    print("  connect() attempts: strace not installed (apt-get install strace), not counted")
    sys.exit(0)
out = os.path.join(work, "strace.txt")
r = subprocess.run([strace, "-f", "-c", "-e", "trace=connect", "-o", out, *cmd],
                   stderr=subprocess.DEVNULL, timeout=duration + 30)
calls = None
if os.path.exists(out):
    for line in open(out):
        fields = line.split()
        if fields and fields[-1] == "connect" and len(fields) >= 5:
            calls = int(fields[3])
if calls is None:
    print(f"  connect() attempts: strace could not count them (exit {r.returncode}; ptrace not allowed?)")
else:
    print(f"  connect() attempts (strace, separate run): {calls} in {duration} s"
          f" = {calls / duration:.2f}/s")
PY
