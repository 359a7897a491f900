-- examples/class/08_retention_profit.lua: the retention-profit effect.
-- Question: a customer brings a margin of 100 a year; 80% of customers stay each year; money
-- is discounted at 10%. How much more is a customer worth when retention rises by 1 to 5
-- points, and what does 5 points mean for a base of 10,000 customers? (Reichheld and Sasser:
-- "5 points more retention raises profits by 25% to 85%".) The numbers are in the script.
-- Run: cvkit run 08_retention_profit.lua           (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: CLV = m r ÷ (1 + d − r): at 0.80 80 ÷ 0.30 = 266.67; at 0.85 85 ÷ 0.25 = 340,
-- +27.5%; 0.81: 81 ÷ 0.29 = 279.31 (+4.74%); 0.82: 82 ÷ 0.28 = 292.86 (+9.82%); 0.83: 83 ÷ 0.27
-- = 307.41 (+15.28%); 0.84: 84 ÷ 0.26 = 323.08 (+21.15%). Base: 2,666,667 → 3,400,000.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class08.title"] = { en = "Exercise 8: the retention-profit effect", zh = "练习 8：保留率对利润的影响" },
   ["class08.question"] = {
      en = "Q. Margin 100 a year, retention 0.80, discount 10%: what do 1 to 5 more points of retention add?",
      zh = "问题：每年毛利 100、保留率 0.80、折现率 10%：保留率提高 1 至 5 个百分点各带来多少？" },
   ["class08.retention"] = { en = "retention", zh = "保留率" },
   ["class08.clv"] = { en = "CLV", zh = "客户终身价值" },
   ["class08.change"] = { en = "change", zh = "变化" },
   ["class08.base"] = {
      en = "a base of {n} customers: worth {before} at 0.80, {after} at 0.85 ({gain} more)",
      zh = "{n} 位客户的客户群：保留率 0.80 时价值 {before}，0.85 时 {after}（增加 {gain}）" },
   ["class08.answer"] = {
      en = "A. each point of retention adds more than the one before; 5 points add {effect} to every customer",
      zh = "答：保留率每提高一个百分点带来的增加都比前一个更多；提高 5 个百分点使每位客户价值增加 {effect}" },
}

local margin, discount, base = 100, 0.1, 0.8
print(T("class08.title"))
print()
print(T("class08.question"))
local rs, clvs, changes = {}, {}, {}
local before = cv.clv.retention { margin = margin, retention = base, discount = discount,
   period = "year" }
for k = 0, 5 do
   local r = base + k / 100
   rs[#rs + 1] = string.format("%.2f", r)
   local clv = cv.clv.retention { margin = margin, retention = r, discount = discount,
      period = "year" }
   clvs[#clvs + 1] = fmt(clv)
   changes[#changes + 1] = k == 0 and "" or string.format("%+.2f%%", 100 * (clv - before) / before)
end
cv.table { { T("class08.retention"), rs }, { T("class08.clv"), clvs },
   { T("class08.change"), changes } }:print(-1)
local effect = cv.explain("retention.effect",
   { margin = margin, discount = discount, period = "year", retention = 0.80,
     new_retention = 0.85 })
local n = 10000
local after = cv.clv.retention { margin = margin, retention = 0.85, discount = discount,
   period = "year" }
print(T("class08.base", { n = fmt(n), before = fmt(n * before), after = fmt(n * after),
   gain = fmt(n * (after - before)) }))
print(T("class08.answer", { effect = string.format("%.1f%%", 100 * effect) }))
