#!/usr/bin/env bash
# Benchmarks the anonymous event page of the July 2025 round and its impact
# API answer over imported generated activity, against a static asset in
# the same run: builds strikeline, imports nine months of generated GPAD
# data (-realistic, a −15% drop in attended GP appointments during the
# round) into a fresh seeded database, serves it on loopback with the page
# cache off and runs wrk (2 threads, 16 connections, 10 s each).
# SQLite by default; set BENCH_DATABASE_URL to a PostgreSQL database to
# use that instead (its tables are dropped first). Set BENCH_BASELINE to a
# git revision (e.g. main) to measure that build too, on the same data in
# the same run, after this one: before and after side by side.
# Usage: scripts/bench-event-impact.sh [duration, default 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench-event-impact: needs wrk (apt-get install wrk)" >&2; exit 1; }
dur=${1:-10s}
tmp=$(mktemp -d)
pid=
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/strikeline" .
go build -o "$tmp/gpadgen" ./importers/cmd/gpadgen
if [ -n "${BENCH_BASELINE:-}" ]; then
  mkdir "$tmp/base"
  git archive "$BENCH_BASELINE" | tar -x -C "$tmp/base"
  (cd "$tmp/base" && go build -o "$tmp/strikeline-base" .)
fi
export STRIKELINE_DB="$tmp/bench.db" DATABASE_URL="${BENCH_DATABASE_URL:-}" STRIKELINE_PAGE_CACHE_SECONDS=0
if [ -n "$DATABASE_URL" ]; then
  psql "$DATABASE_URL" -qc 'SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;'
fi
"$tmp/strikeline" migrate >/dev/null
"$tmp/gpadgen" -from 2025-01 -count 9 -subicbs 10 -realistic -drop 2025-07-25:2025-07-29:0.15:GP:Attended -dir "$tmp/gpad" 2>/dev/null
"$tmp/strikeline" import gpad "$tmp/gpad" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run() {
  local name=$1 path=$2 out
  out=$(wrk -t2 -c16 -d"$dur" --latency "http://127.0.0.1:$port$path")
  local rps errs p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  printf '%-44s %10s req/s   p99 %-8s errors: %s\n' "$name ($path)" "$rps" "$p99" "${errs:-0}" >&2
  echo "$rps"
}
# measure BIN LABEL serves the data with BIN and runs wrk on every route.
measure() {
  local bin=$1 label=$2
  STRIKELINE_ADDR="127.0.0.1:$port" "$bin" serve >"$tmp/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  id=$(curl -fs "http://127.0.0.1:$port/api/v1/strike-rounds?from=2025-07-20&to=2025-07-31" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  # First answers compute and store the results; wrk then measures reuse.
  curl -fs "http://127.0.0.1:$port/events/$id" >/dev/null
  size=$(curl -fs "http://127.0.0.1:$port/api/v1/events/$id/impact?metric=attended" | wc -c)
  curl -fs "http://127.0.0.1:$port/api/v1/events/$id/impact?metric=attended,dna_rate&hcp=GP" >/dev/null
  curl -fs "http://127.0.0.1:$port/api/v1/impact/rounds?metric=attended" >/dev/null
  curl -fs "http://127.0.0.1:$port/impact" >/dev/null
  echo "$label: $([ -n "$DATABASE_URL" ] && echo PostgreSQL || echo SQLite), July 2025 round = event $id, impact answer $size bytes, $(nproc) CPUs" >&2
  local static page api apigp rounds roundspage
  static=$(run static /static/style.css)
  page=$(run "event page" "/events/$id")
  api=$(run "impact API" "/api/v1/events/$id/impact?metric=attended")
  apigp=$(run "impact API, hcp=GP, two metrics" "/api/v1/events/$id/impact?metric=attended,dna_rate&hcp=GP")
  rounds=$(run "rounds API" "/api/v1/impact/rounds?metric=attended")
  roundspage=$(run "rounds page" "/impact")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 - "$label" "$static" "$page" "$api" "$apigp" "$rounds" "$roundspage" <<'PY'
import sys
label, s, *rest = sys.argv[1], *map(float, sys.argv[2:])
for name, v in zip(["event page", "impact API", "impact API hcp=GP", "rounds API", "rounds page"], rest):
    print(f"{label}: {name} / static = {v/s:.3f} (goal >= 0.10)")
PY
}
measure "$tmp/strikeline" "strikeline $(git rev-parse --short HEAD 2>/dev/null || echo dev)"
if [ -n "${BENCH_BASELINE:-}" ]; then
  measure "$tmp/strikeline-base" "baseline $(git rev-parse --short "$BENCH_BASELINE")"
fi
