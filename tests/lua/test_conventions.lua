-- Tests of the one convention of the Lua side (lua/cv/errors.lua, cv.date, the one Gini
-- and whale curve): errors at the user's line with the documented exit codes and a
-- suggestion, dates from the core checked against Python's datetime, and the chart's
-- Gini and whale curve equal to the functions', on hand-computed values.
local T = require "cv.testing"
local eq, near, raises = T.eq, T.near, T.raises
local test = T.test
local SRC = "test_conventions.lua:%d+: "

local s = cv.table { x = { 1, 2 }, t_x = { 1, 2 }, T = { 3, 4 } }

test("an unknown model name: did you mean, at the user's line, exit 2", function()
   local v, msg, code = cv.try(cv.fit, "bgnbdd", s)
   eq(v, nil)
   T.ok(msg:find(SRC .. "cv.fit: unknown model 'bgnbdd' %(did you mean 'bgnbd'%?%)$"), msg)
   eq(code, 2)
   v, msg, code = cv.try(cv.fit, "zzz", s)
   -- no close name: every name and alias README uses
   T.ok(msg:find("known: bgnbd = bg/nbd, pareto_nbd = pareto/nbd = pnbd = paretonbd, ", 1, true), msg)
   T.ok(msg:find("gamma_gamma = gg = gammagamma", 1, true), msg)
   eq(code, 2)
   v, msg, code = cv.try(cv.model, "pndb", { r = 1 })
   T.ok(msg:find(SRC .. "cv.model: unknown model 'pndb' %(did you mean 'pnbd'%?%)"), msg)
   eq(code, 2)
end)

test("other name lookups suggest: charts, formulas, schemes, scenarios", function()
   local _, msg, code = cv.try(function() return cv.chart.linee { series = {} } end)
   T.ok(msg:find(SRC .. "cv.chart: unknown chart 'linee' %(did you mean 'line'%?%)"), msg)
   eq(code, 2)
   _, msg, code = cv.try(function() return cv.clv.simpel { } end)
   T.ok(msg:find(SRC .. "cv.clv: unknown formula 'simpel' %(did you mean 'simple'%?%)"), msg)
   eq(code, 2)
   _, msg, code = cv.try(cv.explain, "clv.simpel", {})
   T.ok(msg:find("cv.explain: unknown formula 'clv.simpel' (did you mean 'clv.simple'?)", 1, true), msg)
   _, msg, code = cv.try(cv.rfm, cv.table { customer = { 1 } }, { scheme = "cn9" })
   T.ok(msg:find("unknown segment scheme 'cn9' (did you mean 'cn8'?)", 1, true), msg)
   eq(code, 2)
   local sc = cv.scenario { formula = "clv.simple", base = { avg_purchase = 1, frequency = 1,
      lifetime = 1 }, variants = { { "more", frequency = 2 } } }
   _, msg, code = cv.try(sc.params, sc, "mroe")
   T.ok(msg:find("no scenario 'mroe' (did you mean 'more'?)", 1, true), msg)
   eq(code, 2)
   _, msg, code = cv.try(cv.montecarlo, { formula = "clv.simpel", inputs = {} })
   T.ok(msg:find("cv.montecarlo: unknown formula 'clv.simpel' (did you mean 'clv.simple'?)", 1, true), msg)
   eq(code, 2)
end)

test("bad arguments are usage errors (2) at the user's line, not in lua/cv", function()
   local _, msg, code = cv.try(cv.table, 3)
   T.ok(msg:find(SRC .. "cv.table: argument #1 must be a table, got number 3"), msg)
   eq(code, 2)
   _, msg, code = cv.try(cv.report, "x")
   T.ok(msg:find(SRC .. "cv.report: argument #1 must be a table, got 'x'"), msg)
   eq(code, 2)
   -- luaL_argerror of a binding: exit 2 as docs/errors.md says
   _, msg, code = cv.try(cv.date.add, "1997-02-30", 1)
   T.ok(msg:find("bad argument #1 to '[%w.]*add' %(a date YYYY%-MM%-DD expected, got '1997%-02%-30'%)"), msg)
   eq(code, 2)
   T.ok(not msg:find("lua/cv/", 1, true), msg)
end)

-- Expected dates from Python: date(1997, 9, 30) + timedelta(weeks=39) and so on.
test("dates come from the core: known values", function()
   local d = cv.date
   eq(d.add("1997-09-30", 39, "week"), "1998-06-30")
   eq(d.add("1997-09-30", 273), "1998-06-30")
   eq(d.days("1970-01-01"), 0)
   eq(d.days("1969-12-31"), -1)
   eq(d.days("2038-01-19"), 24855) -- the last day of a 32-bit time_t
   eq(d.days("2038-01-20"), 24856)
   eq(d.days("9999-12-31"), 2932896)
   eq(d.format(-719162), "0001-01-01")
   eq(d.diff("2100-03-01", "2000-02-29"), 36525) -- 2000 leap, 2100 not
   eq(d.add("2024-01-31", 1, "month"), "2024-02-29")
   eq(d.add("2023-01-31", 1, "month"), "2023-02-28")
   eq(d.add("2024-02-29", 1, "year"), "2025-02-28")
   eq(d.add("2000-02-29", 100, "year"), "2100-02-28")
   eq(d.add("1970-01-01", -1, "month"), "1969-12-01")
   eq(d.add("2038-01-19", 1), "2038-01-20")
   eq(d.valid("1997-02-29"), false)
   eq(d.valid("2000-02-29"), true)
   eq(d.valid(19970101), false)
   raises("out of range", d.add, "9999-12-31", 1)
   raises("out of range", d.format, 2932897)
   raises("bad argument #3 to '[%w.]*add' %(invalid option 'weeks'%)", d.add, "1997-01-01", 1, "weeks")
   -- a date option must be a real date
   raises("option 'calibration_end' must be a date YYYY%-MM%-DD, got '1997%-02%-30'", cv.summary,
      cv.table { id = { 1 } }, { customer = "id", date = "d", amount = "a",
      calibration_end = "1997-02-30" })
end)

-- The Gini with losses, by hand: {-1, 1, 3}: ordered pairs |xi - xj| sum to 16, 2 n^2 mean
-- is 18 -> 8/9; {-2, 0, 3}: 20 / 6 = 10/3 (losses make it exceed 1).
test("one Gini: cv.gini and cv.chart.gini agree, losses included", function()
   near(cv.gini { -1, 1, 3 }, 8 / 9, 1e-12)
   near(cv.chart.gini { -1, 1, 3 }, 8 / 9, 1e-12)
   near(cv.gini { -2, 0, 3 }, 10 / 3, 1e-12)
   near(cv.chart.gini { -2, 0, 3 }, 10 / 3, 1e-12)
   near(cv.chart.gini { 4, 1, 3, 2 }, 0.25, 1e-12)
   local _, g = cv.lorenz { -1, 1, 3 }
   near(g, 8 / 9, 1e-12)
   raises("sum to 0", cv.chart.gini, { 1, -1 })
end)

-- Profits 60, 50, 10, -20 (total 100): cumulative 60, 110, 120, 100 -> peak 120% at 3 of 4.
test("one whale curve: the chart shows cv.whale's peak", function()
   local curve, st = cv.whale(cv.table { { "profit", { 10, -20, 60, 50 } } })
   near(st.peak_share, 1.2, 1e-12)
   eq(st.peak_rank, 3)
   eq(curve:col("cum_share"):totable()[2], 1.1)
   local c = cv.chart.whale { values = { 10, -20, 60, 50 } }
   T.ok(c.svg:find("120", 1, true), "the peak 120% in the chart")
   T.ok(c.svg:find("75", 1, true), "at 75% of the customers")
end)

T.report()
