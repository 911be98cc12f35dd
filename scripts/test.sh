#!/usr/bin/env bash
# Runs the whole test suite against SQLite and PostgreSQL (README's test
# command). PostgreSQL: TEST_DATABASE_URL, else 127.0.0.1:5432 database
# "test", else a private cluster from the installed binaries; otherwise the
# tests fail saying what to install. The race detector is on: concurrency
# is part of correctness here (it needs cgo, i.e. a C compiler).
set -euo pipefail
cd "$(dirname "$0")/.."
go test -race -count=1 -timeout 25m "$@" ./...
