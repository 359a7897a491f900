#!/bin/sh
# End-to-end tests of `cvkit repl`: driven through a pseudo-terminal with script(1)
# (util-linux, on every Debian; `command script`: lib.sh has a function of that name): start, load a dataset, evaluate, complete with Tab, a
# multi-line chunk, an error that leaves the session alive, Ctrl-C, quit, the history
# file; in English and Chinese. Then the same prompt with stdin not a terminal (scripted:
# no prompt, no banner) and the datasets' errors.
. tests/cli/lib.sh

DATA=examples/data/transactions.csv
ROWS=$(($(wc -l <"$DATA") - 1))            # the file's rows, counted here
comma() { echo "$1" | sed -E ':a;s/^(-?[0-9]+)([0-9]{3})/\1,\2/;ta'; } # counts as shown: 9,524
SUM=$(awk -F, 'NR > 1 { s += $3 } END { printf "%.2f", s }' "$DATA")
export HOME="$TMP"                          # the history goes to $TMP/.cvkit_history
unset CVKIT_HISTORY CVKIT_LANG LC_ALL LC_MESSAGES
export LANG=C.UTF-8 TERM=dumb

# prompts: how many prompts ("> ", ">> ") the session has shown so far
prompts() { sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$TMP/raw" | grep -cE '^>>? '; }

# tty_session INPUT... : runs cvkit repl ARGS (in $REPL_ARGS) under a pseudo-terminal,
# typing each INPUT (printf format: \t is Tab, \003 Ctrl-C) once the session shows its next
# prompt; an INPUT "@TEXT" types nothing but waits for TEXT on the screen, and the input
# after it is typed without waiting for a prompt (Ctrl-C into running code: the code
# prints TEXT first). Then waits for the session to end by itself. Every wait is for what
# it needs, bounded (60 s: a loaded machine, sanitizers). The session's screen, without
# carriage returns and escape sequences, is $OUT, and its exit code $rc. The input stays
# open until the session ends, so a slow machine never sees end of input before the last
# line ran.
tty_session() {
    rm -f "$TMP/keys"
    mkfifo "$TMP/keys"
    command script -qfec "$CVKIT repl $REPL_ARGS" /dev/null <"$TMP/keys" >"$TMP/raw" 2>&1 &
    pid=$!
    {
        want=1 # the prompt before the next input
        skip=0
        for l in "$@"; do
            case "$l" in
            @*)
                wait_for 60 'grep -qF -- "${l#@}" "$TMP/raw"' ||
                    echo "# tty_session: '${l#@}' never appeared" >&2
                want=$((want - 1)) # the input before it showed no prompt
                skip=1
                continue
                ;;
            esac
            if [ $skip -eq 0 ]; then
                wait_for 60 '[ "$(prompts)" -ge $want ]' ||
                    echo "# tty_session: prompt $want never appeared" >&2
            fi
            printf "$l"
            want=$((want + 1))
            skip=0
        done
        wait_for 60 '! kill -0 $pid 2>/dev/null'
    } >"$TMP/keys"
    kill $pid 2>/dev/null
    wait $pid
    rc=$?
    sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$TMP/raw" >"$OUT"
    : >"$ERR"
}

if ! command -v script >/dev/null 2>&1; then
    echo "# script(1) is missing (util-linux): the terminal tests are skipped"
else
    REPL_ARGS="tx=$DATA"
    tty_session '1 + 2\n' 'tx\n' 'cv.clv.si\t{avg_purchase = 100, frequency = 4, lifetime = 5}\n' \
        'tx:col("cu\t):name()\n' 'for i = 1, 2 do\n' 'print(i * 10)\n' 'end\n' \
        'error("boom")\n' 'print("still " .. "alive")\n' \
        'string.format("%%.2f", tx:col("am\t):sum())\n' \
        'tx:filter(function(r) return r.am\t > 1e9 end)\n' \
        'half = 1 +\n' '1\n' 'half\n' \
        'nonsense here\003' 'print("after ctrl-c")\n' \
        'for i = 1, 3 do\n' 'x = i\003' 'print("fresh chunk")\n' \
        'print("run" .. "ning") while true do end\n' '@running' '\003' 'print("after the loop")\n' \
        'quit()\n'
    check "starts with the banner" 'out_has "help() for help, quit() or Ctrl-D to leave"'
    check "the dataset is loaded" "out_has \"tx: $(comma $ROWS) rows × 4 columns from $DATA\""
    check "an expression prints its value" 'grep -qx "3" "$OUT"'
    check "a table prints its shape" "out_has \"cv.Table ($(comma $ROWS) rows × 4 columns)\""
    check "and its column types" 'grep -q "^<string>  *<date>  *<float>  *<string>" "$OUT"'
    check "and the rows not shown" "out_has \"… $(comma $((ROWS - 10))) more rows\""
    check "tab completes cv. names" 'out_has "> cv.clv.simple{avg_purchase = 100"'
    check "the completed call runs" 'grep -qx "2000.0" "$OUT"'
    check "tab completes column names" "out_has '> tx:col(\"customer_id\"):name()'"
    check "tab completes a row's fields" 'out_has "return r.amount > 1e9 end)"'
    check "no rows is a table too" 'out_has "cv.Table (0 rows × 4 columns)"'
    check "a multi-line chunk continues" 'out_has ">> print(i * 10)" && grep -qx "20" "$OUT"'
    check "an expression continues after an operator" 'out_has ">> 1" && grep -qx "2" "$OUT"'
    check "an error prints" 'grep -qx "stdin:1: boom" "$OUT"'
    check "the session stays alive" 'grep -qx "still alive" "$OUT"'
    check "columns sum as awk sums them" "grep -qx \"$SUM\" \"$OUT\""
    check "ctrl-c drops the line" 'grep -qx "after ctrl-c" "$OUT" && ! out_has "near '"'"'here'"'"'"'
    check "ctrl-c drops an unfinished chunk" 'grep -qx "> print(\"fresh chunk\")" "$OUT" && grep -qx "fresh chunk" "$OUT"'
    check "ctrl-c stops running code" 'grep -q "interrupted" "$OUT" && grep -qx "after the loop" "$OUT"'
    check "quit leaves with 0" '[ $rc -eq 0 ] || { echo "#   exit code $rc"; false; }'
    check "the history is kept" 'grep -qx "print(\"still \" .. \"alive\")" "$TMP/.cvkit_history"'
    check "no half line in the history" '! grep -q "nonsense" "$TMP/.cvkit_history"'

    REPL_ARGS="--lang zh tx=$DATA"
    tty_session 'tx:head(2)\n' 'help(cv.summary)\n' 'nosuch()\n' '\004'
    check "chinese banner" 'out_has "help() 查看帮助，quit() 或 Ctrl-D 退出"'
    check "chinese dataset line" "out_has \"tx：$(comma $ROWS) 行 × 4 列，来自 $DATA\""
    check "chinese table shape" 'out_has "cv.Table（2 行 × 4 列）"'
    check "chinese help" 'out_has "由交易表一次计算每位客户一行" && out_has "参考文献："'
    check "lua's own error stays lua's" "out_has \"stdin:1: attempt to call a nil value (global 'nosuch')\""
    check "ctrl-d leaves with 0" '[ $rc -eq 0 ] || { echo "#   exit code $rc"; false; }'
fi

# ---- stdin not a terminal: scripted, no prompt or banner ----------------------------------
printf 'x = 6 * 7\nx\nfor i = 1, 2 do\n  print(i)\nend\n' >"$TMP/in.lua"
run sh -c "'$CVKIT' repl <'$TMP/in.lua'"
check "piped: only the results" 'out_is "42
1
2"'
check "piped: exit 0" '[ $rc -eq 0 ]'

printf 'print(1)\nerror("bad")\nprint(2)\n' >"$TMP/in2.lua"
run sh -c "'$CVKIT' repl <'$TMP/in2.lua'"
check "piped: an error continues" 'out_is "1
2"'
check "piped: the error on stderr" 'grep -qx "stdin:1: bad" "$ERR"'
check "piped: a failed chunk exits 8" '[ $rc -eq 8 ]'

printf '#tx\ntx:col("amount"):sum() > 0\n' >"$TMP/in3.lua"
run sh -c "'$CVKIT' repl tx=$DATA <'$TMP/in3.lua'"
check "piped: datasets are loaded quietly" "out_is \"$ROWS
true\""

printf 'help "clv.simple"\n' >"$TMP/in4.lua"
run sh -c "'$CVKIT' repl --lang zh <'$TMP/in4.lua'"
check "piped: help in chinese" 'out_has "  客户终身价值 = 平均购买额 × 购买频率 × 客户生命周期" && out_has "假设："'

run "$CVKIT" repl tx="$TMP/missing.csv" </dev/null
check "a missing dataset exits 3" '[ $rc -eq 3 ] && err_has "missing.csv"'
run "$CVKIT" repl 9x="$DATA" </dev/null
check "a bad dataset name exits 2" \
    '[ $rc -eq 2 ] && err_has "bad dataset '"'"'9x='"$DATA"''"'"' (expected name=file.csv with a lua name)"'

# ---- cvkit help TOPIC: the same text as help() --------------------------------------------
run "$CVKIT" help clv.simple
check "help topic from the command line" 'out_has "assumptions:" && out_has "Kumar & Reinartz"'
run "$CVKIT" help --lang zh cv.read_csv
check "help topic in chinese" 'out_has "一次读入带分隔符的文本文件"'
run "$CVKIT" help no.such.topic
check "unknown topic exits 2" '[ $rc -eq 2 ] && err_has "no command or topic '"'"'no.such.topic'"'"'"'

# ---- the program's own messages follow --lang, CVKIT_LANG and the locale -------------------
run env LANG=zh_CN.UTF-8 "$CVKIT" frob
check "the locale gives chinese messages" 'err_line1_is "cvkit: 未知命令 '"'"'frob'"'"'（见 '"'"'cvkit help'"'"'）"'
run env LANG=zh_CN.UTF-8 CVKIT_LANG=en "$CVKIT" frob
check "CVKIT_LANG wins over the locale" 'err_line1_is "cvkit: unknown command '"'"'frob'"'"' (see '"'"'cvkit help'"'"')"'
run env LC_ALL=C LANG=zh_CN.UTF-8 "$CVKIT" frob
check "LC_ALL wins over LANG" 'err_has "unknown command"'
run env LANG=zh_CN.UTF-8 "$CVKIT" run --bogus x.lua
check "a run option error in chinese" 'err_line1_is "cvkit: 未知选项 '"'"'--bogus'"'"'（见 '"'"'cvkit help run'"'"'）"'
run "$CVKIT" run --lang zh --bogus x.lua
check "--lang gives chinese messages" 'err_line1_is "cvkit: 未知选项 '"'"'--bogus'"'"'（见 '"'"'cvkit help run'"'"'）"'
run env CVKIT_LANG=zh "$CVKIT" help
check "the usage in chinese" 'out_has "退出状态" && out_has "    repl       交互式 Lua 提示符"'
run env LANG=zh_CN.UTF-8 "$CVKIT" explain clv.simple avg_purchase=100 frequency=4 lifetime=5
check "explain follows the locale" 'out_has "  客户终身价值 = 100.00 × 4 × 5 = 2,000.00"'

finish
