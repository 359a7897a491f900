#!/bin/sh
# Stops the throwaway ClickHouse cluster of tests/ch/start.sh and deletes it (keeps it
# on disk with CVKIT_CH_KEEP=1).
set -u
PORT=${CVKIT_CH_PORT:-58123}
DIR=${CVKIT_CH_DIR:-${TMPDIR:-/tmp}/cvkit-ch-$PORT}
[ -d "$DIR" ] || exit 0
for n in 1 2; do
    [ -f "$DIR/s$n.pid" ] || continue
    pid=$(cat "$DIR/s$n.pid")
    kill "$pid" 2>/dev/null
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.2
        i=$((i + 1))
    done
    kill -9 "$pid" 2>/dev/null
    rm -f "$DIR/s$n.pid"
done
[ "${CVKIT_CH_KEEP:-0}" = 1 ] || rm -rf "$DIR"
exit 0
