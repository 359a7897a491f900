#!/bin/sh
# Issue 15: a sandbox refusal names the script file and line, as other errors do, in both
# languages: a read outside the allowed folders refused in C (src/lua/sandbox.c) below the
# cv.read_csv wrapper of lua/cv (the line is the script's, never lua/cv/opts.lua's), a
# write and a module refused directly.
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1

script read.lua 'local first = 1

local t = cv.read_csv("/etc/passwd")
print("after")'
run "$CVKIT" run --sandbox read.lua
check "a refused read names the script line" '[ $rc -eq 8 ] && ! out_has after &&
    err_line1_is "cvkit: read.lua:3: cannot read '"'"'/etc/passwd'"'"': outside the folders this sandbox may read ('"'"'$TMP'"'"', '"'"'$TMP/out'"'"') (sandbox)"'
run "$CVKIT" run --lang zh --sandbox read.lua
check "a refused read names the script line in Chinese" '[ $rc -eq 8 ] && ! out_has after &&
    err_line1_is "cvkit: read.lua:3: 无法读取 '"'"'/etc/passwd'"'"'：不在此沙箱可读的文件夹（'"'"'$TMP'"'"', '"'"'$TMP/out'"'"'）之内（沙箱）"'

script caught.lua 'local ok, e = pcall(cv.read_csv, "/etc/passwd")
print(e)'
run "$CVKIT" run --sandbox caught.lua
check "a refusal the script catches names its line too" '[ $rc -eq 0 ] &&
    out_has "caught.lua:1: cannot read '"'"'/etc/passwd'"'"'" && ! out_has "lua/cv/"'

script write.lua 'local t = cv.table { { "a", { 1 } } }
t:write("/tmp/cvkit-never-written.csv")'
run "$CVKIT" run --lang zh --sandbox write.lua
check "a refused write names the script line in Chinese" '[ $rc -eq 8 ] &&
    err_line1_is "cvkit: write.lua:2: 无法写入 '"'"'/tmp/cvkit-never-written.csv'"'"'：不在输出文件夹 '"'"'$TMP/out'"'"' 之内（沙箱）" &&
    [ ! -e /tmp/cvkit-never-written.csv ]'

script mod.lua '
require("io")'
run "$CVKIT" run --sandbox mod.lua
check "a refused module names the script line" '[ $rc -eq 8 ] &&
    err_line1_is "cvkit: mod.lua:2: module '"'"'io'"'"' is not available in the sandbox"'

finish
