-- models/scenario_retention.lua: what retention changes do to customer value and profit.
-- Retention-based CLV (Gupta & Lehmann) with yearly margin m, yearly retention r, annual
-- effective discount rate d (period = "year"),
-- and a retention programme costing c per customer and year while the customer stays:
--   CLV = m × r ÷ (1 + d − r)        net CLV = (m − c) × r ÷ (1 + d − r)
--   customer equity = customers × net CLV
-- Scenarios: retention up by `uplift` (programme cost c) and by twice that (cost 2c), and
-- retention down by `uplift` (no programme); then one-at-a-time sensitivity, a retention ×
-- margin grid, the highest programme cost that still pays, and Monte Carlo over retention.
-- With --data tx.csv, m, r and the customer count come from the transactions (r measured
-- period to period, cv.script.retention, as the demo does); else from the parameters.
-- Writes an HTML report and the scenario table beside it (.csv). Every word from the
-- catalogue (below), in the language of the run.
-- Run: cvkit run models/scenario_retention.lua [--data tx.csv] --set uplift=0.05 --set cost=8
local script = require "cv.script"
local i18n = require "cv.i18n"
local T = i18n.t

i18n.add {
   ["scenario_retention.title"] = { en = "Retention scenarios", zh = "保留率情景" },
   ["scenario_retention.up"] = { en = "retention +{pts} pts", zh = "保留率 +{pts} 个百分点" },
   ["scenario_retention.down"] = { en = "retention -{pts} pts", zh = "保留率 -{pts} 个百分点" },
   ["scenario_retention.pays"] = {
      en = "{variant} pays while the programme costs less than {cost} per customer-year",
      zh = "{variant}：只要保留计划的成本低于每位客户每年 {cost}，就值得实施" },
   ["scenario_retention.never"] = { en = "(never)", zh = "（任何成本都不值得）" },
   ["scenario_retention.mc"] = {
      en = "net CLV of {variant}: P5 {p5}, P50 {p50}, P95 {p95}; P(not better than the base) {below}",
      zh = "{variant} 的净客户终身价值：P5 {p5}，P50 {p50}，P95 {p95}；不优于基准的概率 {below}" },
   ["scenario_retention.subtitle"] = {
      en = "yearly margin {margin}, retention {retention}, discount {discount}, {customers} customers",
      zh = "每年毛利 {margin}，保留率 {retention}，折现率 {discount}，客户数 {customers}" },
   ["scenario_retention.text"] = {
      en = "CLV = m × r ÷ (1 + d − r); net CLV takes off the programme cost per customer-year; "
         .. "equity = customers × net CLV.",
      zh = "客户终身价值 = m × r ÷ (1 + d − r)；净客户终身价值扣除每位客户每年的保留计划成本；"
         .. "客户资产 = 客户数 × 净客户终身价值。" },
   ["scenario_retention.pays_text"] = {
      en = "{variant} pays while the programme costs less than {cost} per customer-year.",
      zh = "{variant}：只要保留计划的成本低于每位客户每年 {cost}，就值得实施。" },
   ["scenario_retention.m.clv"] = { en = "clv", zh = "客户终身价值" },
   ["scenario_retention.m.net_clv"] = { en = "net_clv", zh = "净客户终身价值" },
   ["scenario_retention.m.equity"] = { en = "equity", zh = "客户资产" },
   ["scenario_retention.p.margin"] = { en = "margin", zh = "每年毛利" },
   ["scenario_retention.p.retention"] = { en = "retention", zh = "保留率" },
   ["scenario_retention.p.discount"] = { en = "discount", zh = "折现率" },
   ["scenario_retention.p.cost"] = { en = "cost", zh = "保留计划成本" },
   ["scenario_retention.p.customers"] = { en = "customers", zh = "客户数" },
}

-- {en =, zh =} of catalogue key k, for the scenario's labels (shown in the run's language).
local function both(k)
   return { en = T(k, nil, "en"), zh = T(k, nil, "zh") }
end

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
-- years observed (at least one), r measured period to period (cv.script.retention, said).
local function from_data(ctx, cv, p)
   local s = cv.summary_csv(p.data, script.with_read(p, { customer = p.customer, date = p.date,
      amount = p.amount, unit = "year", quiet = true }))
   local margin = s:add("m", function(r) return r.revenue * p.margin_rate / math.max(r.T, 1) end)
      :col("m"):mean()
   local r = script.retention(p)
   script.say_retention(ctx, r)
   return margin, r.r, #s
end

function M.run(ctx, p)
   local cv = ctx.cv
   local margin, retention, customers = p.margin, p.retention, p.customers
   if p.data ~= "" then
      margin, retention, customers = from_data(ctx, cv, p)
   end
   local up, down = math.min(retention + p.uplift, 0.99), math.max(retention - p.uplift, 0)
   local up2 = math.min(retention + 2 * p.uplift, 0.99)
   local pts = string.format("%g", p.uplift * 100)
   local sc = cv.scenario {
      title = T"scenario_retention.title",
      base = { margin = margin, retention = retention, discount = p.discount, cost = 0,
         customers = customers },
      variants = {
         { T("scenario_retention.up", { pts = pts }), retention = up, cost = p.cost },
         { T("scenario_retention.up", { pts = string.format("%g", 2 * pts) }), retention = up2,
            cost = 2 * p.cost },
         { T("scenario_retention.down", { pts = pts }), retention = down },
      },
      metrics = { "clv", "net_clv", "equity" },
      labels = { clv = both"scenario_retention.m.clv", net_clv = both"scenario_retention.m.net_clv",
         equity = both"scenario_retention.m.equity" },
      param_labels = { margin = both"scenario_retention.p.margin",
         retention = both"scenario_retention.p.retention",
         discount = both"scenario_retention.p.discount", cost = both"scenario_retention.p.cost",
         customers = both"scenario_retention.p.customers" },
      kinds = { clv = "money", net_clv = "money", equity = "money", margin = "money",
         retention = "share", discount = "rate", cost = "money", customers = "count" },
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
   print("")
   ctx.say("scenario_retention.pays", { variant = first,
      cost = cost and cv.format(cost, "money") or T"scenario_retention.never" })
   if not cost then print(why) end
   ctx.say("scenario_retention.mc", { variant = first, p5 = s.p5, p50 = s.p50, p95 = s.p95,
      below = s.below }, { p5 = "money", p50 = "money", p95 = "money", below = "share" })

   local csv = p.out:gsub("%.html?$", "") .. ".csv"
   if ctx.html then -- the report, and the scenario table beside it
      res:write(csv)
      ctx.say("models.say.wrote_table", { path = csv })
   end
   ctx.write(res:table(), p, { say = "models.say.wrote_table",
      title = T"scenario_retention.title", subtitle = T("scenario_retention.subtitle", {
         margin = cv.format(margin, "money"), retention = cv.format(retention, "share"),
         discount = cv.format(p.discount, "rate"), customers = cv.format(customers, "count") }),
      sections = { { text = T"scenario_retention.text" }, res, tornado, grid,
         { text = cost and T("scenario_retention.pays_text", { variant = first,
            cost = cv.format(cost, "money") }) or why }, mc } })
end

return script.main(M, ...)
