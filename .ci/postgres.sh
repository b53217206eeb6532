#!/usr/bin/env bash
# Installs (Debian's `postgresql`) and starts PostgreSQL on loopback for the store and server tests,
# creates the role `levee` (password `levee`, may create databases: every test makes its own) and
# prints the URL the tests read from LEVEE_TEST_POSTGRES_URL. Runs as root (CI) or with sudo.
# Usage: export LEVEE_TEST_POSTGRES_URL=$(bash .ci/postgres.sh)
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! ls /usr/lib/postgresql/*/bin/postgres > /dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >&2
  as_root apt-get install -y -qq postgresql > /dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
  as_root pg_createcluster "$version" main > /dev/null
fi
# Loopback only, whatever the cluster's configuration says.
as_root pg_conftool "$version" main set listen_addresses 'localhost' > /dev/null 2>&1 || true
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  as_root pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 30); do
  as_root su postgres -c "pg_isready -q -h 127.0.0.1 -p $port" && break
  sleep 1
done
as_root su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" > /dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'levee') THEN
    CREATE ROLE levee LOGIN CREATEDB PASSWORD 'levee';
  END IF;
END $$;
SELECT 'CREATE DATABASE levee OWNER levee' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'levee')\gexec
SQL
echo "postgres://levee:levee@127.0.0.1:$port/levee"
