-- Tests of the NBD model's Lua face (cv.fit("nbd", s), the one model interface): the CDNOW
-- fit against a log-likelihood summed here in plain Lua (lgamma(r+x) - lgamma(r) as the sum
-- of log(r+k), k < x: no special function shared with the core) and its score equations;
-- the predictions against their closed forms; parameters recovered from cv.simulate.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local DATA = require "tests.lua.data"
local CDNOW = { header = false, delim = "space", types = { V3 = "date" },
   customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true }
local s = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)

-- ll_and_scores(r, alpha, xs, Ts) -> LL, d/dr, d/dalpha by a direct sum over customers.
local function ll_and_scores(r, al, xs, Ts)
   local ll, g0, g1 = 0, 0, 0
   for i = 1, #xs do
      local x, t = xs[i], Ts[i]
      local lg, dg = 0, 0
      for k = 0, x - 1 do
         lg = lg + math.log(r + k)
         dg = dg + 1 / (r + k)
      end
      ll = ll + lg + r * math.log(al) - (r + x) * math.log(al + t)
      g0 = g0 + dg + math.log(al) - math.log(al + t)
      g1 = g1 + r / al - (r + x) / (al + t)
   end
   return ll, g0, g1
end

local m = cv.fit("nbd", s)
local r, al = m.params.r, m.params.alpha

test("cdnow: the core's LL equals a direct Lua sum, and the scores vanish at the fit", function()
   local xs, Ts = s:col("x"):totable(), s:col("T"):totable()
   eq(#xs, 2357)
   local ll, g0, g1 = ll_and_scores(r, al, xs, Ts)
   near(m.loglik, ll, 1e-6, "LL")
   near(m:loglik_on(s), ll, 1e-6, "m:loglik_on")
   T.ok(math.abs(g0) / #xs < 1e-6 and math.abs(g1) / #xs < 1e-6,
      string.format("scores %.3g, %.3g", g0, g1))
   -- and the maximum is one: the direct sum is lower a step away on either side
   for _, d in ipairs { { 1.01, 1 }, { 0.99, 1 }, { 1, 1.01 }, { 1, 0.99 } } do
      T.ok(ll_and_scores(r * d[1], al * d[2], xs, Ts) < ll, "lower off the maximum")
   end
   eq(m.status, "converged")
   eq(m.names, { "r", "alpha" })
   eq(m.n_obs, 2357.0)
   near(m.aic, 2 * 2 - 2 * ll, 1e-6, "AIC")
   T.ok(m.se.r > 0 and m.se.alpha > 0, "standard errors")
   eq(m.unit, "week")
end)

test("the one interface: records and tables, closed forms", function()
   local c = { x = 2, t_x = 30.43, T = 38.86 } -- FHL (2005)'s customer
   eq(m:p_alive(c), 1.0)
   near(m:conditional(c, 39), (r + 2) * 39 / (al + 38.86), 1e-12, "conditional")
   near(m:conditional(c, 39 * 7, { unit = "day" }), (r + 2) * 39 / (al + 38.86), 1e-9,
      "a horizon in days")
   near(m:expected_new(39), r * 39 / al, 1e-12, "expected_new")
   near(m:pmf_new(39, 0), (al / (al + 39)) ^ r, 1e-12, "pmf_new(39, 0)")
   local delta = m:delta(0.15)
   near(m:dert(c), (r + 2) / ((al + 38.86) * delta), 1e-9, "dert")
   local p = m:predict(s, { horizon = 39 })
   local x1, T1 = s:col("x")[1], s:col("T")[1]
   near(p:col("conditional")[1], (r + x1) * 39 / (al + T1), 1e-12, "column conditional")
   eq(p:col("p_alive"):min(), 1.0)
   -- CLV over the lifetime at spend 1: the DERT of every customer, summed
   local v = m:clv(s, { horizon = math.huge })
   local want = 0
   for i, x in ipairs(s:col("x"):totable()) do
      want = want + (r + x) / ((al + s:col("T")[i]) * delta)
   end
   near(v:col("clv"):sum(), want, 1e-6 * want, "lifetime clv")
   -- one record for every model: t_x too, although the NBD does not read it
   raises("Model:p_alive: the customer's record needs a number 't_x', got nil", m.p_alive, m,
      { x = 1, T = 3 })
end)

test("names: nbd in any case, cv.model, cv.model_list", function()
   local g = cv.fit("NBD", s, { quiet = true })
   near(g.params.r, r, 0, "same fit")
   local k = cv.model("nbd", { r = 0.4, alpha = 12 }, { unit = "week" })
   near(k:expected_new(39), 0.4 * 39 / 12, 1e-12, "cv.model")
   local found
   for _, info in ipairs(cv.model_list()) do
      if info.name == "nbd" then found = info end
   end
   eq(found.params, { "r", "alpha" })
   raises("did you mean 'nbd'", cv.fit, "nbdd", s)
end)

test("parameters recovered from cv.simulate (20,000 customers, within 3 se)", function()
   local sim = cv.simulate(cv.model("nbd", { r = 0.85, alpha = 4.45 }, { unit = "week" }), 20000,
      { seed = 11, T = 39 })
   local f = cv.fit("nbd", sim, { unit = "week" })
   T.ok(math.abs(f.params.r - 0.85) <= 3 * f.se.r and f.se.r < 0.05 * 0.85,
      string.format("r %.4f se %.4f", f.params.r, f.se.r))
   T.ok(math.abs(f.params.alpha - 4.45) <= 3 * f.se.alpha and f.se.alpha < 0.05 * 4.45,
      string.format("alpha %.4f se %.4f", f.params.alpha, f.se.alpha))
end)

T.report()
