#!/usr/bin/env bash
# `npm test`: install the real parts the suite drives, check types and lint, build the wall, then
# run every test (unit, integration on real chdb, e2e in real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npm run --silent check
# Known advisories: high or critical ones fail the run. An audit endpoint that does not answer
# (offline, or a registry mirror without it: npm then prints "audit endpoint returned an error"
# and exits 1, or with --json answers the HTTP error instead of a report) is said and skipped, so
# an unreachable registry is neither a failure nor mistaken for a clean report.
audit=$(npm audit --json 2>/dev/null || true)
verdict=$(printf '%s' "$audit" | node -e '
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => {
    let v;
    try { v = JSON.parse(s).metadata.vulnerabilities; } catch { v = undefined; }
    console.log(!v ? "unreachable" : (v.high ?? 0) + (v.critical ?? 0) > 0 ? "fail" : "pass");
  });')
case "$verdict" in
  fail) npm audit --audit-level=high; exit 1 ;;
  unreachable) echo "npm audit: the registry's audit endpoint did not answer; advisories NOT checked" >&2 ;;
  *) echo "npm audit: no high or critical advisories" ;;
esac
npx vite build --logLevel warn
# The waits lane (vitest.config.ts says why) in a vitest process of its own, beside the other
# projects; its report is printed after theirs, and either one failing fails the run.
lane_log=$(mktemp)
npx vitest run --project waits >"$lane_log" 2>&1 &
lane=$!
trap 'kill "$lane" 2>/dev/null || true; rm -f "$lane_log"' EXIT
main_status=0
npx vitest run --project unit --project integration --project integration-http --project e2e || main_status=$?
lane_status=0
wait "$lane" || lane_status=$?
echo
echo "── the waits lane (npx vitest run --project waits) ──"
cat "$lane_log"
echo "npm test: the four projects exited $main_status, the waits lane $lane_status"
[ "$main_status" -eq 0 ] && [ "$lane_status" -eq 0 ]
