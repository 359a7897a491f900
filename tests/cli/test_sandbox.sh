#!/bin/sh
# End-to-end tests of the sandbox built by construction (docs/safety.md, "Running an
# untrusted script"): the escapes found against the old _ENV filter, what a sandboxed
# state holds, the protected metatables, the read rule, databases refused in C, and
# cvkit's own modules (explain, help, reports, charts, scenarios, segments, the model
# scripts) working inside it with the same output as outside.
. "$(dirname "$0")/lib.sh"
ROOT=${TOP:-$PWD}
cd "$TMP" || exit 1

# ---- the escapes of issue 13
script esc.lua 'local function try(name, f, ...)
   local ok, e = pcall(f, ...) -- refused: an error, or nothing (nil) obtained
   print(name, ok and e ~= nil and "ALLOWED" or "refused", tostring(e))
end
local real_match = string.match
string.match = function() return true end
string.find = function() return 1, 1 end
try("require io after string.match", require, "io")
try("require os.execute", function() return require("os").execute end)
try("method match unchanged", function() assert(("cv.x"):match("^cv%.") == "cv.") error("x") end)
string.match = real_match
try("require cv.repl", require, "cv.repl")
try("require cv.testing", require, "cv.testing")
try("require debug", require, "debug")
try("require package", require, "package")
try("require _G", require, "_G")
try("require a file", require, "esc")
try("string meta __index", function() return getmetatable("").__index.rep end)
try("setmetatable on string meta", function() return setmetatable(getmetatable(""), {}) end)
try("Table __gc", function() local t = cv.table{a = {1}} return getmetatable(t).__gc(t) end)
try("Column __index", function() return getmetatable(cv.table{a = {1}}:col("a")).__index end)
try("load returns real globals", function()
   return assert(load("return io or package or debug"))()
end)
try("load with a reader", function() return assert(load(coroutine.wrap(function()
   coroutine.yield("return ") coroutine.yield("io.open") end)))() end)
try("load env given", function() return load("return print", "=x", "t", {})() end)
try("raw connect", function() return require("cv.core.sql").connect("sqlite:out/x.db") end)
try("connect method table", function() return cv.connect("sqlite::memory:") end)
print("meta", getmetatable(""), getmetatable(cv.table{a = {1}}),
   getmetatable(cv.table{a = {1}}:col("a")), getmetatable(cv.model("bgnbd",
   {r = 0.24, alpha = 4.4, a = 0.79, b = 2.4}, {unit = "week"})))
print("os", require("os") == os, os.clock ~= nil, os.time ~= nil, os.date ~= nil, os.getenv,
   os.execute, os.exit, os.remove)
print("globals", io, debug, package, dofile, loadfile, string.dump, warn)
print("arg", arg[0], arg[1], select("#", ...))'
run "$CVKIT" run --sandbox esc.lua one
check "escapes: string.match redefined, cv.repl, cv.testing, metatables, load, databases" \
    '[ $rc -eq 0 ] && ! out_has ALLOWED && [ $(grep -c "	refused	" "$OUT") -eq 18 ] &&
    grep -q "^require io after string.match	refused	.*module .io. is not available in the sandbox" "$OUT" &&
    grep -q "^require cv.repl	refused	.*module .cv.repl. is not available in the sandbox" "$OUT" &&
    grep -q "^require _G	refused	" "$OUT" && grep -q "^method match unchanged	refused	.*x$" "$OUT" &&
    grep -q "^raw connect	refused	.*.cv.connect. is not available in the sandbox" "$OUT" &&
    [ ! -e out/x.db ]'
check "the string and cvkit metatables give their names, the methods stay out of reach" \
    'out_has "meta	string	cv.Table	cv.Column	cv.Model"'
check "os holds clock, time and date only; no io, debug, package, dofile, dump, warn" \
    'out_has "os	true	true	true	true	nil	nil	nil	nil" &&
    out_has "globals	nil	nil	nil	nil	nil	nil	nil"'
check "the script gets arg and ..." 'out_has "arg	esc.lua	one	1"'

# every global, string, table, math function redefined: cvkit's own modules keep theirs
script redef.lua 'local print, pcall, require, tostring = print, pcall, require, tostring
local cvm = cv
local libs = {string, table, math, utf8, coroutine, os}
for _, lib in ipairs(libs) do
   for k in pairs(lib) do lib[k] = function() return "x", "y" end end
end
for k in pairs(_G) do
   if k ~= "_G" then _G[k] = function() return true end end
end
local tx = cvm.parse_csv("id,date,amount\n1,1997-01-01,10\n1,1997-01-08,20\n2,1997-01-02,5\n",
   {types = {date = "date"}})
local s = cvm.summary(tx, {customer = "id", date = "date", amount = "amount", unit = "week",
   quiet = true})
print("summary", s:nrows(), tostring(s:col("x"):sum()))
cvm.explain("clv.simple", {avg_purchase = 100, frequency = 4, lifetime = 5})
require("cv.help").help("summary")
print("io", pcall(require, "io"))
print("done")'
run "$CVKIT" run --sandbox redef.lua
check "redefining every global and library function changes nothing in cvkit, opens nothing" \
    '[ $rc -eq 0 ] && out_has "summary	2	1" && out_has "CLV = 100.00 × 4 × 5 = 2,000.00" &&
    out_has "cv.summary(" && out_has "io	false	redef.lua:17: module '"'"'io'"'"' is not available in the sandbox" &&
    out_has done'

# every embedded cv.* module is reviewed: loadable in the sandbox, or one of the two refused
script mods.lua 'local names = require("cv.core.engine").modules("cv")
local loaded, refused = 0, {}
for _, n in ipairs(names) do
   if pcall(require, n) then loaded = loaded + 1 else refused[#refused + 1] = n end
end
print(loaded, #names, table.concat(refused, " "))'
run "$CVKIT" run --sandbox mods.lua
check "the allow-list: every embedded cv module but cv.repl and cv.testing" \
    '[ $rc -eq 0 ] && [ "$(cut -f3 "$OUT")" = "cv.repl cv.testing" ] &&
    [ "$(cut -f1 "$OUT")" -eq $(($(cut -f2 "$OUT") - 2)) ] && [ "$(cut -f1 "$OUT")" -ge 13 ]'

mkdir -p src/cv
printf 'return {greeting = "from disk"}\n' >src/cv/hello.lua
script disk.lua 'print(pcall(require, "cv.hello"))'
CVKIT_LUA_PATH="$TMP/src" run "$CVKIT" run --sandbox disk.lua
check "CVKIT_LUA_PATH is ignored in the sandbox: nothing is loaded from disk" '[ $rc -eq 0 ] &&
    out_is "false	disk.lua:1: module '"'"'cv.hello'"'"' is not available in the sandbox"'
CVKIT_LUA_PATH="$TMP/src" run "$CVKIT" run disk.lua
check "... and honoured outside it" '[ $rc -eq 0 ] && out_has "true	table:"'

run "$CVKIT" repl --sandbox
check "cvkit repl refuses --sandbox (its chunks run in cvkit's own globals)" '[ $rc -eq 2 ] &&
    err_has "repl: --sandbox is for '"'"'cvkit run'"'"'"'

# ---- what a sandboxed script may read
mkdir -p course/ana/data elsewhere shared
printf 'a,b\n1,2\n' >course/ana/data/own.csv
printf 'a,b\n3,4\n' >elsewhere/named.csv
printf 'a,b\n5,6\n' >shared/more.csv
printf 'id,date,amount\n1,1997-01-01,10\n' >secret.csv
ln -s "$TMP/secret.csv" course/ana/data/link.csv
script course/ana/reads.lua 'local function try(p)
   local ok, e = pcall(cv.read_csv, p)
   print(p, ok and ("read " .. e:nrows()) or e)
end
for _, p in ipairs{...} do try(p) end'

script stop.lua 'cv.read_csv("/etc/passwd") print("after")'
run "$CVKIT" run --sandbox stop.lua
check "a refused read stops the script, exit 8" '[ $rc -eq 8 ] && ! out_has after &&
    err_has "cannot read '"'"'/etc/passwd'"'"': outside the folders this sandbox may read (" &&
    err_has "('"'"'$TMP'"'"', '"'"'$TMP/out'"'"') (sandbox)"'

cd course/ana || exit 1
run "$CVKIT" run --sandbox reads.lua data/own.csv ../../secret.csv ../../elsewhere/named.csv
check "the script's folder and the files named on the command line are readable" '[ $rc -eq 0 ] &&
    out_has "data/own.csv	read 1" && out_has "../../secret.csv	read 1" &&
    out_has "../../elsewhere/named.csv	read 1"'
run "$CVKIT" run --sandbox reads.lua ../../secret.csv
check "... a named file, not its folder" '[ $rc -eq 0 ] && out_has "../../secret.csv	read 1"'
printf 'local function try(p) local ok, e = pcall(cv.read_csv, p) print(p, ok and "read" or e) end
try("../../secret.csv") try("data/link.csv") try("../x.csv") try("data/../../../secret.csv")
try("../../shared/more.csv") try("out/w.csv") try("data/nothing.csv")
cv.write("out/w.csv", cv.table{a = {1}}) try("out/w.csv")\n' >only.lua
run "$CVKIT" run --sandbox only.lua
check "outside: ../, a link out of the folder, .. through it; the output folder is readable" \
    '[ $rc -eq 0 ] && grep -q "^../../secret.csv	only.lua:1: cannot read" "$OUT" &&
    grep -q "^data/link.csv	only.lua:1: cannot read '"'"'data/link.csv'"'"': outside" "$OUT" &&
    grep -q "^../x.csv	only.lua:1: cannot read" "$OUT" &&
    grep -q "^data/../../../secret.csv	only.lua:1: cannot read" "$OUT" &&
    grep -q "^../../shared/more.csv	only.lua:1: cannot read" "$OUT" && grep -q "^out/w.csv	read$" "$OUT" &&
    grep -q "^data/nothing.csv	data/nothing.csv: cannot open the file" "$OUT"'
rm -rf out
run "$CVKIT" run --sandbox --allow-read ../../shared only.lua
check "--allow-read DIR adds a folder" '[ $rc -eq 0 ] && grep -q "^../../shared/more.csv	read$" "$OUT" &&
    grep -q "^../../secret.csv	only.lua:1: cannot read" "$OUT"'
run "$CVKIT" run --sandbox --allow-read=../../nope only.lua
check "--allow-read of a missing folder is a usage error" '[ $rc -eq 2 ] &&
    err_has "--allow-read '"'"'../../nope'"'"': no such file or folder"'
script course/ana/sum.lua 'local path = arg[1]:match("=(.*)$") or arg[1]
local ok, s = pcall(cv.summary_csv, path, {customer = "id", date = "date", amount = "amount",
   quiet = true})
print(ok, ok and s:nrows() or s)'
run "$CVKIT" run --sandbox sum.lua x=../../secret.csv
check "NAME=PATH arguments name files too; summary_csv is checked as read_csv" '[ $rc -eq 0 ] &&
    out_is "true	1"'
run "$CVKIT" run --sandbox sum.lua ../../secret.csv/..
check "... a path through a named file is not" '[ $rc -eq 0 ] && out_has "cannot read"'
cd "$TMP" || exit 1

# ---- cvkit's own modules inside the sandbox: the same output as outside
run "$CVKIT" run --set out="$TMP/plain" "$ROOT/examples/demo.lua"
cp "$OUT" plain.out
run "$CVKIT" run --sandbox --out-dir "$TMP/boxed" --set out="$TMP/boxed" "$ROOT/examples/demo.lua"
check "examples/demo.lua (summary, CLV, costing, scenarios, Monte Carlo, report) in the sandbox" \
    '[ $rc -eq 0 ] && sed "s|$TMP/boxed|$TMP/plain|g" "$OUT" | cmp -s - plain.out &&
    [ -s boxed/report.html ] &&
    [ "$(ls boxed | wc -l)" -eq "$(ls plain | wc -l)" ] && cmp -s boxed/report.html plain/report.html'

D=${CVKIT_DATA:-$ROOT/../shared/data}/CDNOW_sample.txt
N="--set names=id0,customer_id,date,cds,amount --set customer=customer_id"
EX=$ROOT/examples/b2b
same_as_outside() { # same_as_outside NAME SCRIPT ARGS...: stdout and the output file equal
    nm=$1 model=$2
    shift 2
    mkdir -p "p_$nm" "b_$nm"
    run "$CVKIT" run "$ROOT/models/$model.lua" "$@" --out "p_$nm/o.csv"
    cp "$OUT" "p_$nm.out"
    prc=$rc
    run "$CVKIT" run --sandbox --out-dir "b_$nm" "$ROOT/models/$model.lua" "$@" --out "b_$nm/o.csv"
    sed "s|b_$nm/|p_$nm/|g" "$OUT" >"b_$nm.out"
    check "models/$model.lua in the sandbox: as outside" '[ $prc -eq 0 ] && [ $rc -eq 0 ] &&
        cmp -s "b_$nm.out" "p_$nm.out" && cmp -s "b_$nm/o.csv" "p_$nm/o.csv"'
}
same_as_outside bgnbd clv_bgnbd --data "$D" $N --set calibration_end=1997-09-30 \
    --set observation_end=1998-06-30
same_as_outside rfm rfm_segments --data "$D" $N --set calibration_end=1997-09-30
same_as_outside km kmeans_segments --data "$D" $N --set calibration_end=1997-09-30 --set k=3
same_as_outside sbg retention_sbg --data "$ROOT/tests/data/retention_regular.csv"
same_as_outside pnl customer_pnl --data "$EX/orders.csv" --set service="$EX/service.csv" \
    --set customers="$EX/customers.csv" --set activities="$EX/activities.csv"
same_as_outside hidden hidden_service_cost --set customers=400 --set customer_value=1000

run "$CVKIT" run --sandbox --out-dir "$TMP/m" --set out="$TMP/m/ret.html" "$ROOT/models/scenario_retention.lua"
check "models/scenario_retention.lua writes its report and CSV in the sandbox" '[ $rc -eq 0 ] &&
    [ -s m/ret.html ] && [ -s m/ret.csv ]'

script plain.lua 'print("ran")'
run "$CVKIT" run --allow-read "$TMP" plain.lua
check "--allow-read without --sandbox is a usage error, exit 2" '[ $rc -eq 2 ] && ! out_has ran &&
    err_has "option '"'"'--allow-read'"'"' needs --sandbox"'
run "$CVKIT" run --out-dir "$TMP/o2" plain.lua
check "--out-dir without --sandbox is a usage error, exit 2" '[ $rc -eq 2 ] && [ ! -e o2 ] &&
    err_has "option '"'"'--out-dir'"'"' needs --sandbox"'

finish
