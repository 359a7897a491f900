-- models/scenario_retention.lua: what retention changes do to customer value and profit.
-- Retention-based CLV (Gupta & Lehmann) with yearly margin m, yearly retention r, annual
-- effective discount rate d (period = "year"),
-- and a retention programme costing c per customer and year while the customer stays:
--   CLV = m × r ÷ (1 + d − r)        net CLV = (m − c) × r ÷ (1 + d − r)
--   customer equity = customers × net CLV
-- Scenarios: retention up by `uplift` (programme cost c) and by twice that (cost 2c), and
-- retention down by `uplift` (no programme); then one-at-a-time sensitivity, a retention ×
-- margin grid, the highest programme cost that still pays, and Monte Carlo over retention.
-- With --data tx.csv, m, r and the customer count come from the transactions (r = share of
-- repeat buyers, a crude proxy); else from the parameters. Writes an HTML report and the
-- scenario table beside it (.csv).
-- Run: cvkit run models/scenario_retention.lua [--data tx.csv] --set uplift=0.05 --set cost=8
local script = require "cv.script"

local M = { name = "scenario_retention",
   describe = "retention scenarios: customer value and profit when retention changes" }

M.params = {
   data = { "transactions file (optional: estimates margin, retention and customers)", "" },
   customer = { "column of customer ids", "customer_id" },
   date = { "column of purchase dates", "date" },
   amount = { "column of purchase amounts", "amount" },
   margin = { "yearly margin per customer (without data)", 100 },
   margin_rate = { "margin as a share of revenue (with data)", 0.3 },
   retention = { "yearly retention rate (without data)", 0.75 },
   discount = { "annual effective discount rate", 0.1 },
   customers = { "number of customers (without data)", 10000 },
   uplift = { "retention change to test, as a fraction (0.05 = 5 points)", 0.05 },
   cost = { "programme cost per customer and year for the first uplift", 8 },
   draws = { "Monte Carlo draws", 20000 },
   seed = { "Monte Carlo seed", 1 },
   out = { "report file (HTML; the table goes beside it as .csv), or the table (CSV, TSV, JSON, Markdown, XLSX)", "out/scenario_retention.html" },
}

-- m, r and the customer count from the transactions: yearly margin = revenue × rate ÷
-- years observed (at least one), r = customers with a repeat purchase ÷ customers.
local function from_data(cv, p)
   local s = cv.summary_csv(p.data, require("cv.script").with_read(p, { customer = p.customer, date = p.date, amount = p.amount,
      unit = "year", quiet = true }))
   local margin = s:add("m", function(r) return r.revenue * p.margin_rate / math.max(r.T, 1) end)
      :col("m"):mean()
   return margin, #s:filter("x", ">", 0) / #s, #s
end

function M.run(ctx, p)
   local cv = ctx.cv
   local margin, retention, customers = p.margin, p.retention, p.customers
   if p.data ~= "" then
      margin, retention, customers = from_data(cv, p)
   end
   local up, down = math.min(retention + p.uplift, 0.99), math.max(retention - p.uplift, 0)
   local up2 = math.min(retention + 2 * p.uplift, 0.99)
   local pts = string.format("%g", p.uplift * 100)
   local sc = cv.scenario {
      title = "Retention scenarios",
      base = { margin = margin, retention = retention, discount = p.discount, cost = 0,
         customers = customers },
      variants = {
         { "retention +" .. pts .. " pts", retention = up, cost = p.cost },
         { "retention +" .. 2 * pts .. " pts", retention = up2, cost = 2 * p.cost },
         { "retention -" .. pts .. " pts", retention = down },
      },
      metrics = { "clv", "net_clv", "equity" },
      model = function(q)
         local clv = cv.clv.retention { margin = q.margin, retention = q.retention,
            discount = q.discount, period = "year" }
         local net = clv * (q.margin - q.cost) / q.margin
         return { clv = clv, net_clv = net, equity = net * q.customers }
      end,
   }
   local res = sc:run()
   res:print()
   local first = res.names[2]
   local tornado = sc:sensitivity { metric = "net_clv", vary = { margin = "±20%", discount = { 0.05, 0.15 },
      retention = { down, up } } }
   local grid = sc:grid { metric = "net_clv", x = { "retention", from = math.max(retention - 0.2, 0.05),
      to = math.min(retention + 0.15, 0.99), steps = 6 }, y = { "margin", { 0.6 * margin, 0.8 * margin,
      margin, 1.2 * margin, 1.4 * margin } } }
   local cost, why = sc:breakeven { from = first, param = "cost", metric = "net_clv",
      target = res:value("base", "net_clv"), range = { 0, margin } }
   local mc = sc:montecarlo { from = first, metrics = { "net_clv" }, draws = p.draws, seed = p.seed,
      inputs = { retention = { "normal", up, p.uplift / 2, clamp = { 0, 0.99 } } },
      below = res:value("base", "net_clv") }
   local s = mc:summary("net_clv")
   print(string.format("\n%s pays while the programme costs less than %s per customer-year", first,
      cost and cv.formula.format_number(cost) or "(never)"))
   if not cost then print(why) end
   print(string.format("net CLV of %s: P5 %s, P50 %s, P95 %s; P(not better than the base) %.3f", first,
      cv.formula.format_number(s.p5), cv.formula.format_number(s.p50), cv.formula.format_number(s.p95),
      s.below))

   local csv = p.out:gsub("%.html?$", "") .. ".csv"
   if ctx.html then -- the report, and the scenario table beside it
      res:write(csv)
      ctx.say("models.say.wrote_table", { path = csv })
   end
   ctx.write(res:table(), p, { say = "models.say.wrote_table",
      title = "Retention scenarios", subtitle = string.format(
      "yearly margin %s, retention %.1f%%, discount %g%%, %s customers", cv.formula.format_number(margin),
      100 * retention, 100 * p.discount, cv.formula.format_number(customers)),
      sections = { { text = "CLV = m × r ÷ (1 + d − r); net CLV takes off the programme cost per "
         .. "customer-year; equity = customers × net CLV." }, res, tornado, grid,
         { text = cost and string.format("%s pays while the programme costs less than %s per customer-year.",
            first, cv.formula.format_number(cost)) or why }, mc } })
end

return script.main(M, ...)
