#!/bin/sh
# The model scripts' console lines in Chinese, numbers by kind (issue 15): the discount rate
# as a rate (15%, not 15.0%), the log-likelihood with separators, the holdout length as a
# plain number (39 周, not 39.00 周), Gamma-Gamma by its name, the CLV sentence with the
# glossary's term, the table's type line and "more rows" line from the catalogue, money in
# the CRM cost explanation with two decimals, and `cvkit run MODEL --help` with full-width
# parentheses. The fit's numbers are FHL 2005's CDNOW sample (log-likelihood -9,582.43).
. "$(dirname "$0")/lib.sh"
DATA=${CVKIT_DATA:-../shared/data}
ROOT=${TOP:-$PWD}
D="$DATA/CDNOW_sample.txt"
CD="--set names=id0,customer_id,date,cds,amount --set customer=customer_id
    --set calibration_end=1997-09-30 --set observation_end=1998-06-30"

run "$CVKIT" run --lang zh clv_bgnbd --data "$D" $CD --out "$TMP/b.csv"
check "clv_bgnbd runs" '[ $rc -eq 0 ]'
check "the fit line: log-likelihood with separators" \
    'out_has "BG/NBD (Fader, Hardie & Lee 2005)：r = 0.2426, alpha = 4.414, a = 0.7929, b = 2.426；对数似然 -9,582.43（2,357 位客户）"'
check "Gamma-Gamma by its name, spend as the glossary says" \
    'out_has "Gamma-Gamma：p = 6.25, q = 3.744, gamma = 15.44；频次与消费额的相关系数 0.114"'
check "the discount rate as a rate: 15%" \
    'out_has "预测期 52 周、年折现率 15% 的客户终身价值：合计 70,981.71，平均 30.12；0 位客户为负值" &&
     ! out_has "15.0%"'
check "the holdout of 39 weeks without decimals" \
    'out_has "39 周的验证期：实际重复交易 1,882 笔，预期 1,653.41 笔"'
check "the type line in Chinese" \
    'out_has "<字符串>  <整数>      <浮点数>  <浮点数>  <浮点数>" && ! out_has "<string>" && ! out_has "<float>"'

run "$CVKIT" run --lang zh clv --data "$D" $CD --out "$TMP/clv"
check "cvkit clv: the holdout period and the CLV sentence" \
    '[ $rc -eq 0 ] && out_has "校准期结束日 1997-09-30；验证期：39 周" &&
     out_has "2,357 位客户，预测期 52 周、年折现率 15% 的客户终身价值：合计 71,778.05"'

cat >"$TMP/more.lua" <<'EOF'
local t = cv.read_csv(cv.params.data)
t:print(3)
EOF
run "$CVKIT" run --lang zh --set data="$ROOT/examples/data/transactions.csv" "$TMP/more.lua"
check "a table's last line in Chinese, the count with separators (9,524 − 3)" \
    '[ $rc -eq 0 ] && out_has "… 另有 9,521 行" && out_has "<字符串>     <日期>"'
run "$CVKIT" run --set data="$ROOT/examples/data/transactions.csv" "$TMP/more.lua"
check "and in English" 'out_has "… 9,521 more rows" && out_has "<string>     <date>"'

run "$CVKIT" run --lang zh retention_sbg --data "$ROOT/tests/data/retention_regular.csv" \
    --out "$TMP/s.csv"
check "sBG: missing values as a dash, the per-period rate as a rate" \
    '[ $rc -eq 0 ] && out_has "     8           –     220.1         –          92.08%" &&
     out_has "每期折现率 10% 的 DERL"'

CRM="$ROOT/examples/crm"
run "$CVKIT" run --lang zh crm_tco --data "$CRM/tco_lines.csv" --set options="$CRM/tco_options.csv" \
    --out "$TMP/t.csv"
check "CRM costs: money with two decimals in the explanation" \
    '[ $rc -eq 0 ] && out_has "  成本现值 = 20,000.00 + 15,000.00 + 25,000.00 + 20,000.00 + 170,585.40 = 250,585.40" &&
     out_has "生命周期成本最低：SaaS 托管（每年 66,103.80，每用户每年 1,322.08）"'

run "$CVKIT" run --lang zh models/clv_bgnbd.lua --help
check "--help: the parameters, defaults in full-width parentheses, nothing run" \
    '[ $rc -eq 0 ] && out_has "      data             交易文件（CSV，每行一次购买）（必需）" &&
     out_has "      horizon          CLV 的预测期（以模型的时间单位计；0 表示整个生命周期，按 DERT 计算）（默认 52）" &&
     ! out_has "(默认" && ! out_has "已写入"'
run "$CVKIT" run clv_simple -h
check "-h in English" '[ $rc -eq 0 ] && out_has "      lifetime   expected customer lifetime in years (default 5)"'
# the core's messages that the program prints itself (no script line): in the user's language
run "$CVKIT" run --lang zh "$TMP/no/such/x.lua"
check "a script that cannot be opened: the reason in Chinese" \
    '[ $rc -ne 0 ] && err_has "x.lua: 无法打开脚本（没有该文件或目录）"'
: >"$TMP/notdir"
run "$CVKIT" run --lang zh --sandbox --out-dir "$TMP/notdir/out" "$ROOT/examples/demo.lua"
check "an output folder that cannot be made (a path without an extension): in Chinese" \
    '[ $rc -ne 0 ] && err_has "无法创建文件夹" && ! err_has "cannot"'
run "$CVKIT" run --sandbox --out-dir "$TMP/notdir/out" "$ROOT/examples/demo.lua"
check "and in English" '[ $rc -ne 0 ] && err_has "cannot create folder"'
# what the sandbox refuses, in the student's language (src/lua/sandbox.c: core.sandbox.*)
mkdir -p "$TMP/sbx/out"
script sbx/w.lua 'cv.mkdir("../elsewhere")'
run "$CVKIT" run --lang zh --sandbox --out-dir "$TMP/sbx/out" "$TMP/sbx/w.lua"
check "sandbox: a write outside the output folder, in Chinese, at the script's line" \
    '[ $rc -ne 0 ] && err_has "w.lua:1: 无法写入 '"'../elsewhere'"'：不在输出文件夹" && err_has "之内（沙箱）"'
script sbx/r.lua 'local t = cv.read_csv("/etc/passwd")'
run "$CVKIT" run --lang zh --sandbox --out-dir "$TMP/sbx/out" "$TMP/sbx/r.lua"
check "sandbox: a read outside what it may read, in Chinese" \
    '[ $rc -ne 0 ] && err_has "无法读取 '"'/etc/passwd'"'：不在此沙箱可读的文件夹（" && ! err_has "cannot"'
script sbx/m.lua 'local io = require "io"'
run "$CVKIT" run --lang zh --sandbox --out-dir "$TMP/sbx/out" "$TMP/sbx/m.lua"
check "sandbox: a module it does not have, in Chinese" '[ $rc -ne 0 ] && err_has "m.lua:1: 沙箱中没有模块 '"'io'"'"'
run "$CVKIT" run --sandbox --out-dir "$TMP/sbx/out" "$TMP/sbx/m.lua"
check "and in English" '[ $rc -ne 0 ] && err_has "m.lua:1: module '"'io'"' is not available in the sandbox"'
finish
