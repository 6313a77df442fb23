#!/usr/bin/env bash
# What the career framework adds to a build: the same generated handbook
# built with and without a framework.toml (bench/gen_corpus.py --ladder and
# --framework), alternating runs, medians and the difference.
#
#   bench/framework.sh [PAGES] [AREAS,COMPETENCIES] [LEVELS,TRACKS]
#                      default: 1000 15,60 8,4
#
# Environment: BENCH_DIR (default /tmp/handbook-bench-framework), RUNS
# (default 9), HANDBOOK_BIN (default: cargo build --release here).
set -euo pipefail

die() { echo "bench/framework.sh: error: $*" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-1000}
framework=${2:-15,60}
ladder=${3:-8,4}
BENCH_DIR=${BENCH_DIR:-/tmp/handbook-bench-framework}
RUNS=${RUNS:-9}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS=\"$RUNS\" must be a positive number"
if [[ -z ${HANDBOOK_BIN:-} ]]; then
    (cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
    HANDBOOK_BIN=${CARGO_TARGET_DIR:-$repo/target}/release/handbook
fi
[[ -x $HANDBOOK_BIN ]] || die "no handbook binary at $HANDBOOK_BIN"

python3 "$repo/bench/gen_corpus.py" --pages "$pages" --out "$BENCH_DIR/without" --ladder "$ladder"
python3 "$repo/bench/gen_corpus.py" --pages "$pages" --out "$BENCH_DIR/with" --ladder "$ladder" --framework "$framework"

# One timed build in ms (the output folder removed first, outside the timing).
build_ms() {
    rm -rf "$1/public"
    local t0 t1
    t0=$(date +%s%N)
    "$HANDBOOK_BIN" build --root "$1" >/dev/null 2>&1 || die "build of $1 failed"
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

build_ms "$BENCH_DIR/without" >/dev/null; build_ms "$BENCH_DIR/with" >/dev/null   # warm-up
without=(); with=()
for _ in $(seq "$RUNS"); do
    without+=("$(build_ms "$BENCH_DIR/without")")
    with+=("$(build_ms "$BENCH_DIR/with")")
done
m0=$(printf '%s\n' "${without[@]}" | median)
m1=$(printf '%s\n' "${with[@]}" | median)
p0=$(find "$BENCH_DIR/without/public" -name index.html | wc -l)
p1=$(find "$BENCH_DIR/with/public" -name index.html | wc -l)
echo "| site | pages written | median ms ($RUNS runs) |"
echo "|---|---:|---:|"
echo "| $pages pages, ladder $ladder, no framework | $p0 | $m0 |"
echo "| same + framework $framework (areas,competencies) | $p1 | $m1 |"
awk -v a="$m0" -v b="$m1" 'BEGIN { printf "framework adds %.1f%% (%+.0f ms)\n", (b - a) * 100 / a, b - a }'
