#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite and print its URL; with
# `stop DATA`, stop the server whose data folder is DATA and remove that folder when it is one of ours
# (`.ci/run` does at exit, so a second run on the same machine finds the port free and /tmp as it was).
# Installs Debian's postgresql package when no server binaries are found. Runs the server as the
# `postgres` user (it refuses root) with its data in a temporary folder (PGDATA_TEST, if set).
set -euo pipefail
PORT="${PGPORT_TEST:-55432}"
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
BIN="$(find_bin)"
if [ -z "$BIN" ]; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    BIN="$(find_bin)"
fi
# From / : the postgres user may not enter the caller's folder.
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "cd / && $*"; else sh -c "$*"; fi; }
if [ "${1:-}" = stop ]; then
    as_postgres "$BIN/pg_ctl -D $2 stop -m fast >/dev/null"
    case "$2" in /tmp/registrar-pg.*) rm -rf "$2" ;; esac  # its own temporary folder only (55 MB a run)
    exit 0
fi
DATA="${PGDATA_TEST:-$(mktemp -d /tmp/registrar-pg.XXXXXX)}"
if [ "$(id -u)" = 0 ]; then chown postgres "$DATA"; fi
as_postgres "$BIN/initdb -D $DATA -A trust -U postgres >/dev/null"
as_postgres "$BIN/pg_ctl -D $DATA -o '-p $PORT -k $DATA -c listen_addresses=127.0.0.1' -l $DATA/log -w start >/dev/null"
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
