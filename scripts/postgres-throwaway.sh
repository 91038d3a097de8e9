#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster on a private Unix socket and print the DATABASE_URL
# for it on stdout (everything else goes to stderr), e.g.:
#     export DATABASE_URL="$(scripts/postgres-throwaway.sh start /tmp/anchornet-pg)"
#     scripts/postgres-throwaway.sh stop /tmp/anchornet-pg
# PostgreSQL refuses to run as root, so as root the cluster runs as the unprivileged
# `postgres` user. Nothing listens on TCP (listen_addresses is empty).
set -euo pipefail

action=${1:?usage: $0 start|stop DIR}
dir=${2:?usage: $0 start|stop DIR}
port=${PGPORT_THROWAWAY:-54329}

# Debian keeps the server binaries off PATH.
for bin in /usr/lib/postgresql/*/bin; do [ -d "$bin" ] && PATH="$PATH:$bin"; done
command -v pg_ctl >/dev/null || { echo "pg_ctl not found: install PostgreSQL 15 (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "PATH='$PATH'; $1"; else bash -c "$1"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "initdb -D '$dir/data' -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >'$dir/initdb.log'" >&2
    fi
    if ! as_owner "pg_ctl -D '$dir/data' status" >/dev/null 2>&1; then
      as_owner "pg_ctl -D '$dir/data' -o \"-k '$dir' -p $port -c listen_addresses='' -c fsync=off -c full_page_writes=off\" -l '$dir/server.log' -w start" >&2
    fi
    psql -h "$dir" -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'anchornet'" | grep -q 1 \
      || createdb -h "$dir" -p "$port" -U postgres anchornet >&2
    # The socket directory, percent-encoded, as the host: dj-database-url reads it back.
    host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$dir")
    echo "postgres://postgres@${host}:${port}/anchornet"
    ;;
  stop)
    as_owner "pg_ctl -D '$dir/data' stop -m fast" >&2 || true
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
