-- models/delivered_value.lua: customer delivered value (Kotler),
--   delivered value = total customer value − total customer cost
--   total value = product + service + personnel + image value
--   total cost  = monetary + time + energy + psychic cost
-- from a file with one row per customer (a survey scored in money). A customer whose
-- delivered value is below zero gets less than they give up: likely to leave.
-- Column names are the input names unless given (--set product_value=prod ...).
-- Run: cvkit run models/delivered_value.lua --data examples/data/delivered_value_survey.csv
local script = require "cv.script"

local M = { name = "delivered_value", describe = "customer delivered value from perceived values and costs" }

local parts = { "product_value", "service_value", "personnel_value", "image_value",
   "monetary_cost", "time_cost", "energy_cost", "psychic_cost" }

M.params = {
   data = { "one row per customer with the eight value and cost columns (CSV)", nil },
   customer = { "column of customer ids", "customer_id" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}
for _, name in ipairs(parts) do
   M.params[name] = { "column of " .. name:gsub("_", " "), name }
end

function M.run(ctx, p)
   local cv = ctx.cv
   local t = cv.read_csv(p.data, p.read)
   local mapping = {}
   for _, name in ipairs(parts) do
      mapping[name] = p[name]
   end
   local out = cv.value.delivered(t, mapping) -- column delivered_value
   out = out:select { p.customer, "delivered_value" }:sort("delivered_value", "desc")
   ctx.write(out, p)

   local negative = #out:filter("delivered_value", "<", 0)
   ctx.say("models.say.delivered", { customers = #out, mean = out:col("delivered_value"):mean() },
      { mean = "money" })
   ctx.say("models.say.negative", { n = negative })
   -- the first customer of the file, step by step
   local row, first = t:row(1), {}
   for _, name in ipairs(parts) do
      first[name] = row[p[name]]
   end
   cv.explain("value.delivered", first)
end

return script.main(M, ...)
