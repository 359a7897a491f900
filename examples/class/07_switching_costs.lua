-- examples/class/07_switching_costs.lua: switching costs and why customers stay.
-- Question: a family pays for a mobile plan. A rival offers the same service for 40 a month
-- less on a 12-month contract (480 saved in a year). Switching costs the family time and
-- effort (search 20, learning 30, setting up 50), money (exit fee 200, loyalty points lost 150)
-- and feelings (brand 30, uncertainty 70), valued in money by a survey; the numbers are in the
-- script. Does the family switch? And if the rival pays the exit fee?
-- Run: cvkit run 07_switching_costs.lua             (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: (20 + 30 + 50) + (200 + 150 + 0) + (0 + 30 + 70) = 100 + 350 + 100 = 550 > 480:
-- the family stays; without the exit fee 350 < 480: it switches, 130 better off.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class07.title"] = { en = "Exercise 7: switching costs", zh = "练习 7：转换成本" },
   ["class07.question"] = {
      en = "Q. A rival saves the family {gain} a year. Does the family switch, and if the rival pays the exit fee?",
      zh = "问题：竞争对手每年可为该家庭节省 {gain}。该家庭会转换吗？如果对手代付退出费用呢？" },
   ["class07.case1"] = { en = "the offer as it is:", zh = "原方案：" },
   ["class07.case2"] = { en = "the rival pays the exit fee:", zh = "对手代付退出费用：" },
   ["class07.stays"] = {
      en = "  switching cost {cost} ≥ gain {gain}: the family stays",
      zh = "  转换成本 {cost} ≥ 收益 {gain}：该家庭不会转换" },
   ["class07.switches"] = {
      en = "  switching cost {cost} < gain {gain}: the family switches, {net} better off",
      zh = "  转换成本 {cost} < 收益 {gain}：该家庭会转换，净得 {net}" },
   ["class07.answer"] = {
      en = "A. switching costs keep the customer although the rival is cheaper; the exit fee alone decides it",
      zh = "答：尽管竞争对手更便宜，转换成本留住了客户；仅退出费用一项就决定了结果" },
}

local gain = 40 * 12
local costs = { search_cost = 20, learning_cost = 30, setup_cost = 50, exit_fees = 200,
   lost_benefits = 150, new_purchase_cost = 0, relationship_loss = 0, brand_loss = 30,
   uncertainty_cost = 70 }

-- decide(costs): explains the switching cost and says whether the family switches
local function decide(c)
   local cost = cv.explain("cost.switching", c)
   if cost >= gain then
      print(T("class07.stays", { cost = fmt(cost), gain = fmt(gain) }))
   else
      print(T("class07.switches", { cost = fmt(cost), gain = fmt(gain), net = fmt(gain - cost) }))
   end
end

print(T("class07.title"))
print()
print(T("class07.question", { gain = fmt(gain) }))
print(T("class07.case1"))
decide(costs)
print(T("class07.case2"))
costs.exit_fees = 0
decide(costs)
print(T("class07.answer"))
