-- Issue 15: a text holding a NUL byte where a path, an option or a column name is expected
-- is refused with a clear message (lbind_checkstring and lbind_anchor, src/lua/lbind.c),
-- in both languages, instead of being read cut at the NUL (a different file or column).
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, ok, eq = T.test, T.ok, T.eq

local CSV = "examples/data/transactions.csv"
local MSG = "' is followed by a NUL character (\\0): a name, a path or an option cannot hold one"

local function fails(f)
   local good, e = pcall(f)
   return not good and tostring(e) or nil
end

test("a path with a NUL is refused, never read as the part before it", function()
   ok(pcall(cv.read_csv, CSV), "the file itself reads")
   local e = fails(function() return cv.read_csv(CSV .. "\0.other") end)
   ok(e and e:find("'" .. CSV .. MSG, 1, true), e)
   local t = cv.table { { "a", { 1 } } }
   e = fails(function() t:write("out/x.csv\0.txt") end)
   ok(e and e:find("'out/x.csv" .. MSG, 1, true), e)
end)

test("a column name with a NUL is refused: as an argument and inside a table", function()
   local t = cv.table { { "a", { 1 } } }
   local e = fails(function() return t:col("a\0b") end)
   ok(e and e:find("'a" .. MSG, 1, true), e)
   e = fails(function() return t:select { "a\0x" } end)
   ok(e and e:find("'a" .. MSG, 1, true), e)
   ok(t:select { "a" }:ncols() == 1, "without the NUL it works")
end)

test("a column name with a NUL is refused where one name stands for a list", function()
   local t = cv.table { { "a", { 2, 1 } }, { "b", { 3, 4 } } }
   for what, f in pairs {
      table = function() return cv.table { { "a\0b", { 1 } } } end,
      sort = function() return t:sort("a\0x", "desc") end,
      select = function() return t:select("a\0x") end,
      join = function() return t:join(t, { on = "a\0x" }) end,
   } do
      local e = fails(f)
      ok(e and e:find("'a" .. MSG, 1, true), what .. ": " .. tostring(e))
   end
   eq(t:sort("a"):col("a"):totable(), { 1, 2, n = 2 })
end)

test("the refusal reads in Chinese", function()
   i18n.set_lang("zh")
   local e = fails(function() return cv.read_csv(CSV .. "\0x") end)
   i18n.set_lang(nil)
   ok(e and e:find("'" .. CSV .. "' 之后有空字符（\\0）：名称、路径或选项中不能含有空字符", 1, true), e)
end)

T.report()
