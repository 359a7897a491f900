#!/bin/sh
# End-to-end: the model scripts read workbooks and European exports with the reading
# options given as --set (docs/lua-api.md, "Reading files"; issue 17).
. tests/cli/lib.sh

run "$CVKIT" run models/clv_simple.lua --data tests/data/books/tx_european.csv \
    --set decimal_comma=true --out "$TMP/eu.csv"
check "a European export through --set decimal_comma=true" \
    '[ $rc -eq 0 ] && grep -qx "007,2,2234.56,1117.28,2,11172.8" "$TMP/eu.csv"'

run "$CVKIT" run models/clv_simple.lua --data tests/data/books/book.xlsx --set sheet=Orders \
    --set date=order_date --out "$TMP/x.csv"
check "an .xlsx sheet through --set sheet=Orders" \
    '[ $rc -eq 0 ] && grep -qx "007,2,1354.75,677.375,2,6773.75" "$TMP/x.csv"'

run "$CVKIT" run models/clv_simple.lua --data tests/data/books/tx_european.csv \
    --set decimal_comma=maybe
check "a bad reading option value names the option" \
    '[ $rc -eq 2 ] && err_has "reading option '"'"'decimal_comma'"'"' expects true or false, got '"'"'maybe'"'"'"'

run "$CVKIT" run models/clv_simple.lua --data tests/data/books/book.xlsx --set sheet=Costs \
    --set date=activity
check "an error cell is placed at its cell" \
    '[ $rc -eq 4 ] && err_has "book.xlsx:Costs!C4: expected a value, found the error #DIV/0!"'

finish
