#!/usr/bin/env bash
# Runs each fuzz target under fuzz/ for a bounded time (libFuzzer via cargo-fuzz, which
# needs a nightly toolchain; `cargo install cargo-fuzz --locked` installs the tool from
# crates.io). Every target's header says what its oracle checks; a crash is saved under
# fuzz/artifacts/TARGET/ and should become a regression test.
#
#   bash bench/fuzz.sh [SECONDS_PER_TARGET]     (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
rustup toolchain list | grep -q nightly || {
  echo "cargo-fuzz needs a nightly toolchain: rustup toolchain install nightly" >&2
  exit 1
}
status=0
for target in $(cargo +nightly fuzz list); do
  seeds=()
  [ "$target" = explain ] && seeds=(fuzz/seeds)
  echo "== $target for ${secs}s"
  if ! cargo +nightly fuzz run "$target" "${seeds[@]}" -- -max_total_time="$secs" -print_final_stats=1 2>&1 \
      | grep -E "stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|panicked|Done"; then
    status=1
  fi
done
exit $status
