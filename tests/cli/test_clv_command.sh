#!/bin/sh
# `cvkit clv FILE` (src/cli/cmd_clv.c running models/clv.lua): the models fitted and
# compared, every customer's P(alive), expected transactions, spend and CLV in CSV and XLSX,
# the report with diagnostics in English and Chinese; one customer's values equal those of
# cv.fit + m:clv computed here; the columns detected by name or refused with the option to
# give; misspelt options refused with the closest one (exit 2); --out checked before work.
. tests/cli/lib.sh
D=${CVKIT_DATA:-../shared/data}
CD="$D/CDNOW_sample.txt --header false --delim space --customer V2 --date V3 --amount V5
    --calibration-end 1997-09-30 --observation-end 1998-06-30"

run "$CVKIT" clv $CD --out "$TMP/cd"
check "CDNOW: runs and writes the three files" \
    '[ $rc -eq 0 ] && [ -s "$TMP/cd/customers.csv" ] && [ -s "$TMP/cd/customers.xlsx" ] &&
     [ -s "$TMP/cd/report.html" ]'
check "the CSV's columns, one row per customer (2,357)" \
    '[ "$(head -n 1 "$TMP/cd/customers.csv")" = "customer,x,t_x,T,p_alive,conditional,dtx,spend,clv,x_holdout" ] &&
     [ "$(wc -l <"$TMP/cd/customers.csv")" -eq 2358 ]'
check "the console: the winner by the holdout MAE, the totals, the files" \
    'out_has "chosen: Pareto/NBD by the lowest MAE (0.7545; BG/NBD: 0.7855)" &&
     out_has "2,357 customers, CLV over 52 weeks at 15% a year: total 71,778.05" &&
     out_has "wrote $TMP/cd/customers.csv, $TMP/cd/customers.xlsx, $TMP/cd/report.html"'
check "the report: comparison and both models' diagnostics" \
    'grep -qF "Models compared" "$TMP/cd/report.html" &&
     grep -qF "Diagnostics: BG/NBD" "$TMP/cd/report.html" &&
     grep -qF "Diagnostics: Pareto/NBD" "$TMP/cd/report.html"'

# customer 0157, computed independently with cv.fit and m:clv
script indep.lua 'local cv = require "cv"
local s = cv.summary_csv("'"$D"'/CDNOW_sample.txt", { header = false, delim = "space",
   customer = "V2", date = "V3", amount = "V5", types = { V3 = "date" }, unit = "week",
   calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true })
local m = cv.fit("pareto_nbd", s, { unit = "week" })
local gg = cv.fit("gammagamma", s, { quiet = true })
local c = m:conditional(m:clv(s, { spend = gg, margin = 1, horizon = 52, discount = 0.15,
   unit = "week" }), 52)
local r = c:filter("customer", "==", "0157")
local w = cv.read_csv("'"$TMP"'/cd/customers.csv", { types = { customer = "string" } })
local q = w:filter("customer", "==", "0157")
for _, k in ipairs { "p_alive", "conditional", "spend", "clv" } do
   local a, b = r:col(k)[1], q:col(k)[1]
   assert(math.abs(a - b) <= 1e-9 * math.max(1, math.abs(a)), k .. ": " .. a .. " vs " .. b)
end
print(string.format("ok %.2f", q:col("clv")[1]))'
run "$CVKIT" run "$TMP/indep.lua"
check "customer 0157: P(alive), expected transactions, spend and CLV as cv.fit + m:clv give" \
    '[ $rc -eq 0 ] && out_is "ok 616.03"'

run "$CVKIT" clv --lang zh $CD --out "$TMP/zh"
sed -e '/<style>/,/<\/style>/d' -e '/<script/,/<\/script>/d' -e "s|$D/CDNOW_sample.txt||g" \
    -e 's/<[^>]*>/\n/g' "$TMP/zh/report.html" |
    sed -e 's/&amp;/\&/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e '/^[[:space:]]*$/d' >"$TMP/text"
grep -oE "[A-Za-z]{2,}" "$TMP/text" |
    grep -vxE "BG|NBD|Pareto|Gamma|CLV|AIC|BIC|MAE|RMSE|Brier|cvkit|Fader|Hardie|Lee|Schmittlein|Morrison|Colombo" |
    sort -u >"$TMP/english"
check "--lang zh: the report in Chinese, no English outside the names kept ($(tr '\n' ' ' <"$TMP/english"))" \
    '[ $rc -eq 0 ] && [ ! -s "$TMP/english" ] && grep -qx "模型比较" "$TMP/text" &&
     grep -qx "存活概率" "$TMP/text" && out_has "选用 Pareto/NBD：MAE 最低"'

AP="$D/apparelTrans.csv --calibration-end 2005-10-08 --observation-end 2010-12-20"
run "$CVKIT" clv $AP --out "$TMP/app"
check "apparel: columns detected by name, the holdout's MAE chooses, 600 customers" \
    '[ $rc -eq 0 ] && out_has "columns (detected by name where not given): customer Id, date Date, amount Price" &&
     out_has "chosen: Pareto/NBD by the lowest MAE" && [ "$(wc -l <"$TMP/app/customers.csv")" -eq 601 ] &&
     [ -s "$TMP/app/report.html" ] && [ -s "$TMP/app/customers.xlsx" ]'
script indep2.lua 'local cv = require "cv"
local s = cv.summary_csv("'"$D"'/apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", types = { Date = "date" }, unit = "week", calibration_end = "2005-10-08",
   quiet = true })
local m = cv.fit("pareto_nbd", s, { unit = "week" })
local gg = cv.fit("gammagamma", s, { quiet = true })
local r = m:conditional(m:clv(s, { spend = gg, horizon = 52, discount = 0.15, unit = "week" }),
   52):filter("customer", "==", 73)
local q = cv.read_csv("'"$TMP"'/app/customers.csv"):filter("customer", "==", 73)
for _, k in ipairs { "p_alive", "conditional", "spend", "clv" } do
   local a, b = r:col(k)[1], q:col(k)[1]
   assert(math.abs(a - b) <= 1e-9 * math.max(1, math.abs(a)), k .. ": " .. a .. " vs " .. b)
end
print(string.format("ok %.2f", q:col("clv")[1]))'
run "$CVKIT" run "$TMP/indep2.lua"
check "apparel customer 73: the values of cv.fit(pareto_nbd) + m:clv" '[ $rc -eq 0 ] && out_is "ok 796.83"'
run "$CVKIT" run clv --data "$D/apparelTrans.csv" --set calibration_end=2005-10-08 \
    --set observation_end=2010-12-20 --out "$TMP/app2"
check "cvkit run clv --data is the same job" \
    '[ $rc -eq 0 ] && cmp -s "$TMP/app/customers.csv" "$TMP/app2/customers.csv"'

# the master file: a header (customer_id, date, dollar_value detected) and one customer
# whose repeat purchases all cost 0, left out of the Gamma-Gamma fit with a warning
run "$CVKIT" clv "$D/CDNOW_master.txt" --delim space --calibration-end 1997-09-30 \
    --observation-end 1998-06-30 --out "$TMP/master"
check "CDNOW_master: detected columns, the zero-spend customer said, 23,570 customers written" \
    '[ $rc -eq 0 ] && out_has "customer customer_id, date date, amount dollar_value" &&
     err_has "warning: 1 customer with repeat transactions whose mean repeat spend is 0 (10244) is left out" &&
     [ "$(wc -l <"$TMP/master/customers.csv")" -eq 23571 ] && grep -qF "Diagnostics: Pareto/NBD" "$TMP/master/report.html"'
run "$CVKIT" clv "$D/apparelTrans.csv" --out "$TMP/x.html"
check "--out names a folder: a file name is refused before work" \
    '[ $rc -eq 2 ] && err_has "is a folder for customers.csv" && [ ! -e "$TMP/x.html" ] && ! out_has "BG/NBD"'
run "$CVKIT" clv "$D/CDNOW_sample.txt" --header false --delim space --out "$TMP/x"
check "no column named like a customer: refused naming --customer" \
    '[ $rc -eq 2 ] && err_has "give --customer COLUMN (columns: V1, V2, V3, V4, V5)" && [ ! -e "$TMP/x/customers.csv" ]'
run "$CVKIT" clv "$D/apparelTrans.csv" --observation-end 2006-01-01 --out "$TMP/x"
check "--observation-end without --calibration-end: refused" \
    '[ $rc -eq 2 ] && err_has "--observation-end needs --calibration-end"'
# the bundled cohort (examples/make_clv_data.lua: BG/NBD and Gamma-Gamma draws), 39 + 39 weeks:
# the holdout's actual repeat transactions are its customer-days after the calibration end,
# counted here with awk (the summary merges a customer's purchases of one day); dropout
# shows (some of the top customers well below 100% P(alive)); integer ids are shown as ids
HOLD=$(awk -F, 'NR > 1 && $2 > "2024-09-30" && $2 <= "2025-06-30" { print $1 "," $2 }' \
    examples/data/cohort.csv | sort -u | wc -l)
run "$CVKIT" clv examples/data/cohort.csv --calibration-end 2024-09-30 --observation-end 2025-06-30 \
    --out "$TMP/co"
check "cohort: a 39-week holdout whose actual count is the file's ($HOLD customer-days)" \
    '[ $rc -eq 0 ] && out_has "holdout period: 39 weeks" && [ "$HOLD" -gt 1000 ] &&
     out_has "$(printf "%d,%03d" $((HOLD / 1000)) $((HOLD % 1000)))"'
check "cohort: dropout shows among the 10 of highest CLV (a P(alive) below 80%)" \
    '[ "$(sort -t, -k9 -g -r "$TMP/co/customers.csv" | head -n 10 |
        awk -F, '"'"'$5 < 0.8'"'"' | wc -l)" -ge 1 ]'
check "cohort: the report shows integer customer ids as ids (1974, not 1,974)" \
    'grep -qF "<td>1974</td>" "$TMP/co/report.html" && ! grep -qF ">1,974<" "$TMP/co/report.html"'

# --calibration-end alone: refused, naming --observation-end and the file's last transaction
# date (the last line of `sort` over the bundled file's dates, below), before any file is written
LAST=$(tail -n +2 examples/data/cohort.csv | cut -d, -f2 | sort | tail -n 1)
run "$CVKIT" clv examples/data/cohort.csv --calibration-end 2024-09-30 --out "$TMP/alone"
check "--calibration-end without --observation-end: refused with the last date ($LAST), exit 2" \
    '[ $rc -eq 2 ] && [ "$LAST" = 2025-06-29 ] && [ "$(cat "$ERR")" = "cvkit: --calibration-end 2024-09-30 needs --observation-end (the last day of the holdout period), such as --observation-end $LAST, the file'"'"'s last transaction date" ] &&
     [ ! -e "$TMP/alone/customers.csv" ] && [ ! -e "$TMP/alone/report.html" ]'
run "$CVKIT" clv --lang zh examples/data/cohort.csv --calibration-end 2024-09-30 --out "$TMP/alone"
check "--calibration-end without --observation-end in Chinese: the same, in the catalogue's words" \
    '[ $rc -eq 2 ] && [ "$(cat "$ERR")" = "cvkit: --calibration-end 2024-09-30 需要同时给出 --observation-end（验证期结束日），例如 --observation-end $LAST，即文件中最后一笔交易的日期" ]'
run "$CVKIT" clv examples/data/cohort.csv --out "$TMP/all"
check "no --calibration-end: every transaction calibrates, no holdout, the models compared by BIC" \
    '[ $rc -eq 0 ] && out_has "no holdout check; models compared by BIC" && out_has "chosen: " &&
     out_has "by the lowest BIC" && [ "$(head -n 1 "$TMP/all/customers.csv")" = "customer,x,t_x,T,p_alive,conditional,dtx,spend,clv" ]'
run "$CVKIT" clv "$D/apparelTrans.csv" --calibraton-end 2005-10-08 --out "$TMP/x"
check "a misspelt option: refused with the closest one, exit 2" \
    '[ $rc -eq 2 ] && err_has "unknown option '"'"'--calibraton-end'"'"' (did you mean '"'"'--calibration-end'"'"'?)"'
run "$CVKIT" clv "$D/apparelTrans.csv" --bogus 1
check "an unknown option: refused, exit 2" '[ $rc -eq 2 ] && err_has "unknown option '"'"'--bogus'"'"'"'
run "$CVKIT" clv --help
check "clv --help: its usage and options" '[ $rc -eq 0 ] && out_has "usage: cvkit clv" && out_has "--calibration-end DATE"'
run "$CVKIT" clv --out "$TMP/x"
check "no file: the usage, exit 2" '[ $rc -eq 2 ] && err_has "clv: no transactions file given"'

run "$CVKIT" clv --sandbox --out-dir "$TMP/sb" "$D/apparelTrans.csv" --out "$TMP/elsewhere"
check "--sandbox: --out outside the output folder refused before any work" \
    '[ $rc -eq 2 ] && err_has "$TMP/elsewhere" && ! out_has "BG/NBD" &&
     [ ! -e "$TMP/elsewhere/customers.csv" ]'
run "$CVKIT" clv --sandbox --out-dir "$TMP/sb" $AP --out "$TMP/sb/a"
check "--sandbox: inside the output folder it runs" '[ $rc -eq 0 ] && [ -s "$TMP/sb/a/report.html" ]'
finish
