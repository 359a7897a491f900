-- Lifetime-safe bindings, continued (docs/safety.md): the bindings added after
-- test_lifetime.lua (models, covariates, dyncov, diagnostics, intervals, mc, segment) tried
-- as a hostile script would call cv.core.* directly: closed tables, proxies whose
-- metamethods close the table, numbers that do not fit the C type an option becomes, counts
-- whose sum wraps, and the table writer called from a callback that then closes the table.
local T = require "cv.testing"
local test, eq, raises, ok = T.test, T.eq, T.raises, T.ok
local M = require "cv.core.models"
local D = require "cv.core.diagnostics"
local I = require "cv.core.intervals"
local MC = require "cv.core.mc"
local S = require "cv.core.segment"
local DY = require "cv.core.dyncov"
local COV = require "cv.core.covariates"

local P = { 0.24, 4.41, 0.79, 2.43 } -- BG/NBD parameters (r, alpha, a, b)

local function summary(n)
   local c, x, tx, Tt, m, xh = {}, {}, {}, {}, {}, {}
   for i = 1, n do
      c[i], x[i], tx[i], Tt[i], m[i], xh[i] = i, i % 4, (i % 4) * 3.0, 20.0, 10.0 + i, i % 3
   end
   return cv.table{ { "customer", c }, { "x", x }, { "t_x", tx }, { "T", Tt }, { "m", m },
      { "x_holdout", xh } }
end

local function closed_table()
   local t = summary(3)
   t:close()
   return t
end

-- A table whose every metamethod closes t and collects (a binding must never run them).
local function proxy(t, count)
   local function hit()
      count.n = count.n + 1
      t:close()
      collectgarbage()
   end
   return setmetatable({}, {
      __index = function() hit() return 1 end,
      __len = function() hit() return 3 end,
      __pairs = function() hit() return next, {}, nil end,
   })
end

test("numbers that do not fit the option's C type are refused, not converted", function()
   local s = summary(5)
   local tx = cv.table{ { "customer", { 1, 1, 2 } },
      { "date", { "2020-01-01", "2020-02-01", "2020-01-05" }, "date" } }
   raises("bad option 'buckets' %(a whole number expected, got 1e%+308%)", M.validate, "bgnbd", P,
      s, { horizon = 10, holdout = "x_holdout", buckets = 1e308 })
   raises("bad option 'period_days' %(a whole number expected, got", M.tracking, "bgnbd", P, tx,
      { unit = "week", calibration_end = "2020-01-20", period_days = 0 / 0 })
   raises("bad option 'seed' %(a whole number expected, got %-1%.5%)", M.simulate, "bgnbd", P, 3,
      { seed = -1.5, T = 10 })
   raises("bad option 'seed' %(a whole number expected, got inf%)", M.simulate_tx, "bgnbd", P, 2,
      { seed = math.huge, unit = "week" })
   raises("bad option 'cohort_days' %(%-2147483648 to 2147483647 expected, got 4294967296%)",
      M.simulate_tx, "bgnbd", P, 2, { cohort_days = 2 ^ 32, unit = "week" })
   -- a whole float is a whole number: 2^53 + 1 as an integer stays exact
   eq(#M.simulate("bgnbd", P, 3, { seed = 2 ^ 53, T = 10 }), 3)
   eq(#M.simulate("bgnbd", P, 3, { seed = (1 << 53) + 1, T = 10 }), 3)
   -- k of 2^32 + 2 was cut to 2 clusters
   raises("bad argument #3 to '[%w.]*kmeans' %(%-2147483648 to 2147483647 expected, got 4294967298%)",
      S.kmeans, s, { "x", "T" }, (1 << 32) + 2, 1, 5, 1, true, 0, "seg")
end)

test("dyncov: counts whose sum wraps, np * ncov that wraps, a proxy data table", function()
   local data = { x = { 2 ^ 63, 2 ^ 63 }, t_x = { 1, 1 }, T = { 2, 2 },
      ntrans = { 2 ^ 63, 2 ^ 63 }, ttime = {}, nper = { 1, 1 }, pstart = { 0, 0 },
      z = { 1, 1 }, ncov = 1, proc = { "trans" }, col = { 1 } }
   raises("field 'ntrans', element 1: a count expected", DY.loglik, data, { 0, 0, 0, 0, 0 })
   data.x, data.ntrans, data.ttime = { 0, 0 }, { 0, 0 }, {}
   data.nper, data.pstart, data.z = { 2, 2 }, { 0, 1, 0, 1 }, {}
   data.ncov = math.maxinteger // 4 + 1 -- 4 periods * ncov = 2^63 + 4, wraps
   raises("field 'ncov' must be a positive integer", DY.fit, data)
   local count, t = { n = 0 }, summary(2)
   raises("field 'x' must be an array", DY.loglik, proxy(t, count), { 0, 0, 0, 0, 0 })
   eq(count.n, 0, "metamethods of the data table run")
   eq(#t, 2)
end)

test("closed tables: every table argument of the new bindings raises", function()
   local c = closed_table()
   local function closed(f, ...) raises("attempt to use a closed table", f, ...) end
   closed(M.fit, "bgnbd", c, {})
   closed(M.loglik, "bgnbd", P, c, {})
   closed(M.predict, "bgnbd", P, "p_alive", c)
   closed(M.clv, "bgnbd", P, c, { unit = "week" })
   closed(M.validate, "bgnbd", P, c, { horizon = 1 })
   closed(M.correlation, c)
   closed(D.histogram, "bgnbd", P, c, {})
   closed(D.holdout, "bgnbd", P, c, { horizon = 1 })
   closed(D.spend, { 1, 1, 1 }, c, { cuts = { 1 } })
   closed(I.run, nil, nil, c, {})
   closed(I.run, { model = "bgnbd", params = P, data = c }, nil, summary(2), {})
   closed(MC.summary, c, "x")
   closed(COV.fit, "bgnbd", c, {}, {})
   closed(COV.clv, "bgnbd", P, {}, c, { unit = "week" })
   closed(S.kmeans, c, { "x" }, 2, 1, 5, 1, true, 0, "seg")
end)

test("options and fits given as proxies read as empty: no metamethod runs", function()
   local count, s = { n = 0 }, summary(5)
   local h = table.pack(D.histogram("bgnbd", P, s, proxy(s, count)))
   eq(#h[1], 8) -- max_x = 7 by default: 8 bins
   raises("unknown model", I.run, proxy(s, count), nil, s, {})
   local f = M.fit("bgnbd", s, proxy(s, count))
   ok(f.loglik < 0)
   local r = MC.summary({ 1, 2, 3 }, proxy(s, count))
   eq(#r.hist.counts, 30)
   eq(count.n, 0, "metamethods of the options run")
   eq(#s, 5)
end)

test("the root finder's callback closes a table and collects: the next call raises", function()
   local s = summary(3)
   local x = MC.root(function(v)
      s:close()
      collectgarbage()
      return v - 2
   end, 0, 10)
   ok(math.abs(x - 2) < 1e-9)
   raises("attempt to use a closed table", MC.summary, s, "x")
end)

test("the table writer from a per-row callback that then closes the table", function()
   local t = summary(4)
   local path = os.tmpname() .. ".csv"
   local calls = 0
   local r = t:add("y", function(row)
      calls = calls + 1
      if calls == 2 then
         t:write(path)
         t:close()
         collectgarbage()
      end
      return row.x * 2
   end)
   eq(calls, 4)
   eq(r:col("y")[4], 0) -- x of row 4 is 0
   eq(#cv.read_csv(path), 4)
   raises("attempt to use a closed table", function() return #t end)
   os.remove(path)
end)

test("decision: names given as numbers are converted and kept until the call returns", function()
   local Dc = require "cv.core.decision"
   collectgarbage("incremental", 10, 100) -- a collector that starts early
   local names, amounts, props = {}, {}, {}
   for i = 1, 6000 do names[i], amounts[i], props[i] = i + 0.5, 1, 0 end
   amounts[1] = 0 / 0 -- the error names item 1, converted 5,999 conversions before
   raises("'1.5'", Dc.classify, names, amounts, props)
   local rev, am = {}, {}
   for i = 1, 6000 do rev[i], am[i] = false, { 1, 2 } end
   am[1] = { 0 / 0, 1 }
   raises("'1.5', option 1: amount must be finite", Dc.compare, names, rev, am, 2)
   collectgarbage("incremental", 200, 100) -- the defaults
   local r = Dc.compare({ 7, "b" }, { true, false }, { { 10, 20 }, { 1, 1 } }, 2)
   eq(r.best, 2)
end)

T.report()
