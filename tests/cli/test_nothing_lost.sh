#!/bin/sh
# End-to-end tests of "nothing lost, no secret shown" (docs/safety.md): failed XLSX writes do
# not use up the signal guard, so SIGTERM during a later large write still removes its
# temporary file; a full disk cuts no XLSX silently; and a password in a database URL, however
# malformed the URL, never reaches stdout or stderr (messages, tracebacks), with and without
# --sandbox. No database server is needed (nothing listens on 127.0.0.1:1).
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# no_temps: no temporary output file is left in the current folder or out/
no_temps() { [ -z "$(ls . out 2>/dev/null | grep 'tmp-')" ]; }

# ---- SIGTERM during a large XLSX write, after 40 failed ones
mkdir -p out
script xl.lua 'local t = cv.table{a = {1, 2}}
local failed = 0
for _ = 1, 40 do
   if not pcall(cv.write_xlsx, "out/big.xlsx", {{"bad[name", t}}) then failed = failed + 1 end
   if not pcall(cv.write_xlsx, "out/big.xlsx", {{"a", t}, {"a", t}}) then failed = failed + 1 end
end
print("failed " .. failed) io.stdout:flush()
local n = tonumber(arg[1]) local id, v, s = {}, {}, {}
for i = 1, n do id[i] = i v[i] = i * 0.25 s[i] = "customer " .. i % 9973 end
local big = cv.table{{"id", id}, {"v", v}, {"name", s}}
print("writing") io.stdout:flush()
cv.write_xlsx("out/big.xlsx", {{"one", big}, {"two", big}, {"three", big}})
print("written")'
printf 'old\n' >out/big.xlsx
"$CVKIT" run xl.lua 600000 >"$OUT" 2>"$ERR" &
pid=$!
seen=0 # at most 120 s for the big write's temporary file to appear
big_write() { grep -q writing "$OUT" && ls out | grep -q 'big.xlsx.tmp-'; }
wait_for 120 'big_write || ! kill -0 $pid 2>/dev/null' && big_write && seen=1
kill -TERM $pid 2>/dev/null
wait $pid 2>/dev/null
rc=$?
check "80 failed XLSX writes report their errors, then the big write starts" \
    'out_has "failed 80" && [ $seen -eq 1 ]'
check "SIGTERM during the XLSX write after them removes its temporary file, exit 143" \
    '[ $rc -eq 143 ] && ! out_has written && no_temps && [ "$(cat out/big.xlsx)" = old ]'

script xlok.lua 'local t = cv.table{a = {1, 2}}
for _ = 1, 40 do pcall(cv.write_xlsx, "out/ok.xlsx", {{"bad[name", t}}) end
cv.write_xlsx("out/ok.xlsx", {{"s", t}}) print("ok")'
run "$CVKIT" run xlok.lua
check "after 40 failed XLSX writes a write succeeds" '[ $rc -eq 0 ] && out_is ok &&
    [ "$(head -c 2 out/ok.xlsx)" = PK ] && no_temps'

# libxlsxwriter assembles sheets in /tmp and ignored failed writes there: a cut workbook
script xlbig.lua 'local n = 200000 local id = {}
for i = 1, n do id[i] = i end
cv.write_xlsx("out/cut.xlsx", {{"s", cv.table{id = id}}}) print("written")'
printf 'old\n' >out/cut.xlsx
run sh -c 'ulimit -f 64; exec "$0" run xlbig.lua' "$CVKIT"
check "an XLSX write stopped by a full disk (file-size limit) is an error, not a cut workbook" \
    '[ $rc -eq 3 ] && err_has "out/cut.xlsx: write failed" && [ "$(cat out/cut.xlsx)" = old ] &&
    no_temps'

# ---- no password in any message
script url.lua 'local url = arg[1]
print(cv.try(cv.connect, url))
print(pcall(cv.read_sql, url, "select 1"))
print(pcall(cv.write_sql, url, "t", cv.table{a = {1}}))
local ok, e = pcall(cv.connect, url) print(ok, e)
local c = cv.connect(url) -- not caught: the message and the traceback
print("connected", c)'
# the password is s3cr3tPW, cut and spelt in several ways
while read -r url; do
    for mode in plain sandbox; do
        if [ $mode = sandbox ]; then
            run "$CVKIT" run --sandbox url.lua "$url"
        else
            run "$CVKIT" run url.lua "$url"
        fi
        check "no password shown ($mode): $url" '[ $rc -ne 0 ] && ! out_has connected &&
            [ -s "$ERR" ] && ! grep -qiE "s3c|3cr|cr3|r3t|3tp|tpw|zzp" "$OUT" "$ERR"'
    done
done <<'EOF'
postgrse://u:s3cr3tPW@127.0.0.1:1/db
postgresql://u:s3cr3tPW@[::1/db
postgresql://u:s3cr3t%zzPW@127.0.0.1:1/db
postgresql://u:s3cr3tPW@/db?host=/nonexistent-cvkit-dir
postgresql://u:s3cr3tPW@127.0.0.1:1/db
postgresql://u:s3cr/3tPW@127.0.0.1:1/db
postgresql://u:s3c@r3tPW@127.0.0.1:1/db
postgresql://u@127.0.0.1:1/db?password=s3cr3tPW&bogus
postgresql://u@127.0.0.1:1/db?password=s3cr3t%zzPW
postgres://u:s3cr3tPW@127.0.0.1:99999/db
u:s3cr3tPW@127.0.0.1:1/db
sqlite://u:s3cr3tPW@nonexistent-cvkit-dir/x.db
host=127.0.0.1 port=1 password=s3cr3tPW
EOF

# ... and the messages still say what is wrong, with the password as ***
run "$CVKIT" run url.lua 'postgrse://u:s3cr3tPW@127.0.0.1:1/db'
check "a misspelt scheme: the URL shown with ***, exit 2" '[ $rc -eq 2 ] &&
    err_has "unknown database '"'"'postgrse://u:***@127.0.0.1:1/db'"'"'"'
run "$CVKIT" run url.lua 'postgresql://u:s3cr3tPW@[::1/db'
check "an unclosed [: the message of libpq, its URL without the password, exit 3" '[ $rc -eq 3 ] &&
    err_has "matching \"]\" in IPv6 host address in URI: \"postgresql://u@[::1/db\""'
run "$CVKIT" run url.lua 'postgresql://u:s3cr3t%zzPW@127.0.0.1:1/db'
check "a bad % escape in the password: said so, exit 2" '[ $rc -eq 2 ] &&
    err_has "bad password in '"'"'postgresql://u:***@127.0.0.1:1/db'"'"': a '"'"'%'"'"' not followed"'
run "$CVKIT" run url.lua 'postgresql://u:s3c@r3tPW@127.0.0.1:1/db'
check "a raw @ in the password is read as part of it (connection refused, not a bad host)" \
    '[ $rc -eq 3 ] && err_has "cannot connect to postgresql at 127.0.0.1:1: connection refused"'
run "$CVKIT" run url.lua 'sqlite://u:s3cr3tPW@nonexistent-cvkit-dir/x.db'
check "sqlite: the path shown with ***" '[ $rc -eq 3 ] &&
    err_has "cannot open sqlite database '"'"'u:***@nonexistent-cvkit-dir/x.db'"'"'"'
run "$CVKIT" run url.lua 'postgresql://u:s3cr3tPW@127.0.0.1:1/db'
check "the message names the script line, never the URL argument" '[ $rc -eq 3 ] &&
    err_has "url.lua:6: cannot connect to postgresql at 127.0.0.1:1" &&
    ! grep -q "127.0.0.1:1/db" "$ERR"'

finish
