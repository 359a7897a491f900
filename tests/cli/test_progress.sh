#!/bin/sh
# End-to-end tests of the progress line (src/lua/progress.c, include/cvkit/progress.h): under
# a pseudo-terminal (script(1), as test_repl.sh) a run that reads and writes a 0.9 MB file
# shows "reading ... % ... MB/s" and "writing ... %" on stderr and erases the line before what
# comes next; in Chinese from the catalogue; nothing with --quiet, when stderr is not a
# terminal, or in the results file; a sandboxed script that rewrites the catalogue cannot
# put its text on the line; a time limit's message starts on a line of its own; the REPL
# shows it while a statement runs. CVKIT_PROGRESS_AFTER=0 shows the line from the first
# report instead of after a second, so that no assertion depends on the machine's speed.
. tests/cli/lib.sh
unset CVKIT_LANG LC_ALL LC_MESSAGES
export LANG=C.UTF-8 TERM=dumb

# 40,000 rows, about 0.9 MB: reports from the read (a MiB at a time, so one) and the write (every
# 4096 rows)
awk 'BEGIN { print "id,date,amount"
    for (i = 0; i < 40000; i++)
        printf "%d,2020-%02d-%02d,%.2f\n", i % 37000 + 1, i % 12 + 1, i % 28 + 1,
            (i % 997) / 10 }' \
    >"$TMP/big.csv"
script rw.lua 'local t = cv.read_csv(arg[1])
t:write(arg[2])
print("done", #t)'

# on_tty CMD: runs the shell command CMD under a pseudo-terminal (stdout and stderr both
# the terminal); the raw screen in $OUT (escape sequences kept), the exit code in $rc
on_tty() {
    command script -qfec "$1" /dev/null </dev/null >"$OUT" 2>"$ERR"
    rc=$?
}
ESC=$(printf '\033')
# after_last_erase: the screen without carriage returns, each line from its last erase on
after_last_erase() { tr -d '\r' <"$OUT" | sed "s/.*$ESC\\[K//"; }

if ! command -v script >/dev/null 2>&1; then
    echo "# script(1) is missing (util-linux): the terminal tests are skipped"
    finish
    exit $?
fi

on_tty "CVKIT_PROGRESS_AFTER=0 '$CVKIT' run '$TMP/rw.lua' '$TMP/big.csv' '$TMP/o.csv'"
check "on a terminal: the read shows a progress line" '[ $rc -eq 0 ] &&
    grep -qE "reading +[0-9]+%" "$OUT"'
check "... and the write (its rate only when it lasts long enough to measure one)" \
    'grep -qE "writing +[0-9]+% .*[0-9]+ s" "$OUT"'
check "... erased before the script prints" '[ "$(after_last_erase)" = "$(printf "done\t40000")" ]'
check "the results are whole" '[ "$(wc -l <"$TMP/o.csv")" -eq 40001 ]'

on_tty "CVKIT_PROGRESS_AFTER=0 '$CVKIT' run '$TMP/rw.lua' '$TMP/big.csv' '$TMP/o.csv' \
    >'$TMP/stdout.txt'"
check "stdout to a file: the line is on the terminal, none of it in the file" '[ $rc -eq 0 ] &&
    grep -q "reading" "$OUT" && [ "$(cat "$TMP/stdout.txt")" = "$(printf "done\t40000")" ]'

on_tty "CVKIT_PROGRESS_AFTER=0 '$CVKIT' run --lang zh '$TMP/rw.lua' '$TMP/big.csv' '$TMP/o.csv'"
check "in chinese from the catalogue" '[ $rc -eq 0 ] && grep -q "读取" "$OUT" &&
    grep -qE "写出 +[0-9]+% .*[0-9]+ 秒" "$OUT" && grep -qE "读取 +[0-9]+% +[0-9.]+ MB/秒" "$OUT"'

on_tty "CVKIT_PROGRESS_AFTER=0 '$CVKIT' run --quiet '$TMP/rw.lua' '$TMP/big.csv' '$TMP/o.csv'"
check "--quiet: no line" '[ $rc -eq 0 ] && ! grep -q "$ESC" "$OUT" && ! grep -q reading "$OUT" &&
    out_has "done"'

run env CVKIT_PROGRESS_AFTER=0 "$CVKIT" run "$TMP/rw.lua" "$TMP/big.csv" "$TMP/o.csv"
check "stderr not a terminal: nothing on it" '[ $rc -eq 0 ] && [ ! -s "$ERR" ]'

# the default: only steps past a second show (the run here takes less on most machines,
# so only what must hold whatever the speed: the screen ends with the results alone)
on_tty "'$CVKIT' run '$TMP/rw.lua' '$TMP/big.csv' '$TMP/o.csv'"
check "the default delay: the screen ends with the results" '[ $rc -eq 0 ] &&
    [ "$(after_last_erase)" = "$(printf "done\t40000")" ]'

# the sandbox: the line's words are copied from the catalogue when the engine starts
mkdir -p "$TMP/box"
cp "$TMP/big.csv" "$TMP/box/big.csv"
printf '%s\n' 'local i18n = require "cv.i18n"' \
    'i18n.add{["progress.read"] = {en = "PWNED\27]0;title\7"}, ["progress.rows"] = {en = "X"}}' \
    'local t = cv.read_csv("big.csv") t:write("out/o.csv") print("done", #t)' >"$TMP/box/evil.lua"
on_tty "cd '$TMP/box' && CVKIT_PROGRESS_AFTER=0 '$CVKIT' run --sandbox evil.lua"
check "sandbox: a script's catalogue entries never reach the line" '[ $rc -eq 0 ] &&
    grep -q "reading" "$OUT" && ! grep -q PWNED "$OUT" && ! grep -q "]0;" "$OUT" &&
    grep -q "MB/s" "$OUT"'

# a time limit hit during reads: the message is on a line of its own (the limit leaves
# time for a few reads: more under valgrind, tests/cli/valgrind.sh)
script loop.lua 'while true do cv.read_csv(arg[1]) end'
limit=1
[ -n "${CVKIT_VG_BIN:-}" ] && limit=15
on_tty "CVKIT_PROGRESS_AFTER=0 '$CVKIT' run --timeout $limit '$TMP/loop.lua' '$TMP/big.csv'"
check "a time limit's message starts on a clean line" '[ $rc -eq 9 ] && grep -q reading "$OUT" &&
    after_last_erase | grep -q "^cvkit: .*time limit exceeded ($limit s)"'

# the REPL: while a statement runs, erased before its result
printf 't = cv.read_csv("%s")\nprint("rows", #t)\nquit()\n' "$TMP/big.csv" >"$TMP/repl.in"
command script -qfec "CVKIT_PROGRESS_AFTER=0 '$CVKIT' repl" /dev/null <"$TMP/repl.in" >"$OUT" 2>&1
rc=$?
check "repl: the line shows while a statement runs" 'grep -q "reading" "$OUT" &&
    tr -d "\r" <"$OUT" | grep -q "rows	40000"'

finish
