-- models/clv_simple.lua: simple customer lifetime value per customer,
--   CLV = average purchase × purchase frequency × customer lifetime
-- from a transactions file: average purchase = the customer's mean spend, frequency =
-- purchases per year observed, lifetime = the expected years a customer stays (a guess
-- you give). Run: cvkit run models/clv_simple.lua --data tx.csv --set lifetime=3
local script = require "cv.script"

local M = { name = "clv_simple", describe = "simple CLV per customer: average purchase × purchases per year × lifetime" }

M.params = script.transaction_params {
   lifetime = { "expected customer lifetime in years", 5 },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local s = ctx.customers(p) -- one row per customer: mean_spend, per_year, ...
   local clv = cv.clv.simple(s, { avg_purchase = "mean_spend", frequency = "per_year",
      lifetime = p.lifetime }) -- adds the column "clv"
   clv = clv:select { "customer", "orders", "revenue", "mean_spend", "per_year", "clv" }
   ctx.write(clv, p)

   local c = clv:col("clv")
   ctx.say("models.say.lifetime", { customers = #clv,
      lifetime = cv.formula.format_value(p.lifetime, "number", "year") }) -- "5 years"
   ctx.say("models.say.clv", { mean = c:mean(), total = c:sum() }, { mean = "money", total = "money" })
   -- the average customer, explained step by step
   cv.explain("clv.simple", { avg_purchase = clv:col("mean_spend"):mean(),
      frequency = clv:col("per_year"):mean(), lifetime = p.lifetime })
end

return script.main(M, ...)
