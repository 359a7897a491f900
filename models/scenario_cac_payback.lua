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
-- Every word from the catalogue (below), in the language of the run.
-- Run: cvkit run models/scenario_cac_payback.lua [--data tx.csv] --set cac=300 --set churn=0.03
local script = require "cv.script"
local i18n = require "cv.i18n"
local T = i18n.t

i18n.add {
   ["scenario_cac_payback.title"] = { en = "Acquisition cost and payback",
      zh = "获取成本与回收期" },
   ["scenario_cac_payback.v.cac50"] = { en = "CAC +50%", zh = "获取成本 +50%" },
   ["scenario_cac_payback.v.cac2"] = { en = "CAC doubles", zh = "获取成本翻倍" },
   ["scenario_cac_payback.v.churn"] = { en = "churn -1 pt", zh = "流失率 -1 个百分点" },
   ["scenario_cac_payback.v.price"] = { en = "price +10%", zh = "价格 +10%" },
   ["scenario_cac_payback.m.payback_months"] = { en = "payback_months", zh = "回收期（月）" },
   ["scenario_cac_payback.m.ltv"] = { en = "ltv", zh = "客户终身价值" },
   ["scenario_cac_payback.m.ltv_to_cac"] = { en = "ltv_to_cac", zh = "客户终身价值 ÷ 获取成本" },
   ["scenario_cac_payback.m.profit"] = { en = "profit", zh = "利润" },
   ["scenario_cac_payback.p.cac"] = { en = "cac", zh = "获取成本" },
   ["scenario_cac_payback.p.arpu"] = { en = "arpu", zh = "每位客户每月收入" },
   ["scenario_cac_payback.p.margin_rate"] = { en = "margin_rate", zh = "毛利率" },
   ["scenario_cac_payback.p.churn"] = { en = "churn", zh = "月流失率" },
   ["scenario_cac_payback.line"] = {
      en = "CAC pays back within {target} months up to {cac} (closed form {closed}); profit stays "
         .. "positive up to {profit}",
      zh = "获取成本不超过 {cac} 时可在 {target} 个月内收回（解析解 {closed}）；不超过 {profit} 时利润为正" },
   ["scenario_cac_payback.none"] = { en = "(none)", zh = "（无）" },
   ["scenario_cac_payback.mc"] = {
      en = "payback months: P5 {p5}, P50 {p50}, P95 {p95}; P(within {target} months) {below}",
      zh = "回收期（月）：P5 {p5}，P50 {p50}，P95 {p95}；{target} 个月内收回的概率 {below}" },
   ["scenario_cac_payback.subtitle"] = {
      en = "CAC {cac}, ARPU {arpu} a month at {margin} margin, monthly churn {churn}",
      zh = "获取成本 {cac}，每位客户每月收入 {arpu}，毛利率 {margin}，月流失率 {churn}" },
   ["scenario_cac_payback.text"] = {
      en = "Payback months = ln(1 − CAC × churn ÷ m) ÷ ln(1 − churn) with m the monthly margin; "
         .. "LTV = m ÷ churn; profit = LTV − CAC.",
      zh = "回收期（月）= ln(1 − 获取成本 × 流失率 ÷ m) ÷ ln(1 − 流失率)，m 为每月毛利；"
         .. "客户终身价值 = m ÷ 流失率；利润 = 客户终身价值 − 获取成本。" },
   ["scenario_cac_payback.pays_text"] = {
      en = "CAC pays back within {target} months up to {cac}.",
      zh = "获取成本不超过 {cac} 时可在 {target} 个月内收回。" },
}

-- {en =, zh =} of catalogue key k, for the scenario's labels (shown in the run's language).
local function both(k)
   return { en = T(k, nil, "en"), zh = T(k, nil, "zh") }
end
local LABELS, PARAMS = {}, {}
for _, m in ipairs { "payback_months", "ltv", "ltv_to_cac", "profit" } do
   LABELS[m] = both("scenario_cac_payback.m." .. m)
end
for _, q in ipairs { "cac", "arpu", "margin_rate", "churn" } do
   PARAMS[q] = both("scenario_cac_payback.p." .. q)
end
local KINDS = { ltv = "money", profit = "money", cac = "money", arpu = "money",
   margin_rate = "share", churn = "rate" }

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
      title = T"scenario_cac_payback.title",
      base = { cac = p.cac, arpu = p.arpu, margin_rate = p.margin_rate, churn = p.churn },
      variants = {
         { T"scenario_cac_payback.v.cac50", cac = 1.5 * p.cac },
         { T"scenario_cac_payback.v.cac2", cac = 2 * p.cac },
         { T"scenario_cac_payback.v.churn", churn = math.max(p.churn - 0.01, 0.001) },
         { T"scenario_cac_payback.v.price", arpu = 1.1 * p.arpu },
      },
      metrics = { "payback_months", "ltv", "ltv_to_cac", "profit" },
      labels = LABELS, param_labels = PARAMS, kinds = KINDS,
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
   local capped = cv.scenario { base = sc.base, labels = LABELS, param_labels = PARAMS,
      kinds = KINDS, model = function(q)
      local v = payback(q.cac, q.arpu * q.margin_rate, q.churn)
      return { payback_months = math.min(v, 1e6) }
   end }
   local max_cac, why = capped:breakeven { param = "cac", metric = "payback_months", target = p.target,
      range = { 0, 0.999 * m / p.churn } }
   print("")
   ctx.say("scenario_cac_payback.line", { target = p.target,
      cac = max_cac and cv.format(max_cac, "money") or T"scenario_cac_payback.none",
      closed = m * (1 - (1 - p.churn) ^ p.target) / p.churn, profit = m / p.churn },
      { closed = "money", profit = "money" })
   if not max_cac then print(why) end
   local tornado = capped:sensitivity { metric = "payback_months", vary = { cac = "±30%", arpu = "±10%",
      margin_rate = "±10%", churn = { math.max(p.churn - 0.01, 0.001), p.churn + 0.01 } } }
   local grid = capped:grid { metric = "payback_months", x = { "cac", { 0.5 * p.cac, 0.75 * p.cac, p.cac,
      1.25 * p.cac, 1.5 * p.cac } }, y = { "churn", { 0.01, 0.02, 0.03, 0.04, 0.05 } } }
   local mc = capped:montecarlo { draws = p.draws, seed = p.seed, below = p.target,
      inputs = { cac = { "triangular", 0.8 * p.cac, p.cac, 1.5 * p.cac },
         churn = { "uniform", 0.6 * p.churn, 1.4 * p.churn } } }
   local s = mc:summary()
   ctx.say("scenario_cac_payback.mc", { p5 = s.p5, p50 = s.p50, p95 = s.p95, target = p.target,
      below = s.below }, { p5 = { "number", 1 }, p50 = { "number", 1 }, p95 = { "number", 1 },
      below = "share" })

   local csv = p.out:gsub("%.html?$", "") .. ".csv"
   if ctx.html then -- the report, and the scenario table beside it
      res:write(csv)
      ctx.say("models.say.wrote_table", { path = csv })
   end
   ctx.write(res:table(), p, { say = "models.say.wrote_table",
      title = T"scenario_cac_payback.title", subtitle = T("scenario_cac_payback.subtitle", {
         cac = cv.format(p.cac, "money"), arpu = cv.format(p.arpu, "money"),
         margin = cv.format(p.margin_rate, "rate"), churn = cv.format(p.churn, "rate") }),
      sections = { { text = T"scenario_cac_payback.text" }, res, tornado, grid,
         { text = max_cac and T("scenario_cac_payback.pays_text", { target = p.target,
            cac = cv.format(max_cac, "money") }) or why }, mc } })
end

return script.main(M, ...)
