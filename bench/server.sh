#!/usr/bin/env bash
# The summary endpoint under load: `levee serve` (release) with the example pushed, on SQLite and on
# PostgreSQL, driven by wrk on loopback at 64 connections. Prints requests/s and latency percentiles
# per store and the ratio to the target (2,000 req/s, p99 < 50 ms).
# Usage: bash bench/server.sh [SECONDS]   (needs root or sudo for apt and PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk > /dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq wrk > /dev/null
fi
cargo build --release -q -p levee
levee=${CARGO_TARGET_DIR:-target}/release/levee
base_pg=$(bash .ci/postgres.sh)
port=$(echo "$base_pg" | sed 's/.*:\([0-9]*\)\/.*/\1/')
as_root su postgres -c "psql -q -p $port -c 'DROP DATABASE IF EXISTS levee_bench' -c 'CREATE DATABASE levee_bench OWNER levee'" > /dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}')"
echo "load: wrk -t2 -c64 -d${secs}s --latency on GET /api/v1/projects/water-treatment/summary (Bearer token)"
for store in sqlite postgres; do
  case $store in
    sqlite) db="sqlite:$work/bench.db" ;;
    postgres) db="${base_pg%/*}/levee_bench" ;;
  esac
  LEVEE_LOG=warn LEVEE_DATA_DIR="$work/data-$store" "$levee" serve --db "$db" --listen 127.0.0.1:18090 \
    --push examples/water-treatment > "$work/token-$store" 2> "$work/log-$store" &
  pid=$!
  for _ in $(seq 1 100); do
    grep -q "listening on" "$work/log-$store" 2> /dev/null && break
    sleep 0.2
  done
  token=$(head -n 1 "$work/token-$store")
  url=http://127.0.0.1:18090/api/v1/projects/water-treatment/summary
  curl -sf -H "Authorization: Bearer $token" "$url" > /dev/null
  out=$(wrk -t2 -c64 -d"${secs}s" --latency -H "Authorization: Bearer $token" "$url")
  kill "$pid"
  wait "$pid" || true
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  ratio=$(awk -v r="$rps" 'BEGIN {printf "%.1f", r / 2000}')
  echo "$store: ${rps} req/s (${ratio}x the 2,000 target), p50 ${p50}, p99 ${p99} ${errors:+($errors)}"
done
