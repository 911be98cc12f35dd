#!/usr/bin/env bash
# Impact benchmark for issue 4 (see BENCHMARKS.md). On PostgreSQL, in one
# run: imports national-scale generated GPAD data (106 sub-ICBs x 220
# category combinations per day) in three steps of 12 months, and after each
# step times `strikeline impact` for the seeded July 2025 resident doctors'
# round (total appointments, weekday baseline + net effect + SPC) next to
# one hand-written SQL aggregate in psql that reads the same daily national
# series over the same days. hyperfine runs both (each a whole process).
#
# Usage: scripts/bench-impact.sh [WORKDIR]     (default /tmp/strikeline-bench-impact)
#   BENCH_PG=postgres://postgres@127.0.0.1:5432/test?sslmode=disable
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/strikeline-bench-impact}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
SCHEMA=bench_impact
mkdir -p "$W"
go build -o "$W/strikeline" .
go build -o "$W/gpadgen" ./importers/cmd/gpadgen
psql "$PG" -qAt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" >/dev/null
# options=-c… works for both psql (libpq) and pgx.
export DATABASE_URL="$PG&options=-csearch_path%3D$SCHEMA"
"$W/strikeline" migrate
ID=$(psql "$DATABASE_URL" -qAt -c "SELECT id FROM events WHERE seed_key = 'rd-round-12-2025-07'")
# The days the impact reads: 12 weeks + 14 days before the window to 21 days
# after it (reports/analysis fetchRange), national level, every category.
SQL="SELECT day, SUM(n) FROM appt_rollup_daily WHERE level = 0 AND area_id = 0
 AND day BETWEEN (DATE '2025-04-11' - DATE '1970-01-01') AND (DATE '2025-08-19' - DATE '1970-01-01') GROUP BY day ORDER BY day"
step() { # FROM COUNT LABEL
  "$W/gpadgen" -from "$1" -count "$2" -realistic -drop 2025-07-25:2025-07-29:0.15 -dir "$W/m-$1" 2>/dev/null
  "$W/strikeline" import gpad --actor bench "$W/m-$1" > /dev/null
  rm -rf "$W/m-$1"
  psql "$DATABASE_URL" -qAt -c "ANALYZE" >/dev/null
  echo "== $3 months of national data: $(psql "$DATABASE_URL" -qAt -c 'SELECT COUNT(*) FROM appt_subicb_daily') sub-ICB rows"
  hyperfine -N --warmup 3 --runs 30 --export-json "$W/h$3.json" \
    "$W/strikeline impact --event $ID --metric total --json" \
    "psql $DATABASE_URL -qAt -c \"$SQL\"" 2>&1 | grep -E "Time|±|faster|Benchmark"
}
step 2024-09 12 12
step 2023-09 12 24
step 2022-09 12 36
psql "$PG" -qAt -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null
