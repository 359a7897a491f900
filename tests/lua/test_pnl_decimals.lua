-- Tests of the customer P&L's subtotals as exact decimals (issue 15: "93607.30000000002 in
-- out/customer_pnl.csv"): amounts written with 2 (or 4) decimals give subtotals that are
-- their exact decimal sums and differences, in memory and in the written CSV; an allocated
-- cost with many digits is kept as it is.
local T = require "cv.testing"

local t = cv.table { { "id", { "A", "B", "C" } },
   { "revenue", { 312023.27, 0.3, 1034.88 } }, { "cogs", { 218415.97, 0.1, 186.11 } },
   { "discount", { 19345.07, 0.2, 756.06 } }, { "rebate", { 4390.17, 0, 92.71 } },
   { "serve", { 1451.508232183632, 0, 0 } } }
local p = cv.costing.pnl(t, { customer = "id", product = "cogs",
   concessions = { "discount", "rebate" }, service = "serve" })
local c = p.customers

T.test("the doubles themselves are off (what the subtotals must not inherit)", function()
   T.ok(312023.27 - 218415.97 ~= 93607.3)
   T.ok(19345.07 + 4390.17 ~= 23735.24)
   T.ok(0.3 - 0.1 - 0.2 ~= 0)
end)

T.test("subtotals and totals of 2-decimal amounts are the exact decimals", function()
   T.eq(c:col("gross_margin"):totable(), { 93607.3, 0.2, 848.77, n = 3 })
   T.eq(c:col("total_concessions"):totable(), { 23735.24, 0.2, 848.77, n = 3 })
   -- 93,607.30 − 23,735.24 = 69,872.06; 0.3 − 0.1 − 0.2 = 0; 1,034.88 − 186.11 − 848.77 = 0
   T.eq(c:col("pocket_margin"):totable(), { 69872.06, 0.0, 0.0, n = 3 })
   local csv = c:select { "id", "gross_margin", "total_concessions", "pocket_margin" }
      :to_string("csv")
   T.eq(csv, "id,gross_margin,total_concessions,pocket_margin\n"
      .. "A,93607.3,23735.24,69872.06\nB,0.2,0.2,0\nC,848.77,848.77,0\n")
end)

T.test("an allocated cost with many digits is not rounded", function()
   -- 69,872.06 − 1,451.508232183632 in doubles, as it is
   T.eq(c:row(1).service_margin, 69872.06 - 1451.508232183632)
   T.eq(c:row(1).profit, 69872.06 - 1451.508232183632)
end)

T.report()
