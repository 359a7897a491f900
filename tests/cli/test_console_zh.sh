#!/bin/sh
# The model scripts' console tables as a Chinese reader sees them: every column under its
# catalogue label (no English column names but the names the glossary keeps: AIC, BIC,
# MAE, RMSE, Brier, CLV, DERT), numbers by kind (money with two decimals and separators,
# shares as percentages, counts as integers, the rest with even decimals); and the report's
# diagnostics tables with the decimals their columns were given. Values checked against
# independent arithmetic: AIC = 2k − 2LL, BIC = k ln n − 2LL on FHL 2005's CDNOW fit.
. "$(dirname "$0")/lib.sh"
DATA=${CVKIT_DATA:-../shared/data}
D="$DATA/CDNOW_sample.txt"
N="--names id0,customer_id,date,cds,amount --customer customer_id"
AIC=$(awk 'BEGIN { printf "%.2f", 2 * 4 + 2 * 9582.429 }')                   # 19172.86
BIC=$(awk 'BEGIN { printf "%.2f", 4 * log(2357) + 2 * 9582.429 }')           # 19195.92
comma() { echo "$1" | sed -E ':a;s/^(-?[0-9]+)([0-9]{3})/\1,\2/;ta'; }

run "$CVKIT" clv "$D" $N --calibration-end 1997-09-30 --observation-end 1998-06-30 \
    --out "$TMP/cd" --lang zh
check "cvkit clv --lang zh runs" '[ $rc -eq 0 ]'
check "the comparison under Chinese labels, AIC and BIC with separators ($(comma $AIC), $(comma $BIC))" \
    'out_has "模型        参数个数   对数似然        AIC        BIC      实际      预期       MAE      RMSE     Brier" &&
     out_has "BG/NBD             4  -9,582.43  $(comma $AIC)  $(comma $BIC)     1,882  1,653.41    0.7855    1.6080    0.6083"'
check "the winner's criterion with the table's decimals" 'out_has "选用 Pareto/NBD：MAE 最低（0.7545；BG/NBD：0.7855）"'
check "the top customers: labels, times and expectations with two decimals, P(alive) as a percentage, money" \
    'out_has "客户        频次  最近购买时间  客户年龄  存活概率  预期交易次数  折现的预期交易次数  预期消费额       CLV  验证期交易次数" &&
     out_has "1081          11         32.00     33.14    98.19%         10.46                9.81      103.79  1,017.78               4"'
# the header lines of every table printed: no English word but the names kept
grep -B1 -E "^<字符串>|^ *<整数>" "$OUT" | grep -vE "^<|^--" >"$TMP/heads"
grep -oE "[A-Za-z]{2,}" "$TMP/heads" | grep -vxE "AIC|BIC|MAE|RMSE|Brier|CLV|DERT" | sort -u >"$TMP/english"
check "no English column names ($(tr '\n' ' ' <"$TMP/english"))" '[ -s "$TMP/heads" ] && [ ! -s "$TMP/english" ]'

# the report's diagnostics tables: the histogram's expected with its one decimal (1407.68),
# the P(alive) matrix as percentages with one decimal
check "diagnostics tables keep their columns' decimals" \
    'grep -qF ">1,407.7<" "$TMP/cd/report.html" && ! grep -qF ">1,407.68<" "$TMP/cd/report.html" &&
     grep -qF ">22.0%<" "$TMP/cd/report.html"'

run "$CVKIT" run --lang zh clv_pareto_nbd --data "$D" --set names=id0,customer_id,date,cds,amount \
    --set customer=customer_id --set calibration_end=1997-09-30 --set observation_end=1998-06-30 \
    --out "$TMP/p.csv"
check "clv_pareto_nbd: the holdout check by frequency under Chinese labels, counts with separators" \
    '[ $rc -eq 0 ] && out_has "  频次  客户数      实际      预期  实际合计  预期合计" &&
     out_has "     0   1,411      0.24      0.14       334    195.35" &&
     out_has "预期 1,665.51 笔"'
check "clv_pareto_nbd: DERT in the top table, money with separators" \
    'out_has "预期交易次数      DERT  折现的预期交易次数  预期消费额       CLV  验证期交易次数" &&
     out_has "0509          18         35.14     35.86    98.94%         16.12     55.99               15.10       77.60  1,172.08               5"'

run "$CVKIT" run --lang zh compare_models --data "$D" --set names=id0,customer_id,date,cds,amount \
    --set customer=customer_id --set calibration_end=1997-09-30 --out "$TMP/cmp.csv"
check "compare_models: the models by name, the fit measures with separators" \
    '[ $rc -eq 0 ] && out_has "MBG/NBD            4  -9,582.14" && ! out_has "mbgnbd   "'

run "$CVKIT" run --lang zh kmeans_segments --data "$D" --set names=id0,customer_id,date,cds,amount \
    --set customer=customer_id --set k=3 --out "$TMP/k.csv"
check "k-means: shares as percentages that add to 100, counts with separators, money" \
    '[ $rc -eq 0 ] && out_has "     1   1,619    68.69%" && out_has "     3      59     2.50%            58.0     20.03    973.63"'
# 1,619 + 679 + 59 = 2,357 customers: 68.69% + 28.81% + 2.50% = 100%
check "k-means: the three shares are the counts over 2,357" \
    '[ "$(awk "BEGIN { printf \"%.2f %.2f %.2f\", 161900 / 2357, 67900 / 2357, 5900 / 2357 }")" = "68.69 28.81 2.50" ] &&
     out_has "28.81%"'

run "$CVKIT" run --lang zh value_tiers --data "$D" --set names=id0,customer_id,date,cds,amount \
    --set customer=customer_id --out "$TMP/v.csv"
check "value tiers: money with separators; the Lorenz curve in percentages" \
    '[ $rc -eq 0 ] && out_has "头部         472       20.0   3,557  164,652.26" && out_has "     100.00%       100.00%" &&
     out_has "      10.00%         0.98%"'
# the cost-of-service models: the terms of exercise 5, money and counts by kind
ROOT=${TOP:-$PWD}
EX="$ROOT/examples/b2b"
run "$CVKIT" run --lang zh cost_to_serve_abc --data "$EX/orders.csv" --set service="$EX/service.csv" \
    --set activities="$EX/activities.csv" --out "$TMP/abc.csv"
check "ABC: activities under Chinese labels; 266,000 ÷ 832 visits = 319.71 per visit" \
    '[ $rc -eq 0 ] && out_has "作业                成本动因             成本    动因量    成本率  已分配成本  未分配成本" &&
     out_has "sales_visits        visits         266,000.00       832    319.71  266,000.00        0.00"'
run "$CVKIT" run --lang zh customer_pnl --data "$EX/orders.csv" --set service="$EX/service.csv" \
    --set customers="$EX/customers.csv" --set activities="$EX/activities.csv" --out "$TMP/pnl.csv"
check "customer P&L by segment under Chinese labels" \
    '[ $rc -eq 0 ] && out_has "客户群         客户数          收入        毛利    服务成本        利润  每位客户利润"'
# the scenario models: variants, metrics and lines from the catalogue; the report without
# English words
run "$CVKIT" run --lang zh scenario_retention --set out="$TMP/sr.html"
# 100 × 0.8 ÷ 0.3 = 266.67 against 100 × 0.75 ÷ 0.35 = 214.29: +52.38, +24.44%
check "scenario_retention in Chinese: the variant by name, CLV by hand" \
    '[ $rc -eq 0 ] && grep -qE "^客户终身价值 +保留率 \+5 个百分点 +266\.67 +52\.38 +24\.44$" "$OUT" &&
     out_has "保留率 +5 个百分点：只要保留计划的成本低于每位客户每年 19.64，就值得实施"'
sed -e '/<style>/,/<\/style>/d' -e 's/<[^>]*>/\n/g' "$TMP/sr.html" | grep -oE "[A-Za-z_]{2,}" |
    grep -vxE "cvkit|ln|P[0-9]+" | sort -u >"$TMP/english"
check "scenario_retention's Chinese report has no English words ($(tr '\n' ' ' <"$TMP/english"))" \
    '[ -s "$TMP/sr.html" ] && [ ! -s "$TMP/english" ]'
run "$CVKIT" run --lang zh scenario_cac_payback --set out="$TMP/cac.html"
# ln(1 − 300 × 0.03 ÷ 25) ÷ ln(0.97) = 14.65 months; 25 × (1 − 0.97^18) ÷ 0.03 = 351.71
check "scenario_cac_payback in Chinese: payback and the highest CAC by hand" \
    '[ $rc -eq 0 ] && grep -qE "^回收期（月） +基准 +14\.65 " "$OUT" &&
     out_has "获取成本不超过 351.71 时可在 18 个月内收回（解析解 351.71）；不超过 833.33 时利润为正"'
sed -e '/<style>/,/<\/style>/d' -e 's/<[^>]*>/\n/g' "$TMP/cac.html" | grep -oE "[A-Za-z_]{2,}" |
    grep -vxE "cvkit|ln|P[0-9]+" | sort -u >"$TMP/english"
check "scenario_cac_payback's Chinese report has no English words ($(tr '\n' ' ' <"$TMP/english"))" \
    '[ -s "$TMP/cac.html" ] && [ ! -s "$TMP/english" ]'
# the sensitivity tables of crm_tco and loyalty_programme (Tornado:print): parameters by
# their Chinese names, each input by its kind, results as money
run "$CVKIT" run --lang zh loyalty_programme --out "$TMP/loy.csv"
# 20,000 members × 1,000 × 0.3 × (0.025 + 0.02) − cost: the low case −44,000 (docs/formulas.md)
check "loyalty_programme: the sensitivity table in Chinese, lifts as percentages" \
    '[ $rc -eq 0 ] && out_has "参数          参数低值    参数高值      低值结果    高值结果    波动幅度" &&
     out_has "购买频率提升  2.50%       7.50%       -44,000.00  248,000.00  292,000.00"'
run "$CVKIT" run --lang zh crm_tco --data "$ROOT/examples/crm/tco_lines.csv" \
    --set options="$ROOT/examples/crm/tco_options.csv" --out "$TMP/tco.csv"
check "crm_tco: the options and parameters by their Chinese names" \
    '[ $rc -eq 0 ] && out_has "SaaS 托管的净现值" && out_has "折现率          6%        14%" &&
     ! grep -qE "^(npv_|eac_per_user_|benefit_scale)" "$OUT"'
finish
