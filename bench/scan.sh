#!/usr/bin/env bash
# SBOM scanning side by side with cve-bin-tool, same machine, same run, same data.
#
# usage: bench/scan.sh SHARED_DATA [CVEBT_PREFIX]
#   SHARED_DATA    the shared corpora (cisa-csaf, osv-go-vulndb, osv-pypa, rustsec-advisory-db, kev, epss)
#   CVEBT_PREFIX   where the peer's setup.sh installed cve-bin-tool 3.4 (optional: Levee only without it)
#
# Builds the release binary, imports the store, generates 2,000-, 5,000- and 100,000-component
# SBOMs (bench/gen_sbom.py), times `levee scan sbom` (JSON and table, 3 runs each, median) and
# cve-bin-tool (one run each: it takes minutes), prints the ratios, and compares the findings
# (bench/compare_cvebt.py). Honours CARGO_TARGET_DIR.
# Prints Markdown for BENCHMARKS.md. Work files go to target/bench-scan.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:?usage: bench/scan.sh SHARED_DATA [CVEBT_PREFIX]}
PEER=${2:-}
WORK=target/bench-scan
mkdir -p "$WORK"
cargo build --release -q -p levee
LEVEE=${CARGO_TARGET_DIR:-target}/release/levee

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
rm -rf "$WORK/db"
/usr/bin/time -o "$WORK/import.txt" -f "db import of everything: %e s, %M KB peak" "$LEVEE" db import "$DATA/cisa-csaf" "$DATA/osv-go-vulndb" \
  "$DATA/osv-pypa" "$DATA/rustsec-advisory-db" "$DATA/kev" "$DATA/epss" --db "$WORK/db" >/dev/null
cat "$WORK/import.txt"

SIZES="2000 5000 100000"
for n in $SIZES; do
  [ -f "$WORK/bom$n.json" ] || python3 bench/gen_sbom.py "$DATA/cisa-csaf/csaf_files/OT/white" \
    "$DATA/osv-go-vulndb/osv" "$n" "$WORK/bom$n.json"
done

measure() { # n, label, then the command; prints a table row and keeps the median in $WORK/levee-N.txt
  local n=$1 label=$2; shift 2
  local times=() rss=()
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null || [ $? -eq 1 ]
    read -r t m < <(tail -1 "$WORK/time.txt")
    times+=("$t"); rss+=("$m")
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  local peak
  peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  echo "| Levee $label | $med s | $((peak / 1024)) MiB |"
  [ -f "$WORK/levee-$n.txt" ] || echo "$med" > "$WORK/levee-$n.txt"
}
rm -f "$WORK"/levee-*.txt

echo
echo "| run | wall time (median of 3) | peak RSS |"
echo "|---|---|---|"
for n in $SIZES; do
  for f in json table; do
    measure "$n" "$n components, --format $f" "$LEVEE" scan sbom "$WORK/bom$n.json" --db "$WORK/db" --format "$f"
  done
done
"$LEVEE" scan sbom "$WORK/bom5000.json" --db "$WORK/db" --format json --out "$WORK/levee5000.json" || [ $? -eq 1 ]

if [ -n "$PEER" ]; then
  for n in $SIZES; do
    rm -f "$WORK/cvebt$n.json"
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$PEER/cve-bin-tool" --offline --sbom cyclonedx \
      --sbom-file "$WORK/bom$n.json" -f json -o "$WORK/cvebt$n.json" >/dev/null 2>&1 || [ $? -eq 1 ]
    read -r t m < <(tail -1 "$WORK/time.txt")
    ours=$(cat "$WORK/levee-$n.txt")
    ratio=$(awk -v a="$t" -v b="$ours" 'BEGIN { printf "%.0f", a / b }')
    echo "| cve-bin-tool 3.4, $n components | $t s | $((m / 1024)) MiB | Levee (JSON) ${ratio}× faster |"
  done
  echo
  db=$(find "$PEER" -name cve.db -path '*cve-bin-tool*' | head -1)
  python3 bench/compare_cvebt.py "$WORK/bom5000.json" "$WORK/levee5000.json" "$WORK/cvebt5000.json" "$db"
fi
