-- Charts that are right (issue #15 item 3): a tick shows as many decimals as the axis step
-- needs, so no tick carries a rounded value; labels without a step stay compact; bar labels
-- never run together; the whale curve names what it plots; a partial last period is marked.
local T = require "cv.testing"
local test, eq = T.test, T.eq

test("ticks at a step of 2.5 read 2.5, 5.0, 7.5 (not 2, 5, 8)", function()
   local n = cv.chart.number
   eq({ n(2.5, 2.5), n(5, 2.5), n(7.5, 2.5), n(10, 2.5), n(12.5, 2.5) },
      { "2.5", "5.0", "7.5", "10.0", "12.5" })
   eq({ n(0.25, 0.05), n(0.3, 0.1), n(0, 0.25) }, { "0.25", "0.3", "0.00" })
   eq({ n(2500, 500), n(12500, 2500), n(1250000, 250000), n(-40000, 20000) },
      { "2,500", "12.5k", "1.25M", "-40k" })
end)

test("labels without a step stay compact", function()
   local n = cv.chart.number
   eq({ n(1500), n(25000), n(0.1234), n(3.14159), n(0 / 0) },
      { "1,500", "25k", "0.123", "3.14", "–" })
end)

test("a line chart from 0 to 12.5 labels its y axis with the exact tick values", function()
   local svg = cv.chart.line { title = "t", x = { 1, 2, 3, 4 }, y = { 0, 4, 9, 12.5 } }.svg
   local labels = {}
   for l in svg:gmatch('text%-anchor="end"[^>]*>([^<]+)</text>') do labels[#labels + 1] = l end
   eq(labels, { "0.0", "2.5", "5.0", "7.5", "10.0", "12.5" })
end)

test("a whale chart names what it plots: profit by default, the measure when given", function()
   local values = { 500, 300, -50, 100, -200, 20 }
   local function texts(c)
      local out = {}
      for l in c.svg:gmatch(">([^<]+)</text>") do out[l] = true end
      return out
   end
   local p = texts(cv.chart.whale { title = "w", values = values })
   T.ok(p["cumulative profit (% of total)"] and p["customers, highest profit first (%)"])
   local c = texts(cv.chart.whale { title = "w", values = values, measure = "CLV" })
   T.ok(c["cumulative CLV (% of total)"] and not c["cumulative profit (% of total)"])
   -- the peak: 500 + 300 + 100 + 20 = 920 of the total 670 (137.3%) with the top 4 of 6 (66.7%)
   T.ok(c["CLV peaks at 137.3% of the total with the top 66.7% of customers"], "subtitle")
end)

test("bar value labels appear only when each fits its bar (no \"0.5020.481\")", function()
   local function labels(c)
      local n = 0
      for _ in c.svg:gmatch('font%-size="10"') do n = n + 1 end
      return n
   end
   local series = { { name = "a", values = { 0.502, 0.481, 0.6, 0.7, 0.3, 0.2 } },
      { name = "b", values = { 0.481, 0.502, 0.5, 0.4, 0.3, 0.2 } },
      { name = "c", values = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6 } } }
   local narrow = cv.chart.bar { title = "b", categories = { "1", "2", "3", "4", "5", "6" },
      series = series }
   eq(labels(narrow), 0) -- 3 bars of about 24 px per group: "0.502" needs about 29 px
   local wide = cv.chart.bar { title = "b", categories = { "1", "2" },
      series = { { name = "a", values = { 0.502, 0.481 } }, { name = "b", values = { 0.481, 0.5 } } } }
   eq(labels(wide), 4)
end)

test("a tracking chart shades a last period cut short, from m:tracking's days", function()
   local tx = cv.read_csv("../shared/data/CDNOW_sample.txt", { header = false, delim = "space",
      types = { V3 = "date" } })
   local m = cv.model("pnbd", { r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67 }, { unit = "week" })
   -- weeks from the first purchase, 1997-01-01: to the last, 1998-06-30, 546 days = 78 full
   -- weeks; to 1998-06-28, 544 days = 77 weeks and 5 days
   local full = m:tracking(tx, { customer = "V2", date = "V3", calibration_end = "1997-09-30" })
   eq({ #full, full:col("days")[78] }, { 78, 7 })
   local trk = m:tracking(tx, { customer = "V2", date = "V3", calibration_end = "1997-09-30",
      ["end"] = "1998-06-28" })
   local days = trk:col("days"):totable()
   eq({ #trk, days[1], days[77], days[78] }, { 78, 7, 7, 5 })
   eq(trk:col("end")[78], "1998-06-28")
   local function chart(d)
      return cv.chart.tracking { title = "t", x = trk:col("period"):totable(),
         actual = trk:col("actual"):totable(), expected = trk:col("expected"):totable(),
         days = d }.svg
   end
   T.ok(chart(days):find("last period partial: 5 of 7 days", 1, true))
   T.ok(not chart(full:col("days"):totable()):find("partial", 1, true))
end)

T.report()
