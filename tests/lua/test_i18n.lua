-- Tests of the one catalogue of user-facing text (lua/cv/i18n.lua): every key has English
-- and Chinese with the same placeholders, the program's C messages (src/cli) are all in
-- it, languages are chosen and fall back as documented. The missing ones are listed.
local T = require "cv.testing"
local i18n = require "cv.i18n"

local top = os.getenv("TOP") or "."

-- Everything that adds to the catalogue: the Lua modules and the bundled models.
local function load_all()
   local names = {}
   for name in pairs(package.preload) do
      if name == "cv" or name:match("^cv%.") or name:match("^models%.") then
         names[#names + 1] = name
      end
   end
   table.sort(names)
   local failed = {}
   for _, name in ipairs(names) do
      local ok, err = pcall(require, name)
      if not ok then
         failed[#failed + 1] = name .. ": " .. tostring(err)
      end
   end
   return failed
end

T.test("every module and model loads", function()
   local failed = load_all()
   T.eq(failed, {})
end)

-- ---- Completeness ----------------------------------------------------------------------

T.test("every key has a Chinese text", function()
   local missing = i18n.untranslated("zh")
   if #missing > 0 then
      error(#missing .. " keys lack zh:\n  " .. table.concat(missing, "\n  "))
   end
end)

T.test("every key has an English text", function()
   T.eq(i18n.untranslated("en"), {})
end)

-- One catalogue: no module under lua/cv keeps a block of messages or labels of its own.
-- The texts of help topics (cv.help: each beside its topic) and of declared options (cv.opts:
-- each beside its option) are added from those declarations, the one exception.
T.test("no module under lua/cv adds catalogue entries outside lua/cv/i18n.lua", function()
   local found, n = {}, 0
   local declarations = { ["cv.help"] = true, ["cv.opts"] = true }
   for name in pairs(package.preload) do
      if (name == "cv" or name:match("^cv%.")) and not name:match("^cv%.core%.")
            and name ~= "cv.i18n" then
         local path = name == "cv" and "/lua/cv/init.lua"
            or "/lua/" .. name:gsub("%.", "/") .. ".lua"
         local f = assert(io.open(top .. path, "rb"))
         local src = f:read("a"):gsub("%-%-%[(=*)%[.-%]%1%]", ""):gsub("%-%-[^\n]*", "")
         f:close()
         n = n + 1
         if src:find("i18n%.add%s*[({]") and not declarations[name] then
            found[#found + 1] = name .. ": i18n.add"
         end
         local key = src:match('%[%s*"([%w_.]+)"%s*%]%s*=%s*{%s*en%s*=')
         if key then found[#found + 1] = name .. ": " .. key end
      end
   end
   table.sort(found)
   T.ok(n >= 20, "modules read: " .. n)
   T.eq(found, {})
end)

-- The {name} placeholders of a text, sorted and joined.
local function placeholders(s)
   local set, out = {}, {}
   for name in s:gmatch("{([%w_]+)}") do
      if not set[name] then
         set[name] = true
         out[#out + 1] = name
      end
   end
   table.sort(out)
   return table.concat(out, ",")
end

T.test("translations keep the placeholders and printf conversions", function()
   local bad = {}
   for _, key in ipairs(i18n.untranslated("none")) do -- every key
      local en, zh = i18n.t(key, nil, "en"), i18n.t(key, nil, "zh")
      -- (a text showing Lua syntax, {"param", {values}}, has braces that are not placeholders)
      if placeholders(en) ~= placeholders(zh) and not en:find('{"', 1, true) then
         bad[#bad + 1] = key .. ": {" .. placeholders(en) .. "} vs {" .. placeholders(zh) .. "}"
      elseif i18n.conversions(en) ~= i18n.conversions(zh) then
         bad[#bad + 1] = key .. ": " .. i18n.conversions(en) .. " vs " .. i18n.conversions(zh)
      end
   end
   if #bad > 0 then
      error("placeholders differ:\n  " .. table.concat(bad, "\n  "))
   end
end)

-- ---- The program's C messages -------------------------------------------------------------

-- Tokens of C source: {kind = "str", v = text (adjacent literals joined, escapes read)},
-- {kind = "id", v = name}, {kind = "p", v = char}. Comments and preprocessor lines skipped.
local function c_tokens(src)
   local out, i, n = {}, 1, #src
   local esc = { n = "\n", t = "\t", ["\\"] = "\\", ['"'] = '"', ["'"] = "'", ["0"] = "\0" }
   while i <= n do
      local c = src:sub(i, i)
      if c:match("%s") then
         i = i + 1
      elseif src:sub(i, i + 1) == "/*" then
         i = (src:find("*/", i + 2, true) or n) + 2
      elseif src:sub(i, i + 1) == "//" or (c == "#" and (i == 1 or src:sub(i - 1, i - 1) == "\n")) then
         local j = i
         repeat -- a preprocessor line may continue with a backslash
            j = src:find("\n", j + 1, true) or n + 1
         until src:sub(j - 1, j - 1) ~= "\\" or c ~= "#"
         i = j + 1
      elseif c == '"' then
         local buf, j = {}, i + 1
         while j <= n and src:sub(j, j) ~= '"' do
            local d = src:sub(j, j)
            if d == "\\" then
               local e = src:sub(j + 1, j + 1)
               if e == "x" then
                  local hex = src:match("^%x+", j + 2)
                  buf[#buf + 1] = string.char(tonumber(hex, 16))
                  j = j + 2 + #hex
               else
                  buf[#buf + 1] = esc[e] or e
                  j = j + 2
               end
            else
               buf[#buf + 1] = d
               j = j + 1
            end
         end
         local last = out[#out]
         if last and last.kind == "str" then
            last.v = last.v .. table.concat(buf)
         else
            out[#out + 1] = { kind = "str", v = table.concat(buf) }
         end
         i = j + 1
      elseif c == "'" then
         local j = src:find("'", i + (src:sub(i + 1, i + 1) == "\\" and 3 or 2), true) or n
         out[#out + 1] = { kind = "p", v = "c" }
         i = j + 1
      elseif c:match("[%a_]") then
         local id = src:match("^[%w_]+", i)
         out[#out + 1] = { kind = "id", v = id }
         i = i + #id
      elseif c:match("%d") then
         local num = src:match("^[%w_.]+", i)
         out[#out + 1] = { kind = "id", v = num }
         i = i + #num
      else
         out[#out + 1] = { kind = "p", v = c }
         i = i + 1
      end
   end
   return out
end

-- The texts the program prints through cli_tr: the literals given to cli_tr(...) and to
-- cli_error(code, ...) in src/cli/*.c, and the command table's summaries and options.
local function c_messages()
   local files = {}
   local ls = io.popen("ls " .. top .. "/src/cli/*.c")
   for f in ls:lines() do
      files[#files + 1] = f
   end
   ls:close()
   local msgs, seen = {}, {}
   local function add(s, where)
      if s and s:gsub("%%[^%a]*%a", ""):find("%a") and not seen[s] then -- not a bare "%s"
         seen[s] = true
         msgs[#msgs + 1] = { text = s, where = where }
      end
   end
   for _, path in ipairs(files) do
      local f = assert(io.open(path))
      local toks = c_tokens(f:read("a"))
      f:close()
      local short = path:match("src/cli/.*$")
      for k, t in ipairs(toks) do
         if t.kind == "id" and t.v == "cli_tr" and toks[k + 1] and toks[k + 1].v == "(" then
            local s = toks[k + 2]
            if s and s.kind == "str" then
               add(s.v, short)
            end
         elseif t.kind == "id" and t.v == "cli_error" and toks[k + 1] and toks[k + 1].v == "(" then
            local j = k + 2 -- skip the code up to its comma
            while toks[j] and toks[j].v ~= "," and toks[j].v ~= ")" do
               j = j + 1
            end
            local s = toks[j + 1]
            if s and s.kind == "str" and toks[j].v == "," then
               add(s.v, short)
            end
         elseif t.kind == "id" and t.v == "exit_status" and toks[k + 1] and toks[k + 1].v == "="
            and toks[k + 2].kind == "str" then
            add(toks[k + 2].v, short)
         end
      end
      if short == "src/cli/commands.c" then
         -- {"name", fn, "synopsis", "summary", "options" | NULL}
         for k = 1, #toks - 8 do
            if toks[k].v == "{" and toks[k + 1].kind == "str" and toks[k + 2].v == ","
               and toks[k + 3].kind == "id" and toks[k + 5] and toks[k + 5].kind == "str"
               and toks[k + 7] and toks[k + 7].kind == "str" then
               add(toks[k + 7].v, short)
               if toks[k + 9] and toks[k + 9].kind == "str" then
                  add(toks[k + 9].v, short)
               end
            end
         end
      end
   end
   return msgs
end

T.test("the program's messages are in the catalogue", function()
   local msgs = c_messages()
   T.ok(#msgs > 20, "found only " .. #msgs .. " messages in src/cli")
   local missing = {}
   for _, m in ipairs(msgs) do
      if i18n.translate(m.text, "zh") == m.text then
         missing[#missing + 1] = m.where .. ": " .. string.format("%q", m.text)
      end
   end
   if #missing > 0 then
      error(#missing .. " messages of the program lack a catalogue entry (key cli.*, en = the "
         .. "text):\n  " .. table.concat(missing, "\n  "))
   end
end)

-- ---- Choosing and falling back -----------------------------------------------------------

T.test("language names", function()
   T.eq(i18n.normalize("zh_CN.UTF-8"), "zh")
   T.eq(i18n.normalize("zh-Hans"), "zh")
   T.eq(i18n.normalize("en_US.UTF-8"), "en")
   T.eq(i18n.normalize("C"), "en")
   T.eq(i18n.normalize("fr"), nil)
end)

T.test("a missing translation falls back to English, a missing key to itself", function()
   i18n.add { ["test.only_english"] = { en = "only {x} in english" } }
   T.eq(i18n.t("test.only_english", { x = 1 }, "zh"), "only 1 in english")
   T.eq(i18n.untranslated("zh", "test."), { "test.only_english" })
   T.eq(i18n.t("test.no_such_key", nil, "zh"), "test.no_such_key")
   i18n.add { ["test.only_english"] = { en = "only {x} in english", zh = "只有 {x}" } }
end)

T.test("set_lang switches the language of t", function()
   local before = i18n.lang()
   i18n.set_lang("zh")
   T.eq(i18n.t("help.ref_heading"), "参考文献：")
   i18n.set_lang("en")
   T.eq(i18n.t("help.ref_heading"), "reference:")
   T.raises("unknown language 'xx'", i18n.set_lang, "xx")
   i18n.set_lang(before)
end)

T.test("translate looks up English texts and keeps printf conversions", function()
   T.eq(i18n.translate("out of memory", "zh"), "内存不足")
   T.eq(i18n.translate("no such text anywhere", "zh"), "no such text anywhere")
   i18n.add { ["test.bad_conv"] = { en = "file %s line %d", zh = "第 %d 行，文件 %s 错" } }
   T.eq(i18n.translate("file %s line %d", "zh"), "file %s line %d")
   i18n.add { ["test.bad_conv"] = { en = "file %s line %d", zh = "文件 %s 第 %d 行" } }
   T.eq(i18n.translate("file %s line %d", "zh"), "文件 %s 第 %d 行")
end)

T.test("explain and the help speak both languages", function()
   local explain = require "cv.explain"
   local zh = explain.text("clv.simple", { avg_purchase = 100, frequency = 4, lifetime = 5 },
      { lang = "zh" })
   T.ok(zh:find("客户终身价值 = 100.00 × 4 × 5 = 2,000.00", 1, true), zh)
   local help = require "cv.help"
   T.ok(help.text("cv.clv.simple", "zh"):find("假设：", 1, true))
   T.ok(help.text("cv.clv.simple", "en"):find("assumptions:", 1, true))
end)

T.test("a report's labels in both languages", function()
   local function page(lang)
      i18n.set_lang(lang)
      local html = cv.report { sections = { { heading = "x", table = cv.table { { "a", { 1 } } } } } }:html()
      i18n.set_lang(nil)
      return html
   end
   local en, zh = page("en"), page("zh")
   T.ok(en:find("<title>Report</title>", 1, true) or en:find(">Report<", 1, true), "en title")
   T.ok(en:find("Made with cvkit", 1, true), "en footer")
   T.ok(zh:find("报告", 1, true), "zh title")
   T.ok(zh:find("由 cvkit", 1, true) and zh:find("单个自包含页面", 1, true), "zh footer")
end)

-- ---- Chinese column names -------------------------------------------------------------------
-- A CSV with the header 客户,日期,金额 (customer, date, amount) through every operation that
-- takes a column name. Hand-computed: 甲 buys 100 + 300 + 200 = 600 in 3 orders, 乙 50 + 70
-- = 120 in 2, 丙 20 in 1; total 740.
local zh_csv = "客户,日期,金额\n甲,2024-01-01,100\n乙,2024-01-02,50\n甲,2024-01-15,300\n"
   .. "丙,2024-02-01,20\n乙,2024-02-10,70\n甲,2024-03-01,200\n"

local function zh_table()
   local path = os.tmpname()
   local f = assert(io.open(path, "w"))
   f:write(zh_csv)
   f:close()
   local t = cv.read_csv(path, { types = { ["日期"] = "date" } })
   os.remove(path)
   return t
end

T.test("chinese column names: read_csv, col, filter, sort", function()
   local t = zh_table()
   T.eq(t:names(), { "客户", "日期", "金额" })
   T.eq(t:types(), { "string", "date", "int" })
   T.eq(t:col("金额"):sum(), 740)
   local big = t:filter("金额", ">=", 100)
   T.eq(#big, 3)
   T.eq(big:col("客户"):totable(), { "甲", "甲", "甲", n = 3 })
   local sorted = t:sort("金额", "desc")
   T.eq(sorted:row(1)["金额"], 300)
   T.eq(t:filter(function(r) return r["客户"] == "乙" end):col("金额"):sum(), 120)
   T.raises_plain("no column '数量'", t.col, t, "数量")
end)

T.test("chinese column names: group_by, join, select", function()
   local t = zh_table()
   local g = t:group_by({ "客户" }, { ["订单数"] = "count", ["收入"] = { "sum", "金额" } })
   g = g:sort("客户")
   T.eq(g:names(), { "客户", "收入", "订单数" })
   local by = {}
   for _, r in g:rows() do
      by[r["客户"]] = { r["订单数"], r["收入"] }
   end
   T.eq(by, { ["甲"] = { 3, 600 }, ["乙"] = { 2, 120 }, ["丙"] = { 1, 20 } })
   local region = cv.table { { "客户", { "甲", "乙" } }, { "地区", { "华东", "华南" } } }
   local j = t:join(region, { on = "客户", how = "left" }):select { "客户", "地区", "金额" }
   T.eq(#j, 6)
   T.eq(j:filter("地区", "==", "华东"):col("金额"):sum(), 600)
   T.eq(j:filter("客户", "==", "丙"):row(1)["地区"], nil)
end)

T.test("chinese column names: summary and a formula's column form and explain", function()
   local s = cv.summary(zh_table(), { customer = "客户", date = "日期", amount = "金额", unit = "day" })
   s = s:sort("customer")
   local rows = {}
   for _, r in s:rows() do
      rows[r.customer] = r
   end
   T.eq(rows["甲"].orders, 3)
   T.eq(rows["甲"].x, 2)
   T.near(rows["甲"].revenue, 600)
   T.near(rows["甲"].t_x, 60) -- 2024-01-01 to 2024-03-01: 31 + 29 days
   T.eq(rows["丙"].x, 0)
   local t = zh_table():group_by({ "客户" }, { ["平均购买额"] = { "mean", "金额" }, ["次数"] = "count" })
   local clv = cv.clv.simple(t, { avg_purchase = "平均购买额", frequency = "次数", lifetime = 5 }, "终身价值")
   local got = {}
   for _, r in clv:rows() do
      got[r["客户"]] = r["终身价值"]
   end
   T.near(got["甲"], 200 * 3 * 5)
   T.near(got["乙"], 60 * 2 * 5)
   local text = require("cv.explain").text("clv.simple",
      { avg_purchase = 200, frequency = 3, lifetime = 5 }, { lang = "zh" })
   T.ok(text:find("客户终身价值 = 200.00 × 3 × 5 = 3,000.00", 1, true), text)
end)

T.report()
