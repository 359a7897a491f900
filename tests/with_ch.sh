#!/bin/sh
# tests/with_ch.sh CMD...: runs CMD (from `make test` and `make valgrind`, inside
# tests/with_pg.sh) with the two-shard ClickHouse cluster the ClickHouse tests need:
#   - tests/ch/start.sh starts it with CDNOW loaded (or reuses a running one), and it is
#     stopped and deleted at the end, also when CMD fails or on Ctrl-C. Runs at the same time
#     (in any clone: the cluster's folder and ports are the same) share the cluster: each
#     registers in $DIR.users under the lock $DIR.lock, the last one out stops it; a
#     registration whose process is gone (a killed run) does not count. As tests/with_pg.sh;
#     tests/cli/test_ch_refcount.sh tests it;
#   - CVKIT_CH_URL set: that server is used as it is, nothing is started or stopped;
#   - CVKIT_CH=skip, or ClickHouse not installed: no server, the ClickHouse tests say SKIP.
# When ClickHouse is installed but cannot be started, fails before running CMD.
cd "$(dirname "$0")/.." || exit 1
if [ "${CVKIT_CH:-}" = skip ] || [ -n "${CVKIT_CH_URL:-}" ]; then
    exec "$@"
fi
if ! command -v clickhouse-server >/dev/null 2>&1; then
    echo "SKIP: the ClickHouse tests (clickhouse-server is not installed: sh tools/deps.sh test)" >&2
    CVKIT_CH=skip
    export CVKIT_CH
    exec "$@"
fi
PORT=${CVKIT_CH_PORT:-58123}
DIR=${CVKIT_CH_DIR:-${TMPDIR:-/tmp}/cvkit-ch-$PORT}
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
        sh tests/ch/stop.sh 9>&-
        exit 0
    ) 9>"$LOCK"
    exit $st
}
trap leave EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# registered before the start, so that a failed or interrupted start is cleaned up too
if ! url=$(
    (
        flock 9
        mkdir -p "$USERS" && : >"$USERS/$$" || exit 1
        sh tests/ch/start.sh 9>&- # the servers must not inherit the lock
        # not the subshell's last command: dash would exec it and so close the only fd that
        # holds the lock while the server starts
        rc=$?
        exit $rc
    ) 9>"$LOCK"
); then
    echo "The ClickHouse tests need the cluster of tests/ch/start.sh, which did not start" \
        "(see above); or skip them explicitly: make test CVKIT_CH=skip" >&2
    exit 1
fi
CVKIT_CH_URL=$url
export CVKIT_CH_URL
"$@"
exit $?
