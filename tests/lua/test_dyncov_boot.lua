-- memcheck: skip (a fit and 60 bootstrap refits over 600 simulated customers; the C path,
-- cv_dyncov_boot_refit and cv_dyncov_intervals' bootstrap, is tests/unit/test_dyncov_boot.c's,
-- run under memcheck)
-- The bootstrap over customers with refits of the Pareto/NBD with time-varying covariates
-- through cv.core.dyncov.intervals (method = "bootstrap", fit =; the user's m:p_alive and
-- m:dert with it on apparel are tests/lua/test_dyncov_more.lua's). On 600 customers simulated
-- from known parameters (tests/lua/dyncov_sim.lua, seeded), the total P(alive)'s bootstrap interval
-- holds the estimate and its width is within a factor 2 of the asymptotic interval's (both
-- estimate the sampling spread of the same total; with 60 refits the 90% interval's width
-- has a Monte Carlo error of about 15%, so a factor 2 fails only when the two disagree).
local T = require "cv.testing"
local test, eq, ok, near = T.test, T.eq, T.ok, T.near
local core = require "cv.core.dyncov"
local sim = require "tests.lua.dyncov_sim"

test("simulated: the bootstrap total within a factor 2 of the asymptotic, seeded", function()
   local a = sim.simulate { seed = 21, n = 600, r = 0.8, alpha = 6, s = 0.8, beta = 15,
      g_trans = 0.5, g_life = -0.6, day = true, cal = 60, stop = 60,
      proc = { "trans", "life" }, col = { 1, 1 } }
   local f = core.fit(a)
   ok(f.converged)
   local n = #a.x
   local o = { kinds = { "p_alive" }, level = 0.9, draws = 60, seed = 8 }
   o.method, o.fit = "bootstrap", a
   local rb = core.intervals(a, f.est, f.cov, o)
   local rb2 = core.intervals(a, f.est, f.cov, o)
   eq(rb.used, rb.draws, "every refit converges")
   eq(rb.lo[n + 1], rb2.lo[n + 1])
   eq(rb.hi[n + 1], rb2.hi[n + 1])
   o.method, o.fit, o.draws = "asymptotic", nil, 400
   local ra = core.intervals(a, f.est, f.cov, o)
   near(ra.est[n + 1], rb.est[n + 1], 1e-12)
   ok(rb.lo[n + 1] < rb.est[n + 1] and rb.est[n + 1] < rb.hi[n + 1])
   local wb, wa = rb.hi[n + 1] - rb.lo[n + 1], ra.hi[n + 1] - ra.lo[n + 1]
   ok(wb < 2 * wa and wa < 2 * wb, string.format("widths %g (bootstrap), %g (asymptotic)", wb, wa))
   for j = 1, 6 do ok(rb.p_lo[j] <= rb.p_hi[j], j) end
end)

T.report()
