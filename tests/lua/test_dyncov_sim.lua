-- memcheck: skip (a fit of 4000 customers with time-varying covariates; tests/unit/
-- test_dyncov_sim.c runs cv_dyncov_simulate's paths under memcheck)
-- Tests of the simulation of the Pareto/NBD with time-varying covariates
-- (src/core/model_dyncov_sim.c through cv.core.dyncov's simulate): the C draws against the
-- plain-Lua simulator of tests/lua/dyncov_sim.lua (an independent implementation: thinning
-- week by week, where C inverts the cumulative hazards) in distribution; the coefficients
-- recovered through the dyncov fit from customers drawn in C.
local T = require "cv.testing"
local test, ok = T.test, T.ok
local core = require "cv.core.dyncov"
local sim = require "tests.lua.dyncov_sim"

-- the periods (and the Lua draws) of n customers: a season dummy switching every 13 calendar
-- weeks on both processes and a static dummy on the purchases; arrivals on a day of weeks
-- 0-25, observed to week 78 (tests/lua/dyncov_sim.lua)
local TRUTH = { 0.8, 6, 0.8, 15, 0.5, -0.6, 0.4 }
local function customers(n, seed)
   local r, al, sh, be, gts, gls, gtg = table.unpack(TRUTH)
   return (sim.simulate { seed = seed, n = n, r = r, alpha = al, s = sh, beta = be,
      g_trans = gts, g_life = gls, g_static = gtg, day = true, cal = 78, stop = 78,
      proc = { "trans", "life", "trans" }, col = { 1, 1, 2 } })
end
local function theta(th)
   return { math.log(th[1]), math.log(th[2]), math.log(th[3]), math.log(th[4]), th[5], th[6],
      th[7] }
end

-- a with the C draws at th (seed) in place of its own
local function drawn(a, th, seed)
   local d = core.simulate(a, theta(th), seed)
   local b = {}
   for k, v in pairs(a) do b[k] = v end
   b.x, b.t_x, b.ntrans, b.ttime = d.x, d.t_x, d.ntrans, d.ttime
   return b
end

local function mean_var(v)
   local s, s2 = 0, 0
   for _, x in ipairs(v) do s, s2 = s + x, s2 + x * x end
   local m = s / #v
   return m, (s2 - #v * m * m) / (#v - 1)
end

test("C draws = the Lua simulator's in distribution: mean x and mean t_x within 4 SE",
   function()
   local n = 20000
   local a = customers(n, 11)        -- the Lua draws
   local b = drawn(a, TRUTH, 12)     -- the C draws for the same customers' periods
   for _, col in ipairs { "x", "t_x" } do
      local ma, va = mean_var(a[col])
      local mb, vb = mean_var(b[col])
      local se = math.sqrt(va / n + vb / n)
      ok(math.abs(ma - mb) < 4 * se, string.format("%s: Lua %.4f, C %.4f, se %.4f", col, ma, mb,
         se))
      io.write(string.format("# mean %s: Lua %.4f, C %.4f: %.2f SE\n", col, ma, mb,
         (mb - ma) / se))
   end
   -- a wrong effect is seen: the season off on the purchases
   local off = { table.unpack(TRUTH) }
   off[5] = 0
   local c = drawn(a, off, 12)
   local ma, va = mean_var(a.x)
   local mc, vc = mean_var(c.x)
   ok(math.abs(ma - mc) > 8 * math.sqrt(va / n + vc / n), "the season on the purchases matters")
end)

test("recovery: 4000 customers drawn in C, each parameter within 4 SE of the truth", function()
   local b = drawn(customers(4000, 2026), TRUTH, 7)
   local r = core.fit(b)
   T.eq(r.status, "converged")
   for j = 1, 7 do
      local got, se = r.est[j], r.se[j]
      ok(se and se > 0, "se " .. j)
      ok(math.abs(got - TRUTH[j]) < 4 * se, string.format("parameter %d: %.4g, truth %.4g, se %.3g",
         j, got, TRUTH[j], se))
      io.write(string.format("# %d: %.4g (se %.3g) truth %.4g: %.2f SE\n", j, got, se, TRUTH[j],
         (got - TRUTH[j]) / se))
   end
end)

-- a long covariate table: n customers (Id 1..n), weekly periods from 2005-01-02 for 80
-- weeks, the season dummy (calendar week k: (k // 13) % 2) and a static dummy g (odd Id)
local function long_table(n)
   local id, per, season, g = {}, {}, {}, {}
   local d0 = require("cv.core.date").days("2005-01-02")
   for i = 1, n do
      for k = 0, 79 do
         id[#id + 1], per[#per + 1] = i, cv.format_date and cv.format_date(d0 + 7 * k)
            or require("cv.core.date").format(d0 + 7 * k)
         season[#season + 1], g[#g + 1] = (k // 13) % 2, i % 2
      end
   end
   return cv.table { { "Id", id }, { "Cov.Date", per }, { "season", season }, { "g", g } }
end

test("cv.simulate_transactions with dynamic: summarised and fitted by cv.fit, within 4 SE",
   function()
   local n = 3000
   local dc = long_table(n)
   local truth = { model = "pareto_nbd", r = 0.8, alpha = 6, s = 0.8, beta = 15,
      ["trans.season"] = 0.5, ["life.season"] = -0.6, ["trans.g"] = 0.4 }
   local o = { unit = "week", seed = 3, start = "2005-01-02", cohort_days = 182,
      ["end"] = "2006-07-01", dynamic = { covariates = dc } }
   local tx = cv.simulate_transactions(truth, n, o)
   T.eq(tx:names(), { "Id", "date", "amount" })
   -- the same seed, the same transactions
   T.eq(cv.simulate_transactions(truth, n, o):col("date"):totable(), tx:col("date"):totable())
   local s = cv.summary(tx, { customer = "Id", date = "date", amount = "amount", unit = "week",
      calibration_end = "2006-07-01", quiet = true })
   local m = cv.fit("pareto_nbd", s, { trans = { "season", "g" }, life = "season", quiet = true,
      dynamic = { covariates = dc, transactions = tx, date = "date" } })
   for j, name in ipairs(m.names) do
      local dev = (m.values[j] - truth[name]) / m.se[name]
      ok(math.abs(dev) < 4, string.format("%s: %.4g, truth %.4g, se %.3g", name, m.values[j],
         truth[name], m.se[name]))
      io.write(string.format("# %s: %.4g (se %.3g), truth %.4g: %.2f SE\n", name, m.values[j],
         m.se[name], truth[name], dev))
   end
end)

test("cv.simulate_transactions with dynamic: the errors", function()
   local dc = long_table(3)
   local truth = { model = "pareto_nbd", r = 0.8, alpha = 6, s = 0.8, beta = 15,
      ["trans.season"] = 0.5 }
   local o = { unit = "week", start = "2005-01-02", ["end"] = "2006-07-01",
      dynamic = { covariates = dc } }
   T.raises("3 customers", cv.simulate_transactions, truth, 4, o)
   T.raises("'peroid'", cv.simulate_transactions, truth, 3, { unit = "week",
      dynamic = { covariates = dc, peroid = "x" } })
   T.raises("unknown column 'seasn'", cv.simulate_transactions,
      { model = "pareto_nbd", r = 0.8, alpha = 6, s = 0.8, beta = 15, ["trans.seasn"] = 1 }, 3, o)
   T.raises("spend", cv.simulate_transactions, truth, 3, { unit = "week", start = "2005-01-02",
      ["end"] = "2006-07-01", spend = { p = 6, q = 4, gamma = 15 }, dynamic = { covariates = dc } })
   T.raises("do not cover", cv.simulate_transactions, truth, 3, { unit = "week",
      start = "2005-01-02", ["end"] = "2007-01-01", dynamic = { covariates = dc } })
   T.raises("days or weeks", cv.simulate_transactions, truth, 3, { unit = "month",
      start = "2005-01-02", ["end"] = "2006-01-01", dynamic = { covariates = dc } })
   T.raises("for pareto_nbd", cv.simulate_transactions, { model = "bgnbd", r = 1, alpha = 1,
      a = 1, b = 1, ["trans.season"] = 1 }, 3, o)
end)

T.report()
