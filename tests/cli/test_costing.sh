#!/bin/sh
# End-to-end tests of the cost-of-service models on the B2B example data (examples/b2b):
# each model runs, writes its files and prints its summary; the totals checked here follow
# from the cost definitions and column sums of the data (8,321 orders, 70,183 lines, 1,219
# rush orders, 2,872 support calls), worked out by hand. Errors exit with the documented
# codes and name the activity and the field.
. tests/cli/lib.sh
EX=examples/b2b

run "$CVKIT" run models/cost_to_serve_abc.lua --data $EX/orders.csv --set service=$EX/service.csv \
    --set activities=$EX/activities.csv --out "$TMP/abc.csv"
check "abc runs" '[ $rc -eq 0 ] && [ -s "$TMP/abc.csv" ]'
# the seven pools of activities.csv add up to 1,327,000
check "abc assigns every pool" 'out_has "cost to serve 1,327,000.00 for 400 customers: 3,317.50 per customer on average"'
check "abc shows the rates (money: 266,000 ÷ 832 = 319.71)" 'out_has "sales_visits        visits         266,000.00      832   319.71  266,000.00        0.00"'

run "$CVKIT" run models/cost_to_serve_tdabc.lua --data $EX/orders.csv --set service=$EX/service.csv \
    --set customers=$EX/customers.csv --set resources=$EX/tdabc_resources.csv \
    --set activities=$EX/tdabc_activities.csv --out "$TMP/tdabc.csv"
check "tdabc runs" '[ $rc -eq 0 ] && [ -s "$TMP/tdabc_resources.csv" ]'
# order entry 6 × 8,321 + 0.4 × 70,183 + 10 × 1,219 = 90,189.2; support 14 × 2,872 = 40,208
check "tdabc unused capacity" 'out_has "customer_service: 1.00 per minute; 130,397.2 of 150,000 minutes used (86.93%), unused 19,602.8 minutes = 19,602.80"'
# picking 3 × 70,183 + 12 × 1,219 = 225,177 and returns 25 × 583 = 14,575, at 336,000 ÷ 280,000
check "tdabc warehouse" 'out_has "warehouse: 1.20 per minute; 239,752.0 of 280,000 minutes used (85.63%), unused 40,248.0 minutes = 48,297.60"'

run "$CVKIT" run models/customer_pnl.lua --data $EX/orders.csv --set service=$EX/service.csv \
    --set customers=$EX/customers.csv --set activities=$EX/activities.csv --out "$TMP/pnl.csv"
check "pnl runs" '[ $rc -eq 0 ] && [ -s "$TMP/pnl_segments.csv" ] && [ -s "$TMP/pnl_waterfall.csv" ]'
check "pnl line" 'out_has "revenue 9,789,540.67 − product cost 7,314,546.74 − concessions 575,171.18 − cost to serve 1,327,000.00 − acquisition 36,000.00 − retention 78,860.00 = profit 457,962.75"'
check "pnl waterfall ends at the profit" '[ "$(tail -n 1 "$TMP/pnl_waterfall.csv" | cut -d, -f1,2)" = "profit,total" ]'

run "$CVKIT" run models/whale_curve.lua --data "$TMP/pnl.csv" --out "$TMP/whale.csv"
check "whale runs" '[ $rc -eq 0 ] && out_has "the top 20% of customers earn" && [ "$(tail -n 1 "$TMP/whale.csv" | cut -d, -f1,6)" = "400,1" ]'

run "$CVKIT" run models/hidden_service_cost.lua --set customers=400 --set customer_value=1000 \
    --out "$TMP/hidden.csv"
# 400 × 0.2 = 80 dissatisfied; 24 leave (24,000); 80 × 9 × 0.05 = 36 prospects (36,000)
check "hidden cost" '[ $rc -eq 0 ] && out_has "service costs 252,000.00 explicitly and 60,000.00 hidden: 312,000.00 in all"'
run env CVKIT_LANG=zh "$CVKIT" run models/hidden_service_cost.lua --set customers=400 --set customer_value=1000 \
    --out "$TMP/hidden.csv"
check "hidden cost in chinese" 'out_has "服务的显性成本 252,000.00，隐性成本 60,000.00，合计 312,000.00" && out_has "情景          不满意客户比例"'

# errors: a missing driver column, a driver with zero volume, an unknown field
printf 'activity,driver,cost\nsupport,support_calls,100\n' >"$TMP/a1.csv"
run "$CVKIT" run models/cost_to_serve_abc.lua --data $EX/orders.csv --set activities="$TMP/a1.csv" --out "$TMP/x.csv"
check "missing driver column" '[ $rc -eq 2 ] && err_has "activity '\''support'\'': no driver column '\''support_calls'\'' (columns: customer_id, deliveries, lines, orders, returns, rush)"'
printf 'activity,driver,cost\nreturns,returns,100\n' >"$TMP/a2.csv"
printf 'order_id,customer_id,lines,deliveries,rush,returns\n1,A,1,1,0,0\n2,B,2,1,0,0\n' >"$TMP/o.csv"
run "$CVKIT" run models/cost_to_serve_abc.lua --data "$TMP/o.csv" --set activities="$TMP/a2.csv" --out "$TMP/x.csv"
check "zero volume" '[ $rc -eq 7 ] && err_has "activity '\''returns'\'': driver '\''returns'\'' has zero total volume"'
printf 'activity,resource,base,events,terms\npick,warehouse,5,orders,2 if express\n' >"$TMP/t.csv"
run "$CVKIT" run models/cost_to_serve_tdabc.lua --data "$TMP/o.csv" --set resources=$EX/tdabc_resources.csv \
    --set activities="$TMP/t.csv" --out "$TMP/x.csv"
check "unknown field" '[ $rc -eq 2 ] && err_has "activity '\''pick'\'': time equation names an unknown field '\''express'\''"'
finish
