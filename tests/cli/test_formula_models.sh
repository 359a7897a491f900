#!/bin/sh
# End-to-end tests of the formula models: `cvkit models` and `cvkit run models/NAME.lua
# --data FILE --set ...` writing their per-customer file (values worked out by hand in
# tests/lua/test_formula_models.lua; here: that the command line reaches them).
CVKIT=${CVKIT:-build/cvkit}
passed=0
failed=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

ok() { passed=$((passed + 1)); echo "ok    $1"; }
bad() { failed=$((failed + 1)); echo "FAIL  $1"; echo "--- stdout"; cat "$dir/out"; echo "--- stderr"; cat "$dir/err"; }

# field FILE KEY COLUMN: the value of COLUMN (by header name) in the CSV row starting KEY,
# printed as a number with 2 decimals
field() {
    awk -F, -v key="$2" -v col="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i }
        NR > 1 && $1 == key { printf "%.2f\n", $c }' "$1"
}

"$CVKIT" models >"$dir/out" 2>"$dir/err"
if [ $? -eq 0 ] && [ "$(grep -cE '^  (clv_retention|clv_simple|customer_profitability|delivered_value|lifecycle_profit) ' "$dir/out")" -eq 5 ] &&
    grep -q '^  clv_simple  simple CLV per customer' "$dir/out"; then ok "models lists five"; else bad "models lists five"; fi

"$CVKIT" models --lang zh delivered_value >"$dir/out" 2>"$dir/err"
if [ $? -eq 0 ] && grep -qF '  delivered_value  由感知价值与成本计算顾客让渡价值' "$dir/out"; then
    ok "models in chinese"; else bad "models in chinese"; fi

"$CVKIT" models nope >"$dir/out" 2>"$dir/err"
if [ $? -eq 2 ] && grep -qxF "cvkit: unknown model 'nope' (see 'cvkit models')" "$dir/err"; then
    ok "unknown model"; else bad "unknown model"; fi

"$CVKIT" run models/clv_simple.lua --data tests/data/formula_tx.csv --set lifetime=2 \
    --out "$dir/clv.csv" >"$dir/out" 2>"$dir/err"
if [ $? -eq 0 ] && [ "$(field "$dir/clv.csv" A clv)" = "600.00" ] &&
    [ "$(field "$dir/clv.csv" C clv)" = "40.00" ] &&
    grep -qxF "wrote $dir/clv.csv (3 customers)" "$dir/out"; then
    ok "clv_simple with --data and --set"; else bad "clv_simple with --data and --set"; fi

# parameters given to cvkit run before the script reach the model as cv.params
"$CVKIT" run --set data=tests/data/formula_tx.csv --set out="$dir/p.csv" \
    models/customer_profitability.lua --set cac=25 >"$dir/out" 2>"$dir/err"
if [ $? -eq 0 ] && [ "$(field "$dir/p.csv" A customer_profit)" = "265.00" ]; then
    ok "customer_profitability with run --set"; else bad "customer_profitability with run --set"; fi

"$CVKIT" run models/delivered_value.lua --data examples/data/delivered_value_survey.csv \
    --out "$dir/dv.csv" >"$dir/out" 2>"$dir/err"
if [ $? -eq 0 ] && [ "$(field "$dir/dv.csv" S04 delivered_value)" = "-110.00" ] &&
    grep -qxF "  delivered value = 850.00 − 490.00 = 360.00" "$dir/out"; then
    ok "delivered_value"; else bad "delivered_value"; fi

"$CVKIT" run --lang zh models/clv_simple.lua --data tests/data/formula_tx.csv --set lifetime=2 \
    --out "$dir/zh.csv" >"$dir/out" 2>"$dir/err"
if [ $? -eq 0 ] && grep -qxF "客户终身价值：平均 266.67，合计 800.00" "$dir/out" &&
    grep -qxF "  客户终身价值 = 66.67 × 1.67 × 2 = 222.22" "$dir/out"; then
    ok "model summary in chinese"; else bad "model summary in chinese"; fi

"$CVKIT" run models/clv_simple.lua --set lifetime=2 >"$dir/out" 2>"$dir/err"
if [ $? -eq 2 ] && grep -qF "cvkit: clv_simple: missing parameter 'data'" "$dir/err"; then
    ok "missing --data exits 2"; else bad "missing --data exits 2"; fi

"$CVKIT" run models/clv_simple.lua --data tests/data/formula_tx.csv --set lifetime=long \
    >"$dir/out" 2>"$dir/err"
if [ $? -eq 2 ] && grep -qF "cvkit: clv_simple: parameter 'lifetime' expects a number, got 'long'" "$dir/err"; then
    ok "non-numeric parameter exits 2"; else bad "non-numeric parameter exits 2"; fi

"$CVKIT" run models/clv_simple.lua --data "$dir/none.csv" >"$dir/out" 2>"$dir/err"
if [ $? -eq 3 ]; then ok "missing data file exits 3"; else bad "missing data file exits 3"; fi

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
