#!/bin/sh
# The map of docs/hacking.md cannot rot: every path it names in backquotes under src/,
# include/, lua/, tests/, docs/, models/, tools/ or examples/ exists (a pattern with * matches
# at least one file), and every source file of src/, include/cvkit/ and lua/cv/ is named there,
# directly or by such a pattern. README's layout section points to the page.
. tests/cli/lib.sh

DOC=docs/hacking.md
# the backquoted words that are repository paths (placeholders such as <name> are not)
grep -o '`[^`]*`' "$DOC" | tr -d '`' |
    grep -E '^(src|include|lua|tests|docs|models|tools|examples)/[A-Za-z0-9_.*/-]+$' |
    sort -u >"$TMP/paths"
: >"$TMP/missing"
while read -r p; do
    case "$p" in
    *'*'*)
        # a pattern: some file matches it
        set -- $p
        [ -e "$1" ] || echo "$p" >>"$TMP/missing"
        ;;
    *) [ -e "$p" ] || echo "$p" >>"$TMP/missing" ;;
    esac
done <"$TMP/paths"
n=$(wc -l <"$TMP/paths")
check "docs/hacking.md names at least 150 paths (the map is there)" '[ "$n" -ge 150 ]'
check "every path docs/hacking.md names exists" '[ ! -s "$TMP/missing" ] ||
    { sed "s/^/      missing: /" "$TMP/missing"; false; }'

# every source file has a place on the map: named, or matched by a named pattern
: >"$TMP/unmapped"
for f in src/core/*.c src/core/*.h src/lua/*.c src/lua/*.h src/cli/*.c src/cli/*.h \
    include/cvkit/*.h lua/cv/*.lua; do
    grep -qxF "$f" "$TMP/paths" && continue
    found=0
    while read -r p; do
        case "$p" in
        *'*'*) case "$f" in $p) found=1 ;; esac ;;
        esac
    done <"$TMP/paths"
    [ $found -eq 1 ] || echo "$f" >>"$TMP/unmapped"
done
check "every source file is on the map of docs/hacking.md" '[ ! -s "$TMP/unmapped" ] ||
    { sed "s/^/      not on the map (add it to a row of docs\/hacking.md): /" "$TMP/unmapped";
      false; }'

# a path that does not exist is caught (the check above can fail)
printf '%s\n' 'see `src/core/no_such_file.c` and `tests/lua/test_*.nope`' >"$TMP/bad.md"
bad=$(grep -o '`[^`]*`' "$TMP/bad.md" | tr -d '`' | while read -r p; do
    set -- $p
    [ -e "$1" ] || echo "$p"
done | wc -l)
check "a missing path and an unmatched pattern are both reported" '[ "$bad" -eq 2 ]'

check "README's layout section points to docs/hacking.md" \
    'sed -n "/^## Building, layout, dependencies/,/^## /p" README.md | grep -qF "docs/hacking.md"'

finish
