-- models/scenario_cac_payback.lua: acquisition cost, margin and payback.
-- A new customer costs CAC to acquire, brings m = ARPU × margin rate a month and stays each
-- month with probability 1 − churn c (c > 0). Expected margin after n months is
-- m × (1 − (1 − c)ⁿ) ÷ c, so
--   payback months = ln(1 − CAC × c ÷ m) ÷ ln(1 − c)   (never when CAC × c ≥ m)
--   LTV = m ÷ c (undiscounted lifetime margin), LTV ÷ CAC, profit = LTV − CAC
-- Scenarios: CAC +50% and doubled, churn one point lower, price +10%; then sensitivity of the
-- payback, a CAC × churn grid, the highest CAC that pays back within the target and the
-- highest with a profit, and Monte Carlo over CAC and churn. Writes an HTML report.
-- With --data tx.csv, ARPU is the revenue per customer-month observed in the transactions.
-- Run: cvkit run models/scenario_cac_payback.lua [--data tx.csv] --set cac=300 --set churn=0.03
local script = require "cv.script"

local M = { name = "scenario_cac_payback",
   describe = "acquisition cost scenarios: payback months, LTV ÷ CAC and profit" }

M.params = {
   data = { "transactions file (optional: ARPU = revenue per customer-month observed)", "" },
   customer = { "column of customer ids", "customer_id" },
   date = { "column of purchase dates", "date" },
   amount = { "column of purchase amounts", "amount" },
   cac = { "acquisition cost per new customer", 300 },
   arpu = { "revenue per customer and month (without data)", 50 },
   margin_rate = { "margin as a share of revenue", 0.5 },
   churn = { "monthly churn rate (0 < churn < 1)", 0.03 },
   target = { "payback target in months", 18 },
   draws = { "Monte Carlo draws", 20000 },
   seed = { "Monte Carlo seed", 1 },
   out = { "report file (HTML; the table goes beside it as .csv), or the table (CSV, TSV, JSON, Markdown, XLSX)", "out/scenario_cac_payback.html" },
}

-- Months until the expected margin covers the CAC; math.huge when it never does.
local function payback(cac, m, c)
   if cac * c >= m then
      return math.huge
   end
   return math.log(1 - cac * c / m) / math.log(1 - c)
end

function M.run(ctx, p)
   local cv = ctx.cv
   local num = cv.formula.format_number
   if not (p.churn > 0 and p.churn < 1) then
      require("cv.errors").fail("models.bad_churn", { model = "scenario_cac_payback",
         value = p.churn })
   end
   if p.data ~= "" then -- revenue per customer-month: total revenue ÷ months observed (at least 1)
      local s = cv.summary_csv(p.data, require("cv.script").with_read(p, { customer = p.customer, date = p.date, amount = p.amount,
         unit = "month", quiet = true })):add("months", function(r) return math.max(r.T, 1) end)
      p.arpu = s:col("revenue"):sum() / s:col("months"):sum()
   end
   local sc = cv.scenario {
      title = "Acquisition cost and payback",
      base = { cac = p.cac, arpu = p.arpu, margin_rate = p.margin_rate, churn = p.churn },
      variants = {
         { "CAC +50%", cac = 1.5 * p.cac },
         { "CAC doubles", cac = 2 * p.cac },
         { "churn -1 pt", churn = math.max(p.churn - 0.01, 0.001) },
         { "price +10%", arpu = 1.1 * p.arpu },
      },
      metrics = { "payback_months", "ltv", "ltv_to_cac", "profit" },
      model = function(q)
         local m = q.arpu * q.margin_rate
         local ltv = m / q.churn
         local months = payback(q.cac, m, q.churn)
         return { payback_months = months < math.huge and months or nil, ltv = ltv,
            ltv_to_cac = ltv / q.cac, profit = ltv - q.cac }
      end,
   }
   local res = sc:run()
   res:print()
   local m = p.arpu * p.margin_rate
   -- the highest CAC paying back within the target: m (1 − (1 − c)^target) ÷ c, found by
   -- the root finder on the payback itself (capped where it never pays back)
   local capped = cv.scenario { base = sc.base, model = function(q)
      local v = payback(q.cac, q.arpu * q.margin_rate, q.churn)
      return { payback_months = math.min(v, 1e6) }
   end }
   local max_cac, why = capped:breakeven { param = "cac", metric = "payback_months", target = p.target,
      range = { 0, 0.999 * m / p.churn } }
   print(string.format("\nCAC pays back within %g months up to %s (closed form %s); profit stays "
      .. "positive up to %s", p.target, max_cac and num(max_cac) or "(none)",
      num(m * (1 - (1 - p.churn) ^ p.target) / p.churn), num(m / p.churn)))
   if not max_cac then print(why) end
   local tornado = capped:sensitivity { metric = "payback_months", vary = { cac = "±30%", arpu = "±10%",
      margin_rate = "±10%", churn = { math.max(p.churn - 0.01, 0.001), p.churn + 0.01 } } }
   local grid = capped:grid { metric = "payback_months", x = { "cac", { 0.5 * p.cac, 0.75 * p.cac, p.cac,
      1.25 * p.cac, 1.5 * p.cac } }, y = { "churn", { 0.01, 0.02, 0.03, 0.04, 0.05 } } }
   local mc = capped:montecarlo { draws = p.draws, seed = p.seed, below = p.target,
      inputs = { cac = { "triangular", 0.8 * p.cac, p.cac, 1.5 * p.cac },
         churn = { "uniform", 0.6 * p.churn, 1.4 * p.churn } } }
   local s = mc:summary()
   print(string.format("payback months: P5 %s, P50 %s, P95 %s; P(within %g months) %.3f", num(s.p5),
      num(s.p50), num(s.p95), p.target, s.below))

   local csv = p.out:gsub("%.html?$", "") .. ".csv"
   if ctx.html then -- the report, and the scenario table beside it
      res:write(csv)
      ctx.say("models.say.wrote_table", { path = csv })
   end
   ctx.write(res:table(), p, { say = "models.say.wrote_table",
      title = "Acquisition cost and payback", subtitle = string.format(
      "CAC %s, ARPU %s a month at %g%% margin, monthly churn %g%%", num(p.cac), num(p.arpu),
      100 * p.margin_rate, 100 * p.churn),
      sections = { { text = "Payback months = ln(1 − CAC × churn ÷ m) ÷ ln(1 − churn) with m the monthly "
         .. "margin; LTV = m ÷ churn; profit = LTV − CAC." }, res, tornado, grid,
         { text = max_cac and string.format("CAC pays back within %g months up to %s.", p.target, num(max_cac))
            or why }, mc } })
end

return script.main(M, ...)
