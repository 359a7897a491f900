#!/bin/sh
# End-to-end tests of what cvkit writes: t:write("x.xlsx") read back from its sheet XML
# (numbers, number formats by column kind, the frozen header row), folders made as needed
# for tables, reports and charts, inside the sandbox's output folder only, and the demo's
# customers.csv without float noise. The XLSX checks are skipped without unzip and xmllint
# (.ci/run installs them).
. "$(dirname "$0")/lib.sh"
ROOT=${TOP:-$PWD}

# ---- t:write by extension, into folders that do not exist yet -------------------------------
script w.lua 'local dir = arg[1]
local t = cv.table{ { "customer_id", { 7, 12 } }, { "revenue", { 1234.5, 99.99 } },
   { "p_alive", { 0.25, 0.123456 } }, { "orders", { 3.0, 4.0 } },
   { "first", { "2024-01-31", "2024-02-29" }, "date" }, { "name", { "a", "b" } } }
t:write(dir .. "/x/y/t.xlsx")
t:write(dir .. "/x/t.csv")
t:write(dir .. "/x/t.tsv")
t:write(dir .. "/x/t.json")
local r = cv.report { title = "t", sections = { { chart = cv.chart.bar { categories = { "a" }, values = { 1 } } } } }
r:save(dir .. "/rep/r.html")
r:save_charts(dir .. "/rep/charts/svg")
print("done")'
run "$CVKIT" run "$TMP/w.lua" "$TMP/o"
check "t:write and report:save make their folders" 'out_is "done"'
check "the csv, tsv, json and xlsx are there" '[ -s "$TMP/o/x/t.csv" ] && [ -s "$TMP/o/x/t.tsv" ] && [ -s "$TMP/o/x/t.json" ] && [ -s "$TMP/o/x/y/t.xlsx" ]'
check "the csv holds the shortest exact numbers" \
    '[ "$(sed -n 2p "$TMP/o/x/t.csv")" = "7,1234.5,0.25,3,2024-01-31,a" ]'
check "report and charts in new folders" '[ -s "$TMP/o/rep/r.html" ] && ls "$TMP/o/rep/charts/svg/"*.svg >/dev/null 2>&1'
no_temp=$(find "$TMP/o" -name "*.tmp-*" | wc -l)
check "no temporary files left" '[ "$no_temp" -eq 0 ]'

if command -v unzip >/dev/null 2>&1 && command -v xmllint >/dev/null 2>&1; then
    unzip -p "$TMP/o/x/y/t.xlsx" xl/worksheets/sheet1.xml >"$TMP/s1.xml"
    unzip -p "$TMP/o/x/y/t.xlsx" xl/styles.xml >"$TMP/styles.xml"
    # fmt_of CELL: the number format code of a cell, through its style (cellXfs) and numFmt
    fmt_of() {
        s=$(xmllint --xpath "string(//*[local-name()='c'][@r='$1']/@s)" "$TMP/s1.xml")
        [ -n "$s" ] || { echo General; return; }
        id=$(xmllint --xpath "string(//*[local-name()='cellXfs']/*[local-name()='xf'][$((s + 1))]/@numFmtId)" "$TMP/styles.xml")
        xmllint --xpath "string(//*[local-name()='numFmt'][@numFmtId='$id']/@formatCode)" "$TMP/styles.xml"
    }
    check "the sheet is well-formed XML" 'xmllint --noout "$TMP/s1.xml"'
    check "the header row is frozen" \
        '[ "$(xmllint --xpath "string(//*[local-name()=\"pane\"]/@state)" "$TMP/s1.xml")" = frozen ] && [ "$(xmllint --xpath "string(//*[local-name()=\"pane\"]/@ySplit)" "$TMP/s1.xml")" = 1 ]'
    check "revenue is the number 1234.5" 'grep -q "<c r=\"B2\"[^>]*><v>1234.5</v>" "$TMP/s1.xml"'
    check "an int column shows as an integer (0)" '[ "$(fmt_of A2)" = "0" ]'
    check "money shows with two decimals and thousands (#,##0.00)" '[ "$(fmt_of B2)" = "#,##0.00" ]'
    check "a share shows with four decimals (0.0000)" '[ "$(fmt_of C3)" = "0.0000" ]'
    check "whole floats show as integers (0)" '[ "$(fmt_of D2)" = "0" ]'
    check "a date shows as yyyy-mm-dd and is Excel day 45322" \
        '[ "$(fmt_of E2)" = "yyyy-mm-dd" ] && grep -q "<c r=\"E2\"[^>]*><v>45322</v>" "$TMP/s1.xml"'
    check "text has no number format" '[ "$(fmt_of F2)" = "General" ]'
else
    echo "skip  unzip or xmllint not installed"
fi

# ---- the sandbox: folders only inside the output folder -----------------------------------------
script sb.lua 'local t = cv.table{ { "a", { 1 } } }
t:write(arg[1] .. "/sb/new/deeper/t.csv")
local ok, msg = pcall(t.write, t, arg[1] .. "/elsewhere/new/t.csv")
print(ok, msg)'
run "$CVKIT" run --sandbox --out-dir "$TMP/sb" "$TMP/sb.lua" "$TMP"
check "inside --out-dir: the folders are made" '[ -s "$TMP/sb/new/deeper/t.csv" ]'
check "outside: refused" 'out_has "false" && out_has "outside the output folder"'
check "outside: no folder made" '[ ! -e "$TMP/elsewhere" ]'

# ---- the demo's customers.csv: sums of prices without float noise -----------------------------
run "$CVKIT" run --set out="$TMP/demo" "$ROOT/examples/demo.lua"
check "demo runs" '[ $rc -eq 0 ]'
noisy=$(grep -cE '\.[0-9]*0{6,}[1-9]|9{6,}' "$TMP/demo/customers.csv" || true)
check "customers.csv has no float noise (911.07, not 911.0699999999999)" '[ "$noisy" -eq 0 ]'
check "customer C0888's revenue is 911.07" 'grep -q "^C0888,15,911.07," "$TMP/demo/customers.csv"'

finish
