#!/usr/bin/env bash
# Benchmarks: in-process catalog timings and whole-process CLI timings, on a release build.
# Usage: bench/run.sh            (prints a Markdown table to paste into BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p levee
echo "## In-process (cargo bench -p levee-catalog)"
cargo bench -q -p levee-catalog --bench catalog 2>/dev/null
echo
echo "## Whole process (release binary, output to /dev/null)"
python3 bench/time_cmd.py \
  "target/release/levee catalog list" \
  "target/release/levee catalog list --part 3-3 --sl 2 --format json" \
  "target/release/levee catalog show 'SR 1.1 RE 2'" \
  "target/release/levee catalog stats" \
  "target/release/levee catalog export --format oscal"
