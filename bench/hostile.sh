#!/usr/bin/env bash
# Time and peak memory of the release binary on the crafted inputs of bench/gen_hostile.py: the
# shapes that once cost quadratic time or unbounded memory (see BENCHMARKS.md for the numbers
# before the fixes). Each must finish within 20 s and 1 GiB, with a clear message where refused.
#
# usage: bench/hostile.sh [LEVEE_BINARY]
#   LEVEE_BINARY  a build to measure (default: builds the release binary; honours CARGO_TARGET_DIR)
# Work files go to target/bench-hostile.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=target/bench-hostile
if [ $# -ge 1 ]; then
  LEVEE=$1
else
  cargo build --release -q -p levee
  LEVEE=${CARGO_TARGET_DIR:-target}/release/levee
fi
rm -rf "$WORK" && mkdir -p "$WORK"
python3 bench/gen_hostile.py "$WORK/in"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo
echo "| input | command | exit | wall s | peak RSS MB | first line of stderr |"
echo "|---|---|---|---|---|---|"
measure() {
  local input=$1; shift
  local code=0
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$LEVEE" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" || code=$?
  read -r t m < <(tail -1 "$WORK/time.txt")
  local first
  first=$( (grep -v -e '^\s*$' -e 'Command exited' -e 'advisory data is partial' "$WORK/err.txt" || true) | sed -n 1p | cut -c1-90 | tr '|' '/')
  local cmd=$1
  case $2 in */*) ;; *) cmd="$1 $2" ;; esac
  printf '| %s | `levee %s` | %s | %.2f | %.0f | %s |\n' "$input" "$cmd" "$code" "$t" "$(echo "$m / 1024" | bc -l)" "$first"
}
IN=$WORK/in
measure "CycloneDX, 50-deep chain of 20 KB bom-refs, 1,000 leaves (1.0 MB)" scan sbom "$IN/cdx-nested.json" --format json
measure "SPDX tag-value, 1.6 MB <text>" scan sbom "$IN/spdx-text.spdx" --format json
measure "SPDX JSON, 80,000 relationships (9.7 MB)" scan sbom "$IN/spdx-rels.spdx.json" --format json
measure "OSV YAML, 100,000 aliases to a 1 MB scalar" db import --db "$WORK/db" "$IN/osv-aliases"
measure "asset naming a 100,000-char unknown zone" validate "$IN/long-ref"
measure "2,000 zones, 5,000 conduits, 5,000 assets (the limits)" assess "$IN/zones-limit" --out "$WORK/report"
measure "2,001 zones (over the limit)" validate "$IN/zones-over"
