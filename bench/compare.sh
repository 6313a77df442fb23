#!/usr/bin/env bash
# Two handbook binaries on one generated corpus, runs interleaved (A, B, A,
# B, ...) so that whatever else the machine does falls on both alike: the
# check that a refactor kept build time and peak memory where they were.
#
#   bench/compare.sh BEFORE_BIN AFTER_BIN [PAGES]     default PAGES: 10000
#
# Prints, for each binary, the median and range of wall time and of peak
# RSS over RUNS builds (after one untimed warm-up each), and AFTER / BEFORE.
#
# Environment:
#   BENCH_DIR   where the corpus goes (default /dev/shm/handbook-compare)
#   RUNS        timed runs per binary (default 7)
set -euo pipefail

die() { echo "bench/compare.sh: error: $*" >&2; exit 1; }

[[ $# -ge 2 ]] || die "usage: bench/compare.sh BEFORE_BIN AFTER_BIN [PAGES]"
before=$1 after=$2 pages=${3:-10000}
[[ -x $before ]] || die "no binary at $before"
[[ -x $after ]] || die "no binary at $after"
[[ $pages =~ ^[0-9]+$ ]] || die "PAGES \"$pages\" is not a number"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (GNU time, for peak RSS): apt-get install -y time"

repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/dev/shm/handbook-compare}
RUNS=${RUNS:-7}
corpus=$BENCH_DIR/$pages
if [[ ! -f $corpus/site.toml ]]; then
    python3 "$repo/bench/gen_corpus.py" --pages "$pages" --out "$corpus" --flavor handbook >/dev/null
fi

results=$(mktemp)
trap 'rm -f "$results"' EXIT

one() { # label binary
    rm -rf "$corpus/public"
    /usr/bin/time -f "$1 %e %M" -a -o "$results" "$2" build --root "$corpus" >/dev/null 2>&1 \
        || die "$2 failed to build $corpus"
}

one warm-before "$before"
one warm-after "$after"
: >"$results"
for _ in $(seq "$RUNS"); do
    one before "$before"
    one after "$after"
done

python3 - "$results" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, wall, rss = line.split()
    runs.setdefault(label, []).append((float(wall), int(rss) / 1024))
med = {}
print("| binary | wall median (min–max) | peak RSS median (min–max) |")
print("|---|---|---|")
for label in ("before", "after"):
    walls = [w for w, _ in runs[label]]
    rsss = [r for _, r in runs[label]]
    med[label] = (statistics.median(walls), statistics.median(rsss))
    print(f"| {label} | {med[label][0]:.2f} s ({min(walls):.2f}–{max(walls):.2f}) "
          f"| {med[label][1]:.0f} MiB ({min(rsss):.0f}–{max(rsss):.0f}) |")
print(f"\nafter / before: wall {med['after'][0] / med['before'][0]:.3f}, "
      f"peak RSS {med['after'][1] / med['before'][1]:.3f}")
EOF
