#!/bin/sh
# The model scripts' HTML report carries the model's diagnostics (lua/cv/diagnostics.lua):
# the histogram of CDNOW (1,411 customers without a repeat purchase), the holdout checks,
# tracking, matrices, heterogeneity, spend and one customer's history, in English and
# Chinese; a CSV --out has none of it and reads nothing more.
. tests/cli/lib.sh
CD="--data ${CVKIT_DATA:-../shared/data}/CDNOW_sample.txt --set header=false --set delim=space --set customer=V2
    --set date=V3 --set amount=V5 --set calibration_end=1997-09-30
    --set observation_end=1998-06-30"

run "$CVKIT" run models/clv_bgnbd.lua $CD --out "$TMP/d/bg.html"
check "clv_bgnbd --out .html: the diagnostics section" \
    '[ $rc -eq 0 ] && grep -qF "Diagnostics: BG/NBD" "$TMP/d/bg.html" &&
     grep -qF "Calibration period: customers by repeat transactions" "$TMP/d/bg.html" &&
     grep -qF "P(alive) of customer 0157 over the calibration period" "$TMP/d/bg.html"'
check "the histogram table: 1,411 without a repeat purchase, 1,407.68 expected (shown to its one decimal)" \
    'grep -qF ">1,411<" "$TMP/d/bg.html" && grep -qF ">1,407.7<" "$TMP/d/bg.html"'
check "eleven charts of the diagnostics (spend included)" \
    '[ "$(grep -c "<figure>" "$TMP/d/bg.html")" -eq 11 ]'

run "$CVKIT" run --lang zh models/clv_pareto_nbd.lua $CD --out "$TMP/d/pnbd_zh.html"
check "--lang zh: the diagnostics in Chinese" \
    '[ $rc -eq 0 ] && grep -qF "模型诊断：Pareto/NBD" "$TMP/d/pnbd_zh.html" &&
     grep -qF "客户间的异质性：每周流失率 μ" "$TMP/d/pnbd_zh.html" &&
     ! grep -qF "Calibration period" "$TMP/d/pnbd_zh.html"'

run "$CVKIT" run models/compare_models.lua $CD --out "$TMP/d/cmp.html"
check "compare_models --out .html: a section per model" \
    '[ $rc -eq 0 ] && [ "$(grep -c "<h2 id=\"s[0-9]*\">Diagnostics:" "$TMP/d/cmp.html")" -eq 3 ]'

# Pareto/NBD on the apparel data runs s and beta to the boundary: the histogram comes from
# the quadrature over the lifetime (model_diagnostics.c), nothing is left out.
run "$CVKIT" run models/clv_pareto_nbd.lua --data "${CVKIT_DATA:-../shared/data}/apparelTrans.csv" \
    --set customer=Id --set date=Date --set amount=Price --set calibration_end=2005-10-08 \
    --out "$TMP/d/apparel.html"
check "apparel, Pareto/NBD at the boundary: every check there (9 charts), none left out" \
    '[ $rc -eq 0 ] && [ "$(grep -c "<figure>" "$TMP/d/apparel.html")" -eq 9 ] &&
     ! grep -qF "left out" "$TMP/d/apparel.html"'

run "$CVKIT" run models/clv_bgnbd.lua $CD --out "$TMP/d/bg.csv"
check "a CSV --out: the table only" '[ $rc -eq 0 ] && ! grep -q "Diagnostics" "$TMP/d/bg.csv"'

finish
