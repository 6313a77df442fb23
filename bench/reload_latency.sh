#!/usr/bin/env sh
# Save-to-reload latency of `handbook serve` for a one-page edit.
#
#   bench/reload_latency.sh                     # generated 10,000-page site
#   bench/reload_latency.sh --corpus DIR        # an existing site root
#   bench/reload_latency.sh --pages 2000 --edits 50
#
# Builds the release binary, then runs examples/reload_latency.rs, which
# starts `handbook serve --port 0`, edits one page's body N times and
# reports the median and 90th percentile time from the write to the
# `reload` server-sent event.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin handbook
exec cargo run --release --quiet --example reload_latency -- "$@"
