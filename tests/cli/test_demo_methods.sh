#!/bin/sh
# The demo's method choices as an analyst checks them: the yearly retention is period to
# period (buyers of January to June who buy again in July to December, squared for a year;
# recounted here with awk from the data, not the share of repeat buyers), the report says
# so in both languages, and the sensitivity grid contains the base case, marked on its axes.
. "$(dirname "$0")/lib.sh"
ROOT=${TOP:-$PWD}
DATA="$ROOT/examples/data/transactions.csv"

# customers with a purchase in each half-year, counted independently of cvkit
awk -F, 'NR > 1 { if ($2 <= "2024-06-30") h1[$1] = 1; else h2[$1] = 1 }
    END { for (c in h1) { n++; if (c in h2) k++ }
          printf "%d %d %.2f%% %.2f%%\n", k, n, 100 * k / n, 100 * (k / n) ^ 2 }' "$DATA" >"$TMP/want"
read -r KEPT ACTIVE HALF YEAR <"$TMP/want"
KEPT=$(printf "%d" "$KEPT" | sed -E ':a;s/([0-9])([0-9]{3})($|,)/\1,\2\3/;ta')
ACTIVE=$(printf "%d" "$ACTIVE" | sed -E ':a;s/([0-9])([0-9]{3})($|,)/\1,\2\3/;ta')
check "the data have a retention to measure ($KEPT of $ACTIVE, $HALF, $YEAR)" \
    '[ "$KEPT" = "1,097" ] && [ "$ACTIVE" = "1,227" ] && [ "$YEAR" = "79.93%" ]'

run "$CVKIT" run --set out="$TMP/en" "$ROOT/examples/demo.lua"
check "demo runs" '[ $rc -eq 0 ] && [ -s "$TMP/en/report.html" ]'
check "the console gives the period-to-period retention" \
    'out_has "retention: $KEPT of the $ACTIVE buyers of January to June bought again in July to December ($HALF); per year $HALF² = $YEAR"'
check "the report says how retention was measured" \
    'grep -qF "Retention is measured period to period: of the $ACTIVE customers who bought in January to June, $KEPT bought again in July to December, $HALF per half-year; a year is two half-years, so the yearly retention is $HALF² = $YEAR." "$TMP/en/report.html"'
check "the report no longer takes the share of repeat buyers" '! grep -q "repeat buyers" "$TMP/en/report.html"'
HEAT=$(ls "$TMP/en/charts/"*heatmap.svg)
check "the grid has the base retention and margin, marked" \
    'grep -qF ">$YEAR (base)<" "$HEAT" && grep -qF ">63.65 (base)<" "$HEAT"'
# the base cell: 63.65 × 0.7993 ÷ (1.1 − 0.7993) = 169.2 (shown to 3 digits)
check "the base cell holds the base CLV" 'grep -qE "= 0\.799, [^=<]+ = 63\.65: 169<" "$HEAT"'

run "$CVKIT" run --lang zh --set out="$TMP/zh" "$ROOT/examples/demo.lua"
check "demo in Chinese runs" '[ $rc -eq 0 ]'
check "the Chinese report says how retention was measured" \
    'grep -qF "保留率按相邻两期计算：1 月至 6 月购买过的 $ACTIVE 位客户中，$KEPT 位在 7 月至 12 月再次购买，每半年的保留率为 $HALF；一年为两个半年，故年保留率为 $HALF² = $YEAR。" "$TMP/zh/report.html"'
HEAT=$(ls "$TMP/zh/charts/"*heatmap.svg)
check "the Chinese grid marks the base" \
    'grep -qF ">$YEAR（基准）<" "$HEAT" && grep -qF ">63.65（基准）<" "$HEAT"'
finish
