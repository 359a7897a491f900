-- examples/class/04_lifecycle.lua: customer lifecycle stages and lifecycle profit.
-- Question: a typical customer's revenue and cost per year (data/lifecycle.csv) go through
-- four stages: acquisition, growth, maturity, decline. What is the customer's lifecycle profit
-- at a 10% discount rate (profits at year ends), how much does each stage contribute in
-- present value, and in which year has the customer paid back the cost of winning them?
-- Run: cvkit run 04_lifecycle.lua                  (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: profits −150, 120, 250, 350, 340, 140, 40 (sum 1,090); present values −136.36,
-- 99.17, 187.83, 239.05, 211.11, 79.03, 20.53: NPV 700.36; by stage −136.36, 287.00, 450.17,
-- 99.55; cumulative present value first positive in year 3 (−136.36 + 99.17 + 187.83 = 150.64).
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class04.title"] = { en = "Exercise 4: lifecycle stages and lifecycle profit",
      zh = "练习 4：客户生命周期阶段与生命周期利润" },
   ["class04.question"] = {
      en = "Q. What is the lifecycle profit at 10%, what does each stage contribute, and when is the customer paid back?",
      zh = "问题：按 10% 折现的生命周期利润是多少？各阶段贡献多少？何时收回获取成本？" },
   ["class04.year"] = { en = "year", zh = "年份" },
   ["class04.stage"] = { en = "stage", zh = "阶段" },
   ["class04.revenue"] = { en = "revenue", zh = "收入" },
   ["class04.cost"] = { en = "cost", zh = "成本" },
   ["class04.profit"] = { en = "profit", zh = "利润" },
   ["class04.pv"] = { en = "present value", zh = "现值" },
   ["class04.cumulative"] = { en = "cumulative", zh = "累计现值" },
   ["class04.years"] = { en = "years", zh = "年数" },
   ["class04.acquisition"] = { en = "acquisition", zh = "考察期" },
   ["class04.growth"] = { en = "growth", zh = "形成期" },
   ["class04.maturity"] = { en = "maturity", zh = "稳定期" },
   ["class04.decline"] = { en = "decline", zh = "退化期" },
   ["class04.by_stage"] = { en = "by stage:", zh = "按阶段：" },
   ["class04.answer"] = {
      en = "A. lifecycle profit {npv} (undiscounted {sum}); {stage} contributes most ({best}); "
         .. "paid back in year {payback}",
      zh = "答：生命周期利润 {npv}（不折现为 {sum}）；贡献最大的是{stage}（{best}）；第 {payback} 年收回获取成本" },
}

print(T("class04.title"))
print()
print(T("class04.question"))
local life = cv.read_csv("data/lifecycle.csv"):sort("year")
local cum = 0
life = life:add("profit", function(r) return r.revenue - r.cost end)
life = life:add("pv", function(r) return r.profit / 1.1 ^ r.year end)
life = life:add("cumulative", function(r) cum = cum + r.pv; return cum end)
life = life:add("stage_name", function(r) return T("class04." .. r.stage) end)
cv.show(life, { { "year", T"class04.year" }, { "stage_name", T"class04.stage" },
   { "revenue", T"class04.revenue" }, { "cost", T"class04.cost" }, { "profit", T"class04.profit" },
   { "pv", T"class04.pv" }, { "cumulative", T"class04.cumulative" } })

local npv = cv.explain("profit.lifecycle_npv",
   { discount = 0.1, period = "year", profits = life:col("profit"):totable() })

print(T("class04.by_stage"))
local stages = life:group_by({ "stage" }, { years = "count", pv = { "sum", "pv" },
   first = { "min", "year" } }):sort("first")
stages = stages:add("stage_name", function(r) return T("class04." .. r.stage) end)
cv.show(stages, { { "stage_name", T"class04.stage" }, { "years", T"class04.years" },
   { "pv", T"class04.pv" } })
local best = stages:sort("pv", "desc"):row(1)
local payback = life:filter("cumulative", ">", 0):row(1).year
print(T("class04.answer", { npv = fmt(npv), sum = fmt(life:col("profit"):sum()),
   stage = best.stage_name, best = fmt(best.pv), payback = payback }))
