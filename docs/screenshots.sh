#!/usr/bin/env bash
# Regenerates docs/img/theme-{light,dark}.png from the example handbook with
# headless Chromium (Debian package `chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
port=8765
out=$(mktemp -d)
cargo run --release --quiet -- build --output "$out/site" --base-url "http://127.0.0.1:$port/" >/dev/null
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out/site" >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -rf "$out"' EXIT
sleep 1
page="http://127.0.0.1:$port/roles/engineering/senior-software-engineer/"
for mode in light dark; do
  extra=()
  [ "$mode" = dark ] && extra=(--force-dark-mode)
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$out/profile-$mode" --window-size=1280,900 "${extra[@]}" \
    --screenshot="docs/img/theme-$mode.png" "$page" 2>/dev/null
done
echo "wrote docs/img/theme-light.png and docs/img/theme-dark.png"
