-- The core's messages (cv_error texts of src/core) in the user's language: every format a
-- formula, summary, model or Monte Carlo user can meet has a core.* entry in the catalogue
-- whose English is the C text exactly (so a changed C message fails here), and
-- i18n.message fills the values into the Chinese, a wrapped message translated too.
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq, ok = T.test, T.eq, T.ok

local top = os.getenv("TOP") or "."

-- The formats given to cv_error_set / cv_error_at in a C file: the first run of string
-- literals of each call, joined as the compiler joins them.
local function formats(path)
   local f = assert(io.open(path))
   local src = f:read("a")
   f:close()
   local out = {}
   for call in src:gmatch("cv_error_[sa][et]t?%s*(%b())") do
      local s = call:match('^%([^"]-(".*)')
      if s then
         local parts, rest = {}, s
         while true do
            local lit, after = rest:match('^"(.-[^\\])"%s*(.*)$')
            if not lit then
               lit, after = rest:match('^""%s*(.*)$'), nil
               if not lit then break end
               lit, after = "", lit
            end
            parts[#parts + 1] = lit
            rest = after
            if rest:sub(1, 1) ~= '"' then break end
         end
         out[#out + 1] = table.concat(parts):gsub('\\"', '"')
      end
   end
   return out
end

-- The core files whose messages a formula, summary, model or simulation user can meet.
local FILES = { "formulas", "lifecycle", "model_core", "model_check", "model_fit",
   "model_stderr", "model_collapse", "model_predict", "model_clv", "model_validate",
   "model_tracking", "model_simulate", "montecarlo", "optim", "summary", "crmcost", "interval",
   "model_interval", "summary_result" }
-- generic formats that only pass another message on (their parts are translated)
local GENERIC = { ["%s"] = true, ["%s: %s"] = true, ["%s: %s%s"] = true }

test("every message of the formulas, summaries, models and simulation has an entry", function()
   local known = {}
   for _, e in ipairs(i18n.entries()) do
      if e.key:sub(1, 5) == "core." then known[e.en] = e end
   end
   local missing, n = {}, 0
   for _, name in ipairs(FILES) do
      for _, fmt in ipairs(formats(top .. "/src/core/" .. name .. ".c")) do
         n = n + 1
         if not GENERIC[fmt] and not known[fmt] then
            missing[#missing + 1] = name .. ".c: " .. fmt
         end
      end
   end
   ok(n > 100, "the formats are found (" .. n .. ")")
   eq(missing, {})
end)

test("every core entry keeps the C conversions in order in Chinese", function()
   local bad = {}
   for _, e in ipairs(i18n.entries()) do
      if e.key:sub(1, 5) == "core." and (not e.zh or i18n.conversions(e.zh) ~= i18n.conversions(e.en)) then
         bad[#bad + 1] = e.key
      end
   end
   eq(bad, {})
end)

test("a core message in Chinese: values kept, location kept, a wrapped message translated", function()
   eq(i18n.message("retention must be between 0 and 1, got 80", "zh"),
      "retention 必须在 0 与 1 之间，实际为 80")
   eq(i18n.message("retention must be between 0 and 1, got 80", "en"),
      "retention must be between 0 and 1, got 80")
   eq(i18n.message("row 3: margin must be >= 0, got -5", "zh"), "第 3 行：margin 必须 >= 0，实际为 -5")
   eq(i18n.message("tx.csv: no transactions to summarize", "zh"), "tx.csv: 没有可汇总的交易")
   eq(i18n.message("bgnbd: p_alive not computable for 2 row(s), first row 7", "zh"),
      "bgnbd：p_alive 无法计算，共 2 行，第一行为第 7 行")
   -- a percent sign in a value stays one
   eq(i18n.message("input 2: normal: sd must be >= 0, got -1", "zh"),
      "第 2 个输入：normal：sd 必须 >= 0，实际为 -1")
   -- an unknown text is left as it is
   eq(i18n.message("something 100% new", "zh"), "something 100% new")
end)

test("an error from the core reaches a script in Chinese under --lang zh", function()
   i18n.set_lang("zh")
   local ok1, msg = pcall(cv.clv.retention, { margin = 100, retention = 80, discount = 0.1,
      period = "year" })
   local ok2, msg2 = pcall(cv.formula.eval, "clv.simple", { avg_purchase = 100, frequency = 2 })
   i18n.set_lang(nil)
   local ok3, msg3 = pcall(cv.clv.retention, { margin = 100, retention = 80, discount = 0.1,
      period = "year" })
   eq(ok1, false)
   ok(msg:find("retention 必须在 0 与 1 之间，实际为 80", 1, true), msg)
   eq(ok2, false)
   ok(not msg2:find("must", 1, true), msg2)
   eq(ok3, false)
   ok(msg3:find("retention must be between 0 and 1, got 80", 1, true), msg3)
   -- the exit code still follows the core's (7: a number outside a formula's domain)
   local _, _, code = cv.try(cv.clv.retention, { margin = 100, retention = 80, discount = 0.1,
      period = "year" })
   eq(code, 7)
end)

T.report()
