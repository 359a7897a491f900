#!/bin/sh
# End-to-end tests of numbers by kind in written workbooks: an XLSX column of a known kind
# gets the number format of its kind (money "#,##0.00", share "0.00%", count "#,##0", rate
# a percentage with the decimals its values need), read back from the sheet and styles XML
# as test_write.sh does; the cells keep the full value. Skipped without unzip and xmllint.
. "$(dirname "$0")/lib.sh"


script k.lua 'local t = cv.table{ { "customer", { 7, 12 } }, { "clv", { 1234.5, 99.99 } },
   { "p_alive", { 0.25, 0.123456 } }, { "orders", { 3, 12000 } },
   { "discount", { 0.1, 0.15 } },
   { "churn", { 0.0825, 0.1 } }, { "plain", { 1234.5, 99.99 } } }
   :kind { clv = "money", p_alive = "share", orders = "count", discount = "rate", churn = "rate" }
t:write(arg[1] .. "/k.xlsx")
t:write(arg[1] .. "/k.csv")
print("done")'
run "$CVKIT" run "$TMP/k.lua" "$TMP"
check "the workbook is written" 'out_is "done" && [ -s "$TMP/k.xlsx" ]'
check "the csv keeps the values (kinds are display only)" \
    '[ "$(sed -n 3p "$TMP/k.csv")" = "12,99.99,0.123456,12000,0.15,0.1,99.99" ]'

if command -v unzip >/dev/null 2>&1 && command -v xmllint >/dev/null 2>&1; then
    unzip -p "$TMP/k.xlsx" xl/worksheets/sheet1.xml >"$TMP/s1.xml"
    unzip -p "$TMP/k.xlsx" xl/styles.xml >"$TMP/styles.xml"
    # fmt_of CELL: the number format code of a cell, through its style (cellXfs) and numFmt
    fmt_of() {
        s=$(xmllint --xpath "string(//*[local-name()='c'][@r='$1']/@s)" "$TMP/s1.xml")
        [ -n "$s" ] || { echo General; return; }
        id=$(xmllint --xpath "string(//*[local-name()='cellXfs']/*[local-name()='xf'][$((s + 1))]/@numFmtId)" "$TMP/styles.xml")
        code=$(xmllint --xpath "string(//*[local-name()='numFmt'][@numFmtId='$id']/@formatCode)" "$TMP/styles.xml")
        # built-in formats have no numFmt element: 3 is "#,##0", 9 "0%", 10 "0.00%"
        [ -n "$code" ] || case $id in 3) code="#,##0" ;; 4) code="#,##0.00" ;; 9) code="0%" ;; 10) code="0.00%" ;; *) code="builtin $id" ;; esac
        echo "$code"
    }
    check "a money column shows as #,##0.00" '[ "$(fmt_of B2)" = "#,##0.00" ] && [ "$(fmt_of B3)" = "#,##0.00" ]'
    check "a share column shows as 0.00%" '[ "$(fmt_of C2)" = "0.00%" ]'
    check "the share cell holds the full value" 'grep -q "<c r=\"C3\"[^>]*><v>0.123456</v>" "$TMP/s1.xml"'
    check "a count column shows as #,##0" '[ "$(fmt_of D3)" = "#,##0" ]'
    check "rates of whole percents show as 0%" '[ "$(fmt_of E2)" = "0%" ]'
    check "rates that need two decimals show as 0.00%" '[ "$(fmt_of F2)" = "0.00%" ]'
    check "a column without a kind keeps the inferred format (#,##0.00)" '[ "$(fmt_of G2)" = "#,##0.00" ]'
else
    echo "skip  unzip or xmllint not installed"
fi

finish
