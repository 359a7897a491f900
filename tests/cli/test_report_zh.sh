#!/bin/sh
# The demo in Chinese as a reader sees it: every text of the report page (headings, KPIs,
# chart titles, axes, legends, tooltips, table headers and cells, captions, prose) is
# Chinese except the names docs/glossary.md keeps in Latin letters; the console says where
# the files went; the English run is unchanged in its words.
. "$(dirname "$0")/lib.sh"
ROOT=${TOP:-$PWD}

run "$CVKIT" run --lang zh --set out="$TMP/zh" "$ROOT/examples/demo.lua"
check "demo in Chinese runs" '[ $rc -eq 0 ] && [ -s "$TMP/zh/report.html" ]'
check "the console says where the report went" \
    'out_has "已写入 $TMP/zh/report.html、$TMP/zh/report.xlsx，以及 $TMP/zh/charts/ 中的 14 张图"'
check "the console names the tables written" 'out_has "已写入 $TMP/zh/customers.csv、"'
check "the page says it is Chinese" 'grep -q "<html lang=\"zh-Hans\">" "$TMP/zh/report.html"'

# the text nodes of the page (style sheet left out), one per line
sed -e '/<style>/,/<\/style>/d' -e 's/<[^>]*>/\n/g' "$TMP/zh/report.html" |
    sed -e 's/&amp;/\&/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e '/^[[:space:]]*$/d' >"$TMP/text"
# words of two or more Latin letters, less the names kept by convention (glossary)
grep -oE "[A-Za-z]{2,}" "$TMP/text" | grep -vxE "RFM|CLV|cvkit|P[0-9]+" | sort -u >"$TMP/english"
check "no English words in the Chinese report ($(tr '\n' ' ' <"$TMP/english"))" '[ ! -s "$TMP/english" ]'
check "title, headings, axes and captions are Chinese" \
    'grep -qx "客户价值：示例商店，2024 年" "$TMP/text" && grep -qx "服务成本与利润" "$TMP/text" &&
     grep -qx "月份（2024 年）" "$TMP/text" && grep -q "10 月至 12 月为验证期。" "$TMP/text"'
check "KPI labels are Chinese" 'grep -qx "平均客户终身价值" "$TMP/text" && grep -qx "年保留率" "$TMP/text"'
check "scenario tables: the base and the parameters by their Chinese names" \
    'grep -qx "基准" "$TMP/text" && grep -qx "保留率" "$TMP/text" && grep -qx "波动幅度" "$TMP/text"'
# Chinese text uses full-width punctuation: no ASCII , ; : ( ) ? ! between two Chinese characters
han() { LC_ALL=C.UTF-8 grep -P '[\p{Han}，。、；：（）“”][,;:()?!][\p{Han}，。、；：（）“”]' "$@"; }
printf '中文,中文\n' >"$TMP/bad"
check "the punctuation check finds a bad line" 'han -q "$TMP/bad"'
check "no ASCII punctuation between Chinese characters" '! han "$TMP/text"'

if command -v unzip >/dev/null 2>&1; then
    unzip -p "$TMP/zh/report.xlsx" xl/workbook.xml >"$TMP/wb.xml"
    check "the workbook's sheets have Chinese names" \
        'grep -q "name=\"渠道\"" "$TMP/wb.xml" && grep -q "name=\"蒙特卡洛模拟\"" "$TMP/wb.xml"'
    unzip -p "$TMP/zh/report.xlsx" xl/sharedStrings.xml >"$TMP/ss.xml"
    check "its column names and channels are Chinese" \
        'grep -q "平均订单额" "$TMP/ss.xml" && grep -q "手机应用" "$TMP/ss.xml" && ! grep -q "<t>app</t>" "$TMP/ss.xml"'
fi

# the same demo in English keeps its words (the report's title and a KPI)
run "$CVKIT" run --set out="$TMP/en" "$ROOT/examples/demo.lua"
check "the English report is English" \
    'grep -q "<h1>Customer value: demo shop, 2024</h1>" "$TMP/en/report.html" &&
     grep -q "profit after cost to serve" "$TMP/en/report.html"'
check "and its console says where it went" 'out_has "wrote $TMP/en/report.html, $TMP/en/report.xlsx"'
finish
