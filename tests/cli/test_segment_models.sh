#!/bin/sh
# End-to-end tests of the segmentation models on CDNOW ($CVKIT_DATA): each model runs
# on the transactions file with its columns given by --set, writes its per-customer CSV
# and prints its segment table, in English and in Chinese (the values themselves are
# checked in tests/lua/test_segment.lua and tests/unit/test_segment.c).
. tests/cli/lib.sh
D=${CVKIT_DATA:-../shared/data}/CDNOW_sample.txt
N="--set names=id0,customer_id,date,cds,amount --set customer=customer_id"

# lines FILE: data lines of a CSV (header excluded)
lines() { echo $(($(wc -l <"$1") - 1)); }
# csv_col FILE NAME: the values of column NAME
csv_col() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"; }

run "$CVKIT" run models/rfm_segments.lua --data $D $N --set calibration_end=1997-09-30 \
    --out "$TMP/rfm.csv"
check "rfm_segments runs" '[ $rc -eq 0 ]'
check "rfm_segments writes every customer" '[ "$(lines "$TMP/rfm.csv")" -eq 2357 ]'
check "rfm_segments header" '[ "$(head -n 1 "$TMP/rfm.csv")" = "customer,days_since_last,orders,revenue,mean_spend,r_score,f_score,m_score,segment" ]'
check "rfm_segments says the scheme" 'out_has "customers: 2,357   scheme: rfm10   scores: R, F, M scored 1..5"'
check "rfm_segments prints coverage" 'out_has "rule coverage: 125 score cells"'
check "rfm_segments prints the segment table" 'out_has "Champions" && out_has "Can'"'"'t Lose Them" && out_has "mean recency (days)"'
# the customers column of the printed table adds up to 2,357
check "segment table adds up" '[ "$(awk "/^Champions/,/^Others/" "$OUT" | awk "{ s += \$(NF - 7) } END { print s }")" -eq 2357 ]'

run "$CVKIT" run --lang zh models/rfm_segments.lua --data $D $N --set calibration_end=1997-09-30 \
    --set scheme=cn8 --out "$TMP/cn8.csv"
check "cn8 in chinese runs" '[ $rc -eq 0 ]'
check "cn8 names in chinese" 'out_has "重要价值客户" && out_has "一般挽留客户" && out_has "客户分群"'
check "cn8 coverage in chinese" 'out_has "规则覆盖：共 8 个评分格，0 个无规则匹配，0 个被多条规则匹配"'
check "cn8 csv has chinese segments" 'grep -q "重要价值客户" "$TMP/cn8.csv"'

run "$CVKIT" run models/rfm_segments.lua --data $D $N --set calibration_end=1997-09-30 \
    --set migrate_from=1997-06-30 --out "$TMP/m.csv"
check "migration matrix printed" 'out_has "migration from 1997-06-30 to 1997-09-30" && out_has "total"'

run "$CVKIT" run models/rfm_segments.lua --data $D $N --set scheme=nope --out "$TMP/x.csv"
check "unknown scheme fails" '[ $rc -ne 0 ] && err_has "unknown segment scheme '"'"'nope'"'"' (known: cn8, quartile5, rfm10)"'

run "$CVKIT" run models/value_tiers.lua --data $D $N --set calibration_end=1997-09-30 \
    --out "$TMP/tiers.csv"
check "value_tiers runs" '[ $rc -eq 0 ] && [ "$(lines "$TMP/tiers.csv")" -eq 2357 ]'
check "value_tiers concentration line" 'out_has "top 20% of customers hold" && out_has "Gini"'
check "value_tiers tiers" '[ "$(csv_col "$TMP/tiers.csv" tier | sort -u | tr "\n" " ")" = "bottom middle top " ]'
check "value_tiers lorenz ends at 1" 'out_has "share of value"'

run "$CVKIT" run --lang zh models/value_tiers.lua --data $D $N --out "$TMP/tiers_zh.csv"
check "value_tiers in chinese" '[ $rc -eq 0 ] && out_has "头部" && out_has "基尼系数"'

run "$CVKIT" run models/lifecycle_stages.lua --data $D $N --set at=1997-09-30 --out "$TMP/life.csv"
check "lifecycle_stages runs" '[ $rc -eq 0 ] && [ "$(lines "$TMP/life.csv")" -eq 2357 ]'
check "lifecycle_stages tables" 'out_has "exploration" && out_has "decline" && out_has "reactivated"'

run "$CVKIT" run --lang zh models/lifecycle_stages.lua --data $D $N --set at=1997-09-30 --out "$TMP/life_zh.csv"
check "lifecycle_stages in chinese" '[ $rc -eq 0 ] && out_has "考察期" && out_has "退化期" && out_has "生命周期阶段"'

run "$CVKIT" run models/kmeans_segments.lua --data $D $N --set calibration_end=1997-09-30 \
    --set k=3 --set max_k=4 --out "$TMP/km.csv"
check "kmeans_segments runs" '[ $rc -eq 0 ] && [ "$(lines "$TMP/km.csv")" -eq 2357 ]'
check "kmeans_segments describes clusters" 'out_has "k-means: k = 3" && out_has "silhouette"'
check "kmeans_segments clusters 1..3" '[ "$(csv_col "$TMP/km.csv" cluster | sort -u | tr "\n" " ")" = "1 2 3 " ]'
run "$CVKIT" run models/kmeans_segments.lua --data $D $N --set calibration_end=1997-09-30 \
    --set k=3 --out "$TMP/km2.csv"
check "kmeans_segments is deterministic" 'cmp -s "$TMP/km.csv" "$TMP/km2.csv"'

run "$CVKIT" models rfm_segments
check "models describes rfm_segments" '[ $rc -eq 0 ] && out_has "rfm_segments  RFM scores and named segments"'

finish
