#!/bin/sh
# --out of the model scripts (lua/cv/script.lua, one mechanism for every models/*.lua):
# .csv .tsv .json .md .xlsx write the result table, .html a self-contained report (the
# model's title in the current language, the result table, what the run printed); the
# path is checked before any work starts (exit 2 naming --out). And the reading options
# given with --set reach the costing models (lua/cv/costing.lua's read option).
. tests/cli/lib.sh
EX=examples/b2b
ABC="models/cost_to_serve_abc.lua --data $EX/orders.csv --set service=$EX/service.csv
    --set activities=$EX/activities.csv"

# HTML: the report holds the result table (B0220 costs 20,458.32 to serve: test_costing.sh's
# worked total, the most expensive customer) and the lines the run printed.
run "$CVKIT" run $ABC --out "$TMP/r/abc.html"
check "abc --out .html runs and says so" '[ $rc -eq 0 ] && out_has "wrote $TMP/r/abc.html (400 customers)"'
check "the report has the model's title" \
    'grep -qF "<h1>cost to serve per customer by activity-based costing" "$TMP/r/abc.html"'
check "the report holds the result table (400 customers + header) and the printed activities (7 + header)" \
    '[ "$(grep -c "<tr>" "$TMP/r/abc.html")" -eq 409 ] && grep -qF "<td>B0220</td>" "$TMP/r/abc.html" &&
     grep -qF ">20,458.32<" "$TMP/r/abc.html"'
check "the report holds what the run printed" \
    'grep -qF "most expensive to serve: B0220 (20,458.32)" "$TMP/r/abc.html"'
check "the report is self-contained (no external URL, no script)" \
    '! grep -qiE "https?://|<script|<link" "$TMP/r/abc.html"'
check "no CSV is written for an HTML --out" '[ ! -e "$TMP/r/abc.csv" ]'

run "$CVKIT" run --lang zh $ABC --out "$TMP/r/abc_zh.html"
check "--lang zh: the report's title, headings and lines are Chinese" \
    '[ $rc -eq 0 ] && grep -qF "<h1>按作业成本法" "$TMP/r/abc_zh.html" &&
     grep -qF ">结果</h2>" "$TMP/r/abc_zh.html" && grep -qF "服务成本最高的客户：B0220" "$TMP/r/abc_zh.html"'

# A model through cv.fit (ctx.write in lua/cv/fit.lua) as a report too.
run "$CVKIT" run models/clv_bgnbd.lua --data examples/data/transactions.csv --out "$TMP/r/clv.html"
check "clv_bgnbd --out .html: 2,000 customers, the first 1,000 rows shown" \
    '[ $rc -eq 0 ] && out_has "(2,000 customers)" && [ "$(grep -c "<tr>" "$TMP/r/clv.html")" -ge 1001 ] &&
     grep -qF "1,000 more rows" "$TMP/r/clv.html"'

# A run that fails under an HTML --out fails as without it (its place, its code), no report.
run "$CVKIT" run models/clv_simple.lua --data "$TMP/missing.csv" --out "$TMP/r/fail.html"
check "a failing run with --out .html: exit 3, the message alone (a bundled model), no report" \
    '[ $rc -eq 3 ] && err_line1_is "cvkit: $TMP/missing.csv: cannot open the file: no such file or directory" &&
     [ ! -e "$TMP/r/fail.html" ]'

# XLSX: a workbook of the result table.
run "$CVKIT" run $ABC --out "$TMP/r/abc.xlsx"
check "abc --out .xlsx is a workbook" \
    '[ $rc -eq 0 ] && unzip -l "$TMP/r/abc.xlsx" | grep -qF "xl/worksheets/sheet1.xml"'
check "its sheet holds the 400 customers and the header" \
    '[ "$(unzip -p "$TMP/r/abc.xlsx" xl/worksheets/sheet1.xml | grep -o "<row " | wc -l)" -eq 401 ]'

# JSON, TSV, Markdown by extension.
run "$CVKIT" run $ABC --out "$TMP/r/abc.json"
check "--out .json: 400 objects" '[ $rc -eq 0 ] && [ "$(grep -o "\"customer_id\"" "$TMP/r/abc.json" | wc -l)" -eq 400 ]'
run "$CVKIT" run $ABC --out "$TMP/r/abc.tsv"
check "--out .tsv: a header and 400 rows, tab-separated" \
    '[ $rc -eq 0 ] && [ "$(wc -l <"$TMP/r/abc.tsv")" -eq 401 ] && head -n 1 "$TMP/r/abc.tsv" | grep -q "^customer_id	"'

# A scenario model (its own report sections) writes its table for a table --out.
run "$CVKIT" run models/scenario_retention.lua --set draws=500 --out "$TMP/r/ret.md"
check "scenario_retention --out .md writes the scenario table, no report" \
    '[ $rc -eq 0 ] && grep -qF "| metric" "$TMP/r/ret.md" && [ ! -e "$TMP/r/ret.html" ]'

# Checked before any work starts: --data points at a missing file, the error is --out's.
run "$CVKIT" run models/cost_to_serve_abc.lua --data "$TMP/missing.csv" --set activities=x.csv \
    --out "$TMP/r/abc.pdf"
check "--out .pdf fails at once with exit 2, before the data is read" \
    '[ $rc -eq 2 ] && err_has "--out '"'"'$TMP/r/abc.pdf'"'"': unknown output format" &&
     ! err_has "missing.csv" && [ ! -e "$TMP/r/abc.pdf" ]'
run "$CVKIT" run models/clv_bgnbd.lua --data "$TMP/missing.csv" --out "$TMP/r/noext"
check "--out without an extension: exit 2" '[ $rc -eq 2 ] && err_has "--out" && err_has "unknown output format"'
: >"$TMP/afile"
run "$CVKIT" run models/clv_bgnbd.lua --data "$TMP/missing.csv" --out "$TMP/afile/sub/r.html"
check "--out in a folder that cannot be made: exit 2 naming --out" \
    '[ $rc -eq 2 ] && err_has "--out '"'"'$TMP/afile/sub/r.html'"'"'" && ! err_has "missing.csv"'
mkdir -p "$TMP/box"
run "$CVKIT" run --sandbox --out-dir "$TMP/box" models/clv_bgnbd.lua --data "$TMP/missing.csv" \
    --out "$TMP/elsewhere.html"
check "--out outside the sandbox's folder: exit 2 naming --out" \
    '[ $rc -eq 2 ] && err_has "--out '"'"'$TMP/elsewhere.html'"'"'" && err_has "(sandbox)" &&
     ! err_has "missing.csv"'
CVKIT_LANG=zh run "$CVKIT" run models/clv_bgnbd.lua --data "$TMP/missing.csv" --out "$TMP/r.pdf"
check "the --out error in Chinese" '[ $rc -eq 2 ] && err_has "未知的输出格式"'

# Reading options reach the costing models: European orders (semicolons, decimal commas,
# customer ids 007 and 7 kept apart) with Menge 1.000 = 1000 under decimal_comma = true.
# Customer 12: Menge 3 + 1000 = 1003 at rate 1, Betrag 1,234.00 + 0.99 = 1,234.99 at rate
# 0.01 = 12.3499; cost to serve 1,015.3499.
printf 'activity,driver,rate\nhandling,Menge,1\nbilling,Betrag,0.01\n' >"$TMP/act.csv"
EU="models/cost_to_serve_abc.lua --data tests/data/books/european.csv --set customer=Kunde
    --set sums=Menge,Betrag --set activities=$TMP/act.csv"
run "$CVKIT" run $EU --set decimal_comma=true --out "$TMP/eu.csv"
check "a costing model reads a European file with --set decimal_comma=true" \
    '[ $rc -eq 0 ] && grep -qx "12,1234.99,1003,2,1003,12.3499,1015.3499" "$TMP/eu.csv" &&
     grep -qx "007,1234.56,1,1,1,12.3456,13.3456" "$TMP/eu.csv" && grep -qx "7,12.5,2,1,2,0.125,2.125" "$TMP/eu.csv"'
run "$CVKIT" run $EU --out "$TMP/eu2.csv"
check "without the option the ambiguous 1.000 is an error naming decimal_comma" \
    '[ $rc -ne 0 ] && err_has "decimal_comma = true reads 1000" && [ ! -e "$TMP/eu2.csv" ]'
run "$CVKIT" run models/customer_pnl.lua --data tests/data/books/european.csv --set customer=Kunde \
    --set sums=Menge,Betrag --set activities="$TMP/act.csv" --set revenue=Betrag --set product= \
    --set concessions= --set acquisition= --set retention= --set segment= --set decimal_comma=true \
    --out "$TMP/pnl.csv"
check "customer_pnl too: customer 12's profit is 1,234.99 - 1,015.3499 = 219.6401" \
    '[ $rc -eq 0 ] && grep -q "^12,.*,219.6401" "$TMP/pnl.csv"'
printf 'Kunde;Anrufe\n12;1.000\n007;2\n' >"$TMP/service.csv"
printf 'resource,cost,capacity\nstaff,2000,2000\n' >"$TMP/res.csv"
printf 'activity,resource,base,events,terms\ncalls,staff,0,,1 per Anrufe\n' >"$TMP/tact.csv"
run "$CVKIT" run models/cost_to_serve_tdabc.lua --data tests/data/books/european.csv \
    --set customer=Kunde --set sums=Menge --set service="$TMP/service.csv" --set decimal_comma=true \
    --set resources="$TMP/res.csv" --set activities="$TMP/tact.csv" --out "$TMP/td.csv"
check "cost_to_serve_tdabc: the joined European file read the same way (12: 1,000 calls at 1 a minute)" \
    '[ $rc -eq 0 ] && grep -q "^12,.*,1000$" "$TMP/td.csv"'

finish
