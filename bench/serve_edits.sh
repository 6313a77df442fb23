#!/usr/bin/env bash
# Edit latency of `handbook serve` against `zola serve`, every kind of edit of
# issue 17: body, title, weight, draft, role data, new page, renamed page,
# deleted page, new folder, page template and site config, each EDITS times,
# alternating between the two servers, on the same generated corpus.
#
#   bench/serve_edits.sh [PAGES]        default 10000
#
# Prints a markdown table: per edit kind, the median and 90th percentile from
# the save to the reload event (handbook's server-sent `reload`, Zola's
# livereload WebSocket `reload` command) and to the first GET after it that
# serves the change (the edited page, or the section list that shows it),
# then each server's CPU time over the edits and its resident memory.
#
# Environment:
#   EDITS         edits of each kind per server (default 10)
#   KINDS         comma-separated kinds or "all" (default all)
#   BENCH_DIR     where the corpus goes (default /dev/shm/handbook-serve-bench)
#   HANDBOOK_BIN  handbook binary (default: cargo build --release)
#   TIMEOUT       seconds to wait for a reload event, and then for the change (default 30)
#   BEFORE_BIN    an earlier handbook binary: a third server, on a copy of the site (before/after)
#   ZOLA          zola binary (default: PATH, /work/peers/zola*/…/release/zola); ZOLA=none skips Zola
set -euo pipefail
die() { echo "bench/serve_edits.sh: error: $*" >&2; exit 1; }

repo=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-10000}
[[ $pages =~ ^[0-9]+$ ]] || die "PAGES \"$pages\" is not a number"
BENCH_DIR=${BENCH_DIR:-/dev/shm/handbook-serve-bench}
EDITS=${EDITS:-10}
KINDS=${KINDS:-all}
target=${CARGO_TARGET_DIR:-$repo/target}

if [[ -z ${HANDBOOK_BIN:-} ]]; then
    (cd "$repo" && cargo build --release --quiet --bin handbook) || die "cargo build --release failed"
    HANDBOOK_BIN=$target/release/handbook
fi
if [[ -z ${ZOLA:-} ]]; then
    for z in "$(command -v zola || true)" /work/peers/zola/target/release/zola /work/peers/zola-target/release/zola; do
        if [[ -n $z && -x $z ]]; then ZOLA=$z; break; fi
    done
fi
(cd "$repo" && cargo build --quiet --example reload_latency) || die "building examples/reload_latency.rs failed"

dir=$BENCH_DIR/$pages
python3 "$repo/bench/gen_corpus.py" --pages "$pages" --out "$dir/handbook" --flavor handbook
zola_args=()
if [[ -n ${ZOLA:-} && $ZOLA != none && -x $ZOLA ]]; then
    python3 "$repo/bench/gen_corpus.py" --pages "$pages" --out "$dir/zola" --flavor zola
    zola_args=(--zola "$ZOLA" --zola-corpus "$dir/zola")
    echo "$("$HANDBOOK_BIN" --version | head -1), $("$ZOLA" --version)," \
        "$pages pages, $EDITS edits of each kind; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
else
    echo "bench/serve_edits.sh: zola not found (ZOLA, PATH, /work/peers/zola*/…/release/zola): handbook only" >&2
fi
[[ -z ${BEFORE_BIN:-} ]] || zola_args+=(--before "$BEFORE_BIN")
"$target/debug/examples/reload_latency" --bin "$HANDBOOK_BIN" --corpus "$dir/handbook" \
    --kinds "$KINDS" --edits "$EDITS" --timeout "${TIMEOUT:-30}" "${zola_args[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
