#!/bin/sh
# End-to-end tests of the models of the CRM system's cost and of loyalty programmes on their
# example inputs (examples/crm), in English and Chinese, with --set overrides; the values
# are worked out by hand in docs/formulas.md and tests/lua/test_crmcost.lua.
. tests/cli/lib.sh
EX=examples/crm

run "$CVKIT" run models/crm_tco.lua --data $EX/tco_lines.csv --set options=$EX/tco_options.csv \
    --out "$TMP/tco.csv"
check "crm_tco runs and writes one row per option" '[ $rc -eq 0 ] && [ "$(wc -l <"$TMP/tco.csv")" -eq 4 ]'
# SaaS: 80,000 now + 45,000 × a(5, 10%) = 250,585.4; ÷ 3.7908 ÷ 50 users = 1,322.08
check "crm_tco explains the life-cycle cost" 'out_has "lowest life-cycle cost: SaaS (66,103.80 a year, 1,322.08 per user and year)"'
check "crm_tco finds where the best option breaks even" 'out_has "SaaS: NPV is 0 when the benefits are 0.6958 × those planned"'

run "$CVKIT" run --lang zh models/crm_tco.lua --data $EX/tco_lines.csv \
    --set options=$EX/tco_options.csv --set discount=0 --out "$TMP/tco0.csv"
# undiscounted: SaaS costs 80,000 + 5 × 45,000 = 305,000, 61,000 a year, 1,220 per user
check "crm_tco in chinese with --set discount=0" '[ $rc -eq 0 ] && out_has "生命周期成本最低：SaaS 托管（每年 61,000.00，每用户每年 1,220.00）"'

run "$CVKIT" run models/loyalty_programme.lua --data $EX/loyalty_case.csv --out "$TMP/loyalty.csv"
check "loyalty_programme runs" '[ $rc -eq 0 ] && [ -s "$TMP/loyalty.csv" ]'
check "loyalty_programme: profit, break-even, liability" 'out_has "programme profit 102,000.00 a year; break-even frequency lift 3.25%; points liability 48,000.00"'
check "loyalty_programme: the root finder agrees" 'out_has "the root finder on the profit agrees: break-even at a frequency lift of 3.25%"'

# a lift of 3% instead of 5%: margin 20,000,000 × 0.3 × 0.05 = 300,000; points 20,600,000 ×
# 0.008 = 164,800; profit 300,000 − 164,800 − 150,000 = −14,800
run "$CVKIT" run --lang zh models/loyalty_programme.lua --data $EX/loyalty_case.csv \
    --set frequency_lift=0.03 --out "$TMP/loyalty3.csv"
check "loyalty_programme --set overrides the case, in chinese" '[ $rc -eq 0 ] && out_has "计划年利润 -14,800.00；盈亏平衡频率提升 3.25%；积分负债 48,000.00"'

printf 'parameter,value\nmembers,10\nmembrs,3\n' >"$TMP/bad.csv"
run "$CVKIT" run models/loyalty_programme.lua --data "$TMP/bad.csv" --out "$TMP/bad_out.csv"
check "an unknown case parameter is named" '[ $rc -eq 2 ] && err_has "unknown parameter '"'"'membrs'"'"'"'

run "$CVKIT" explain --list
check "explain --list shows the chapter's formulas" 'out_has "  crm.eac " && out_has "  loyalty.breakeven_lift " && out_has "  satisfaction.complaint_cost "'

finish
