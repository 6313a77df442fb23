#!/usr/bin/env bash
# Build time, throughput and peak memory of handbook against Zola and Hugo on
# the same generated corpus (bench/gen_corpus.py).
#
#   bench/run.sh [N...]          default: 1000 10000
#
# For each N: generate the corpus (handbook, Zola and Hugo flavors of the same
# markdown) into $BENCH_DIR/N, build it with each tool found, RUNS timed runs
# after WARMUP untimed ones, and print a markdown table with the median wall
# time, pages per second, peak RSS and the ratio to handbook's median
# (above 1 = slower than handbook). The output folder is deleted before every
# run, outside the timing, so every tool builds from scratch into an empty folder.
#
# Environment:
#   BENCH_DIR     where corpora go (default /tmp/handbook-bench)
#   RUNS, WARMUP  timed and untimed runs per tool (default 5 and 1)
#   HANDBOOK_BIN  handbook binary; default: `cargo build --release` here and
#                 use $CARGO_TARGET_DIR/release/handbook (or target/release)
#   ZOLA, HUGO    binaries; default: on PATH, else /work/peers/zola/target/release/zola.
#                 A `hugo` that is the hugo-python-distributions wrapper is
#                 resolved to the Go binary it runs, so Python start-up is not timed.
#   TOOLS         which tools to run (default "handbook zola hugo")
set -euo pipefail

die() { echo "bench/run.sh: error: $*" >&2; exit 1; }
note() { echo "bench/run.sh: $*" >&2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/handbook-bench}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
TOOLS=${TOOLS:-handbook zola hugo}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)
for n in "${sizes[@]}"; do
    [[ $n =~ ^[0-9]+$ ]] || die "page count \"$n\" is not a number; usage: bench/run.sh [N...]"
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS=\"$RUNS\" must be a positive number"

[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (GNU time, for peak RSS); install it: apt-get install -y time"
command -v python3 >/dev/null || die "python3 is missing"

# ---- find the tools ---------------------------------------------------------
if [[ -z ${HANDBOOK_BIN:-} ]]; then
    note "building handbook (cargo build --release)"
    (cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
    HANDBOOK_BIN=${CARGO_TARGET_DIR:-$repo/target}/release/handbook
fi
[[ -x $HANDBOOK_BIN ]] || die "handbook binary not found at $HANDBOOK_BIN; set HANDBOOK_BIN"

if [[ -z ${ZOLA:-} ]]; then
    if command -v zola >/dev/null; then ZOLA=$(command -v zola)
    elif [[ -x /work/peers/zola/target/release/zola ]]; then ZOLA=/work/peers/zola/target/release/zola
    fi
fi
if [[ -z ${HUGO:-} ]] && command -v hugo >/dev/null; then
    HUGO=$(command -v hugo)
    # hugo-python-distributions: `hugo` is a Python wrapper that says where the real binary is.
    real=$("$HUGO" version 2>&1 | sed -n 's/.* at \(\/[^ ]*\/hugo\).*/\1/p' | sed 's/\x1b\[[0-9;]*m//g' | head -1)
    [[ -n $real && -x $real ]] && HUGO=$real
fi

version() {
    case $1 in
        handbook) "$HANDBOOK_BIN" --version 2>/dev/null | head -1 | awk '{print $NF}' ;;
        zola) "$ZOLA" --version 2>/dev/null | awk '{print $NF}' ;;
        hugo) "$HUGO" version 2>/dev/null | sed -n 's/^hugo v\([0-9.]*\).*/\1/p' ;;
    esac
}

# The command that builds corpus flavor $1 in $2; its output folder is $2/public.
build_cmd() {
    case $1 in
        handbook) echo "$HANDBOOK_BIN" build --root "$2" ;;
        zola) echo "$ZOLA" --root "$2" build --force ;;
        hugo) echo "$HUGO" --source "$2" --destination public --quiet --noBuildLock ;;
    esac
}

active=()
for t in $TOOLS; do
    case $t in
        handbook) active+=(handbook) ;;
        zola) if [[ -n ${ZOLA:-} && -x ${ZOLA:-} ]]; then active+=(zola); else note "zola not found (PATH or /work/peers/zola/target/release/zola): skipped"; fi ;;
        hugo) if [[ -n ${HUGO:-} && -x ${HUGO:-} ]]; then active+=(hugo); else note "hugo not found on PATH: skipped"; fi ;;
        *) die "unknown tool \"$t\" in TOOLS; known: handbook zola hugo" ;;
    esac
done
[[ " ${active[*]} " == *" handbook "* ]] || die "handbook must be in TOOLS: ratios are relative to it"

# ---- measure -----------------------------------------------------------------
# One run: prints "<wall s> <peak RSS KiB> <CPU s (user + sys)>"; fails with the tool's output.
measure() {
    local tool=$1 dir=$2 log=$3 tv=$3.time start end cmd
    read -r -a cmd <<<"$(build_cmd "$tool" "$dir")"
    rm -rf "$dir/public"
    start=$(date +%s%N)
    if ! /usr/bin/time -v -o "$tv" "${cmd[@]}" >"$log" 2>&1; then
        cat "$log" >&2
        die "$tool failed on $dir: ${cmd[*]}"
    fi
    end=$(date +%s%N)
    local rss cpu
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tv")
    cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {print s}' "$tv")
    echo "$(( (end - start) / 1000 )) $rss $cpu" | awk '{printf "%.4f %d %.2f\n", $1 / 1e6, $2, $3}'
}

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A versions
for t in "${active[@]}"; do versions[$t]=$(version "$t"); done

table="| tool | version | N | median s | pages/s | peak MiB | ratio vs handbook | median CPU s |
|---|---|---:|---:|---:|---:|---:|---:|"
sizes_table="| N | markdown (content/) | handbook output (public/) | output / markdown |
|---:|---:|---:|---:|"

for n in "${sizes[@]}"; do
    dir=$BENCH_DIR/$n
    note "N=$n: generating corpus in $dir"
    python3 "$repo/bench/gen_corpus.py" --pages "$n" --out "$dir" --flavor all \
        || die "gen_corpus.py failed for N=$n"
    declare -A med=() rss=() cpu=()
    for t in "${active[@]}"; do
        site=$dir/$t log=$dir/$t.log
        for ((i = 0; i < WARMUP; i++)); do measure "$t" "$site" "$log" >/dev/null; done
        if [[ $t == handbook ]] && grep -qiE '(^|: )(warning|error)' "$log"; then
            cat "$log" >&2
            die "handbook printed diagnostics on the generated corpus (N=$n); fix bench/gen_corpus.py"
        fi
        : >"$dir/$t.runs"
        for ((i = 1; i <= RUNS; i++)); do
            measure "$t" "$site" "$log" >>"$dir/$t.runs"
        done
        med[$t]=$(cut -d' ' -f1 "$dir/$t.runs" | median)
        rss[$t]=$(cut -d' ' -f2 "$dir/$t.runs" | sort -n | tail -1)
        cpu[$t]=$(cut -d' ' -f3 "$dir/$t.runs" | median)
        note "N=$n $t: runs (s, KiB): $(tr '\n' ';' <"$dir/$t.runs")"
    done
    for t in "${active[@]}"; do
        table+=$'\n'$(awk -v t="$t" -v v="${versions[$t]}" -v n="$n" -v m="${med[$t]}" \
            -v r="${rss[$t]}" -v h="${med[handbook]}" -v c="${cpu[$t]}" \
            'BEGIN {printf "| %s | %s | %d | %.3f | %.0f | %.1f | %.2f× | %.2f |", t, v, n, m, n / m, r / 1024, m / h, c}')
    done
    md=$(du -sb "$dir/handbook/content" | cut -f1)
    out=$(du -sb "$dir/handbook/public" | cut -f1)
    sizes_table+=$'\n'$(awk -v n="$n" -v md="$md" -v out="$out" \
        'BEGIN {printf "| %d | %.1f MiB | %.1f MiB | %.1f× |", n, md / 1048576, out / 1048576, out / md}')
    unset med rss cpu
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "$(nproc) CPUs; load average (1, 5, 15 min) before: $load_start, after: $load_end." \
    "Peak MiB is the largest of the timed runs; CPU s is user + system time."
echo
echo "$table"
echo
echo "$sizes_table"
