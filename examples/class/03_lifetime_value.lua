-- examples/class/03_lifetime_value.lua: lifetime value, simple and discounted.
-- Question: a customer buys 5 times a year for 200 on average, at a 30% margin, and is
-- expected to stay 5 years. What is the customer worth (a) by the simple formula, (b) as the
-- discounted margins of 5 certain years at 10%, (c) when the customer stays each year with
-- probability 0.8, over 5 years, (d) and with no end? The data: the numbers above.
-- Run: cvkit run 03_lifetime_value.lua            (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: (a) 200 × 5 × 5 = 5,000 of revenue; yearly margin 200 × 5 × 0.3 = 300;
-- (b) 300 × (1 − 1.1^−5) ÷ 0.1 = 300 × 3.79079 = 1,137.24;
-- (c) q = 0.8 ÷ 1.1 = 0.72727, q^5 = 0.20346: 300 q (1 − q^5) ÷ (1 − q) = 300 × 2.12410 = 637.23;
-- (d) with no end 300 × 0.8 ÷ 0.3 = 800.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class03.title"] = { en = "Exercise 3: lifetime value, simple and discounted",
      zh = "练习 3：客户终身价值——简单法与折现法" },
   ["class03.question"] = {
      en = "Q. 5 purchases a year of 200 at a 30% margin, for 5 years: what is the customer worth?",
      zh = "问题：每年购买 5 次、每次 200、毛利率 30%，持续 5 年：该客户价值多少？" },
   ["class03.a"] = { en = "(a) simple CLV (revenue, undiscounted)", zh = "（a）简单客户终身价值（收入，不折现）" },
   ["class03.b"] = { en = "(b) 5 certain years of margin at 10%",
      zh = "（b）确定 5 年的毛利，按 10% 折现" },
   ["class03.c5"] = { en = "(c) retention 0.8, 5 years, discounted", zh = "（c）保留率 0.8，5 年，折现" },
   ["class03.d"] = { en = "(d) retention 0.8, no end, discounted", zh = "（d）保留率 0.8，无限期，折现" },
   ["class03.method"] = { en = "method", zh = "方法" },
   ["class03.value"] = { en = "value", zh = "价值" },
   ["class03.share"] = { en = "share of (a)", zh = "占（a）的比例" },
   ["class03.margin"] = { en = "yearly margin = 200 × 5 × 0.3 = {margin}", zh = "每年毛利 = 200 × 5 × 0.3 = {margin}" },
   ["class03.answer"] = {
      en = "A. the simple formula says {simple}; counting margin, time and the risk of losing the "
         .. "customer, the customer is worth {c5} over 5 years ({share} of it)",
      zh = "答：简单公式给出 {simple}；考虑毛利、时间价值和流失风险后，该客户 5 年的价值为 {c5}（仅为其 {share}）" },
}

print(T("class03.title"))
print()
print(T("class03.question"))
local simple = cv.explain("clv.simple", { avg_purchase = 200, frequency = 5, lifetime = 5 })
local margin = 200 * 5 * 0.3
print(T("class03.margin", { margin = fmt(margin) }))
local certain = cv.explain("profit.lifecycle_npv",
   { discount = 0.1, period = "year", profits = { margin, margin, margin, margin, margin } })
local c5 = cv.explain("clv.retention_finite",
   { margin = margin, retention = 0.8, discount = 0.1, period = "year", periods = 5 })
local forever = cv.clv.retention { margin = margin, retention = 0.8, discount = 0.1,
   period = "year" }

local rows = { { "class03.a", simple }, { "class03.b", certain }, { "class03.c5", c5 },
   { "class03.d", forever } }
local names, values, shares = {}, {}, {}
for i, r in ipairs(rows) do
   names[i], values[i] = T(r[1]), fmt(r[2])
   shares[i] = string.format("%.1f%%", 100 * r[2] / simple)
end
cv.table { { T("class03.method"), names }, { T("class03.value"), values },
   { T("class03.share"), shares } }:print(-1)
print(T("class03.answer", { simple = fmt(simple), c5 = fmt(c5),
   share = string.format("%.1f%%", 100 * c5 / simple) }))
