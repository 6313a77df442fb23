#!/usr/bin/env bash
# System time of a full build on ext4, each build on a freshly made file
# system (a loop-mounted image), so no tool meets the inodes another tool (or
# an earlier round) deleted. On ext4 without a journal (this machine's /),
# allocating an inode skips every inode deleted in the last minutes, one
# buffer lookup each: in a shared folder the system time of a build depends
# on what was deleted before it, and climbs run after run for every tool.
#
#   sudo bench/ext4_sys.sh [N]          default N=10000
#
# MODE=clean: one timed build of a fresh copy of the corpus.
# MODE=rebuild (default both): an untimed build, its output deleted, then the
#   timed build: what a rebuild meets, with only its own history.
# Environment: HANDBOOK_BIN (default target/release/handbook), BEFORE_BIN
# (an earlier handbook, adds tool "before"), ZOLA (skipped if absent), RUNS
# (default 3, tools interleaved), WORK (default /var/tmp/handbook-ext4: the
# corpus, the 2 GB image and its mount point), JOURNAL=1 makes the image
# with a journal (ext4's default elsewhere). Needs root (mkfs, mount -o loop).
set -euo pipefail
die() { echo "bench/ext4_sys.sh: error: $*" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-10000}
RUNS=${RUNS:-3}
MODES=${MODE:-clean rebuild}
WORK=${WORK:-/var/tmp/handbook-ext4}
HANDBOOK_BIN=${HANDBOOK_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/handbook}
ZOLA=${ZOLA:-$(command -v zola || echo /work/peers/zola-target/release/zola)}
[[ $(id -u) == 0 ]] || die "needs root (mkfs.ext4 and mount -o loop)"
[[ -x $HANDBOOK_BIN ]] || die "no handbook binary at $HANDBOOK_BIN; set HANDBOOK_BIN"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing: apt-get install -y time"

tools=("handbook=$HANDBOOK_BIN")
[[ -n ${BEFORE_BIN:-} ]] && tools+=("before=$BEFORE_BIN")
[[ -x $ZOLA ]] && tools+=("zola=$ZOLA")
img=$WORK/fs.img mnt=$WORK/mnt corpus=$WORK/corpus-$n
mkdir -p "$WORK" "$mnt"
[[ -d $corpus ]] || python3 "$repo/bench/gen_corpus.py" --pages "$n" --out "$corpus" --flavor all >&2
features=^has_journal
[[ ${JOURNAL:-0} == 1 ]] && features=has_journal
trap 'mountpoint -q "$mnt" && umount "$mnt"' EXIT
# Warm the social card cache once, in the corpus, so no timed build renders cards.
if [[ ! -d $corpus/handbook/.handbook-cache ]]; then
    "$HANDBOOK_BIN" build --root "$corpus/handbook" >/dev/null 2>&1 || die "handbook failed on $corpus/handbook"
fi
rm -rf "$corpus/handbook/public" "$corpus/zola/public"

echo "| mode | tool | system time s, median (runs) | user s, median |"
echo "|---|---|---:|---:|"
for mode in $MODES; do
    declare -A sys=() usr=()
    for ((i = 1; i <= RUNS; i++)); do
        for t in "${tools[@]}"; do
            name=${t%%=*} bin=${t#*=}
            mountpoint -q "$mnt" && umount "$mnt"
            rm -f "$img" && truncate -s 2G "$img"
            mkfs.ext4 -q -F -O "$features" "$img" && mount -o loop "$img" "$mnt"
            if [[ $name == zola ]]; then
                cp -a "$corpus/zola" "$mnt/site"; cmd=("$bin" --root "$mnt/site" build --force)
            else
                cp -a "$corpus/handbook" "$mnt/site"; cmd=("$bin" build --root "$mnt/site")
            fi
            if [[ $mode == rebuild ]]; then
                "${cmd[@]}" >/dev/null 2>&1 || die "$name failed: ${cmd[*]}"
                rm -rf "$mnt/site/public"
            fi
            sync
            /usr/bin/time -f "%U %S" -o "$WORK/time" "${cmd[@]}" >/dev/null 2>&1 || die "$name failed: ${cmd[*]}"
            read -r u s <"$WORK/time"
            echo "bench/ext4_sys.sh: $mode $name round $i: user $u s, sys $s s" >&2
            sys[$name]+="$s " usr[$name]+="$u "
        done
    done
    for t in "${tools[@]}"; do
        name=${t%%=*}
        python3 -c 'import statistics, sys
s = [float(x) for x in sys.argv[3].split()]; u = [float(x) for x in sys.argv[4].split()]
runs = ", ".join(f"{x:.2f}" for x in s)
print(f"| {sys.argv[1]} | {sys.argv[2]} | {statistics.median(s):.2f} ({runs}) | {statistics.median(u):.2f} |")' \
            "$mode" "$name" "${sys[$name]}" "${usr[$name]}"
    done
    unset sys usr
done
