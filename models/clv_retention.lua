-- models/clv_retention.lua: retention-based CLV per customer (Gupta & Lehmann),
--   CLV = m × r ÷ (1 + d − r)
-- m = the customer's yearly margin (revenue per year × margin rate), r = the yearly
-- retention rate, d = the annual effective discount rate (period = "year": the rate per
-- period is d itself); margins come at the end of each year the
-- customer stays, the current year's margin is not counted (formula clv.retention; see
-- docs/formulas.md). Without --set retention=..., r is estimated from the data period to
-- period (Berger & Nasr 1998), as examples/demo.lua does: the last 2k months of the data
-- (k = 12, or half the months the data span when they are fewer) are two periods; of the
-- customers who bought in the first, the share h who bought again in the second is the
-- retention per k months, and r = h^(12/k) per year. Not the share of repeat buyers: a
-- customer who bought twice in March and left is a repeat buyer but was not retained.
-- Also shows what 5 points more retention would do (formula retention.effect).
-- Run: cvkit run models/clv_retention.lua --data tx.csv --set margin_rate=0.3
local script = require "cv.script"

local M = { name = "clv_retention", describe = "retention-based CLV per customer: m × r ÷ (1 + d − r)" }

M.params = script.transaction_params {
   margin_rate = { "margin as a share of revenue", 0.3 },
   discount = { "annual effective discount rate", 0.1 },
   retention = { "yearly retention rate (default: measured period to period in the data)", -1 },
   uplift = { "retention points to test, as a fraction (0.05 = 5 points)", 0.05 },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local s = ctx.customers(p)
   local r = p.retention
   local measured
   if r < 0 then
      measured = script.retention(p)
      r = measured.r
   end
   -- m per customer: yearly margin
   s = s:add("margin", function(row)
      return row.revenue / row.years * p.margin_rate
   end)
   local out = cv.clv.retention(s, { margin = "margin", retention = r, discount = p.discount,
      period = "year" })
   out = out:select { "customer", "orders", "revenue", "years", "margin", "clv" }
   ctx.write(out, p)

   ctx.say("models.say.retention", { customers = #out, retention = r, discount = p.discount },
      { customers = "count", retention = "share", discount = "rate" })
   if measured then script.say_retention(ctx, measured) end
   ctx.say("models.say.clv", { mean = out:col("clv"):mean(), total = out:col("clv"):sum() },
      { mean = "money", total = "money" })
   local to = math.min(r + p.uplift, 1)
   cv.explain("retention.effect", { margin = out:col("margin"):mean(), discount = p.discount,
      period = "year", retention = r, new_retention = to })
end

return script.main(M, ...)
