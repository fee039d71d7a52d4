#!/usr/bin/env bash
# Accuracy of `connfix explain` on the real-message corpus (see tests/corpus/real/README.md).
# No network traffic. Usage:
#   bash bench/explain-score.sh            # working set
#   bash bench/explain-score.sh sealed     # the first sealed set (now tuned on)
#   bash bench/explain-score.sh sealed2    # the second sealed set (now tuned on)
#   bash bench/explain-score.sh sealed3    # the third (now tuned on)
#   bash bench/explain-score.sh sealed4    # the fourth (now tuned on; a new blind set is needed to measure)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/connfix
set_name=${1:-working}
shift || true
python3 bench/explain-score.py --bin "$bin" "$@" "tests/corpus/real/$set_name.jsonl"
