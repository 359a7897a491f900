-- Numbers on charts (issue #15 item 3): a tick shows as many decimals as the axis step needs,
-- so no tick carries a rounded value; labels without a step stay compact.
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

T.report()
