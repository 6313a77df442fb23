#!/usr/bin/env bash
# What social cards cost a build: a handbook with N roles (default 50) built
#   off:    [cards] enabled = false
#   cold:   cards on, empty card cache (every card rasterised)
#   cached: cards on, the cache from the previous build (every card copied)
# RUNS timed runs each (default 5, median reported). Prints a markdown table
# with the medians, the cards' share of each build, the cost per fresh card
# and the largest PNG.
#
#   bench/cards.sh [N]
#
# Environment: BENCH_DIR (default /tmp/handbook-cards-bench), RUNS,
# HANDBOOK_BIN (default: cargo build --release here, target/release/handbook).
set -euo pipefail

die() { echo "bench/cards.sh: error: $*" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50}
[[ $n =~ ^[1-9][0-9]*$ ]] || die "role count \"$n\" is not a number; usage: bench/cards.sh [N]"
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/handbook-cards-bench}
if [[ -z ${HANDBOOK_BIN:-} ]]; then
    (cd "$repo" && cargo build --release --quiet)
    HANDBOOK_BIN=${CARGO_TARGET_DIR:-$repo/target}/release/handbook
fi
[[ -x $HANDBOOK_BIN ]] || die "no handbook binary at $HANDBOOK_BIN"

site=$BENCH_DIR/site
rm -rf "$site" && mkdir -p "$site/content/roles"
cp -r "$repo/content/images" "$site/content/"
printf '# Handbook\n' > "$site/content/_index.md"
sed '/^\[cards\]/,$d' "$repo/site.toml" > "$site/site.toml.on"
tracks=(engineering design people)
levels=(associate mid senior staff principal)
words=(Platform Data Mobile Payments Routing Search Growth Security Reliability Research)
for i in $(seq 1 "$n"); do
    t=${tracks[$((i % 3))]}; l=${levels[$((i % 5))]}; w=${words[$((i % 10))]}
    min=$((30000 + (i * 1777) % 90000)); max=$((min + 12000 + (i * 313) % 20000))
    cat > "$site/content/roles/role-$i.md" <<EOF
+++
title = "${l^} $w Specialist $i"
[role]
track = "$t"
level = "$l"
salary = { min = $min, max = $max, currency = "GBP", period = "year" }
[role.opening]
locations = ["London"]
workplace = "hybrid"
opens = 2026-11-01
+++
What the role is.
EOF
done
cp "$site/site.toml.on" "$site/site.toml.off"
printf '\n[cards]\nenabled = false\n' >> "$site/site.toml.off"

# "median-wall median-cpu" (seconds) of RUNS `handbook build`s, running $1 before each
time_builds() {
    local prepare=$1 walls=() cpus=()
    for _ in $(seq 1 "$RUNS"); do
        eval "$prepare"
        /usr/bin/time -o "$BENCH_DIR/time" -f '%e %U %S' "$HANDBOOK_BIN" build --root "$site" >/dev/null 2>&1 \
            || die "build failed in $site"
        read -r e u s <"$BENCH_DIR/time"
        walls+=("$e"); cpus+=("$(echo "$u + $s" | bc -l)")
    done
    local mw mc
    mw=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}')
    mc=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}')
    echo "$mw $mc"
}

cp "$site/site.toml.off" "$site/site.toml"
read -r off off_cpu <<<"$(time_builds "true")"
cp "$site/site.toml.on" "$site/site.toml"
read -r cold cold_cpu <<<"$(time_builds "rm -rf '$site/.handbook-cache'")"
read -r cached cached_cpu <<<"$(time_builds "true")"
cards=$(find "$site/public/_cards" -name '*.png' | wc -l)
largest=$(find "$site/public/_cards" -name '*.png' -printf '%s\n' | sort -n | tail -1)

echo "$(nproc) CPUs; load average after: $(cut -d' ' -f1-3 /proc/loadavg); $n roles, $cards cards; median of $RUNS runs"
echo
echo "| build | median wall s | median CPU s | cards' share of wall time |"
echo "|---|---:|---:|---:|"
echo "| cards off | $off | $off_cpu | – |"
awk -v o="$off" -v c="$cold" -v u="$cold_cpu" 'BEGIN { printf "| cold (empty cache) | %s | %s | %.1f%% |\n", c, u, (c - o) / c * 100 }'
awk -v o="$off" -v c="$cached" -v u="$cached_cpu" 'BEGIN { printf "| cached | %s | %s | %.1f%% |\n", c, u, (c - o) / c * 100 }'
echo
awk -v o="$off" -v c="$cold" -v oc="$off_cpu" -v cc="$cold_cpu" -v k="$cards" 'BEGIN {
    printf "Cards from cold: %.3f s of wall time in all; %.1f ms of CPU per fresh card.\n", c - o, (cc - oc) / k * 1000 }'
echo "Largest card: $largest bytes."
