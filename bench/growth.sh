#!/usr/bin/env bash
# How build time and peak memory grow with the site: handbook and Zola (Hugo
# with TOOLS="handbook zola hugo") at 1k, 10k, 30k and 50k pages on tmpfs,
# interleaved, through bench/run.sh. Its second table is the growth table:
# wall and CPU time and peak RSS per page at each size (flat = linear growth).
#
#   bench/growth.sh [N...]       default: 1000 10000 30000 50000
#
# Environment: as bench/run.sh, with FILESYSTEMS=tmpfs, RUNS=3 and
# TOOLS="handbook zola" by default. Needs about 2.5 GB free in /dev/shm for
# the 50,000-page corpus (three flavors) and its outputs.
set -euo pipefail
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000 30000 50000)
export FILESYSTEMS=${FILESYSTEMS:-tmpfs} RUNS=${RUNS:-3} TOOLS=${TOOLS:-handbook zola}
exec "$(dirname "$0")/run.sh" "${sizes[@]}"
