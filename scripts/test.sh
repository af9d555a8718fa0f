#!/usr/bin/env bash
# `npm test`: install the real parts the suite drives, check types and lint, build the wall, then
# run every test (unit, integration on real chdb, e2e in real Chromium). Vitest's summary ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npm run --silent check
npx vite build --logLevel warn
exec npx vitest run
