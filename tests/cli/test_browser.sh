#!/bin/sh
# The reports as a person sees them in a browser: the demo's English and Chinese reports and
# a model report with its diagnostics section, rendered by headless Chromium with
# tests/cli/browser_probe.js appended to a copy of each page (it measures the laid-out page
# and writes what it found into the DOM, read back with --dump-dom; no network, no driver).
# Checked: every chart present with a non-zero size, no two labels of a chart overlapping,
# no label outside its SVG, no table wider than the text column, and no English word in the
# Chinese report beyond the names docs/glossary.md keeps in Latin letters. Controls show
# that each check can fail. Without chromium the checks are skipped, unless CI is set
# (.ci/run installs chromium from tools/deps.sh), where a missing browser is a failure.
. "$(dirname "$0")/lib.sh"
ROOT=${TOP:-$PWD}
PROBE="$ROOT/tests/cli/browser_probe.js"

BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
    if [ "${CI:-}" = true ]; then
        : >"$OUT"
        : >"$ERR"
        check "chromium is installed (CI=true)" 'false'
    else
        echo "SKIP  chromium not installed: the browser checks of the reports are left out"
    fi
    finish
    exit
fi

# probe HTML NAME [WIDTH]: renders HTML with the probe in a window WIDTH (1200) px wide; its
# findings go to $TMP/NAME.probe, one per line (see browser_probe.js)
probe() {
    awk -v js="$PROBE" '/<\/body>/ { print "<script>"; while ((getline l < js) > 0) print l
        print "</script>" } { print }' "$1" >"$TMP/$2.probe.html"
    ud=$(mktemp -d "$TMP/chrome.XXXXXX")
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$ud" --hide-scrollbars --window-size="${3:-1200}",2000 \
        --dump-dom "file://$TMP/$2.probe.html" >"$TMP/$2.dom" 2>"$TMP/$2.log"
    rc=$?
    rm -rf "$ud"
    sed -n '/<pre id="cvkit-probe">$/,/<\/pre>/p' "$TMP/$2.dom" |
        sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' >"$TMP/$2.probe"
}
# the findings of one kind, for a check's name
found() { grep "^$1 " "$TMP/$2.probe" | tr '\n' ';' | cut -c1-400; }
charts() { grep -c "^CHART " "$TMP/$1.probe"; }
sized() { grep -cE "^CHART [0-9]+ [1-9][0-9]* [1-9][0-9]* [1-9]" "$TMP/$1.probe"; }
# the right edge of the text column: body 1000 px wide less 2 × 1.25rem padding, centred
COLUMN_RIGHT=1080
wide() { awk -v r=$COLUMN_RIGHT '$1 == "TABLE" && $4 > r + 0.5' "$TMP/$1.probe"; }
# true when the page of NAME does not scroll sideways (its content fits the window)
narrow_ok() { awk '$1 == "PAGE" && $3 > $2 { bad = 1 } END { exit bad }' "$TMP/$1.probe"; }

# ---- controls: a page that breaks every rule, so each check is seen to fail ------------------
cat >"$TMP/control.html" <<'HTML'
<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">
<style>*{box-sizing:border-box}body{max-width:1000px;
margin:2rem auto;padding:0 1.25rem}</style></head><body><p>客户 revenue</p>
<svg width="400" height="200" viewBox="0 0 400 200"><text x="50" y="50">二月 February</text>
<text x="60" y="52">三月</text><text x="380" y="100">cut off here</text>
<text x="200" y="120" transform="rotate(-35 200 120)">rotated label</text>
<text x="260" y="120" transform="rotate(-35 260 120)">rotated label</text></svg>
<svg width="0" height="0"></svg>
<table style="width:1100px"><tr><td>a table wider than the column of text</td></tr></table>
</body></html>
HTML
probe "$TMP/control.html" bad
check "the probe runs in chromium" '[ $rc -eq 0 ] && grep -q "^PAGE " "$TMP/bad.probe"'
check "control: overlapping labels are found" \
    'grep -q "^OVERLAP 1 .* \[二月 February\] \[三月\]" "$TMP/bad.probe"'
check "control: rotated neighbours apart are no overlap" \
    '! grep -q "rotated label\] \[rotated" "$TMP/bad.probe"'
check "control: a label outside its SVG is found" \
    'grep -q "^CUT 1 \[cut off here\]" "$TMP/bad.probe"'
check "control: a chart of no size is found" '[ "$(charts bad)" -eq 2 ] && [ "$(sized bad)" -eq 1 ]'
check "control: a table wider than the column is found" '[ -n "$(wide bad)" ]'
probe "$TMP/control.html" bad800 800
check "control: a page wider than an 800 px window is found" '! narrow_ok bad800'

# ---- the reports --------------------------------------------------------------------------------
run "$CVKIT" run --set out="$TMP/en" "$ROOT/examples/demo.lua"
check "demo in English runs" '[ $rc -eq 0 ] && [ -s "$TMP/en/report.html" ]'
run "$CVKIT" run --lang zh --set out="$TMP/zh" "$ROOT/examples/demo.lua"
check "demo in Chinese runs" '[ $rc -eq 0 ] && [ -s "$TMP/zh/report.html" ]'
DATA=${CVKIT_DATA:-$ROOT/../shared/data}
run "$CVKIT" run "$ROOT/models/clv_bgnbd.lua" --data "$DATA/CDNOW_sample.txt" --set header=false \
    --set delim=space --set customer=V2 --set date=V3 --set amount=V5 \
    --set calibration_end=1997-09-30 --set observation_end=1998-06-30 --out "$TMP/clv.html"
check "clv_bgnbd writes its report" '[ $rc -eq 0 ] && [ -s "$TMP/clv.html" ]'
# the one-command CLV report (cvkit clv), in English and Chinese: both models' diagnostics
for l in en zh; do
    run "$CVKIT" clv --lang $l "$DATA/CDNOW_sample.txt" --header false --delim space \
        --customer V2 --date V3 --amount V5 --calibration-end 1997-09-30 \
        --observation-end 1998-06-30 --out "$TMP/one-$l"
    check "cvkit clv --lang $l writes its report" '[ $rc -eq 0 ] && [ -s "$TMP/one-$l/report.html" ]'
    # the bundled cohort of README's pictures (tools/shots.sh): dropout and a 39-week holdout
    run "$CVKIT" clv --lang $l "$ROOT/examples/data/cohort.csv" --calibration-end 2024-09-30 \
        --observation-end 2025-06-30 --out "$TMP/cohort-$l"
    check "cvkit clv --lang $l on examples/data/cohort.csv writes its report" \
        '[ $rc -eq 0 ] && [ -s "$TMP/cohort-$l/report.html" ]'
done

# charts expected: the demo says 14; the BG/NBD diagnostics of docs/models.md are 11 (the
# frequency histogram, holdout by frequency and by recency, weekly and cumulative tracking,
# P(alive) and conditional expectation, the two mixing distributions, spend, one history)
# cvkit clv: 22 (11 for each of the BG/NBD and the Pareto/NBD), on CDNOW and on the cohort
for r in "en $TMP/en/report.html 14" "zh $TMP/zh/report.html 14" "clv $TMP/clv.html 11" \
    "one-en $TMP/one-en/report.html 22" "one-zh $TMP/one-zh/report.html 22" \
    "cohort-en $TMP/cohort-en/report.html 22" "cohort-zh $TMP/cohort-zh/report.html 22"; do
    # shellcheck disable=SC2086
    N=${r%% *} F=$(echo $r | cut -d' ' -f2) E=${r##* }
    probe "$F" "$N"
    check "$N: chromium renders the report" '[ $rc -eq 0 ] && grep -q "^PAGE " "$TMP/$N.probe"'
    check "$N: all $E charts rendered, each with a size ($(sized "$N") of $(charts "$N"))" \
        '[ "$(charts "$N")" -eq "$E" ] && [ "$(sized "$N")" -eq "$E" ]'
    check "$N: no two labels of a chart overlap ($(found OVERLAP "$N"))" \
        '! grep -q "^OVERLAP " "$TMP/$N.probe"'
    check "$N: no label outside its chart ($(found CUT "$N"))" '! grep -q "^CUT " "$TMP/$N.probe"'
    check "$N: no table wider than the text column ($(wide "$N" | tr '\n' ';'))" \
        '[ -z "$(wide "$N")" ]'
    check "$N: the page does not scroll sideways ($(found PAGE "$N"))" 'narrow_ok "$N"'
    # in an 800 px window a wide table scrolls in its own box, the page does not
    probe "$F" "$N-800" 800
    check "$N: an 800 px window does not scroll sideways ($(found PAGE "$N-800"))" \
        '[ $rc -eq 0 ] && grep -q "^PAGE " "$TMP/$N-800.probe" && narrow_ok "$N-800"'
    check "$N: no labels overlap or are cut off at 800 px" \
        '! grep -qE "^(OVERLAP|CUT) " "$TMP/$N-800.probe"'
done

# the Chinese report: every word a reader sees (page text as laid out and chart labels) is
# Chinese except the names kept in Latin letters (docs/glossary.md, "Names that stay in
# Latin letters"): model names, RFM, CLV, LTV, CAC, DERT, DERL, AIC, BIC, MAE, RMSE, Brier,
# P5/P50/P95, cvkit; also units and code as typed, none of which the demo shows
KEEP='BG|NBD|MBG|Pareto|BB|sBG|Gamma|RFM|CLV|LTV|CAC|DERT|DERL|AIC|BIC|MAE|RMSE|Brier|P[0-9]+|cvkit'
grep "^TEXT " "$TMP/zh.probe" | cut -c6- >"$TMP/zh.text"
grep "^LABEL " "$TMP/zh.probe" | cut -d' ' -f3- >>"$TMP/zh.text"
grep -oE "[A-Za-z]{2,}" "$TMP/zh.text" | grep -vxE "$KEEP" | sort -u >"$TMP/zh.english"
check "zh: no English words on the rendered page ($(tr '\n' ' ' <"$TMP/zh.english"))" \
    '[ ! -s "$TMP/zh.english" ]'
check "zh: the rendered text is the Chinese report" \
    'grep -qx "客户价值：示例商店，2024 年" "$TMP/zh.text" && grep -qx "平均客户终身价值" "$TMP/zh.text"'
printf 'TEXT 客户 revenue\n' | cut -c6- | grep -oE "[A-Za-z]{2,}" | grep -vxE "$KEEP" >"$TMP/ctl"
check "control: an English word is found" '[ "$(cat "$TMP/ctl")" = revenue ]'

# the diagnostics section of the model report in Chinese: its text and every chart label;
# beyond the names above only the cited authors (the rest of that report shows the run's
# console output, where column and parameter names stay as typed)
run "$CVKIT" run --lang zh "$ROOT/models/clv_bgnbd.lua" --data "$DATA/CDNOW_sample.txt" \
    --set header=false --set delim=space --set customer=V2 --set date=V3 --set amount=V5 \
    --set calibration_end=1997-09-30 --set observation_end=1998-06-30 --out "$TMP/clvzh.html"
check "clv_bgnbd writes its report in Chinese" '[ $rc -eq 0 ] && [ -s "$TMP/clvzh.html" ]'
probe "$TMP/clvzh.html" clvzh
check "clvzh: all 11 charts rendered, each with a size ($(sized clvzh) of $(charts clvzh))" \
    '[ "$(charts clvzh)" -eq 11 ] && [ "$(sized clvzh)" -eq 11 ]'
check "clvzh: no two labels of a chart overlap ($(found OVERLAP clvzh))" \
    '! grep -q "^OVERLAP " "$TMP/clvzh.probe"'
check "clvzh: no label outside its chart ($(found CUT clvzh))" \
    '! grep -q "^CUT " "$TMP/clvzh.probe"'
grep "^TEXT " "$TMP/clvzh.probe" | cut -c6- | tac | sed '/^模型诊断/q' | tac >"$TMP/diag.text"
grep "^LABEL " "$TMP/clvzh.probe" | cut -d' ' -f3- >>"$TMP/diag.text"
grep -oE "[A-Za-z]{2,}" "$TMP/diag.text" | grep -vxE "$KEEP|Fader|Hardie|Lee" |
    sort -u >"$TMP/diag.english"
check "clvzh: the diagnostics section is Chinese ($(tr '\n' ' ' <"$TMP/diag.english"))" \
    '[ -s "$TMP/diag.text" ] && [ ! -s "$TMP/diag.english" ]'
# the whole one-command report in Chinese: beyond the names above, the cited authors and the
# words of the data file's path, shown as given
for r in "one-zh $DATA/CDNOW_sample.txt" "cohort-zh $ROOT/examples/data/cohort.csv"; do
    N=${r%% *} F=${r#* }
    grep "^TEXT " "$TMP/$N.probe" | cut -c6- >"$TMP/$N.text"
    grep "^LABEL " "$TMP/$N.probe" | cut -d' ' -f3- >>"$TMP/$N.text"
    PATHWORDS=$(echo "$F" | grep -oE "[A-Za-z]{2,}" | paste -sd'|' -)
    grep -oE "[A-Za-z]{2,}" "$TMP/$N.text" |
        grep -vxE "$KEEP|Fader|Hardie|Lee|Schmittlein|Morrison|Colombo|$PATHWORDS" |
        sort -u >"$TMP/$N.english"
    check "$N: cvkit clv's Chinese report has no English words ($(tr '\n' ' ' <"$TMP/$N.english"))" \
        '[ -s "$TMP/$N.text" ] && [ ! -s "$TMP/$N.english" ]'
done
check "clvzh: its headings are the Chinese ones" 'grep -q "^模型诊断：BG/NBD" "$TMP/diag.text"'
finish
