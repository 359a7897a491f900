#!/bin/sh
# Makes README's pictures of the one-command CLV report, docs/img/clv.png and clv.zh.png:
# `cvkit clv` on the bundled examples/data/cohort.csv (examples/make_clv_data.lua) with a
# 39 + 39 week calibration/holdout split, in English and Chinese, each page shot by
# headless Chromium as tests/cli/test_browser.sh renders it (a 1200 px window, 2900 px
# tall: the summary, the comparison, the top customers with their P(alive) and the first
# two diagnostics), reduced to 128 colours (ImageMagick's PNG8) and recompressed by optipng.
# Usage: sh tools/shots.sh   (from the repository root, after make; chromium, imagemagick
# installed; optipng too, else the PNG is left as ImageMagick writes it)
set -e
CVKIT=${CVKIT:-build/cvkit}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cvkit-shots.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
for l in en zh; do
    "$CVKIT" clv --lang $l examples/data/cohort.csv --calibration-end 2024-09-30 \
        --observation-end 2025-06-30 --out "$TMP/$l" >/dev/null
    chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-sync \
        --disable-background-networking --disable-component-update --user-data-dir="$TMP/ud" \
        --hide-scrollbars --window-size=1200,2900 --screenshot="$TMP/$l.png" \
        "file://$TMP/$l/report.html" 2>/dev/null
    png=docs/img/clv.png
    [ $l = zh ] && png=docs/img/clv.zh.png
    convert "$TMP/$l.png" -colors 128 "PNG8:$png"
    if command -v optipng >/dev/null; then optipng -quiet -o2 "$png"; fi
    echo "wrote $png"
done
