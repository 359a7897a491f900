#!/bin/sh
# The run's time limit (cvkit run --timeout) stops the query on the server too, not only the
# wait for it: PostgreSQL's statement is cancelled (PQcancel, sql_pg.c pg_await) and
# ClickHouse's is killed by its query_id (KILL QUERY, sql_ch.c ch_kill; closing the HTTP
# connection alone leaves a SELECT running), on both shards of a distributed query. Each
# long query carries a marker comment; after the script's "time limit exceeded" error the
# test looks for the marker in pg_stat_activity / system.processes until it is gone (the
# queries would otherwise run for minutes). Needs the servers make test starts
# (tests/with_pg.sh, tests/with_ch.sh); CVKIT_PG=skip / CVKIT_CH=skip skip their parts.
. tests/cli/lib.sh
PG=${CVKIT_PG_URL:-postgresql://cvkit:cvkit@127.0.0.1:54329/cvkit}
CH=${CVKIT_CH_URL:-clickhouse://cvkit:cvkit@127.0.0.1:58123/cvkit}
# the second shard: the same URL one HTTP port up (tests/ch/start.sh)
CH2=$(echo "$CH" | awk -F: '{ split($NF, a, "/"); $NF = (a[1] + 1) "/" a[2]; print }' OFS=:)
MARK="cvkit_cancel_$$"

# count.lua URL SQL: prints the one number SQL returns
script count.lua '
local db <close> = cv.connect(arg[1])
print(db:read(arg[2]):row(1).n)'
# running URL KIND: how many queries carrying the marker the server still runs
running() {
    if [ "$2" = pg ]; then
        q="SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE '%${MARK}%' AND
           pid <> pg_backend_pid()"
    else
        q="SELECT count() AS n FROM system.processes WHERE query LIKE '%${MARK}%' AND
           query NOT LIKE '%system.processes%'"
    fi
    "$CVKIT" run "$TMP/count.lua" "$1" "$q" 2>/dev/null
}
gone() { [ "$(running "$1" "$2")" = 0 ]; }

if [ "${CVKIT_PG:-}" != skip ]; then
    script pg_read.lua '
local db <close> = cv.connect("'"$PG"'")
local t = db:read("SELECT pg_sleep(120) AS s /* '"$MARK"' read */")
print("not reached", #t)'
    run "$CVKIT" run --timeout 1 "$TMP/pg_read.lua"
    check "postgresql: --timeout 1 ends a read at the script's line, exit 9" \
        '[ $rc -eq 9 ] && err_line1_is "cvkit: $TMP/pg_read.lua:3: time limit exceeded (1 s)" &&
         ! out_has "not reached"'
    check "postgresql: the cancelled read no longer runs on the server" 'wait_for 20 gone "$PG" pg'

    script pg_exec.lua '
local db <close> = cv.connect("'"$PG"'")
db:exec("SELECT pg_sleep(120) /* '"$MARK"' exec */")
print("not reached")'
    run "$CVKIT" run --timeout 1 "$TMP/pg_exec.lua"
    check "postgresql: --timeout 1 ends a statement at the script's line, exit 9" \
        '[ $rc -eq 9 ] && err_line1_is "cvkit: $TMP/pg_exec.lua:3: time limit exceeded (1 s)"'
    check "postgresql: the cancelled statement no longer runs" 'wait_for 20 gone "$PG" pg'

else
    echo "# postgresql part skipped (CVKIT_PG=skip)"
fi

if [ "${CVKIT_CH:-}" != skip ]; then
    # a distributed scan of minutes: every CDNOW row joined with a million numbers, hashed
    script ch_read.lua '
local db <close> = cv.connect("'"$CH"'")
local t = db:read([[SELECT count() AS n /* '"$MARK"' */ FROM cdnow
   ARRAY JOIN range(1000000) AS k WHERE cityHash64(customer, k) % 7 = 8
   SETTINGS max_block_size = 1]])
print("not reached", #t)'
    run "$CVKIT" run --timeout 1 "$TMP/ch_read.lua"
    check "clickhouse: --timeout 1 ends a distributed read at the script's line, exit 9" \
        '[ $rc -eq 9 ] && err_line1_is "cvkit: $TMP/ch_read.lua:3: time limit exceeded (1 s)"'
    check "clickhouse: the killed query no longer runs on shard 1 (the initiator)" \
        'wait_for 20 gone "$CH" ch'
    check "clickhouse: ... nor on shard 2" 'wait_for 20 gone "$CH2" ch'

    script ch_exec.lua '
local db <close> = cv.connect("'"$CH"'")
db:exec([[SELECT count() /* '"$MARK"' exec */ FROM numbers(100000000000)
   WHERE cityHash64(number) % 7 = 8]])
print("not reached")'
    run "$CVKIT" run --timeout 1 "$TMP/ch_exec.lua"
    check "clickhouse: --timeout 1 ends a statement at the script's line, exit 9" \
        '[ $rc -eq 9 ] && err_line1_is "cvkit: $TMP/ch_exec.lua:3: time limit exceeded (1 s)"'
    check "clickhouse: the killed statement no longer runs" 'wait_for 20 gone "$CH" ch'
else
    echo "# clickhouse part skipped (CVKIT_CH=skip)"
fi
finish
