-- Tests of the help catalogue (lua/cv/help.lua) and of the REPL's Lua side (lua/cv/repl.lua):
-- every formula and model has a topic with assumptions and a literature reference in both
-- languages, every function of cv and every table method has help, the generated reference
-- docs/topics.md is up to date; completion, multi-line detection and result printing.
local T = require "cv.testing"
local help = require "cv.help"
local repl = require "cv.repl"
local i18n = require "cv.i18n"

local top = os.getenv("TOP") or "."

-- ---- Coverage ------------------------------------------------------------------------------

T.test("every formula has help with assumptions and a reference, in both languages", function()
   local missing = {}
   for _, f in ipairs(cv.formula.list()) do
      local t = help.get("cv." .. f.name)
      if not t or not t.assume or not t.ref then
         missing[#missing + 1] = f.name
      else
         local en, zh = help.text("cv." .. f.name, "en"), help.text("cv." .. f.name, "zh")
         T.ok(en:find("assumptions:", 1, true) and en:find("reference:", 1, true), en)
         T.ok(zh:find("假设：", 1, true) and zh:find("参考文献：", 1, true), zh)
         -- the formula itself comes from explain: the same words as `cvkit explain NAME`
         T.ok(en:find(require("cv.explain").inputs_text(f.name, { lang = "en" }):match("^[^\n]*"),
            1, true), en)
      end
   end
   T.eq(missing, {}, "formulas without assumptions or reference")
end)

T.test("every model has help with its parameters, assumptions and a reference", function()
   local missing = {}
   for _, name in ipairs(require("cv.script").list()) do
      local t = help.get(name)
      if not t or not t.assume or not t.ref then
         missing[#missing + 1] = name
      end
   end
   T.eq(missing, {}, "models without a topic with assumptions and reference")
   local text = help.text("clv_simple", "en")
   T.ok(text:find("lifetime   expected customer lifetime in years (default 5)", 1, true), text)
   T.ok(help.text("clv_simple", "zh"):find("默认 5", 1, true))
   T.ok(help.text("bgnbd", "en"):find("Fader, Hardie & Lee (2005)", 1, true))
end)

T.test("every model's description and parameters are in the catalogue", function()
   local missing = {}
   for _, name in ipairs(require("cv.script").list()) do
      local m = require("models." .. name)
      if not i18n.has("model." .. name) then
         missing[#missing + 1] = "model." .. name
      end
      for p in pairs(m.params or {}) do
         if not i18n.has("model." .. name .. "." .. p) and not i18n.has("model.param." .. p) then
            missing[#missing + 1] = "model." .. name .. "." .. p
         end
      end
   end
   table.sort(missing)
   T.eq(missing, {})
end)

T.test("every function of cv and every table method has help", function()
   local missing = {}
   local function check(name, fn)
      if not help.resolve(fn) then
         missing[#missing + 1] = name
      end
   end
   for k, v in pairs(cv) do
      if type(v) == "function" then
         check("cv." .. k, v)
      elseif type(v) == "table" and k ~= "params" and k ~= "segment_schemes" then
         for k2, v2 in pairs(v) do
            if type(v2) == "function" then
               check("cv." .. k .. "." .. k2, v2)
            end
         end
      end
   end
   local t = cv.table { { "a", { 1 } } }
   for k, v in pairs(repl.methods(t)) do
      check("Table:" .. k, v)
   end
   for k, v in pairs(repl.methods(t:col("a"))) do
      check("Column:" .. k, v)
   end
   table.sort(missing)
   T.eq(missing, {})
end)

T.test("help resolves loose names", function()
   T.eq(help.resolve("summary"), "cv.summary")
   T.eq(help.resolve("clv.simple"), "cv.clv.simple")
   T.eq(help.resolve("filter"), "Table:filter")
   T.eq(help.resolve("t:filter"), "Table:filter")
   T.eq(help.resolve(cv.read_csv), "cv.read_csv")
   T.eq(help.resolve(cv.clv.simple), "cv.clv.simple")
   T.eq(help.resolve(cv.table { { "a", { 1 } } }), "Table")
   T.eq(help.resolve("no such thing"), nil)
end)

T.test("docs/topics.md is the generated help (cvkit help --markdown)", function()
   local f = io.open(top .. "/docs/topics.md")
   T.ok(f, "docs/topics.md is missing: cvkit help --markdown --lang en > docs/topics.md")
   local text = f:read("a")
   f:close()
   T.ok(text == help.markdown("en"),
      "docs/topics.md is out of date: run cvkit help --markdown --lang en > docs/topics.md")
   f = io.open(top .. "/docs/topics.zh.md")
   T.ok(f, "docs/topics.zh.md is missing")
   text = f:read("a")
   f:close()
   T.ok(text == help.markdown("zh"),
      "docs/topics.zh.md is out of date: run cvkit help --markdown --lang zh > docs/topics.zh.md")
end)

-- ---- The prompt's Lua side ----------------------------------------------------------------

T.test("compile: complete, incomplete and wrong chunks", function()
   T.ok(repl.compile("1 + 2"))
   T.ok(repl.compile("x = 1"))
   local f, err, more = repl.compile("for i = 1, 3 do")
   T.eq({ f, more }, { nil, true })
   f, err, more = repl.compile("x = 1 +")
   T.eq(more, true)
   f, err, more = repl.compile("1 +") -- an expression cut after an operator
   T.eq(more, true)
   f, err, more = repl.compile("x = = 1")
   T.eq(more, false)
   T.ok(err:find("unexpected symbol near '='", 1, true), err)
end)

-- Runs f with io.write and io.stderr:write captured; returns f's result, stdout, stderr.
local function capture(f, ...)
   local out, err = {}, {}
   local write, stderr = io.write, io.stderr
   io.write = function(...)
      for _, s in ipairs { ... } do
         out[#out + 1] = tostring(s)
      end
   end
   io.stderr = { write = function(_, ...)
      for _, s in ipairs { ... } do
         err[#err + 1] = tostring(s)
      end
   end }
   local ok, r = pcall(f, ...)
   io.write, io.stderr = write, stderr
   assert(ok, r)
   return r, table.concat(out), table.concat(err)
end

T.test("feed prints values, keeps errors on stderr and asks for more", function()
   local r, out, err = capture(repl.feed, "1 + 2, 'x'")
   T.eq({ r, out, err }, { "ok", "3\tx\n", "" })
   r, out, err = capture(repl.feed, "error('boom')")
   T.eq({ r, out, err }, { "error", "", "stdin:1: boom\n" })
   r = capture(repl.feed, "local t = {\n")
   T.eq(r, "more")
   r, out = capture(repl.feed, "{b = 2, 1, 'a'}")
   T.eq(out, '{1, "a", b = 2}\n')
end)

T.test("a table prints its shape, types and first rows", function()
   local t = cv.table { { "id", { 1, 2, 3 } }, { "amount", { 2.5, 3, 4 } } }
   local _, out = capture(repl.show, t)
   T.ok(out:find("cv.Table (3 rows × 2 columns)", 1, true), out)
   T.ok(out:find("<int>", 1, true) and out:find("<float>", 1, true), out)
   local saved = repl.rows
   repl.rows = 2
   _, out = capture(repl.show, t)
   repl.rows = saved
   T.ok(out:find("… 1 more rows", 1, true), out)
   i18n.set_lang("zh")
   _, out = capture(repl.show, t)
   i18n.set_lang(nil)
   T.ok(out:find("cv.Table（3 行 × 2 列）", 1, true), out)
end)

T.test("completion of names, methods, columns and row fields", function()
   _G.tx = cv.table { { "customer_id", { "a" } }, { "amount", { 1 } }, { "客户", { "甲" } } }
   T.eq(repl.complete("cv.clv.si", "cv.clv.si"), { "cv.clv.simple" })
   T.eq(repl.complete("cv.cl", "cv.cl"), { "cv.clv." })
   T.eq(repl.complete("tx:gro", "tx:gro"), { "tx:group_by" })
   T.eq(repl.complete('tx:col("cu', "cu"), { "customer_id" })
   T.eq(repl.complete('tx:col("', ""), { "amount", "customer_id", "客户" })
   T.eq(repl.complete('tx:col("客', "客"), { "客户" })
   T.eq(repl.complete('cv.summary(tx, {customer = "cu', "cu"), { "customer_id" })
   T.eq(repl.complete("tx:filter(function(r) return r.am", "r.am"), { "r.amount" })
   T.eq(repl.complete("for _, row in tx:rows() do print(row.cu", "row.cu"), { "row.customer_id" })
   T.eq(repl.complete('cv.read_csv("da', "da"), nil) -- a file name: readline's own completion
   local words = repl.complete("whi", "whi")
   T.eq(words, { "while" })
   _G.tx = nil
end)

T.test("load binds a dataset and refuses a bad name", function()
   local path = os.tmpname()
   local f = assert(io.open(path, "w"))
   f:write("id,amount\n1,2.5\n2,3\n")
   f:close()
   local name, t = repl.load("small=" .. path)
   T.eq({ name, #t, _G.small == t }, { "small", 2, true })
   local msg = T.raises("bad dataset", repl.load, "9x=" .. path)
   T.ok(msg:find("expected name=file.csv", 1, true))
   os.remove(path)
   _G.small = nil
end)

T.report()
