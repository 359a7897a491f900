#!/bin/sh
# tests/with_pg.sh CMD...: runs CMD (tests/run.sh, from `make test` and `make valgrind`) with
# the PostgreSQL server that the database tests need, from the repository root:
#   - tests/pg/start.sh starts the throwaway cluster with CDNOW (or reuses a running one), and
#     it is stopped and deleted at the end, also when CMD fails or on Ctrl-C. Runs at the same
#     time share the cluster: each registers in $DIR.users under a lock, the last one out
#     stops it (a registration whose process is gone, e.g. a killed run, does not count;
#     tests/cluster.sh, shared with tests/with_ch.sh);
#   - CVKIT_PG_URL set: that server is used as it is, nothing is started or stopped;
#   - CVKIT_PG=skip: no server, the database tests say they are skipped (and run.sh's summary).
# When no server can be started, fails with a message naming the fixes, before running CMD.
cd "$(dirname "$0")/.." || exit 1
. tests/data.sh
check_data || exit 1

if [ "${CVKIT_PG:-}" = skip ] || [ -n "${CVKIT_PG_URL:-}" ]; then
    exec "$@"
fi

PORT=${CVKIT_PG_PORT:-54329}
DIR=${CVKIT_PG_DIR:-${TMPDIR:-/tmp}/cvkit-pg-$PORT}
USERS=$DIR.users
LOCK=$DIR.lock

CLUSTER=pg
. tests/cluster.sh # cluster_traps, cluster_start: the registration with_ch.sh shares
cluster_traps
url=$(cluster_start)
rc=$?
if [ $rc -ne 0 ]; then
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        why="PostgreSQL is not installed"
    else
        why="tests/pg/start.sh could not start one (see the messages above)"
    fi
    cat >&2 <<MSG
The database tests need a PostgreSQL server and $why.
Fix: run make test as root (it installs postgresql), or sudo apt-get install postgresql;
or point CVKIT_PG_URL at a server with CDNOW loaded (docs/databases.md);
or skip these tests explicitly: make test CVKIT_PG=skip
MSG
    exit 1
fi
CVKIT_PG_URL=$url
export CVKIT_PG_URL
"$@"
exit $?
