-- examples/class/12_loyalty_programme.lua: the economics of a loyalty (points) programme.
-- Question: a café chain's 5,000 members spend 400 a year each at a 60% margin. A points
-- programme (1 point per unit spent; 100 points buy a coffee priced 4 that costs 1.5 to
-- make, so a point is worth 0.04 to the customer and costs 0.015; 70% of points are expected
-- to be redeemed, the other 30% are breakage) is expected to lift purchase frequency by 8%
-- and retention by 3 points; running it costs 20,000 a year. What does it earn a year, what
-- frequency lift does it need to break even, and what if the lift is only half? At year end
-- 800,000 points are outstanding: what is the liability for them? And under IFRS 15, how
-- much of the year's sales is deferred to the points, and how much of it is revenue once
-- 900,000 of the 1,512,000 points expected are redeemed?
-- Run: cvkit run 12_loyalty_programme.lua        (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: incremental margin 5,000 × 400 × 0.6 × (0.08 + 0.03) = 132,000; points issued
-- 5,000 × 400 × 1.08 × 1 = 2,160,000; reward cost 2,160,000 × 0.7 × 0.015 = 22,680;
-- programme cost 22,680 + 20,000 = 42,680; profit 89,320. Break-even lift: reward cost per
-- unit of spend 0.0105; (20,000 + 2,000,000 × (0.0105 − 0.6 × 0.03)) ÷ (2,000,000 ×
-- (0.6 − 0.0105)) = 5,000 ÷ 1,179,000 = 0.42%. Half the lift (4%): 84,000 − 21,840 − 20,000
-- = 42,160. Liability: 800,000 × 0.7 × 0.015 = 8,400 (breakage 240,000 points). IFRS 15:
-- the points' stand-alone selling price 2,160,000 × 0.04 × 0.7 = 60,480; allocated
-- 2,160,000 × 60,480 ÷ 2,220,480 = 58,832.68; revenue 58,832.68 × 900,000 ÷ 1,512,000 =
-- 35,019.46, contract liability 23,813.23.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class12.title"] = { en = "Exercise 12: a loyalty programme's economics",
      zh = "练习 12：忠诚计划的经济性" },
   ["class12.question"] = {
      en = "Q. What does the programme earn, what lift does it need, what if the lift is half, what is owed for the points, and what does IFRS 15 defer?",
      zh = "问题：该计划能赚多少？需要多大的频率提升才能保本？提升减半会怎样？未兑换积分的负债是多少？IFRS 15 要递延多少收入？" },
   ["class12.half"] = { en = "with half the frequency lift ({lift}):",
      zh = "购买频率提升减半（{lift}）：" },
   ["class12.answer"] = {
      en = "A. the programme earns {profit} a year ({half} at half the lift) and breaks even at a frequency lift of {lift}; the points owed cost {liability}; IFRS 15 defers {deferred} of the sales, of which {revenue} is revenue after the redemptions",
      zh = "答：该计划每年盈利 {profit}（提升减半时为 {half}），频率提升达到 {lift} 即可保本；未兑换积分的负债为 {liability}；按 IFRS 15 递延 {deferred} 的销售收入，其中兑换后确认收入 {revenue}" },
}

local case = { members = 5000, spend = 400, margin_rate = 0.6, frequency_lift = 0.08,
   retention_lift = 0.03, points_per_spend = 1, redemption_rate = 0.7, cost_per_point = 0.015,
   running_cost = 20000 }

print(T("class12.title"))
print()
print(T("class12.question"))
local profit = cv.explain("loyalty.profit", case)
local b = {}
for k, v in pairs(case) do b[k] = v end
b.frequency_lift = nil
local lift = cv.explain("loyalty.breakeven_lift", b)
case.frequency_lift = 0.04
print(T("class12.half", { lift = "4%" }))
local half = cv.loyalty.profit(case)
print("  " .. T("label.programme_profit") .. " = " .. fmt(half))
local liability = cv.explain("loyalty.liability", { outstanding_points = 800000,
   redemption_rate = 0.7, cost_per_point = 0.015 })
local sales = 5000 * 400 * 1.08
local deferred = cv.explain("loyalty.allocation", { sales = sales, points_issued = sales,
   value_per_point = 0.04, redemption_rate = 0.7 })
local revenue = cv.explain("loyalty.revenue", { points_allocated = deferred,
   points_redeemed = 900000, points_expected = 0.7 * sales })
print(T("class12.answer", { profit = fmt(profit), half = fmt(half),
   lift = string.format("%.2f%%", 100 * lift), liability = fmt(liability),
   deferred = fmt(deferred), revenue = fmt(revenue) }))
