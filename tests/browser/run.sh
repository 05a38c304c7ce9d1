#!/usr/bin/env bash
# Runs the browser tests of web/ (the search page and the widget): Chromium headless
# through playwright-core against a real tnohaku-server started by the tests.
#   tests/browser/run.sh                      uses <repo>/build
#   TNOHAKU_BUILD_DIR=/tmp/b tests/browser/run.sh
# Installs the npm packages (package-lock.json) on first use; never downloads a browser.
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core ]]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
# Node 20 runs test files in parallel unless told not to; Debian 12's node 18 has no such
# flag and runs them one by one on a 2-core machine anyway.
flags=()
if (( $(node -p 'process.versions.node.split(".")[0]') >= 20 )); then flags+=(--test-concurrency=1); fi
exec node --test "${flags[@]}" ./*.test.mjs
