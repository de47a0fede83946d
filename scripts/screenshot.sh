#!/usr/bin/env bash
# Makes docs/seed-status.png, the screenshot in README.md: the seed tracker's
# HTML status report as of 2025-08-01, rendered by headless Chromium; and
# docs/seed-status.html, the page it shows, which a test compares with what
# lookout draws now (tests/cli/docs.rs), so that the picture cannot go stale.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# LOOKOUT_BIN: a build already made (any profile draws the same page).
lookout=${LOOKOUT_BIN:-}
if [ -z "$lookout" ]; then
    cargo build -q --release
    lookout=target/release/lookout
fi
"$lookout" -q --db "$work/seed.db" import fixtures/ai-action-plans-2025/*.csv
"$lookout" -q --db "$work/seed.db" status --as-of 2025-08-01 --format html --output docs/seed-status.html
cp docs/seed-status.html "$work/status.html"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --hide-scrollbars \
    --user-data-dir="$work/profile" --window-size=1200,1000 \
    --screenshot="$PWD/docs/seed-status.png" "file://$work/status.html" 2>/dev/null
echo "wrote docs/seed-status.png and docs/seed-status.html"
