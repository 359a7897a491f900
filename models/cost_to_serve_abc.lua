-- models/cost_to_serve_abc.lua: what each customer costs to serve, by activity-based costing.
--   rate of an activity   = the pool's cost ÷ its total driver volume
--   customer's cost       = Σ rate × the customer's driver volume
-- Driver volumes per customer come from the orders file (a count of orders, sums of the
-- columns in `sums`) and from an optional per-customer service file (support calls,
-- visits), joined on the customer. The cost pools are a CSV, one row per activity:
-- activity, driver, cost (or rate). Run on the example data:
--   cvkit run models/cost_to_serve_abc.lua --data examples/b2b/orders.csv \
--     --set service=examples/b2b/service.csv --set activities=examples/b2b/activities.csv
local script = require "cv.script"

local M = { name = "cost_to_serve_abc",
   describe = "cost to serve per customer by activity-based costing (pools, drivers, rates)" }

M.params = {
   data = { "orders file (CSV; one row per order)", nil },
   customer = { "column of customer ids", "customer_id" },
   service = { "per-customer file joined on the customer (support calls, visits), or empty", "" },
   activities = { "cost pools (CSV: activity, driver, cost or rate)", nil },
   sums = { "order columns summed per customer as drivers, comma separated",
      "lines,deliveries,rush,returns" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local r = cv.costing.abc {
      data = p.data, customer = p.customer, read = p.read, -- reading options from --set
      drivers = cv.costing.transaction_drivers(p.sums),   -- orders = count, lines = sum, ...
      join = { p.service },
      activities = p.activities,                          -- read from the CSV
   }
   -- the drivers and the costs side by side, most expensive customers first
   local t = r.drivers:join(r.customers, { on = p.customer })
   t = t:sort { { "cost_to_serve", desc = true } }
   ctx.write(t, p)

   ctx.show(r.activities, { cost = "money", volume = "count", rate = "money",
      assigned = "money", unassigned = "money" }, "costing.col.")
   local c = t:col("cost_to_serve")
   ctx.say("costing.say.abc", { total = c:sum(), customers = #t, mean = c:mean(),
      least = c:min(), most = c:max() }, { total = "money", customers = "count",
      mean = "money", least = "money", most = "money" })
   ctx.say("costing.say.abc_top", { customer = tostring(t:row(1)[p.customer]),
      cost = t:row(1).cost_to_serve }, { cost = "money" })
end

return script.main(M, ...)
