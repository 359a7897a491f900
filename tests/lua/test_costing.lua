-- Tests of cv.costing and cv.whale from Lua: ABC and time-driven ABC on hand-computed
-- cases and on Kaplan & Anderson's (HBR 2004) customer-service department, cost
-- definitions read from CSV, the P&L identities and waterfall, the whale curve, the
-- errors scripts see (with their exit codes), and the shape of the B2B example data.
local T = require "cv.testing"

local dir = os.tmpname()
os.remove(dir)
cv.mkdir(dir)
local function file(name, text)
   local path = dir .. "/" .. name
   local f = assert(io.open(path, "w"))
   f:write(text)
   f:close()
   return path
end

T.test("abc: rates from pools, costs per customer, given rates", function()
   local d = cv.table { { "id", { "A", "B", "C" } }, { "orders", { 10, 5, 5 } },
      { "lines", { 30, 50, 20 } }, { "visits", { 2, 3, 0 } } }
   local r = cv.costing.abc { data = d, customer = "id", activities = {
      { name = "orders", driver = "orders", cost = 2000 },   -- 100 per order
      { name = "picking", driver = "lines", cost = 500 },    -- 5 per line
      { name = "visits", driver = "visits", rate = 80, cost = 1000 },
   } }
   local c = r.customers
   T.eq(c:names(), { "id", "cost_orders", "cost_picking", "cost_visits", "cost_to_serve" })
   T.near(c:row(1).cost_to_serve, 1000 + 150 + 160)
   T.near(c:row(2).cost_to_serve, 500 + 250 + 240)
   T.near(c:row(3).cost_to_serve, 500 + 100)
   T.near(r.activities:row(3).unassigned, 600)
   T.near(r.activities:row(2).rate, 5)
end)

T.test("abc: drivers counted and summed from transactions, a joined table", function()
   local tx = cv.table { { "id", { "A", "B", "A", "A" } }, { "lines", { 3, 10, 1, 2 } },
      { "rush", { 0, 0, 1, 1 } } }
   local calls = cv.table { { "id", { "B" } }, { "calls", { 4 } } }
   local r = cv.costing.abc { data = tx, customer = "id",
      drivers = cv.costing.transaction_drivers("lines,rush"), join = { calls },
      activities = { { name = "entry", driver = "orders", cost = 40 },   -- 4 orders: 10 each
         { name = "rush", driver = "rush", cost = 30 },                 -- 2 rush: 15 each
         { name = "support", driver = "calls", cost = 20 } } }          -- 4 calls: 5 each
   T.eq(r.drivers:names(), { "id", "lines", "orders", "rush", "calls" })
   T.near(r.customers:row(1).cost_to_serve, 30 + 30 + 0)   -- A: no calls row counts as 0
   T.near(r.customers:row(2).cost_to_serve, 10 + 0 + 20)
end)

T.test("abc errors name the activity and the field, with exit codes", function()
   local d = cv.table { { "id", { "A", "B" } }, { "orders", { 1, 2 } }, { "returns", { 0, 0 } } }
   local v, msg, code = cv.try(cv.costing.abc, { data = d, activities = {
      { name = "returns", driver = "returns", cost = 500 } } })
   T.eq(v, nil)
   T.eq(msg, "activity 'returns': driver 'returns' has zero total volume, so its rate cost ÷ "
      .. "volume is undefined (give the rate)")
   T.eq(code, 7)
   v, msg, code = cv.try(cv.costing.abc, { data = d, activities = {
      { name = "support", driver = "calls", cost = 500 } } })
   T.eq(msg, "activity 'support': no driver column 'calls' (columns: id, orders, returns)")
   T.eq(code, 2)
   T.raises("field 'cost': number expected, got string", cv.costing.abc, { data = d,
      activities = { { name = "x", driver = "orders", cost = "lots" } } })
end)

T.test("tdabc: Kaplan & Anderson's department to the cent", function()
   local t = cv.table { { "period", { "Q" } }, { "orders", { 49000 } },
      { "inquiries", { 1400 } }, { "checks", { 2500 } } }
   local r = cv.costing.tdabc { data = t, customer = "period",
      resources = { { name = "customer_service", cost = 567000, capacity = 700000 } },
      activities = {
         { name = "handle_orders", base = 8, events = "orders" },
         { name = "process_inquiries", base = 44, events = "inquiries" },
         { name = "credit_checks", base = 50, events = "checks" },
      } }
   local res = r.resources:row(1)
   T.near(res.rate, 0.81, 1e-12)
   T.near(r.activities:row(1).cost_per_event, 6.48, 1e-9)
   T.near(r.activities:row(2).cost_per_event, 35.64, 1e-9)
   T.near(r.activities:row(3).cost_per_event, 40.50, 1e-9)
   T.near(res.used_minutes, 578600)
   T.near(res.unused_minutes, 121400)
   T.near(res.unused_cost, 98334, 1e-9)
end)

T.test("tdabc: time equations from CSV, if-flags per order, unused capacity", function()
   local res = file("res.csv", "resource,cost,capacity\nwarehouse,10000,20000\n")
   local acts = file("acts.csv", "activity,resource,base,events,terms\n"
      .. "pick,warehouse,5,,2 per lines; 10 if rush\n")
   local tx = cv.table { { "id", { "A", "A", "B" } }, { "lines", { 3, 1, 10 } },
      { "rush", { false, true, false } } }
   local r = cv.costing.tdabc { data = tx, customer = "id", resources = res, activities = acts }
   T.near(r.customers:row(1).minutes, 11 + 17)
   T.near(r.customers:row(2).cost_to_serve, 25 * 0.5)
   T.near(r.resources:row(1).unused_cost, (20000 - 53) * 0.5)
   T.eq(cv.costing.parse_terms("0.5 per lines;15 if rush"), {
      { field = "lines", minutes = 0.5, kind = "per_unit" },
      { field = "rush", minutes = 15, kind = "if_flag" } })
   local bad = file("bad.csv", "activity,resource,base,events,terms\npick,warehouse,5,,2 lines\n")
   T.raises_plain(bad .. ":2: bad time term '2 lines' (expected 'MINUTES per FIELD' or "
      .. "'MINUTES if FIELD')", cv.costing.read_activities, bad)
   local unknown = file("unknown.csv", "activity,resource,base,events,terms\n"
      .. "pick,warehouse,5,,1 if express\n")
   local v, msg = cv.try(cv.costing.tdabc, { data = tx, resources = res, activities = unknown })
   T.eq(msg, "activity 'pick': time equation names an unknown field 'express' (columns: id, "
      .. "lines, rush)")
end)

T.test("pnl: parts add up to revenue, segments, waterfall", function()
   local t = cv.table { { "id", { "A", "B", "C" } }, { "seg", { "x", "x", "y" } },
      { "revenue", { 1000, 500, 200 } }, { "cogs", { 600, 300, 150 } },
      { "discount", { 50, 0, 20 } }, { "cost_a", { 60, 40, 95 } }, { "acq", { 30, 30, 30 } },
      { "ret", { 5, 5, 5 } } }
   local p = cv.costing.pnl(t, { customer = "id", segment = "seg", product = "cogs",
      concessions = { "discount" }, service = { "cost_a" }, acquisition = "acq",
      retention = "ret" })
   local c = p.customers
   for _, r in c:rows() do
      T.near(r.profit + r.cogs + r.discount + r.cost_a + r.acq + r.ret, r.revenue)
      T.near(r.gross_margin, r.revenue - r.cogs)
   end
   T.near(c:row(3).profit, -100) -- not clipped
   T.eq(#p.segments, 2)
   T.near(p.segments:row(1).profit, 255 + 125) -- A: 1000 − 600 − 50 − 60 − 35
   local w = p.waterfall()
   T.eq(w:row(1).step, "revenue")
   T.eq(w:row(#w).kind, "total")
   T.near(w:row(#w)["end"], 280)
   T.near(p.waterfall(3):row(#w)["end"], -100)
end)

T.test("whale: invariants", function()
   local t = cv.table { { "id", { "a", "b", "c", "d", "e" } },
      { "profit", { 50, -20, 100, -10, 30 } } }
   local w, st = cv.whale(t, { key = "id" })
   T.near(w:row(#w).cum_share, 1)
   T.near(st.peak_share, 1.2)
   T.eq(st.peak_rank, 3)
   T.near(st.bottom30_profit, -30)
   for i = 2, #w do
      T.ok(w:row(i).rank == w:row(i - 1).rank + 1 and w:row(i).profit <= w:row(i - 1).profit)
   end
   local v, msg, code = cv.try(cv.whale, cv.table { { "profit", { -1, 0 } } })
   T.eq(code, 7)
end)

-- The example data (examples/b2b): the P&L over the activity pools, and the whale shape
-- the generator aims at.
T.test("b2b example: costs add up to the pools and the whale has its shape", function()
   local ex = "examples/b2b/"
   local abc = cv.costing.abc { data = ex .. "orders.csv", customer = "customer_id",
      drivers = cv.costing.transaction_drivers("lines,deliveries,rush,returns,revenue,"
         .. "product_cost,discount"),
      join = { ex .. "service.csv", ex .. "customers.csv" }, activities = ex .. "activities.csv" }
   local pools = 0
   for _, a in ipairs(cv.costing.read_activities(ex .. "activities.csv")) do
      pools = pools + a.cost
   end
   T.near(abc.customers:col("cost_to_serve"):sum(), pools, 1e-12)
   local t = abc.drivers:join(abc.customers, { on = "customer_id" })
   local p = cv.costing.pnl(t, { customer = "customer_id", segment = "region",
      product = "product_cost", concessions = { "discount", "rebate" },
      service = { "cost_to_serve" }, acquisition = "acquisition_cost",
      retention = "retention_cost" })
   local c = p.customers
   local sum = function(col) return c:col(col):sum() end
   T.near(sum("profit"), sum("revenue") - sum("product_cost") - sum("discount") - sum("rebate")
      - pools - sum("acquisition_cost") - sum("retention_cost"), 1e-9)
   local _, st = cv.whale(c, { key = "customer_id" })
   T.ok(st.top20_share > 1, "top 20% earn more than all the profit")
   T.ok(st.peak_share >= 1.5 and st.peak_share <= 2.5, "peak between 150% and 250%")
   T.ok(st.bottom30_profit < 0, "the bottom 30% lose money")
end)

T.report()
