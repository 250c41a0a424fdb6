#!/usr/bin/env bash
# Start the local PostgreSQL 15 the database tests use, and make their role and database.
# Idempotent: safe to run again on a machine where everything already exists. Needs root.
# The tests then connect to postgresql+psycopg://xktracker:xktracker@127.0.0.1:5432/xktracker_test
set -euo pipefail

VERSION=15
CLUSTER=main
ROLE=xktracker
PASSWORD=xktracker
DATABASE=xktracker_test

if ! command -v pg_ctlcluster >/dev/null; then
  echo "pg_ctlcluster not found: apt-get install -y postgresql" >&2
  exit 1
fi

if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$VERSION/$CLUSTER"; then
  pg_createcluster "$VERSION" "$CLUSTER"
fi

# Loopback only: this server exists for tests and must not be reachable from the network.
# A drop-in under conf.d/ (read after postgresql.conf, so it wins) keeps the packaged file as is.
CONF_DIR="/etc/postgresql/$VERSION/$CLUSTER/conf.d"
DROP_IN="$CONF_DIR/xktracker-test.conf"
WANT="listen_addresses = '127.0.0.1'"
changed=0
if [ "$(cat "$DROP_IN" 2>/dev/null || true)" != "$WANT" ]; then
  mkdir -p "$CONF_DIR"
  printf '%s\n' "$WANT" > "$DROP_IN"
  chown postgres:postgres "$DROP_IN"
  changed=1
fi

if pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}' \
    | grep -q online; then
  # listen_addresses only takes effect on a restart.
  if [ "$changed" = 1 ]; then pg_ctlcluster "$VERSION" "$CLUSTER" restart; fi
else
  pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

psql_admin() { su postgres -c "psql -p 5432 -v ON_ERROR_STOP=1 -qAtX $*"; }

# Wait for the server to accept connections (start returns before that on slow machines).
for _ in $(seq 1 50); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432"; then break; fi
  sleep 0.2
done

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname='$ROLE'\"")" != "1" ]; then
  psql_admin "-c \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'\""
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname='$DATABASE'\"")" != "1" ]; then
  psql_admin "-c \"CREATE DATABASE $DATABASE OWNER $ROLE\""
fi
# The tests make one schema per test inside this database.
psql_admin "-d $DATABASE -c \"GRANT CREATE ON DATABASE $DATABASE TO $ROLE\""

echo "PostgreSQL $VERSION/$CLUSTER on 127.0.0.1:5432, database $DATABASE (role $ROLE)"
