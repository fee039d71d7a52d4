#!/usr/bin/env bash
# Figures of the TUI, measured on the real binary in tmux: time from start to the first
# frame, the cost of drawing frames, idle CPU while a probe hangs, peak memory of a session.
# Traffic goes only to loopback. Needs tmux and python3. Frame render time without terminal
# output is measured separately by `cargo bench --bench render`.
#
#   bash bench/tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q
bin=$PWD/target/release/connfix
work=$(mktemp -d)
sock="connfix-bench-$$"
server_pid=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Runs the TUI in a detached 120x40 tmux session; prints connfix's pid.
start() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  tmux -L "$sock" new-session -d -x 120 -y 40 \
    "echo \$\$ > $work/pid; NO_COLOR=1 XDG_STATE_HOME=$work/state exec $bin $*"
  for _ in $(seq 50); do [ -s "$work/pid" ] && break; sleep 0.1; done
  cat "$work/pid"
}

echo "== start to first frame, connfix demo (10 runs; from the log)"
for i in $(seq 10); do
  rm -f "$work/pid"
  start demo --log-file "$work/demo.log" >/dev/null
  sleep 1.5
  tmux -L "$sock" send-keys q
  sleep 0.3
done
grep -o 'first frame drawn [0-9.]* ms' "$work/demo.log" | awk '{print $4}' | sort -n |
  awk '{a[NR]=$1} END {printf "median %.1f ms (min %.1f, max %.1f, %d runs)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'
echo "drawing in the terminal (tmux pty), per session:"
grep -o 'drawing took .*' "$work/demo.log" | sort | uniq -c | sort -rn | head -3

echo
echo "== idle CPU while a probe hangs (HTTP server that accepts and never answers; 20 s)"
port_file=$work/port
python3 - "$port_file" <<'PY' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held, end = [], time.time() + 120
s.settimeout(1)
while time.time() < end:
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
PY
server_pid=$!
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
rm -f "$work/pid"
pid=$(start "http://127.0.0.1:$(cat "$port_file")/ --timeout 60s --log-file $work/hang.log")
sleep 2
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks "$pid"); sleep 20; t1=$(ticks "$pid")
awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN {printf "CPU: %.2f%% of one core (%.2f s of CPU in 20 s)\n", (b-a)/hz/20*100, (b-a)/hz}'
grep VmHWM "/proc/$pid/status" | awk '{printf "peak memory of the session so far (VmHWM): %.1f MiB\n", $2/1024}'
tmux -L "$sock" send-keys q
