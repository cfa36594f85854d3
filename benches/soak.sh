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

# Each phase runs the load tool's FindRoutes (64 streams) and health checks (8 streams) at
# the same time, so the two phases differ only by the abuse.
measure() {
  "$bin" loadtest --method health --seconds "$seconds" --concurrency 8 &
  local health=$!
  "$bin" loadtest --method find-routes --seconds "$seconds"
  wait "$health"
}

echo "== quiet ($seconds s)"
measure

"$bin" scenario create examples/scenarios/dalian-niigata-roro.toml --token soak-token >/dev/null
echo "== abused: 10,000 idle connections, a flood of 8 concurrent CompareScenario calls, the load tool"
python3 - <<'PY' &
# Holds 10,000 connection attempts open at all times: one the server closes (over the cap, or
# silent past the header timeout) is replaced at once.
import selectors, socket
ADDR = ("127.0.0.1", 50061)
sel = selectors.DefaultSelector()
def connect():
    try:
        s = socket.create_connection(ADDR, 1)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    except OSError:
        pass
for _ in range(10_000):
    connect()
while True:
    for key, _ in sel.select(1):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if not data:
            sel.unregister(s)
            s.close()
            connect()
PY
idlers=$!
"$bin" loadtest --method compare --scenario scn-1 --concurrency 8 --seconds $((seconds + 4)) &
flood=$!
sleep 2
measure
wait "$flood"
echo "== server peak RSS, open connections"
grep VmHWM "/proc/$server/status"
echo "file descriptors: $(ls /proc/$server/fd | wc -l)"
kill $idlers 2>/dev/null || true
