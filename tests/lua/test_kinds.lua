-- Tests of numbers by kind (include/cvkit/kind.h): t:kind and t:kinds, a kind travelling
-- with its column through select, filter, sort, head, join, t:add and group_by; the kinds
-- set by cv.summary, Model:clv and predictions, the costing, segment and scenario tables;
-- every display showing them (print, Markdown, HTML report cells and KPIs) while CSV and
-- JSON keep full precision; cv.format. Expected texts are written out by hand.
local T = require "cv.testing"
local test, eq, raises_plain = T.test, T.eq, T.raises_plain

local function sales()
   return cv.table { { "id", { 1, 2, 3 } }, { "seg", { "a", "b", "a" } },
      { "amount", { 1234567.891, -83223.8, 0.5 } }, { "p", { 0.21834, 0.5, 1 } },
      { "n", { 100000, 2, 3 } } }
end

test("t:kind sets a kind, t:kinds reads them; the table it came from is unchanged", function()
   local t = sales()
   local k = t:kind("amount", "money"):kind { p = "share", n = "count" }
   eq(k:kinds(), { amount = "money", p = "share", n = "count" })
   eq(t:kinds(), {})
   eq(k:col("p"):kind(), "share")
   eq(k:col("id"):kind(), nil)
   eq(k:kind("amount", nil):kinds().amount, nil) -- nil removes it
   eq(k:to_string("text"), table.concat({
      "   id  seg             amount        p        n",
      "<int>  <string>       <float>  <float>    <int>",
      "-----  --------  ------------  -------  -------",
      "    1  a         1,234,567.89   21.83%  100,000",
      "    2  b           -83,223.80   50.00%        2",
      "    3  a                 0.50  100.00%        3", "" }, "\n"))
   local whole = k:kind("amount", "money", { decimals = 0 })
   eq(whole:to_string("text"):match("\n    1  a%s+(%S+)"), "1,234,568")
end)

test("an unknown kind or option is an error with a suggestion", function()
   local t = sales()
   raises_plain("Table:kind: option 'kind' cannot be 'mony' (did you mean 'money'?)", t.kind, t,
      "amount", "mony")
   raises_plain("Table:kind: unknown option 'decimal' (did you mean 'decimals'?)", t.kind, t,
      "amount", "money", { decimal = 1 })
   raises_plain("column 'seg' is string: only numbers have a kind", t.kind, t, "seg", "money")
   raises_plain("no column 'amout' (did you mean 'amount'?)", t.kind, t, "amout", "money")
   raises_plain("cv.format: unknown kind 'shares' (did you mean 'share'?)",
      cv.format, 0.5, "shares")
end)

test("kinds travel through select, filter, sort, head, join, t:add and group_by", function()
   local t = sales():kind { amount = "money", p = "share", n = "count" }
   local want = { amount = "money", p = "share", n = "count" }
   eq(t:filter("n", ">", 2):sort("amount", "desc"):head(1):kinds(), want)
   eq(t:select { "p", "amount" }:kinds(), { p = "share", amount = "money" })
   eq(t:add("twice", function(r) return 2 * r.amount end):kinds(), want) -- the new one: none
   local other = cv.table { { "id", { 1, 3 } }, { "cost", { 10.5, 20 } } }:kind("cost", "money")
   local j = t:select { "id", "amount" }:join(other, { on = "id", how = "left" })
   eq(j:kinds(), { amount = "money", cost = "money" })
   local g = t:group_by("seg", { { "revenue", "sum", "amount" }, { "orders", "sum", "n" },
      { "mean_n", "mean", "n" }, { "customers", "count" }, { "best", "max", "p" },
      { "mean_amount", "mean", "amount" }, { "firms", "n_distinct", "id" } })
   eq(g:kinds(), { revenue = "money", orders = "count", mean_n = "number", customers = "count",
      best = "share", mean_amount = "money", firms = "count" })
   eq(g:row(1).revenue, 1234567.891 + 0.5) -- the values are the values
end)

test("kinds are display only: CSV and JSON keep full precision, Markdown shows by kind",
   function()
   local t = sales():select { "id", "amount", "p" }:kind { amount = "money", p = "share" }
   eq(t:to_string("csv"), "id,amount,p\n1,1234567.891,0.21834\n2,-83223.8,0.5\n3,0.5,1\n")
   T.ok(t:to_string("json"):find('"amount":1234567.891,"p":0.21834}', 1, true))
   eq(t:to_string("md"), "| id | amount | p |\n| ---: | ---: | ---: |\n"
      .. "| 1 | 1,234,567.89 | 21.83% |\n| 2 | -83,223.80 | 50.00% |\n| 3 | 0.50 | 100.00% |\n")
end)

test("cv.format: the one formatter, bound for Lua", function()
   eq(cv.format(1234567.891, "money"), "1,234,567.89")
   eq(cv.format(-83223.8, "money"), "-83,223.80")
   eq(cv.format(0.21834, "share"), "21.83%")
   eq(cv.format(100000, "count"), "100,000")
   eq(cv.format(0.1, "rate"), "10%")
   eq(cv.format(0.0825, "rate"), "8.25%")
   eq(cv.format(0 / 0, "money"), "na")
   eq(cv.format(2000), "2,000")
   eq(cv.format(1 / 3, "share", 1), "33.3%")
end)

-- A summary's transactions: customer 1 buys three times, 2 once, 3 twice.
local tx = cv.table { { "customer", { 1, 1, 1, 2, 3, 3 } },
   { "date", { "2024-01-01", "2024-02-01", "2024-03-01", "2024-01-10", "2024-01-05",
      "2024-04-01" }, "date" }, { "amount", { 10.5, 20, 30, 40, 50.25, 60 } } }

test("cv.summary: counts and money; times are plain numbers", function()
   local s = cv.summary(tx, { customer = "customer", date = "date", amount = "amount",
      unit = "week", calibration_end = "2024-06-30" })
   local k = s:kinds()
   eq(k.x, "count")
   eq(k.orders, "count")
   eq(k.revenue, "money")
   eq(k.mean_spend, "money")
   eq(k.t_x, nil)
   eq(k.T, nil)
   eq(s:row(1).revenue, 60.5)
end)

test("a summary computed in the database has the same kinds", function()
   local db = cv.connect("sqlite::memory:")
   db:write("tx", tx)
   local s = cv.summary_sql(db, { table = "tx", customer = "customer", date = "date",
      amount = "amount", unit = "week", calibration_end = "2024-06-30" })
   eq({ s:kinds().x, s:kinds().revenue, s:kinds().T }, { "count", "money", nil })
   eq(s:row(1).revenue, 60.5)
   db:close()
end)

test("Model:clv and Model:predict: clv and spend money, p_alive a share", function()
   local s = cv.summary(tx, { customer = "customer", date = "date", amount = "amount",
      unit = "week", calibration_end = "2024-06-30" })
   local bg = cv.model("bgnbd", { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 },
      { unit = "week" })
   local gg = cv.model("gammagamma", { p = 6.25, q = 3.74, gamma = 15.44 })
   local clv = bg:clv(s, { spend = gg })
   local k = clv:kinds()
   eq(k.clv, "money")
   eq(k.p_alive, "share")
   eq(k.spend, "money")
   eq(k.value_tx, "money")
   eq(k.margin_share, "share")
   eq(k.revenue, "money") -- the summary's, kept
   eq(k.dtx, nil)          -- expected transactions: a plain number
   eq(bg:p_alive(s):kinds().p_alive, "share")
   eq(bg:predict(s, { horizon = 52 }):kinds().conditional, nil)
end)

test("costing, segment and scenario tables have kinds", function()
   local t = cv.table { { "id", { 1, 2 } }, { "seg", { "a", "b" } }, { "revenue", { 100, 200 } },
      { "pc", { 10, 20 } }, { "svc", { 5, 5 } } }
   local p = cv.costing.pnl(t, { customer = "id", segment = "seg", product = "pc",
      service = "svc" })
   local k = p.customers:kinds()
   eq(k.id, nil) -- the key is not money
   eq({ k.revenue, k.pc, k.profit, k.gross_margin }, { "money", "money", "money", "money" })
   eq(p.segments:kinds().customers, "count")
   local curve = cv.whale(p.customers, { key = "id" })
   eq({ curve:kinds().cum_share, curve:kinds().cum_profit }, { "share", "money" })
   local s = cv.table { { "customer", { "a", "b", "c", "d" } }, { "revenue", { 10, 20, 30, 40 } } }
   local _, tiers = cv.tiers(s, { value = "revenue" })
   eq(tiers.counts:kinds(), { customers = "count", customer_share = "share",
      value_share = "share" })
   local sc = cv.scenario { base = { m = 100, r = 0.8 }, variants = { { "up", r = 0.9 } },
      kinds = { clv = "money", r = "share" },
      model = function(q) return { clv = q.m * q.r / (1.1 - q.r) } end }
   local res = sc:run()
   eq(res:wide():kinds(), { clv = "money", ["clv Δ"] = "money", ["clv Δ%"] = "number" })
   eq(res:table():kinds(), { value = "money", base = "money", diff = "money",
      diff_pct = "number" })
   eq(res:wide():to_string("text"), table.concat({ -- Δ%: percentage points, 2 decimals
      "scenario      clv    clv Δ   clv Δ%", -- 80 / 0.3 and 90 / 0.2: +183.33, +68.75%
      "<string>  <float>  <float>  <float>",
      "--------  -------  -------  -------",
      "base       266.67     0.00     0.00",
      "up         450.00   183.33    68.75", "" }, "\n"))
   local tor = sc:sensitivity { vary = { r = { 0.7, 0.9 } } }
   eq(tor:table():kinds(), { low_input = "share", high_input = "share", low = "money",
      high = "money", swing = "money" })
   local mc = cv.montecarlo { formula = "clv.retention", draws = 1000, seed = 1,
      inputs = { margin = { "normal", 100, 10 }, retention = 0.8, discount = 0.1,
         period = "year" } }
   eq(mc:table():kinds().p50, "money") -- a CLV formula's result is money
   eq(mc:table():kinds().p_below, "share")
   raises_plain("cv.scenario: unknown kind 'mony' (did you mean 'money'?)", cv.scenario,
      { base = { m = 1 }, kinds = { clv = "mony" }, model = function() return {} end })
end)

test("the report shows table cells and KPI numbers by kind", function()
   local t = sales():select { "id", "amount", "p" }:kind { amount = "money", p = "share" }
   local html = cv.report { title = "k", sections = { { table = t },
      { kpis = { { "revenue", 1234567.891, "money" }, { "repeat", 0.21834, "share" },
         { "draws", 100000, "count" }, { "as text", "12 ¥" } } } } }:html()
   T.ok(html:find('<td class="num">1,234,567.89</td>', 1, true), "money cell")
   T.ok(html:find('<td class="num neg">-83,223.80</td>', 1, true), "negative money cell")
   T.ok(html:find('<td class="num">21.83%</td>', 1, true), "share cell")
   T.ok(html:find('<div class="v">1,234,567.89</div>', 1, true), "money KPI")
   T.ok(html:find('<div class="v">21.83%</div>', 1, true), "share KPI")
   T.ok(html:find('<div class="v">100,000</div>', 1, true), "count KPI")
   T.ok(html:find('<div class="v">12 ¥</div>', 1, true), "text KPI as given")
end)

T.report()
