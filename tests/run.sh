#!/bin/sh
# Runs every test of cvkit and ends with one line "N passed, N failed".
#   unit:     cmocka binaries of the core (build/tests/unit) and the bindings (build/tests/bind)
#   lua:      tests/lua/test_*.lua run by cvkit; each ends with "# N passed, N failed"
#   cli:      tests/cli/test_*.sh end-to-end; each ends with "# N passed, N failed"
#   examples: examples/*.lua that have an examples/*.expected, output compared exactly (and
#             with CVKIT_LANG=zh against *.zh.expected when there is one)
#   docs:     the examples of README.md and docs/*.md (tests/docs/run_docs.lua)
# Usage: sh tests/run.sh [GROUP]...  runs only those groups (unit lua cli examples docs;
# default all): `make test-unit`, `make test-lua`, `make test-cli` for quick loops.
# BUILD selects the build folder (build or build/san); VALGRIND=1 runs binaries under valgrind
# (the CLI tests: the files of VALGRIND_CLI, through tests/cli/valgrind.sh; the others are
# listed as skipped).
# The shared datasets are in $CVKIT_DATA (default ../shared/data; tests/data.sh); the database
# tests need the PostgreSQL server that tests/with_pg.sh starts around this script (`make test`
# does), or CVKIT_PG=skip.
BUILD=${BUILD:-build}
. tests/data.sh
if ! check_data 2>&1; then
    echo "0 passed, 1 failed"
    exit 1
fi
CVKIT="$PWD/$BUILD/cvkit"
CVKIT_LANG=en # messages in English whatever the locale; tests of Chinese ask for it
export CVKIT BUILD CVKIT_LANG
TOP=$PWD
export TOP
passed=0
failed=0
log=$(mktemp)
vglogs=$(mktemp -d)
RES=$(mktemp -d) # one log per unit and Lua test (tests/run_one.sh)
trap 'rm -f "$log"; rm -rf "$vglogs" "$RES"' EXIT
GROUPS=${*:-unit lua cli examples docs}
for g in $GROUPS; do
    case $g in
    unit | lua | cli | examples | docs) ;;
    *)
        echo "tests/run.sh: unknown group '$g' (unit, lua, cli, examples or docs)" >&2
        exit 2
        ;;
    esac
done
# want GROUP: 0 when GROUP is to run
want() { case " $GROUPS " in *" $1 "*) return 0 ;; esac; return 1; }
# The CLI tests under valgrind (make valgrind): a chosen subset, since all of them take about
# 25 minutes there on 2 cores; docs/safety.md says which and why. VALGRIND_CLI="..." for others.
VALGRIND_CLI=${VALGRIND_CLI:-"test_cli.sh test_progress.sh test_repl.sh"}
vg=""
# --fair-sched=yes: the watchdog thread gets its turn while the main thread computes
[ "${VALGRIND:-0}" = 1 ] && vg="valgrind -q --fair-sched=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"

# vg_skip SOURCE: under valgrind, true (and says so) when the test's source marks itself
# "memcheck: skip" in its first 12 lines, with the reason beside it: a test whose C paths the
# other memcheck runs already cover and that would take minutes there (docs/safety.md lists
# them). It still runs in make test and make test SAN=1.
vg_skip() {
    [ -n "$vg" ] && [ -f "$1" ] && head -n 12 "$1" | grep -q 'memcheck: skip' || return 1
    echo "  $1: skipped under valgrind (it runs in make test and make test SAN=1)"
}

# add_counts FILE: adds the "# N passed, N failed" line that a Lua or cli test printed.
add_counts() {
    line=$(grep -E '^# [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then
        failed=$((failed + 1))
        return 1
    fi
    p=$(echo "$line" | sed -E 's/^# ([0-9]+) passed, ([0-9]+) failed.*/\1/')
    f=$(echo "$line" | sed -E 's/^# ([0-9]+) passed, ([0-9]+) failed.*/\2/')
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -eq 0 ]
}

# run_tests TEST...: the unit binaries or Lua files given, run by tests/run_one.sh JOBS at a time
# (default: the cores; CVKIT_TEST_JOBS=1 runs one at a time), each but those valgrind skips;
# a test whose source says "test: serial" in its first 12 lines (it shares a database server
# with others) runs alone, after the rest. The results are reported in the order given.
JOBS=${CVKIT_TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
VG=$vg
export RES VG
source_of() { case "$1" in *.lua) echo "$1" ;; *) echo "tests/${1#"$BUILD"/tests/}.c" ;; esac; }
run_tests() {
    par="" ser=""
    for t in "$@"; do
        src=$(source_of "$t")
        if head -n 12 "$src" 2>/dev/null | grep -q 'test: serial'; then
            ser="$ser $t"
        else
            par="$par $t"
        fi
    done
    [ -n "$par" ] && printf '%s\n' $par | xargs -P "$JOBS" -n 1 sh tests/run_one.sh
    for t in $ser; do sh tests/run_one.sh "$t"; done
}
# result TEST: sets rc, secs and copies the test's output to $log (a test that left no
# status, say killed with its runner, counts as exit 127: a failure, never a pass)
result() {
    name=$(echo "$1" | tr / _)
    cat "$RES/$name.log" >"$log" 2>/dev/null
    rc=$(cat "$RES/$name.rc" 2>/dev/null || echo 127)
    secs=$(cat "$RES/$name.s" 2>/dev/null || echo "?")
}

if want unit; then
    list=""
    for t in "$BUILD"/tests/unit/test_* "$BUILD"/tests/bind/test_*; do
        case "$t" in *.d | *.o) continue ;; esac
        [ -x "$t" ] || continue
        vg_skip "$(source_of "$t")" && continue
        list="$list $t"
    done
    run_tests $list
    for t in $list; do
        result "$t"
        grep -E '^\[ *(PASSED|FAILED) *\] [0-9]+ test' "$log" | sed "s|\$| ${t##*/} ($secs s)|"
        p=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' "$log" | tail -n 1)
        f=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' "$log" | tail -n 1)
        passed=$((passed + ${p:-0}))
        failed=$((failed + ${f:-0}))
        if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
            echo "FAILED: $t exited with $rc"
            cat "$log"
            failed=$((failed + 1))
        elif [ -n "$f" ] && [ "$f" -gt 0 ]; then
            cat "$log"
        fi
    done
fi

if want lua; then
    list=""
    for t in tests/lua/test_*.lua; do
        [ -f "$t" ] || continue
        vg_skip "$t" && continue
        list="$list $t"
    done
    run_tests $list
    for t in $list; do
        result "$t"
        if ! add_counts "$log" || [ "$rc" -ne 0 ]; then
            echo "FAILED: $t (exit $rc)"
            cat "$log"
            [ "$rc" -ne 0 ] && grep -qE '^# [0-9]+ passed, 0 failed' "$log" && failed=$((failed + 1))
        else
            grep -E '^# [0-9]+ passed' "$log" | tail -n 1 | sed "s|^#|  $t:|; s|\$| ($secs s)|"
        fi
    done
fi

want cli && for t in tests/cli/test_*.sh; do
    [ -f "$t" ] || continue
    if [ -n "$vg" ]; then
        case " $VALGRIND_CLI " in
        *" ${t##*/} "*) ;;
        *)
            echo "  $t: skipped under valgrind (not in VALGRIND_CLI)"
            continue
            ;;
        esac
        rm -f "$vglogs"/vg.*
        CVKIT_VG_BIN=$CVKIT CVKIT_VG_LOGS=$vglogs CVKIT=$TOP/tests/cli/valgrind.sh \
            sh "$t" >"$log" 2>&1
    else
        sh "$t" >"$log" 2>&1
    fi
    rc=$?
    if ! add_counts "$log" || [ $rc -ne 0 ]; then
        echo "FAILED: $t (exit $rc)"
        cat "$log"
    else
        grep -E '^# [0-9]+ passed' "$log" | tail -n 1 | sed "s|^#|  $t:|"
    fi
    for v in "$vglogs"/vg.*; do # valgrind's findings, one file per process
        [ -s "$v" ] || continue
        echo "FAILED: $t: valgrind reports (process ${v##*.}):"
        cat "$v"
        failed=$((failed + 1))
    done
done

ex_pass=0
want examples && for e in examples/*.lua examples/*/*.lua; do
    [ -f "$e" ] || continue
    want="${e%.lua}.expected"
    [ -f "$want" ] || continue
    dir=$(dirname "$e")
    if (cd "$dir" && $vg "$CVKIT" run "$(basename "$e")" 2>&1) | diff -u "$want" - >"$log"; then
        passed=$((passed + 1))
        ex_pass=$((ex_pass + 1))
    else
        echo "FAILED: $e differs from $want"
        cat "$log"
        failed=$((failed + 1))
    fi
    want="${e%.lua}.zh.expected" # the same run in Chinese, when it has an expected output
    [ -f "$want" ] || continue
    if (cd "$dir" && CVKIT_LANG=zh $vg "$CVKIT" run "$(basename "$e")" 2>&1) | diff -u "$want" - >"$log"; then
        passed=$((passed + 1))
        ex_pass=$((ex_pass + 1))
    else
        echo "FAILED: $e (CVKIT_LANG=zh) differs from $want"
        cat "$log"
        failed=$((failed + 1))
    fi
done
[ $ex_pass -gt 0 ] && echo "  examples: $ex_pass passed"

# docs: every ```lua and ```sh example of README.md and docs/*.md, run and its output
# compared with the page (tests/docs/run_docs.lua says how pages mark output and exclusions)
if want docs; then
    "$CVKIT" run tests/docs/run_docs.lua >"$log" 2>&1
    rc=$?
    if ! add_counts "$log" || [ $rc -ne 0 ]; then
        echo "FAILED: tests/docs/run_docs.lua (exit $rc)"
        cat "$log"
    else
        grep -E '^# [0-9]+ passed' "$log" | tail -n 1 | sed "s|^#|  docs:|"
    fi
fi

skips=""
[ "${CVKIT_PG:-}" = skip ] && skips="PostgreSQL tests skipped: CVKIT_PG=skip"
[ "${CVKIT_CH:-}" = skip ] && skips="${skips:+$skips; }ClickHouse tests skipped: CVKIT_CH=skip"
if [ -n "$skips" ]; then
    echo "$passed passed, $failed failed ($skips)"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
