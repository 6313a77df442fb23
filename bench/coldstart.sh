#!/usr/bin/env bash
# Cold start on the repository's own example handbook (content/ + site.toml
# at the root): `handbook build` wall time with hyperfine, and how long
# `handbook serve --port 0` takes from exec to answering a GET of /.
#
#   bench/coldstart.sh
#
# The build goes to a tmpfs folder (/dev/shm) so the disk is not timed; the
# social card cache (.handbook-cache/) is warmed by the untimed runs, as it
# is for anyone who builds twice. serve: STARTS starts, each timed from just
# before exec until the first 200 answer to GET / (polled every 0.5 ms
# once the address is printed); the median, min and max are printed.
#
# Environment:
#   HANDBOOK_BIN  handbook binary; default: `cargo build --release` here and
#                 use $CARGO_TARGET_DIR/release/handbook (or target/release)
#   RUNS          hyperfine runs of the build (default 50, after 5 warm-ups)
#   STARTS        serve starts (default 20)
set -euo pipefail

die() { echo "bench/coldstart.sh: error: $*" >&2; exit 1; }
repo=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-50}
STARTS=${STARTS:-20}
command -v hyperfine >/dev/null || die "hyperfine is missing; install it: apt-get install -y hyperfine"
command -v python3 >/dev/null || die "python3 is missing"
if [[ -z ${HANDBOOK_BIN:-} ]]; then
    echo "bench/coldstart.sh: building handbook (cargo build --release)" >&2
    (cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
    HANDBOOK_BIN=${CARGO_TARGET_DIR:-$repo/target}/release/handbook
fi
[[ -x $HANDBOOK_BIN ]] || die "handbook binary not found at $HANDBOOK_BIN; set HANDBOOK_BIN"

out=$(mktemp -d /dev/shm/handbook-coldstart.XXXXXX)
trap 'rm -rf "$out"' EXIT
pages=$("$HANDBOOK_BIN" build --root "$repo" --output "$out/public" 2>/dev/null | sed -n 's/^Built \([0-9]*\) pages.*/\1/p')
echo "site: $repo ($pages pages)"

hyperfine --warmup 5 --runs "$RUNS" -N \
    "$HANDBOOK_BIN build --root $repo --output $out/public"

python3 - "$HANDBOOK_BIN" "$repo" "$STARTS" <<'PY'
import re, statistics, subprocess, sys, time, urllib.request

binary, root, starts = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for _ in range(starts):
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "serve", "--root", root, "--port", "0"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in p.stdout:
            m = re.search(r"Serving on (http://\S+)", line)
            if m:
                url = m.group(1)
                break
        if url is None:
            sys.exit("serve exited without printing its address")
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.0005)
        times.append((time.perf_counter() - t0) * 1000)
    finally:
        p.kill()
        p.wait()
print(f"serve ready (exec → 200 for GET /), {starts} starts: "
      f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms")
PY
