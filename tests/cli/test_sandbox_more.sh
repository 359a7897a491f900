#!/bin/sh
# More attacks on `cvkit run --sandbox` and on the secrets in messages (docs/safety.md,
# "What else we tried"): files that are not regular files in a folder the sandbox may read
# (a FIFO that would block the reader until the time limit; a device node when run as
# root), and database passwords echoed by messages about values given in the wrong place.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
mkdir -p course/data
printf 'customer,date,amount\n1,2024-01-01,10\n1,2024-02-01,5\n2,2024-01-03,7\n' >course/data/tx.csv

# ---- reads: only regular files (and folders, for their own error) inside the read rule
mkfifo course/data/fifo.csv
printf '%s\n' 'for _, p in ipairs{"data/fifo.csv", "data/tx.csv"} do
   print(p, pcall(cv.read_csv, p))
   print(p, pcall(cv.summary_csv, p, {customer = "customer", date = "date", amount = "amount"}))
end' >course/fifo.lua
cd course && run timeout 60 "$CVKIT" run --sandbox --timeout 10 fifo.lua; cd ..
check "a FIFO in the script's folder is refused at once (not read until the time limit)" \
    '[ $rc -eq 0 ] && [ $(grep -c "^data/fifo.csv	false	fifo.lua:[23]: cannot read .data/fifo.csv.: not a regular file (sandbox)$" "$OUT") -eq 2 ] &&
    [ $(grep -c "^data/tx.csv	true	cv.Table" "$OUT") -eq 2 ]'
if [ "$(id -u)" = 0 ] && mknod course/data/zero.csv c 1 5 2>/dev/null; then
    printf '%s\n' 'print(pcall(cv.read_csv, "data/zero.csv"))' >course/dev.lua
    cd course && run timeout 60 "$CVKIT" run --sandbox --timeout 10 dev.lua; cd ..
    check "a device node in the script's folder is refused (root: a copied disk node would be read)" \
        '[ $rc -eq 0 ] && out_has "false	dev.lua:1: cannot read '"'"'data/zero.csv'"'"': not a regular file (sandbox)"'
fi

# ---- the script's folder is the folder the script is named in: a student's hw.lua that is a
# symbolic link to a file elsewhere (/tmp/hw.lua) does not make that other folder readable
mkdir -p elsewhere students/ana
cp course/data/tx.csv elsewhere/private.csv
printf '%s\n' 'print(pcall(cv.read_csv, arg[1]))' >elsewhere/hw.lua
ln -s "$TMP/elsewhere/hw.lua" students/ana/hw.lua
run "$CVKIT" run --sandbox --out-dir students/ana/out students/ana/hw.lua elsewhere/private.csv
check "a file named on the command line is readable (the control)" \
    '[ $rc -eq 0 ] && out_has "true	cv.Table (3 rows"'
run "$CVKIT" run --sandbox --out-dir students/ana/out students/ana/hw.lua "$TMP/elsewhere/private.csv"
check "same (an absolute path)" '[ $rc -eq 0 ] && out_has "true	cv.Table (3 rows"'
printf '%s\n' 'print(pcall(cv.read_csv, "'"$TMP"'/elsewhere/private.csv"))' >elsewhere/hw.lua
run "$CVKIT" run --sandbox --out-dir students/ana/out students/ana/hw.lua
check "the folder of a symbolic link's target is not readable (the link's folder is)" \
    '[ $rc -eq 0 ] && out_has "false	students/ana/hw.lua:1: cannot read" && out_has "/students/ana'"'"', '"'"'"'

# ---- writes: the file is made (temporary, then renamed) in the folder the path names, which
# must be inside the output folder: a symbolic link outside it that points in (report.csv ->
# out/report.csv) was replaced by the written file, and a path naming the output folder
# itself made its temporary file beside that folder
mkdir -p w/out
ln -s out/report.csv w/report.csv
ln -s out w/alias
printf '%s\n' 'local t = cv.table{a = {1, 2}}
t:write("out/report.csv")
local f = require "cv.core.file"
for _, p in ipairs{"report.csv", "alias", "out"} do
   print(p, pcall(function() return t:write(p, "csv") end))
   print(p, pcall(f.write, p, "x"))
   print(p, pcall(cv.write_xlsx, p, {{"s", t}}))
end
t:write("alias/ok.csv")
t:write("out/./ok2.csv")' >w/w.lua
cd w && run "$CVKIT" run --sandbox w.lua; cd ..
check "writes through a link outside the output folder, or naming the folder itself, are refused" \
    '[ $rc -eq 0 ] && [ -L w/report.csv ] && [ $(grep -c "	false	.*outside the output folder" "$OUT") -eq 9 ] &&
    [ -f w/out/ok.csv ] && [ -f w/out/ok2.csv ] && [ "$(ls w)" = "$(printf "alias\nout\nreport.csv\nw.lua")" ]'

# ---- secrets: a connection URL given where another value is expected (an option, a file
# path, a column name) is shown with its password hidden, in every message
PW='Zq9p@w%40X'
for url in "clickhouse://ana:$PW@127.0.0.1:1/db" "postgresql://ana:$PW@127.0.0.1:1/db" \
    "clickhous://ana:$PW@127.0.0.1:1/db" "host=127.0.0.1 password=$PW port=1"; do
    printf 'local u = "%s"\n%s\n' "$url" 'local function try(f) local ok, e = pcall(f) print(ok, e) end
try(function() return cv.connect(u, u) end)
try(function() return cv.connect(u, {timeout = u}) end)
try(function() return cv.summary_sql(u, u) end)
try(function() return cv.read_csv(u) end)
try(function() return cv.table{a = {1}}:write(u) end)
try(function() return cv.table{a = {1}}:col(u) end)
try(function() return cv.model(u) end)
require("cv.errors").warn("summary.excluded_late", {n = 1, date = u})
cv.table{a = {1}}:select{u}' >secret.lua
    run "$CVKIT" run secret.lua
    check "no password in messages about $(echo "$url" | cut -c1-12)...: pcall'd, warned and uncaught" \
        '[ $rc -eq 2 ] && [ $(grep -c "^false	" "$OUT") -eq 7 ] && ! grep -q "Zq9p\|w%40X\|w@X" "$OUT" "$ERR" &&
        [ $(cat "$OUT" "$ERR" | grep -c "\*\*\*") -ge 9 ]'
done

# the program's own messages about its arguments (a URL given to the wrong option)
printf 'print(1)\n' >one.lua
U='clickhouse://ana:Zq9p@wX@127.0.0.1:1/db'
: >cli.err
for args in "--set a.b=$U one.lua" "--set $U one.lua" "--sandbox --allow-read $U one.lua" \
    "--timeout $U one.lua" "$U"; do
    # shellcheck disable=SC2086
    run "$CVKIT" run $args
    cat "$ERR" >>cli.err
done
run "$CVKIT" "$U"
cat "$ERR" >>cli.err
run cat cli.err
check "no password in the program's messages about its arguments" \
    '[ $(grep -c "^cvkit: " cli.err) -eq 6 ] && ! grep -q "Zq9p\|wX@" cli.err &&
    [ $(grep -c "ana:\*\*\*@127" cli.err) -eq 6 ]'

finish
