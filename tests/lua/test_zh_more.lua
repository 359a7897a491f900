-- The rest of issue 15's Chinese, as a reader sees it: the console table's type line, its
-- missing values, bools and "more rows" line come from the catalogue (core.table.*, the
-- binding translating the core's English); the core messages with %c and %x conversions
-- read in Chinese; the costing messages' column lists; and the explanations of the
-- decision and CRM cost helpers show money as the money kind does (two decimals and
-- separators), in both languages.
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq, ok = T.test, T.eq, T.ok

local function with_lang(lang, f)
   i18n.set_lang(lang)
   local r = table.pack(pcall(f))
   i18n.set_lang(nil)
   if not r[1] then error(r[2], 0) end
   return table.unpack(r, 2, r.n)
end

local function sample()
   return cv.table { { "id", { 1, 2, 3 } }, { "name", { "甲", nil, "c", n = 3 } },
      { "spend", { 1.5, nil, 1234.25, n = 3 } }, { "vip", { true, false, true } } }
end

test("the type line, missing values and bools of a table in Chinese", function()
   eq(with_lang("zh", function() return sample():to_string("text") end),
      "    id  name         spend  vip\n"
      .. "<整数>  <字符串>  <浮点数>  <布尔值>\n"
      .. "------  --------  --------  --------\n"
      .. "     1  甲            1.50  是\n"
      .. "     2  –                –  否\n"
      .. "     3  c          1234.25  是\n")
end)

test("the same table in English is as before", function()
   eq(with_lang("en", function() return sample():to_string("text") end),
      "   id  name        spend  vip\n"
      .. "<int>  <string>  <float>  <bool>\n"
      .. "-----  --------  -------  ------\n"
      .. "    1  甲           1.50  true\n"
      .. "    2  na             na  false\n"
      .. "    3  c         1234.25  true\n")
end)

test("every type label and the more-rows line have a Chinese entry", function()
   local want = { ["<int>"] = "<整数>", ["<float>"] = "<浮点数>", ["<string>"] = "<字符串>",
      ["<date>"] = "<日期>", ["<datetime>"] = "<日期时间>", ["<bool>"] = "<布尔值>" }
   for en, zh in pairs(want) do eq(i18n.message(en, "zh"), zh) end
   -- the count keeps its separators; the English plural's "s" is not said
   eq(i18n.message("… 1,990 more rows", "zh"), "… 另有 1,990 行")
   eq(i18n.message("… 1 more row", "zh"), "… 另有 1 行")
   eq(i18n.message("… 1,990 more rows", "en"), "… 1,990 more rows")
end)

test("the core messages with %c and %02x conversions read in Chinese", function()
   eq(i18n.message('thousands = "," with decimal_comma = true: the two marks are the same', "zh"),
      'thousands = "," 与 decimal_comma = true：两个符号相同')
   eq(i18n.message("tx.csv:3:7: expected UTF-8 text, found the invalid byte 0xff", "zh"),
      "tx.csv:3:7: 应为 UTF-8 文本，实际遇到无效字节 0xff")
   eq(i18n.message("x.csv:1:2: expected GB18030 text, found the invalid byte 0x80", "zh"),
      "x.csv:1:2: 应为 GB18030 文本，实际遇到无效字节 0x80")
   -- a read of such a file says it in Chinese too
   local path = os.tmpname()
   local f = assert(io.open(path, "wb"))
   f:write("a,b\n1,\255\n")
   f:close()
   local okr, err = with_lang("zh", function() return pcall(cv.read_csv, path) end)
   os.remove(path)
   ok(not okr and tostring(err):find("应为 UTF-8 文本，实际遇到无效字节 0xff", 1, true), err)
end)

test("the costing messages' column lists in Chinese", function()
   eq(i18n.message("activity 'review': time equation names an unknown field 'key' "
      .. "(columns: a, b)", "zh"), "作业 'review'：时间方程引用了未知字段 'key'（现有的列：a, b）")
   eq(i18n.message("activity 'review': time equation names an unknown field 'ordrs' "
      .. "(did you mean 'orders'?)", "zh"),
      "作业 'review'：时间方程引用了未知字段 'ordrs'（是否要用 'orders'？）")
end)

test("a decision's amounts are money: two decimals and separators", function()
   local c = cv.decision.classify({
      { "CRM module", 18000, sunk = true },
      { "wages", 30000.5, avoidable = true },
   }, { decision = "d" })
   ok(c:text { lang = "zh" }:find("  相关：1 项，合计 30,000.50；无关：1 项，合计 18,000.00", 1, true),
      c:text { lang = "zh" })
   ok(c:text { lang = "en" }:find("relevant: 1 items, 30,000.50; irrelevant: 1 items, 18,000.00",
      1, true), c:text { lang = "en" })
end)

test("scenario values of mixed kinds keep their separators", function()
   local sc = cv.scenario { base = { n = 1000 },
      variants = { { "more", n = 2000 } }, metrics = { "count", "value" },
      model = function(v) return { count = v.n, value = v.n * 12.345 } end }
   local t = sc:run():by_metric()
   local text = t:to_string("text")
   ok(text:find("24,690.00", 1, true) and text:find("2,000.00", 1, true), text)
end)

-- (that every format of model_cov*.c, model_diagnostics.c, model_dyncov*.c, lbind.c and
-- l_table.c has its entry: tests/lua/test_core_messages_io.lua)
test("the covariate, diagnostics and binding messages read in Chinese", function()
   eq(i18n.message("bgnbd: p_alive not computable for 3 row(s), first row 7", "zh"),
      "bgnbd：p_alive 无法计算，共 3 行，第一行为第 7 行")
   eq(i18n.message("profile: value -1 is not a positive number", "zh"), "轮廓似然：取值 -1 不是正数")
   eq(i18n.message("column 'a' mixes numbers and strings", "zh"), "列 'a' 混有数值和字符串")
   eq(i18n.message("pareto_nbd with dynamic covariates: customer 3: x = 2, t_x = 1, T = 5", "zh"),
      "带时变协变量的 pareto_nbd：第 3 位客户：x = 2, t_x = 1, T = 5")
end)

test("a table built from mixed values says so in Chinese", function()
   local okr, err = with_lang("zh", function()
      return pcall(cv.table, { { "a", { 1, "x" } } })
   end)
   ok(not okr and tostring(err):find("列 'a' 混有数值和字符串", 1, true), err)
end)

T.report()
