#!/usr/bin/env bash
# The console's end-to-end test against a real server: builds the release binary (unless
# FREIGHT_BIN names one; the page is embedded at compile time, so a stale binary would serve a
# stale page), starts `freight serve` on a free loopback port with a throwaway scenario
# database and planner token, waits until it answers, runs e2e/console.spec.mjs in Debian's
# Chromium, and stops the server. CI (.ci/run) calls it after `npm ci && npm test`.
set -euo pipefail
console="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(dirname "$console")"

bin="${FREIGHT_BIN:-}"
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --release --locked --bin freight)
  bin="$repo/target/release/freight"
fi
[ -d "$console/node_modules/playwright-core" ] || (cd "$console" && npm ci --no-audit --no-fund)

tmp="$(mktemp -d)"
port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
token="e2e-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
url="http://127.0.0.1:${port}/"

# The server reads network-data/ from the repository root.
(cd "$repo" && FREIGHT_PLANNER_TOKENS="$token" exec "$bin" serve --addr "127.0.0.1:${port}" \
  --scenario-db "$tmp/scenarios.db") >"$tmp/server.log" 2>&1 &
pid=$!
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap stop EXIT

# Until the page answers (the network loads in a second or so), at most 60 s.
for _ in $(seq 1 300); do
  if node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "freight serve exited:" >&2
    cat "$tmp/server.log" >&2
    exit 1
  fi
  sleep 0.2
done

status=0
FREIGHT_CONSOLE_URL="$url" FREIGHT_CONSOLE_TOKEN="$token" node "$console/e2e/console.spec.mjs" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 40 lines) ---" >&2
  tail -n 40 "$tmp/server.log" >&2
fi
exit "$status"
