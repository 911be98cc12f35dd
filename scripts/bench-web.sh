#!/usr/bin/env bash
# Benchmarks the timeline page against a static asset in the same run:
# builds strikeline, serves a fresh seeded SQLite database on loopback and
# runs wrk (bounded: 2 threads, 64 connections, 10 s each) against "/" and
# "/static/style.css", printing requests per second and errors.
# Usage: scripts/bench-web.sh [duration, default 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench-web: needs wrk (apt-get install wrk)" >&2; exit 1; }
dur=${1:-10s}
tmp=$(mktemp -d)
pid= pid2=
trap 'kill $pid $pid2 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/strikeline" .
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
STRIKELINE_DB="$tmp/bench.db" STRIKELINE_ADDR="127.0.0.1:$port" DATABASE_URL= "$tmp/strikeline" serve >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
# A second instance on the same database with the page cache off shows
# what rendering costs.
port2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
STRIKELINE_DB="$tmp/bench.db" STRIKELINE_ADDR="127.0.0.1:$port2" STRIKELINE_PAGE_CACHE_SECONDS=0 DATABASE_URL= "$tmp/strikeline" serve >"$tmp/serve2.log" 2>&1 &
pid2=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port2/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port/" >/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
records=$(curl -fs "http://127.0.0.1:$port/timeline.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "strikeline $(git rev-parse --short HEAD 2>/dev/null || echo dev), SQLite, $records seeded records, $(nproc) CPUs"
run() {
  local name=$1 path=$2 p=${3:-$port} out
  out=$(wrk -t2 -c64 -d"$dur" --latency "http://127.0.0.1:$p$path")
  local rps errs p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  printf '%-22s %10s req/s   p99 %-8s errors: %s\n' "$name ($path)" "$rps" "$p99" "${errs:-0}"
  echo "$rps"
}
static=$(run static /static/style.css | tee /dev/stderr | tail -1)
page=$(run timeline / | tee /dev/stderr | tail -1)
run "timeline, no cache" / "$port2" | head -1
python3 -c "print(f'timeline / static = {float($page)/float($static):.2f} (goal >= 0.5)')"
