#!/bin/sh
# An uninstalled build run from another folder finds its own tree's models (#20): after
# ./models/NAME.lua and PREFIX/share/cvkit/models/NAME.lua comes TREE/models/NAME.lua, TREE
# being the folder above build/ (or build/san/) when it holds lua/cv/init.lua, found from
# the executable's resolved place (src/cli/script_path.c). A name never leaves the models
# folder; a path stays a path, relative to where cvkit runs; a copy of the binary outside a
# tree has no tree to look in. (tests/cli/test_install.sh checks the installed search.)
. tests/cli/lib.sh
TOP=$PWD
DATA=$TOP/examples/data/transactions.csv
AWAY=$TMP/away
mkdir -p "$AWAY"

# the in-tree run by path, the reference
run "$CVKIT" run models/clv_bgnbd.lua --data "$DATA" --out "$TMP/intree.csv"
check "in-tree run by path" '[ $rc -eq 0 ] && [ -s "$TMP/intree.csv" ]'

cd "$AWAY" || exit 1
run "$CVKIT" run clv_bgnbd --data "$DATA" --out "$AWAY/clv.csv"
check "from another folder, a bundled model by name runs the tree's file: same table" \
    '[ $rc -eq 0 ] && cmp -s "$TMP/intree.csv" "$AWAY/clv.csv"'

run "$CVKIT" clv --out "$AWAY/clv_out" "$DATA"
check "cvkit clv from another folder finds the tree's models/clv.lua" \
    '[ $rc -eq 0 ] && [ -n "$(ls "$AWAY/clv_out")" ] && ! err_has "cannot open script"'

run "$CVKIT" models
check "cvkit models from another folder gives the tree's files" \
    "[ \$rc -eq 0 ] && out_has \"file: $TOP/models/clv_bgnbd.lua\""

run "$CVKIT" run no_such_model
check "an unknown name: the message names the three places searched, exit 3" \
    "[ \$rc -eq 3 ] && err_has \"in ./models, \" && err_has \"/share/cvkit/models, $TOP/models: see 'cvkit models'\""

# a name is a plain name: a leading '.' is not looked up, a '/' makes it a path from here
run "$CVKIT" run .clv_bgnbd
check "a name with a leading '.' is not looked up in the tree" \
    '[ $rc -eq 3 ] && err_has ".clv_bgnbd: cannot open script"'
run "$CVKIT" run ../models/clv_bgnbd.lua --data "$DATA" --out "$AWAY/escaped.csv"
check "a path is a path from the current folder, never from the tree's models" \
    '[ $rc -ne 0 ] && [ ! -e "$AWAY/escaped.csv" ]'

# a symbolic link to the build resolves into the tree; a copy outside any tree does not
mkdir -p "$TMP/bin" "$TMP/lone"
ln -s "$CVKIT" "$TMP/bin/cvkit"
run "$TMP/bin/cvkit" run clv_bgnbd --data "$DATA" --out "$AWAY/linked.csv"
check "through a symbolic link to the build, the tree's models" \
    '[ $rc -eq 0 ] && cmp -s "$TMP/intree.csv" "$AWAY/linked.csv"'
cp "$CVKIT" "$TMP/lone/cvkit"
run "$TMP/lone/cvkit" run clv_bgnbd --data "$DATA" --out "$AWAY/lone.csv"
check "a copy outside a source tree has no tree to look in" \
    "[ \$rc -eq 3 ] && [ ! -e \"\$AWAY/lone.csv\" ] && ! err_has \"$TOP/models\""
cd "$TOP" || exit 1

finish
