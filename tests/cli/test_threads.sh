#!/bin/sh
# CVKIT_THREADS, the one thread count of the core (include/cvkit/threads.h): a wrong value is
# a usage error in both languages, and the same script gives the same bits with 1 thread and
# with 8 (a streamed summary, a fit, its predictions and CLV, a large group-by).
. tests/cli/lib.sh

run env CVKIT_THREADS=two "$CVKIT" run /dev/null
check "a word is refused" '[ $rc -eq 2 ] && err_line1_is "cvkit: CVKIT_THREADS must be a whole number from 0 to 8, got '"'two'"'"'
run env CVKIT_THREADS=9 CVKIT_LANG=zh "$CVKIT" run /dev/null
check "above the cap, in Chinese" '[ $rc -eq 2 ] && err_line1_is "cvkit: CVKIT_THREADS 必须是 0 到 8 之间的整数，实际为 '"'9'"'"'
run env CVKIT_THREADS=-1 "$CVKIT" run /dev/null
check "a negative count is refused" '[ $rc -eq 2 ] && err_has "got '"'-1'"'"'
script ok.lua 'print("ran")'
run env CVKIT_THREADS=0 "$CVKIT" run "$TMP/ok.lua"
check "0 is the default" '[ $rc -eq 0 ] && out_is "ran"'

run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5 --customers 80000 --seed 11 --out "$TMP/tx.csv"
check "gen writes the transactions" '[ $rc -eq 0 ]'
cat >"$TMP/same.lua" <<'LUA'
local s = cv.summary_csv(arg[1], { customer = "customer", date = "date", amount = "amount",
   unit = "week", calibration_end = "1998-06-30", quiet = true })
local m = cv.fit("bgnbd", s)
for i, k in ipairs(m.names) do print(k, string.format("%.17g", m.values[i])) end
local function checksum(t, name) -- each row's value weighted by its place: any change shows
   local sum = 0
   for i, r in t:rows() do sum = sum + (r[name] or 0) * i end
   return string.format("%.17g", sum)
end
print("conditional", checksum(m:conditional(s, 52), "conditional"))
print("clv", checksum(m:clv(s, { horizon = 52, discount = 0.1, spend = 30 }), "clv"))
local tx = cv.read_csv(arg[1])
local g = tx:group_by("customer", { {"n", "count"}, {"spend", "sum", "amount"} })
print("rows", #tx, "groups", #g, checksum(g, "spend"))
LUA
run env CVKIT_THREADS=1 "$CVKIT" run "$TMP/same.lua" "$TMP/tx.csv"
cp "$OUT" "$TMP/one.txt"
check "one thread runs" '[ $rc -eq 0 ] && out_has "groups	80000"'
run env CVKIT_THREADS=8 "$CVKIT" run "$TMP/same.lua" "$TMP/tx.csv"
check "eight threads give the same bits" '[ $rc -eq 0 ] && cmp -s "$OUT" "$TMP/one.txt"'
finish
