#!/bin/sh
# tests/with_pg.sh CMD...: runs CMD (tests/run.sh, from `make test` and `make valgrind`) with
# the PostgreSQL server that the database tests need, from the repository root:
#   - tests/pg/start.sh starts the throwaway cluster with CDNOW (or reuses a running one), and
#     it is stopped and deleted at the end, also when CMD fails or on Ctrl-C. Runs at the same
#     time share the cluster: each registers in $DIR.users under a lock, the last one out
#     stops it (a registration whose process is gone, e.g. a killed run, does not count);
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

# leave: unregisters this run; stops the cluster when no live run is registered any more
leave() {
    st=$?
    trap - EXIT INT TERM HUP
    (
        flock 9
        rm -f "$USERS/$$"
        for f in "$USERS"/*; do
            [ -e "$f" ] || continue
            kill -0 "${f##*/}" 2>/dev/null && exit 0
            rm -f "$f"
        done
        rmdir "$USERS" 2>/dev/null
        # not the subshell's last command: dash would exec it, closing the lock's only fd
        sh tests/pg/stop.sh 9>&-
        exit 0
    ) 9>"$LOCK"
    exit $st
}

trap leave EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# registered before the start, so that a failed or interrupted start is cleaned up too
url=$(
    (
        flock 9
        mkdir -p "$USERS" && : >"$USERS/$$" || exit 1
        sh tests/pg/start.sh 9>&- # the server must not inherit the lock
        # not the subshell's last command: dash would exec it and so close the only fd that
        # holds the lock while the server starts
        rc=$?
        exit $rc
    ) 9>"$LOCK"
)
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
