#!/bin/sh
# End-to-end tests of the databases through `cvkit run`: a SQLite file written and
# summarized, the exit codes and messages of a bad query and a refused connection, and
# the in-database summary on PostgreSQL (the server of tests/pg/start.sh, which `make test`
# starts; CVKIT_PG=skip skips that part).
. tests/cli/lib.sh
DB="$TMP/tx.db"

script sqlite.lua '
local tx = cv.read_csv("'"${CVKIT_DATA:-../shared/data}"'/CDNOW_sample.txt", {header = false, delim = "space",
   names = {"master", "customer", "date", "cds", "amount"}, types = {customer = "int", date = "date"}})
cv.write_sql("sqlite:'"$DB"'", "cdnow", tx)
local s, rep = cv.summary_sql("sqlite:'"$DB"'", {table = "cdnow", customer = "customer",
   date = "date", amount = "amount", unit = "week", calibration_end = "1997-09-30"})
local r = s:row(1)
print(#s, rep.transactions, r.customer, r.x, string.format("%.2f %.2f %.3f", r.t_x, r.T, r.mean_repeat_spend))'
run "$CVKIT" run "$TMP/sqlite.lua"
check "sqlite: write CDNOW and summarize it in the database" '[ $rc -eq 0 ] && out_is "2357	4814	1	2	30.43 38.86 22.345"'

script badquery.lua '
local db = cv.connect("sqlite:'"$DB"'")
db:read("SELECT customer,\n  amount FORM cdnow")'
run "$CVKIT" run "$TMP/badquery.lua"
check "sqlite: a bad query exits 4 with sql:line:col" '[ $rc -eq 4 ] && err_has "sql:2:15: near \"cdnow\": syntax error"'

script refused.lua 'cv.read_sql("postgresql://cvkit@127.0.0.1:1/cvkit", "SELECT 1")'
run "$CVKIT" run "$TMP/refused.lua"
check "postgresql: a refused connection exits 3 and says so" '[ $rc -eq 3 ] && err_has "cannot connect to postgresql at 127.0.0.1:1: connection refused (is the server running?)"'

URL=${CVKIT_PG_URL:-postgresql://cvkit:cvkit@127.0.0.1:54329/cvkit}
script pgprobe.lua 'cv.connect("'"$URL"'"):close()'
run "$CVKIT" run "$TMP/pgprobe.lua"
if [ "${CVKIT_PG:-}" = skip ]; then
    echo "# $passed passed, $failed failed (postgresql tests skipped: CVKIT_PG=skip)"
    [ "$failed" -eq 0 ]
    exit
fi
check "postgresql: a server answers at $URL (sh tests/pg/start.sh, or CVKIT_PG=skip)" \
    '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || { finish; exit; }
script pg.lua '
local s, rep = cv.summary_sql("'"$URL"'", {table = "cdnow", customer = "customer",
   date = "date", amount = "amount", unit = "week", calibration_end = "1997-09-30",
   observation_end = "1998-06-30"})
local r = s:row(1)
print(#s, rep.rows, r.x, string.format("%.2f %.2f", r.t_x, r.T), r.x_holdout, r.spend_holdout)'
run "$CVKIT" run "$TMP/pg.lua"
check "postgresql: the summary of CDNOW computed by the server" '[ $rc -eq 0 ] && out_is "2357	6919	2	30.43 38.86	1	26.48"'

# "postgresql:" alone: everything from the standard PG* variables
hostport=$(echo "$URL" | sed -E 's|^.*@([^/]+)/.*$|\1|')
script pgenv.lua 'local t = cv.read_sql("postgresql:", "SELECT count(*) AS n, current_user AS u FROM cdnow")
print(t:row(1).n, t:row(1).u)'
run env PGHOST="${hostport%:*}" PGPORT="${hostport##*:}" PGUSER=cvkit PGPASSWORD=cvkit \
    PGDATABASE=cvkit "$CVKIT" run "$TMP/pgenv.lua"
check "postgresql: connect from the PG* environment variables" '[ $rc -eq 0 ] && out_is "6919	cvkit"'

bad=$(echo "$URL" | sed 's|//cvkit:cvkit@|//cvkit:wrong@|')
script login.lua 'cv.connect("'"$bad"'")'
run "$CVKIT" run "$TMP/login.lua"
check "postgresql: a failed login exits 3 and says so" '[ $rc -eq 3 ] && err_has "failed: password authentication failed for user \"cvkit\""'

script pgbad.lua 'cv.read_sql("'"$URL"'", "SELECT customer\nFROM cdnow\nWHERE amont > 1")'
run "$CVKIT" run "$TMP/pgbad.lua"
check "postgresql: a bad query exits 4 with the server's message at line:col" '[ $rc -eq 4 ] && err_has "sql:3:7: column \"amont\" does not exist"'
finish
