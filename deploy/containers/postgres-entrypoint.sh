#!/bin/bash
# dataline/postgres: PostgreSQL in the foreground, set up as the official image is: on the first start a cluster owned
# by POSTGRES_USER (default postgres) with POSTGRES_PASSWORD (scram-sha-256 over TCP, trust on the local socket) and the
# database POSTGRES_DB (default: the user's name). Arguments after "postgres" are server options ("postgres -c fsync=off"),
# so Testcontainers' PostgreSQL module and Quarkus Dev Services run it as they run the official image. PGPORT and
# LISTEN_ADDRESSES (default *) say where it listens; with --network host, set LISTEN_ADDRESSES=127.0.0.1.
set -euo pipefail
[[ "${1:-}" == postgres ]] && shift
bin="$(ls -d /usr/lib/postgresql/*/bin | head -n 1)"
data="${PGDATA:-/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
port="${PGPORT:-5432}"
mkdir -p "$data" /var/run/postgresql && chown postgres:postgres "$data" /var/run/postgresql
if [[ ! -s "$data/PG_VERSION" ]]; then
  pwfile="$(mktemp)" && printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" >"$pwfile" && chown postgres "$pwfile"
  su postgres -c "$bin/initdb -D '$data' -U '$user' --pwfile='$pwfile' --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$data/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >>"$data/pg_hba.conf"
  # a first server on the socket only, to create the database (its "ready" line is the first of two, as upstream)
  su postgres -c "$bin/pg_ctl -D '$data' -o \"-c listen_addresses='' -p $port\" -w start"
  if [[ "$db" != postgres ]]; then
    su postgres -c "$bin/psql -p $port -U '$user' -d postgres -v ON_ERROR_STOP=1 -q -c 'CREATE DATABASE \"$db\"'"
  fi
  su postgres -c "$bin/pg_ctl -D '$data' -m fast -w stop" >/dev/null
fi
args=""
for a in "$@"; do args="$args '${a//\'/\'\\\'\'}'"; done
exec su postgres -c "exec $bin/postgres -D '$data' -p $port -c listen_addresses='${LISTEN_ADDRESSES:-*}' $args"
