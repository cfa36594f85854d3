#!/usr/bin/env bash
# h2load (Debian's nghttp2-client), the independent load generator, against a release server on
# the bundled network: grpc.health.v1.Health/Check, the default FindRoutes (CNDLC -> KRPUS, 1 TEU,
# the full view) and the same with the basic view, each with 4 connections x 16 streams for
# SECONDS (default 10) after a 2 s warm-up, against one server. ROUNDS rounds (default 3) run the
# three one after the other, each round in another order, so that a noisy neighbour or the
# server warming up weighs on all three alike. Prints each run, then per method the median
# throughput, latency percentiles over every request of every round (from h2load's
# per-request log) and the answer size, and the ratios of the medians.
# Usage: cargo build --release && bash benches/h2load.sh [SECONDS]   (ROUNDS=5 for more rounds)
# (SERVER=path/to/freight serves another build, e.g. an older commit's, with the same requests.)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${ROUNDS:-3}
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
declare -A path=(
  [health]=/grpc.health.v1.Health/Check
  [full]=/freight.v1.RoutingService/FindRoutes
  [basic]=/freight.v1.RoutingService/FindRoutes
)
orders=("health full basic" "full basic health" "basic health full")
for round in $(seq "$rounds"); do
  for name in ${orders[$(((round - 1) % 3))]}; do
    h2load --duration="$seconds" --warm-up-time=2 -c 4 -m 16 -t 1 \
      -H 'content-type: application/grpc' -H 'te: trailers' \
      --log-file="$work/$name.$round.log" --data="$work/$name.bin" "http://$addr${path[$name]}" \
      >"$work/$name.$round.out"
    echo "round $round $name: $(awk '/^finished in/ {print $4, $5}' "$work/$name.$round.out" | tr -d ,)"
  done
done
python3 - "$work" "$rounds" <<'PY'
import glob, re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
median = {}
for name in ("health", "full", "basic"):
    rps, times, statuses, done, data = [], [], set(), 0, 0
    for r in range(1, rounds + 1):
        text = open(f"{work}/{name}.{r}.out").read()
        rps.append(float(re.search(r"finished in .*?, ([\d.]+) req/s", text).group(1)))
        done += int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", text).group(1))
        data += int(re.search(r"traffic: .*?\((\d+)\) total.*?\((\d+)\) data", text).group(2))
        for line in open(f"{work}/{name}.{r}.log"):
            if line.strip():
                _, status, micros = line.split()[:3]
                statuses.add(status)
                times.append(int(micros))
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))] / 1000
    median[name] = statistics.median(rps)
    print(f"{name:>6}: median {median[name]:>9,.0f} req/s (runs {', '.join(f'{x:,.0f}' for x in rps)})  "
          f"p50 {q(0.5):.2f} ms  p99 {q(0.99):.2f} ms  max {times[-1]/1000:.2f} ms  "
          f"{data / max(done, 1):,.0f} bytes/answer  HTTP {sorted(statuses)}")
print(f"FindRoutes default / Health = {median['full']/median['health']:.2f}; "
      f"basic / Health = {median['basic']/median['health']:.2f} (medians over {rounds} rounds)")
PY
