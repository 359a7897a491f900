#!/bin/sh
# Runs cvkit under valgrind's memcheck for the CLI tests of `make valgrind` (tests/run.sh
# puts this file in $CVKIT): the real program is $CVKIT_VG_BIN; each process writes its
# findings to $CVKIT_VG_LOGS/vg.PID (empty when clean), so the tests' own output and exit
# codes stay the program's, and run.sh fails the test file when a log is not empty.
# --fair-sched=yes: the watchdog thread gets its turn while the main thread computes.
exec valgrind -q --fair-sched=yes --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite \
    --log-file="$CVKIT_VG_LOGS/vg.%p" "$CVKIT_VG_BIN" "$@"
