-- memcheck: skip (an apparel fit, its profile and intervals over 250 customers; the C paths,
-- cv_dyncov_intervals, cv_dyncov_profile and the PMFs, are tests/unit/test_dyncov_interval.c's
-- and tests/unit/test_dyncov_pmf.c's, run under memcheck)
-- Tests of what the Pareto/NBD with time-varying covariates adds to its predictions
-- (lua/cv/dyncov.lua through cv.core.dyncov): asymptotic intervals on P(alive), the conditional
-- expectation, DERT and CLV, which with the coefficient 0 and no variance of it are the
-- Pareto/NBD's intervals with the same seed (1e-9); the profile likelihood, at 0 the fit
-- without the covariate; a new customer's PMF and expectation along a path of covariates and
-- the conditional PMF, the time-invariant model's with constant covariates (1e-9); the
-- options' refusals; the bootstrap with refits: refused when too many fail at the fence,
-- seeded and the estimate inside with a penalty.
local T = require "cv.testing"
local test, eq, ok, near, raises = T.test, T.eq, T.ok, T.near, T.raises

local D = (os.getenv("CVKIT_DATA") or "../shared/data") .. "/"
local s = cv.summary_csv(D .. "apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", unit = "week", calibration_end = "2005-10-08", quiet = true })
local tx = cv.read_csv(D .. "apparelTrans.csv")
local dc = cv.read_csv(D .. "apparelDynCov.csv")
local m = cv.fit("pareto_nbd", s, { trans = { "High.Season" }, quiet = true,
   dynamic = { covariates = dc, transactions = tx } })
local P = { r = 0.8, alpha = 5, s = 0.9, beta = 9 }

-- the fit's model at the parameters P and the coefficient g, with the covariance cov4 of the
-- log-parameters and the coefficient's variance var (none with it); the Pareto/NBD at P with
-- cov4
local cov4 = { 0.04, 0.01, 0.01, 0.01, 0.01, 0.04, 0.01, 0.01, 0.01, 0.01, 0.04, 0.01,
   0.01, 0.01, 0.01, 0.04 }
local function at(g, var)
   local c = {}
   for a = 1, 5 do
      for b = 1, 5 do
         c[(a - 1) * 5 + b] = (a <= 4 and b <= 4) and cov4[(a - 1) * 4 + b]
            or (a == 5 and b == 5 and var or 0)
      end
   end
   return setmetatable({ values = { P.r, P.alpha, P.s, P.beta, g }, cov_log = c },
      { __index = m })
end
local st = setmetatable({ cov_log = cov4, loglik = -1 },
   { __index = cv.model("pareto_nbd", P, { unit = "week" }) })

local close = T.near_all -- columns, element by element, the worst difference said

test("intervals: the coefficient 0 without variance gives the Pareto/NBD's", function()
   local m0 = at(0, 1e-30)
   local o = { interval = 0.9, draws = 300, seed = 11 }
   local function same(a, ta, b, tb, k, what)
      what = what or k
      close(a:col(k .. "_lo"), b:col(k .. "_lo"), 1e-9, what .. ": lo")
      close(a:col(k .. "_hi"), b:col(k .. "_hi"), 1e-9, what .. ": hi")
      close(ta:col("lo"), tb:col("lo"), 1e-9, what .. ": total lo")
      close(ta:col("hi"), tb:col("hi"), 1e-9, what .. ": total hi")
      eq(ta:col("prediction")[1], k)
   end
   local a, ta = m0:p_alive(s, o)
   local b, tb = st:p_alive(s, o)
   same(a, ta, b, tb, "p_alive")
   a, ta = m0:conditional(s, 26, { interval = 0.9, draws = 300, seed = 11, future = "last" })
   b, tb = st:conditional(s, 26, o)
   same(a, ta, b, tb, "conditional")
   a, ta = m0:conditional(s, 6, { interval = 0.9, draws = 300, seed = 11, dynamic = dc })
   b, tb = st:conditional(s, 6, o)
   same(a, ta, b, tb, "conditional", "conditional given the covariate table")
   a, ta = m0:dert(s, { interval = 0.9, draws = 300, seed = 11, future = "last" })
   b, tb = st:dert(s, o)
   same(a, ta, b, tb, "dert")
   a, ta = m0:clv(s, { interval = 0.9, draws = 300, seed = 11, future = "last", spend = 20,
      margin = 0.3 })
   b, tb = st:clv(s, { interval = 0.9, draws = 300, seed = 11, spend = 20, margin = 0.3 })
   same(a, ta, b, tb, "clv")
   -- CLV with a Gamma-Gamma spend: its parameters drawn after the four, as the static
   -- model's (the coefficient's draw last), so the same seed gives the same draws
   local gg = cv.fit("gamma_gamma", s, { quiet = true })
   a, ta = m0:clv(s, { interval = 0.9, draws = 300, seed = 11, future = "last", spend = gg,
      margin = 0.3 })
   b, tb = st:clv(s, { interval = 0.9, draws = 300, seed = 11, spend = gg, margin = 0.3 })
   close(a:col("clv"), b:col("clv"), 1e-9, "clv with gg")
   same(a, ta, b, tb, "clv", "clv with the spend model's parameters drawn")
   -- the same point CLV with the expected spend held fixed: another interval (spend drawn)
   local sg = s:add("gs", gg:spend(s):col("spend"):totable(), "float")
   local _, tf = m0:clv(sg, { interval = 0.9, draws = 300, seed = 11, future = "last",
      spend = "gs", margin = 0.3 })
   T.near(tf:col("estimate")[1], ta:col("estimate")[1], 1e-9 * ta:col("estimate")[1])
   ok(tf:col("hi")[1] ~= ta:col("hi")[1], "spend drawn")
   -- m:predict with interval and n: the same path as the static model's
   local path = cv.table { { "High.Season", { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 1, 1 } } }
   a, ta = m0:predict(s, { interval = 0.9, draws = 300, seed = 11, future = "last",
      discount = 0.15, horizon = 26, n = 2, path = path })
   b, tb = st:predict(s, { interval = 0.9, draws = 300, seed = 11, discount = 0.15,
      horizon = 26, n = 2 })
   eq(table.concat(a:names(), ","), table.concat(b:names(), ","), "the columns")
   close(a:col("p_2"), b:col("p_2"), 1e-10, "p_2")
   for j, k in ipairs { "p_alive", "conditional", "dert" } do
      close(a:col(k), b:col(k), 1e-9, "m:predict " .. k)
      close(a:col(k .. "_lo"), b:col(k .. "_lo"), 1e-9, "m:predict " .. k .. ": lo")
      close(a:col(k .. "_hi"), b:col(k .. "_hi"), 1e-9, "m:predict " .. k .. ": hi")
      eq(ta:col("prediction")[j], k)
      T.near(ta:col("lo")[j], tb:col("lo")[j], 1e-9 * tb:col("lo")[j], k .. ": total lo")
      T.near(ta:col("hi")[j], tb:col("hi")[j], 1e-9 * tb:col("hi")[j], k .. ": total hi")
   end
   raises("needs a new customer's covariates: option path", function()
      m0:predict(s, { future = "last", n = 2 })
   end)
   raises("did you mean 'path'", function() m0:predict(s, { future = "last", n = 2, pth = path }) end)
end)

test("intervals of the fit: the estimate inside, seeded, strict options", function()
   local o = { interval = 0.8, draws = 200, seed = 5, future = "last" }
   local a, ta = m:conditional(s, 26, o)
   local b = m:conditional(s, 26, o)
   local v, lo, hi = a:col("conditional"), a:col("conditional_lo"), a:col("conditional_hi")
   for i = 1, #v do ok(lo[i] <= v[i] + 1e-12 and v[i] <= hi[i] + 1e-12, i) end
   close(lo, b:col("conditional_lo"), 0, "the same seed")
   local sum = 0
   for i = 1, #v do sum = sum + v[i] end
   near(ta:col("estimate")[1], sum, 1e-9)
   raises("did you mean 'bootstrap'", function()
      m:p_alive(s, { interval = 0.9, method = "bootstrp" })
   end)
   raises("did you mean 'draws'", function() m:p_alive(s, { interval = 0.9, draw = 10 }) end)
   raises("needs the covariates over the prediction period", function()
      m:conditional(s, 10, { interval = 0.9 })
   end)
end)

test("profile: at the estimate the fit's LL, at 0 the fit without the covariate", function()
   local g = m.values[5]
   local p = m:profile("trans.High.Season", { g, 0, g + 0.5 })
   local ll = p:col("loglik")
   near(ll[1], m.loglik, 1e-6)
   near(ll[2], m.loglik0, 1e-5)
   ok(ll[3] < m.loglik)
   near(p:col("deviance")[2], 2 * (m.loglik - m.loglik0), 1e-4)
   raises("did you mean 'trans.High.Season'", function() m:profile("trans.High.Seasn", { 0 }) end)
end)

test("a new customer and the conditional PMF: constant covariates give the Pareto/NBD's", function()
   local g = 0.7
   local m1 = at(g, 1)
   local one = {}
   for k = 1, 30 do one[k] = 1 end
   local path = cv.table { { "High.Season", one } }
   local st1 = cv.model("pareto_nbd", { r = P.r, alpha = P.alpha * math.exp(-g), s = P.s,
      beta = P.beta }, { unit = "week" })
   for n = 0, 5 do near(m1:pmf_new(20, n, { path = path }), st1:pmf_new(20, n), 1e-9) end
   near(m1:expected_new(20, { path = path }), st1:expected_new(20), 1e-9)
   -- a season: the PMF sums to 1, its mean the expectation
   local season = {}
   for k = 1, 30 do season[k] = (k // 5) % 2 end
   local sp, sum, mean = cv.table { { "High.Season", season } }, 0, 0
   for n = 0, 250 do
      local q = m1:pmf_new(20, n, { path = sp })
      sum, mean = sum + q, mean + n * q
   end
   near(sum, 1, 1e-9)
   near(mean, m1:expected_new(20, { path = sp }), 1e-8)
   -- the conditional PMF with the coefficient 0
   local m0 = at(0, 1)
   local st0 = cv.model("pareto_nbd", P, { unit = "week" })
   for _, n in ipairs { 0, 2 } do
      close(m0:pmf(s, 13, n, { future = "last" }):col("pmf_" .. n),
         st0:pmf(s, 13, n):col("pmf_" .. n), 1e-9, "pmf " .. n)
   end
   raises("one row per time unit", function() m1:pmf_new(20, 1) end)
   raises("did you mean 'path'", function() m1:pmf_new(20, 1, { paht = path }) end)
   raises("do not cover the first purchase to t = 40", function()
      m1:pmf_new(40, 1, { path = path })
   end)
end)

-- Apparel's dropout side is barely identified: 7 of 40 refits run s or beta to the fence and
-- fail. A 90% interval of 40 draws holds at most 1 failed draw (floor(39 * 0.05): beyond each
-- end lie 1.95 draws), so it is refused, naming the count, in English and in Chinese.
test("bootstrap P(alive) on apparel: refused, too many refits at the fence", function()
   local o = { interval = 0.9, method = "bootstrap", draws = 40, seed = 3 }
   local okk, msg = pcall(m.p_alive, m, s, o)
   ok(not okk)
   msg = tostring(msg)
   ok(msg:find("7 of 40 bootstrap refits failed (not converged or at the fence); a 90% "
      .. "interval of 40 draws holds at most 1", 1, true), msg)
   ok(msg:find('try method = "asymptotic" or a penalty', 1, true), msg)
   local zh = require("cv.i18n").message(msg:match("intervals: .*$"), "zh")
   ok(zh:find("7 次（共 40 次）bootstrap 重新拟合失败", 1, true), zh)
   ok(zh:find("90% 区间在 40 次抽样中至多容纳 1 次失败", 1, true), zh)
end)

-- With the penalty on the log-parameters (penalizer = 0.01) the fit is interior and every
-- refit converges: the interval is the plain percentile interval, seeded.
test("bootstrap DERT with a penalty: every refit, seeded, the estimate inside, strict", function()
   local mp = cv.fit("pareto_nbd", s, { trans = { "High.Season" }, quiet = true,
      penalizer = 0.01, dynamic = { covariates = dc, transactions = tx } })
   local o = { interval = 0.8, method = "bootstrap", draws = 20, seed = 4, future = "last" }
   local a, ta = mp:dert(s, o)
   local b, tb = mp:dert(s, o)
   local e, l, h = ta:col("estimate")[1], ta:col("lo")[1], ta:col("hi")[1]
   ok(l < e and e < h, string.format("%g %g %g", l, e, h))
   eq(tb:col("lo")[1], l)
   eq(tb:col("hi")[1], h)
   local v, lo, hi = a:col("dert"), a:col("dert_lo"), a:col("dert_hi")
   for i = 1, #v do ok(lo[i] <= v[i] + 1e-12 and v[i] <= hi[i] + 1e-12, i) end
   eq(#b:col("dert_lo"), #v)
   raises("did you mean 'seed'", function()
      mp:dert(s, { interval = 0.8, method = "bootstrap", sed = 4, future = "last" })
   end)
   -- CLV with a Gamma-Gamma spend: both fits' customers resampled and refitted
   local gg = cv.fit("gamma_gamma", s, { quiet = true })
   local o2 = { interval = 0.8, method = "bootstrap", draws = 10, seed = 4, future = "last",
      horizon = 26, spend = gg, margin = 0.3 }
   local c1, t1 = mp:clv(s, o2)
   local _, t2 = mp:clv(s, o2)
   e, l, h = t1:col("estimate")[1], t1:col("lo")[1], t1:col("hi")[1]
   ok(l < e and e < h, string.format("%g %g %g", l, e, h))
   eq(t2:col("hi")[1], h)
   T.near(e, c1:col("clv"):sum(), 1e-9 * e)
end)

T.report()
