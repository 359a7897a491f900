-- Tests of the predictions of the Pareto/NBD with time-varying covariates
-- (src/core/model_dyncov_predict.c, cv_dyncov_p_alive and cv_dyncov_expected, through
-- cv.core.dyncov and m:p_alive / m:conditional): against the time-invariant Pareto/NBD's
-- closed forms where the covariates do not change (coefficients 0; covariates constant in
-- time, each customer at their own parameters), the limit s = 1, and customers simulated
-- here with a season covariate on both processes (the alive share at T and the holdout
-- purchases against the predictions at the true parameters).
local T = require "cv.testing"
local test, near, ok, raises = T.test, T.near, T.ok, T.raises
local core = require "cv.core.dyncov"
local dyncov = require "cv.dyncov"
local sim = require "tests.lua.dyncov_sim"

local D = (os.getenv("CVKIT_DATA") or "../shared/data") .. "/"
local s = cv.summary_csv(D .. "apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", unit = "week", calibration_end = "2005-10-08", quiet = true })
local tx = cv.read_csv(D .. "apparelTrans.csv")
local dc = cv.read_csv(D .. "apparelDynCov.csv")
local DYN = { covariates = dc, transactions = tx }
local X, TX, TT = s:col("x"):totable(), s:col("t_x"):totable(), s:col("T"):totable()
local n = #X

-- the future arrays of cv.core.dyncov: one period (T, T+t] per customer, covariates z
local function one_period(t, z, ncov)
   local f = { nper = {}, pstart = {}, pend = {}, z = {} }
   for i = 1, n do
      f.nper[i], f.pstart[i], f.pend[i] = 1, TT[i], TT[i] + t
      for _ = 1, ncov do f.z[#f.z + 1] = z end
   end
   return f
end

test("coefficients 0: the Pareto/NBD's P(alive) and conditional expectation", function()
   -- interior parameters (apparel's fit without covariates runs to the boundary, s and beta
   -- near 1e6, where both closed forms agree only to 2e-9)
   local m0 = cv.model("pareto_nbd", { r = 0.8, alpha = 5, s = 0.9, beta = 9 }, { unit = "week" })
   local three = { "High.Season", "Gender", "Channel" }
   local a = dyncov.arrays(s, { trans = three, life = three, dynamic = DYN })
   local th = { math.log(0.8), math.log(5), math.log(0.9), math.log(9), 0, 0, 0, 0, 0, 0 }
   local pa = core.p_alive(a, th)
   local e = core.expected(a, th, one_period(26, 1, 3), 26)
   local want_pa = m0:p_alive(s):col("p_alive"):totable()
   local want_e = m0:conditional(s, 26):col("conditional"):totable()
   for i = 1, n do
      near(pa[i], want_pa[i], 1e-10, "p_alive " .. i)
      near(e[i], want_e[i], 1e-9, "conditional " .. i)
   end
end)

test("covariates constant in time: each customer's own time-invariant Pareto/NBD", function()
   -- Gender and Channel never change within a customer in apparel
   local m = cv.fit("pareto_nbd", s, { trans = { "Gender", "Channel" }, life = { "Gender" },
      dynamic = DYN, quiet = true })
   -- the fit runs s and beta to about 1e6 (the flat dropout side of apparel), where the closed
   -- forms agree only to 1e-9: the identity holds at any point, so the check is at an interior
   -- one (the predictions use m.values)
   m.values = { 0.8, 5, 0.9, 9, 0.3, -0.4, 0.5 }
   local v = m.values -- r, alpha, s, beta, trans.Gender, trans.Channel, life.Gender
   local g, ch = {}, {}
   local id, gc, cc = dc:col("Id"):totable(), dc:col("Gender"):totable(),
      dc:col("Channel"):totable()
   for j = 1, #id do g[id[j]], ch[id[j]] = gc[j], cc[j] end
   local pa = m:p_alive(s):col("p_alive"):totable()
   local e = m:conditional(s, 30, { dynamic = dc }):col("conditional"):totable()
   local cust = s:col("customer"):totable()
   for i = 1, n do
      local c = cust[i]
      local mi = cv.model("pareto_nbd", { r = v[1], alpha = v[2] * math.exp(-v[5] * g[c]
         - v[6] * ch[c]), s = v[3], beta = v[4] * math.exp(-v[7] * g[c]) }, { unit = "week" })
      local who = { x = X[i], t_x = TX[i], T = TT[i] }
      near(pa[i], mi:p_alive(who), 1e-10, "p_alive " .. c)
      near(e[i], mi:conditional(who, 30), 1e-9, "conditional " .. c)
   end
end)

test("s = 1: the log form, continuous with its neighbours", function()
   local a = dyncov.arrays(s, { trans = { "High.Season" }, life = { "High.Season" },
      dynamic = DYN })
   local f = { nper = {}, pstart = {}, z = {} } -- 4 weeks, season 1, 0, 1, 0
   for i = 1, n do
      f.nper[i] = 4
      for k = 0, 3 do
         f.pstart[#f.pstart + 1] = TT[i] + k
         f.z[#f.z + 1] = (k + 1) % 2
      end
   end
   local function at(sh)
      return core.expected(a, { math.log(0.8), math.log(5), math.log(sh), math.log(9), 0.6,
         -0.4 }, f, 4)
   end
   local e1, lo, hi = at(1), at(1 - 1e-7), at(1 + 1e-7)
   for i = 1, n, 97 do
      ok(e1[i] > 0, "positive")
      near(e1[i], (lo[i] + hi[i]) / 2, 1e-9, "customer " .. i)
   end
end)

-- simulated customers (tests/lua/dyncov_sim.lua, seeded): a season dummy on both processes;
-- customers arrive in weeks 0-26, the calibration ends at week 52, the holdout at week 78.
test("simulated customers with a season: alive share and holdout purchases", function()
   local r, al, sh, be, gt, gl = 0.9, 8, 0.7, 12, 0.8, 0.6
   local N, CAL, END = 20000, 52, 78
   local a, f, alive, future = sim.simulate { seed = 20261207, n = N, r = r, alpha = al, s = sh,
      beta = be, g_trans = gt, g_life = gl, cal = CAL, stop = END, proc = { "trans", "life" },
      col = { 1, 1 } }
   local th = { math.log(r), math.log(al), math.log(sh), math.log(be), gt, gl }
   local pa = core.p_alive(a, th)
   local e = core.expected(a, th, f, END - CAL)
   -- sums and the spread of the residuals: the truth within 4 standard errors
   local sa, spa, va, sf, se, vf = 0, 0, 0, 0, 0, 0
   for i = 1, N do
      local ai = alive[i] and 1 or 0
      sa, spa, va = sa + ai, spa + pa[i], va + (ai - pa[i]) ^ 2
      sf, se, vf = sf + future[i], se + e[i], vf + (future[i] - e[i]) ^ 2
   end
   ok(math.abs(sa - spa) <= 4 * math.sqrt(va), string.format("alive %d, predicted %.1f, se %.1f",
      sa, spa, math.sqrt(va)))
   ok(math.abs(sf - se) <= 4 * math.sqrt(vf), string.format(
      "holdout purchases %d, predicted %.1f, se %.1f", sf, se, math.sqrt(vf)))
   -- a wrong season effect on the future is seen: the season off over the holdout
   local f0 = { nper = f.nper, pstart = f.pstart, z = {} }
   for k = 1, #f.z do f0.z[k] = 0 end
   local e0, s0 = core.expected(a, th, f0, END - CAL), 0
   for i = 1, N do s0 = s0 + e0[i] end
   ok(math.abs(sf - s0) > 8 * math.sqrt(vf), string.format("without the season %.1f", s0))
end)

test("m:p_alive and m:conditional: the customers, the future periods, the refusals", function()
   local m = cv.fit("pareto_nbd", s, { trans = { "High.Season" }, life = { "High.Season" },
      dynamic = DYN, quiet = true })
   local p = m:p_alive(s)
   local some = s:filter(function(row) return row.x >= 3 end)
   local ps = m:p_alive(some):col("p_alive"):totable()
   local all, cust = {}, s:col("customer"):totable()
   for i, v in ipairs(p:col("p_alive"):totable()) do all[cust[i]] = v end
   for j, c in ipairs(some:col("customer"):totable()) do near(ps[j], all[c], 1e-14) end
   local e = m:conditional(s, 10, { dynamic = dc }):col("conditional"):totable()
   ok(e[1] > 0 and e[1] < 50, e[1])
   raises("needs the covariates over the prediction period", m.conditional, m, s, 10)
   local early = dc:filter(function(row) return tostring(row["Cov.Date"]) < "2005-11-01" end)
   raises("customer %d+: the covariate periods do not cover T = 39%.857", m.conditional, m, s, 10,
      { dynamic = early })
   raises("not for one record", m.p_alive, m, { x = 1, t_x = 2, T = 3 }, {})
   raises("time%-varying covariates", m.predict, m, s)
   raises("time%-varying covariates", m.clv, m, s, { unit = "week" })
   -- intervals need the fit's covariance: none at this boundary fit (test_dyncov_more.lua)
   raises("no asymptotic interval for pareto_nbd", m.p_alive, m, s, { interval = 0.9 })
   raises("did you mean 'dynamic'", m.conditional, m, s, 10, { dynamc = dc })
end)

-- The options of time-varying covariates (dynamic, future, path) are declared with every
-- prediction's; given to a model fitted without them they are refused, naming the option,
-- in both languages, never ignored (a season path given to a static model changed nothing).
test("a model without time-varying covariates refuses their options", function()
   local m0 = cv.model("pareto_nbd", { r = 0.8, alpha = 5, s = 0.9, beta = 9 }, { unit = "week" })
   local path = cv.table{ ["High.Season"] = { 1, 0 } }
   local want = "option %s is for a model fitted with time-varying covariates"
   T.raises_plain(want:format("path"), m0.pmf_new, m0, 10, 1, { path = path })
   T.raises_plain(want:format("path"), m0.expected_new, m0, 10, { path = path })
   T.raises_plain(want:format("dynamic"), m0.conditional, m0, s, 10, { dynamic = dc })
   T.raises_plain(want:format("future"), m0.dert, m0, s, { future = "last" })
   T.raises_plain(want:format("future"), m0.pmf, m0, s, 10, 1, { future = "last" })
   T.raises_plain(want:format("dynamic"), m0.clv, m0, s, { dynamic = dc })
   T.raises_plain(want:format("path"), m0.predict, m0, s, { path = path })
   -- the same calls without them still answer (the closed forms)
   near(m0:expected_new(10), m0:expected_new(10, {}), 0)
   local i18n = require "cv.i18n"
   i18n.set_lang("zh")
   local okk, msg = pcall(m0.pmf_new, m0, 10, 1, { path = path })
   i18n.set_lang(nil)
   ok(not okk and tostring(msg):find("选项 path 仅用于以时变协变量拟合的模型", 1, true), msg)
end)

T.report()
