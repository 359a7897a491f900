#!/bin/sh
# The layers and the dependencies of the C sources stay acyclic (#20):
#   - the include graph of src/, include/cvkit/ and tools/ (quoted includes) has no cycle;
#   - public headers include only public headers; the core includes nothing of src/lua or
#     src/cli; the CLI reaches the engine through src/lua/engine.h, never the bindings'
#     helpers (lbind.h) or the engine's insides (engine_int.h);
#   - between the core's object files (who calls whom, from nm), a cycle stays inside one
#     group of files behind one private header (csv_int.h, table_int.h, ...), and no model
#     file (one model each) calls another: what models share is in the model core
#     (model_core.c, model_check.c, model_fit.c, model_stderr.c, model_collapse.c);
#   - the databases' group (sql_int.h) has no call cycle even inside: sql.c (the public entry
#     points) dispatches to the drivers (sql_sqlite.c, sql_pg.c, sql_ch.c -> sql_ch_text.c),
#     which call what they share in sql_common.c, never back up; above sql.c the summary's
#     runner (sql_summary.c) and the score view (sql_score.c) call its text builders
#     (sql_summary_ch.c -> sql_summary_text.c).
# Cheap: a few greps and one nm per object file.
. tests/cli/lib.sh

BUILD=${BUILD:-build}
: >"$OUT"
: >"$ERR"

# ---- the include graph: "from to" edges, each include resolved as the compiler would
# ("cvkit/x.h" under include/; "x.h" beside the including file, else in src/lua, as -I says)
ls src/*/*.h include/cvkit/*.h >"$TMP/headers"
for f in src/*/*.c src/*/*.h include/cvkit/*.h tools/*.c; do
    sed -n "s|^[[:space:]]*#[[:space:]]*include[[:space:]]*\"\([^\"]*\)\".*|$f \1|p" "$f"
done | awk 'NR == FNR { have[$1] = 1; next }
    {
        dir = $1; sub(/\/[^\/]*$/, "", dir)
        n = split(dir "/" $2 " include/" $2 " src/lua/" $2, cand, " ")
        for (i = 1; i <= n; i++)
            if (cand[i] in have) { print $1, cand[i]; next }
        print $1, "UNRESOLVED:" $2
    }' "$TMP/headers" - >"$TMP/inc"

# cycles by transitive closure (a few hundred nodes at most): prints "a <-> b" when each reaches
# the other
cycles() {
    awk '{
        if (!($1 in id)) { id[$1] = ++n; name[n] = $1 }
        if (!($2 in id)) { id[$2] = ++n; name[n] = $2 }
        r[id[$1], id[$2]] = 1
        if ($1 == $2)
            self[id[$1]] = 1
    }
    END {
        for (k = 1; k <= n; k++)
            for (i = 1; i <= n; i++)
                if ((i, k) in r)
                    for (j = 1; j <= n; j++)
                        if ((k, j) in r)
                            r[i, j] = 1
        for (i = 1; i <= n; i++)
            for (j = i; j <= n; j++)
                if ((i, j) in r && (j, i) in r && (j > i || self[i]))
                    print name[i] " <-> " name[j]
    }' "$1"
}

n=$(wc -l <"$TMP/inc")
check "the include graph is read ($n edges, every include resolved)" \
    '[ "$n" -ge 300 ] && ! grep UNRESOLVED "$TMP/inc"'
cycles "$TMP/inc" >"$TMP/inc_cycles"
check "no include cycle among src/, include/cvkit/ and tools/" '[ ! -s "$TMP/inc_cycles" ] ||
    { sed "s/^/      cycle: /" "$TMP/inc_cycles"; false; }'
# the check can fail: a made-up cycle is found
printf 'a.h b.h\nb.h c.h\nc.h a.h\nd.h a.h\n' >"$TMP/fake"
check "a made-up cycle a.h -> b.h -> c.h -> a.h is found" \
    '[ "$(cycles "$TMP/fake" | wc -l)" -eq 3 ] && ! cycles "$TMP/fake" | grep -q d.h'

awk '$1 ~ /^include\// && $2 !~ /^include\// ||
     $1 ~ /^src\/core\// && $2 ~ /^src\/(lua|cli)\// ||
     $1 ~ /^src\/cli\// && $2 ~ /^src\/lua\/(lbind|engine_int)\.h$/' "$TMP/inc" >"$TMP/layers"
check "public headers, the core and the CLI include only what their layer may" \
    '[ ! -s "$TMP/layers" ] || { sed "s/^/      crosses a layer: /" "$TMP/layers"; false; }'

# ---- who calls whom between the core's object files (functions only: the registry's table of
# model descriptors in model_core.c is data)
if [ ! -f "$BUILD/src/core/model_core.o" ]; then
    echo "# (no $BUILD/src/core objects: build first)"
    check "the core's objects are built" false
    finish
fi
for o in "$BUILD"/src/core/*.o; do
    b=$(basename "$o" .o)
    [ -f "src/core/$b.c" ] || continue # left by a source since deleted
    nm "$o" | awk -v f="$b" 'NF == 3 && $2 == "T" { print "D", f, $3 }
                             NF == 2 && $1 == "U" { print "U", f, $2 }'
done >"$TMP/syms"
# the group of each core file: the private header it includes, the one named as the file
# (csv_read.c: csv_int.h) when several (fileio_int.h, shared by the writers, is not a group),
# else the file alone
for c in src/core/*.c; do
    b=$(basename "$c" .c)
    g=$(sed -n 's/^#include "\([a-z_]*_int\.h\)".*/\1/p' "$c" | grep -v '^fileio_int\.h$' |
        awk -v b="$b" '{ stem = $0; sub(/_int\.h$/, "", stem) }
            index(b, stem "_") == 1 || b == stem { print; found = 1; exit }
            NR == 1 { first = $0 } END { if (!found && first != "") print first }')
    echo "G $b ${g:-$b}"
done >"$TMP/groups"
awk '$1 == "D" { def[$3] = $2 }
     $1 == "U" { use[++n] = $2 " " $3 }
     END { for (i = 1; i <= n; i++) { split(use[i], u, " ");
               if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]] } }' \
    "$TMP/syms" | sort -u >"$TMP/calls"
n=$(wc -l <"$TMP/calls")
check "the calls between core files are read ($n edges)" '[ "$n" -ge 150 ]'
# the cycles of the calls file $1 between files of different groups
cross_group() {
    cycles "$1" | awk 'NR == FNR { grp[$2] = $3; next }
        $1 != $3 && grp[$1] != grp[$3] { print $1 " <-> " $3 }' "$TMP/groups" -
}
cross_group "$TMP/calls" >"$TMP/call_cycles"
check "calls between core files cycle only inside a group behind one private header" \
    '[ ! -s "$TMP/call_cycles" ] || { sed "s/^/      cycle: /" "$TMP/call_cycles"; false; }'

printf 'csv_read csv_sample\ncsv_sample csv_read\nmodel_pnbd model_core\nmodel_core model_clv\nmodel_clv model_pnbd\n' >"$TMP/fake"
check "a made-up cycle across groups is found, one inside a group is not" \
    '[ "$(cross_group "$TMP/fake" | grep -c model_pnbd)" -eq 2 ] &&
     [ "$(cross_group "$TMP/fake" | wc -l)" -eq 2 ]'

# the databases' layers: no cycle among the files of the group behind sql_int.h. Calls
# file $1 -> the cycles among the sql group's files.
sql_cycles() {
    awk 'NR == FNR { if ($3 == "sql_int.h") sql[$2] = 1; next }
        ($1 in sql) && ($2 in sql)' "$TMP/groups" "$1" | cycles /dev/stdin
}
n=$(awk '$3 == "sql_int.h"' "$TMP/groups" | wc -l)
sql_cycles "$TMP/calls" >"$TMP/sql_cycles"
check "the database files ($n behind sql_int.h) call downwards only: no call cycle among them" \
    '[ "$n" -ge 7 ] &&
     { [ ! -s "$TMP/sql_cycles" ] || { sed "s/^/      cycle: /" "$TMP/sql_cycles"; false; }; }'
check "sql.c dispatches to the drivers, which call sql_common.c" \
    'grep -qx "sql sql_pg" "$TMP/calls" && grep -qx "sql_ch sql_common" "$TMP/calls" &&
     grep -qx "sql_sqlite sql_common" "$TMP/calls"'
# the old layout (the shared helpers in sql.c: the drivers called back up) is found
printf 'sql sql_pg\nsql_pg sql\nsql sql_ch\nsql_ch sql_ch_text\nsql_ch_text sql\nsql_summary sql\n' \
    >"$TMP/fake"
check "the old layout's cycles (sql.c <-> its drivers) are found, none through sql_summary" \
    '[ "$(sql_cycles "$TMP/fake" | wc -l)" -eq 6 ] &&
     sql_cycles "$TMP/fake" | grep -qx "sql <-> sql_pg" &&
     ! sql_cycles "$TMP/fake" | grep -q sql_summary'

# the one-model files: model_<name>.c defining a cv_model_<name> descriptor
grep -l '^const cv_model cv_model_' src/core/model_*.c | sed 's|src/core/||; s|\.c$||' \
    >"$TMP/models"
n=$(wc -l <"$TMP/models")
awk 'NR == FNR { m[$1] = 1; next } ($1 in m) && ($2 in m)' "$TMP/models" "$TMP/calls" \
    >"$TMP/model_calls"
check "no model file calls another ($n model files)" '[ "$n" -ge 5 ] &&
    { [ ! -s "$TMP/model_calls" ] || { sed "s/^/      calls: /" "$TMP/model_calls"; false; }; }'

finish
