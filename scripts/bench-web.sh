#!/usr/bin/env bash
# Benchmarks the timeline page and the timeline API against a static asset
# in the same run: builds strikeline, serves a fresh seeded database on
# loopback and runs wrk (bounded: 2 threads, 64 connections, 10 s each)
# against "/static/style.css" (the anchor), "/" through the page cache, and
# "/" and "/api/v1/timeline" on a second instance over the same database
# with the page cache off (STRIKELINE_PAGE_CACHE_SECONDS=0), which shows
# what rendering costs. Prints requests per second, p99, errors and the
# ratios to the anchor.
# SQLite by default; set BENCH_DATABASE_URL to a PostgreSQL database to
# use that instead (its public schema is dropped first). BENCH_CONNECTIONS
# sets wrk's connections (default 64).
# Usage: scripts/bench-web.sh [duration, default 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench-web: needs wrk (apt-get install wrk)" >&2; exit 1; }
dur=${1:-10s}
conns=${BENCH_CONNECTIONS:-64}
tmp=$(mktemp -d)
pid= pid2=
trap 'kill $pid $pid2 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/strikeline" .
export STRIKELINE_DB="$tmp/bench.db" DATABASE_URL="${BENCH_DATABASE_URL:-}"
if [ -n "$DATABASE_URL" ]; then
  psql "$DATABASE_URL" -qc 'SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;'
fi
# Migrate and seed once, so the two instances do not race to do it.
"$tmp/strikeline" migrate >/dev/null
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(freeport)
STRIKELINE_ADDR="127.0.0.1:$port" "$tmp/strikeline" serve >"$tmp/serve.log" 2>&1 &
pid=$!
port2=$(freeport)
STRIKELINE_ADDR="127.0.0.1:$port2" STRIKELINE_PAGE_CACHE_SECONDS=0 "$tmp/strikeline" serve >"$tmp/serve2.log" 2>&1 &
pid2=$!
for p in "$port" "$port2"; do
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.2; done
done
curl -fs "http://127.0.0.1:$port/" >/dev/null || { cat "$tmp/serve.log" >&2; exit 1; }
curl -fs "http://127.0.0.1:$port2/" >/dev/null || { cat "$tmp/serve2.log" >&2; exit 1; }
records=$(curl -fs "http://127.0.0.1:$port/timeline.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
html=$(curl -fs "http://127.0.0.1:$port2/" | wc -c)
api=$(curl -fs "http://127.0.0.1:$port2/api/v1/timeline" | wc -c)
echo "strikeline $(git rev-parse --short HEAD 2>/dev/null || echo dev), $([ -n "$DATABASE_URL" ] && echo PostgreSQL || echo SQLite), $records seeded records (page $html B, API $api B), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
  local name=$1 path=$2 p=$3 out
  out=$(wrk -t2 -c"$conns" -d"$dur" --latency "http://127.0.0.1:$p$path")
  local rps errs p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  printf '%-40s %10s req/s   p99 %-8s errors: %s\n' "$name ($path)" "$rps" "$p99" "${errs:-0}" >&2
  echo "$rps"
}
static=$(run static /static/style.css "$port2")
cached=$(run "timeline, page cache" / "$port")
page=$(run "timeline, no cache" / "$port2")
apitl=$(run "timeline API, no cache" /api/v1/timeline "$port2")
python3 - "$static" "$cached" "$page" "$apitl" <<'PY'
import sys
s, cached, page, api = map(float, sys.argv[1:])
print(f"timeline (page cache) / static = {cached/s:.3f} (goal >= 0.5)")
print(f"timeline (no cache) / static   = {page/s:.3f} (goal >= 0.10)")
print(f"timeline API (no cache) / static = {api/s:.3f} (goal >= 0.25)")
PY
