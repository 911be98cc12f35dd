#!/usr/bin/env bash
# Import benchmark for issue 3 (see BENCHMARKS.md). In one run it:
#   1. generates a national-scale month of GPAD sub-ICB daily data
#      (106 sub-ICBs x 220 category combinations x 30 days = 699,600 rows),
#      a 6-month single file and a 24-month set (one file per month);
#   2. imports them with `strikeline import gpad` into a fresh SQLite file
#      and into a fresh PostgreSQL schema (the month also again, unchanged,
#      and as a revised edition with other figures);
#   3. loads the same files with `psql \copy` into a plain table;
#   4. prints rows/s and peak RSS (/usr/bin/time -v) for each.
#
# Usage: scripts/bench-import.sh [WORKDIR]        (default /tmp/strikeline-bench)
#   BENCH_MONTHS=24   size of the multi-month set (0 skips it)
#   BENCH_PG=postgres://postgres@127.0.0.1:5432/test?sslmode=disable
#   BENCH_SCHEMA=bench_import   PostgreSQL schema to use (runs side by side need their own)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/strikeline-bench}
MONTHS=${BENCH_MONTHS:-24}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
SCHEMA=${BENCH_SCHEMA:-bench_import}
mkdir -p "$W"
go build -o "$W/strikeline" .
go build -o "$W/gpadgen" ./importers/cmd/gpadgen

echo "== generating data in $W" >&2
[ -f "$W/month.csv" ] || "$W/gpadgen" -from 2023-11 > "$W/month.csv"
# The same month republished with other figures (a revision).
[ -f "$W/month-rev.csv" ] || "$W/gpadgen" -from 2023-11 -seed 2 > "$W/month-rev.csv"
[ -f "$W/six.csv" ] || "$W/gpadgen" -from 2023-01 -count 6 > "$W/six.csv"
if [ "$MONTHS" -gt 0 ] && [ ! -d "$W/months$MONTHS" ]; then
  "$W/gpadgen" -from 2022-01 -count "$MONTHS" -dir "$W/months$MONTHS"
fi

psqlq() { psql "$PG" -qAt -v ON_ERROR_STOP=1 "$@"; }
fresh_pg() {
  psqlq -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" 2>/dev/null
}
PGURL="$PG&search_path=$SCHEMA"
rows_of() { local n=0; for f in "$@"; do n=$((n + $(wc -l < "$f") - 1)); done; echo $n; }

RESULTS=()
# measure LABEL ROWS CMD... : wall seconds and peak RSS of CMD
measure() {
  local label=$1 rows=$2; shift 2
  /usr/bin/time -v -o "$W/time.txt" "$@" > "$W/out.txt" 2> "$W/err.txt" || { cat "$W/out.txt" "$W/err.txt" >&2; echo "FAILED: $label" >&2; exit 1; }
  local wall rss secs
  wall=$(grep "Elapsed (wall clock)" "$W/time.txt" | awk '{print $NF}')
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" "$W/time.txt" | awk '{print $NF}')
  RESULTS+=("$(printf '%-44s %10d %9.2f %10.0f %9.1f' "$label" "$rows" "$secs" "$(echo "$rows / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)")")
  echo "${RESULTS[-1]}" >&2
}
copy_files() { # psql \copy every file into the plain table
  psqlq -c "CREATE TABLE $SCHEMA.plain (sub_icb text, sub_icb_ons text, sub_icb_name text, icb_ons text, region_ons text, appointment_date text, appt_status text, hcp_type text, appt_mode text, time_between text, n integer)"
  for f in "$@"; do psql "$PG" -q -v ON_ERROR_STOP=1 -c "\\copy $SCHEMA.plain FROM '$f' WITH (FORMAT csv, HEADER true)"; done
}
export -f copy_files psqlq; export PG SCHEMA

M1=$(rows_of "$W/month.csv")
echo "== one month ($M1 rows)" >&2
rm -f "$W/bench.db"*
measure "SQLite: strikeline import (1 month)" "$M1" env STRIKELINE_DB="$W/bench.db" "$W/strikeline" import gpad --quiet "$W/month.csv"
measure "SQLite: revised month (1 month)" "$M1" env STRIKELINE_DB="$W/bench.db" "$W/strikeline" import gpad --quiet "$W/month-rev.csv"
fresh_pg
measure "PostgreSQL: strikeline import (1 month)" "$M1" env DATABASE_URL="$PGURL" "$W/strikeline" import gpad --quiet "$W/month.csv"
measure "PostgreSQL: re-import, unchanged (1 month)" "$M1" env DATABASE_URL="$PGURL" "$W/strikeline" import gpad --quiet "$W/month.csv"
measure "PostgreSQL: revised month (1 month)" "$M1" env DATABASE_URL="$PGURL" "$W/strikeline" import gpad --quiet "$W/month-rev.csv"
measure "PostgreSQL: psql \\copy, plain table (1 month)" "$M1" bash -c "copy_files '$W/month.csv'"

M6=$(rows_of "$W/six.csv")
echo "== six months in one file ($M6 rows)" >&2
fresh_pg
measure "PostgreSQL: strikeline import (6-month file)" "$M6" env DATABASE_URL="$PGURL" "$W/strikeline" import gpad --quiet "$W/six.csv"
measure "PostgreSQL: psql \\copy, plain table (6-month file)" "$M6" bash -c "copy_files '$W/six.csv'"
rm -f "$W/bench.db"*
measure "SQLite: strikeline import (6-month file)" "$M6" env STRIKELINE_DB="$W/bench.db" "$W/strikeline" import gpad --quiet "$W/six.csv"

if [ "$MONTHS" -gt 0 ]; then
  FILES=("$W/months$MONTHS"/*.csv)
  MN=$(rows_of "${FILES[@]}")
  echo "== $MONTHS months, one file each ($MN rows)" >&2
  fresh_pg
  measure "PostgreSQL: strikeline import ($MONTHS months)" "$MN" env DATABASE_URL="$PGURL" "$W/strikeline" import gpad --quiet "$W/months$MONTHS"
  measure "PostgreSQL: psql \\copy, plain table ($MONTHS months)" "$MN" bash -c "copy_files ${FILES[*]}"
  rm -f "$W/bench.db"*
  measure "SQLite: strikeline import ($MONTHS months)" "$MN" env STRIKELINE_DB="$W/bench.db" "$W/strikeline" import gpad --quiet "$W/months$MONTHS"
  # A query over the whole period, served from the rollups.
  Q="from=2022-01-01&to=2023-12-31&granularity=month&group_by=hcp"
fi

echo
printf '%-44s %10s %9s %10s %9s\n' "run" "rows" "seconds" "rows/s" "peak MB"
printf '%s\n' "${RESULTS[@]}"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(psql "$PG" -qAt -c 'show server_version'), $(go version | awk '{print $3}')"
