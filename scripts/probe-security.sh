#!/usr/bin/env bash
# Probes the server as an attacker would, on loopback only, and reports its
# peak memory: builds strikeline, serves a fresh SQLite database (and, with
# DATABASE_URL set, a PostgreSQL one too) and sends
#   1. a 96 MB body to /login (unauthenticated);
#   2. 24 concurrent wrong logins for one account, from one address;
#   3. 24 more with a different X-Forwarded-For each (the server trusts the
#      header, as behind a proxy, but not the loopback peer as a proxy, so
#      the forged addresses are ignored);
#   4. two concurrent imports of two versions of the same month file;
# then prints each step's answers, the server's peak RSS during the step
# (VmHWM from /proc, reset between steps) against its idle RSS (the
# anchor), and the stored totals from /api/v1/activity. Bounded: every
# request has a timeout, the whole run takes well under 60 s per backend.
# Usage: scripts/probe-security.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pgurl=${DATABASE_URL:-}
tmp=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
go build -o "$tmp/strikeline" .
go build -o "$tmp/gpadgen" ./importers/cmd/gpadgen
# Two versions of one month (different seeds: different figures).
"$tmp/gpadgen" -from 2023-11 -count 1 -subicbs 20 -combos 60 -seed 1 >"$tmp/A_Nov23.csv"
"$tmp/gpadgen" -from 2023-11 -count 1 -subicbs 20 -combos 60 -seed 2 -realistic >"$tmp/B_Nov23.csv"
head -c $((96 << 20)) /dev/zero >"$tmp/body96"

kb() { awk -v k="$1" '$1==k":" {print $2}' "/proc/$pid/status"; }
reset_peak() { echo 5 >"/proc/$pid/clear_refs"; }
mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k/1024}'; }
codes() { sort | uniq -c | awk '{printf "%s×%s ", $1, $2}'; }

probe() {
  local backend=$1 dburl=$2
  local port base idle
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  export STRIKELINE_DB="$tmp/$backend.db" DATABASE_URL="$dburl" STRIKELINE_ADDR="127.0.0.1:$port" \
    STRIKELINE_TRUST_PROXY=1 STRIKELINE_TRUSTED_PROXIES=192.0.2.255/32
  "$tmp/strikeline" migrate >/dev/null
  echo 'probe password 123' | "$tmp/strikeline" user add --role planner --password-stdin "victim-$port@example.org" >/dev/null
  local token
  token=$("$tmp/strikeline" user add --role analyst "analyst-$port@example.org" | grep -o 'slk_[a-z0-9]*')
  "$tmp/strikeline" serve >"$tmp/$backend.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
  sleep 0.5
  idle=$(kb VmRSS)
  echo "== $backend: idle RSS $(mb "$idle") MB (anchor)"
  # A step's peak starts from the RSS the step began with (the Go runtime
  # keeps freed memory for a while), printed first.
  local before
  report() { local hwm; hwm=$(kb VmHWM); printf '   RSS %s MB before, peak %s MB = %.1f× idle\n' "$(mb "$before")" "$(mb "$hwm")" "$(awk -v a="$hwm" -v b="$idle" 'BEGIN {print a/b}')"; reset_peak; before=$(kb VmRSS); }

  reset_peak; before=$(kb VmRSS)
  local st
  st=$(curl -s -o /dev/null -w '%{http_code}' -m 20 -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary @"$tmp/body96" "$base/login" || true)
  echo "1. 96 MB body to /login: HTTP $st"
  report

  curl -s -m 5 -c "$tmp/jar" "$base/login" >"$tmp/login.html"
  local csrf
  csrf=$(grep -o 'name="csrf_token" value="[^"]*"' "$tmp/login.html" | head -1 | sed 's/.*value="//; s/"$//')
  login() { curl -s -o /dev/null -w '%{http_code}\n' -m 20 -b "$tmp/jar" "$@" \
    --data-urlencode "csrf_token=$csrf" --data-urlencode "email=victim-$port@example.org" \
    --data-urlencode "password=wrong password $RANDOM" "$base/login"; }
  : >"$tmp/codes1"; : >"$tmp/codes2"
  local pids=()
  for i in $(seq 24); do login >>"$tmp/codes1" & pids+=($!); done; wait "${pids[@]}"
  echo "2. 24 concurrent wrong logins: $(codes <"$tmp/codes1")"
  report
  pids=()
  for i in $(seq 24); do login -H "X-Forwarded-For: 198.51.100.$i" >>"$tmp/codes2" & pids+=($!); done; wait "${pids[@]}"
  echo "3. 24 with rotating X-Forwarded-For: $(codes <"$tmp/codes2")"
  report
  st=$(curl -s -o /dev/null -w '%{http_code}' -m 10 -b "$tmp/jar" --data-urlencode "csrf_token=$csrf" \
    --data-urlencode "email=victim-$port@example.org" --data-urlencode 'password=probe password 123' \
    -H 'X-Forwarded-For: 203.0.113.200' "$base/login")
  echo "   right password from the same peer once its backoff has passed: HTTP $st"

  up() { curl -s -m 30 -H "Authorization: Bearer $token" -F "file=@$tmp/$1;filename=Sub_ICB_Nov23.csv" -F kind=gpad "$base/api/v1/imports"; echo; }
  up B_Nov23.csv >/dev/null
  for _ in $(seq 100); do
    curl -s -m 5 -H "Authorization: Bearer $token" "$base/api/v1/imports?limit=1" | grep -q '"status":"running"' || break
    sleep 0.2
  done
  reset_peak; before=$(kb VmRSS)
  up A_Nov23.csv >"$tmp/impA" & local upA=$!
  sleep 0.05; up B_Nov23.csv >"$tmp/impB"; wait "$upA"
  # Wait for both runs to finish.
  for _ in $(seq 100); do
    curl -s -m 5 -H "Authorization: Bearer $token" "$base/api/v1/imports?limit=3" | grep -q '"status":"running"' || break
    sleep 0.2
  done
  echo "4. two concurrent imports (B stored first, then A and B 50 ms apart):"
  curl -s -m 5 -H "Authorization: Bearer $token" "$base/api/v1/imports?limit=2" | python3 -c '
import json, sys
for r in reversed(json.load(sys.stdin)["imports"]):
    print("   run %s %s: %s, %s rows inserted, %s updated — %s" % (r["id"], r["file_name"], r["status"], r.get("rows_inserted"), r.get("rows_updated"), (r.get("note") or r.get("message") or "")[:90]))'
  report
  local stored
  stored=$(curl -s -m 10 "$base/api/v1/activity?from=2023-11-01&to=2023-11-30&granularity=month" |
    python3 -c 'import json,sys; print(sum(p["count"] for p in json.load(sys.stdin)["points"]))')
  local wantA wantB
  wantA=$(awk -F, 'NR>1 {s+=$NF} END {print s}' "$tmp/A_Nov23.csv")
  wantB=$(awk -F, 'NR>1 {s+=$NF} END {print s}' "$tmp/B_Nov23.csv")
  echo "   stored November 2023 total: $stored (file A $wantA, file B $wantB; the last import to commit should win)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

echo "strikeline $(git rev-parse --short HEAD 2>/dev/null || echo dev), $(nproc) CPUs"
start=$SECONDS
probe sqlite ""
if [ -n "$pgurl" ]; then
  probe postgres "$pgurl"
fi
echo "probe took $((SECONDS - start)) s"
