#!/bin/sh
# Issue 15: Ctrl-C (SIGINT) during a long step ends the progress line with a newline
# (cv_engine_progress_interrupted, called by the program's signal handler), so that the
# shell's prompt does not start after "reading  45% ... 0 s". Under a pseudo-terminal
# (script(1), as test_progress.sh) a script reads a file in a loop, its line shown from the
# first report (CVKIT_PROGRESS_AFTER=0); once the line is on the screen (polled), the
# program gets SIGINT; its screen must then end on a line end or an erased line, and it
# dies of the signal.
. tests/cli/lib.sh
unset CVKIT_LANG LC_ALL LC_MESSAGES
export LANG=C.UTF-8 TERM=dumb

if ! command -v script >/dev/null 2>&1; then
    echo "# script(1) is missing (util-linux): the terminal tests are skipped"
    finish
    exit $?
fi

# about 35 MB: a read reports every MiB, so its line stays on the screen while it runs
awk 'BEGIN { print "id,date,amount"
    for (i = 0; i < 1500000; i++)
        printf "%d,2020-%02d-%02d,%.2f\n", i % 37000 + 1, i % 12 + 1, i % 28 + 1,
            (i % 997) / 10 }' \
    >"$TMP/big.csv"
script loop.lua 'while true do cv.read_csv(arg[1]) end'

# the last three bytes of the screen, in hexadecimal
tail3() { tail -c 3 "$OUT" | od -An -tx1 | tr -d ' \n'; }

interrupt_run() { # $1: extra options of cvkit run, $2: a word of the line to wait for
    rm -f "$TMP/pid"
    want=$2
    # env --default-signal: a background job of sh starts with SIGINT ignored, which cvkit
    # keeps (as under nohup); a terminal's Ctrl-C reaches a foreground program
    command script -qfec "sh -c 'echo \$\$ >\"$TMP/pid\"; CVKIT_PROGRESS_AFTER=0 exec \
env --default-signal=INT \"$CVKIT\" run $1 \"$TMP/loop.lua\" \"$TMP/big.csv\"'" /dev/null \
        </dev/null >"$OUT" 2>"$ERR" &
    spid=$!
    # once the line is on the screen, not just erased (the end of one read)
    wait_for 60 '[ -s "$TMP/pid" ] && grep -q "$want" "$OUT" && [ "$(tail3)" != 1b5b4b ]' &&
        kill -INT "$(cat "$TMP/pid")"
    # never hang: a program still running is killed (and the checks then fail)
    if ! wait_for 30 '! kill -0 "$(cat "$TMP/pid")" 2>/dev/null'; then
        kill -KILL "$(cat "$TMP/pid")" 2>/dev/null
        echo "# the program did not end on SIGINT"
    fi
    wait $spid
    rc=$?
}

interrupt_run "" reading
check "Ctrl-C during a read: the line was shown, then ended with a newline or erased" \
    'grep -q "reading" "$OUT" && case $(tail3) in *0a | 1b5b4b) true ;; *) false ;; esac'
check "... and the program died of SIGINT (script(1) gives 128 + 2)" '[ $rc -eq 130 ]'

interrupt_run "--lang zh" "读取"
check "the same in Chinese" \
    'grep -q "读取" "$OUT" && case $(tail3) in *0a | 1b5b4b) true ;; *) false ;; esac'

finish
