-- models/cost_to_serve_tdabc.lua: cost to serve by time-driven activity-based costing.
--   capacity cost rate of a resource = cost of the capacity supplied ÷ practical capacity (minutes)
--   minutes of an activity = base × events + Σ minutes per unit × value + Σ minutes if a flag is set
--   customer's cost = Σ minutes × the rate of the resource the activity draws on
--   unused capacity = practical capacity − minutes used (and its cost)
-- The time equations are evaluated on one row per customer: counts and sums of the orders
-- file (orders, lines, rush, ...) joined with the per-customer files. Resources and activities
-- are CSVs (resource, cost, capacity; activity, resource, base, events, terms such as
-- "0.4 per lines; 10 per rush" or "480 if key_account"). Run on the example data:
--   cvkit run models/cost_to_serve_tdabc.lua --data examples/b2b/orders.csv \
--     --set service=examples/b2b/service.csv --set customers=examples/b2b/customers.csv \
--     --set resources=examples/b2b/tdabc_resources.csv --set activities=examples/b2b/tdabc_activities.csv
local script = require "cv.script"

local M = { name = "cost_to_serve_tdabc",
   describe = "cost to serve per customer by time-driven ABC, with the unused capacity of each resource" }

M.params = {
   data = { "orders file (CSV; one row per order)", nil },
   customer = { "column of customer ids", "customer_id" },
   service = { "per-customer file joined on the customer (support calls, visits), or empty", "" },
   customers = { "per-customer file joined on the customer (flags such as key_account), or empty", "" },
   resources = { "resources (CSV: resource, cost, capacity in minutes or rate)", nil },
   activities = { "time equations (CSV: activity, resource, base, events, terms)", nil },
   sums = { "order columns summed per customer, comma separated", "lines,deliveries,rush,returns" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local r = cv.costing.tdabc {
      data = p.data, customer = p.customer, read = p.read, -- reading options from --set
      drivers = cv.costing.transaction_drivers(p.sums),
      join = { p.service, p.customers },
      resources = p.resources, activities = p.activities,
   }
   local t = r.customers:sort { { "cost_to_serve", desc = true } }
   ctx.write(t, p)
   local base = p.out:gsub("%.%w+$", "")
   for _, part in ipairs { { "activities", r.activities }, { "resources", r.resources } } do
      local path = base .. "_" .. part[1] .. ".csv"
      cv.write(path, part[2])
      ctx.say("costing.say.wrote", { path = path, rows = #part[2] })
   end

   local a = r.activities:select { "activity", "resource", "events", "minutes", "rate", "cost",
      "cost_per_event" }
   ctx.show(a, { events = "count", minutes = { "number", 1 }, rate = "money", cost = "money",
      cost_per_event = "money" }, "costing.col.", { rate = "rate_per_minute" })
   for _, res in r.resources:rows() do
      ctx.say("costing.say.resource", { resource = res.resource, rate = res.rate,
         used = res.used_minutes, capacity = res.capacity, percent = 100 * res.utilization,
         unused = res.unused_minutes, unused_cost = res.unused_cost },
         { rate = "money", unused_cost = "money", used = { "number", 1 },
           unused = { "number", 1 } })
   end
   local c = t:col("cost_to_serve")
   ctx.say("costing.say.abc", { total = c:sum(), customers = #t, mean = c:mean(),
      least = c:min(), most = c:max() }, { total = "money", customers = "count",
      mean = "money", least = "money", most = "money" })
end

return script.main(M, ...)
