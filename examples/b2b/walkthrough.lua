-- examples/b2b/walkthrough.lua: cost to serve, the customer P&L and the whale curve of the
-- made-up B2B distributor (make_b2b.lua), in a dozen lines of cv.costing. Run from this
-- folder: cvkit run walkthrough.lua   (its output is examples/b2b/walkthrough.expected)
local cv = require "cv"
-- numbers in the text as the tables show them, by kind (cv.format): money 1,234.50, 21.83%
local function money(v) return cv.format(v, "money") end
local function share(v) return cv.format(v, "share") end

-- 1. cost to serve by activity-based costing: drivers per customer from the orders (a count
--    and sums) and from the service file, seven cost pools from activities.csv
local abc = cv.costing.abc {
   data = "orders.csv", customer = "customer_id",
   drivers = cv.costing.transaction_drivers("lines,deliveries,rush,returns,revenue,product_cost,discount"),
   join = { "service.csv", "customers.csv" },
   activities = "activities.csv",
}
abc.activities:select { "activity", "driver", "cost", "volume", "rate" }:print()

-- 2. the customer P&L: revenue − product cost − concessions − cost to serve − acquisition
--    − retention = profit, per customer and per industry
local t = abc.drivers:join(abc.customers, { on = "customer_id" })
local service = {}
for _, name in ipairs(abc.customers:names()) do
   if name:match("^cost_") and name ~= "cost_to_serve" then service[#service + 1] = name end
end
local pnl = cv.costing.pnl(t, { customer = "customer_id", segment = "industry",
   product = "product_cost", concessions = { "discount", "rebate" }, service = service,
   acquisition = "acquisition_cost", retention = "retention_cost" })
pnl.segments:select { "segment", "customers", "revenue", "gross_margin", "total_cost_to_serve",
   "profit" }:print()
print()
for _, step in pnl.waterfall():rows() do   -- the waterfall chart's data, as text
   print(string.format("%-24s %-9s %14s", step.step, step.kind, money(step.amount)))
end

-- 3. the whale curve
local _, w = cv.whale(pnl.customers, { key = "customer_id" })
print()
print(string.format("customers %d, profit %s, loss-makers %d (together %s)", w.customers,
   money(w.total), w.loss_makers, money(w.losses)))
print(string.format("top 20%% of customers earn %s of the profit", share(w.top20_share)))
print(string.format("the curve peaks at %s after %d customers", share(w.peak_share),
   w.peak_rank))
print(string.format("the bottom 30%% destroy %s", money(-w.bottom30_profit)))
