-- Tests of the formula bindings (cv.formula, cv.clv.simple{...} and the column form):
-- the textbook worked examples, computed by hand, and the errors scripts see.
local T = require "cv.testing"

T.test("simple clv: 100 × 4 × 5 = 2000", function()
   T.near(cv.clv.simple { avg_purchase = 100, frequency = 4, lifetime = 5 }, 2000)
   T.near(cv.formula.eval("clv.simple", { avg_purchase = 100, frequency = 4, lifetime = 5 }), 2000)
end)

T.test("costs per customer", function()
   T.near(cv.cost.retention_per_customer { retention_spend = 20000, customers_retained = 400 }, 50)
   T.near(cv.cost.cac { acquisition_spend = 50000, new_customers = 250 }, 200)
end)

T.test("customer profitability and crm gross profit", function()
   T.near(cv.profit.customer { lifetime_revenue = 3000, acquisition_cost = 500,
      retention_cost = 200 }, 2300)
   T.near(cv.profit.crm_gross { purchases = 1000, product_cost = 600, marketing_cost = 150 }, 250)
end)

T.test("lifecycle npv: end of period and first flow now", function()
   local end_ = 100 / 1.1 + 100 / 1.1 ^ 2 + 100 / 1.1 ^ 3 -- 248.685...
   T.near(cv.profit.lifecycle_npv { discount = 0.1, period = "year",
      profits = { 100, 100, 100 } }, end_)
   T.near(cv.profit.lifecycle_npv_start { discount = 0.1, period = "year",
      profits = { 100, 100, 100 } },
      100 + 100 / 1.1 + 100 / 1.21)
   -- 1% a month is 1.01^12 - 1 a year
   T.near(cv.profit.lifecycle_npv { discount = 1.01 ^ 12 - 1, period = "month",
      profits = { 100, 100 } }, 100 / 1.01 + 100 / 1.01 ^ 2)
end)

T.test("retention clv: both conventions and the finite sums", function()
   T.near(cv.clv.retention { margin = 100, retention = 0.8, discount = 0.1, period = "year" },
      800 / 3)
   T.near(cv.clv.retention_now { margin = 100, retention = 0.8, discount = 0.1,
      period = "year" }, 1100 / 3)
   local sum_end, sum_now = 0, 0
   for t = 1, 6 do
      sum_end = sum_end + 100 * 0.8 ^ t / 1.1 ^ t
      sum_now = sum_now + 100 * 0.8 ^ (t - 1) / 1.1 ^ (t - 1)
   end
   T.near(cv.clv.retention_finite { margin = 100, retention = 0.8, discount = 0.1,
      period = "year", periods = 6 }, sum_end)
   T.near(cv.clv.retention_finite_now { margin = 100, retention = 0.8, discount = 0.1,
      period = "year", periods = 6 }, sum_now)
end)

T.test("delivered value, switching cost, retention effect", function()
   T.near(cv.value.delivered { product_value = 500, service_value = 200, personnel_value = 100,
      image_value = 50, monetary_cost = 400, time_cost = 60, energy_cost = 20,
      psychic_cost = 10 }, 360)
   T.near(cv.cost.switching { search_cost = 10, exit_fees = 50, relationship_loss = 15 }, 75)
   T.near(cv.cost.switching {}, 0)
   T.near(cv.retention.effect { margin = 100, discount = 0.1, period = "year", retention = 0.8,
      new_retention = 0.85 }, 0.275)
end)

T.test("errors name the input", function()
   T.raises_plain("customers_retained must be > 0, got 0", cv.cost.retention_per_customer,
      { retention_spend = 20000, customers_retained = 0 })
   T.raises_plain("cv.clv.simple: option 'frequency' is required (purchase frequency: a number "
      .. ">= 0)", cv.clv.simple, { avg_purchase = 100, lifetime = 5 })
   T.raises_plain("clv.simple: missing input 'frequency'", cv.formula.eval, "clv.simple",
      { avg_purchase = 100, lifetime = 5 })
   T.raises_plain("clv.simple: input 'frequency' expects a number, got string", cv.clv.simple,
      { avg_purchase = 100, frequency = "4", lifetime = 5 })
   T.raises_plain("cv.clv.simple: unknown option 'freq' (did you mean 'frequency'?)",
      cv.clv.simple, { avg_purchase = 100, freq = 4, lifetime = 5 })
   T.raises_plain("clv.simple: unknown input 'freq' (inputs: avg_purchase, frequency, lifetime)",
      cv.formula.eval, "clv.simple", { avg_purchase = 100, freq = 4, lifetime = 5 })
   T.raises_plain("cv.clv.simple: option 'avg_purchase' must be a number or a column name, "
      .. "got number nan", cv.clv.simple, { avg_purchase = 0 / 0, frequency = 4, lifetime = 5 })
   T.raises_plain("avg_purchase must be a number, got nan", cv.formula.eval, "clv.simple",
      { avg_purchase = 0 / 0, frequency = 4, lifetime = 5 })
   T.raises_plain("retention must be < 1 + the discount rate per period", cv.clv.retention,
      { margin = 100, retention = 1, discount = 0, period = "year" })
   T.raises_plain("profits must have at least one value", cv.profit.lifecycle_npv,
      { discount = 0.1, period = "year", profits = {} })
   T.raises_plain("unknown formula 'clv.nope'", cv.formula.eval, "clv.nope", {})
   -- the domain error carries exit code 7
   local v, msg, code = cv.try(cv.cost.cac, { acquisition_spend = 1, new_customers = 0 })
   T.eq(v, nil)
   T.eq(msg, "new_customers must be > 0, got 0")
   T.eq(code, 7)
end)

T.test("the catalogue lists every formula with its inputs", function()
   local names = {}
   for _, f in ipairs(cv.formula.list()) do
      names[#names + 1] = f.name
   end
   T.eq(#names, 17)
   T.eq(names[1], "clv.simple")
   local info = cv.formula.info("profit.lifecycle_npv")
   T.eq(info.inputs[2].name, "period")
   T.eq(info.inputs[2].optional, false)
   T.eq(info.inputs[2].domain, "period")
   T.eq(info.inputs[2].choices, { "day", "week", "month", "year" })
   T.eq(info.inputs[3].list, true)
   T.eq(cv.formula.info("nope"), nil)
   T.eq(cv.formula.format_number(1234567.891), "1,234,567.89")
end)

T.test("column form: columns in, column out", function()
   local t = cv.table { { "aov", { 100, 25.5, 10 } }, { "orders", { 4, 2, 0 } } }
   local r = cv.clv.simple(t, { avg_purchase = "aov", frequency = "orders", lifetime = 5 })
   T.eq(r:names(), { "aov", "orders", "clv" })
   T.eq(r:col("clv"):totable(), { 2000.0, 255.0, 0.0, n = 3 })
   local r2 = cv.formula.apply(t, "clv.simple",
      { avg_purchase = "aov", frequency = 2, lifetime = 1 }, "value")
   T.eq(r2:col("value"):totable(), { 200.0, 51.0, 20.0, n = 3 })
   -- the list input takes an array of columns and constants
   local n = cv.formula.apply(t, "profit.lifecycle_npv",
      { discount = 0.1, period = "year", profits = { "aov", "orders", 100 } })
   T.eq(n:names(), { "aov", "orders", "lifecycle_profit" })
   T.near(n:col("lifecycle_profit"):totable()[1], 100 / 1.1 + 4 / 1.21 + 100 / 1.331)
end)

T.test("column form errors name the row and the column", function()
   local t = cv.table { { "spend", { 100, 200 } }, { "kept", { 4, 0 } }, { "name", { "a", "b" } } }
   T.raises_plain("row 2: customers_retained must be > 0, got 0", cv.cost.retention_per_customer,
      t, { retention_spend = "spend", customers_retained = "kept" })
   T.raises_plain("no column 'nope'", cv.cost.retention_per_customer, t,
      { retention_spend = "nope", customers_retained = "kept" })
   T.raises_plain("input customers_retained: column 'name' is string, not a number",
      cv.cost.retention_per_customer, t, { retention_spend = "spend", customers_retained = "name" })
   T.raises_plain("cv.cost.retention_per_customer: option 'customers_retained' is required",
      cv.cost.retention_per_customer, t, { retention_spend = "spend" })
   T.raises_plain("missing input 'customers_retained'", cv.formula.apply, t,
      "cost.retention_per_customer", { retention_spend = "spend" })
end)

T.report()
