#!/usr/bin/env bash
# Firmware unpacking side by side with binwalk 2.3 (Debian), binwalk-ng 4 (crates.io) and unblob
# (PyPI): same machine, same run, same images.
#
# usage: bench/firmware.sh SHARED_DATA
#   SHARED_DATA   the shared corpora (firmware-samples/synthetic-permissive-fw)
#
# Installs the peers itself when missing (apt-get install binwalk, cargo install binwalk-ng into
# the work directory, pip install unblob), builds Levee (release), then per synthetic image:
# Levee's whole scan (unpack + detect + SBOM, in memory), Levee with --extract, and each peer's
# extraction alone (`binwalk -Me`, `binwalk -Me` of binwalk-ng, `unblob -e`), 3 runs each, median
# wall time and peak RSS, and how many ELF files each one's output holds (38 is complete).
# Then the signature scan rate on 256 MiB of uncompressed data (ELF bytes, no container).
# Prints Markdown for BENCHMARKS.md. Work files go to target/bench-firmware.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:?usage: bench/firmware.sh SHARED_DATA}
IMAGES="$DATA/firmware-samples/synthetic-permissive-fw"
WORK=target/bench-firmware
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

# Peers, installed by this script only (never by the product).
if ! [ -x /usr/bin/binwalk ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binwalk >/dev/null
fi
if ! [ -x "$WORK/peers/bin/binwalk" ]; then
  cargo install -q --locked --root "$WORK/peers" binwalk-ng
fi
if ! command -v unblob >/dev/null; then
  pip install -q unblob
fi
BINWALK2=/usr/bin/binwalk
BINWALKNG="$WORK/peers/bin/binwalk"
UNBLOB=$(command -v unblob)

cargo build --release -q -p levee
LEVEE=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/levee

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work)"
echo "peers: $($BINWALK2 2>&1 | sed -n 's/^Binwalk v\([0-9.]*\).*/binwalk \1/p' | head -1), binwalk-ng $($BINWALKNG --version 2>/dev/null | awk '{print $NF}'), unblob $($UNBLOB --version 2>/dev/null | tail -1)"

elf_count() { # directory -> number of ELF regular files (symlinks not followed)
  find "$1" -type f -print0 2>/dev/null | xargs -0 -r head -c 4 -q 2>/dev/null | { grep -ao $'\x7fELF' || true; } | wc -l
}

measure() { # label, output dir (or -), then the command; prints a table row
  local label=$1 out=$2; shift 2
  local times=() rss=() code=0
  for _ in 1 2 3; do
    [ "$out" = - ] || rm -rf "$out"
    /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/stderr.txt" || code=$?
    read -r t m < <(tail -1 "$WORK/time.txt")
    times+=("$t"); rss+=("$m")
  done
  local med peak elves="-"
  med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  [ "$out" = - ] || elves=$(elf_count "$out")
  echo "| $label | $med s | $((peak / 1024)) MiB | $elves | $code |"
  # A peer that extracted fewer ELF files than the 38 the image holds is not compared.
  if [ "$elves" = - ] || [ "$elves" -ge 38 ]; then echo "$med" > "$WORK/last.txt"; else echo 999 > "$WORK/last.txt"; fi
}

for img in rootfs.squashfs rootfs.cpio.gz.uImage rootfs.tar.lzma firmware-bundle.zip; do
  echo
  echo "### $img ($(stat -c %s "$IMAGES/$img") bytes)"
  echo
  echo "| tool | median wall | peak RSS | ELF files out | exit |"
  echo "|---|---|---|---|---|"
  measure "Levee scan (unpack + detect + SBOM)" - "$LEVEE" firmware scan "$IMAGES/$img" --format cyclonedx --out "$WORK/sbom.json"
  levee=$(cat "$WORK/last.txt")
  measure "Levee scan --extract" "$WORK/levee-x" "$LEVEE" firmware scan "$IMAGES/$img" --format json --out "$WORK/fw.json" --extract "$WORK/levee-x"
  measure "binwalk 2.3 -Me" "$WORK/bw2" "$BINWALK2" --run-as=root -q -Me -C "$WORK/bw2" "$IMAGES/$img"
  bw2=$(cat "$WORK/last.txt")
  measure "binwalk-ng -Me" "$WORK/bwng" "$BINWALKNG" -q -Me -d "$WORK/bwng" "$IMAGES/$img"
  bwng=$(cat "$WORK/last.txt")
  measure "unblob -e" "$WORK/unblob" "$UNBLOB" -e "$WORK/unblob" "$IMAGES/$img"
  ub=$(cat "$WORK/last.txt")
  fastest=$(printf '%s\n' "$bw2" "$bwng" "$ub" | sort -n | head -1)
  echo
  echo "Levee's whole scan vs the fastest complete peer's extraction alone (38 ELF files out): $(awk -v a="$levee" -v b="$fastest" 'BEGIN { printf "%.1fx faster (%.3f s vs %.3f s)", b / (a > 0 ? a : 0.001), a, b }')"
done

echo
echo "### Signature scanning on uncompressed data"
raw="$WORK/raw-256MiB.bin"
if ! [ -f "$raw" ]; then
  # ELF bytes of the synthetic rootfs (extracted above), repeated to 256 MiB, behind a 16-byte
  # pad so that the file is not an ELF at offset 0: every byte is carved and read by detectors.
  printf '\377%.0s' $(seq 1 16) > "$raw"
  while [ "$(stat -c %s "$raw")" -lt 268435456 ]; do
    find "$WORK/levee-x" -type f -size +100k -print0 | sort -z | xargs -0 cat >> "$raw"
  done
  truncate -s 268435456 "$raw"
fi
echo
echo "| input | median wall | peak RSS | rate |"
echo "|---|---|---|---|"
times=()
for _ in 1 2 3; do
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$LEVEE" firmware scan "$raw" --format json --out "$WORK/raw.json" >/dev/null 2>&1 || true
  read -r t m < <(tail -1 "$WORK/time.txt"); times+=("$t")
done
med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
echo "| 256 MiB of ELF bytes, no container | $med s | $((m / 1024)) MiB | $(awk -v t="$med" 'BEGIN { printf "%.2f GB/s", 0.268435456 / (t > 0 ? t : 0.001) }') |"
