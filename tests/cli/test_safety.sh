#!/bin/sh
# End-to-end tests of cvkit's safety: the sandbox and its escape attempts, the memory and
# time limits (exit 9), and nothing lost: signals remove temporary files, a full disk
# (a file-size limit) fails cleanly, an output never replaces an input (docs/safety.md).
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

# ---- the sandbox: each escape attempt is refused, the script goes on
script esc.lua 'local function try(name, f)
   local ok, e = pcall(f)
   print(name, ok and "ALLOWED" or "refused", ok and tostring(e) or "")
end
try("io.open", function() return io.open("/etc/passwd") end)
try("os.execute", function() return os.execute("echo escaped") end)
try("os.remove", function() return os.remove("esc.lua") end)
try("dofile", function() return dofile("esc.lua") end)
try("loadfile", function() return loadfile("esc.lua") end)
try("debug", function() return debug.getregistry() end)
try("package.loadlib", function() return package.loadlib("libc.so.6", "system") end)
try("require io", function() return require "io" end)
try("require C module", function() return require "lfs" end)
try("string.dump", function() return string.dump(print) end)
try("meta dump", function() return getmetatable("").__index.dump(print) end)
try("load bytecode", function() return assert(load("\27Lua\84\0", "b", "b")) end)
try("load default mode", function() return assert(load("\27Lua\84\0")) end)
try("load leaks globals", function() return assert(load("return io.open"))() end)
try("_G leaks", function() return _G.io.open end)
try("write outside", function() cv.write("../x.csv", cv.table{a = {1}}) end)
try("write via ..", function() cv.write("out/../x.csv", cv.table{a = {1}}) end)
try("write absolute", function() cv.write("/tmp/x-cvkit.csv", cv.table{a = {1}}) end)
try("mkdir outside", function() cv.mkdir("elsewhere") end)
try("deep recursion", function() local function f(n) return 1 + f(n + 1) end return f(1) end)
try("cv.connect", function() return cv.connect("sqlite:out/x.db") end)
try("cv.read_sql", function() return cv.read_sql("sqlite:../x.db", "select 1") end)
try("raw connect", function() return require("cv.core.sql").connect("sqlite:../y.db") end)
try("C stack", function() local function f() return pcall(f) end; local ok = f(); error("x") end)
cv.write("out/inside.csv", cv.table{a = {1, 2}})
print("os.time", type(os.time()), "string.rep", #("ab"):rep(3))
print("done")'
run "$CVKIT" run --sandbox esc.lua
check "sandbox: every escape attempt is refused" '[ $rc -eq 0 ] && ! out_has ALLOWED &&
    [ $(grep -c refused "$OUT") -eq 24 ] && out_has done && [ -f esc.lua ] &&
    ! out_has escaped && [ ! -e ../x.csv ] && [ ! -e /tmp/x-cvkit.csv ] && [ ! -e elsewhere ] &&
    [ ! -e ../x.db ] && [ ! -e ../y.db ] && [ ! -e out/x.db ]'
check "sandbox: writes inside the output folder work" '[ -f out/inside.csv ] &&
    [ "$(cat out/inside.csv)" = "$(printf "a\n1\n2")" ] && out_has "os.time	number	string.rep	6"'
check "sandbox: deep recursion is a stack overflow error, not a crash" \
    'grep -q "^deep recursion	refused" "$OUT"'

script wr.lua 'cv.write("/tmp/cvkit-sandbox-escape.csv", cv.table{a = {1}})'
run "$CVKIT" run --sandbox wr.lua
check "sandbox: a write outside stops the script, exit 8" '[ $rc -eq 8 ] &&
    err_has "cannot write '"'"'/tmp/cvkit-sandbox-escape.csv'"'"': outside the output folder" &&
    [ ! -e /tmp/cvkit-sandbox-escape.csv ]'

mkdir -p results
script od.lua 'cv.write("results/r.csv", cv.table{a = {1}}) print(pcall(cv.write, "out/r.csv", cv.table{a = {1}}))'
run "$CVKIT" run --sandbox --out-dir results od.lua
check "sandbox: --out-dir chooses the output folder" '[ $rc -eq 0 ] && [ -f results/r.csv ] &&
    out_has "false" && [ ! -e out/r.csv ]'

script cvok.lua 'local t = cv.parse_csv("id,x\n1,2\n") print(t:nrows(), require("cv").version ~= nil)'
run "$CVKIT" run --sandbox cvok.lua
check "sandbox: the cv module works" '[ $rc -eq 0 ] && out_is "1	true"'

# ---- time limit
script loop.lua 'while true do
   local ok, e = pcall(function() while true do end end)
   print("swallowed", e)
end'
run "$CVKIT" run --timeout 0.3 loop.lua
check "--timeout: an endless loop inside pcall stops, exit 9" '[ $rc -eq 9 ] &&
    head -n 1 "$ERR" | grep -qx "cvkit: loop.lua:[23]: time limit exceeded (0.3 s)" &&
    ! out_has swallowed'

script xp.lua 'local n = 0
while true do xpcall(function() while true do end end, function(m) n = n + 1 return m end) end'
run "$CVKIT" run --timeout 0.3 xp.lua
check "--timeout: xpcall handlers cannot swallow it either" '[ $rc -eq 9 ] &&
    err_has "time limit exceeded (0.3 s)"'

script co.lua 'local co = coroutine.wrap(function() while true do coroutine.yield() end end)
while true do pcall(co) end'
run "$CVKIT" run --timeout 0.3 co.lua
check "--timeout: coroutines are stopped too" '[ $rc -eq 9 ] && err_has "time limit exceeded"'

script fast.lua 'local s = 0 for i = 1, 1000 do s = s + i end print(s)'
run "$CVKIT" run --timeout 30 fast.lua
check "--timeout: a script within the limit runs normally" '[ $rc -eq 0 ] && out_is 500500'

run "$CVKIT" run --timeout abc fast.lua
check "--timeout: a bad value is a usage error" '[ $rc -eq 2 ] && err_has "bad value '"'"'abc'"'"' for --timeout"'

# ---- memory limit
script grow.lua 'local t = {} local i = 0
while true do i = i + 1 t[i] = ("x"):rep(64) .. i end'
run "$CVKIT" run --max-memory 40M grow.lua
check "--max-memory: a growing table stops with memory limit exceeded, exit 9" '[ $rc -eq 9 ] &&
    err_has "memory limit exceeded (41943040 bytes)"'

script bomb.lua 'print(pcall(string.rep, "x", 1 << 30))
local s = ("x"):rep(1 << 30)'
run "$CVKIT" run --max-memory 64M bomb.lua
check "--max-memory: a string.rep bomb is refused, exit 9" '[ $rc -eq 9 ] &&
    out_is "false	not enough memory" && err_has "memory limit exceeded (67108864 bytes)"'

run "$CVKIT" run --sandbox bomb.lua
check "sandbox: the default 1G memory limit stops a string.rep bomb" '[ $rc -eq 9 ] &&
    err_has "memory limit exceeded (1073741824 bytes)"'

script caught.lua 'local ok = pcall(function() local t = {} for i = 1, 1e9 do t[i] = {} end end)
collectgarbage()
print("recovered", ok, #("y"):rep(100))'
run "$CVKIT" run --max-memory 32M caught.lua
check "--max-memory: after a caught failure the program stays consistent" '[ $rc -eq 0 ] &&
    out_is "recovered	false	100"'

# the core's allocations are counted (also under AddressSanitizer: no resident memory read)
script core.lua 'local text = ("1,2.5\n"):rep(100000)
local keep = {}
for i = 1, 2000 do keep[i] = cv.parse_csv(text, {header = false}) end'
run "$CVKIT" run --max-memory 100M core.lua
check "--max-memory: tables made by the core count too" '[ $rc -eq 9 ] &&
    err_has "memory limit exceeded (104857600 bytes)"'

run "$CVKIT" run --max-memory 12X fast.lua
check "--max-memory: a bad value is a usage error" '[ $rc -eq 2 ] &&
    err_has "bad value '"'"'12X'"'"' for --max-memory"'
run "$CVKIT" run --max-memory=1k fast.lua
check "--max-memory=1k is too little to start: exit 9" '[ $rc -eq 9 ] &&
    err_has "memory limit exceeded (1024 bytes)"'

# ---- nothing lost
printf 'id,amount\n1,10\n2,20\n' >tx.csv
cp tx.csv tx.orig
script same.lua 'local t = cv.read_csv("tx.csv") cv.write("tx.csv", t)'
run "$CVKIT" run same.lua
check "an output path equal to an input path is refused, the input intact" '[ $rc -eq 2 ] &&
    err_has "tx.csv: refusing to replace a file this run read" && cmp -s tx.csv tx.orig &&
    [ -z "$(ls | grep tmp-)" ]'

ln -s tx.csv link.csv
script link.lua 'local t = cv.read_csv("tx.csv") cv.write("./link.csv", t)'
run "$CVKIT" run link.lua
check "... also through a symbolic link or another spelling" '[ $rc -eq 2 ] && cmp -s tx.csv tx.orig'

script again.lua 'cv.write("o.csv", cv.table{a = {1}}) local t = cv.read_csv("o.csv")
cv.write("o.csv", t:add("b", function() return 2 end)) print(cv.read_csv("o.csv"):ncols())'
run "$CVKIT" run again.lua
check "a file this run wrote may be read back and replaced" '[ $rc -eq 0 ] && out_is 2'

script big.lua 'local n = tonumber(arg[1]) local id, v = {}, {}
for i = 1, n do id[i] = i v[i] = i * 0.5 end
local t = cv.table{{"id", id}, {"v", v}}
print("ready") io.stdout:flush()
while true do t:write("big.csv") if arg[2] == "once" then break end end'
printf 'old,content\n' >big.csv
cp big.csv big.orig
run sh -c 'ulimit -f 64; exec "$0" run big.lua 100000 once' "$CVKIT"
check "a full disk (file-size limit) is a write error, exit 3, no partial output" '[ $rc -eq 3 ] &&
    err_has "big.csv: write failed: file too large" && cmp -s big.csv big.orig &&
    [ -z "$(ls | grep tmp-)" ]'

# The signal comes once a whole big.csv was written and the next write's temporary file
# is there: waited for, not timed. timeout(1) runs cvkit (a background job of sh would
# ignore SIGINT; timeout's child does not) and sends it the signal when woken by SIGALRM.
for sig in TERM:15 INT:2; do
    name=${sig%:*}
    rm -f big.csv
    timeout --preserve-status -s "$name" 600 "$CVKIT" run big.lua 300000 >"$OUT" 2>"$ERR" &
    pid=$!
    wait_for 300 '[ -f big.csv ] && [ "$(wc -l <big.csv)" -eq 300001 ] && ls | grep -q tmp-' ||
        echo "# no whole big.csv and a temporary file after 300 s"
    kill -ALRM $pid
    wait $pid
    rc=$?
    check "SIG$name removes the temporary file and kills with the signal" '[ $rc -eq $((128 + ${sig#*:})) ] &&
        out_has ready && [ -z "$(ls | grep tmp-)" ] && [ "$(head -n 1 big.csv)" = "id,v" ] &&
        [ "$(wc -l <big.csv)" -eq 300001 ]'
done

finish
