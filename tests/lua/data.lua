-- The folder of the shared datasets for the Lua tests: $CVKIT_DATA, default ../shared/data
-- (relative to the repository root, where the tests run), with a "/" at the end:
--    local DATA = require "tests.lua.data"
-- When CDNOW_sample.txt is not there, the test file prints one failure that names the fix
-- and exits, instead of failing each of its tests with "cannot open the file".
local dir = os.getenv("CVKIT_DATA")
if dir == nil or dir == "" then
   dir = "../shared/data"
end
local f = io.open(dir .. "/CDNOW_sample.txt", "r")
if not f then
   print(string.format("FAIL  the shared datasets are not at %s: set CVKIT_DATA to their folder",
                       dir))
   print("# 0 passed, 1 failed")
   os.exit(1)
end
f:close()
return dir .. "/"
