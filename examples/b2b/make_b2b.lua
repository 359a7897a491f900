-- examples/b2b/make_b2b.lua: writes the made-up B2B distributor of the cost-of-service
-- examples (docs/costing.md): one year (2025) of a wholesale distributor's customers,
-- orders and service contacts, into the folder of this script (or OUT_DIR):
--   customers.csv  customer_id, region, industry, since, key_account, acquisition_cost,
--                  retention_cost
--   orders.csv     order_id, customer_id, date, lines, revenue, product_cost, discount,
--                  rush, deliveries, returns
--   service.csv    customer_id, support_calls, visits, rebate
-- Run: cvkit run examples/b2b/make_b2b.lua [OUT_DIR]     (plain lua5.4 works too)
-- Deterministic on every machine: its own 64-bit LCG (Knuth's MMIX constants; Lua 5.4
-- integers wrap around) and integer arithmetic only (money in cents).
--
-- The shape: a few large accounts order often, in big baskets, and earn most of the
-- profit despite their discounts; many small customers place small, often rushed orders,
-- call support and get visits, so that serving them costs more than they earn. That is
-- what gives the whale curve its hump.

local here = (arg and arg[0] and arg[0]:match("^(.*)/")) or "."
local out_dir = (arg and arg[1]) or here

local state = 20250101
-- next_int(n) -> an integer in [0, n): the top 31 bits of the LCG state, reduced.
local function next_int(n)
   state = state * 6364136223846793005 + 1442695040888963407
   return (state >> 33) % n
end
-- between(a, b) -> an integer in [a, b]
local function between(a, b)
   return a + next_int(b - a + 1)
end

-- Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
local function days_from_civil(y, m, d)
   y = m <= 2 and y - 1 or y
   local era = y // 400
   local yoe = y - era * 400
   local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
   local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
   return era * 146097 + doe - 719468
end
local function civil(z)
   z = z + 719468
   local era = z // 146097
   local doe = z - era * 146097
   local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
   local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
   local mp = (5 * doy + 2) // 153
   local d = doy - (153 * mp + 2) // 5 + 1
   local m = mp < 10 and mp + 3 or mp - 9
   return string.format("%04d-%02d-%02d", yoe + era * 400 + (m <= 2 and 1 or 0), m, d)
end

-- Cents as "123.45".
local function money(c)
   local sign = c < 0 and "-" or ""
   c = math.abs(c)
   return string.format("%s%d.%02d", sign, c // 100, c % 100)
end

local regions = { "north", "south", "east", "west" }
local industries = { "construction", "manufacturing", "healthcare", "hospitality", "retail" }
local first_day = days_from_civil(2025, 1, 1)

-- The three tiers: share of customers (percent), orders a year, lines per order, list price
-- per line (dollars), discount (tenths of a percent), rush orders (percent), support calls
-- and visits a year.
local tiers = {
   { share = 8, orders = { 45, 95 }, lines = { 10, 24 }, price = { 90, 220 },
     discount = { 50, 90 }, rush = { 2, 6 }, calls = { 4, 12 }, visits = { 6, 12 }, key = true },
   { share = 27, orders = { 15, 40 }, lines = { 4, 12 }, price = { 70, 180 },
     discount = { 15, 45 }, rush = { 5, 15 }, calls = { 2, 10 }, visits = { 1, 4 } },
   { share = 65, orders = { 3, 22 }, lines = { 1, 5 }, price = { 50, 160 },
     discount = { 0, 15 }, rush = { 5, 45 }, calls = { 1, 14 }, visits = { 0, 2 } },
}

local customers, orders, service = {}, {}, {}
local order_no = 0

for c = 1, 400 do
   local id = string.format("B%04d", c)
   local u, tier = next_int(100), nil
   local acc = 0
   for _, t in ipairs(tiers) do
      acc = acc + t.share
      if u < acc and not tier then
         tier = t
      end
   end
   local region = regions[1 + next_int(#regions)]
   local industry = industries[1 + next_int(#industries)]
   local since = between(2012, 2025)
   local n = between(tier.orders[1], tier.orders[2])
   local basket = between(tier.lines[1], tier.lines[2])
   local price = between(tier.price[1], tier.price[2]) * 100   -- cents per line
   local cost_pct = between(70, 79)                            -- product cost, % of list
   local disc = between(tier.discount[1], tier.discount[2])    -- tenths of a percent
   local rush_pct = between(tier.rush[1], tier.rush[2])
   local return_pct = between(1, 8)
   local split_pct = between(3, 15)
   local revenue_total = 0
   for _ = 1, n do
      order_no = order_no + 1
      local lines = math.max(1, basket // 2 + next_int(basket + 1))
      local rev = 0
      for _ = 1, lines do
         rev = rev + price // 2 + next_int(price)              -- 50% to 150% of the typical
      end
      local cost = rev * cost_pct // 100
      local discount = rev * disc // 1000
      local rush = next_int(100) < rush_pct and 1 or 0
      local deliveries = 1 + (next_int(100) < split_pct and 1 or 0) + (lines > 15 and 1 or 0)
      local returns = next_int(100) < return_pct and 1 + next_int(math.max(1, lines // 4)) or 0
      local day = first_day + next_int(365)
      orders[#orders + 1] = { day, order_no, id, lines, rev, cost, discount, rush, deliveries,
         returns }
      revenue_total = revenue_total + rev - discount
   end
   local rebate = tier.key and revenue_total * 15 // 1000 or 0  -- 1.5% year-end rebate
   local acquisition = since >= 2021 and 24000 or 0             -- $1,200 CAC over 5 years
   local retention = tier.key and 150000 or 8000                -- account programme, loyalty
   customers[#customers + 1] = string.format("%s,%s,%s,%d,%s,%s,%s", id, region, industry, since,
      tier.key and "true" or "false", money(acquisition), money(retention))
   service[#service + 1] = string.format("%s,%d,%d,%s", id, between(tier.calls[1], tier.calls[2]),
      between(tier.visits[1], tier.visits[2]), money(rebate))
end

-- orders by date, then order number
table.sort(orders, function(a, b)
   if a[1] ~= b[1] then return a[1] < b[1] end
   return a[2] < b[2]
end)

local function write(name, header, rows)
   local f = assert(io.open(out_dir .. "/" .. name, "w"))
   f:write(header, "\n", table.concat(rows, "\n"), "\n")
   f:close()
end

local order_rows = {}
for i, o in ipairs(orders) do
   order_rows[i] = string.format("O%05d,%s,%s,%d,%s,%s,%s,%d,%d,%d", o[2], o[3], civil(o[1]), o[4],
      money(o[5]), money(o[6]), money(o[7]), o[8], o[9], o[10])
end
write("customers.csv",
   "customer_id,region,industry,since,key_account,acquisition_cost,retention_cost", customers)
write("orders.csv",
   "order_id,customer_id,date,lines,revenue,product_cost,discount,rush,deliveries,returns",
   order_rows)
write("service.csv", "customer_id,support_calls,visits,rebate", service)
print(string.format("wrote %d customers, %d orders, %d service rows to %s", #customers,
   #order_rows, #service, out_dir))
