-- memcheck: skip (259 s there: fits on apparel; tests/bind/test_l_dyncov.c runs the fit and the
-- likelihood's C paths under memcheck)
-- Tests of the fit of the Pareto/NBD with time-varying covariates (src/core/model_dyncov*.c
-- through cv.core.dyncov): the analytic gradient of the log-likelihood against central
-- differences (Richardson-extrapolated) on the reference implementation's apparel data and
-- on customers simulated here; the fit on the analytic gradient against the fit on the
-- numerical one; the L2 penalty reg (CLVTools' reg.lambdas); the recovery of known
-- parameters from simulated customers with a season covariate.
local T = require "cv.testing"
local test, near, ok = T.test, T.near, T.ok
local core = require "cv.core.dyncov"
local dyncov = require "cv.dyncov"
local sim = require "tests.lua.dyncov_sim"

-- the apparel data (../shared/data: CVKIT_DATA), weeks, the 40-week estimation period
local D = (os.getenv("CVKIT_DATA") or "../shared/data") .. "/"
local s = cv.summary_csv(D .. "apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", unit = "week", calibration_end = "2005-10-08", quiet = true })
local tx = cv.read_csv(D .. "apparelTrans.csv")
local dc = cv.read_csv(D .. "apparelDynCov.csv")
local THREE = { "High.Season", "Gender", "Channel" }
local apparel = dyncov.arrays(s, { trans = THREE, life = THREE,
   dynamic = { covariates = dc, transactions = tx } })

-- Simulated customers (tests/lua/dyncov_sim.lua, seeded): a season dummy on both processes
-- and a static dummy g on the purchases (purchase rate lambda exp(g_ts season + g_tg g),
-- dropout rate mu exp(g_ls season)); customers arrive on a day of weeks 0-25 and are
-- observed to week 78. Returns the arrays of cv.core.dyncov (coefficients trans.season,
-- life.season, trans.g).
local function simulate(n, th, seed)
   local r, al, sh, be, gts, gls, gtg = table.unpack(th)
   return (sim.simulate { seed = seed, n = n, r = r, alpha = al, s = sh, beta = be,
      g_trans = gts, g_life = gls, g_static = gtg, day = true, cal = 78, stop = 78,
      proc = { "trans", "life", "trans" }, col = { 1, 1, 2 } })
end
local TRUTH = { 0.8, 6, 0.8, 15, 0.5, -0.6, 0.4 }

-- The gradient of the objective (-LL/N, plus the penalty of a) at th against central
-- differences, Richardson-extrapolated from steps h and h/2 (h = 1e-3 (1 + |th_j|)): each
-- component within tol relative to the largest.
local function check_gradient(a, th, tol, what)
   local _, g = core.objective(a, th)
   local big = 0
   for j = 1, #th do big = math.max(big, math.abs(g[j])) end
   for j = 1, #th do
      local function diff(h)
         local t = table.move(th, 1, #th, 1, {})
         t[j] = th[j] + h
         local fp = core.objective(a, t)
         t[j] = th[j] - h
         return (fp - core.objective(a, t)) / (2 * h)
      end
      local h = 1e-3 * (1 + math.abs(th[j]))
      local num = (4 * diff(h / 2) - diff(h)) / 3
      if math.abs(num - g[j]) > tol * big then
         error(string.format("%s: component %d: analytic %.15g, differences %.15g", what, j,
            g[j], num), 2)
      end
   end
end

local L = math.log

test("analytic gradient = differences on apparel, three points", function()
   for _, th in ipairs {
      { L(0.5), L(10), L(1.5), L(20), 0.7, 0.1, -0.3, 1.0, -0.5, 0.4 },
      { L(3), L(50), L(0.2), L(3), -0.4, 0.5, 0.3, -1.0, 0.2, 0.6 },
      -- alpha far below beta: the pieces' integrals by quadrature (|p - q|/max > 0.9)
      { L(1.2), L(1), L(1), L(60), 0.7, 0.4, 0.8, 1.2, -0.15, 1.8 },
   } do
      check_gradient(apparel, th, 1e-7, "apparel")
   end
   -- near the fit's ridge (s = 1e6, beta = 5e8): (s+1) log(beta + ...) ~ 2e7 leaves the LL
   -- itself rounded at about 1e-9 relative, so the differences are good to about 1e-6 here
   check_gradient(apparel, { L(1.7), L(1), L(1e6), L(5e8), 0.78, 0.45, 0.8, 1.2, -0.15, 1.8 },
      1e-5, "apparel, the ridge")
end)

local sim = simulate(400, TRUTH, 7)

test("analytic gradient = differences on simulated customers", function()
   check_gradient(sim, { L(0.8), L(6), L(0.8), L(15), 0.5, -0.6, 0.4 }, 1e-7, "at the truth")
   check_gradient(sim, { L(2), L(1), L(0.1), L(40), -1, 1, 0 }, 1e-7, "far from it")
   -- one coefficient on both processes (constrain): the column-1 dummy
   local a = {}
   for k, v in pairs(sim) do a[k] = v end
   a.proc, a.col = { "both", "trans" }, { 1, 2 }
   check_gradient(a, { L(0.8), L(6), L(0.8), L(15), 0.3, 0.4 }, 1e-7, "constrained")
end)

test("the fit on the analytic gradient reaches the numerical one's LL", function()
   local r = core.fit(sim)
   local a = {}
   for k, v in pairs(sim) do a[k] = v end
   a.numeric = true
   local rn = core.fit(a)
   T.eq(r.status, "converged")
   T.eq(rn.status, "converged")
   near(r.loglik, rn.loglik, 1e-6 / math.abs(rn.loglik), "LL within 1e-6")
   for j = 1, 7 do -- the SEs: differences of the gradient against second differences
      ok(math.abs(r.est[j] - rn.est[j]) < 1e-5 * r.se[j], "estimate " .. j)
      near(r.se[j] / rn.se[j], 1, 1e-4, "se " .. j)
   end
   -- the reported LL is the likelihood at the estimates
   local ll = core.loglik(sim, { L(r.est[1]), L(r.est[2]), L(r.est[3]), L(r.est[4]),
      r.est[5], r.est[6], r.est[7] })
   near(ll, r.loglik, 1e-12)
end)

local function with(a, extra)
   local b = {}
   for k, v in pairs(a) do b[k] = v end
   for k, v in pairs(extra) do b[k] = v end
   return b
end
local function theta(est)
   local th = {}
   for j, v in ipairs(est) do th[j] = j <= 4 and L(v) or v end
   return th
end

test("reg: the penalized objective's gradient; its minimum", function()
   local pen = { reg_trans = 0.5, reg_life = 0.2 }
   check_gradient(with(sim, pen), { L(0.8), L(6), L(0.8), L(15), 0.5, -0.6, 0.4 }, 1e-7, "reg")
   check_gradient(with(apparel, pen), { L(0.5), L(10), L(1.5), L(20), 0.7, 0.1, -0.3, 1.0,
      -0.5, 0.4 }, 1e-7, "reg, apparel")
   check_gradient(with(sim, { reg_trans = 0.5, penalizer = 0.01 }),
      { L(0.8), L(6), L(0.8), L(15), 0.5, -0.6, 0.4 }, 1e-7, "reg and penalizer")
   -- the penalty's value: trans 0.5 on trans.season and trans.g, life 0.2 on life.season
   local th = { L(0.8), L(6), L(0.8), L(15), 0.5, -0.6, 0.4 }
   local f0 = core.objective(sim, th)
   near(core.objective(with(sim, pen), th) - f0, 0.5 * (0.25 + 0.16) + 0.2 * 0.36, 1e-12)
   -- the penalized fit is a stationary point of the penalized objective
   local r = core.fit(with(sim, { reg_trans = 0.01, reg_life = 0.01 }))
   local _, g = core.objective(with(sim, { reg_trans = 0.01, reg_life = 0.01 }), theta(r.est))
   for j = 1, 7 do ok(math.abs(g[j]) < 1e-6, "gradient " .. j .. " " .. g[j]) end
   near(r.objective, core.objective(with(sim, { reg_trans = 0.01, reg_life = 0.01 }),
      theta(r.est)), 1e-12)
   near(r.loglik, core.loglik(sim, theta(r.est)), 1e-12, "loglik without the penalty")
end)

test("reg: lambda 0 is the maximum-likelihood fit; a large lambda shrinks to 0", function()
   local ml = core.fit(sim)
   local z = core.fit(with(sim, { reg_trans = 0, reg_life = 0 }))
   for j = 1, 7 do T.eq(z.est[j], ml.est[j]) end
   T.eq(z.loglik, ml.loglik)
   local mid = core.fit(with(sim, { reg_trans = 0.01, reg_life = 0.01 }))
   local big = core.fit(with(sim, { reg_trans = 100, reg_life = 100 }))
   for j = 5, 7 do
      ok(math.abs(mid.est[j]) < math.abs(ml.est[j]), "lambda 0.01 shrinks " .. j)
      ok(math.abs(big.est[j]) < 1e-2, "lambda 100: coefficient " .. j .. " " .. big.est[j])
   end
   ok(big.loglik < mid.loglik and mid.loglik < ml.loglik, "the LL falls as lambda grows")
   -- lambda 100 leaves about the model without covariates: its penalized objective is at most
   -- that of (the fit without covariates, coefficients 0), so its LL is at least loglik0
   ok(big.loglik >= ml.loglik0 and big.loglik < ml.loglik0 + 2, big.loglik .. " " .. ml.loglik0)
end)

test("reg through cv.fit on apparel: said, recorded, no LR test", function()
   local o = { trans = { "High.Season" }, quiet = true,
      dynamic = { covariates = dc, transactions = tx } }
   local m0 = cv.fit("pareto_nbd", s, o)
   o.reg = { trans = 0, life = 0 }
   local mz = cv.fit("pareto_nbd", s, o)
   T.eq(mz.values, m0.values)
   o.reg = { trans = 1 }
   local m = cv.fit("pareto_nbd", s, o)
   T.eq(m.penalty.trans, 1)
   ok(math.abs(m.params["trans.High.Season"]) < 0.1 * math.abs(m0.params["trans.High.Season"]),
      "shrunk")
   ok(tostring(m):find("L2 penalty lambda trans 1, life 0", 1, true), tostring(m))
   T.raises("penal", m.lr_test, m)
end)

test("recovery: 4000 simulated customers, each parameter within 4 SE of the truth", function()
   local a = simulate(4000, TRUTH, 2026)
   local r = core.fit(a)
   T.eq(r.status, "converged")
   for j = 1, 7 do
      local got, se = r.est[j], r.se[j]
      ok(se and se > 0, "se " .. j)
      if math.abs(got - TRUTH[j]) > 4 * se then
         error(string.format("parameter %d: %.4g, truth %.4g, se %.3g", j, got, TRUTH[j], se))
      end
      io.write(string.format("# %d: %.4g (se %.3g) truth %.4g\n", j, got, se, TRUTH[j]))
   end
end)

test("months: calendar-month periods from a customer's first purchase", function()
   -- two customers first buying on 2005-01-15, observed to 2005-03-15 (T = 2 months); the
   -- second buys again on 2005-02-20. Monthly periods from the 1st, the covariate 1 in
   -- February only, on the purchases. In months from 2005-01-15 (the summary's measure: whole
   -- months, then the fraction of the next): February starts at 17/31 and ends at
   -- 1 + 14/28 = 1.5, the purchase is at 1 + 5/28.
   local tr = cv.parse_csv("Id,Date,Price\n1,2005-01-15,5\n2,2005-01-15,5\n2,2005-02-20,5\n")
   local cov = cv.parse_csv("Id,Cov.Date,z\n1,2005-01-01,0\n1,2005-02-01,1\n1,2005-03-01,0\n"
      .. "2,2005-01-01,0\n2,2005-02-01,1\n2,2005-03-01,0\n")
   local sm = cv.summary(tr, { customer = "Id", date = "Date", amount = "Price", unit = "month",
      calibration_end = "2005-03-15" })
   local r, al, sh, be, g = 1.3, 2.0, 0.7, 3.0, 0.7
   local got, each = dyncov.loglik(sm, { trans = "z", dynamic = { covariates = cov,
      transactions = tr } }, { r, al, sh, be, g })
   -- the likelihood written out, its integral by Simpson's rule on each piece
   local b1, b2, TT, t1, e = 17 / 31, 1.5, 2, 1 + 5 / 28, math.exp(g)
   local function A(u)
      if u <= b1 then return u end
      if u <= b2 then return b1 + e * (u - b1) end
      return b1 + e * (b2 - b1) + (u - b2)
   end
   local function simpson(f, lo, hi)
      local n, h = 2000, (hi - lo) / 2000
      local acc = f(lo) + f(hi)
      for k = 1, n - 1 do acc = acc + (k % 2 == 1 and 4 or 2) * f(lo + k * h) end
      return acc * h / 3
   end
   local function lik(x, from)
      local rx = r + x
      local function f(u) return (al + A(u)) ^ -rx * (be + u) ^ -(sh + 1) end
      local int = 0
      for _, p in ipairs { { from, math.max(from, b1) }, { math.max(from, b1), b2 }, { b2, TT } } do
         if p[2] > p[1] then int = int + simpson(f, p[1], p[2]) end
      end
      return al ^ r * be ^ sh * ((al + A(TT)) ^ -rx * (be + TT) ^ -sh + sh * int)
   end
   near(each[1], math.log(lik(0, 0)), 1e-10, "no repeat purchase")
   -- Gamma(r+1)/Gamma(r) = r; the purchase in February: rate factor e
   near(each[2], math.log(r * e * lik(1, t1)), 1e-10, "a purchase at 1 + 5/28")
   near(got, each[1] + each[2], 1e-12)
   -- weekly periods in a monthly summary overlap: refused
   local wk = cv.parse_csv("Id,Cov.Date,z\n1,2005-01-01,0\n1,2005-01-08,1\n")
   T.raises("covariate periods 1 and 2 overlap", dyncov.loglik, sm, { trans = "z",
      dynamic = { covariates = wk, transactions = tr } }, { r, al, sh, be, g })
end)

T.report()
