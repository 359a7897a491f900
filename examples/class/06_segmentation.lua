-- examples/class/06_segmentation.lua: RFM segmentation into the eight classes of Chinese CRM
-- courses (important/general × value, develop, keep, win back).
-- Question: ten customers (data/rfm.csv: days since the last purchase, orders, revenue) are
-- compared with the averages of the base: recent (fewer days than average), frequent and high
-- spending or not. Which class is each customer in, how much revenue does each class bring,
-- and what should marketing do with it?
-- Run: cvkit run 06_segmentation.lua                (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: means 126.8 days, 5.5 orders, 1,364 revenue. c01 (5, 12, 3,000) and c09 (20, 7,
-- 1,800) are recent, frequent and high: important value, 4,800 of 13,640 = 35.2%; c02 recent,
-- rare, high: important to develop; c03 important to keep; c08 important to win back; c05
-- general value; c07 and c10 general to develop; c06 general to keep; c04 general to win back.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class06.title"] = { en = "Exercise 6: RFM segmentation", zh = "练习 6：RFM 客户细分" },
   ["class06.question"] = {
      en = "Q. Which of the eight RFM classes is each customer in, what does each class bring, and what to do?",
      zh = "问题：每位客户属于八类 RFM 客户中的哪一类？每类带来多少收入？应采取什么措施？" },
   ["class06.means"] = {
      en = "averages: {days} days since the last purchase, {orders} orders, revenue {revenue}",
      zh = "平均值：距上次购买 {days} 天，订单 {orders} 笔，收入 {revenue}" },
   ["class06.customer"] = { en = "customer", zh = "客户" },
   ["class06.days"] = { en = "days since last", zh = "距上次购买天数" },
   ["class06.orders"] = { en = "orders", zh = "订单数" },
   ["class06.revenue"] = { en = "revenue", zh = "收入" },
   ["class06.segment"] = { en = "class", zh = "客户类别" },
   ["class06.customers"] = { en = "customers", zh = "客户数" },
   ["class06.share"] = { en = "share of revenue", zh = "收入占比" },
   ["class06.action"] = { en = "what to do", zh = "营销措施" },
   ["class06.action.222"] = { en = "reward and keep close", zh = "重点维护，提供专属服务" },
   ["class06.action.212"] = { en = "raise purchase frequency", zh = "提高购买频率" },
   ["class06.action.122"] = { en = "reach out before they drift", zh = "主动联系，防止流失" },
   ["class06.action.112"] = { en = "win back with an offer", zh = "重点挽回" },
   ["class06.action.221"] = { en = "sell up and across", zh = "交叉销售与向上销售" },
   ["class06.action.211"] = { en = "nurture the new customer", zh = "培育新客户" },
   ["class06.action.121"] = { en = "remind at low cost", zh = "低成本提醒" },
   ["class06.action.111"] = { en = "low priority", zh = "低优先级" },
   ["class06.answer"] = {
      en = "A. the class {segment} ({n} customers) brings {share} of revenue: the class to protect first",
      zh = "答：{n} 位{segment}带来 {share} 的收入，是首先要维护的客户" },
}

print(T("class06.title"))
print()
print(T("class06.question"))
local t = cv.read_csv("data/rfm.csv")
print(T("class06.means", { days = fmt(t:col("days_since_last"):mean()),
   orders = fmt(t:col("orders"):mean()), revenue = fmt(t:col("revenue"):mean()) }))
local seg = cv.segment(t, "cn8")
seg = seg:add("action", function(r) return T("class06.action." .. r.rfm) end)
cv.show(seg, { { "customer", T"class06.customer" }, { "days_since_last", T"class06.days" },
   { "orders", T"class06.orders" }, { "revenue", T"class06.revenue" },
   { "segment", T"class06.segment" }, { "action", T"class06.action" } })

local total = t:col("revenue"):sum()
local by = seg:group_by({ "segment", "rfm" }, { customers = "count", revenue = { "sum", "revenue" } })
by = by:add("share", function(r) return string.format("%.1f%%", 100 * r.revenue / total) end)
by = by:sort { { "revenue", desc = true }, "rfm" }
cv.show(by, { { "segment", T"class06.segment" }, { "customers", T"class06.customers" },
   { "revenue", T"class06.revenue" }, { "share", T"class06.share" } })
local top = by:row(1)
print(T("class06.answer", { n = top.customers, segment = top.segment, share = top.share }))
