#!/usr/bin/env bash
# Benchmark: `levee observe` beside tshark (protocol hierarchy, and a field export) and nDPI's
# ndpiReader on the same concatenated ICS corpus, in the same run.
#
#   bash bench/observe.sh [COPIES]     (default 20 copies of the corpus, about 2 M packets)
#
# Installs its peers itself (Debian: tshark, libndpi-bin; mergecap comes with tshark) and builds
# Levee in release mode. Prints packets, wall time, peak memory and packets per second per tool,
# and the ratios. Record the machine and the numbers in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
COPIES=${1:-20}
DATA=../shared/data/ics-pcaps
WORK=${TMPDIR:-/tmp}/levee-bench-observe
mkdir -p "$WORK"

need() { command -v "$1" > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" > /dev/null; }; }
need tshark tshark
need mergecap tshark
need ndpiReader libndpi-bin
need /usr/bin/time time

cargo build --release -q -p levee
LEVEE=${CARGO_TARGET_DIR:-target}/release/levee

# The corpus: every Ethernet capture of the ICS folders (libpcap tools, ndpiReader among them,
# refuse files that mix link types), concatenated, then concatenated COPIES times.
ONE="$WORK/corpus-once.pcap"
ALL="$WORK/corpus.pcap"
if [ ! -s "$ALL" ] || [ "$(cat "$WORK/copies" 2> /dev/null)" != "$COPIES" ]; then
  files=()
  while IFS= read -r f; do
    if capinfos -T -E "$f" 2> /dev/null | tail -1 | grep -q $'\tether$'; then files+=("$f"); fi
  done < <(find "$DATA" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort)
  mergecap -a -F pcap -w "$ONE" "${files[@]}"
  copies=()
  for _ in $(seq "$COPIES"); do copies+=("$ONE"); done
  mergecap -a -F pcap -w "$ALL" "${copies[@]}"
  echo "$COPIES" > "$WORK/copies"
fi
PACKETS=$(capinfos -c -M "$ALL" | awk -F': *' '/Number of packets/ {print $2}' | tr -d ' ')
SIZE=$(stat -c %s "$ALL")
echo "corpus: $ALL, $PACKETS packets, $SIZE bytes ($COPIES copies of $(capinfos -c -M "$ONE" | awk -F': *' '/Number of packets/ {print $2}') packets)"
echo "machine: $(nproc) cores, $(awk '/model name/ {$1=$2=$3=""; print; exit}' /proc/cpuinfo), $(uname -sr)"
echo "versions: $($LEVEE --version | head -1) / $(tshark --version | head -1) / ndpiReader $(dpkg-query -W -f '${Version}' libndpi-bin)"

run() { # name command...: prints "name wall_s max_rss_kb"
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/$name.rss" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || { echo "$name failed:"; tail -5 "$WORK/$name.err"; return 1; }
  t1=$(date +%s.%N)
  echo "$name $(echo "$t1 - $t0" | bc -l) $(tail -1 "$WORK/$name.rss")"
}

results=()
results+=("$(run levee "$LEVEE" observe --quiet --format json --out "$WORK/levee.json" "$ALL")")
results+=("$(run tshark-phs tshark -n -r "$ALL" -qz io,phs)")
results+=("$(run tshark-fields tshark -n -r "$ALL" -T fields -e frame.number -e ip.src -e ip.dst -e _ws.col.Protocol)")
results+=("$(run ndpi ndpiReader -q -i "$ALL")")
# The concatenated copies repeat the same flows with the same TCP sequence numbers, so after the
# first copy Levee drops the segments as retransmissions and nDPI has every flow classified
# already. To measure full decoding, each copy is also given as a capture of its own (own flow
# table, every PDU decoded), beside ndpiReader run once per copy.
each=()
for _ in $(seq "$COPIES"); do each+=("$ONE"); done
results+=("$(run levee-each "$LEVEE" observe --quiet --format json --out "$WORK/levee-each.json" "${each[@]}")")
results+=("$(run ndpi-each bash -c "for i in \$(seq $COPIES); do ndpiReader -q -i '$ONE' > /dev/null || exit 1; done")")

printf '\n%-14s %10s %12s %14s %12s\n' tool wall_s peak_MiB packets/s vs_levee
levee_t=$(echo "${results[0]}" | awk '{print $2}')
for r in "${results[@]}"; do
  read -r name t rss <<< "$r"
  printf '%-14s %10.2f %12.1f %14.0f %12.2f\n' "$name" "$t" "$(echo "$rss / 1024" | bc -l)" "$(echo "$PACKETS / $t" | bc -l)" "$(echo "$t / $levee_t" | bc -l)"
done
# Memory on a capture of about 1 GB (bounded by flows, not packets).
BIG="$WORK/corpus-1g.pcap"
if [ ! -s "$BIG" ]; then
  big=()
  for _ in $(seq 75); do big+=("$ONE"); done
  mergecap -a -F pcap -w "$BIG" "${big[@]}"
fi
echo
echo "1 GB case: $(stat -c %s "$BIG") bytes: $(run levee-1g "$LEVEE" observe --quiet --format json --out "$WORK/levee-1g.json" "$BIG" | awk '{printf "%.2f s wall, %.1f MiB peak", $2, $3/1024}')"
echo
echo "levee found: $(python3 -c "import json,sys; d=json.load(open('$WORK/levee.json')); print(len(d['flows']), 'flows,', len(d['operations']), 'operations,', len(d['assets']), 'assets')")"
echo "note: the machine is shared with other jobs; repeat for stable numbers."
