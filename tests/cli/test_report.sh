#!/bin/sh
# End-to-end tests of reports and scenarios as a person sees them: the demo's report opened
# in headless Chromium (screenshot not blank, no console errors), every chart a well-formed
# SVG (xmllint), the XLSX read back from its sheet XML with numbers and dates intact, and
# `cvkit scenarios` with --only and --out. The browser checks are skipped when chromium,
# xmllint, unzip or ImageMagick's identify is missing (.ci/run installs them).
. "$(dirname "$0")/lib.sh"
ROOT=${TOP:-$PWD}

# ---- the demo writes its report, charts and workbook ----------------------------------------
run "$CVKIT" run --set out="$TMP/out" "$ROOT/examples/demo.lua"
check "demo runs" '[ $rc -eq 0 ]'
check "demo says where the report is" \
    'out_has "wrote $TMP/out/report.html, $TMP/out/report.xlsx and 14 charts in $TMP/out/charts/"'
check "report written" '[ -s "$TMP/out/report.html" ]'
check "report is self-contained (no scripts, no links out)" \
    '! grep -qiE "<script|<link|src=\"http|url\(http" "$TMP/out/report.html"'
check "report has print css and a CJK font stack" \
    'grep -q "@media print" "$TMP/out/report.html" && grep -q "Noto Sans CJK SC" "$TMP/out/report.html"'
n=$(ls "$TMP/out/charts"/*.svg 2>/dev/null | wc -l)
check "14 charts saved alone as SVG" '[ "$n" -eq 14 ]'
for kind in line stacked_bar bar tracking scatter lorenz histogram whale tornado heatmap; do
    check "a $kind chart" 'ls "$TMP/out/charts"/*-$kind.svg >/dev/null 2>&1'
done
no_temp=$(ls "$TMP/out" | grep -c "tmp-" || true)
check "no temporary files left" '[ "$no_temp" -eq 0 ]'

if command -v xmllint >/dev/null 2>&1; then
    bad=0
    for f in "$TMP/out/charts"/*.svg; do
        xmllint --noout "$f" 2>>"$ERR" || bad=$((bad + 1))
    done
    check "every SVG is well-formed XML" '[ $bad -eq 0 ]'
    # the same charts inline in the page: cut each <svg>...</svg> out and parse it
    awk '/<svg /{on=1; n++; f=sprintf("'"$TMP"'/inline-%02d.svg", n)} on{print > f} /<\/svg>/{on=0}' \
        "$TMP/out/report.html"
    bad=0
    for f in "$TMP"/inline-*.svg; do
        xmllint --noout "$f" 2>>"$ERR" || bad=$((bad + 1))
    done
    ninline=$(ls "$TMP"/inline-*.svg | wc -l)
    check "the 14 inline SVGs of the page are well-formed" '[ $bad -eq 0 ] && [ "$ninline" -eq 14 ]'
else
    echo "skip  xmllint not installed"
fi

# ---- the workbook: numbers as numbers, dates as dates ------------------------------------------
if command -v unzip >/dev/null 2>&1; then
    unzip -p "$TMP/out/report.xlsx" xl/workbook.xml >"$TMP/wb.xml"
    check "five sheets by name" 'grep -q "name=\"channels\"" "$TMP/wb.xml" && grep -q "name=\"customers\"" "$TMP/wb.xml" && grep -q "name=\"monte carlo\"" "$TMP/wb.xml"'
    unzip -p "$TMP/out/report.xlsx" xl/worksheets/sheet1.xml >"$TMP/s1.xml"
    # 微信's revenue and orders (the demo's channel table): numbers, not text
    check "channel revenue is the number 113370.19" 'grep -q "<v>113370.19</v>" "$TMP/s1.xml"'
    check "channel orders is the number 2602" 'grep -q "<c r=\"C2\"[^>]*><v>2602</v>" "$TMP/s1.xml"'
    unzip -p "$TMP/out/report.xlsx" xl/worksheets/sheet2.xml >"$TMP/s2.xml"
    # the best customer C0071: revenue 1296.62, first purchase 2024-03-12 = Excel day 45363
    # (2024-01-01 is day 45292, plus 71 days)
    check "customer revenue intact" 'grep -q "<c r=\"C2\"[^>]*><v>1296.62</v>" "$TMP/s2.xml"'
    check "a date is an Excel date number with a date style" \
        'grep -qE "<c r=\"D2\" s=\"[0-9]+\"><v>45363</v>" "$TMP/s2.xml"'
    unzip -p "$TMP/out/report.xlsx" xl/styles.xml >"$TMP/styles.xml"
    check "the date style is yyyy-mm-dd" 'grep -q "formatCode=\"yyyy-mm-dd\"" "$TMP/styles.xml"'
else
    echo "skip  unzip not installed"
fi

# ---- the page in a browser ----------------------------------------------------------------------
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$BROWSER" ] && command -v identify >/dev/null 2>&1; then
    # shot HTML PNG LOG: a headless screenshot with the console on stderr
    shot() {
        ud=$(mktemp -d "$TMP/chrome.XXXXXX")
        timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$ud" --enable-logging=stderr --v=0 --hide-scrollbars \
            --window-size=1100,2400 --screenshot="$2" "file://$1" >"$3" 2>&1
        rc=$?
        rm -rf "$ud"
    }
    # a control: a page with a script error must be caught by the console check
    printf '<!DOCTYPE html><html><body><p>x</p><script>nosuchfunction();</script></body></html>\n' \
        >"$TMP/bad.html"
    shot "$TMP/bad.html" "$TMP/bad.png" "$TMP/bad.log"
    check "the console check catches an uncaught error" \
        'grep -qE "Uncaught|ERROR:CONSOLE|CONSOLE" "$TMP/bad.log"'
    shot "$TMP/out/report.html" "$TMP/shot.png" "$TMP/chrome.log"
    check "chromium renders the report" '[ $rc -eq 0 ] && [ -s "$TMP/shot.png" ]'
    check "no console errors" '! grep -qE "Uncaught|ERROR:CONSOLE|CONSOLE\(" "$TMP/chrome.log"'
    colours=$(identify -format '%k' "$TMP/shot.png" 2>/dev/null || echo 0)
    check "the screenshot is not blank ($colours colours)" '[ "$colours" -gt 200 ]'
    # a blank page has one colour: the check tells them apart
    printf '<!DOCTYPE html><html><body></body></html>\n' >"$TMP/blank.html"
    shot "$TMP/blank.html" "$TMP/blank.png" "$TMP/blank.log"
    blank=$(identify -format '%k' "$TMP/blank.png" 2>/dev/null || echo 0)
    check "a blank page counts as blank ($blank colours)" '[ "$blank" -le 2 ]'
    # the Chinese report renders too
    run "$CVKIT" run --lang zh --set out="$TMP/zh" "$ROOT/examples/demo.lua"
    check "demo in Chinese runs" '[ $rc -eq 0 ] && grep -q "情景" "$TMP/zh/report.html"'
    shot "$TMP/zh/report.html" "$TMP/zh.png" "$TMP/zh.log"
    zc=$(identify -format '%k' "$TMP/zh.png" 2>/dev/null || echo 0)
    check "the Chinese report renders ($zc colours)" '[ "$zc" -gt 200 ]'
else
    echo "skip  chromium or ImageMagick not installed: browser checks left out"
fi

# ---- cvkit scenarios -----------------------------------------------------------------------------
S="$ROOT/examples/scenarios/retention.lua"
run "$CVKIT" scenarios "$S"
check "scenarios runs every variant" '[ $rc -eq 0 ] && out_has "retention +10 pts" && out_has "margin -10%"'
# base 120 × 0.75 ÷ 0.35 = 257.14; +5 pts 120 × 0.8 ÷ 0.3 = 320 (+62.86, +24.44%)
check "side by side by hand" 'grep -qE "^retention \+5 pts +320\.00 +62\.86 +24\.44 +298\.67 +41\.52 +16\.15$" "$OUT"'
run "$CVKIT" scenarios "$S" --only "margin -10%"
check "--only after the file selects a variant" '[ $rc -eq 0 ] && out_has "margin -10%" && ! out_has "retention +10 pts   "'
run "$CVKIT" scenarios --only "retention +5 pts,margin -10%" "$S"
check "--only before the file, two variants" \
    'grep -q "^retention +5 pts " "$OUT" && grep -q "^margin -10% " "$OUT" && ! grep -q "^retention +10 pts " "$OUT"'
run "$CVKIT" scenarios "$S" --only nope
check "an unknown variant is named" '[ $rc -ne 0 ] && err_has "no scenario '"'"'nope'"'"' (known: base, retention +5 pts, retention +10 pts, margin -10%)"'
run "$CVKIT" scenarios --out "$TMP/sc" "$S"
check "--out writes the tables and the report" \
    '[ $rc -eq 0 ] && [ -s "$TMP/sc/scenarios_retention.csv" ] && [ -s "$TMP/sc/scenarios_retention.html" ] && [ -s "$TMP/sc/scenarios_retention.xlsx" ]'
check "the long table keeps full precision" \
    'grep -qE "^retention \+5 pts,clv,(320|319\.9999999999)[0-9]*,257\.142857142857[0-9]*,62\.857142857142[0-9]*,24\.4444444444" "$TMP/sc/scenarios_retention.csv"'
run "$CVKIT" scenarios --only
check "--only needs a value" '[ $rc -eq 2 ] && err_has "option '"'"'--only'"'"' needs a value"'
run "$CVKIT" help scenarios
check "help scenarios" '[ $rc -eq 0 ] && out_has "--only NAME,..."'

# ---- the scenario models ------------------------------------------------------------------------
run "$CVKIT" run "$ROOT/models/scenario_retention.lua" --set out="$TMP/m/ret.html"
check "scenario_retention runs and writes its report" '[ $rc -eq 0 ] && [ -s "$TMP/m/ret.html" ] && [ -s "$TMP/m/ret.csv" ]'
# 100 × 0.8 ÷ 0.3 = 266.67 against 100 × 0.75 ÷ 0.35 = 214.29: +52.38, +24.44%
check "retention +5 pts by hand" 'grep -qE "^clv +retention \+5 pts +266\.67 +52\.38 +24\.44$" "$OUT"'
# (100 − c) × 0.8 ÷ 0.3 = 214.2857 gives c = 19.64
check "the programme cost that still pays, by hand" \
    'out_has "retention +5 pts pays while the programme costs less than 19.64 per customer-year"'
run "$CVKIT" run "$ROOT/models/scenario_cac_payback.lua" --set out="$TMP/m/cac.html"
check "scenario_cac_payback runs and writes its report" '[ $rc -eq 0 ] && [ -s "$TMP/m/cac.html" ]'
# ln(1 − 300 × 0.03 ÷ 25) ÷ ln(0.97) = 14.65 months; 25 × (1 − 0.97^18) ÷ 0.03 = 351.71
check "payback by hand" 'grep -qE "^payback_months +base +14\.65 " "$OUT"'
check "the highest CAC paying back in 18 months, by hand" \
    'out_has "CAC pays back within 18 months up to 351.71 (closed form 351.71); profit stays positive up to 833.33"'
run "$CVKIT" models
check "cvkit models lists them" 'out_has "scenario_retention" && out_has "scenario_cac_payback"'

finish
