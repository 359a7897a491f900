#!/bin/sh
# More end-to-end tests of --timeout (docs/safety.md): the writers (CSV, JSON, XLSX) and a
# script loop of quick calls stop at the script's line (the core's cancellation flag, the
# bindings' check), not by the watchdog's backstop (whose message has no line); what they
# were writing is not left behind and the old file is intact. Every run is under timeout(1)
# so that a regression fails instead of hanging.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# timed CMD...: runs CMD under `timeout 60`; $took is the wall time in seconds.
timed() {
    t0=$(date +%s)
    run timeout 60 "$@"
    took=$(($(date +%s) - t0))
}
ENDS=25 # --timeout 2: 2 s + the 2 s grace + a generous margin for a loaded machine
# no temporary file of an output (NAME.tmp-XXXXXX) under out/
no_tmp() { [ -z "$(find out -name '*.tmp-*' 2>/dev/null)" ]; }

# 1,000,000 rows, three columns (18 MB)
awk 'BEGIN { print "id,date,amount"
    for (i = 0; i < 1000000; i++)
        printf "%d,2024-%02d-%02d,%d.%02d\n",
            i % 50000, i % 12 + 1, i % 28 + 1, i % 500, i % 100 }' \
    >rows.csv
mkdir out
echo old >out/o.json

# Each write takes tens of ms but the loop runs a few VM instructions a write: the count
# hook (every 1000 instructions) comes only after ~125 writes, past the watchdog's grace.
script wjson.lua 'local t = cv.read_csv("rows.csv")
while true do
   t:write("out/o.json")
end'
timed "$CVKIT" run --timeout 2 wjson.lua
check "--timeout: a JSON write (threaded writer) is cancelled at the script's line, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] &&
     err_line1_is "cvkit: wjson.lua:3: time limit exceeded (2 s)" && no_tmp'

script wcsv.lua 'local t = cv.read_csv("rows.csv")
while true do t:write("out/o.csv") end'
timed "$CVKIT" run --timeout 2 wcsv.lua
check "--timeout: a CSV write is cancelled at the script's line, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] &&
     err_line1_is "cvkit: wcsv.lua:2: time limit exceeded (2 s)" && no_tmp'

script wstr.lua 'local t = cv.read_csv("rows.csv")
while true do local s = t:to_string() end'
timed "$CVKIT" run --timeout 2 wstr.lua
check "--timeout: formatting a table as text is cancelled at the script's line, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] &&
     err_line1_is "cvkit: wstr.lua:2: time limit exceeded (2 s)"'

# workbooks of 90,000 cells in a loop: the deadline (1 s) falls while the cells are given to
# libxlsxwriter (cancellable, every 4,096 rows) or while it assembles the file (workbook_close,
# not interruptible; the flag is looked at once it returns, well inside the watchdog's grace):
# either way the script's line, whatever the machine's speed. A whole write takes 0.4 s of CPU
# under AddressSanitizer (300,000 cells took 0.8 s, and past the 2 s grace on a loaded
# machine). The old file intact: the unit test (test_cancel_more.c)
head -n 30001 rows.csv >small.csv
script wxlsx.lua 'local t = cv.read_csv("small.csv")
while true do cv.write_xlsx("out/n.xlsx", {{"a", t}}) end'
timed "$CVKIT" run --timeout 1 wxlsx.lua
check "--timeout: a loop of XLSX writes is cancelled at the script's line, exit 9, no temporary" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] &&
     err_line1_is "cvkit: wxlsx.lua:2: time limit exceeded (1 s)" && no_tmp'

# group_by's fast path, many times in a loop of few instructions
script gb.lua 'local t = cv.read_csv("rows.csv")
local g = t.group_by
while true do g(t, "id", {n = "count", s = {"sum", "amount"}}) end'
timed "$CVKIT" run --timeout 2 gb.lua
check "--timeout: a loop of group_by (fast path) stops at the script's line, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] &&
     err_line1_is "cvkit: gb.lua:3: time limit exceeded (2 s)"'

# quick calls the core does not poll in (a column to a Lua table): the bindings' check
script tot.lua 'local t = cv.read_csv("rows.csv")
local c = t:col("amount")
local f = c.totable
while true do f(c) end'
timed "$CVKIT" run --timeout 2 tot.lua
check "--timeout: a loop of quick C calls on a handle stops at the script's line, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] &&
     err_line1_is "cvkit: tot.lua:4: time limit exceeded (2 s)"'

# ---- what held: under --max-memory the writers' buffers are counted; a write streams
# (a few MB of buffers), the text form of a table does not
script wmem.lua 'local t = cv.read_csv("rows.csv")
print(pcall(t.to_string, t))
print(pcall(t.write, t, "out/o.json"))
cv.read_csv("no_such_file.csv")'
timed "$CVKIT" run --max-memory 40M wmem.lua
check "--max-memory: the text of a table over the cap fails with the limit, a write streams" \
    '[ $rc -eq 3 ] && out_has "false	wmem.lua:2: memory limit exceeded (41943040 bytes)" &&
     out_has true && [ "$(head -c 1 out/o.json)" = "[" ] &&
     err_has "no_such_file.csv: cannot open the file" && no_tmp'

# ---- nothing lost: 100 writes that fail half-way (a file-size limit; the threaded JSON
# writer; 50 MB of JSON) keep no guard slot, so SIGTERM during a later write still removes its
# temporary
script wsig.lua 'local t = cv.read_csv("rows.csv")
local n = 0
for i = 1, 100 do
   local ok, e = pcall(t.write, t, "out/f.json")
   if not ok and e:find("file too large", 1, true) then n = n + 1 end
end
print("failed " .. n)
io.stdout:flush()
local h = t:head(500000) -- 12 MB of CSV: under the limit in 512- or 1024-byte blocks
while true do h:write("out/big.csv") end'
(ulimit -f 40000; exec "$CVKIT" run wsig.lua) >"$OUT" 2>"$ERR" &
pid=$!
wait_for 50 'grep -q "failed" "$OUT" && [ -n "$(find out -name "big.csv.tmp-*")" ]'
kill -TERM $pid
wait $pid
rc=$?
check "after 100 failed writes, SIGTERM mid-write (ulimit -f 40000): exit 143, nothing left" \
    '[ $rc -eq 143 ] && out_has "failed 100" && no_tmp && [ ! -e out/f.json ] &&
     { [ ! -e out/big.csv ] || [ "$(wc -l <out/big.csv)" -eq 500001 ]; }'

finish
