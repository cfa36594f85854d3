#!/usr/bin/env bash
# ComputeRouteMatrix end to end: a release server on the bundled network, 50 origins x 50
# destinations (the first 50 locations of `freight locations`) x 7 ready days = 17,500
# elements, streamed to `freight matrix --json` and counted; wall time of the call and the
# server's peak resident memory (VmHWM) after it. Usage: cargo build --release && bash benches/matrix.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/freight
addr=127.0.0.1:50074
work=$(mktemp -d)
trap 'kill $server 2>/dev/null && wait $server 2>/dev/null; rm -rf "$work"' EXIT
"$bin" serve --addr "$addr" --scenario-db "$work/scenarios.db" --log-format json >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do "$bin" locations --server "http://$addr" >/dev/null 2>&1 && break; sleep 0.1; done
places=$("$bin" locations --server "http://$addr" --json | python3 -c "import json,sys; print(','.join(l['locode'] for l in json.load(sys.stdin)[:50]))")
ready=$(date -u -d 'tomorrow 00:00' +%Y-%m-%dT%H:%M:%S+00:00)
for run in 1 2 3; do
  start=$(date +%s.%N)
  lines=$("$bin" matrix --server "http://$addr" --from "$places" --to "$places" --days 7 --ready "$ready" --json | wc -l)
  end=$(date +%s.%N)
  routed=$("$bin" matrix --server "http://$addr" --from "$places" --to "$places" --days 1 --ready "$ready" --json | grep -c '"route"' || true)
  echo "run $run: $lines elements in $(python3 -c "print(f'{$end-$start:.3f}')") s (day 1: $routed of 2500 with a route)"
done
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)"
