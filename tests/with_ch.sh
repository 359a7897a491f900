#!/bin/sh
# tests/with_ch.sh CMD...: runs CMD (from `make test` and `make valgrind`, inside
# tests/with_pg.sh) with the two-shard ClickHouse cluster the ClickHouse tests need:
#   - tests/ch/start.sh starts it with CDNOW loaded (or reuses a running one), and it is
#     stopped and deleted at the end, also when CMD fails or on Ctrl-C. Runs at the same time
#     (in any clone: the cluster's folder and ports are the same) share the cluster: each
#     registers in $DIR.users under the lock $DIR.lock, the last one out stops it; a
#     registration whose process is gone (a killed run) does not count: tests/cluster.sh,
#     shared with tests/with_pg.sh;
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

CLUSTER=ch
. tests/cluster.sh # cluster_traps, cluster_start: the registration with_pg.sh shares
cluster_traps
if ! url=$(cluster_start); then
    echo "The ClickHouse tests need the cluster of tests/ch/start.sh, which did not start" \
        "(see above); or skip them explicitly: make test CVKIT_CH=skip" >&2
    exit 1
fi
CVKIT_CH_URL=$url
export CVKIT_CH_URL
"$@"
exit $?
