-- examples/demo.lua: a first look at a transaction log with cvkit.
--   cvkit run examples/demo.lua      (or `make demo`; outputs go to out/ beside examples/)
-- The data are made up by examples/make_data.lua.
local here = arg[0]:match("^(.*)/") or "."
local out = cv.params.out or (here .. "/../out")

local tx = cv.read_csv(here .. "/data/transactions.csv", { types = { date = "date" } })
print(tx)
tx:head(5):print()

-- Per channel: distinct customers, orders, revenue and the mean order.
local channels = tx:group_by("channel", {
   { "customers", "n_distinct", "customer_id" },
   { "orders", "count" },
   { "revenue", "sum", "amount" },
   { "mean_order", "mean", "amount" },
}):sort("revenue", "desc")
print("\nchannels")
channels:print()

-- Per customer: orders, revenue, first and last purchase; the ten best by revenue.
local customers = tx:group_by("customer_id", {
   { "orders", "count" },
   { "revenue", "sum", "amount" },
   { "first", "min", "date" },
   { "last", "max", "date" },
}):sort{ { "revenue", desc = true }, "customer_id" }
print("\ntop 10 customers by revenue")
customers:print(10)

cv.mkdir(out)
customers:write(out .. "/customers.csv")
channels:write(out .. "/channels.json")
channels:write(out .. "/channels.md")
print("\nwrote out/customers.csv, out/channels.json, out/channels.md")
