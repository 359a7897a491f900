-- examples/class/01_customer_value.lua: customer value, seen from both sides.
-- Question: three offers compete for one buyer (data/offers.csv: the values and costs the
-- buyer perceives, from a survey). Which offer does the buyer choose, by Kotler's customer
-- delivered value? And what is each of our customers worth to us this year, as CRM gross
-- profit (data/customers_value.csv)?
-- Run: cvkit run 01_customer_value.lua            (in Chinese: --lang zh or CVKIT_LANG=zh)
-- By hand: A 850 − 490 = 360, B 930 − 580 = 350, C 950 − 500 = 450: C is chosen, although
-- A is the cheapest and B has the best product. K1 1000 − 600 − 150 = 250, K2 600, K3 −40.
local i18n = require "cv.i18n"
local T, fmt = i18n.t, cv.formula.format_number

i18n.add {
   ["class01.title"] = { en = "Exercise 1: customer value and delivered value",
      zh = "练习 1：客户价值与顾客让渡价值" },
   ["class01.q1"] = {
      en = "Q1. Which of three offers does a buyer choose by customer delivered value?",
      zh = "问题 1：按顾客让渡价值，顾客会在三种产品中选择哪一种？" },
   ["class01.q2"] = {
      en = "Q2. What is each customer worth to the firm as CRM gross profit?",
      zh = "问题 2：以 CRM 毛利衡量，每位客户对企业的价值是多少？" },
   ["class01.offer"] = { en = "offer", zh = "产品" },
   ["class01.customer"] = { en = "customer", zh = "客户" },
   ["class01.a1"] = {
      en = "A1. offer {best} delivers the most value ({value}); the cheapest offer is {cheapest}, "
         .. "the best product {product}",
      zh = "答 1：产品 {best} 的让渡价值最大（{value}）；价格最低的是 {cheapest}，产品价值最高的是 {product}" },
   ["class01.a2"] = {
      en = "A2. the customers bring {total} in all; {losers} customer(s) cost more than they bring",
      zh = "答 2：客户合计带来 {total}；有 {losers} 位客户的成本高于其带来的收入" },
   ["class01.worked"] = { en = "worked, for offer {offer}:", zh = "以产品 {offer} 为例的计算过程：" },
}

print(T("class01.title"))
print()
print(T("class01.q1"))
local offers = cv.read_csv("data/offers.csv"):kind { product_value = "money",
   monetary_cost = "money" } -- shown as money (t:kind)
local dv = cv.value.delivered(offers, {
   product_value = "product_value", service_value = "service_value",
   personnel_value = "personnel_value", image_value = "image_value",
   monetary_cost = "monetary_cost", time_cost = "time_cost", energy_cost = "energy_cost",
   psychic_cost = "psychic_cost" })
cv.show(dv, { { "offer", T"class01.offer" }, { "product_value", T"input.product_value" },
   { "monetary_cost", T"input.monetary_cost" }, { "delivered_value", T"label.delivered_value" } })
local best = dv:sort("delivered_value", "desc"):row(1)
local cheapest = offers:sort("monetary_cost"):row(1)
local product = offers:sort("product_value", "desc"):row(1)
print(T("class01.worked", { offer = best.offer }))
cv.explain("value.delivered", {
   product_value = best.product_value, service_value = best.service_value,
   personnel_value = best.personnel_value, image_value = best.image_value,
   monetary_cost = best.monetary_cost, time_cost = best.time_cost,
   energy_cost = best.energy_cost, psychic_cost = best.psychic_cost })
print(T("class01.a1", { best = best.offer, value = fmt(best.delivered_value),
   cheapest = cheapest.offer, product = product.offer }))
print()

print(T("class01.q2"))
local customers = cv.read_csv("data/customers_value.csv"):kind { purchases = "money",
   product_cost = "money", marketing_cost = "money" }
local gp = cv.profit.crm_gross(customers, { purchases = "purchases",
   product_cost = "product_cost", marketing_cost = "marketing_cost" })
cv.show(gp, { { "customer", T"class01.customer" }, { "purchases", T"input.purchases" },
   { "product_cost", T"input.product_cost" }, { "marketing_cost", T"input.marketing_cost" },
   { "crm_gross_profit", T"label.crm_gross_profit" } })
print(T("class01.a2", { total = fmt(gp:col("crm_gross_profit"):sum()),
   losers = #gp:filter("crm_gross_profit", "<", 0) }))
