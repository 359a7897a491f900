-- models/value_tiers.lua: customers in value tiers (by default the top 20%, the next 30%
-- and the bottom 50% of customers by revenue), with the concentration figures (the share
-- of value from the top 20%, the 20/80 check, the bottom 30%), the Lorenz curve and the
-- Gini coefficient.
-- Run: cvkit run models/value_tiers.lua --data tx.csv [--set value=revenue --set by=value]
local script = require "cv.script"
local seg = require "cv.segment"

local M = { name = "value_tiers", describe = "value tiers (top 20 / next 30 / bottom 50), concentration, Lorenz curve and Gini" }

M.params = script.transaction_params {
   value = { "the value column of the summary (revenue, mean_spend, orders, ...)", "revenue" },
   shares = { "tier shares, top first, comma separated", "0.2,0.3,0.5" },
   by = { "shares of customers or of value", "customers" },
   calibration_end = { "the date values are summed to (YYYY-MM-DD; default the last purchase)", "" },
}
M.params.min_years = nil

function M.run(ctx, p)
   local cv = ctx.cv
   local _, s = seg.read(p)
   local shares = {}
   for x in tostring(p.shares):gmatch("[^,]+") do shares[#shares + 1] = tonumber(x) end
   local t, info = cv.tiers(s, { value = p.value, shares = shares, by = p.by })
   local keep = { "customer", "days_since_last", "orders", "revenue" }
   if p.value ~= "revenue" and p.value ~= "orders" and p.value ~= "days_since_last" then
      keep[#keep + 1] = p.value
   end
   keep[#keep + 1] = "tier"
   t = t:select(keep)
   ctx.write(t, p)

   local pct = function(x) return string.format("%.1f", 100 * x) end
   local i18n = require "cv.i18n"
   local vname = i18n.has("segment.col." .. p.value) and i18n.t("segment.col." .. p.value) or p.value
   ctx.say("segment.say.concentration", { top20 = pct(info.top20), value = vname,
      top_for_80 = pct(info.top_for_80), bottom30 = pct(info.bottom30),
      gini = info.gini and string.format("%.3f", info.gini) or "na" })
   local names = {}
   for _, row in info.counts:rows() do names[#names + 1] = row.tier end
   seg.report_table(t, "tier", { order = names, revenue = p.value }):print(-1)
   local lorenz = cv.lorenz(s, p.value, { points = 11 })
   ctx.say("segment.say.lorenz")
   ctx.show(cv.table { { "customer_share", lorenz:col("customers"):totable() },
      { "value_share", lorenz:col("value"):totable() } },
      { customer_share = "share", value_share = "share" }, "segment.col.")
end

return script.main(M, ...)
