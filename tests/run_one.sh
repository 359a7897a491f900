#!/bin/sh
# Runs one unit or Lua test for tests/run.sh, which runs several at a time: its output goes to
# $RES/NAME.log, its exit status to $RES/NAME.rc and its seconds to $RES/NAME.s, NAME being
# the test's path with / as _. $VG is the valgrind command line under make valgrind.
# Usage: sh tests/run_one.sh TEST   (a binary under $BUILD/tests/, or tests/lua/test_*.lua)
t=$1
name=$(echo "$t" | tr / _)
t0=$(date +%s)
case "$t" in
# CVKIT_VALGRIND tells a Lua test its long double runs in double precision (memcheck has no
# 80-bit x87): the one test that compares two Gamma-Gamma fits summed in different orders to
# 1e-9 (test_sql_ch.lua) checks them to 1e-7 there
*.lua) CVKIT_VALGRIND=${VG:+1} $VG "$CVKIT" run "$t" >"$RES/$name.log" 2>&1 ;;
*) $VG "$t" >"$RES/$name.log" 2>&1 ;;
esac
echo $? >"$RES/$name.rc"
echo $(($(date +%s) - t0)) >"$RES/$name.s"
