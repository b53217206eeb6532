#!/usr/bin/env bash
# The web UI's dashboard and project page for a plant of 500 zones and 20,000 assets
# (bench/gen_plant.py), served by `levee serve` (release, SQLite) on loopback: wrk with one
# connection for SECONDS per page, latency percentiles against the 100 ms target.
# Usage: bash bench/ui.sh [SECONDS] [ZONES] [ASSETS]   (needs root or sudo for apt)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
zones=${2:-500}
assets=${3:-20000}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk > /dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq wrk > /dev/null
fi
cargo build --release -q -p levee
levee=${CARGO_TARGET_DIR:-target}/release/levee
work=$(mktemp -d)
trap 'kill "${pid:-0}" 2> /dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_plant.py "$work/plant" "$zones" "$assets"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}')"
start=$(date +%s.%N)
LEVEE_LOG=warn LEVEE_DATA_DIR="$work/data" "$levee" serve --db "sqlite:$work/ui.db" --listen 127.0.0.1:18091 \
  --push "$work/plant" > "$work/token" 2> "$work/log" &
pid=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$work/log" 2> /dev/null && break
  sleep 0.1
done
echo "push and assessment of the plant at start: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f s", e - s}')"
token=$(head -n 1 "$work/token")
for page in /projects /projects/plant /projects/plant/findings /projects/plant/zones/z0250; do
  url="http://127.0.0.1:18091$page"
  bytes=$(curl -sf -H "Authorization: Bearer $token" "$url" | wc -c)
  out=$(wrk -t1 -c1 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$url")
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  echo "GET $page ($bytes bytes): p50 $p50, p99 $p99, $rps req/s ${errors:+($errors)}"
done
