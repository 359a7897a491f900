-- Tests of cv.summary and cv.summary_csv: hand-made transactions (values worked out in the
-- comments), the published CDNOW summary, options and errors.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local DATA = require "tests.lua.data"

-- CDNOW_sample customer 1's purchases, customer 7 twice on 03-01, customer 9 only after
-- the calibration end.
local function hand()
   return cv.table{
      { "id", { 1, 7, 1, 7, 1, 9, 7, 1 } },
      { "date", { "1997-01-01", "1997-03-01", "1997-01-18", "1997-03-01", "1997-08-02",
                  "1997-11-11", "1997-03-15", "1997-12-12" }, "date" },
      { "amount", { 29.33, 10, 29.73, 2.5, 14.96, 99, 20, 26.48 } },
   }
end

local OPTS = { customer = "id", date = "date", amount = "amount", unit = "week",
               calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true }

-- |got - want| within half a unit of the second decimal (the published file's precision)
local function near2(got, want, what)
   T.ok(type(got) == "number" and math.abs(got - want) <= 0.005 + 1e-9,
        string.format("%s: %s is not %.2f to two decimals", what, tostring(got), want))
end

local function copy(t, extra)
   local r = {}
   for k, v in pairs(t) do r[k] = v end
   for k, v in pairs(extra or {}) do r[k] = v end
   return r
end

test("summary: columns and customer 1 by hand", function()
   local s, rep = cv.summary(hand(), OPTS)
   eq(s:names(), { "customer", "first", "last", "orders", "x", "t_x", "T", "days_since_last",
                   "mean_repeat_spend", "mean_spend", "revenue", "x_holdout", "spend_holdout" })
   eq(#s, 2)
   local r = s:row(1)
   eq(r.customer, 1)
   eq(r.first, "1997-01-01")
   eq(r.last, "1997-08-02")
   eq(r.x, 2)
   near(r.t_x, 213 / 7)          -- Jan 1 -> Aug 2: 213 days
   near(r.T, 272 / 7)            -- Jan 1 -> Sep 30: 272 days
   eq(r.days_since_last, 59)
   near(r.mean_repeat_spend, (29.73 + 14.96) / 2)
   near(r.revenue, 74.02)
   eq(r.x_holdout, 1)
   near(r.spend_holdout, 26.48)
   -- customer 7: 10 + 2.5 on one day merge into one transaction
   local q = s:row(2)
   eq(q.orders, 2)
   near(q.mean_repeat_spend, 20)
   near(q.mean_spend, 16.25)
   eq(rep.customers, 2)
   eq(rep.excluded_late, 1)
   eq(rep.merged_rows, 1)
   eq(rep.calibration_end, "1997-09-30")
   near(rep.holdout_length, 39)
   eq(rep.unit, "week")
end)

test("summary: merge_same_day = false, months, margin rate and column", function()
   local s = cv.summary(hand(), copy(OPTS, { merge_same_day = false, unit = "month",
                                             margin = 0.5 }))
   local q = s:row(2)
   eq(q.orders, 3)
   near(q.mean_repeat_spend, (2.5 + 20) / 2)
   near(q.t_x, 14 / 31)          -- Mar 1 -> Mar 15: 14 of March's 31 days
   near(s:row(1).T, 8 + 29 / 30) -- Jan 1 -> Sep 30: 8 months and 29 of September's 30 days
   near(s:row(1).margin, 74.02 / 2)
   local t = cv.table{ { "id", { 1, 1 } }, { "date", { "2020-01-01", "2020-02-01" }, "date" },
                       { "amount", { 10, 20 } }, { "cost", { 4, 25 } } }
   local m = cv.summary(t, { customer = "id", date = "date", amount = "amount", cost = "cost" })
   near(m:row(1).margin, 6 - 5)
   eq(m:row(1).mean_repeat_spend, 20.0)
   eq(m:row(1).t_x, 31.0)
end)

test("summary: errors name what is wrong", function()
   raises("no column 'dollars' %(columns: id, date, amount%)", cv.summary, hand(),
          copy(OPTS, { amount = "dollars" }))
   raises("date column 'amount' is float, expected a date", cv.summary, hand(),
          copy(OPTS, { date = "amount" }))
   T.raises_plain("cv.summary: option 'unit' cannot be 'fortnight' (known: day, week, month, year)",
          cv.summary, hand(), copy(OPTS, { unit = "fortnight" }))
   T.raises_plain("cv.summary: unknown option 'calibraton_end' (did you mean 'calibration_end'?)",
          cv.summary, hand(), copy(OPTS, { calibraton_end = "1997-09-30" }))
   T.raises_plain("cv.summary: option 'calibration_end' must be a date YYYY-MM-DD, got '30/9/97'",
          cv.summary, hand(), copy(OPTS, { calibration_end = "30/9/97" }))
   raises("calibration end 1996%-12%-31 is before the first purchase 1997%-01%-01", cv.summary,
          hand(), copy(OPTS, { calibration_end = "1996-12-31", observation_end = "1997-01-01" }))
   T.raises_plain("cv.summary: option 'customer' is required (column of customer ids)", cv.summary,
          hand(), { date = "date", amount = "amount" })
   local neg = cv.table{ { "id", { 1 } }, { "date", { "2020-01-01" }, "date" },
                         { "amount", { -3 } } }
   raises("row 1: negative amount %-3 in column 'amount'", cv.summary, neg,
          { customer = "id", date = "date", amount = "amount" })
   local s = cv.summary(neg, { customer = "id", date = "date", amount = "amount",
                               allow_negative = true })
   eq(s:row(1).revenue, -3.0)
   local miss = cv.table{ { "id", { 1, 2 } }, { "date", { "2020-01-01", "2020-01-02" }, "date" },
                          { "amount", { 1, nil, n = 2 } } }
   raises("row 2: missing value in column 'amount'", cv.summary, miss,
          { customer = "id", date = "date", amount = "amount" })
   local _, rep = cv.summary(miss, { customer = "id", date = "date", amount = "amount",
                                     skip_missing = true })
   eq(rep.skipped_missing, 1)
end)

local CDNOW = { header = false, delim = "space", types = { V3 = "date" },
                customer = "V2", date = "V3", amount = "V5", unit = "week",
                calibration_end = "1997-09-30", observation_end = "1998-06-30" }

test("summary_csv: the published CDNOW summary", function()
   local s, rep = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)
   eq(#s, 2357)
   eq(rep.rows, 6919)
   local x = s:col("x"):totable()
   local zeros, sum = 0, 0
   for i = 1, #s do
      if x[i] == 0 then zeros = zeros + 1 end
      sum = sum + x[i]
   end
   eq(zeros, 1411)
   eq(sum, 2457)
   local r = s:row(1)
   eq(r.x, 2)
   eq(string.format("%.2f %.2f", r.t_x, r.T), "30.43 38.86")
   -- every row against the published file, to its two printed decimals
   local pub = cv.read_csv(DATA .. "cdnow_customers_summary_with_transactions.csv")
   local tx, T_, zbar = s:col("t_x"):totable(), s:col("T"):totable(),
                        s:col("mean_repeat_spend"):totable()
   local px, ptx, pT, pz = pub:col("x"):totable(), pub:col("t_x"):totable(),
                           pub:col("T"):totable(), pub:col("zbar"):totable()
   for i = 1, #s do
      eq(x[i], px[i], "x of customer " .. i)
      near2(tx[i], ptx[i], "t_x of customer " .. i)
      near2(T_[i], pT[i], "T of customer " .. i)
      if x[i] == 0 then
         eq(zbar[i], nil)
      else
         near2(zbar[i], pz[i], "zbar of customer " .. i)
      end
   end
end)

test("summary_csv equals summary of the loaded file", function()
   local a = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)
   local tx = cv.read_csv(DATA .. "CDNOW_sample.txt", { delim = CDNOW.delim, header = CDNOW.header,
                                                        names = CDNOW.names, types = CDNOW.types })
   local b = cv.summary(tx, { customer = CDNOW.customer, date = CDNOW.date, amount = CDNOW.amount,
                              unit = CDNOW.unit, calibration_end = CDNOW.calibration_end,
                              observation_end = CDNOW.observation_end })
   eq(a:names(), b:names())
   for _, name in ipairs(a:names()) do
      eq(a:col(name):totable(), b:col(name):totable(), name)
   end
   raises("no such file", cv.summary_csv, DATA .. "missing.txt", CDNOW)
end)

T.report()
