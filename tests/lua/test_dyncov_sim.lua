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

T.report()
