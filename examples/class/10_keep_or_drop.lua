-- examples/class/10_keep_or_drop.lua: keep or drop the loss-making customers.
-- Question: exercise 5 found five customers who lose money after their cost to serve (C02,
-- C04, C06, C08, C10); head office costs 600 more, shared equally (60 a customer), and stays
-- whatever is decided. Dropping a customer saves its product cost but only part of its
-- activity costs (data/keep_or_drop.csv: half of order handling, 40% of picking, 60% of
-- delivery, 20% of customer service; the rest is staff and vans that stay). Which of the
-- five should go, and what would dropping all five do to profit?
-- Run: cvkit run 10_keep_or_drop.lua               (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand (activity costs as in exercise 5): C02 avoidable 600 × 0.5 + 1,500 × 0.4 + 1,200 ×
-- 0.6 + 1,000 × 0.2 = 1,820 against a margin of 3,600: keep (+1,780 to the costs that stay);
-- C04 400 + 480 + 960 + 250 = 2,090 > 2,000: drop, +90; C06 200 + 240 + 480 + 150 = 1,070 <
-- 1,200: keep; C08 250 + 200 + 600 + 120 = 1,170 > 800: drop, +370; C10 100 + 56 + 240 + 40
-- = 436 > 400: drop, +36. C02 and C06 cover 1,780 + 130 = 1,910 of the costs that stay.
-- Profit 800 − 600 = 200 now; dropping C04, C08, C10: 200 + 90 + 370 + 36 = 696; dropping
-- all five: 696 − 1,910 = −1,214, 1,414 less than keeping them all.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class10.title"] = { en = "Exercise 10: keep or drop a customer", zh = "练习 10：保留还是放弃客户" },
   ["class10.question"] = {
      en = "Q. Five customers lose money on full cost. Which should be dropped, and what would dropping all five do?",
      zh = "问题：五位客户按全部成本计算亏损。应放弃哪些？全部放弃会怎样？" },
   ["class10.shares"] = { en = "share of each activity's cost that goes away with a customer:",
      zh = "客户被放弃后各作业成本可免除的比例：" },
   ["class10.activity"] = { en = "activity", zh = "作业" },
   ["class10.avoidable"] = { en = "avoidable share", zh = "可避免比例" },
   ["class10.customers"] = { en = "the loss-making customers:", zh = "亏损客户：" },
   ["class10.customer"] = { en = "customer", zh = "客户" },
   ["class10.full_profit"] = { en = "full-cost profit", zh = "全部成本利润" },
   ["class10.margin"] = { en = "gross margin", zh = "毛利" },
   ["class10.avoidable_costs"] = { en = "avoidable costs", zh = "可避免成本" },
   ["class10.drop_effect"] = { en = "profit change if dropped", zh = "放弃后的利润变化" },
   ["class10.decision"] = { en = "decision", zh = "决策" },
   ["class10.keep"] = { en = "keep", zh = "保留" },
   ["class10.drop"] = { en = "drop", zh = "放弃" },
   ["class10.worst"] = { en = "the formula for C04:", zh = "以 C04 为例的公式：" },
   ["class10.options"] = { en = "keep all, drop all five, or drop the three",
      zh = "全部保留、五位全部放弃，还是只放弃三位" },
   ["class10.keep_all"] = { en = "keep all", zh = "全部保留" },
   ["class10.drop_five"] = { en = "drop five", zh = "放弃五位" },
   ["class10.drop_three"] = { en = "drop three", zh = "放弃三位" },
   ["class10.revenue"] = { en = "sales", zh = "销售额" },
   ["class10.product_cost"] = { en = "product cost", zh = "产品成本" },
   ["class10.avoidable_line"] = { en = "avoidable activity costs", zh = "可避免作业成本" },
   ["class10.unavoidable_line"] = { en = "unavoidable activity costs", zh = "不可避免作业成本" },
   ["class10.head_office"] = { en = "head office", zh = "总部费用" },
   ["class10.answer"] = {
      en = "A. drop {drop} (profit +{gain}); keep {keep}: they lose money on full cost but cover {cover} of the costs that stay; dropping all five would cut profit by {loss}",
      zh = "答：放弃 {drop}（利润增加 {gain}）；保留 {keep}：它们按全部成本计算虽然亏损，但仍分担了 {cover} 不会消失的成本；五位全部放弃将使利润减少 {loss}" },
   ["class10.sep"] = { en = ", ", zh = "、" },
   ["class10.activity.order handling"] = { en = "order handling", zh = "订单处理" },
   ["class10.activity.picking"] = { en = "picking", zh = "拣货" },
   ["class10.activity.delivery"] = { en = "delivery", zh = "配送" },
   ["class10.activity.customer service"] = { en = "customer service", zh = "客户服务" },
}

local HEAD_OFFICE = 600 -- shared equally by the ten customers, stays whatever is decided

print(T("class10.title"))
print()
print(T("class10.question"))
local data = cv.read_csv("data/cost_to_serve.csv"):kind { revenue = "money", product_cost = "money" }
local abc = cv.costing.abc { data = data, customer = "customer", activities = "data/activities.csv" }
local shares = cv.read_csv("data/keep_or_drop.csv")
print(T("class10.shares"))
cv.show(shares:add("name", function(r) return T("class10.activity." .. r.activity) end),
   { { "name", T"class10.activity" }, { "avoidable", T"class10.avoidable" } })

-- per customer: the avoidable and unavoidable parts of its activity costs
local share = {}
for _, r in shares:rows() do share[r.activity] = r.avoidable end
local c = data:join(abc.customers, { on = "customer" })
c = c:add("avoidable_costs", function(r)
   local s = 0
   for activity, k in pairs(share) do s = s + k * r["cost_" .. activity] end
   return s
end):add("unavoidable_costs", function(r) return r.cost_to_serve - r.avoidable_costs end)
c = c:add("margin", function(r) return r.revenue - r.product_cost end)
   :add("full_profit", function(r) return r.margin - r.cost_to_serve - HEAD_OFFICE / #data end)
-- the formula over every row: revenue lost, variable costs saved, avoidable fixed costs
c = cv.decision.keep_or_drop(c, { revenue = "revenue", variable_costs = "product_cost",
   avoidable_fixed = "avoidable_costs" })
c = c:add("decision", function(r) return T(r.drop_effect > 0 and "class10.drop" or "class10.keep") end)
   :kind { avoidable_costs = "money", margin = "money", full_profit = "money" }
local losing = c:filter("full_profit", "<", 0)
print(T("class10.customers"))
cv.show(losing, { { "customer", T"class10.customer" }, { "full_profit", T"class10.full_profit" },
   { "margin", T"class10.margin" }, { "avoidable_costs", T"class10.avoidable_costs" },
   { "drop_effect", T"class10.drop_effect" }, { "decision", T"class10.decision" } })
print(T("class10.worst"))
local c04 = losing:filter("customer", "==", "C04"):row(1)
cv.explain("decision.keep_or_drop", { revenue = c04.revenue, variable_costs = c04.product_cost,
   avoidable_fixed = c04.avoidable_costs })

-- three options side by side: the totals of everyone kept under each
local drop, keep, gain, cover = {}, {}, 0, 0
for _, r in losing:rows() do
   if r.drop_effect > 0 then
      drop[#drop + 1], gain = r.customer, gain + r.drop_effect
   else
      keep[#keep + 1], cover = r.customer, cover - r.drop_effect
   end
end
local dropped = { {}, {}, {} } -- the customers each option drops
for _, r in losing:rows() do
   dropped[2][r.customer] = true
   if r.drop_effect > 0 then dropped[3][r.customer] = true end
end
local function total(col, k, part)
   local s = 0
   for _, r in c:rows() do
      if not dropped[k][r.customer] or part == "stays" then s = s + (r[col] or 0) end
   end
   return s
end
local lines = { revenue = {}, product = {}, avoidable = {}, unavoidable = {}, head = {} }
for k = 1, 3 do
   lines.revenue[k] = total("revenue", k)
   lines.product[k] = total("product_cost", k)
   lines.avoidable[k] = total("avoidable_costs", k)
   lines.unavoidable[k] = total("unavoidable_costs", k, "stays")
   lines.head[k] = HEAD_OFFICE
end
local cmp = cv.decision.compare {
   decision = T("class10.options"),
   options = { T"class10.keep_all", T"class10.drop_five", T"class10.drop_three" },
   revenues = { { T"class10.revenue", table.unpack(lines.revenue) } },
   costs = { { T"class10.product_cost", table.unpack(lines.product) },
      { T"class10.avoidable_line", table.unpack(lines.avoidable) },
      { T"class10.unavoidable_line", table.unpack(lines.unavoidable) },
      { T"class10.head_office", table.unpack(lines.head) } },
}
cmp:explain()
print(T("class10.answer", { drop = table.concat(drop, T"class10.sep"), gain = fmt(gain),
   keep = table.concat(keep, T"class10.sep"), cover = fmt(cover),
   loss = fmt(cmp.profit[1] - cmp.profit[2]) }))
