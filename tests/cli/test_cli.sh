#!/bin/sh
# End-to-end tests of the cvkit program: version, help, running scripts with arguments
# and --set, and the exit codes and messages of failures.
. "$(dirname "$0")/lib.sh"

# ---- version and help
run "$CVKIT" --version
check "--version prints the version" \
    '[ $rc -eq 0 ] && grep -qxE "cvkit $(cat VERSION) \(Lua 5\.4\.[0-9]+\)" "$OUT"'

run "$CVKIT" help
check "help prints the man-style usage" '[ $rc -eq 0 ] && out_has NAME && out_has SYNOPSIS &&
    out_has COMMANDS && out_has OPTIONS && out_has ENVIRONMENT && out_has "EXIT STATUS" &&
    out_has EXAMPLES && out_has CVKIT_LUA_PATH && out_has CVKIT_LANG &&
    out_has "cvkit run [--set NAME=VALUE]..." && [ ! -s "$ERR" ]'
check "help documents the exit codes" 'grep -qE "^ +3 +input/output" "$OUT" &&
    grep -qE "^ +4 +parse" "$OUT" && grep -qE "^ +8 +script" "$OUT"'

run "$CVKIT" --help
check "--help is help" '[ $rc -eq 0 ] && out_has SYNOPSIS'

run "$CVKIT" help run
check "help run shows the run command" '[ $rc -eq 0 ] && out_has "usage: cvkit run" &&
    out_has "--set NAME=VALUE"'

run "$CVKIT"
check "no arguments: usage on stderr, exit 2" '[ $rc -eq 2 ] && err_has SYNOPSIS && [ ! -s "$OUT" ]'

run "$CVKIT" frobnicate
check "unknown command: exit 2" '[ $rc -eq 2 ] &&
    err_line1_is "cvkit: unknown command '"'"'frobnicate'"'"' (see '"'"'cvkit help'"'"')"'

run "$CVKIT" --frob
check "unknown option: exit 2" '[ $rc -eq 2 ] && err_has "unknown option '"'"'--frob'"'"'"'

# ---- running scripts
script args.lua 'print(arg[0], select("#", ...), ...)
print(arg[1], arg[2], arg[3])
print(cv.params.n + 1, math.type(cv.params.n), cv.params.rate * 4, type(cv.params.s), cv.params.s)
print(cv.lang, cv == require "cv")'
run "$CVKIT" run --set n=41 --set=rate=0.25 --set "s=hello world" --lang zh "$TMP/args.lua" a "b c" 3
check "run passes arguments as arg and ..." '[ $rc -eq 0 ] &&
    [ "$(sed -n 1p "$OUT")" = "$(printf "%s\t3\ta\tb c\t3" "$TMP/args.lua")" ] &&
    [ "$(sed -n 2p "$OUT")" = "$(printf "a\tb c\t3")" ]'
check "--set converts numbers and keeps text" \
    '[ "$(sed -n 3p "$OUT")" = "$(printf "42\tinteger\t1.0\tstring\thello world")" ]'
check "--lang sets cv.lang; cv is preloaded" '[ "$(sed -n 4p "$OUT")" = "$(printf "zh\ttrue")" ]'

run "$CVKIT" run --set horizon "$TMP/args.lua"
check "bad --set: exit 2 with a message" '[ $rc -eq 2 ] &&
    err_line1_is "cvkit: bad --set '"'"'horizon'"'"' (expected name=value)"'

run "$CVKIT" run --set
check "--set without a value: exit 2" '[ $rc -eq 2 ] && err_has "needs a value"'

run "$CVKIT" run --bogus "$TMP/args.lua"
check "unknown run option: exit 2" '[ $rc -eq 2 ] && err_has "unknown option '"'"'--bogus'"'"'"'

run "$CVKIT" run
check "run without a script: exit 2" '[ $rc -eq 2 ] && err_has "no script given"'

run "$CVKIT" run "$TMP/none.lua"
check "missing script: exit 3" '[ $rc -eq 3 ] &&
    err_line1_is "cvkit: $TMP/none.lua: cannot open script (no such file or directory)"'

script err.lua 'local x = 1
local function f() error("boom") end
f()'
run "$CVKIT" run "$TMP/err.lua"
check "script error: file:line, traceback, exit 8" '[ $rc -eq 8 ] &&
    err_line1_is "cvkit: $TMP/err.lua:2: boom" && err_has "stack traceback:" &&
    err_has "$TMP/err.lua:3: in main chunk"'

script syntax.lua 'local x = = 2'
run "$CVKIT" run "$TMP/syntax.lua"
check "syntax error: file:line, exit 8" '[ $rc -eq 8 ] &&
    err_line1_is "cvkit: $TMP/syntax.lua:1: unexpected symbol near '"'"'='"'"'"'

script exit.lua 'io.write("before\n") os.exit(5)'
run "$CVKIT" run "$TMP/exit.lua"
check "os.exit sets the status" '[ $rc -eq 5 ] && out_is before'

script opt.lua 'cv.read_csv("x.csv", {header = "yes"})'
run "$CVKIT" run "$TMP/opt.lua"
check "bad option: the message names option and function, exit 2" '[ $rc -eq 2 ] &&
    err_line1_is "cvkit: $TMP/opt.lua:1: cv.read_csv: option '"'"'header'"'"' must be true or false, got '"'"'yes'"'"'"'

# ---- errors from the core keep their code
script missing.lua 'local t = cv.read_csv(arg[1])'
run "$CVKIT" run "$TMP/missing.lua" "$TMP/nope.csv"
check "missing CSV: exit 3, the script's line then 'path: ...', no traceback" '[ $rc -eq 3 ] &&
    err_line1_is "cvkit: $TMP/missing.lua:1: $TMP/nope.csv: cannot open the file: no such file or directory" &&
    [ $(wc -l < "$ERR") -eq 1 ]'

printf 'a,b\n1,2\n3\n4,5\n' >"$TMP/ragged.csv"
run "$CVKIT" run "$TMP/missing.lua" "$TMP/ragged.csv"
check "ragged CSV: exit 4 and line:col" '[ $rc -eq 4 ] &&
    head -n 1 "$ERR" | grep -qE "^cvkit: $TMP/ragged.csv:3:[0-9]+: "'

script rethrow.lua 'local ok, msg = pcall(cv.read_csv, arg[1])
assert(not ok)
print("caught")
error(msg)'
run "$CVKIT" run "$TMP/rethrow.lua" "$TMP/nope.csv"
check "a caught core error rethrown keeps its code" '[ $rc -eq 3 ] && out_is caught'

script try.lua 'local t, msg, code = cv.try(cv.read_csv, arg[1])
print(t, code)'
run "$CVKIT" run "$TMP/try.lua" "$TMP/nope.csv"
check "cv.try turns the error into values" '[ $rc -eq 0 ] && out_is "$(printf "nil\t3")"'

run "$CVKIT" run "$TMP/try.lua" "$TMP/ragged.csv"
check "no progress output when stderr is not a terminal" '[ $rc -eq 0 ] && [ ! -s "$ERR" ]'

# ---- output files
script write.lua 'local t = cv.table{{"id", {1, 2}}, {"name", {"a", "b,c"}}}
cv.mkdir(arg[1] .. "/sub/dir")
t:write(arg[1] .. "/sub/dir/t.csv")
cv.write(arg[1] .. "/sub/dir/t.json", t)
t:write(arg[1] .. "/t.bin")'
run "$CVKIT" run "$TMP/write.lua" "$TMP"
check "write: CSV and JSON by extension, unknown extension exit 2" '[ $rc -eq 2 ] &&
    [ "$(cat "$TMP/sub/dir/t.csv")" = "$(printf "id,name\n1,a\n2,\"b,c\"")" ] &&
    [ -s "$TMP/sub/dir/t.json" ] && [ ! -e "$TMP/t.bin" ] &&
    err_line1_is "cvkit: $TMP/write.lua:5: $TMP/t.bin: unknown output format (use .csv, .tsv, .json, .md or .xlsx)"'
check "write leaves no temporary files" '[ "$(ls "$TMP/sub/dir" | tr "\n" " ")" = "t.csv t.json " ]'

# ---- the example data are reproducible
run "$CVKIT" run examples/make_data.lua "$TMP/transactions.csv"
check "make_data.lua regenerates examples/data/transactions.csv byte for byte" '[ $rc -eq 0 ] &&
    cmp -s "$TMP/transactions.csv" examples/data/transactions.csv &&
    out_is "$TMP/transactions.csv: 9524 rows"'
run "$CVKIT" run examples/make_clv_data.lua "$TMP/cohort.csv"
check "make_clv_data.lua regenerates examples/data/cohort.csv byte for byte (seed 1)" '[ $rc -eq 0 ] &&
    cmp -s "$TMP/cohort.csv" examples/data/cohort.csv && out_is "$TMP/cohort.csv: 8256 rows"'

# ---- developers' module path
mkdir -p "$TMP/src/lua/cv"
printf 'return {where = "disk"}\n' >"$TMP/src/lua/cv/hello.lua"
script hello.lua 'print(require("cv.hello").where)'
CVKIT_LUA_PATH="$TMP/src" run "$CVKIT" run "$TMP/hello.lua"
check "CVKIT_LUA_PATH loads cv modules from disk" '[ $rc -eq 0 ] && out_is disk'
run "$CVKIT" run "$TMP/hello.lua"
check "without CVKIT_LUA_PATH the module is not found" '[ $rc -eq 8 ] &&
    err_has "module '"'"'cv.hello'"'"' not found"'

finish
