#!/bin/sh
# End-to-end tests of relevant costs and decisions: models/keep_or_drop.lua on the B2B
# example (its counts recomputed here with awk from customer_pnl's per-customer output and
# the shares of examples/b2b/keep_or_drop.csv, independently of the model's Lua), in both
# languages; the formula decision.keep_or_drop through `cvkit explain` on Wild et al.'s
# QS 23-13 (docs/formulas.md); cv.decision in the sandbox.
. tests/cli/lib.sh
EX=examples/b2b
ARGS="--data $EX/orders.csv --set service=$EX/service.csv --set customers=$EX/customers.csv --set activities=$EX/activities.csv"

run "$CVKIT" run models/customer_pnl.lua $ARGS --out "$TMP/pnl.csv"
check "customer_pnl runs" '[ $rc -eq 0 ]'
run "$CVKIT" run models/keep_or_drop.lua $ARGS --set costs=$EX/keep_or_drop.csv --out "$TMP/kd.csv"
check "keep_or_drop runs" '[ $rc -eq 0 ] && [ -s "$TMP/kd.csv" ]'
# per customer from the P&L: variable = product cost + discount + rebate; avoidable fixed =
# the shares of the activity costs + retention; drop when avoidable fixed > revenue −
# variable; full-cost profit = profit − 250,000 × the revenue share
want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { n++; rev[n] = $c["revenue"]; tot += rev[n]; pr[n] = $c["profit"]
      var = $c["product_cost"] + $c["discount"] + $c["rebate"]
      fix = 0.5 * $c["cost_order_entry"] + 0.6 * $c["cost_picking"] + 0.8 * $c["cost_delivery"] \
          + $c["cost_rush_handling"] + 0.5 * $c["cost_returns_processing"] \
          + 0.4 * $c["cost_customer_support"] + 0.9 * $c["cost_sales_visits"] + $c["retention_cost"]
      e = fix - (rev[n] - var); if (e > 0) { drop++; gain += e } }
    END { for (i = 1; i <= n; i++) if (pr[i] - 250000 * rev[i] / tot < 0) losing++
          printf "%d %d %d %.2f", losing, n, drop, gain }' "$TMP/pnl.csv")
got=$(grep "lose money on full cost;" "$OUT" | tr -d , |
    sed -E 's/^([0-9]+) of ([0-9]+) .* pays for ([0-9]+) .*profit \+([0-9.]+).*/\1 \2 \3 \4/')
check "the decision line, recomputed with awk" '[ "$got" = "$want" ] && [ "$want" = "289 400 221 163715.03" ]'
check "the cost lines classified" 'out_has "acquisition_cost" && grep -q "acquisition_cost .* irrelevant  sunk cost" "$OUT" && grep -q "facility .* irrelevant  common cost" "$OUT"'
check "the unavoidable part of a line" 'grep -q "cost_delivery (20%) .* irrelevant  unavoidable cost" "$OUT"'
# the facility cost is common: doubling it makes more customers lose money on full cost,
# but no more of them worth dropping
check "scenarios: facility x2 changes no decision" 'grep -q "^drop  *facility x2  *221.00  *0.00  *0.00" "$OUT"'
check "the file has a decision per customer" '[ "$(grep -c ",drop$" "$TMP/kd.csv")" = 221 ]'
run env CVKIT_LANG=zh "$CVKIT" run models/keep_or_drop.lua $ARGS --set costs=$EX/keep_or_drop.csv --out "$TMP/kd.csv"
check "keep_or_drop in Chinese" '[ $rc -eq 0 ] && out_has "400 位客户中有 289 位按全部成本计算亏损；其中放弃 221 位才合算" && out_has "沉没成本"'

run "$CVKIT" explain decision.keep_or_drop revenue=60000 variable_costs=20000 avoidable_fixed=36000
check "explain: QS 23-13" '[ $rc -eq 0 ] && out_has "profit change if dropped = 36,000.00 − 40,000.00 = -4,000.00"'
run "$CVKIT" explain --list
check "explain --list shows the formula" 'out_has "decision.keep_or_drop"'

script sb.lua 'local c = cv.decision.classify({{"licence", 5000, sunk = true}, {"wages", 900, avoidable = true}})
print(c.nrelevant, c.relevant, require("cv.decision").PROPERTIES[1])
print(cv.decision.compare{options = {"a", "b"}, costs = {{"c", 1, 2}}}.best_name)'
run "$CVKIT" run --sandbox "$TMP/sb.lua"
check "cv.decision in the sandbox" '[ $rc -eq 0 ] && out_is "1	900.0	differs
a"'

# the model in the sandbox (reading the examples, writing only into its --out-dir): the same
# output as outside
mkdir -p "$TMP/sb"
run "$CVKIT" run --sandbox --out-dir "$TMP/sb" models/keep_or_drop.lua $ARGS \
    --set costs=$EX/keep_or_drop.csv --out "$TMP/sb/kd.csv"
check "keep_or_drop in the sandbox" '[ $rc -eq 0 ] && cmp -s "$TMP/sb/kd.csv" "$TMP/kd.csv"'

finish
