-- examples/demo.lua: the main job on a transaction log, end to end: a first look, the
-- per-customer summary, customer value (retention CLV), cost to serve and profit, value
-- tiers, a scenario comparison with sensitivity and Monte Carlo, and one report.
--   cvkit run examples/demo.lua      (or `make demo`; outputs go to out/ beside examples/)
-- The data are made up by examples/make_data.lua. Every word shown comes from the catalogue
-- (the demo's own entries below, in English and Chinese): `--lang zh` gives it in Chinese.
-- The outputs go to --set out=DIR (default: out/ beside examples/).
local i18n = require "cv.i18n"
local T = i18n.t
local here = arg[0]:match("^(.*)/") or "."
-- the output folder: --set out=, else ../out from here ("examples/../out" shown as "out")
local out = cv.params.out or ((here .. "/../out"):gsub("^%./", ""):gsub("^[^/.][^/]*/%.%./", ""))
local fmt = string.format
-- Numbers in the text as the tables show them, by kind (cv.format: money 1,234.50, shares
-- 21.83%, counts 1,234, rates 10%).
local function money(v) return cv.format(v, "money") end
local function share(v) return cv.format(v, "share") end
local function count(v) return cv.format(v, "count") end

i18n.add {
   -- console
   ["demo.channels"] = { en = "channels", zh = "各渠道" },
   ["demo.top10"] = { en = "top 10 customers by revenue", zh = "收入最高的 10 位客户" },
   ["demo.table_line"] = { en = "cv.Table ({rows} rows × {cols} columns)",
      zh = "交易表：{rows} 行 × {cols} 列" },
   ["demo.summary"] = { en = "summary: cv.Table ({rows} rows × {cols} columns)",
      zh = "客户汇总表：{rows} 行 × {cols} 列" },
   ["demo.retention_line"] = {
      en = "retention: {n} of the {total} buyers of January to June bought again in July to "
         .. "December ({h}); per year {h}² = {r}",
      zh = "保留率：1 月至 6 月的 {total} 位购买者中 {n} 位在 7 月至 12 月再次购买（{h}）；"
         .. "每年 {h}² = {r}" },
   ["demo.margin_line"] = { en = "mean yearly margin {m}, mean CLV {clv}, customer equity {equity}",
      zh = "平均每年毛利 {m}，平均客户终身价值 {clv}，客户资产 {equity}" },
   ["demo.abc"] = { en = "cost to serve by activity", zh = "按作业划分的服务成本" },
   ["demo.profit_line"] = {
      en = "profit {profit} from {n} customers; {losers} lose money; the {peak} profitable ones "
         .. "earn {share} of it",
      zh = "{n} 位客户共创造利润 {profit}；{losers} 位亏损；{peak} 位盈利客户贡献其中的 {share}" },
   ["demo.rfm"] = { en = "RFM segments", zh = "RFM 细分" },
   ["demo.tiers"] = { en = "value tiers: top 20%, next 30%, the rest by revenue",
      zh = "价值层级（按收入）：前 20%、其后 30%、其余" },
   ["demo.sensitivity_line"] = { en = "sensitivity of clv (largest swing first): {names}",
      zh = "客户终身价值的敏感性（波动最大的在前）：{names}" },
   ["demo.needed_line"] = { en = "retention needed for 25% more CLV: {r}",
      zh = "客户终身价值提高 25% 所需的保留率：{r}" },
   ["demo.mc_line"] = {
      en = "monte carlo clv: P5 {p5}, P50 {p50}, P95 {p95}; P(below the base) {below}",
      zh = "蒙特卡洛模拟的客户终身价值：P5 {p5}，P50 {p50}，P95 {p95}；低于基准的概率 {below}" },
   ["demo.run_rate_line"] = {
      en = "run rate {rate} orders per customer-month; December: {expected} expected, {actual} actual",
      zh = "每位客户每月 {rate} 笔订单；12 月：预期 {expected} 笔，实际 {actual} 笔" },
   ["demo.wrote_tables"] = { en = "wrote {files}", zh = "已写入 {files}" },
   ["demo.wrote_report"] = { en = "wrote {html}, {xlsx} and {n} charts in {dir}",
      zh = "已写入 {html}、{xlsx}，以及 {dir} 中的 {n} 张图" },
   ["demo.list_sep"] = { en = ", ", zh = "、" },
   -- column names shown (console and report)
   ["demo.col.customer_id"] = { en = "customer_id", zh = "客户编号" },
   ["demo.col.customer"] = { en = "customer", zh = "客户编号" },
   ["demo.col.yearly_margin"] = { en = "yearly_margin", zh = "每年毛利" },
   ["demo.col.clv"] = { en = "clv", zh = "客户终身价值" },
   ["demo.col.date"] = { en = "date", zh = "日期" },
   ["demo.col.amount"] = { en = "amount", zh = "金额" },
   ["demo.col.channel"] = { en = "channel", zh = "渠道" },
   ["demo.col.customers"] = { en = "customers", zh = "客户数" },
   ["demo.col.orders"] = { en = "orders", zh = "订单数" },
   ["demo.col.revenue"] = { en = "revenue", zh = "收入" },
   ["demo.col.mean_order"] = { en = "mean_order", zh = "平均订单额" },
   ["demo.col.first"] = { en = "first", zh = "首次购买" },
   ["demo.col.last"] = { en = "last", zh = "最近购买" },
   ["demo.col.activity"] = { en = "activity", zh = "作业" },
   ["demo.col.driver"] = { en = "driver", zh = "成本动因" },
   ["demo.col.volume"] = { en = "volume", zh = "动因量" },
   ["demo.col.rate"] = { en = "rate", zh = "动因费率" },
   ["demo.col.assigned"] = { en = "assigned", zh = "分配成本" },
   ["demo.col.segment"] = { en = "segment", zh = "细分" },
   ["demo.col.share"] = { en = "share", zh = "占比" },
   ["demo.col.tier"] = { en = "tier", zh = "层级" },
   ["demo.col.value"] = { en = "value", zh = "价值" },
   ["demo.col.customer_share"] = { en = "customer_share", zh = "客户占比" },
   ["demo.col.value_share"] = { en = "value_share", zh = "价值占比" },
   -- the workbook's sheets
   ["demo.sheet.channels"] = { en = "channels", zh = "渠道" },
   ["demo.sheet.customers"] = { en = "customers", zh = "客户" },
   ["demo.sheet.clv"] = { en = "clv", zh = "客户终身价值" },
   ["demo.sheet.scenarios"] = { en = "scenarios", zh = "情景" },
   ["demo.sheet.mc"] = { en = "monte carlo", zh = "蒙特卡洛模拟" },
   -- values shown
   ["demo.channel.app"] = { en = "app", zh = "手机应用" },
   ["demo.channel.web"] = { en = "web", zh = "网站" },
   ["demo.tier.gold"] = { en = "gold", zh = "金牌" },
   ["demo.tier.silver"] = { en = "silver", zh = "银牌" },
   ["demo.tier.bronze"] = { en = "bronze", zh = "铜牌" },
   ["demo.activity.order handling"] = { en = "order handling", zh = "订单处理" },
   ["demo.activity.payment fees"] = { en = "payment fees", zh = "支付手续费" },
   ["demo.driver.orders"] = { en = "orders", zh = "订单数" },
   ["demo.driver.amount"] = { en = "amount", zh = "金额" },
   -- scenarios
   ["demo.sc_title"] = { en = "Customer value scenarios", zh = "客户价值情景" },
   ["demo.v_retention"] = { en = "retention +5 pts", zh = "保留率 +5 个百分点" },
   ["demo.v_margin"] = { en = "margin +10%", zh = "毛利 +10%" },
   ["demo.v_discount"] = { en = "discount 15%", zh = "折现率 15%" },
   ["demo.clv"] = { en = "clv", zh = "客户终身价值" },
   ["demo.equity"] = { en = "equity", zh = "客户资产" },
   ["demo.p.retention"] = { en = "retention", zh = "保留率" },
   ["demo.p.margin"] = { en = "margin", zh = "每年毛利" },
   ["demo.p.discount"] = { en = "discount", zh = "折现率" },
   ["demo.p.customers"] = { en = "customers", zh = "客户数" },
   -- the report
   ["demo.title"] = { en = "Customer value: demo shop, 2024", zh = "客户价值：示例商店，2024 年" },
   ["demo.subtitle"] = {
      en = "{tx} transactions, {customers} customers, four channels (made-up data)",
      zh = "{tx} 笔交易，{customers} 位客户，四个渠道（虚构数据）" },
   ["demo.kpi.customers"] = { en = "customers", zh = "客户数" },
   ["demo.kpi.revenue"] = { en = "revenue", zh = "收入" },
   ["demo.kpi.retention"] = { en = "yearly retention", zh = "年保留率" },
   ["demo.kpi.clv"] = { en = "mean CLV", zh = "平均客户终身价值" },
   ["demo.kpi.profit"] = { en = "profit after cost to serve", zh = "扣除服务成本后的利润" },
   ["demo.h.sales"] = { en = "Sales", zh = "销售" },
   ["demo.h.customers"] = { en = "Customers", zh = "客户" },
   ["demo.h.value"] = { en = "Customer value", zh = "客户价值" },
   ["demo.h.cost"] = { en = "Cost to serve and profit", zh = "服务成本与利润" },
   ["demo.month_axis"] = { en = "month (2024)", zh = "月份（2024 年）" },
   ["demo.revenue_axis"] = { en = "revenue", zh = "收入" },
   ["demo.orders_axis"] = { en = "orders", zh = "订单数" },
   ["demo.customers_axis"] = { en = "customers", zh = "客户数" },
   ["demo.clv_axis"] = { en = "CLV", zh = "客户终身价值" },
   ["demo.c.revenue_month"] = { en = "Revenue per month", zh = "每月收入" },
   ["demo.c.revenue_month_channel"] = { en = "Revenue per month by channel",
      zh = "各渠道的每月收入" },
   ["demo.c.revenue_channel"] = { en = "Revenue by channel", zh = "各渠道收入" },
   ["demo.cap.channels"] = { en = "Channels: distinct customers, orders, revenue and mean order",
      zh = "各渠道：客户数、订单数、收入与平均订单额" },
   ["demo.c.tracking"] = { en = "Orders per month: actual and run-rate expectation",
      zh = "每月订单数：实际与按平均速率的预期" },
   ["demo.cap.tracking"] = {
      en = "Expected = orders per customer-month from January to September × customers "
         .. "acquired; October to December are the holdout.",
      zh = "预期 = 1 月至 9 月每位客户每月的订单数 × 已获取的客户数；10 月至 12 月为验证期。" },
   ["demo.c.scatter"] = { en = "Orders and revenue of the 300 largest customers",
      zh = "收入最高的 300 位客户的订单数与收入" },
   ["demo.c.lorenz"] = { en = "Concentration of revenue", zh = "收入的集中度" },
   ["demo.c.rfm"] = { en = "Customers per RFM segment", zh = "各 RFM 细分的客户数" },
   ["demo.cap.tiers"] = { en = "Value tiers by revenue: top 20%, next 30%, the rest",
      zh = "按收入划分的价值层级：前 20%、其后 30%、其余" },
   ["demo.text.clv"] = {
      en = "Retention-based CLV with a yearly retention of {r} and a {d} discount rate; margin "
         .. "is {m} of revenue. Retention is measured period to period: of the {total} customers "
         .. "who bought in January to June, {n} bought again in July to December, {h} per "
         .. "half-year; a year is two half-years, so the yearly retention is {h}² = {r}.",
      zh = "基于保留率的客户终身价值：年保留率 {r}，年折现率 {d}；毛利为收入的 {m}。"
         .. "保留率按相邻两期计算：1 月至 6 月购买过的 {total} 位客户中，{n} 位在 7 月至 12 月"
         .. "再次购买，每半年的保留率为 {h}；一年为两个半年，故年保留率为 {h}² = {r}。" },
   ["demo.c.clv"] = { en = "CLV per customer", zh = "每位客户的客户终身价值" },
   ["demo.c.whale"] = { en = "Whale curve", zh = "鲸鱼曲线" },
   ["demo.base_mark"] = { en = "{v} (base)", zh = "{v}（基准）" },
   ["demo.cap.grid"] = {
      en = "CLV per customer around the base case (marked \"base\" on both axes): retention "
         .. "±10 points, margin ±20%.",
      zh = "基准附近每位客户的客户终身价值（两条轴上标有“基准”）：保留率 ±10 个百分点，"
         .. "毛利 ±20%。" },
   ["demo.text.needed"] = { en = "Retention needed for 25% more CLV than the base: {r}.",
      zh = "客户终身价值比基准高 25% 所需的保留率：{r}。" },
}

-- The shown name of a value (a channel, tier, activity or driver): the catalogue's
-- demo.<kind>.<value>, else the value itself (the data's own Chinese channel names).
local function shown(kind, v)
   local key = "demo." .. kind .. "." .. tostring(v)
   return i18n.has(key) and T(key) or v
end

-- The table t with its columns under their shown names (demo.col.*) and the values of
-- columns in `kinds` ({column = kind}) shown as above; types and values kept.
local function relabel(t, kinds)
   local spec = {}
   for j, name in ipairs(t:names()) do
      local v = t:col(name):totable()
      if kinds and kinds[name] then
         for i = 1, v.n do v[i] = shown(kinds[name], v[i]) end
      end
      local key = i18n.has("demo.col." .. name) and "demo.col." .. name or "scenario.col." .. name
      spec[j] = { i18n.has(key) and T(key) or name, v, t:types()[j] }
   end
   local kinds = {}
   for name, kind in pairs(t:kinds()) do
      local key = i18n.has("demo.col." .. name) and "demo.col." .. name or "scenario.col." .. name
      kinds[i18n.has(key) and T(key) or name] = kind
   end
   return cv.table(spec):kind(kinds)
end

local tx = cv.read_csv(here .. "/data/transactions.csv", { types = { date = "date" } })
   :kind("amount", "money") -- sums and means of it are money too
print(T("demo.table_line", { rows = cv.format(#tx, "count"), cols = #tx:names() }))
relabel(tx:head(5), { channel = "channel" }):print()

-- Per channel: distinct customers, orders, revenue and the mean order.
local channels = tx:group_by("channel", {
   { "customers", "n_distinct", "customer_id" },
   { "orders", "count" },
   { "revenue", "sum", "amount" },
   { "mean_order", "mean", "amount" },
}):sort("revenue", "desc")
print("\n" .. T"demo.channels")
relabel(channels, { channel = "channel" }):print()

-- Per customer: orders, revenue, first and last purchase; the ten best by revenue.
local customers = tx:group_by("customer_id", {
   { "orders", "count" },
   { "revenue", "sum", "amount" },
   { "first", "min", "date" },
   { "last", "max", "date" },
}):sort{ { "revenue", desc = true }, "customer_id" }
print("\n" .. T"demo.top10")
relabel(customers:head(10)):print()
print(T("report.more_rows", { n = cv.format(#customers - 10, "count") }))

-- ---- The per-customer summary (docs/summary.md): frequency, recency, age in weeks ----------
local MARGIN = 0.3 -- gross margin as a share of revenue
local s = cv.summary(tx, { customer = "customer_id", date = "date", amount = "amount",
   unit = "week", margin = MARGIN })
print("\n" .. T("demo.summary", { rows = cv.format(#s, "count"), cols = #s:names() }))

-- ---- Customer value: retention-based CLV (docs/formulas.md) ---------------------------------
-- yearly margin per customer = margin × 52 ÷ max(T, 52) weeks observed; CLV = m × r ÷ (1 + d − r).
-- Retention r is period to period (Berger & Nasr 1998): of the customers active in one
-- period, the share active again in the next. The log covers one year, so the periods are
-- half-years (January to June, July to December) and a year is two of them: r = r_half².
-- (Not the share of repeat buyers: a customer who bought twice in March and left counts
-- as a repeat buyer but was not retained.)
local DISCOUNT = 0.1
local MID = "2024-06-30" -- the end of the first half-year
local active_h1 = tx:filter("date", "<=", MID):group_by("customer_id", { { "orders", "count" } })
local active_h2 = tx:filter("date", ">", MID):group_by("customer_id", { { "orders", "count" } })
local retained = #active_h1:join(active_h2:select { "customer_id" }, { on = "customer_id" })
local retention_half = retained / #active_h1
local retention = retention_half ^ 2
s = s:add("yearly_margin", function(r) return r.margin * 52 / math.max(r.T, 52) end)
local clv = cv.clv.retention(s, { margin = "yearly_margin", retention = retention,
   discount = DISCOUNT, period = "year" })
local mean_margin = clv:col("yearly_margin"):mean()
print("\n" .. T("demo.retention_line", { n = count(retained), total = count(#active_h1),
   h = share(retention_half), r = share(retention) }))
print(T("demo.margin_line", { m = money(mean_margin), clv = money(clv:col("clv"):mean()),
   equity = money(clv:col("clv"):sum()) }))

-- ---- Cost to serve (activity-based costing, docs/costing.md) and profit ---------------------
local abc = cv.costing.abc { data = tx, customer = "customer_id",
   drivers = { orders = "count", amount = { "sum", "amount" } },
   activities = {
      { name = "order handling", driver = "orders", rate = 4.5 },  -- per order
      { name = "payment fees", driver = "amount", rate = 0.02 },   -- 2% of the amount paid
   } }
print("\n" .. T"demo.abc")
local activities = abc.activities:select { "activity", "driver", "volume", "rate", "assigned" }
relabel(activities, { activity = "activity", driver = "driver" }):print()
local profit = customers:join(abc.customers:select { "customer_id", "cost_to_serve" },
   { on = "customer_id" }):add("profit", function(r)
   return r.revenue * MARGIN - r.cost_to_serve
end)
local _, whale = cv.whale(profit, { profit = "profit", key = "customer_id" })
print(T("demo.profit_line", { profit = money(whale.total), n = count(whale.customers),
   losers = count(whale.loss_makers), peak = count(whale.peak_rank),
   share = share(whale.peak_share) }))

-- ---- Segments (docs/segmentation.md): RFM segments and value tiers -------------------------
local _, rfm = cv.rfm(s, { scheme = "rfm10" })
print("\n" .. T"demo.rfm")
relabel(rfm.counts):print(-1)
local _, tiers = cv.tiers(customers, { value = "revenue", names = { "gold", "silver", "bronze" } })
local tier_table = tiers.counts
print("\n" .. T"demo.tiers")
relabel(tier_table, { tier = "tier" }):print()

-- ---- Scenarios: what would retention, margin or the discount rate change? -------------------
local sc = cv.scenario {
   title = T"demo.sc_title",
   base = { margin = mean_margin, retention = retention, discount = DISCOUNT, customers = #s },
   variants = {
      { T"demo.v_retention", retention = retention + 0.05 },
      { T"demo.v_margin", margin = mean_margin * 1.1 },
      { T"demo.v_discount", discount = 0.15 },
   },
   metrics = { "clv", "equity" },
   kinds = { clv = "money", equity = "money", margin = "money", retention = "share",
      discount = "rate", customers = "count" },
   labels = { clv = T"demo.clv", equity = T"demo.equity" },
   param_labels = { retention = T"demo.p.retention", margin = T"demo.p.margin",
      discount = T"demo.p.discount", customers = T"demo.p.customers" },
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
print("\n" .. T("demo.sensitivity_line", { names = table.concat((function()
   local names = {}
   for i, r in ipairs(tornado.rows) do names[i] = sc:param_label(r.param) end
   return names
end)(), T"demo.list_sep") }))
-- The grid is centred on the base case (its middle row and column), marked on both axes.
local grid = sc:grid { metric = "clv",
   x = { "retention", { retention - 0.1, retention - 0.05, retention, retention + 0.05,
      math.min(retention + 0.1, 0.99) } },
   y = { "margin", { 0.8 * mean_margin, 0.9 * mean_margin, mean_margin, 1.1 * mean_margin,
      1.2 * mean_margin } } }
local function base_mark(base, show)
   return function(v) return v == base and T("demo.base_mark", { v = show(v) }) or show(v) end
end
local needed = sc:breakeven { param = "retention", metric = "clv", target = 1.25 * res:value("base", "clv"),
   range = { 0.01, 0.99 } }
print(T("demo.needed_line", { r = share(needed) }))
-- Monte Carlo in C on the formula: retention and margin uncertain, 100,000 draws.
local mc = cv.montecarlo { formula = "clv.retention", draws = 100000, seed = 2024,
   inputs = { margin = { "triangular", 0.8 * mean_margin, mean_margin, 1.3 * mean_margin },
      retention = { "normal", retention, 0.05, clamp = { 0, 0.99 } }, discount = DISCOUNT,
      period = "year" },
   below = res:value("base", "clv"), scenario = sc }
local m = mc:summary()
print(T("demo.mc_line", { p5 = money(m.p5), p50 = money(m.p50), p95 = money(m.p95),
   below = share(m.below) }))

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
print(T("demo.run_rate_line", { rate = fmt("%.4f", rate),
   expected = count(expected[#months]), actual = count(orders[#months]) }))

-- Revenue per month by channel, for a stacked bar.
local mc_rows = monthly:group_by({ "month", "channel" }, { { "revenue", "sum", "amount" } })
local chan_names, chan_shown = {}, {}
for i, r in channels:rows() do chan_names[i], chan_shown[i] = r.channel, shown("channel", r.channel) end
local stack = {}
for k, c in ipairs(chan_names) do stack[k] = { name = chan_shown[k], values = {} } end
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
   title = T"demo.title",
   subtitle = T("demo.subtitle", { tx = count(#tx), customers = count(#s) }),
   sections = {
      { kpis = { { T"demo.kpi.customers", #s, "count" },
         { T"demo.kpi.revenue", channels:col("revenue"):sum(), "money" },
         { T"demo.kpi.retention", retention, "share" },
         { T"demo.kpi.clv", clv:col("clv"):mean(), "money" },
         { T"demo.kpi.profit", whale.total, "money" } } },
      { heading = T"demo.h.sales" },
      { chart = cv.chart.line { title = T"demo.c.revenue_month", x = short, y = revenue,
         x_label = T"demo.month_axis", y_label = T"demo.revenue_axis" } },
      { chart = cv.chart.stacked_bar { title = T"demo.c.revenue_month_channel", categories = short,
         series = stack, x_label = T"demo.month_axis", y_label = T"demo.revenue_axis" } },
      { chart = cv.chart.bar { title = T"demo.c.revenue_channel", categories = chan_shown,
         values = channels:col("revenue"):totable(), y_label = T"demo.revenue_axis" } },
      { table = relabel(channels, { channel = "channel" }), caption = T"demo.cap.channels" },
      { chart = cv.chart.tracking { title = T"demo.c.tracking",
         x = short, actual = orders, expected = expected, mark = "09",
         x_label = T"demo.month_axis", y_label = T"demo.orders_axis" }, caption = T"demo.cap.tracking" },
      { heading = T"demo.h.customers" },
      { chart = cv.chart.scatter { title = T"demo.c.scatter",
         x = top:col("orders"):totable(), y = top:col("revenue"):totable(), x_label = T"demo.orders_axis",
         y_label = T"demo.revenue_axis", radius = 2.5 } },
      { chart = cv.chart.lorenz { title = T"demo.c.lorenz", values = customers:col("revenue"):totable() } },
      { chart = cv.chart.bar { title = T"demo.c.rfm", categories = rfm.counts:col("segment"):totable(),
         values = rfm.counts:col("customers"):totable(), y_label = T"demo.customers_axis", height = 400 } },
      { table = relabel(tier_table, { tier = "tier" }), caption = T"demo.cap.tiers" },
      { heading = T"demo.h.value" },
      { text = T("demo.text.clv", { r = share(retention), d = cv.format(DISCOUNT, "rate"),
         m = cv.format(MARGIN, "rate"), total = count(#active_h1), n = count(retained),
         h = share(retention_half) }) },
      { chart = cv.chart.histogram { title = T"demo.c.clv", values = clv_values, bins = 30,
         x_label = T"demo.clv_axis", y_label = T"demo.customers_axis" } },
      { heading = T"demo.h.cost" },
      { table = relabel(activities, { activity = "activity", driver = "driver" }) },
      { chart = cv.chart.whale { title = T"demo.c.whale", values = profit:col("profit"):totable() } },
      res,
      tornado,
      { heading = T("scenario.grid_title", { metric = T"demo.clv" }) },
      { chart = grid:chart { x_format = base_mark(retention, share),
         y_format = base_mark(mean_margin, money) }, caption = T"demo.cap.grid" },
      { text = T("demo.text.needed", { r = share(needed) }) },
      mc,
   },
}
cv.mkdir(out)
cv.mkdir(out .. "/charts")
local files = { out .. "/customers.csv", out .. "/channels.json", out .. "/channels.md",
   out .. "/scenarios.csv" }
customers:write(files[1])
channels:write(files[2])
channels:write(files[3])
res:write(files[4])
rep:save(out .. "/report.html")
local charts = rep:save_charts(out .. "/charts")
cv.write_xlsx(out .. "/report.xlsx", { { T"demo.sheet.channels", relabel(channels, { channel = "channel" }) },
   { T"demo.sheet.customers", relabel(customers) },
   { T"demo.sheet.clv", relabel(clv:select { "customer", "orders", "revenue", "yearly_margin", "clv" }) },
   { T"demo.sheet.scenarios", res:wide() }, { T"demo.sheet.mc", relabel(mc:table()) } })
print("\n" .. T("demo.wrote_tables", { files = table.concat(files, T"demo.list_sep") }))
print(T("demo.wrote_report", { html = out .. "/report.html", xlsx = out .. "/report.xlsx",
   n = #charts, dir = out .. "/charts/" }))
