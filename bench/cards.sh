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

# median of RUNS wall times (seconds) of `handbook build` after running $1 before each
time_builds() {
    local prepare=$1 times=()
    for _ in $(seq 1 "$RUNS"); do
        eval "$prepare"
        local s e
        s=$(date +%s.%N)
        "$HANDBOOK_BIN" build --root "$site" >/dev/null 2>&1 || die "build failed in $site"
        e=$(date +%s.%N)
        times+=("$(echo "$e - $s" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

cp "$site/site.toml.off" "$site/site.toml"
off=$(time_builds "true")
cp "$site/site.toml.on" "$site/site.toml"
cold=$(time_builds "rm -rf '$site/.handbook-cache'")
cached=$(time_builds "true")
cards=$(find "$site/public/_cards" -name '*.png' | wc -l)
largest=$(find "$site/public/_cards" -name '*.png' -printf '%s\n' | sort -n | tail -1)

echo "$(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $n roles, $cards cards; median of $RUNS runs"
echo
echo "| build | median s | cards' share |"
echo "|---|---:|---:|"
echo "| cards off | $off | – |"
awk -v o="$off" -v c="$cold" 'BEGIN { printf "| cold (no cache) | %s | %.1f%% |\n", c, (c - o) / c * 100 }'
awk -v o="$off" -v c="$cached" 'BEGIN { printf "| cached | %s | %.1f%% |\n", c, (c - o) / c * 100 }'
echo
awk -v o="$off" -v c="$cold" -v k="$cards" 'BEGIN { printf "Cards from cold: %.3f s in all, %.1f ms per fresh card (wall, both cores).\n", c - o, (c - o) / k * 1000 }'
echo "Largest card: $largest bytes."
