#!/bin/sh
# Starts a throwaway PostgreSQL cluster for cvkit's tests and loads CDNOW into it.
#   sh tests/pg/start.sh        (stop it with sh tests/pg/stop.sh)
# The cluster lives in $CVKIT_PG_DIR (default ${TMPDIR:-/tmp}/cvkit-pg-$PORT), listens on
# 127.0.0.1:$CVKIT_PG_PORT (default 54329) only, and runs as an unprivileged user: as root,
# the system user cvkit-test (created when missing; PostgreSQL refuses to run as root),
# else the current user. Role and database "cvkit" with password "cvkit" (scram-sha-256
# over TCP); tables cdnow (CDNOW_sample) and cdnow_master. If a cluster already runs there,
# it is reused. Prints the URL the tests use:
#   postgresql://cvkit:cvkit@127.0.0.1:54329/cvkit
# Exit status 0 when the server is up, 2 when PostgreSQL is not installed, 1 on failure.
set -eu
PORT=${CVKIT_PG_PORT:-54329}
DIR=${CVKIT_PG_DIR:-${TMPDIR:-/tmp}/cvkit-pg-$PORT}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=${CVKIT_DATA:-$TOP/../shared/data}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "pg: postgresql is not installed (apt-get install postgresql)" >&2
    exit 2
fi
URL="postgresql://cvkit:cvkit@127.0.0.1:$PORT/cvkit"

# as: runs a command as the cluster's owner
if [ "$(id -u)" = 0 ]; then
    OWNER=cvkit-test
    if ! id "$OWNER" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$OWNER"
    fi
    as() { runuser -u "$OWNER" -- "$@"; }
else
    OWNER=$(id -un)
    as() { "$@"; }
fi

if [ -f "$DIR/data/PG_VERSION" ] && as "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    echo "$URL"
    exit 0
fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chown "$OWNER" "$DIR"
    chmod 700 "$DIR"
    as sh -c "echo postgres-$$ > '$DIR/pw'"
    as "$PGBIN/initdb" -D "$DIR/data" -U postgres -E UTF8 --locale=C --auth-local=trust \
        --auth-host=scram-sha-256 --pwfile="$DIR/pw" >"$DIR/initdb.log" 2>&1 || {
        cat "$DIR/initdb.log" >&2
        exit 1
    }
    as sh -c "cat >> '$DIR/data/postgresql.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
work_mem = 256MB
max_wal_size = 4GB
CONF
    FRESH=1
else
    FRESH=0
fi
as "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null || {
    cat "$DIR/server.log" >&2
    exit 1
}

if [ "$FRESH" = 1 ]; then
    PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1 -h $DIR -p $PORT -U postgres"
    as $PSQL -d postgres -c "CREATE ROLE cvkit LOGIN PASSWORD 'cvkit'" \
        -c "CREATE DATABASE cvkit OWNER cvkit" >/dev/null
    # CDNOW_sample: master id, sample id, date YYYYMMDD, CDs, dollars (runs of spaces)
    as $PSQL -d cvkit -U cvkit -c "CREATE TABLE cdnow (master_id int, customer int, date date,
        cds int, amount numeric(10, 2))" -c "CREATE TABLE cdnow_master (customer int, date date,
        cds int, amount numeric(10, 2))" >/dev/null
    awk 'NF == 5 { print $1 "," $2 "," $3 "," $4 "," $5 }' "$DATA/CDNOW_sample.txt" |
        as $PSQL -d cvkit -U cvkit -c "\\copy cdnow FROM STDIN WITH (FORMAT csv)"
    awk 'NR > 1 && NF == 4 { print $1 "," $2 "," $3 "," $4 }' "$DATA/CDNOW_master.txt" |
        as $PSQL -d cvkit -U cvkit -c "\\copy cdnow_master FROM STDIN WITH (FORMAT csv)"
fi
echo "$URL"
