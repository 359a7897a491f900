-- Time units that travel with the data (docs/summary.md, "Time units"; docs/models.md):
-- a summary knows its unit and its calibration and observation ends (t:meta()), kept by
-- the row operations; a model fitted on it knows its unit and prints it; horizons given
-- in another unit are converted; a table without a unit needs one stated. On CDNOW the
-- day and week summaries give the same model up to the time scale and the same CLV.
local T = require "cv.testing"
local i18n = require "cv.i18n"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local function cdnow(unit)
   return cv.summary_csv("../shared/data/CDNOW_sample.txt", { header = false, delim = "space",
      types = { V3 = "date" }, customer = "V2", date = "V3", amount = "V5", unit = unit,
      calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true })
end
local sd, sw = cdnow("day"), cdnow("week")

local function rel(a, b) return math.abs(a / b - 1) end

test("a summary knows its unit and its ends; the row operations keep them", function()
   local want = { unit = "day", calibration_end = "1997-09-30", observation_end = "1998-06-30" }
   eq(sd:meta(), want)
   eq(sw:meta().unit, "week")
   local first = sd:col("customer")
   local ids = cv.table { { "customer", { first[1], first[2] } }, { "tag", { "a", "b" } } }
   eq(sd:filter("x", ">", 0):meta(), want)
   eq(sd:sort("T", "desc"):meta(), want)
   eq(sd:head(5):meta(), want)
   eq(sd:select { "customer", "x", "t_x", "T" }:meta(), want)
   eq(sd:add("one", function() return 1 end):meta(), want)
   local joined = sd:join(ids, { on = "customer", how = "left" })
   eq(joined:meta(), want)
   eq({ #joined, joined:col("tag")[1], joined:col("tag")[3] }, { #sd, "a", nil })
   eq(sd:group_by("x", { n = "count" }):meta(), nil) -- groups, not customers
   eq(ids:meta(), nil)                                -- built by hand
   local csv = cv.summary_csv("../shared/data/CDNOW_sample.txt", { header = false,
      delim = "space", types = { V3 = "date" }, customer = "V2", date = "V3", amount = "V5",
      unit = "month", quiet = true })
   eq(csv:meta(), { unit = "month", calibration_end = "1998-06-30" }) -- no observation end
end)

test("a model knows its unit and prints it, in English and Chinese", function()
   local md = cv.fit("bgnbd", sd:filter("x", ">=", 0))
   eq(md.unit, "day")
   T.ok(tostring(md):find("^BG/NBD %(Fader, Hardie & Lee 2005%), per day: r = 0.2426") ~= nil,
      tostring(md))
   i18n.set_lang("zh")
   local zh = tostring(cv.fit("bgnbd", sw))
   i18n.set_lang("en")
   T.ok(zh:find("，每周: r = 0.2426", 1, true) ~= nil, zh)
   eq(cv.fit("gammagamma", sw, { quiet = true }).unit, nil) -- spend has no time unit
end)

test("day and week fits are one model: alpha (and beta) x 7, the other parameters equal", function()
   for _, name in ipairs { "bgnbd", "pareto_nbd", "mbgnbd" } do
      local md, mw = cv.fit(name, sd), cv.fit(name, sw)
      for k, v in pairs(mw.params) do
         local scale = (k == "alpha" or k == "beta") and 7 or 1
         -- two optimizations of the same likelihood: agree to the optimizer's tolerance
         near(md.params[k] / scale, v, 1e-6 * v, name .. " " .. k)
      end
   end
end)

test("CDNOW: p_alive, E[Y(39 weeks)] and CLV from a day summary and a week summary agree", function()
   local md, mw = cv.fit("bgnbd", sd), cv.fit("bgnbd", sw)
   -- T and t_x of the day summary are exactly 7 times the week summary's (whole days):
   -- the same predictions up to the optimizer's tolerance
   local pd, pw = md:p_alive(sd):col("p_alive"):sum(), mw:p_alive(sw):col("p_alive"):sum()
   T.ok(rel(pd, pw) < 1e-6, pd .. " vs " .. pw)
   local ed = md:predict(sd, { horizon = 39, unit = "week" }):col("conditional"):sum()
   local ew = mw:predict(sw, { horizon = 39 }):col("conditional"):sum()
   T.ok(rel(ed, ew) < 1e-6, ed .. " vs " .. ew)
   near(ew, 1653.41, 0.01) -- the holdout expectation of docs/models.md
   eq(md:predict(sd, { horizon = 273 }):col("conditional"):sum(), ed) -- 39 weeks = 273 days exactly
   local _, vd = md:validate(sd, { horizon = 39, unit = "week" })
   local cmp = cv.compare({ md }, sd, { horizon = 39, unit = "week" })
   near(vd.expected, ed, 1e-9 * ed)
   near(cmp:col("expected")[1], ed, 1e-9 * ed)
   eq(vd.actual, 1882.0) -- the holdout's repeat transactions (docs/models.md)
   -- lifetime CLV (DERT, closed form in continuous time): the same number
   local ld = md:clv(sd, { horizon = math.huge, spend = 1 }):col("clv"):sum()
   local lw = mw:clv(sw, { horizon = math.huge, spend = 1 }):col("clv"):sum()
   T.ok(rel(ld, lw) < 1e-6, ld .. " vs " .. lw)
   -- 52 weeks: a finite horizon discounts each period's transactions at the period's end
   -- (include/cvkit/clv.h), a day's end or a week's end: the day sum counts every purchase
   -- up to 6 days earlier, so it is larger by less than one week's discount, 1.15^(7/365.2425) - 1
   local cd = md:clv(sd, { horizon = 52, unit = "week", spend = 1 }):col("clv"):sum()
   local cw = mw:clv(sw, { horizon = 52, spend = 1 }):col("clv"):sum()
   local week = 1.15 ^ (7 / 365.2425) - 1
   T.ok(cd > cw and cd / cw - 1 < week, cd .. " vs " .. cw)
   eq(md:clv(sd, { horizon = 364, spend = 1 }):col("clv"):sum(), cd) -- the same 364 days
   -- the same customers in months: 12 months is 365.2425 days, in the model's days
   local cm = md:clv(sd, { horizon = 12, unit = "month", spend = 1 }):col("clv"):sum()
   near(cm, md:clv(sd, { horizon = 365.2425, spend = 1 }):col("clv"):sum(), 1e-9 * cm)
end)

test("a table that does not know its unit needs it stated; a contradiction is an error", function()
   local path = os.tmpname()
   cv.write(path .. ".csv", sw)
   local back = cv.read_csv(path .. ".csv")
   os.remove(path .. ".csv")
   os.remove(path)
   eq(back:meta(), nil)
   raises("^[^:]*test_units%.lua:%d+: cv%.fit: the table does not say its time unit .*"
      .. "state it, e%.g%. {unit = \"week\"}", cv.fit, "bgnbd", back)
   local m = cv.fit("bgnbd", back, { unit = "week" })
   near(m.params.alpha, 4.4136, 1e-4)
   eq(m.unit, "week")
   raises("cv%.fit: unit = \"week\" but the summary is in days", cv.fit, "bgnbd", sd,
      { unit = "week" })
   raises("cv%.model: the time unit of the parameters of bgnbd is required", cv.model, "bgnbd",
      { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 })
   local ok, _, code = cv.try(cv.fit, "bgnbd", back)
   eq(not ok, true)
   eq(code, 2)
end)

T.report()
