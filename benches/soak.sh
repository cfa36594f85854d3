#!/usr/bin/env bash
# Soak under abuse (issue 13): the load tool's FindRoutes and health calls while 10,000 idle
# connections and a flood of CompareScenario calls try to take the server down. Prints the
# quiet and abused figures and the server's peak RSS. Usage, from the repository root after
# `cargo build --release`: bash benches/soak.sh [seconds]
set -euo pipefail
seconds="${1:-60}"
bin=target/release/freight
addr=127.0.0.1:50061
export FREIGHT_SERVER="http://$addr"
db="$(mktemp -d)/soak.db"
FREIGHT_PLANNER_TOKENS=soak-token "$bin" serve --addr "$addr" --scenario-db "$db" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', 50061), 0.2)" 2>/dev/null && break
  sleep 0.2
done

echo "== quiet ($seconds s each)"
"$bin" loadtest --method find-routes --seconds "$seconds"
"$bin" loadtest --method health --seconds 10 --concurrency 8

"$bin" scenario create examples/scenarios/dalian-niigata-roro.toml --token soak-token >/dev/null
echo "== abused: 10,000 idle connections, 8 CompareScenario loops, the load tool"
python3 - <<'PY' &
import socket, time
held = []
for _ in range(10_000):
    try:
        held.append(socket.create_connection(("127.0.0.1", 50061), 1))
    except OSError:
        pass
time.sleep(3600)
PY
idlers=$!
for _ in $(seq 8); do
  ( while true; do "$bin" scenario compare scn-1 >/dev/null 2>&1 || true; done ) &
done
sleep 2
"$bin" loadtest --method health --seconds "$seconds" --concurrency 8 &
health=$!
"$bin" loadtest --method find-routes --seconds "$seconds"
wait $health
echo "== server peak RSS"
grep VmHWM "/proc/$server/status"
kill $idlers 2>/dev/null || true
