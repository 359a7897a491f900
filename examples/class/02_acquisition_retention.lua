-- examples/class/02_acquisition_retention.lua: what it costs to win a customer and to keep one.
-- Question: last year three channels (data/channels.csv) spent on winning new paying customers
-- and on keeping existing ones. What are the customer acquisition cost (CAC) and the retention
-- cost per retained customer of each channel, and how many times more does it cost to win a
-- customer than to keep one?
-- Run: cvkit run 02_acquisition_retention.lua     (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: CAC search 50,000 ÷ 250 = 200, events 300, referral 100; retention 12,000 ÷ 600 = 20,
-- 20, 12; overall 95,000 ÷ 460 = 206.52 and 26,000 ÷ 1,500 = 17.33: 206.522 ÷ 17.333 = 11.91 times.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class02.title"] = { en = "Exercise 2: acquisition and retention cost",
      zh = "练习 2：客户获取成本与保留成本" },
   ["class02.question"] = {
      en = "Q. What does it cost, per channel, to win a paying customer and to keep one?",
      zh = "问题：各渠道获取一位付费客户、保留一位客户分别花费多少？" },
   ["class02.channel"] = { en = "channel", zh = "渠道" },
   ["class02.search"] = { en = "search", zh = "搜索广告" },
   ["class02.events"] = { en = "events", zh = "线下活动" },
   ["class02.referral"] = { en = "referral", zh = "老客推荐" },
   ["class02.overall"] = { en = "overall:", zh = "全部渠道：" },
   ["class02.answer"] = {
      en = "A. the cheapest channel to win customers is {cheapest} (CAC {cac}); winning a customer "
         .. "costs {ratio} times keeping one",
      zh = "答：获取客户最便宜的渠道是{cheapest}（CAC {cac}）；获取一位客户的成本是保留一位客户的 {ratio} 倍" },
}

print(T("class02.title"))
print()
print(T("class02.question"))
local ch = cv.read_csv("data/channels.csv"):kind { acquisition_spend = "money",
   retention_spend = "money", new_customers = "count", customers_retained = "count" }
ch = ch:add("name", function(r) return T("class02." .. r.channel) end)
ch = cv.cost.cac(ch, { acquisition_spend = "acquisition_spend", new_customers = "new_customers" })
ch = cv.cost.retention_per_customer(ch, { retention_spend = "retention_spend",
   customers_retained = "customers_retained" })
cv.show(ch, { { "name", T"class02.channel" }, { "acquisition_spend", T"input.acquisition_spend" },
   { "new_customers", T"input.new_customers" }, { "cac", T"label.cac" },
   { "retention_spend", T"input.retention_spend" },
   { "customers_retained", T"input.customers_retained" },
   { "retention_cost_per_customer", T"label.retention_cost_per_customer" } })

print(T("class02.overall"))
local cac = cv.explain("cost.cac", { acquisition_spend = ch:col("acquisition_spend"):sum(),
   new_customers = ch:col("new_customers"):sum() })
local keep = cv.explain("cost.retention_per_customer", {
   retention_spend = ch:col("retention_spend"):sum(),
   customers_retained = ch:col("customers_retained"):sum() })
local cheapest = ch:sort("cac"):row(1)
print(T("class02.answer", { cheapest = cheapest.name, cac = fmt(cheapest.cac),
   ratio = fmt(cac / keep) }))
