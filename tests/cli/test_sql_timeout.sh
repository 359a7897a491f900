#!/bin/sh
# The run's time limit (cvkit run --timeout) holds inside a long ClickHouse query: libcurl's
# progress callback sees the cancellation and stops the request, so the script ends with
# the ordinary "time limit exceeded" error at its own line (exit 9), not the watchdog's
# kill, and a connection's timeout (cv.connect's option) ends a query with its own message.
# Needs the cluster of tests/ch/start.sh (make test starts it); CVKIT_CH=skip skips.
. tests/cli/lib.sh
if [ "${CVKIT_CH:-}" = skip ]; then
    echo "# 0 passed, 0 failed (clickhouse tests skipped: CVKIT_CH=skip)"
    exit 0
fi
URL=${CVKIT_CH_URL:-clickhouse://cvkit:cvkit@127.0.0.1:58123/cvkit}
SHOWN=$(echo "$URL" | sed -E 's|^([a-z]+://[^:@/]+):[^@]*@|\1@|')

# three blocks of one row, each sleeping 3 s: 9 s unless stopped
script long.lua '
local db <close> = cv.connect("'"$URL"'")
local t = db:read("SELECT sleep(3) AS s FROM numbers(3) SETTINGS max_block_size = 1")
print("not reached", #t)'
run "$CVKIT" run --timeout 1 "$TMP/long.lua"
check "--timeout 1 stops a ClickHouse query at the script's line, exit 9" \
    '[ $rc -eq 9 ] && err_line1_is "cvkit: $TMP/long.lua:3: time limit exceeded (1 s)" && ! out_has "not reached"'

script conn.lua '
local db <close> = cv.connect("'"$URL"'", {timeout = 1})
local t = db:read("SELECT sleep(3) AS s FROM numbers(3) SETTINGS max_block_size = 1")
print("not reached", #t)'
run "$CVKIT" run "$TMP/conn.lua"
check "cv.connect's timeout ends the query with the limit named, exit 9" \
    '[ $rc -eq 9 ] && err_line1_is "cvkit: $SHOWN: the query ran past the connection'"'"'s timeout of 1 s and was stopped"'
finish
