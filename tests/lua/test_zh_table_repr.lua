-- Issue 15: a table's one-line forms in the reader's language. tostring(t) and the line of
-- a table without columns come from the catalogue (core.table.shape, core.table.closed,
-- core.table.no_columns: the binding translates the core's English); English is unchanged.
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq = T.test, T.eq

local function with_lang(lang, f)
   i18n.set_lang(lang)
   local r = table.pack(pcall(f))
   i18n.set_lang(nil)
   if not r[1] then error(r[2], 0) end
   return table.unpack(r, 2, r.n)
end

local function two_rows()
   return cv.table { { "a", { 1, 2 } } }
end

test("tostring of a table in English and in Chinese", function()
   eq(with_lang("en", function() return tostring(two_rows()) end),
      "cv.Table (2 rows × 1 columns)")
   eq(with_lang("zh", function() return tostring(two_rows()) end), "cv.Table（2 行 × 1 列）")
end)

test("tostring of a closed table in both languages", function()
   local t = two_rows()
   t:close()
   eq(with_lang("en", function() return tostring(t) end), "cv.Table (closed)")
   eq(with_lang("zh", function() return tostring(t) end), "cv.Table（已关闭）")
end)

test("a table without columns prints one line in the reader's language", function()
   local empty = two_rows():select {}
   eq(with_lang("en", function() return empty:to_string("text") end), "(no columns, 0 rows)\n")
   eq(with_lang("zh", function() return empty:to_string("text") end), "（无列，0 行）\n")
end)

T.report()
