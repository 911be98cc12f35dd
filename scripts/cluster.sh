#!/usr/bin/env bash
# Two app instances behind nginx, over a PostgreSQL primary and a streaming
# replica, all on loopback, with their own ports and data directories under
# one temporary folder (never the machine's own PostgreSQL).
#
#   scripts/cluster.sh up      install what is missing (apt-get), start it all,
#                              print: proxy=URL primary=URL replica=URL app_pids=PID,PID token=TOKEN
#   scripts/cluster.sh down    stop everything "up" started, by PID, and remove the folder
#   scripts/cluster.sh drill [SECONDS] [CONNS]
#                              bounded write+read load through nginx; kills one app
#                              instance mid-run, then stops and restarts the replica;
#                              checks every acknowledged write is on both databases
#
# The folder is $STRIKELINE_CLUSTER_DIR (default /tmp/strikeline-cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${STRIKELINE_CLUSTER_DIR:-/tmp/strikeline-cluster}
state=$dir/state

die() { echo "cluster: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

pgbin() {
  local b
  b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$b" ] && [ -x "$b/initdb" ] || return 1
  echo "$b"
}

# as_pg runs a PostgreSQL binary; PostgreSQL refuses to run as root, so as
# root it runs as the postgres user (created by the Debian package).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_missing() {
  local pkgs=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || pkgs+=(nginx)
  pgbin >/dev/null || pkgs+=(postgresql)
  command -v psql >/dev/null || pkgs+=(postgresql-client)
  command -v curl >/dev/null || pkgs+=(curl)
  if [ ${#pkgs[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${pkgs[*]}: run as root or apt-get install them"
    echo "cluster: installing ${pkgs[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
}

wait_http() { # URL TRIES
  for _ in $(seq "${2:-100}"); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  return 1
}

pg_start() { # DATA PORT
  as_pg "$bin/pg_ctl" -D "$1" -l "$1.log" -w -t 60 \
    -o "-p $2 -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c hot_standby=on" start >/dev/null
}

pg_stop() { # DATA
  [ -f "$1/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$1" -m fast -w stop >/dev/null || true
}

start_app() { # N PORT
  DATABASE_URL=$primary STRIKELINE_REPLICA_URLS=$replica STRIKELINE_TRUST_PROXY=1 \
    STRIKELINE_ADDR=127.0.0.1:$2 STRIKELINE_BASE_URL=$proxy \
    nohup "$dir/strikeline" serve >"$dir/app$1.log" 2>&1 &
  echo $!
}

up() {
  [ -f "$state" ] && die "already up ($state); run: scripts/cluster.sh down"
  install_missing
  bin=$(pgbin) || die "no PostgreSQL binaries under /usr/lib/postgresql"
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  local pport rport a1 a2 lport
  pport=$(free_port); rport=$(free_port); a1=$(free_port); a2=$(free_port); lport=$(free_port)

  # Primary, then a replica cloned from it that streams its WAL.
  as_pg "$bin/initdb" -D "$dir/primary" -A trust -U postgres --no-sync >"$dir/initdb.log"
  pg_start "$dir/primary" "$pport"
  as_pg "$bin/psql" -qAt -h 127.0.0.1 -p "$pport" -U postgres -c "CREATE DATABASE strikeline" >/dev/null
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$dir/replica" -R -X stream
  pg_start "$dir/replica" "$rport"
  primary="postgres://postgres@127.0.0.1:$pport/strikeline?sslmode=disable"
  replica="postgres://postgres@127.0.0.1:$rport/strikeline?sslmode=disable"
  proxy="http://127.0.0.1:$lport"

  go build -o "$dir/strikeline" .
  go build -o "$dir/loadtest" ./app/cmd/loadtest
  # Migrations and the seed run once, on the primary.
  DATABASE_URL=$primary "$dir/strikeline" migrate >/dev/null
  token=$(DATABASE_URL=$primary "$dir/strikeline" user add --role planner "planner-$lport@cluster.test" | tail -1)
  pid1=$(start_app 1 "$a1")
  pid2=$(start_app 2 "$a2")
  wait_http "http://127.0.0.1:$a1/readyz" || die "app 1 did not start: $(tail -5 "$dir/app1.log")"
  wait_http "http://127.0.0.1:$a2/readyz" || die "app 2 did not start: $(tail -5 "$dir/app2.log")"

  # nginx: passive health checks (a server failing once is left out for
  # 5 s); idempotent requests that fail on one instance are retried on the
  # other (nginx never retries a POST unless told to, and it is not).
  mkdir -p "$dir/nginx/tmp"
  chmod 777 "$dir/nginx/tmp"
  cat >"$dir/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $dir/nginx/access.log;
  client_body_temp_path $dir/nginx/tmp/body;
  proxy_temp_path $dir/nginx/tmp/proxy;
  fastcgi_temp_path $dir/nginx/tmp/fastcgi;
  uwsgi_temp_path $dir/nginx/tmp/uwsgi;
  scgi_temp_path $dir/nginx/tmp/scgi;
  client_max_body_size 512m;
  upstream strikeline {
    server 127.0.0.1:$a1 max_fails=1 fail_timeout=5s;
    server 127.0.0.1:$a2 max_fails=1 fail_timeout=5s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lport;
    location / {
      proxy_pass http://strikeline;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 2;
    }
  }
}
EOF
  "$nginx" -p "$dir/nginx" -c "$dir/nginx/nginx.conf"
  wait_http "$proxy/readyz" 50 || die "nginx did not start: $(tail -5 "$dir/nginx/error.log")"
  cat >"$state" <<EOF
bin=$bin
nginx=$nginx
primary=$primary
replica=$replica
rport=$rport
proxy=$proxy
app1=$a1
app2=$a2
pid1=$pid1
pid2=$pid2
nginx_pid=$(cat "$dir/nginx/nginx.pid")
token=$token
EOF
  echo "proxy=$proxy primary=$primary replica=$replica app_pids=$pid1,$pid2 token=$token"
}

load_state() {
  [ -f "$state" ] || die "not up (no $state)"
  # shellcheck disable=SC1090
  . "$state"
}

down() {
  load_state
  kill -TERM "$nginx_pid" 2>/dev/null || true
  for p in $pid1 $pid2; do kill -TERM "$p" 2>/dev/null || true; done
  for p in $pid1 $pid2 $nginx_pid; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  done
  pg_stop "$dir/replica"
  pg_stop "$dir/primary"
  rm -rf "$dir"
  echo "cluster: down"
}

count() { # URL RUN
  psql -qAt "$1" -c "SELECT count(*) FROM events WHERE title LIKE 'loadtest $2 %' AND deleted_at IS NULL" 2>/dev/null || echo "?"
}

drill() {
  local secs=${1:-30} conns=${2:-16} started=
  if [ ! -f "$state" ]; then up >/dev/null; started=1; fi
  load_state
  echo "drill: ${secs}s of load through $proxy with $conns connections; app $pid1 killed at $((secs / 3))s; replica stopped at $((secs / 2))s for 5s"
  # A killed instance may fail at most the requests it had in flight: one
  # per connection.
  "$dir/loadtest" --url "$proxy" --token "$token" --duration "${secs}s" --conns "$conns" \
    --writes 0.3 --max-failures "$conns" >"$dir/drill.out" 2>&1 &
  local lt=$!
  sleep $((secs / 3))
  kill -KILL "$pid1"
  echo "drill: killed app instance $pid1"
  sleep $((secs / 2 - secs / 3))
  pg_stop "$dir/replica"
  echo "drill: replica stopped"
  sleep 5
  pg_start "$dir/replica" "$rport"
  echo "drill: replica restarted"
  local rc=0
  wait "$lt" || rc=$?
  cat "$dir/drill.out"
  local run acked failed requests failures onp onr
  run=$(awk '/^writes .*run /{print $NF}' "$dir/drill.out")
  acked=$(awk '/^writes .*acknowledged/{gsub(",","",$3); print $3}' "$dir/drill.out")
  failed=$(awk '/^writes .*acknowledged/{gsub(",","",$5); print $5}' "$dir/drill.out")
  requests=$(awk '/^requests/{print $2}' "$dir/drill.out")
  failures=$(awk '/^errors/{print $2}' "$dir/drill.out")
  [ -n "$run" ] || die "loadtest did not finish: $(tail -3 "$dir/drill.out")"
  onp=$(count "$primary" "$run")
  for _ in $(seq 150); do onr=$(count "$replica" "$run"); [ "$onr" = "$onp" ] && break; sleep 0.2; done
  echo "drill: requests=$requests failures=$failures acknowledged=$acked failed_writes=$failed on_primary=$onp on_replica=$onr"
  local ok=1
  [ "$rc" = 0 ] || { echo "drill: FAIL: loadtest exited $rc" >&2; ok=0; }
  [ "$onp" = "$onr" ] || { echo "drill: FAIL: replica holds $onr of the primary's $onp writes" >&2; ok=0; }
  [ "$onp" -ge "$acked" ] 2>/dev/null || { echo "drill: FAIL: $acked acknowledged, $onp stored" >&2; ok=0; }
  [ "$failures" -le "$conns" ] 2>/dev/null || { echo "drill: FAIL: $failures failures, more than the $conns in flight" >&2; ok=0; }
  [ -n "$started" ] && down >/dev/null
  [ "$ok" = 1 ] && echo "drill: PASS" || exit 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  drill) shift; drill "$@" ;;
  *) echo "usage: scripts/cluster.sh up|down|drill [SECONDS] [CONNS]" >&2; exit 2 ;;
esac
