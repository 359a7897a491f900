#!/bin/sh
# End-to-end tests of the customer-base models from the command line: cvkit gen (seeded,
# round trip through the summary and the fit, mistakes) and the model scripts clv_bgnbd,
# clv_pareto_nbd, retention_sbg and compare_models on CDNOW (numbers from FHL 2005 and
# Fader & Hardie 2007), in English and Chinese.
. tests/cli/lib.sh
CDNOW="--data ${CVKIT_DATA:-../shared/data}/CDNOW_sample.txt --set names=a,customer,date,n,amount --set customer=customer --set calibration_end=1997-09-30"

# gen: the same seed gives the same file; another seed another file
run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5 --customers 20000 --seed 4 --out "$TMP/a.csv"
check "gen writes" '[ $rc -eq 0 ] && err_has "wrote $TMP/a.csv (" && [ "$(head -n 1 "$TMP/a.csv")" = "customer,date,amount" ]'
run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5 --customers 20000 --seed 4 --out "$TMP/b.csv"
check "gen is seeded" 'cmp -s "$TMP/a.csv" "$TMP/b.csv"'
run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5 --customers 20000 --seed 5 --out "$TMP/c.csv"
check "another seed" '! cmp -s "$TMP/a.csv" "$TMP/c.csv"'
check "customers 1..N" '[ "$(tail -n 1 "$TMP/a.csv" | cut -d, -f1)" = 20000 ]'

# round trip: gen -> summary -> fit gives the parameters back (within 8%: 20,000
# customers, and whole days merge a few same-day purchases)
cat >"$TMP/fit.lua" <<'LUA'
local s = cv.summary_csv(arg[1], { customer = "customer", date = "date", amount = "amount",
   unit = "week", calibration_end = "1998-06-30", quiet = true })
local m = cv.fit(arg[2], s)
local truth = { r = 0.5, alpha = 6, a = 0.7, b = 2.5, s = 0.8, beta = 10 }
local bad = 0
for i, k in ipairs(m.names) do
   if math.abs(m.values[i] - truth[k]) > 0.08 * truth[k] then
      print("off", k, m.values[i], truth[k]); bad = bad + 1
   end
end
print(#s .. " customers, " .. bad .. " off")
LUA
run "$CVKIT" run "$TMP/fit.lua" "$TMP/a.csv" bgnbd
check "gen round trip bgnbd" 'out_is "20000 customers, 0 off"'
run "$CVKIT" gen pareto_nbd r=0.5 alpha=6 s=0.8 beta=10 --customers 20000 --seed 2 --out "$TMP/p.csv"
run "$CVKIT" run "$TMP/fit.lua" "$TMP/p.csv" pareto_nbd
check "gen round trip pareto/nbd" 'out_is "20000 customers, 0 off"'

# mistakes
run "$CVKIT" gen bgnbd r=0.5 --out "$TMP/x.csv"
check "missing parameter" '[ $rc -eq 2 ] && err_line1_is "cvkit: bgnbd needs the parameter alpha (parameters: r, alpha, a, b)"'
run "$CVKIT" gen nope r=1 --out "$TMP/x.csv"
check "unknown model" '[ $rc -eq 2 ] && err_line1_is "cvkit: unknown model '"'"'nope'"'"' (gen draws from bgnbd, pareto_nbd, mbgnbd)"'
run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5
check "needs --out" '[ $rc -eq 2 ] && err_has "usage: cvkit gen MODEL"'
run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5 --customers x --out "$TMP/x.csv"
check "bad count" '[ $rc -eq 2 ] && err_line1_is "cvkit: --customers needs a whole number >= 0, got '"'"'x'"'"'"'
run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5 --custmers 3 --out "$TMP/x.csv"
check "a misspelt option, with the right one" '[ $rc -eq 2 ] && err_line1_is "cvkit: unknown option '"'"'--custmers'"'"' to gen (did you mean '"'"'--customers'"'"'?)" && [ ! -e "$TMP/x.csv" ]'
CVKIT_LANG=zh run "$CVKIT" gen bgnbd r=0.5 alpha=6 a=0.7 b=2.5 --zzz 3 --out "$TMP/x.csv"
check "an unknown option in chinese, with the known ones" '[ $rc -eq 2 ] && err_line1_is "cvkit: gen 不认识选项 '"'"'--zzz'"'"'（可用：--customers, --seed, --cohort-days, --out, --start, --end, --unit, --spend, --lang）"'
run "$CVKIT" gen sbg alpha=1 beta=2 --out "$TMP/x.csv"
check "not a purchase model" '[ $rc -eq 2 ] && err_has "gen draws transactions from bgnbd, mbgnbd or pareto_nbd, not sbg"'
run "$CVKIT" help gen
check "help gen" '[ $rc -eq 0 ] && out_has "--cohort-days N"'

# the model scripts on CDNOW
run "$CVKIT" run models/clv_bgnbd.lua $CDNOW --set observation_end=1998-06-30 --out "$TMP/clv.csv"
check "clv_bgnbd fit line" '[ $rc -eq 0 ] && out_has "r = 0.2426, alpha = 4.414, a = 0.7929, b = 2.426; log-likelihood -9,582.43 (2,357 customers)"'
check "clv_bgnbd spend line" 'out_has "Gamma-Gamma: p = 6.25, q = 3.744, gamma = 15.44; frequency-spend correlation 0.114"'
check "clv_bgnbd holdout" 'out_has "holdout of 39 weeks: actual 1,882 repeat transactions"'
check "clv_bgnbd csv" '[ "$(head -n 1 "$TMP/clv.csv")" = "customer,x,t_x,T,p_alive,conditional,dtx,spend,value_tx,clv,x_holdout" ] && [ $(wc -l <"$TMP/clv.csv") -eq 2358 ]'
run "$CVKIT" run models/clv_pareto_nbd.lua $CDNOW --set horizon=0 --out "$TMP/clvp.csv"
check "clv_pareto_nbd" '[ $rc -eq 0 ] && out_has "r = 0.5533, alpha = 10.58, s = 0.6062, beta = 11.67" && out_has "lifetime clv at 15% a year"'
# a calibration end without an observation end: allowed (a fit on the data to a date) but said
check "no holdout said" 'err_has "calibration_end 1997-09-30 without observation_end: the transactions after it are left out"'
check "no holdout column" '[ "$(head -n 1 "$TMP/clvp.csv" | grep -c x_holdout)" = 0 ]'
CVKIT_LANG=zh run "$CVKIT" run models/clv_pareto_nbd.lua $CDNOW --out "$TMP/clvp.csv"
check "clv_pareto_nbd in chinese" '[ $rc -eq 0 ] && out_has "对数似然 -9,594.98（2,357 位客户）"'
check "no holdout said in chinese" 'err_has "给出了 calibration_end 1997-09-30 而未给出 observation_end：此后的交易不参与计算"'
run "$CVKIT" run models/retention_sbg.lua --data tests/data/retention_regular.csv --out "$TMP/sbg.csv"
check "retention_sbg" '[ $rc -eq 0 ] && out_has "sBG: alpha 0.7041, beta 1.1820; log-likelihood -1,680.27" && [ $(wc -l <"$TMP/sbg.csv") -eq 14 ]'
run "$CVKIT" run models/compare_models.lua $CDNOW --set observation_end=1998-06-30 --out "$TMP/cmp.csv"
check "compare_models" '[ $rc -eq 0 ] && out_has "lowest BIC: MBG/NBD" && [ "$(head -n 1 "$TMP/cmp.csv")" = "model,params,loglik,aic,bic,actual,expected,mae,rmse,brier" ]'
run "$CVKIT" models compare_models
check "described" '[ $rc -eq 0 ] && out_has "compare_models  fit BG/NBD, Pareto/NBD and MBG/NBD"'

# gamma-gamma tells the user when frequency and spend are correlated
cat >"$TMP/gg.lua" <<'LUA'
local x, m = {}, {}
for i = 1, 200 do x[i] = 1 + i % 10; m[i] = 5 + 3 * x[i] + (i % 7) end
local g = cv.fit("gammagamma", cv.table { { "x", x }, { "mean_repeat_spend", m } })
print(string.format("%.2f", g.correlation))
LUA
run "$CVKIT" run "$TMP/gg.lua"
check "correlation reported" '[ $rc -eq 0 ] && err_has "gamma-gamma: frequency and mean spend are correlated (r = 0.9" && out_has "0.9"'

finish
