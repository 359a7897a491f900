-- examples/demo.lua: the main job on a transaction log, end to end: a first look, the
-- per-customer summary, customer value (retention CLV), cost to serve and profit, value
-- tiers, a scenario comparison with sensitivity and Monte Carlo, and one report.
--   cvkit run examples/demo.lua      (or `make demo`; outputs go to out/ beside examples/)
-- The data are made up by examples/make_data.lua.
local here = arg[0]:match("^(.*)/") or "."
local out = cv.params.out or (here .. "/../out")
local fmt = string.format
-- Numbers in the text as the tables show them, by kind (cv.format: money 1,234.50, shares
-- 21.83%, counts 1,234, rates 10%).
local function money(v) return cv.format(v, "money") end
local function share(v) return cv.format(v, "share") end
local function count(v) return cv.format(v, "count") end

local tx = cv.read_csv(here .. "/data/transactions.csv", { types = { date = "date" } })
   :kind("amount", "money") -- sums and means of it are money too
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

-- ---- The per-customer summary (docs/summary.md): frequency, recency, age in weeks ----------
local MARGIN = 0.3 -- gross margin as a share of revenue
local s = cv.summary(tx, { customer = "customer_id", date = "date", amount = "amount",
   unit = "week", margin = MARGIN })
print("\nsummary: " .. tostring(s))

-- ---- Customer value: retention-based CLV (docs/formulas.md) ---------------------------------
-- yearly margin per customer = margin × 52 ÷ max(T, 52) weeks observed; retention r = share
-- of customers who bought again (a crude proxy); CLV = m × r ÷ (1 + d − r).
local DISCOUNT = 0.1
local repeaters = #s:filter("x", ">", 0)
local retention = repeaters / #s
s = s:add("yearly_margin", function(r) return r.margin * 52 / math.max(r.T, 52) end)
local clv = cv.clv.retention(s, { margin = "yearly_margin", retention = retention,
   discount = DISCOUNT, period = "year" })
local mean_margin = clv:col("yearly_margin"):mean()
print(fmt("\nretention (repeat buyers): %s of %s = %s", count(repeaters), count(#s),
   share(retention)))
print(fmt("mean yearly margin %s, mean CLV %s, customer equity %s", money(mean_margin),
   money(clv:col("clv"):mean()), money(clv:col("clv"):sum())))

-- ---- Cost to serve (activity-based costing, docs/costing.md) and profit ---------------------
local abc = cv.costing.abc { data = tx, customer = "customer_id",
   drivers = { orders = "count", amount = { "sum", "amount" } },
   activities = {
      { name = "order handling", driver = "orders", rate = 4.5 },  -- per order
      { name = "payment fees", driver = "amount", rate = 0.02 },   -- 2% of the amount paid
   } }
print("\ncost to serve by activity")
abc.activities:select { "activity", "driver", "volume", "rate", "assigned" }:print()
local profit = customers:join(abc.customers:select { "customer_id", "cost_to_serve" },
   { on = "customer_id" }):add("profit", function(r)
   return r.revenue * MARGIN - r.cost_to_serve
end)
local _, whale = cv.whale(profit, { profit = "profit", key = "customer_id" })
print(fmt("profit %s from %s customers; %s lose money; the %s profitable ones earn %s of it",
   money(whale.total), count(whale.customers), count(whale.loss_makers), count(whale.peak_rank),
   share(whale.peak_share)))

-- ---- Segments (docs/segmentation.md): RFM segments and value tiers -------------------------
local _, rfm = cv.rfm(s, { scheme = "rfm10" })
print("\nRFM segments")
rfm.counts:print(-1)
local _, tiers = cv.tiers(customers, { value = "revenue", names = { "gold", "silver", "bronze" } })
local tier_table = tiers.counts
print("\nvalue tiers: top 20%, next 30%, the rest by revenue")
tier_table:print()

-- ---- Scenarios: what would retention, margin or the discount rate change? -------------------
local sc = cv.scenario {
   title = "Customer value scenarios",
   base = { margin = mean_margin, retention = retention, discount = DISCOUNT, customers = #s },
   variants = {
      { "retention +5 pts", retention = retention + 0.05 },
      { "margin +10%", margin = mean_margin * 1.1 },
      { "discount 15%", discount = 0.15 },
   },
   metrics = { "clv", "equity" },
   labels = { clv = "clv", equity = "equity" },
   kinds = { clv = "money", equity = "money", margin = "money", retention = "share",
      discount = "rate", customers = "count" },
   model = function(p)
      local v = cv.clv.retention { margin = p.margin, retention = p.retention,
         discount = p.discount, period = "year" }
      return { clv = v, equity = v * p.customers }
   end,
}
local res = sc:run()
print("")
res:print()
local tornado = sc:sensitivity { metric = "clv", vary = { retention = { retention - 0.1, math.min(retention + 0.1, 0.99) },
   margin = "±20%", discount = { 0.05, 0.15 } } }
print("\nsensitivity of clv (largest swing first): " .. table.concat((function()
   local names = {}
   for i, r in ipairs(tornado.rows) do names[i] = r.param end
   return names
end)(), ", "))
local grid = sc:grid { metric = "clv", x = { "retention", from = 0.5, to = 0.9, steps = 5 },
   y = { "margin", { 20, 30, 40, 50, 60 } } }
local needed = sc:breakeven { param = "retention", metric = "clv", target = 1.25 * res:value("base", "clv"),
   range = { 0.01, 0.99 } }
print(fmt("retention needed for 25%% more CLV: %s", share(needed)))
-- Monte Carlo in C on the formula: retention and margin uncertain, 100,000 draws.
local mc = cv.montecarlo { formula = "clv.retention", draws = 100000, seed = 2024,
   inputs = { margin = { "triangular", 0.8 * mean_margin, mean_margin, 1.3 * mean_margin },
      retention = { "normal", retention, 0.05, clamp = { 0, 0.99 } }, discount = DISCOUNT,
      period = "year" },
   below = res:value("base", "clv") }
local m = mc:summary()
print(fmt("monte carlo clv: P5 %s, P50 %s, P95 %s; P(below the base) %s", money(m.p5),
   money(m.p50), money(m.p95), share(m.below)))

-- ---- Tracking: monthly orders against a run-rate expectation ----------------------------------
-- expected orders in a month = orders per customer-month (January to September) × the
-- customers acquired by then; October to December are the holdout.
local monthly = tx:add("month", function(r) return r.date:sub(1, 7) end)
local by_month = monthly:group_by("month", { { "orders", "count" }, { "revenue", "sum", "amount" } })
   :sort("month")
local firsts = customers:add("month", function(r) return r.first:sub(1, 7) end)
   :group_by("month", { { "new", "count" } }):sort("month")
local months, orders, revenue, acquired, expected = {}, {}, {}, {}, {}
local new_by = {}
for _, r in firsts:rows() do new_by[r.month] = r.new end
local cum, calib_orders, calib_exposure = 0, 0, 0
for i, r in by_month:rows() do
   months[i], orders[i], revenue[i] = r.month, r.orders, r.revenue
   cum = cum + (new_by[r.month] or 0)
   acquired[i] = cum
   if r.month <= "2024-09" then
      calib_orders, calib_exposure = calib_orders + r.orders, calib_exposure + cum
   end
end
local rate = calib_orders / calib_exposure
for i = 1, #months do expected[i] = rate * acquired[i] end
print(fmt("run rate %.4f orders per customer-month; December: %s expected, %s actual", rate,
   count(expected[#months]), count(orders[#months])))

-- Revenue per month by channel, for a stacked bar.
local mc_rows = monthly:group_by({ "month", "channel" }, { { "revenue", "sum", "amount" } })
local chan_names = {}
for i, r in channels:rows() do chan_names[i] = r.channel end
local stack = {}
for k, c in ipairs(chan_names) do stack[k] = { name = c, values = {} } end
local month_index = {}
for i, mo in ipairs(months) do month_index[mo] = i end
for _, r in mc_rows:rows() do
   for k, c in ipairs(chan_names) do
      if r.channel == c then stack[k].values[month_index[r.month]] = r.revenue end
   end
end
local short = {}
for i, mo in ipairs(months) do short[i] = mo:sub(6, 7) end

-- ---- The report ---------------------------------------------------------------------------------
local clv_values = clv:col("clv"):totable()
local top = profit:sort("revenue", "desc"):head(300)
local rep = cv.report {
   title = "Customer value: demo shop, 2024",
   subtitle = fmt("%s transactions, %s customers, four channels (made-up data)", count(#tx),
      count(#s)),
   sections = {
      { kpis = { { "customers", #s, "count" }, { "revenue", channels:col("revenue"):sum(), "money" },
         { "repeat buyers", retention, "share" }, { "mean CLV", clv:col("clv"):mean(), "money" },
         { "profit after cost to serve", whale.total, "money" } } },
      { heading = "Sales" },
      { chart = cv.chart.line { title = "Revenue per month", x = short, y = revenue, x_label = "month (2024)",
         y_label = "revenue" } },
      { chart = cv.chart.stacked_bar { title = "Revenue per month by channel", categories = short,
         series = stack, x_label = "month (2024)", y_label = "revenue" } },
      { chart = cv.chart.bar { title = "Revenue by channel", categories = chan_names,
         values = channels:col("revenue"):totable(), y_label = "revenue" } },
      { table = channels, caption = "Channels: distinct customers, orders, revenue and mean order" },
      { chart = cv.chart.tracking { title = "Orders per month: actual and run-rate expectation",
         x = short, actual = orders, expected = expected, mark = "09",
         x_label = "month (2024)", y_label = "orders" }, caption = "Expected = orders per "
         .. "customer-month from January to September × customers acquired; October to December are the holdout." },
      { heading = "Customers" },
      { chart = cv.chart.scatter { title = "Orders and revenue of the 300 largest customers",
         x = top:col("orders"):totable(), y = top:col("revenue"):totable(), x_label = "orders",
         y_label = "revenue", radius = 2.5 } },
      { chart = cv.chart.lorenz { title = "Concentration of revenue", values = customers:col("revenue"):totable() } },
      { chart = cv.chart.bar { title = "Customers per RFM segment", categories = rfm.counts:col("segment"):totable(),
         values = rfm.counts:col("customers"):totable(), y_label = "customers", height = 400 } },
      { table = tier_table, caption = "Value tiers by revenue: top 20%, next 30%, the rest" },
      { heading = "Customer value" },
      { text = fmt("Retention-based CLV with a yearly retention of %s (the share of repeat buyers) "
         .. "and a %s discount rate; margin is %s of revenue.", share(retention),
         cv.format(DISCOUNT, "rate"), cv.format(MARGIN, "rate")) },
      { chart = cv.chart.histogram { title = "CLV per customer", values = clv_values, bins = 30,
         x_label = "clv", y_label = "customers" } },
      { heading = "Cost to serve and profit" },
      { table = abc.activities:select { "activity", "driver", "volume", "rate", "assigned" } },
      { chart = cv.chart.whale { title = "Whale curve", values = profit:col("profit"):totable() } },
      res,
      tornado,
      grid,
      { text = fmt("Retention needed for 25%% more CLV than the base: %s.", share(needed)) },
      mc,
   },
}
cv.mkdir(out)
cv.mkdir(out .. "/charts")
customers:write(out .. "/customers.csv")
channels:write(out .. "/channels.json")
channels:write(out .. "/channels.md")
res:write(out .. "/scenarios.csv")
rep:save(out .. "/report.html")
local charts = rep:save_charts(out .. "/charts")
cv.write_xlsx(out .. "/report.xlsx", { { "channels", channels }, { "customers", customers },
   { "clv", clv:select { "customer", "orders", "revenue", "yearly_margin", "clv" } },
   { "scenarios", res:wide() }, { "monte carlo", mc:table() } })
print("\nwrote out/customers.csv, out/channels.json, out/channels.md, out/scenarios.csv")
print(fmt("wrote out/report.html, out/report.xlsx and %d charts in out/charts/", #charts))
