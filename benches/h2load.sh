#!/usr/bin/env bash
# h2load (Debian's nghttp2-client), the independent load generator, against a release server on
# the bundled network: grpc.health.v1.Health/Check, the default FindRoutes (CNDLC -> KRPUS, 1 TEU,
# the full view) and the same with the basic view, each with 4 connections x 16 streams for
# SECONDS (default 10), one after the other against one server. Prints throughput, latency
# percentiles (from h2load's per-request log) and answer sizes, and the ratios.
# Usage: cargo build --release && bash benches/h2load.sh [SECONDS]
# (SERVER=path/to/freight serves another build, e.g. an older commit's, with the same requests.)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
bin=target/release/freight
server_bin=${SERVER:-$bin}
addr=127.0.0.1:50071
work=$(mktemp -d)
trap 'kill $server 2>/dev/null && wait $server 2>/dev/null; rm -rf "$work"' EXIT
"$server_bin" serve --addr "$addr" --scenario-db "$work/scenarios.db" --log-format json >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do "$server_bin" locations --server "http://$addr" >/dev/null 2>&1 && break; sleep 0.1; done
"$bin" loadtest --method health --write-frame "$work/health.bin"
"$bin" loadtest --method find-routes --write-frame "$work/full.bin"
"$bin" loadtest --method find-routes --basic --write-frame "$work/basic.bin"
run() { # name path body
  h2load --duration="$seconds" --warm-up-time=2 -c 4 -m 16 -t 1 \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    --log-file="$work/$1.log" --data="$work/$3" "http://$addr$2" >"$work/$1.out"
  local rps
  rps=$(awk '/^finished in/ {print $4}' "$work/$1.out")
  # Percentiles from the per-request log (start, HTTP status, microseconds), and the mean
  # answer size from the data bytes h2load received (gRPC frames and trailers included).
  python3 - "$1" "$work/$1.log" "$work/$1.out" "$rps" <<'PY'
import re, sys
name, log, out, rps = sys.argv[1:]
times = sorted(int(line.split()[2]) for line in open(log) if line.strip())
statuses = {line.split()[1] for line in open(log) if line.strip()}
q = lambda p: times[min(len(times) - 1, int(p * len(times)))] / 1000
text = open(out).read()
done = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", text).group(1))
data = int(re.search(r"traffic: .*?\((\d+)\) total.*?\((\d+)\) data", text).group(2))
print(f"{name:>6}: {float(rps):>9,.0f} req/s  p50 {q(0.5):.2f} ms  p99 {q(0.99):.2f} ms  "
      f"max {times[-1]/1000:.2f} ms  {data / max(done, 1):,.0f} bytes/answer  HTTP {sorted(statuses)}")
PY
  eval "rps_$1=$(echo "$rps" | tr -d ,)"
}
run health /grpc.health.v1.Health/Check health.bin
run full /freight.v1.RoutingService/FindRoutes full.bin
run basic /freight.v1.RoutingService/FindRoutes basic.bin
python3 -c "print(f'FindRoutes default / Health = {$rps_full/$rps_health:.2f}; basic / Health = {$rps_basic/$rps_health:.2f}')"
