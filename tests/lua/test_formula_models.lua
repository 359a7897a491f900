-- Tests of the formula models (models/*.lua through cv.script) on a five-row fixture,
-- tests/data/formula_tx.csv, whose per-customer values are worked out by hand here:
--   A: 2024-01-01 100, 2024-02-15 50, 2024-12-31 150 (3 orders, revenue 300)
--   B: 2024-06-01 80;  C: 2024-12-31 20
-- Everyone is observed under a year, so years = min_years = 1 and per_year = orders.
local T = require "cv.testing"
local script = require "cv.script"

local data = "tests/data/formula_tx.csv"
local tmp = os.tmpname()
os.remove(tmp)
local outdir = tmp .. "_cvkit_models"

-- Runs model name with the given parameters; returns its output read back, by customer.
local function run(name, given)
   local m = require("models." .. name)
   given.out = outdir .. "/" .. name .. ".csv"
   local p = script.params(m, given)
   m.run(script.context(m), p)
   local t = cv.read_csv(p.out)
   local rows = {}
   for _, row in t:rows() do
      rows[row.customer or row.customer_id] = row
   end
   return rows, t
end

T.test("clv_simple: mean spend × orders per year × lifetime", function()
   local r = run("clv_simple", { data = data, lifetime = 2 })
   T.near(r.A.clv, 100 * 3 * 2)
   T.near(r.B.clv, 80 * 1 * 2)
   T.near(r.C.clv, 20 * 1 * 2)
end)

T.test("clv_retention: r period to period, m = margin per year", function()
   local r = run("clv_retention", { data = data, margin_rate = 0.5, discount = 0.1 })
   -- the data span 12 months: two half-years; A and B bought in the first, A and C in the
   -- second: h = 1/2 per half-year, r = (1/2)² per year (not 1/3, the share of repeat buyers)
   local ret = 1 / 4
   T.near(r.A.clv, 150 * ret / (1.1 - ret))
   T.near(r.B.clv, 40 * ret / (1.1 - ret))
   T.near(r.C.clv, 10 * ret / (1.1 - ret))
   r = run("clv_retention", { data = data, margin_rate = 0.5, discount = 0.1, retention = 0.8 })
   T.near(r.A.clv, 150 * 0.8 / 0.3)
end)

T.test("customer_profitability: revenue − CAC − retention cost", function()
   local r = run("customer_profitability", { data = data, cac = 25, retention_per_year = 10,
      margin_rate = 0.3 })
   T.near(r.A.customer_profit, 300 - 25 - 10)
   T.near(r.C.customer_profit, 20 - 25 - 10)
   T.near(r.A.crm_gross_profit, 300 - 300 * 0.7 - 10)
   T.near(r.B.crm_gross_profit, 80 - 80 * 0.7 - 10)
   -- CAC from the total spend: 300 ÷ 3 customers
   r = run("customer_profitability", { data = data, acquisition_spend = 300 })
   T.near(r.A.acquisition_cost, 100)
   T.near(r.A.customer_profit, 300 - 100 - 10)
end)

T.test("lifecycle_profit: monthly profits discounted from period ends", function()
   local r, t = run("lifecycle_profit", { data = data, margin_rate = 0.5, discount = 0.1,
      period = "month" })
   local f = 1.1 ^ (1 / 12) -- one month's discount factor
   -- A: day 0 -> month 1 (50), day 45 -> month 2 (25), day 365 -> month 12 (75)
   T.near(r.A.lifecycle_profit, 50 / f + 25 / f ^ 2 + 75 / f ^ 12)
   T.near(r.A.profit, 150)
   T.near(r.B.lifecycle_profit, 40 / f)
   T.eq(#t, 3)
   r = run("lifecycle_profit", { data = data, margin_rate = 0.5, discount = 0.1,
      period = "month", timing = "start" })
   T.near(r.A.lifecycle_profit, 50 + 25 / f + 75 / f ^ 11)
   T.raises_plain("timing must be end or start", run, "lifecycle_profit",
      { data = data, timing = "middle" })
end)

T.test("delivered_value: total value − total cost per customer", function()
   local r, t = run("delivered_value", { data = "examples/data/delivered_value_survey.csv" })
   T.near(r.S01.delivered_value, (500 + 200 + 100 + 50) - (400 + 60 + 20 + 10))
   T.near(r.S04.delivered_value, (300 + 60 + 30 + 20) - (380 + 70 + 40 + 30))
   T.eq(t:row(1).customer_id, "S07") -- sorted, highest first
end)

T.test("parameters: required, unknown, numbers, script arguments", function()
   local m = require "models.clv_simple"
   T.raises_plain("clv_simple: missing parameter 'data'", script.params, m, {})
   -- the parameter's description in the message comes from the catalogue, in the language
   -- of the run, and from the model's own entry where it differs from the shared one
   local i18n = require "cv.i18n"
   local kod = require "models.keep_or_drop"
   T.raises_plain("keep_or_drop: missing parameter 'data' (orders file (CSV; one row per "
      .. "order)); give it with --set data=...", script.params, kod, {})
   local was = i18n.lang()
   i18n.set_lang("zh")
   local ok, err = pcall(script.params, kod, { data = "x" })
   i18n.set_lang(was)
   T.eq(ok, false)
   T.ok(tostring(err):find("缺少参数 'activities'（成本定义（CSV，每行一个作业））", 1, true),
      tostring(err))
   T.raises_plain("clv_simple: unknown parameter 'life'", script.params, m, { data = "x", life = 3 })
   T.raises_plain("clv_simple: parameter 'lifetime' expects a number, got 'long'", script.params,
      m, { data = "x", lifetime = "long" })
   local p = script.params(m, { data = "x", lifetime = "3" })
   T.eq(p.lifetime, 3)
   T.eq(p.out, "out/clv_simple.csv")
   T.eq(p.customer, "customer_id")
end)

T.test("every model declares its parameters with a description", function()
   local names = script.list()
   local have = {}
   for _, name in ipairs(names) do
      have[name] = true
   end
   for _, name in ipairs { "clv_retention", "clv_simple", "customer_profitability",
      "delivered_value", "lifecycle_profit" } do
      T.ok(have[name], name .. " is listed") -- other areas add their models beside these
   end
   for _, name in ipairs(names) do
      local m = require("models." .. name)
      T.eq(m.name, name)
      T.ok(type(m.describe) == "string" and type(m.run) == "function", name)
      T.ok(m.params.data and m.params.out, name .. " has data and out")
      for pname, spec in pairs(m.params) do
         T.ok(type(spec[1]) == "string", name .. "." .. pname)
      end
   end
end)

T.report()
os.execute("rm -rf '" .. outdir .. "'")
