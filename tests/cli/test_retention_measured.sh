#!/bin/sh
# models/clv_retention.lua measures the yearly retention period to period, as the demo does
# (docs/formulas.md): recounted here with awk from examples/data/transactions.csv (buyers of
# January to June who buy again in July to December, squared for a year), not the share of
# repeat buyers; the console says how, in both languages, with shares as percentages.
. "$(dirname "$0")/lib.sh"
ROOT=${TOP:-$PWD}
DATA="$ROOT/examples/data/transactions.csv"

awk -F, 'NR > 1 { if ($2 <= "2024-06-30") h1[$1] = 1; else h2[$1] = 1; all[$1] = 1 }
    END { for (c in h1) { n++; if (c in h2) k++ }
          printf "%d %d %.2f%% %.2f%%\n", k, n, 100 * k / n, 100 * (k / n) ^ 2 }' "$DATA" >"$TMP/want"
read -r KEPT ACTIVE HALF YEAR <"$TMP/want"
comma() { printf "%d" "$1" | sed -E ':a;s/([0-9])([0-9]{3})($|,)/\1,\2\3/;ta'; }
KEPT=$(comma "$KEPT")
ACTIVE=$(comma "$ACTIVE")
check "the data have a retention to measure ($KEPT of $ACTIVE, $HALF, $YEAR)" \
    '[ "$KEPT" = "1,097" ] && [ "$ACTIVE" = "1,227" ] && [ "$YEAR" = "79.93%" ]'

run "$CVKIT" run models/clv_retention.lua --data "$DATA" --set customer=customer_id --out "$TMP/r.csv"
check "clv_retention runs" '[ $rc -eq 0 ] && [ -s "$TMP/r.csv" ]'
check "the retention is period to period, as a percentage" \
    'out_has "customers: 2,000   retention: $YEAR   discount: 10%" &&
     out_has "retention measured period to period: of the $ACTIVE customers who bought from 2024-01-01 to 2024-06-30, $KEPT bought again from 2024-07-01 to 2024-12-31 ($HALF per 6 months); per year $YEAR"'
# the demo's base: 63.65 × 0.7993 ÷ (1.1 − 0.7993) = 169.2 per customer on average
check "the CLV is the demo's base" 'out_has "clv: mean 169.21, total 338,426.02"'
REPEAT=$(awk -F, 'NR > 1 { n[$1]++ } END { for (c in n) { t++; if (n[c] > 1) r++ } printf "%.2f%%", 100 * r / t }' "$DATA")
check "not the share of repeat buyers ($REPEAT)" '! out_has "retention: $REPEAT"'

run "$CVKIT" run --lang zh models/clv_retention.lua --data "$DATA" --set customer=customer_id --out "$TMP/r.csv"
check "in Chinese" \
    'out_has "客户数：2,000   保留率：$YEAR   折现率：10%" &&
     out_has "保留率按相邻两期计算：2024-01-01 至 2024-06-30 购买过的 $ACTIVE 位客户中，$KEPT 位在 2024-07-01 至 2024-12-31 再次购买（每 6 个月的保留率为 $HALF）；折合每年 $YEAR"'

printf 'customer_id,date,amount\nc1,2024-01-05,10\nc1,2024-01-20,12\n' >"$TMP/short.csv"
run "$CVKIT" run --lang zh models/clv_retention.lua --data "$TMP/short.csv" --out "$TMP/s.csv"
check "data shorter than two months: said, no position (exit 4)" \
    '[ $rc -eq 4 ] && err_line1_is "cvkit: 数据的时间跨度为 2024-01-05 至 2024-01-20，不足两个月：无法按相邻两期计算保留率（请给出 --retention）"'
run "$CVKIT" run models/clv_retention.lua --data "$TMP/short.csv" --set retention=0.8 --out "$TMP/s.csv"
check "a given retention is used as given" '[ $rc -eq 0 ] && out_has "retention: 80.00%   discount: 10%" && out_has "clv: mean 17.60, total 17.60"'
finish
