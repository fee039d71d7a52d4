#!/usr/bin/env bash
# What keeping sessions costs: a check with and without --save (the difference is one atomic,
# fsynced write), the size of a saved session, and reading it back as each report format.
# Traffic goes only to a closed loopback port. Needs hyperfine (apt-get install hyperfine).
#
#   bash bench/session.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -q
bin=$PWD/target/release/connfix
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME=$data

echo "== check of a refused port, without and with --save (data directory: $data)"
hyperfine -N --warmup 3 --runs 40 -i \
  "$bin check 127.0.0.1:$port --json" \
  "$bin check 127.0.0.1:$port --json --save"

id=$("$bin" report list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
file=$data/connfix/sessions/$id.json
echo
echo "== one saved check: $(wc -c <"$file") bytes of JSON; $(ls "$data/connfix/sessions" | grep -c '\.json$') sessions saved"

echo
echo "== reading it back"
hyperfine -N --warmup 3 --runs 40 \
  "$bin report show $id" \
  "$bin report export $id --format html" \
  "$bin report list"
