#!/bin/sh
# `make install` into a staging tree (DESTDIR) and what the installed program does from
# another folder: a bundled model run by name gives the same output as the in-tree run,
# the search order (a path as given, ./models/NAME.lua, PREFIX/share/cvkit/models found
# from the executable's place), the sandbox on a model found by name, a moved install,
# `cvkit models`, the man page, `make uninstall` and the `make dist` tarball's contents.
# CVKIT_TEST_DIST_BUILD=1 also builds the unpacked tarball with plain `make` and runs a
# model with it (slow: a full build).
. tests/cli/lib.sh
TOP=$PWD
# install the binary under test: build/san/cvkit under `make test SAN=1`, build/cvkit else
case "$CVKIT" in
*/san/cvkit) MAKEARGS="SAN=1 BUILDROOT=$(dirname "$(dirname "$CVKIT")")" ;;
*) MAKEARGS="BUILDROOT=$(dirname "$CVKIT")" ;;
esac
mk() { MAKEFLAGS= MAKELEVEL= make --no-print-directory -s $MAKEARGS "$@"; }

STAGE=$TMP/stage
CV=$STAGE/usr/bin/cvkit
SHARE=$STAGE/usr/share/cvkit
run mk install DESTDIR="$STAGE" PREFIX=/usr
check "make install DESTDIR=... PREFIX=/usr" '[ $rc -eq 0 ] && [ -x "$CV" ] &&
    [ -f "$SHARE/models/clv_bgnbd.lua" ] && [ -f "$SHARE/examples/data/transactions.csv" ] &&
    [ -f "$SHARE/examples/class/data/offers.csv" ] && [ -f "$STAGE/usr/share/man/man1/cvkit.1" ] &&
    [ -f "$STAGE/usr/share/doc/cvkit/LICENSE" ] &&
    [ -f "$STAGE/usr/share/doc/cvkit/docs/errors.md" ]'
nmodels=$(ls models/*.lua | wc -l)
check "every bundled model is installed" \
    '[ "$(ls "$SHARE"/models/*.lua | wc -l)" -eq "$nmodels" ] && [ "$nmodels" -ge 20 ]'

# in the tree, by path; installed, by name from a folder without models/
mkdir -p "$TMP/intree" "$TMP/away"
run "$CVKIT" run models/clv_bgnbd.lua --data examples/data/transactions.csv \
    --out "$TMP/intree/clv.csv"
grep -v '^wrote ' "$OUT" >"$TMP/intree/stdout"
check "in-tree run by path" '[ $rc -eq 0 ] && [ -s "$TMP/intree/clv.csv" ]'
cd "$TMP/away" || exit 1
run "$CV" run clv_bgnbd --data "$SHARE/examples/data/transactions.csv" --out "$TMP/away/clv.csv"
cd "$TOP" || exit 1
check "installed run by name from another folder: same table, same report" '[ $rc -eq 0 ] &&
    cmp -s "$TMP/intree/clv.csv" "$TMP/away/clv.csv" &&
    grep -v "^wrote " "$OUT" | cmp -s - "$TMP/intree/stdout" &&
    out_has "wrote $TMP/away/clv.csv (2,000 customers)"'
check "the table has every customer" '[ "$(wc -l <"$TMP/away/clv.csv")" -eq 2001 ]'

cd "$TMP/away" || exit 1
run "$CV" run clv_bgnbd.lua --data "$SHARE/examples/data/transactions.csv" --out n.csv
check "NAME.lua names the model too" '[ $rc -eq 0 ] && cmp -s n.csv "$TMP/intree/clv.csv"'

run "$CV" models
check "cvkit models: each model, its description and its installed file" '[ $rc -eq 0 ] &&
    [ "$(grep -c "^      file: $SHARE/models/[a-z_]*\.lua$" "$OUT")" -eq "$nmodels" ] &&
    out_has "  clv_simple  simple CLV per customer" &&
    grep -qxF "      file: $SHARE/models/clv_bgnbd.lua" "$OUT"'
run "$CV" models clv_simple
check "cvkit models NAME: its file and parameters" '[ $rc -eq 0 ] &&
    out_has "file: $SHARE/models/clv_simple.lua" && out_has "lifetime"'

# search order: ./models/NAME.lua before the installed one, a file named as given first
mkdir -p models
printf 'print("local model " .. (arg[1] or ""))\n' >models/clv_simple.lua
run "$CV" run clv_simple x
check "./models/NAME.lua comes before the installed model" '[ $rc -eq 0 ] &&
    out_is "local model x"'
run "$CV" models clv_simple
check "cvkit models shows the local file" 'out_has "      file: models/clv_simple.lua"'
printf 'print("a file named clv_simple")\n' >clv_simple
run "$CV" run clv_simple
check "a file named as given comes first" '[ $rc -eq 0 ] && out_is "a file named clv_simple"'
rm -rf models clv_simple

run "$CV" run clv_nope --data x.csv
want="cvkit: clv_nope: cannot open script (no such file, nor a bundled model of that name in"
want="$want ./models, $SHARE/models: see 'cvkit models')"
check "an unknown name: exit 3, the places searched" '[ $rc -eq 3 ] && err_line1_is "$want"'
run "$CV" run --lang zh clv_nope
check "the message in Chinese" '[ $rc -eq 3 ] && err_has "无法打开脚本" &&
    err_has "$SHARE/models"'
run "$CV" run ../clv_simple
check "a name with a / is a path, never searched" '[ $rc -eq 3 ] &&
    err_line1_is "cvkit: ../clv_simple: cannot open script (no such file or directory)"'

# the sandbox: a model found by name has the rights it has by path, no more
cp "$SHARE/examples/data/transactions.csv" tx.csv
run "$CV" run --sandbox clv_simple --data tx.csv --set lifetime=3
mv out/clv_simple.csv byname.csv
run "$CV" run --sandbox "$SHARE/models/clv_simple.lua" --data tx.csv --set lifetime=3
check "sandboxed by name = sandboxed by path" '[ $rc -eq 0 ] &&
    cmp -s byname.csv out/clv_simple.csv'
run "$CV" run --sandbox clv_simple --data tx.csv --out ../escape.csv
# (a model's --out is checked before any work starts: a usage error naming --out, exit 2)
check "sandboxed by name: no writing outside the output folder" '[ $rc -eq 2 ] && err_has "--out" &&
    err_has "outside the output folder" && [ ! -e ../escape.csv ]'

# a moved install and a symbolic link to the program find their own models
mv "$STAGE/usr" "$STAGE/opt"
run "$STAGE/opt/bin/cvkit" run clv_simple --data tx.csv --set lifetime=3 --out moved.csv
check "a moved install finds its models" '[ $rc -eq 0 ] && cmp -s moved.csv byname.csv'
mkdir -p bin && ln -s "$STAGE/opt/bin/cvkit" bin/cvkit
run bin/cvkit models clv_simple
check "through a symbolic link too" 'out_has "file: $STAGE/opt/share/cvkit/models/clv_simple.lua"'
mv "$STAGE/opt" "$STAGE/usr"
cd "$TOP" || exit 1

# the man page renders without a warning
MAN=$STAGE/usr/share/man/man1/cvkit.1
if command -v groff >/dev/null 2>&1; then
    run groff -man -Tutf8 -ww -P-bcou "$MAN"
    check "man page: groff -ww has no warning" '[ $rc -eq 0 ] && [ ! -s "$ERR" ] &&
        out_has "EXIT STATUS" && out_has "cvkit run clv_bgnbd"'
fi
if command -v mandoc >/dev/null 2>&1; then
    run mandoc -T lint -W warning "$MAN"
    check "man page: mandoc -T lint" '[ $rc -eq 0 ]'
fi
check "man page: the version is VERSION" 'grep -q "^\.TH CVKIT 1 .*\"cvkit $(cat VERSION)\"" "$MAN"'
check "man page: every exit code of docs/errors.md" '(for c in 0 2 3 4 5 6 7 8 9 128+N; do
    grep -q "^| $c |" docs/errors.md && grep -qx "\.B $c" "$MAN" || exit 1; done)'

run mk uninstall DESTDIR="$STAGE" PREFIX=/usr
check "make uninstall leaves no file behind" '[ $rc -eq 0 ] &&
    [ -z "$(find "$STAGE" ! -type d)" ] && [ -z "$(find "$STAGE" -name "*cvkit*")" ]'

# make dist: the committed tree, without build/ or .git
if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
    run mk dist DIST="$TMP/cvkit.tar.gz"
    v=$(cat VERSION)
    tar -tzf "$TMP/cvkit.tar.gz" >"$TMP/list" 2>/dev/null
    check "make dist: the release tarball" '[ $rc -eq 0 ] && (for f in LICENSE Makefile README.md \
        VERSION src/cli/main.c lua/cv/init.lua models/clv_bgnbd.lua docs/cvkit.1 \
        docs/errors.md tools/deps.sh examples/data/transactions.csv; do
        grep -qxF "cvkit-$v/$f" "$TMP/list" || exit 1; done)'
    check "make dist: no build/ and no .git" '! grep -qE "^cvkit-$v/(build|\.git)/" "$TMP/list" &&
        [ "$(grep -vc "^cvkit-$v/" "$TMP/list")" -eq 0 ]'
    if [ "${CVKIT_TEST_DIST_BUILD:-}" = 1 ]; then
        mkdir -p "$TMP/rel" && tar -xzf "$TMP/cvkit.tar.gz" -C "$TMP/rel"
        run sh -c "cd '$TMP/rel/cvkit-$v' && MAKEFLAGS= make -s -j2 >/dev/null &&
            build/cvkit run models/clv_bgnbd.lua --data examples/data/transactions.csv \
            --out '$TMP/rel/clv.csv'"
        check "the unpacked tarball builds with make and runs a model" '[ $rc -eq 0 ] &&
            cmp -s "$TMP/rel/clv.csv" "$TMP/intree/clv.csv"'
    fi
else
    echo "note  make dist: not a git checkout, the tarball is not made here"
fi
finish
