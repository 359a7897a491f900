-- Tests of the one vocabulary (issue 14, item 3) on the formulas' side, with values known
-- independently of cvkit: discount is always the annual effective rate and the formulas
-- whose margins, retention or profits are per period take a required period, the rate per
-- period derived from the annual one (1% a month is 1.01^12 - 1 = 12.682503013% a year);
-- column names that do not exist get "did you mean"; cv.summary_sql takes the options of
-- cv.summary; an error caught by the script's own pcall points at the script's line.
local T = require "cv.testing"
local test, eq, near, raises_plain, ok = T.test, T.eq, T.near, T.raises_plain, T.ok

local MONTHLY_1PCT = 1.01 ^ 12 - 1 -- 0.12682503013196977

test("a monthly retention CLV at 1% a month is the textbook one: 100 × 0.9 ÷ 0.11", function()
   near(MONTHLY_1PCT, 0.12682503013196977, 1e-15)
   local clv = cv.clv.retention { margin = 100, retention = 0.9, discount = MONTHLY_1PCT,
      period = "month" }
   near(clv, 100 * 0.9 / (1 + 0.01 - 0.9)) -- 818.1818...
   near(clv, 818.18181818181818, 1e-12)
   near(cv.clv.retention_now { margin = 100, retention = 0.9, discount = MONTHLY_1PCT,
      period = "month" }, 100 * 1.01 / 0.11)
   -- the finite sums, by hand at i = 0.01
   local sum = 0
   for t = 1, 24 do sum = sum + 100 * 0.9 ^ t / 1.01 ^ t end
   near(cv.clv.retention_finite { margin = 100, retention = 0.9, discount = MONTHLY_1PCT,
      period = "month", periods = 24 }, sum)
   -- the same inputs read yearly: 90 ÷ (1 + 0.1268 − 0.9); a year's rate is the discount
   near(cv.clv.retention { margin = 100, retention = 0.9, discount = MONTHLY_1PCT,
      period = "year" }, 90 / (1 + MONTHLY_1PCT - 0.9))
   near(cv.clv.retention { margin = 100, retention = 0.8, discount = 0.1, period = "year" },
      800 / 3)
   -- a week: (1 + d)^(7 / 365.2425) − 1, the core's mean year
   local iw = 1.1 ^ (7 / 365.2425) - 1
   near(cv.clv.retention { margin = 10, retention = 0.99, discount = 0.1, period = "week" },
      10 * 0.99 / (1 + iw - 0.99), 1e-9)
end)

test("npv and the retention effect with a period", function()
   near(cv.profit.lifecycle_npv { discount = MONTHLY_1PCT, period = "month",
      profits = { 100, 100, 100 } }, 100 / 1.01 + 100 / 1.01 ^ 2 + 100 / 1.01 ^ 3)
   near(cv.profit.lifecycle_npv_start { discount = MONTHLY_1PCT, period = "month",
      profits = { 100, 100 } }, 100 + 100 / 1.01)
   -- before 0.9 / 0.11, after 0.95 / 0.06
   near(cv.retention.effect { margin = 100, discount = MONTHLY_1PCT, period = "month",
      retention = 0.9, new_retention = 0.95 }, (95 / 0.06 - 90 / 0.11) / (90 / 0.11))
end)

test("period is required, a misspelt one suggests the unit, the core parses plurals", function()
   local msg = raises_plain("cv.clv.retention: option 'period' is required",
      cv.clv.retention, { margin = 100, retention = 0.9, discount = 0.1 })
   ok(msg:find("day, week, month or year", 1, true), msg)
   raises_plain("cv.clv.retention: option 'period' cannot be 'mnth' (did you mean 'month'?)",
      cv.clv.retention, { margin = 100, retention = 0.9, discount = 0.1, period = "mnth" })
   raises_plain("cv.profit.lifecycle_npv: option 'period' is required", cv.profit.lifecycle_npv,
      { discount = 0.1, profits = { 1 } })
   raises_plain("cv.clv.retention: unknown option 'periods_per_year'", cv.clv.retention,
      { margin = 100, retention = 0.9, discount = 0.1, periods_per_year = 12 })
   -- below the options layer, the core's one unit parser (singular names, as every option)
   -- and its suggestion
   near(cv.formula.eval("clv.retention", { margin = 100, retention = 0.9,
      discount = MONTHLY_1PCT, period = "month" }), 90 / 0.11)
   raises_plain("period: unknown unit 'months' (did you mean 'month'?", cv.formula.eval,
      "clv.retention", { margin = 100, retention = 0.9, discount = 0.1, period = "months" })
   raises_plain("period: unknown unit 'wek' (did you mean 'week'?", cv.formula.eval,
      "clv.retention", { margin = 100, retention = 0.9, discount = 0.1, period = "wek" })
   raises_plain("clv.retention: missing input 'period'", cv.formula.eval, "clv.retention",
      { margin = 100, retention = 0.9, discount = 0.1 })
   -- convergence is checked with the rate per period
   raises_plain("retention must be < 1 + the discount rate per period for the sum to converge, "
      .. "got retention 1 and 0 a month", cv.clv.retention,
      { margin = 1, retention = 1.0, discount = 0, period = "month" })
   -- the catalogue says what period takes
   local info = cv.formula.info("clv.retention")
   eq(info.inputs[4].name, "period")
   eq(info.inputs[4].choices, { "day", "week", "month", "year" })
end)

test("explain shows the rate per period, in English and Chinese", function()
   local inputs = { margin = 100, retention = 0.9, discount = MONTHLY_1PCT, period = "month" }
   local en = require("cv.explain").text("clv.retention", inputs, { lang = "en" })
   ok(en:find("  discount rate per period = (1 + annual discount rate)^(the period in years) − 1\n",
      1, true), en)
   ok(en:find("  discount rate per period = (1 + 12.68%)^(1 ÷ 12) − 1 = 1%\n", 1, true), en)
   ok(en:find("  CLV = 100.00 × 90% ÷ (1 + 1% − 90%) = 818.18\n", 1, true), en)
   local zh = require("cv.explain").text("clv.retention", inputs, { lang = "zh" })
   ok(zh:find("  每期折现率 = (1 + 年折现率)^（以年计的期长） − 1\n", 1, true), zh)
   ok(zh:find("  每期折现率 = (1 + 12.68%)^(1 ÷ 12) − 1 = 1%\n", 1, true), zh)
   -- a year: the rate per period is the discount itself and is not shown
   local y = require("cv.explain").text("clv.retention", { margin = 100, retention = 0.8,
      discount = 0.1, period = "year" }, { lang = "en" })
   ok(not y:find("discount rate per period =", 1, true), y)
   ok(y:find("CLV = 100.00 × 80% ÷ (1 + 10% − 80%) = 266.67", 1, true), y)
   -- the command line reads the period as a unit name
   local parsed = require("cv.explain").parse("clv.retention",
      { "margin=100", "retention=0.9", "discount=0.1", "period=month" })
   eq(parsed.period, "month")
   local _, msg = require("cv.explain").parse("clv.retention",
      { "margin=100", "retention=0.9", "discount=0.1", "period=mont" })
   ok(msg:find("(did you mean 'month'?)", 1, true), msg)
end)

test("column form, Monte Carlo and scenarios take the period", function()
   local t = cv.table { { "m", { 100, 50 } } }
   local r = cv.clv.retention(t, { margin = "m", retention = 0.9, discount = MONTHLY_1PCT,
      period = "month" })
   near(r:col("clv"):totable()[1], 90 / 0.11)
   near(r:col("clv"):totable()[2], 45 / 0.11)
   -- every draw fixed: the Monte Carlo value is the formula's
   local mc = cv.montecarlo { formula = "clv.retention", draws = 10, seed = 1,
      inputs = { margin = 100, retention = { "uniform", 0.9, 0.9 }, discount = MONTHLY_1PCT,
         period = "month" } }
   near(mc:summary().p50, 90 / 0.11, 1e-9)
   -- a scenario made from a formula needs the period in its base
   raises_plain("cv.scenario: the base lacks 'period', an input of clv.retention", cv.scenario,
      { base = { margin = 100, retention = 0.9, discount = 0.1 }, formula = "clv.retention" })
   local sc = cv.scenario { base = { margin = 100, retention = 0.9, discount = MONTHLY_1PCT,
      period = "month" }, variants = { { "up", retention = 0.95 } }, formula = "clv.retention" }
   local res = sc:run()
   near(res:value("base", "clv"), 90 / 0.11)
   near(res:value("up", "clv"), 95 / 0.06)
end)

test("a column that does not exist: did you mean", function()
   local tx = cv.parse_csv("id,date,amount\n1,2024-01-01,10\n1,2024-01-05,20\n2,2024-01-02,30\n")
   raises_plain("no column 'amout' (did you mean 'amount'?)", tx.col, tx, "amout")
   raises_plain("no column 'amout' (did you mean 'amount'?)", cv.summary, tx,
      { customer = "id", date = "date", amount = "amout" })
   raises_plain("no column 'revenue' (columns: id, date, amount)", tx.col, tx, "revenue")
   -- the same measure as the options layer's
   eq(require("cv.opts").suggest("amout", { "id", "date", "amount" }), "amount")
   eq(require("cv.opts").suggestions("cot", { "cost", "coat", "count" }), { "cost", "coat" })
   eq(require("cv.opts").suggest("zzz", { "id" }), nil)
end)

test("cv.summary_sql accepts the margin column cv.summary accepts", function()
   local tx = cv.parse_csv("id,date,amount,mg\n1,2024-01-01,10,1\n1,2024-01-05,20,2\n"
      .. "2,2024-01-02,30,3\n")
   local path = os.tmpname()
   local db = cv.connect("sqlite:" .. path)
   cv.write_sql(db, "tx", tx)
   for _, margin in ipairs { "mg", 0.25 } do
      local o = { customer = "id", date = "date", amount = "amount", margin = margin }
      local a = cv.summary(tx, o)
      o.table = "tx"
      local b = cv.summary_sql(db, o)
      eq(b:col("margin"):totable(), a:col("margin"):totable(), tostring(margin))
   end
   -- customer 1: margins 1 + 2; at a rate of 0.25: 30 × 0.25
   eq(cv.summary_sql(db, { table = "tx", customer = "id", date = "date", amount = "amount",
      margin = "mg" }):col("margin"):totable()[1], 3.0)
   db:close()
   os.remove(path)
end)

test("an error caught by the script's own pcall points at the script's line", function()
   local function run(code)
      return assert(load(code, "=t"))()
   end
   -- raised by a binding for a call cvkit's Lua made (lua/cv/fit.lua before)
   local e = run('local ok, e = pcall(cv.fit, "bgnbd", 42); return e')
   ok(e:find("^t:1: "), e)
   ok(not e:find("lua/cv/", 1, true), e)
   e = run('local ok, e = pcall(cv.summary, cv.table{{"a", {1}}}, {calibraton_end = "x"})\n'
      .. "return e")
   ok(e:find("^t:1: cv.summary: unknown option 'calibraton_end'"), e)
   -- inside a function: the innermost line of the script, not the pcall's
   e = run('local ok, e = pcall(function()\n  local x = 1\n  cv.fit("bgnbd", 42)\nend)\nreturn e')
   ok(e:find("^t:3: "), e)
   -- xpcall: blamed first, then the script's handler
   e = run('local ok, e = xpcall(cv.fit, function(m) return "H " .. m end, "bgnbd", 42)\n'
      .. "return e")
   ok(e:find("^H t:1: "), e)
   -- the ordinary results
   eq(table.pack(pcall(function(...) return ... end, 1, nil, 3)), { true, 1, nil, 3, n = 4 })
   eq(table.pack(pcall(error, { code = 1 })).n, 2)
   eq(select(2, pcall(error, "plain", 0)), "plain")
   local co = coroutine.wrap(function() local _, v = pcall(coroutine.yield, 5); return v end)
   eq(co(), 5)
   eq(co(7), 7) -- pcall still lets a coroutine yield across it
end)

T.report()
