#!/usr/bin/env sh
# Save-to-reload latency of `handbook serve` for a one-page body edit.
#
#   bench/reload_latency.sh                     # generated 10,000-page site
#   bench/reload_latency.sh --corpus DIR        # an existing site root
#   bench/reload_latency.sh --pages 2000 --edits 50
#   bench/reload_latency.sh --kinds all         # every edit kind (see bench/serve_edits.sh)
#
# Builds the release binary (or takes HANDBOOK_BIN), then runs
# examples/reload_latency.rs (a debug build: it only edits files and waits),
# which starts `handbook serve --port 0`, edits one page's body N times and
# reports the median and 90th percentile time from the write to the
# `reload` server-sent event and to the page being served with the edit.
set -eu
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
if [ -z "${HANDBOOK_BIN:-}" ]; then
    cargo build --release --quiet --bin handbook
    HANDBOOK_BIN=$target/release/handbook
fi
cargo build --quiet --example reload_latency
exec "$target/debug/examples/reload_latency" --bin "$HANDBOOK_BIN" "$@"
