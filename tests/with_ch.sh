#!/bin/sh
# tests/with_ch.sh CMD...: runs CMD (from `make test` and `make valgrind`, inside
# tests/with_pg.sh) with the two-shard ClickHouse cluster the ClickHouse tests need:
#   - tests/ch/start.sh starts it with CDNOW loaded (or reuses a running one); it is stopped
#     and deleted at the end when this run started it, also when CMD fails or on Ctrl-C;
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
started=0
curl -s "http://127.0.0.1:$PORT/?query=SELECT%201" >/dev/null 2>&1 || started=1
leave() {
    st=$?
    trap - EXIT INT TERM HUP
    [ $started = 1 ] && sh tests/ch/stop.sh
    exit $st
}
trap leave EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
if ! url=$(sh tests/ch/start.sh); then
    echo "The ClickHouse tests need the cluster of tests/ch/start.sh, which did not start" \
        "(see above); or skip them explicitly: make test CVKIT_CH=skip" >&2
    exit 1
fi
CVKIT_CH_URL=$url
export CVKIT_CH_URL
"$@"
exit $?
