#!/bin/sh
# The language option of the Lua-run commands (help, models, explain) is read by one
# function, i18n.lang_arg (lua/cv/i18n.lua): `--lang LANG` and `--lang=LANG` alike, the
# same message and status 2 for a missing or unknown language in each command.
. tests/cli/lib.sh

for cmd in help models explain; do
    run "$CVKIT" $cmd --lang
    check "$cmd --lang without a value: said, exit 2" \
        '[ $rc -eq 2 ] && err_line1_is "cvkit: option '"'"'--lang'"'"' needs a value"'
    run "$CVKIT" $cmd --lang=fr
    check "$cmd --lang=fr: unknown language, exit 2" \
        '[ $rc -eq 2 ] && err_line1_is "cvkit: unknown language '"'"'fr'"'"' (languages: en, zh)"'
    run "$CVKIT" $cmd --lang fr
    check "$cmd --lang fr: the same message" \
        '[ $rc -eq 2 ] && err_line1_is "cvkit: unknown language '"'"'fr'"'"' (languages: en, zh)"'
done
run "$CVKIT" models --lang=zh clv_bgnbd
check "models --lang=zh: the model in Chinese" '[ $rc -eq 0 ] && out_has "模型：" && out_has "文件："'
run "$CVKIT" help --lang zh cv.read_csv
check "help --lang zh: the topic in Chinese" '[ $rc -eq 0 ] && out_has "选项：" && out_has "示例："'
run "$CVKIT" explain --lang=zh clv.simple avg_purchase=100 frequency=4 lifetime=5
check "explain --lang=zh: the explanation in Chinese" \
    '[ $rc -eq 0 ] && out_has "客户终身价值 = 100.00 × 4 × 5 = 2,000.00"'
finish
