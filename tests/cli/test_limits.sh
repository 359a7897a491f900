#!/bin/sh
# End-to-end tests of the hard limits (docs/safety.md): --timeout holds in finalizers (also
# at exit), in __close handlers and in long C calls (string.find, cv.kmeans); --max-memory
# counts what the core allocates; a caught memory error does not poison later errors.
# Every run is under timeout(1) so that a regression fails instead of hanging.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# timed SECONDS CMD...: runs CMD under `timeout 60`; $took is the wall time in seconds.
timed() {
    t0=$(date +%s)
    run timeout 60 "$@"
    took=$(($(date +%s) - t0))
}
# A run with --timeout 1 must end by 1 s + the 2 s grace + a generous margin.
ENDS=20

# ---- --timeout
script gc.lua 'setmetatable({}, {__gc = function() while true do end end})
collectgarbage()
print("not reached")'
timed "$CVKIT" run --timeout 1 gc.lua
check "--timeout: an endless loop in a __gc finalizer ends, exit 9" '[ $rc -eq 9 ] &&
    [ $took -le $ENDS ] && err_has "cvkit: time limit exceeded (1 s)" && ! out_has "not reached"'

script gcexit.lua 'x = setmetatable({}, {__gc = function() while true do end end})
print("script done")'
timed "$CVKIT" run --timeout 1 gcexit.lua
check "--timeout: a finalizer that loops only at exit (after success) ends, exit 9" '[ $rc -eq 9 ] &&
    [ $took -le $ENDS ] && err_has "cvkit: time limit exceeded (1 s)"'

script close.lua 'do
   local x <close> = setmetatable({}, {__close = function() while true do end end})
   while true do end
end'
timed "$CVKIT" run --timeout 1 close.lua
check "--timeout: a __close handler run by the limit error is hooked too, exit 9" '[ $rc -eq 9 ] &&
    [ $took -le $ENDS ] && err_has "time limit exceeded (1 s)"'

script close2.lua 'do
   local x <close> = setmetatable({}, {__close = function() while true do end end})
end'
timed "$CVKIT" run --timeout 1 close2.lua
check "--timeout: an endless __close handler stops at its line, exit 9" '[ $rc -eq 9 ] &&
    [ $took -le $ENDS ] && err_has "close2.lua:2: time limit exceeded (1 s)"'

script pclose.lua 'local ok = pcall(function()
   local x <close> = setmetatable({}, {__close = function() while true do end end})
   while true do end
end)
print("swallowed", ok)
while true do end'
timed "$CVKIT" run --timeout 1 pclose.lua
check "--timeout: pcall and a looping __close handler cannot swallow it, exit 9" '[ $rc -eq 9 ] &&
    [ $took -le $ENDS ] && err_has "time limit exceeded (1 s)" && ! out_has swallowed'

script find.lua 'local s = string.rep("a", 40)
print(string.find(s, string.rep("a*", 20) .. "b"))'
timed "$CVKIT" run --timeout 1 find.lua
check "--timeout: one backtracking string.find (not interruptible) ends by the watchdog, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] && err_has "cvkit: time limit exceeded (1 s)"'

script km.lua 'local x, y = {}, {}
for i = 1, 2000 do x[i] = (i * 7919) % 1000 / 10; y[i] = (i * 104729) % 1000 / 10 end
local t = cv.table{x = x, y = y}
local r = cv.kmeans(t, {"x", "y"}, {k = 5, restarts = 2^31 - 1})
print("not reached")'
timed "$CVKIT" run --timeout 1 km.lua
check "--timeout: cv.kmeans with 2^31-1 restarts is cancelled at the script's line, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] &&
     err_line1_is "cvkit: km.lua:4: time limit exceeded (1 s)"'

script kmp.lua 'local x, y = {}, {}
for i = 1, 2000 do x[i] = (i * 7919) % 1000 / 10; y[i] = (i * 104729) % 1000 / 10 end
local t = cv.table{x = x, y = y}
print(pcall(cv.kmeans, t, {"x", "y"}, {k = 5, restarts = 2^31 - 1}))
print("after")'
timed "$CVKIT" run --timeout 1 kmp.lua
check "--timeout: a cancelled core call caught by pcall still ends the run, exit 9" \
    '[ $rc -eq 9 ] && [ $took -le $ENDS ] && err_has "time limit exceeded (1 s)" && ! out_has after'

script fast.lua 'local s = 0 for i = 1, 1000 do s = s + i end print(s)'
timed "$CVKIT" run --timeout 30 fast.lua
check "--timeout: a script within the limit runs normally and the watchdog lets it exit" \
    '[ $rc -eq 0 ] && out_is 500500 && [ $took -le 10 ]'

# ---- --max-memory
# a ~138 MB CSV (3 million rows): the core's table would take about 300 MB
awk 'BEGIN { print "id,date,amount,name"
    for (i = 0; i < 3000000; i++)
        printf "%d,1997-%02d-%02d,%d.%02d,customer number %d\n", i % 50000, i % 12 + 1,
            i % 28 + 1, i % 500, i % 100, i }' >big.csv
script rd.lua 'local t = cv.read_csv(arg[1])
print(#t)'
if [ -x /usr/bin/time ]; then
    timed /usr/bin/time -f "peak %M" "$CVKIT" run --max-memory 10M rd.lua big.csv
    peak=$(sed -n 's/^peak \([0-9]*\)$/\1/p' "$ERR")
    check "--max-memory 10M: reading a 138 MB CSV fails with the limit, exit 9, peak RSS near the cap" \
        '[ $rc -eq 9 ] && err_has "rd.lua:1: memory limit exceeded (10485760 bytes)" &&
         [ -n "$peak" ] && [ "$peak" -lt 40000 ]'
else
    timed "$CVKIT" run --max-memory 10M rd.lua big.csv
    check "--max-memory 10M: reading a 138 MB CSV fails with the limit, exit 9" '[ $rc -eq 9 ] &&
        err_has "rd.lua:1: memory limit exceeded (10485760 bytes)"'
fi
timed "$CVKIT" run --max-memory 1G rd.lua big.csv
check "--max-memory 1G: the same file is read in full" '[ $rc -eq 0 ] && out_is 3000000'

script caught.lua 'print(pcall(cv.read_csv, arg[1]))
print(pcall(string.rep, "x", 1 << 26))
cv.read_csv("no_such_file.csv")'
timed "$CVKIT" run --max-memory 10M caught.lua big.csv
check "--max-memory: after caught limit errors, a missing file is exit 3, not the limit" \
    '[ $rc -eq 3 ] && out_has "false	caught.lua:1: memory limit exceeded (10485760 bytes)" &&
     out_has "false	not enough memory" && err_has "no_such_file.csv: cannot open the file" &&
     ! err_has "limit exceeded"'

script caught2.lua 'print(pcall(cv.read_csv, arg[1]))
error("plain failure")'
timed "$CVKIT" run --max-memory 10M caught2.lua big.csv
check "--max-memory: after a caught limit error, a script error is exit 8" '[ $rc -eq 8 ] &&
    err_line1_is "cvkit: caught2.lua:2: plain failure"'

finish
