#!/bin/sh
# Stops the throwaway PostgreSQL cluster of tests/pg/start.sh and deletes it (keeps it
# stopped but on disk with CVKIT_PG_KEEP=1, e.g. to keep the benchmark's 10M rows).
set -u
PORT=${CVKIT_PG_PORT:-54329}
DIR=${CVKIT_PG_DIR:-${TMPDIR:-/tmp}/cvkit-pg-$PORT}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -f "$DIR/data/PG_VERSION" ] || exit 0
if [ "$(id -u)" = 0 ]; then
    as() { runuser -u cvkit-test -- "$@"; }
else
    as() { "$@"; }
fi
as "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1
[ "${CVKIT_PG_KEEP:-0}" = 1 ] || rm -rf "$DIR"
exit 0
