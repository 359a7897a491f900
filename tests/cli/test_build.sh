#!/bin/sh
# End-to-end tests of the Makefile's upkeep, on a copy of the sources in $TMP (only the few
# targets involved are built, a few seconds): a .lua module added is embedded, and once
# deleted it is no longer embedded, without `make clean`; changing VERSION rebuilds the
# program's objects that show it (cvkit --version is never stale); a C file deleted leaves
# the core library; nothing is remade when nothing changed.
. tests/cli/lib.sh

T=$TMP/tree
mkdir -p "$T/tests/fuzz" "$T/tools"
cp -R Makefile VERSION include src lua models "$T"/
cp tools/embed.c "$T/tools/"
cp tests/fuzz/fuzz.mk "$T/tests/fuzz/"
# mk TARGET... [VAR=VALUE...]: make in the copy, plain (not the SAN=1 or -j of a make above)
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$T" SAN= BUILDROOT=build "$@" \
        >"$OUT" 2>"$ERR"
    rc=$?
}
GEN=build/gen/embedded_lua.c

printf 'return {}\n' >"$T/lua/cv/zz_probe.lua"
mk "$GEN"
check "a new .lua module is embedded" '[ $rc -eq 0 ] && grep -q "lua/cv/zz_probe.lua" "$T/$GEN"'
rm "$T/lua/cv/zz_probe.lua"
mk "$GEN"
check "a deleted .lua module is no longer embedded (no make clean)" '[ $rc -eq 0 ] &&
    ! grep -q "zz_probe" "$T/$GEN" && grep -q "lua/cv/i18n.lua" "$T/$GEN"'
before=$(cksum <"$T/$GEN")
unchanged() { [ "$(cksum <"$T/$GEN")" = "$before" ]; }
mk "$GEN"
check "nothing changed: nothing remade" '[ $rc -eq 0 ] && [ ! -s "$OUT" ] && unchanged'

mk build/src/cli/main.o
check "the program's main object builds with VERSION $(cat VERSION)" '[ $rc -eq 0 ] &&
    grep -qF "$(cat VERSION)" "$T/build/src/cli/main.o"'
printf '9.8.7-probe\n' >"$T/VERSION"
# file times are coarse (a few ms): the object made just before could carry the same time as
# the new VERSION, so it is dated a second back, as any object built before an edit is
touch -d '1 second ago' "$T/build/src/cli/main.o"
mk build/src/cli/main.o build/src/cli/cmd_repl.o
check "a new VERSION rebuilds what shows it" '[ $rc -eq 0 ] &&
    grep -q "9.8.7-probe" "$T/build/src/cli/main.o" &&
    grep -q "9.8.7-probe" "$T/build/src/cli/cmd_repl.o"'

# the core library without one of its files: cancel.c and error.c are small; the archive
# is remade from the objects of the files there are
mk build/libcvcore.a CORE_SRC="src/core/cancel.c src/core/error.c src/core/progress.c"
check "the core library holds its files' objects" '[ $rc -eq 0 ] &&
    ar t "$T/build/libcvcore.a" | grep -qx progress.o'
rm "$T/src/core/progress.c"
mk build/libcvcore.a CORE_SRC="src/core/cancel.c src/core/error.c"
check "a deleted C file leaves the library (no make clean)" '[ $rc -eq 0 ] &&
    ! ar t "$T/build/libcvcore.a" | grep -qx progress.o &&
    ar t "$T/build/libcvcore.a" | grep -qx cancel.o'

finish
