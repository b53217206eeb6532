#!/usr/bin/env bash
# Time and peak memory of `levee scan sbom` on 100 MB and 400 MB CycloneDX JSON SBOMs.
#
# usage: bench/sbom_memory.sh SHARED_DATA [BEFORE_BINARY]
#   SHARED_DATA     the shared corpora (osv-go-vulndb, osv-pypa, rustsec-advisory-db for the store)
#   BEFORE_BINARY   another build of levee to measure beside this one (e.g. an earlier commit)
#
# Builds the release binary (honours CARGO_TARGET_DIR), imports the OSV and RustSec data, writes
# the SBOMs with bench/gen_big_sbom.py and runs each binary once per size with /usr/bin/time.
# Work files go to target/bench-memory.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:?usage: bench/sbom_memory.sh SHARED_DATA [BEFORE_BINARY]}
BEFORE=${2:-}
WORK=target/bench-memory
mkdir -p "$WORK"
cargo build --release -q -p levee
LEVEE=${CARGO_TARGET_DIR:-target}/release/levee
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
rm -rf "$WORK/db"
"$LEVEE" db import --skip-invalid --db "$WORK/db" "$DATA/osv-go-vulndb" "$DATA/osv-pypa" "$DATA/rustsec-advisory-db" >/dev/null
for mb in 100 400; do
  [ -f "$WORK/bom$mb.json" ] || python3 bench/gen_big_sbom.py "$mb" "$WORK/bom$mb.json"
done
echo
echo "| SBOM | binary | wall s | peak RSS MB | RSS / file size |"
echo "|---|---|---|---|---|"
for mb in 100 400; do
  size=$(stat -c %s "$WORK/bom$mb.json")
  for bin in "$LEVEE" $BEFORE; do
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$bin" scan sbom "$WORK/bom$mb.json" --db "$WORK/db" \
      --format json --out "$WORK/out.json" 2>/dev/null || [ $? -eq 1 ]
    read -r t m < <(tail -1 "$WORK/time.txt")
    awk -v mb="$mb" -v bin="$bin" -v t="$t" -v m="$m" -v s="$size" \
      'BEGIN { printf "| %d MB (%.0f MB) | %s | %.1f | %.0f | %.1f× |\n", mb, s/1e6, bin, t, m/1024, m*1024/s }'
  done
done
