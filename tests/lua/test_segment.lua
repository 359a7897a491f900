-- Tests of segmentation from Lua: scores on hand-made tables with ties (worked out in the
-- comments), the presets checked cell by cell against independent tables, coverage,
-- tiers, Gini and Lorenz on known vectors, lifecycle and migration on hand-made
-- transactions, k-means on generated clusters, and CDNOW end to end.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises
local i18n = require "cv.i18n"

local DATA = require "tests.lua.data"

local function col(t, name)
   return t:col(name):totable()
end

-- ---- scores ------------------------------------------------------------------------------

-- 8 customers. days: 3 3 3 10 10 40 90 90; orders: 1 1 1 1 2 2 5 9; revenue: 5 .. 40
local function hand()
   return cv.table {
      { "customer", { 1, 2, 3, 4, 5, 6, 7, 8 } },
      { "days_since_last", { 3, 90, 3, 10, 40, 3, 10, 90 } },
      { "orders", { 1, 1, 2, 1, 9, 5, 2, 1 } },
      { "revenue", { 5, 10, 15, 20, 25, 30, 35, 40 } },
      { "mean_spend", { 5, 10, 7.5, 20, 25 / 9, 6, 17.5, 40 } },
   }
end

test("rfm: quantile scores with ties, by hand", function()
   local r, info = cv.rfm(hand(), { bins = 4 })
   -- R (lower better), m = 8: 3 (x3): 5 worse -> 1 + floor(4*5/8) = 3; 10 (x2): 3 worse
   -- -> 1 + 1 = 2; 40: 2 worse -> 2; 90 (x2): 0 -> 1
   eq(col(r, "r_score"), { 3, 1, 3, 2, 2, 3, 2, 1, n = 8 })
   -- F: 1 (x4): 0 below -> 1; 2 (x2): 4 below -> 1 + 2 = 3; 5: 6 below -> 4; 9: 7 -> 4
   eq(col(r, "f_score"), { 1, 1, 3, 1, 4, 4, 3, 1, n = 8 })
   -- M: all distinct: position p -> 1 + floor(4p/8)
   eq(col(r, "m_score"), { 1, 1, 2, 2, 3, 3, 4, 4, n = 8 })
   eq(col(r, "rfm"), { 311, 111, 332, 212, 243, 343, 234, 114, n = 8 })
   -- cut points, ascending; a value equal to a cut goes to the better bin
   local cuts = info.cuts
   eq(col(cuts, "score"), { "r", "f", "m", n = 3 })
   local f = cuts:row(2)
   eq({ f.cut_1, f.cut_2, f.cut_3 }, { 2.0, 2.0, 5.0 })
   local rr = cuts:row(1)
   eq({ rr.cut_1, rr.cut_2, rr.cut_3 }, { -math.huge, 3.0, 40.0 })
   -- scoring with those cuts gives the same scores
   local again = cv.rfm(hand(), { cuts = { r = { rr.cut_1, rr.cut_2, rr.cut_3 },
      f = { f.cut_1, f.cut_2, f.cut_3 }, m = { 15, 25, 35 } } })
   eq(col(again, "r_score"), col(r, "r_score"))
   eq(col(again, "f_score"), col(r, "f_score"))
   eq(col(again, "m_score"), col(r, "m_score"))
end)

test("rfm: mean spend, mean split, custom cuts, errors", function()
   local r = cv.rfm(hand(), { monetary = "mean", bins = 2 })
   -- mean_spend sorted: 25/9, 5, 6, 7.5, 10, 17.5, 20, 40: the lower half scores 1
   eq(col(r, "m_score"), { 1, 2, 1, 2, 1, 1, 2, 2, n = 8 })
   -- mean split: days mean = 249/8 = 31.125 -> below scores 2; orders mean 22/8 = 2.75
   r = cv.rfm(hand(), { method = "mean" })
   eq(col(r, "r_score"), { 2, 1, 2, 2, 1, 2, 2, 1, n = 8 })
   eq(col(r, "f_score"), { 1, 1, 1, 1, 2, 2, 1, 1, n = 8 })
   r = cv.rfm(hand(), { cuts = { r = { 7, 30 }, f = { 2 }, m = { 20 } } })
   -- r: <= 7 -> 3, <= 30 -> 2, else 1; f: >= 2 -> 2; m: >= 20 -> 2
   eq(col(r, "r_score"), { 3, 1, 3, 2, 1, 3, 2, 1, n = 8 })
   eq(col(r, "f_score"), { 1, 1, 2, 1, 2, 2, 2, 1, n = 8 })
   eq(col(r, "m_score"), { 1, 1, 1, 2, 2, 2, 2, 2, n = 8 })
   raises("cut points must be ascending", cv.rfm, hand(), { cuts = { r = { 30, 7 }, f = { 2 }, m = { 1 } } })
   raises("no column 'visits'", cv.rfm, hand(), { frequency = "visits" })
   raises("unknown segment scheme 'nope'", cv.rfm, hand(), { scheme = "nope" })
end)

test("rfm: a column of equal values scores every customer", function()
   local t = hand():add("orders", { 1, 1, 1, 1, 1, 1, 1, 1 })
   local r = cv.rfm(t)
   eq(col(r, "f_score"), { 1, 1, 1, 1, 1, 1, 1, 1, n = 8 })
end)

-- ---- presets cell by cell ------------------------------------------------------------------

-- The 10-segment rules as the rfm package for R publishes them (rfm_segment example,
-- versions 0.2.x), evaluated here on their own: first match wins, "Others" otherwise.
local RFM10 = {
   names = { "Champions", "Loyal Customers", "Potential Loyalist", "New Customers", "Promising",
      "Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Lost" },
   recency_lower = { 4, 2, 3, 4, 3, 2, 2, 1, 1, 1 },
   recency_upper = { 5, 5, 5, 5, 4, 3, 3, 2, 1, 2 },
   frequency_lower = { 4, 3, 1, 1, 1, 2, 1, 2, 4, 1 },
   frequency_upper = { 5, 5, 3, 1, 1, 3, 2, 5, 5, 2 },
   monetary_lower = { 4, 3, 1, 1, 1, 2, 1, 2, 4, 1 },
   monetary_upper = { 5, 5, 3, 1, 1, 3, 2, 5, 5, 2 },
}
local function rfm10_of(r, f, m)
   local first, count = "Others", 0
   for i = 1, 10 do
      if r >= RFM10.recency_lower[i] and r <= RFM10.recency_upper[i]
         and f >= RFM10.frequency_lower[i] and f <= RFM10.frequency_upper[i]
         and m >= RFM10.monetary_lower[i] and m <= RFM10.monetary_upper[i] then
         count = count + 1
         if count == 1 then first = RFM10.names[i] end
      end
   end
   return first, count
end

test("rfm10: all 125 cells against the published table", function()
   local grid, rep = cv.segment_coverage("rfm10", "en")
   eq(#grid, 125)
   local unmatched, overlapping, k = 0, 0, 0
   for r = 1, 5 do
      for f = 1, 5 do
         for m = 1, 5 do
            k = k + 1
            local row = grid:row(k)
            eq({ row.r_score, row.f_score, row.m_score }, { r, f, m })
            local want, count = rfm10_of(r, f, m)
            eq(row.segment, want, string.format("cell %d%d%d", r, f, m))
            eq(row.matches, count, string.format("matches of %d%d%d", r, f, m))
            if count == 0 then unmatched = unmatched + 1 end
            if count > 1 then overlapping = overlapping + 1 end
         end
      end
   end
   eq(rep.unmatched, unmatched)
   eq(rep.overlapping, overlapping)
   -- by hand: 555 Champions; 255 Loyal; 511 New Customers; 311 Promising (Potential
   -- Loyalist covers r 3-5 f 1-3 m 1-3 first); 155 At Risk (before Can't Lose Them, which
   -- the published order leaves unreachable); 111 Lost; 151 matches nothing
   eq(grid:row(125).segment, "Champions")
   eq(grid:row(25 + 20 + 5).segment, "Loyal Customers") -- cell 2,5,5
   eq(rfm10_of(5, 1, 1), "Potential Loyalist")
   eq(rfm10_of(1, 5, 5), "At Risk")
   eq(rep.counts["Can't Lose Them"], nil)
   eq(rfm10_of(1, 1, 1), "Lost")
   eq(rfm10_of(1, 5, 1), "Others")
end)

test("quartile5: all 64 cells against an independent chain", function()
   local function q5(r, f, m)
      if r >= 3 then
         return (f >= 3 and m >= 3) and "Best" or "Promising"
      elseif f >= 3 and m >= 3 then
         return "Slipping Away"
      end
      return r == 2 and "Dormant" or "Lost"
   end
   local grid, rep = cv.segment_coverage("quartile5", "en")
   eq(#grid, 64)
   eq(rep.unmatched, 0)
   for _, row in grid:rows() do
      eq(row.segment, q5(row.r_score, row.f_score, row.m_score))
   end
end)

test("cn8: the 8 cells in Chinese and English", function()
   -- R, F, M high (H) or low (L), R high = recent; the course table (docs cite it)
   local zh = { HHH = "重要价值客户", HLH = "重要发展客户", LHH = "重要保持客户", LLH = "重要挽留客户",
      HHL = "一般价值客户", HLL = "一般发展客户", LHL = "一般保持客户", LLL = "一般挽留客户" }
   local grid, rep = cv.segment_coverage("cn8", "zh")
   eq(#grid, 8)
   eq({ rep.unmatched, rep.overlapping }, { 0, 0 })
   for _, row in grid:rows() do
      local key = (row.r_score == 2 and "H" or "L") .. (row.f_score == 2 and "H" or "L")
         .. (row.m_score == 2 and "H" or "L")
      eq(row.segment, zh[key], key)
   end
   local en = cv.segment_coverage("cn8", "en")
   eq(en:row(8).segment, "Important value")
   eq(en:row(1).segment, "General to win back")
end)

test("segment: a custom scheme with a test against the mean, counts in order", function()
   local scheme = { name = "mine", other = "rest",
      { "big", revenue = { ">", "mean" } },        -- mean revenue 22.5
      { "frequent", orders = { ">=", 2 } },
      { "recent", days_since_last = { "<=", 3 } } }
   local r, counts = cv.segment(hand(), scheme)
   eq(col(r, "segment"), { "recent", "rest", "frequent", "rest", "big", "big", "big", "big", n = 8 })
   eq(col(counts, "segment"), { "big", "frequent", "recent", "rest", n = 4 })
   eq(col(counts, "customers"), { 4, 1, 1, 2, n = 4 })
   raises("rule 'bad': bad test of 'orders'", cv.segment, hand(), { { "bad", orders = "x" } })
   raises("the rules test .revenue., which is not a grid column", cv.segment_coverage, scheme)
end)

-- ---- value ---------------------------------------------------------------------------------

test("gini and lorenz on known vectors", function()
   near(cv.gini { 1, 1, 1, 1 }, 0)
   near(cv.gini { 0, 0, 0, 1 }, 0.75)
   near(cv.gini { 4, 1, 3, 2 }, 0.25)
   raises("sum to 0, not > 0", cv.gini, { 1, -1 })
   local l, g = cv.lorenz({ 4, 1, 3, 2 }, { points = 3 })
   eq(col(l, "customers"), { 0.0, 0.5, 1.0, n = 3 })
   near(l:row(2).value, 0.3)
   near(g, 0.25)
   near(cv.gini(hand(), "revenue"), 2 * (1 * 5 + 2 * 10 + 3 * 15 + 4 * 20 + 5 * 25 + 6 * 30
      + 7 * 35 + 8 * 40) / (8 * 180) - 9 / 8)
end)

test("tiers by customers and by value, concentration", function()
   local t, info = cv.tiers(hand(), { shares = { 0.25, 0.25, 0.5 } })
   -- revenue 40, 35 -> top; 30, 25 -> middle; the rest bottom
   eq(col(t, "tier"), { "bottom", "bottom", "bottom", "bottom", "middle", "middle", "top", "top", n = 8 })
   eq(col(info.counts, "customers"), { 2, 2, 4, n = 3 })
   near(info.counts:row(1).value_share, 75 / 180)
   -- top 20% of 8 customers = 1.6: 40 + 0.6 x 35 = 61 of 180
   near(info.top20, 61 / 180)
   near(info.bottom30, (5 + 10 + 0.4 * 15) / 180)
   t = cv.tiers(hand(), { by = "value", shares = { 0.5, 0.5 }, names = { "A", "B" } })
   -- held above: 40 -> 0; 35 -> 40/180; 30 -> 75/180 = 0.417; 25 -> 105/180 = 0.58 -> B
   eq(col(t, "tier"), { "B", "B", "B", "B", "B", "A", "A", "A", n = 8 })
   raises("cv.tiers: option .by. cannot be .x.", cv.tiers, hand(), { by = "x" })
end)

-- ---- lifecycle and migration ---------------------------------------------------------------

-- Purchases (period 30 days, snapshot 2024-03-31: the last period is Mar 2 .. Mar 31, the
-- one before Jan 31 .. Mar 1):
--   a: Mar 20 only                         -> exploration, new
--   b: Jan 5, Feb 10, Mar 5, Mar 20        -> recent 2 > previous 1: development, active
--   c: Jan 5, Feb 10, Mar 10               -> 1 = 1: stability, active
--   d: Jan 2, Feb 5, Feb 20                -> 0 < 2: decline, at risk
--   e: Jan 1                               -> nothing for 90 days: decline, lapsed
--   f: Jan 3, Mar 25                       -> recent 1, previous 0, bought before: reactivated
local function lifetx()
   local rows = {
      { "a", "2024-03-20" }, { "b", "2024-01-05" }, { "b", "2024-02-10" }, { "b", "2024-03-05" },
      { "b", "2024-03-20" }, { "c", "2024-01-05" }, { "c", "2024-02-10" }, { "c", "2024-03-10" },
      { "d", "2024-01-02" }, { "d", "2024-02-05" }, { "d", "2024-02-20" }, { "e", "2024-01-01" },
      { "f", "2024-01-03" }, { "f", "2024-03-25" },
   }
   local ids, dates, amounts = {}, {}, {}
   for i, r in ipairs(rows) do ids[i], dates[i], amounts[i] = r[1], r[2], 10 * i end
   return cv.table { { "customer_id", ids }, { "date", dates, "date" }, { "amount", amounts } }
end

test("lifecycle: stages and states by the documented rules", function()
   local l = cv.lifecycle(lifetx(), { at = "2024-03-31", period = 30 })
   eq(col(l, "customer"), { "a", "b", "c", "d", "e", "f", n = 6 })
   eq(col(l, "recent"), { 1, 2, 1, 0, 0, 1, n = 6 })
   eq(col(l, "previous"), { 0, 1, 1, 2, 0, 0, n = 6 })
   eq(col(l, "stage"), { "exploration", "development", "stability", "decline", "decline",
      "development", n = 6 })
   eq(col(l, "state"), { "new", "active", "active", "at risk", "lapsed", "reactivated", n = 6 })
   -- a P(alive) below 0.5 puts a stable customer in decline
   local pa = cv.table { { "customer", { "c" } }, { "p_alive", { 0.2 } } }
   l = cv.lifecycle(lifetx(), { at = "2024-03-31", period = 30, p_alive = pa })
   eq(l:row(3).stage, "decline")
   eq(l:row(2).stage, "development")
end)

test("lifecycle: stage names in Chinese", function()
   i18n.set_lang("zh")
   local ok, l = pcall(cv.lifecycle, lifetx(), { at = "2024-03-31", period = 30 })
   i18n.set_lang(nil)
   assert(ok, l)
   eq(col(l, "stage"), { "考察期", "形成期", "稳定期", "退化期", "退化期", "形成期", n = 6 })
end)

test("migration: stages from one date to another, counts add up", function()
   -- at 2024-02-29 (period 30): a absent; b (Jan 5, Feb 10) development? recent 1 (Feb 10),
   -- previous 1 (Jan 5): stability; ... here only the totals and one cell are checked
   local m, long = cv.migration(lifetx(), { from = "2024-02-29", to = "2024-03-31", by = "stage",
      period = 30 })
   local total = 0
   for _, row in m:rows() do total = total + row.total end
   eq(total, 6)
   local sum = 0
   for _, n in ipairs(col(long, "customers")) do sum = sum + n end
   eq(sum, 6)
   -- a first bought in March: it comes from "(new)"
   local last = m:row(#m)
   eq(last.from, "(new)")
   eq(last.total, 1)
   eq(last.exploration, 1)
end)

-- ---- clustering ------------------------------------------------------------------------------

test("kmeans: recovers three well separated groups", function()
   -- a deterministic spread (no random numbers needed): 30, 20, 10 points around
   -- (0, 0), (50, 50), (100, 0) within +-1
   local x, y, truth = {}, {}, {}
   local centers = { { 0, 0, 30 }, { 50, 50, 20 }, { 100, 0, 10 } }
   for g, c in ipairs(centers) do
      for i = 1, c[3] do
         x[#x + 1] = c[1] + math.sin(i) ; y[#y + 1] = c[2] + math.cos(3 * i) ; truth[#truth + 1] = g
      end
   end
   local t = cv.table { { "x", x }, { "y", y }, { "truth", truth } }
   local r, info = cv.kmeans(t, { "x", "y" }, { k = 3, seed = 5 })
   eq(col(r, "cluster"), col(r, "truth"))
   eq(info.sizes, { 30, 20, 10 })
   near(info.centers[2][1], 50, 0.5)
   near(info.centers[3][1], 100, 0.5)
   T.ok(info.silhouette > 0.9, "silhouette " .. info.silhouette)
   local d = info.description
   eq(col(d, "customers"), { 30, 20, 10, n = 3 })
   local w = cv.kmeans_wss(t, { "x", "y" }, { ks = { 1, 2, 3 } })
   T.ok(w:row(3).wss < w:row(2).wss and w:row(2).wss < w:row(1).wss, "wss falls with k")
   near(w:row(1).explained, 0)
end)

-- ---- CDNOW end to end ------------------------------------------------------------------------

local function cdnow()
   local tx = cv.read_csv(DATA .. "CDNOW_sample.txt", { header = false,
      names = { "id0", "customer_id", "date", "cds", "amount" }, types = { date = "date" } })
   local s = cv.summary(tx, { customer = "customer_id", date = "date", amount = "amount",
      calibration_end = "1997-09-30", quiet = true })
   return tx, s
end

test("CDNOW: rfm10, quartile5 and cn8 end to end", function()
   local tx, s = cdnow()
   eq(#s, 2357)
   local r, info = cv.rfm(s, { scheme = "rfm10", lang = "en" })
   -- 1,411 customers made no repeat purchase in calibration (the published summary's
   -- x = 0 count): one order each, all in the lowest frequency score
   eq(#r:filter("f_score", "==", 1), 1411)
   local total = 0
   for _, n in ipairs(col(info.counts, "customers")) do total = total + n end
   eq(total, 2357)
   -- every customer's segment is the published rules' answer for its scores
   for _, row in r:rows() do
      local want = rfm10_of(row.r_score, row.f_score, row.m_score)
      if row.segment ~= want then
         error(string.format("customer %d: %s, expected %s", row.customer, row.segment, want))
      end
   end
   for _, scheme in ipairs { "quartile5", "cn8" } do
      local _, i2 = cv.rfm(s, { scheme = scheme })
      local n = 0
      for _, c in ipairs(col(i2.counts, "customers")) do n = n + c end
      eq(n, 2357, scheme)
   end
   -- cn8 by hand for customer 1: 59 days since the last purchase (mean is larger), 3
   -- orders (mean 2357 customers' orders), revenue 74.02
   local c8 = cv.rfm(s, { scheme = "cn8", lang = "en" })
   local mean_days = s:col("days_since_last"):mean()
   local mean_orders = s:col("orders"):mean()
   local mean_rev = s:col("revenue"):mean()
   for _, row in c8:rows() do
      local key = (row.days_since_last < mean_days and 2 or 1) * 100
         + (row.orders > mean_orders and 2 or 1) * 10 + (row.revenue > mean_rev and 2 or 1)
      if row.rfm ~= key then error("customer " .. row.customer .. ": " .. row.rfm .. " ~= " .. key) end
   end
   -- segment summaries by an attribute: a made-up region, counts add up
   local reg = r:add("region", function(row) return row.customer % 2 == 0 and "north" or "south" end)
   local g = cv.segment_summary(reg, { by = { "region", "segment" }, value = "revenue" })
   local n, share = 0, 0
   for _, row in g:rows() do n = n + row.customers; share = share + row.revenue_share end
   eq(n, 2357)
   near(share, 1, 1e-9)
end)

test("CDNOW: migration from mid-year to the calibration end adds up", function()
   local tx = cdnow()
   local m = cv.migration(tx, { from = "1997-06-30", to = "1997-09-30", by = "rfm10", lang = "en" })
   local total, cells = 0, 0
   for _, row in m:rows() do
      total = total + row.total
      for _, name in ipairs(m:names()) do
         if name ~= "from" and name ~= "total" then cells = cells + row[name] end
      end
   end
   eq(total, 2357)
   eq(cells, 2357)
end)

-- The sum of the amounts up to a date, straight from the transactions.
local function tx_of_cdnow() return (cdnow()) end
local function tx_total(tx, date)
   return tx:filter("date", "<=", date):col("amount"):sum()
end

test("CDNOW: value tiers, Gini, k-means", function()
   local _, s = cdnow()
   local t, info = cv.tiers(s)
   eq(#t, 2357)
   local cal = tx_total(tx_of_cdnow(), "1997-09-30")
   near(info.total, cal, 1e-6)
   T.ok(info.top20 > 0.6 and info.top20 < 0.66, "top 20% share " .. info.top20)
   near(cv.gini(s, "revenue"), info.gini)
   local k, ki = cv.kmeans(s, { "days_since_last", "orders", "revenue" }, { k = 4 })
   local n = 0
   for _, c in ipairs(ki.sizes) do n = n + c end
   eq(n, 2357)
   T.ok(ki.wss < ki.tss, "wss below tss")
end)

T.report()
