#!/usr/bin/env bash
# Same-run comparison of two builds' imports of one national month (issue
# 18, see BENCHMARKS.md): alternating rounds of a fresh import and the
# revised edition, on a fresh PostgreSQL schema and a fresh SQLite file,
# so both builds meet the same machine load. Prints wall seconds per round.
#
# Usage: scripts/bench-import-compare.sh BASE_BIN NEW_BIN [ROUNDS] [WORKDIR]
#   e.g. (cd /tmp && git -C /path/to/repo worktree add --detach /tmp/base main)
#        go build -C /tmp/base -o /tmp/base-strikeline . ; go build -o /tmp/new-strikeline .
#   BENCH_PG=postgres://postgres@127.0.0.1:5432/test?sslmode=disable
#   BENCH_SCHEMA=bench_compare
set -euo pipefail
BASE=$1 NEW=$2 ROUNDS=${3:-4} W=${4:-/tmp/strikeline-bench-compare}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
SCHEMA=${BENCH_SCHEMA:-bench_compare}
cd "$(dirname "$0")/.."
mkdir -p "$W"
go build -o "$W/gpadgen" ./importers/cmd/gpadgen
[ -f "$W/month.csv" ] || "$W/gpadgen" -from 2023-11 > "$W/month.csv"
[ -f "$W/month-rev.csv" ] || "$W/gpadgen" -from 2023-11 -seed 2 > "$W/month-rev.csv"
t() { local s; s=$(date +%s.%N); "$@" > /dev/null 2> "$W/err.txt" || { cat "$W/err.txt"; exit 1; }; echo "$(date +%s.%N) - $s" | bc; }
for i in $(seq "$ROUNDS"); do
  for b in base new; do
    bin=$BASE; [ $b = new ] && bin=$NEW
    psql "$PG" -qAt -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" -c "CREATE SCHEMA $SCHEMA" 2>/dev/null
    U="$PG&search_path=$SCHEMA"
    a=$(t env DATABASE_URL="$U" "$bin" import gpad --quiet "$W/month.csv")
    r=$(t env DATABASE_URL="$U" "$bin" import gpad --quiet "$W/month-rev.csv")
    rm -f "$W/lite.db"*
    la=$(t env STRIKELINE_DB="$W/lite.db" "$bin" import gpad --quiet "$W/month.csv")
    lr=$(t env STRIKELINE_DB="$W/lite.db" "$bin" import gpad --quiet "$W/month-rev.csv")
    echo "$i $b pg-new $a pg-revised $r sqlite-new $la sqlite-revised $lr"
  done
done
