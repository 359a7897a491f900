-- Tests of the model diagnostics (m:diagnostics, report:diagnostics; lua/cv/diagnostics.lua
-- over src/core/model_diagnostics.c). Each number is checked against one computed another
-- way: CDNOW's counts, m:validate's buckets (model_validate.c), m:tracking, m:p_alive and
-- m:conditional of single customers, the closed-form means of the mixing distributions, a
-- customer's P(alive) from the summary, and simulated customers.
local T = require "cv.testing"
local test, eq, near, raises, ok = T.test, T.eq, T.near, T.raises, T.ok

local DATA = require "tests.lua.data"
local READ = { header = false, delim = "space", types = { V2 = "int", V3 = "date" } }
local tx = cv.read_csv(DATA .. "CDNOW_sample.txt", READ)
local s = cv.summary(tx, { customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", observation_end = "1998-06-30" })
local m = cv.fit("bgnbd", s)
local TXO = { transactions = tx, customer_col = "V2", date_col = "V3" }
local d = m:diagnostics(s, TXO)

local function sum(t, col)
   local v = 0
   for _, x in ipairs(t:col(col):totable()) do v = v + x end
   return v
end

test("histogram: CDNOW's counts (1,411 without a repeat purchase), model sums to 2,357", function()
   eq(d.histogram:col("actual"):totable(), { 1411.0, 439.0, 214.0, 100.0, 62.0, 38.0, 29.0, 64.0,
      n = 8 })
   near(sum(d.histogram, "expected"), 2357, 1e-6)
   near(d.histogram:col("expected")[1], 1411, 0.04 * 1411, "FHL 2005 Figure 2: a close fit")
   eq(d.histogram:col("label")[8], "7+")
end)

test("holdout by frequency: the same as m:validate's buckets (another code path)", function()
   local b = m:validate(s)
   eq(d.by_frequency:col("customers"):totable(), b:col("customers"):totable())
   for i = 1, 8 do
      near(d.by_frequency:col("actual")[i], b:col("actual")[i], 1e-12)
      near(d.by_frequency:col("expected")[i], b:col("expected")[i], 1e-9)
   end
end)

test("holdout by recency: every customer once, holdout totals kept", function()
   local r = d.by_recency
   near(sum(r, "customers"), 2357, 0)
   near(sum(r, "actual_total"), sum(s, "x_holdout"), 0)
   eq(r:col("customers")[1], 1411) -- no repeat purchase
   near(sum(r, "expected_total"), sum(d.by_frequency, "expected_total"), 1e-6)
end)

test("tracking: m:tracking's table, 78 weeks", function()
   local t = m:tracking(tx, { customer = "V2", date = "V3", calibration_end = "1997-09-30",
      ["end"] = "1998-06-30" })
   eq(#d.tracking, 78)
   eq(d.tracking:col("actual_cum"):totable(), t:col("actual_cum"):totable())
   near(d.tracking:col("actual_cum")[78], sum(s, "x") + sum(s, "x_holdout"), 0)
end)

test("matrices: cells are m:p_alive and m:conditional of that customer", function()
   local pa, cd = d.p_alive, d.conditional
   local age = s:col("T"):max()
   near(pa.age, age, 0)
   local rec = { x = 3, t_x = pa.t_x[4], T = age }
   near(pa.z[4][4], m:p_alive(rec), 1e-12)
   near(cd.z[4][4], m:conditional(rec, 39), 1e-12)
   near(pa.z[1][7], 1, 0, "no repeat purchase: alive (BG/NBD)")
   eq(#pa.table, 10)
end)

test("mixing: Gamma(r, alpha) and Beta(a, b) with their means", function()
   eq(#d.mixing, 2)
   eq(d.mixing[1].name, "lambda")
   near(d.mixing[1].mean, m.params.r / m.params.alpha, 1e-12)
   near(d.mixing[2].mean, m.params.a / (m.params.a + m.params.b), 1e-12)
   near(d.mixing_table:col("a")[2], m.params.a, 0)
end)

test("history: P(alive) at the calibration end is the summary's for that customer", function()
   eq(d.customer, 157) -- the most repeat purchases
   local row = s:filter("customer", "==", 157)
   local h = d.history.table
   near(h:col("p_alive")[#h], m:p_alive(row):col("p_alive")[1], 1e-9)
   near(h:col("time")[#h], row:col("T")[1], 1e-9)
   eq(h:col("x")[#h], row:col("x")[1])
   near(d.history.p_alive[1], 1, 0)
   local other = m:diagnostics(s, { transactions = tx, customer_col = "V2", date_col = "V3",
      customer = 4 })
   local r4 = s:filter("customer", "==", 4)
   near(other.history.table:col("p_alive")[#other.history.table], m:p_alive(r4):col("p_alive")[1],
      1e-9)
   raises("no transactions of customer 99999", m.diagnostics, m, s,
      { transactions = tx, customer_col = "V2", date_col = "V3", customer = 99999 })
end)

test("every model of the family: histograms sum to the customers", function()
   for _, name in ipairs { "pareto_nbd", "mbgnbd", "nbd" } do
      local mm = cv.fit(name, s, { quiet = true })
      local dd = mm:diagnostics(s)
      near(sum(dd.histogram, "expected"), 2357, 1e-6, name)
      near(sum(dd.by_recency, "customers"), 2357, 0, name)
      ok(dd.conditional ~= nil, name)
   end
   local n = cv.fit("nbd", s, { quiet = true }):diagnostics(s)
   eq(n.p_alive, nil) -- no dropout: nothing to map
   eq(#n.mixing, 1)
end)

test("expected histogram against simulated customers (Pareto/NBD)", function()
   local mm = cv.model("pareto_nbd", { r = 0.553, alpha = 10.58, s = 0.606, beta = 11.67 },
      { unit = "week" })
   local sim = cv.simulate(mm, 20000, { seed = 5, T = 39 })
   local h = mm:diagnostics(sim).histogram
   for i = 1, 8 do
      local e = h:col("expected")[i]
      near(h:col("actual")[i], e, 4.5 * math.sqrt(e) + 1, "class " .. i - 1)
   end
end)

test("BG/BB on the donations: by discrete period, sums to 11,104 donors", function()
   local don = cv.read_csv(DATA .. "donations.csv")
   local b = cv.fit("bgbb", don, { x = "frequency", t_x = "recency", T = "periods",
      weight = "weights", unit = "year" })
   local dd = b:diagnostics(don, { max_x = 6 })
   near(sum(dd.histogram, "actual"), 11104, 0)
   near(sum(dd.histogram, "expected"), 11104, 1e-6)
   near(dd.histogram:col("actual")[1], 3464, 0)
   near(dd.histogram:col("expected")[1], 3464, 0.03 * 3464, "FHS 2010: a close fit")
   eq(#dd.p_alive.t_x, 7) -- recency 0 .. 6 periods
   eq(dd.p_alive.z[1][2] ~= dd.p_alive.z[1][2], true) -- x = 0 with t_x = 1 cannot occur
   eq(dd.mixing[2].name, "theta")
end)

test("Gamma-Gamma: the spend distribution covers every buyer", function()
   local gg = cv.fit("gammagamma", s, { quiet = true })
   local dd = gg:diagnostics(s)
   local buyers = #s:filter("x", ">", 0)
   near(sum(dd.spend, "actual"), buyers, 0)
   near(sum(dd.spend, "expected"), buyers, 1e-6)
   eq(dd.histogram, nil)
   eq(dd.mixing[1].name, "nu")
end)

test("a check the parameters cannot compute is left out with the reason", function()
   local edge = cv.model("bgnbd", { r = 1, alpha = 1, a = 1e-300, b = 1e-300 }, { unit = "week" })
   local dd = edge:diagnostics(s)
   eq(dd.histogram, nil)
   ok(dd.failed.histogram:find("P%(X%(38.8571%) = 1%) is not computable"), dd.failed.histogram)
   ok(dd.p_alive ~= nil and dd.failed.p_alive == nil, "the others stay")
   local html = cv.report { title = "x" }:diagnostics(edge, s):html()
   ok(html:find("calibration histogram: left out, the model cannot compute it", 1, true), "note")
end)

test("options are checked", function()
   raises("Model:diagnostics: unknown option 'maxx' %(did you mean 'max_x'%?%)", m.diagnostics, m,
      s, { maxx = 3 })
   raises("Report:diagnostics: unknown option", function()
      cv.report { title = "x" }:diagnostics(m, s, { grids = 3 })
   end)
end)

test("the report section: headings, a chart and a table per check, in Chinese too", function()
   local r = cv.report { title = "CDNOW" }:diagnostics(m, s, TXO)
   local html = r:html()
   ok(html:find("Diagnostics: BG/NBD", 1, true), "heading")
   eq(#r:charts(), 10) -- histogram, 2 holdout, 2 tracking, 2 matrices, 2 mixing, history
   local i18n = require "cv.i18n"
   i18n.set_lang("zh")
   local zh = cv.report { title = "CDNOW" }:diagnostics(m, s, TXO):html()
   i18n.set_lang(nil)
   ok(zh:find("模型诊断", 1, true) and zh:find("校准期：按重复交易次数统计的客户数", 1, true), "zh")
   ok(not zh:find("Calibration period", 1, true), "no English heading")
end)

T.report()
