-- models/customer_profitability.lua: which customers pay for themselves.
--   customer profit  = lifetime revenue − acquisition cost − retention cost
--   CRM gross profit = purchases − product cost − relationship-marketing cost
-- Acquisition cost per customer (CAC) is acquisition_spend ÷ customers when you give the
-- spend, else the cac parameter; retention cost = retention_per_year × years observed;
-- product cost = revenue × (1 − margin_rate).
-- Run: cvkit run models/customer_profitability.lua --data tx.csv --set acquisition_spend=40000
local script = require "cv.script"

local M = { name = "customer_profitability", describe = "profit per customer after acquisition and retention costs" }

M.params = script.transaction_params {
   acquisition_spend = { "total acquisition spend (0: use cac)", 0 },
   cac = { "acquisition cost per customer, when no spend is given", 25 },
   retention_per_year = { "retention spend per customer per year", 10 },
   margin_rate = { "margin as a share of revenue (for the CRM gross profit)", 0.3 },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local s = ctx.customers(p)
   local cac = p.cac
   if p.acquisition_spend > 0 then
      cac = cv.cost.cac { acquisition_spend = p.acquisition_spend, new_customers = #s }
   end
   s = s:add("acquisition_cost", function() return cac end)
   s = s:add("retention_cost", function(row) return p.retention_per_year * row.years end)
   s = s:add("product_cost", function(row) return row.revenue * (1 - p.margin_rate) end)
   s = cv.profit.customer(s, { lifetime_revenue = "revenue", acquisition_cost = "acquisition_cost",
      retention_cost = "retention_cost" })          -- column customer_profit
   s = cv.profit.crm_gross(s, { purchases = "revenue", product_cost = "product_cost",
      marketing_cost = "retention_cost" })          -- column crm_gross_profit
   s = s:select { "customer", "orders", "revenue", "acquisition_cost", "retention_cost",
      "customer_profit", "crm_gross_profit" }
   ctx.write(s, p)

   local losing = #s:filter("crm_gross_profit", "<", 0)
   ctx.say("models.say.cac", { customers = #s, cac = cac }, { cac = "money" })
   ctx.say("models.say.profit", { profit = s:col("customer_profit"):sum(),
      gross = s:col("crm_gross_profit"):sum() }, { profit = "money", gross = "money" })
   ctx.say("models.say.losing", { n = losing, percent = 100 * losing / #s })
end

return script.main(M, ...)
