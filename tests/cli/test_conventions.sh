#!/bin/sh
# End-to-end tests of the one convention of the Lua side (lua/cv/errors.lua): errors name
# the user's script line (never lua/cv/x.lua) with the exit codes of docs/errors.md, and
# warnings come from the i18n catalogue in the language asked for (cv.summary and
# cv.summary_sql alike).
. tests/cli/lib.sh

script fit.lua 'local s = cv.table{x = {1, 2}, t_x = {1, 2}, T = {3, 4}}
local m = cv.fit("bgnbdd", s)'
run "$CVKIT" run "$TMP/fit.lua"
check "unknown model: the user's line, did you mean, exit 2" \
    '[ $rc -eq 2 ] && err_line1_is "cvkit: $TMP/fit.lua:2: cv.fit: unknown model '"'bgnbdd'"' (did you mean '"'bgnbd'"'?)"'
run "$CVKIT" run --lang zh "$TMP/fit.lua"
check "unknown model in Chinese" \
    '[ $rc -eq 2 ] && err_line1_is "cvkit: $TMP/fit.lua:2: cv.fit：未知模型“bgnbdd”（是否想用“bgnbd”？）"'

# a binding's own luaL_argerror, for a call cvkit's Lua made (lua/cv/fit.lua calls the
# binding): the engine puts the user's line in place of cvkit's, and exits 2
script arg.lua 'local x = 1
print(cv.timevalue.per_period(0.1, {}))'
run "$CVKIT" run "$TMP/arg.lua"
check "a binding's bad argument: the user's line, exit 2" \
    '[ $rc -eq 2 ] && err_line1_is "cvkit: $TMP/arg.lua:2: bad argument #3 to '"'rate'"' (string expected, got table)"'

script opt.lua 'cv.summary(cv.table{id = {1}}, {customer = "id", date = "d", amount = "a",
   calibraton_end = "1997-01-01"})'
run "$CVKIT" run "$TMP/opt.lua"
check "unknown option: exit 2 at the user's line" \
    '[ $rc -eq 2 ] && err_line1_is "cvkit: $TMP/opt.lua:1: cv.summary: unknown option '"'calibraton_end'"' (did you mean '"'calibration_end'"'?)"'

script badarg.lua 'print(string.rep())'
run "$CVKIT" run "$TMP/badarg.lua"
check "a bad argument exits 2 (docs/errors.md)" '[ $rc -eq 2 ] && err_has "bad argument #1 to '"'rep'"'"'

# customer 3 first buys after the calibration end: left out, with a warning
script late.lua 'local tx = cv.table{{"id", {1, 1, 2, 3}}, {"d", {"1997-01-01", "1997-02-01",
   "1997-01-15", "1997-04-01"}, "date"}, {"a", {1, 2, 3, 4}}}
local s = cv.summary(tx, {customer = "id", date = "d", amount = "a",
   calibration_end = "1997-03-01"})
print(#s)
local q = cv.summary(tx, {customer = "id", date = "d", amount = "a",
   calibration_end = "1997-03-01", quiet = true})'
run "$CVKIT" run "$TMP/late.lua"
check "late customers: English warning, once (quiet: none)" \
    '[ $rc -eq 0 ] && out_is 2 && [ "$(cat "$ERR")" = "summary: 1 customer(s) first seen after the calibration end 1997-03-01 left out" ]'
run "$CVKIT" run --lang zh "$TMP/late.lua"
check "late customers: the Chinese warning under --lang zh" \
    '[ $rc -eq 0 ] && [ "$(cat "$ERR")" = "汇总：1 位在校准期结束日 1997-03-01 之后才首次购买的客户未计入" ]'

# cv.summary_csv warns the same way
printf 'id,d,a\n1,1997-01-01,1\n2,1997-04-01,2\n' >"$TMP/tx.csv"
script latecsv.lua 'local s = cv.summary_csv("'"$TMP"'/tx.csv", {customer = "id", date = "d",
   amount = "a", calibration_end = "1997-03-01"})'
run "$CVKIT" run --lang zh "$TMP/latecsv.lua"
check "cv.summary_csv: the Chinese warning" \
    '[ $rc -eq 0 ] && [ "$(cat "$ERR")" = "汇总：1 位在校准期结束日 1997-03-01 之后才首次购买的客户未计入" ]'

# the renamed modules load, in the sandbox too; the old names are gone
script mods.lua 'print(type(require("cv.fit").fit), type(require("cv.script").main),
   type(require("cv.errors").fail), pcall(require, "cv.models"))'
run "$CVKIT" run --sandbox "$TMP/mods.lua"
check "cv.fit, cv.script and cv.errors in the sandbox; cv.models gone" \
    '[ $rc -eq 0 ] && out_has "function	function	function	false"'

finish
