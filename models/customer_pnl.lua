-- models/customer_pnl.lua: the customer P&L, per customer and per segment,
--   revenue − product cost − price concessions (discounts, rebates)
--   − cost to serve (by activity, from activity-based costing)
--   − acquisition cost (allocated) − retention cost = customer profit
-- with the subtotals gross margin, pocket margin and service margin, and the waterfall
-- chart's data of the totals. Nothing is clipped: a customer may lose money.
-- Writes OUT (per customer), OUT_segments.csv and OUT_waterfall.csv. Run on the example data:
--   cvkit run models/customer_pnl.lua --data examples/b2b/orders.csv \
--     --set service=examples/b2b/service.csv --set customers=examples/b2b/customers.csv \
--     --set activities=examples/b2b/activities.csv
local script = require "cv.script"

local M = { name = "customer_pnl",
   describe = "customer P&L: revenue, product cost, concessions, cost to serve, acquisition, retention, profit" }

M.params = {
   data = { "orders file (CSV; one row per order)", nil },
   customer = { "column of customer ids", "customer_id" },
   service = { "per-customer file joined on the customer (support calls, visits, rebates), or empty", "" },
   customers = { "per-customer file joined on the customer (segment, acquisition and retention cost), or empty", "" },
   activities = { "cost pools (CSV: activity, driver, cost or rate)", nil },
   sums = { "order columns summed per customer, comma separated",
      "lines,deliveries,rush,returns,revenue,product_cost,discount" },
   revenue = { "column of revenue", "revenue" },
   product = { "columns of product cost, comma separated", "product_cost" },
   concessions = { "columns of price concessions, comma separated", "discount,rebate" },
   acquisition = { "columns of allocated acquisition cost, comma separated (may be empty)", "acquisition_cost" },
   retention = { "columns of retention cost, comma separated (may be empty)", "retention_cost" },
   segment = { "column of the segment (empty: one segment)", "industry" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

local function list(s)
   local out = {}
   for col in tostring(s):gmatch("[^,%s]+") do
      out[#out + 1] = col
   end
   return out
end

function M.run(ctx, p)
   local cv = ctx.cv
   -- cost to serve by activity (cost_<activity> columns), with the drivers and money sums
   local abc = cv.costing.abc {
      data = p.data, customer = p.customer, read = p.read, -- reading options from --set
      drivers = cv.costing.transaction_drivers(p.sums),
      join = { p.service, p.customers },
      activities = p.activities,
   }
   local t = abc.drivers:join(abc.customers, { on = p.customer })
   local service = {}
   for _, name in ipairs(abc.customers:names()) do
      if name:match("^cost_") and name ~= "cost_to_serve" then
         service[#service + 1] = name
      end
   end
   local pnl = cv.costing.pnl(t, {
      customer = p.customer, segment = p.segment ~= "" and p.segment or nil,
      revenue = p.revenue, product = list(p.product), concessions = list(p.concessions),
      service = service, acquisition = list(p.acquisition), retention = list(p.retention),
   })
   local customers = pnl.customers:sort { { "profit", desc = true } }
   ctx.write(customers, p)
   local base = p.out:gsub("%.%w+$", "")
   for _, part in ipairs { { "segments", pnl.segments }, { "waterfall", pnl.waterfall() } } do
      local path = base .. "_" .. part[1] .. ".csv"
      cv.write(path, part[2])
      ctx.say("costing.say.wrote", { path = path, rows = #part[2] })
   end

   local seg = pnl.segments:select { "segment", "customers", p.revenue, "gross_margin",
      "total_cost_to_serve", "profit", "profit_per_customer" }
   ctx.show(seg, { customers = "count", [p.revenue] = "money", gross_margin = "money",
      total_cost_to_serve = "money", profit = "money", profit_per_customer = "money" },
      "costing.col.", { [p.revenue] = "revenue" })
   local total = function(col) return customers:col(col):sum() end
   local sum = function(cols)
      local s = 0
      for _, c in ipairs(cols) do s = s + total(c) end
      return s
   end
   ctx.say("costing.say.pnl", { revenue = total(p.revenue), product = sum(list(p.product)),
      concessions = sum(list(p.concessions)), service = total("total_cost_to_serve"),
      acquisition = sum(list(p.acquisition)), retention = sum(list(p.retention)),
      profit = total("profit") }, { revenue = "money", product = "money",
      concessions = "money", service = "money", acquisition = "money", retention = "money",
      profit = "money" })
   local losing = customers:filter("profit", "<", 0)
   ctx.say("costing.say.losing", { n = #losing, customers = #customers,
      percent = 100 * #losing / #customers, losses = #losing > 0 and losing:col("profit"):sum() or 0 },
      { n = "count", customers = "count", losses = "money" })
end

return script.main(M, ...)
