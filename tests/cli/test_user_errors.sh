#!/bin/sh
# What a user who ran a bundled model sees when the file or an option is wrong: the message
# alone, in the user's language, without the model script's line (models/clv.lua:83 means
# nothing to someone who typed `cvkit clv`); a data file's place is kept, and so is the
# line of the user's own script.
. "$(dirname "$0")/lib.sh"
DATA=${CVKIT_DATA:-../shared/data}

run "$CVKIT" clv "$TMP/none.csv" --lang zh
check "cvkit clv on a missing file: the message alone, in Chinese (exit 3)" \
    '[ $rc -eq 3 ] && err_line1_is "cvkit: $TMP/none.csv: 无法打开文件：没有该文件或目录"'
run "$CVKIT" clv "$TMP/none.csv"
check "the same in English" \
    '[ $rc -eq 3 ] && err_line1_is "cvkit: $TMP/none.csv: cannot open the file: no such file or directory"'

printf 'customer,date,amount\nc1,2024-01-05,10\n' >"$TMP/tx.csv"
run "$CVKIT" run --lang zh clv_bgnbd --data "$TMP/tx.csv" --customer customer --amount spend
check "a bundled model run by name: a missing column without models/clv_bgnbd.lua:N (exit 2)" \
    '[ $rc -eq 2 ] && err_line1_is "cvkit: 没有列 '"'spend'"'（现有的列：customer, date, amount）"'
run "$CVKIT" clv "$TMP/tx.csv" --lang zh --out "$TMP/out.csv"
check "cvkit clv with a file for --out: the message alone" \
    '[ $rc -eq 2 ] && ! grep -q "models/" "$ERR" && err_has "cvkit: --out '"'$TMP/out.csv'"'"'

printf 'customer,date,amount\nc1,2024-01-05,10,3\n' >"$TMP/short.csv"
run "$CVKIT" run --lang zh clv_bgnbd --data "$TMP/short.csv"
check "a malformed file: its place kept, the reason in Chinese (exit 4)" \
    '[ $rc -eq 4 ] && err_line1_is "cvkit: $TMP/short.csv:2:18: 应有 3 个字段，实际为 4 个"'

script user.lua 'local cv = require "cv"
local t = cv.table{{"a", {1}}}
print(t:col("zz"))'
run "$CVKIT" run --lang zh "$TMP/user.lua"
check "the user's own script keeps its line" \
    '[ $rc -eq 2 ] && err_line1_is "cvkit: $TMP/user.lua:3: 没有列 '"'zz'"'（现有的列：a）"'
script bug.lua 'local x = nil
return x.y'
run "$CVKIT" run "$TMP/bug.lua"
check "a runtime error of the user's script keeps its line and traceback" \
    '[ $rc -eq 8 ] && err_has "$TMP/bug.lua:2: attempt to index" && err_has "stack traceback"'

finish
