-- examples/class/05_cost_of_service.lua: cost of service and the whale curve.
-- Question: ten B2B customers (data/cost_to_serve.csv: revenue, product cost and how many
-- orders, order lines, deliveries and service calls each caused) share last year's service
-- costs of four activities (data/activities.csv). With activity-based costing, what does each
-- customer cost to serve, which customers lose money, and what does the whale curve say?
-- Run: cvkit run 05_cost_of_service.lua            (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: rates 3,000 ÷ 150 orders = 20, 5,000 ÷ 500 lines = 10, 6,000 ÷ 150 deliveries = 40,
-- 4,000 ÷ 80 calls = 50. C01: 10 × 20 + 40 × 10 + 10 × 40 + 2 × 50 = 1,100, margin 4,800,
-- profit 3,700; C04: 4,850 against 2,000, −2,850. Profits sorted 3,700, 2,090, 1,200, 650, 400,
-- −540, −700, −1,350, −1,800, −2,850: total 800, the first five earn 8,040 = 1,005% of it.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class05.title"] = { en = "Exercise 5: cost of service and the whale curve",
      zh = "练习 5：客户服务成本与鲸鱼曲线" },
   ["class05.question"] = {
      en = "Q. What does each customer cost to serve, who loses money, and what does the whale curve say?",
      zh = "问题：每位客户的服务成本是多少？哪些客户亏损？鲸鱼曲线说明了什么？" },
   ["class05.rates"] = { en = "activity rates:", zh = "作业成本率：" },
   ["class05.activity"] = { en = "activity", zh = "作业" },
   ["class05.driver"] = { en = "driver", zh = "成本动因" },
   ["class05.cost"] = { en = "cost", zh = "成本" },
   ["class05.volume"] = { en = "volume", zh = "动因量" },
   ["class05.rate"] = { en = "rate", zh = "成本率" },
   ["class05.customers"] = { en = "customers:", zh = "客户：" },
   ["class05.customer"] = { en = "customer", zh = "客户" },
   ["class05.revenue"] = { en = "revenue", zh = "收入" },
   ["class05.margin"] = { en = "gross margin", zh = "毛利" },
   ["class05.cost_to_serve"] = { en = "cost to serve", zh = "服务成本" },
   ["class05.profit"] = { en = "profit", zh = "利润" },
   ["class05.cumulative"] = { en = "cumulative profit", zh = "累计利润" },
   ["class05.whale"] = { en = "whale curve (most profitable first):", zh = "鲸鱼曲线（按利润从高到低）：" },
   ["class05.answer"] = {
      en = "A. total profit {total}; the {peak_rank} most profitable customers earn {peak} ({share} of it); "
         .. "{losers} customers lose {losses} together",
      zh = "答：总利润 {total}；利润最高的 {peak_rank} 位客户赚得 {peak}（占总利润的 {share}）；"
         .. "{losers} 位客户合计亏损 {losses}" },
   ["class05.activity.order handling"] = { en = "order handling", zh = "订单处理" },
   ["class05.activity.picking"] = { en = "picking", zh = "拣货" },
   ["class05.activity.delivery"] = { en = "delivery", zh = "配送" },
   ["class05.activity.customer service"] = { en = "customer service", zh = "客户服务" },
}

print(T("class05.title"))
print()
print(T("class05.question"))
local data = cv.read_csv("data/cost_to_serve.csv"):kind { revenue = "money",
   product_cost = "money" }
local abc = cv.costing.abc { data = data, customer = "customer",
   activities = "data/activities.csv" }

print(T("class05.rates"))
local acts = abc.activities:add("name", function(r) return T("class05.activity." .. r.activity) end)
cv.show(acts, { { "name", T"class05.activity" }, { "driver", T"class05.driver" },
   { "cost", T"class05.cost" }, { "volume", T"class05.volume" }, { "rate", T"class05.rate" } })

print(T("class05.customers"))
local c = data:join(abc.customers:select { "customer", "cost_to_serve" }, { on = "customer" })
c = c:add("margin", function(r) return r.revenue - r.product_cost end)
c = c:add("profit", function(r) return r.margin - r.cost_to_serve end)
   :kind { margin = "money", profit = "money" }
cv.show(c, { { "customer", T"class05.customer" }, { "revenue", T"class05.revenue" },
   { "margin", T"class05.margin" }, { "cost_to_serve", T"class05.cost_to_serve" },
   { "profit", T"class05.profit" } })

print(T("class05.whale"))
local curve, st = cv.whale(c, { profit = "profit", key = "customer" })
local sorted = c:sort("profit", "desc")
local cum = 0
sorted = sorted:add("cumulative", function(r) cum = cum + r.profit; return cum end)
   :kind("cumulative", "money")
cv.show(sorted, { { "customer", T"class05.customer" }, { "profit", T"class05.profit" },
   { "cumulative", T"class05.cumulative" } })
assert(#curve > 0)
print(T("class05.answer", { total = fmt(st.total), peak_rank = st.peak_rank, peak = fmt(st.peak),
   share = string.format("%.0f%%", 100 * st.peak_share), losers = st.loss_makers,
   losses = fmt(-st.losses) }))
