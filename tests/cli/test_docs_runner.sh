#!/bin/sh
# End-to-end tests of the docs' example runner (tests/docs/run_docs.lua) on two pages made
# for it: tests/docs/fixtures/good.md, whose examples all pass (every form the convention
# has), and bad.md, whose examples each fail in one way that the runner must name.
. tests/cli/lib.sh
RUNNER=tests/docs/run_docs.lua
TOP=${TOP:-$PWD}
export TOP CVKIT
before=$(ls -R tests/docs)

run "$CVKIT" run $RUNNER tests/docs/fixtures/good.md
check "good.md: every example passes" \
    '[ $rc -eq 0 ] && out_has "# 5 passed, 0 failed (1 examples not run)"'
check "good.md: the example not run is listed with its reason" \
    'out_has "tests/docs/fixtures/good.md:60: shows a command that needs a server"'
check "nothing is written into the repository" \
    '[ "$(ls -R tests/docs)" = "$before" ] && [ ! -e out/hi.txt ] && [ ! -e "$TMP/hi.txt" ]'

run "$CVKIT" run $RUNNER tests/docs/fixtures/bad.md
check "bad.md: nine failures, none passed" \
    '[ $rc -eq 1 ] && out_has "# 0 passed, 9 failed (1 examples not run)"'
check "a wrong --> value is named with what was printed" \
    'out_has "line 4: --> 3" && grep -qF "printed: 2" "$OUT"'
check "a number is compared at the decimals written (0.666... is not 0.66)" \
    'out_has "line 5: --> 0.66"'
check "a wrong output block is shown against what was printed" \
    'out_has "bad.md:8: \`\`\`lua block (lines 8-10): the output differs" && out_has "| not seen"'
check "an error names the page's own line" 'out_has "cvkit: tests/docs/fixtures/bad.md:16: boom"'
check "the blocks after a failed one are not reached" \
    '[ "$(grep -c "not reached: an earlier block failed" "$OUT")" -eq 2 ]'
check "a shell command's output and exit status are checked" \
    'out_has "2 commands did not give the output shown" && out_has "| two" && out_has "exit 1:"'
check "an unlabelled example is reported" 'out_has "bad.md:32: looks like an example"'
check "an unlabelled output block is reported" \
    'out_has "bad.md:38: an output block right after an example: label it \`\`\`text"'
check "a marker needs a reason" 'out_has "bad.md:42: a marker must give its reason"'

# A shell example shows stdout and stderr as a terminal does: with both in one file, the
# program keeps their order (stdout is line-buffered then; src/cli/main.c). io.write, not
# print: Lua's print flushes stdout after each line.
script order.lua 'io.write("one\n") io.stderr:write("two\n") io.write("three\n")'
"$CVKIT" run "$TMP/order.lua" >"$OUT" 2>&1
rc=$?
check "stdout and stderr in one file keep their order" \
    '[ "$(cat "$OUT" | tr "\n" " ")" = "one two three " ]'
"$CVKIT" run "$TMP/order.lua" >"$OUT" 2>"$ERR"
check "apart, each stream has its own lines" 'out_is "one
three" && [ "$(cat "$ERR")" = "two" ]'
finish
