-- Tests of the Gamma-Gamma with covariates on the spend scale (cv.fit("gamma_gamma", s,
-- {spend = {...}}), gamma_i = gamma exp(g'z_i); docs/models.md, "Gamma-Gamma with
-- covariates"): the apparel fit's LL against the density summed here in plain Lua (its own
-- log-gamma: no code shared with the core); the nested fit and the likelihood-ratio test;
-- each customer's expected spend and CLV against the formula at the customer's own gamma_i;
-- the refusals. The recovery of simulated coefficients and the gradient are checked in C
-- (tests/unit/test_ggcov.c).
local T = require "cv.testing"
local test, eq, near, ok, raises = T.test, T.eq, T.near, T.ok, T.raises

local A = require "tests.lua.cov_data"
local s, sc = A.summary, A.with_cov
local COV = { spend = { "Gender", "Channel" }, quiet = true }
local gg = cv.fit("gamma_gamma", sc, COV)
local gg0 = cv.fit("gamma_gamma", sc, { quiet = true })

-- the Gamma-Gamma density of the mean spend of x > 0 transactions at each customer's
-- gamma_i = gamma exp(g'z_i), summed over t's customers (plain Lua: tests/lua/ref.lua)
local ref = require "tests.lua.ref"
local function gg_ll(m, t) return ref.gg_loglik(m.params, t, COV.spend) end

test("apparel gamma_gamma + spend covariates: LL equals the density summed here", function()
   eq(gg.names, { "p", "q", "gamma", "spend.Gender", "spend.Channel" })
   near(gg.n_obs, 293, 0) -- the customers with a repeat transaction
   near(gg.loglik, gg_ll(gg, sc), 1e-11)
   ok(gg.se_ok and gg.se["spend.Gender"] > 0 and gg.se["spend.Channel"] > 0)
   eq(gg.covariates[1].proc, "spend")
   near(gg.covariates[2].estimate, gg.params["spend.Channel"], 0)
end)

test("the nested fit is the plain Gamma-Gamma; LR test with 2 df", function()
   near(gg.loglik0, gg0.loglik, 0)
   ok(gg.loglik >= gg0.loglik)
   local t = gg:lr_test()
   eq(t.df, 2)
   near(t.statistic, 2 * (gg.loglik - gg0.loglik), 1e-12)
   local t2 = cv.lr_test(gg, gg0)
   near(t2.p_value, t.p_value, 1e-12)
   -- 2 df: the chi-square tail is exp(-stat/2)
   near(t.p_value, math.exp(-t.statistic / 2), 1e-12)
   -- one coefficient dropped: nested too
   local g1 = cv.fit("gamma_gamma", sc, { spend = "Gender", quiet = true })
   eq(gg:lr_test(g1).df, 1)
end)

test("each customer's expected spend and CLV use their own gamma_i", function()
   local p = gg.params
   local sp = gg:spend(sc)
   local X, Mn = sc:col("x"):totable(), sc:col("mean_repeat_spend"):totable()
   local G, C = sc:col("Gender"):totable(), sc:col("Channel"):totable()
   local got = sp:col("spend"):totable()
   for i = 1, #X, 37 do
      local gi = p.gamma * math.exp(p["spend.Gender"] * G[i] + p["spend.Channel"] * C[i])
      local want = X[i] > 0 and p.p * (gi + X[i] * Mn[i]) / (p.p * X[i] + p.q - 1)
         or p.p * gi / (p.q - 1)
      near(got[i], want, 1e-12, "row " .. i)
   end
   -- a record with the covariates; x = 0: the population mean of its group, e^g apart
   local w0 = gg:spend({ x = 0, m = 0, Gender = 0, Channel = 0 })
   local w1 = gg:spend({ x = 0, m = 0, Gender = 1, Channel = 0 })
   near(w1 / w0, math.exp(p["spend.Gender"]), 1e-12)
   raises("Gender", gg.spend, gg, { x = 1, m = 20 })
   -- CLV: the spend column is gg:spend's, with and without covariates on the transactions
   local bg = cv.fit("bgnbd", sc, { quiet = true })
   local pn = cv.fit("pareto_nbd", sc, { trans = { "Gender", "Channel" }, quiet = true })
   for _, m in ipairs { bg, pn } do
      local c = m:clv(sc, { spend = gg, margin = 0.3 })
      local cs, dtx, clv = c:col("spend"):totable(), c:col("dtx"):totable(), c:col("clv"):totable()
      for i = 1, #cs, 41 do
         near(cs[i], got[i], 1e-14, "clv spend row " .. i)
         near(clv[i], dtx[i] * got[i] * 0.3, 1e-12, "clv row " .. i)
      end
      -- against the plain spend model: another spend, the same dtx
      local c0 = m:clv(sc, { spend = gg0, margin = 0.3 })
      near(c0:col("dtx"):totable()[5], dtx[5], 1e-14)
   end
   -- one customer: the record's covariates
   local rec = { x = 2, t_x = 30, T = 40, m = 50, Gender = 1, Channel = 1 }
   local v = bg:clv(rec, { spend = gg, margin = 0.3 })
   local dtx1 = bg:clv(rec, { spend = 1 }) -- value 1 per transaction: the dtx
   near(v, dtx1 * gg:spend(rec) * 0.3, 1e-12)
   local gi = p.gamma * math.exp(p["spend.Gender"] + p["spend.Channel"])
   near(gg:spend(rec), p.p * (gi + 2 * 50) / (2 * p.p + p.q - 1), 1e-12)
end)

test("refusals: another model's covariate options, reg, intervals", function()
   raises("gamma_gamma takes covariates through option spend, not 'trans'", cv.fit,
      "gamma_gamma", sc, { trans = "Gender", quiet = true })
   raises("bgnbd takes covariates through option trans, life, constrain, not 'spend'", cv.fit,
      "bgnbd", sc, { spend = "Gender", quiet = true })
   raises("no covariates %(options trans, life, constrain, spend%)", cv.fit, "sbg", sc,
      { spend = "Gender", quiet = true })
   raises("option 'reg' takes the keys spend for this model, not 'trans'", cv.fit,
      "gamma_gamma", sc,
      { spend = "Gender", reg = { trans = 1 }, quiet = true })
   raises("unknown column", cv.fit, "gamma_gamma", sc, { spend = "Gendr", quiet = true })
   local bg = cv.fit("bgnbd", sc, { quiet = true })
   raises("no asymptotic interval for bgnbd: the fit has no covariance of its parameters "
      .. "%(status boundary%); try", bg.clv, bg, sc, { spend = gg, interval = 0.9 })
   -- one parameter vector for everyone: refused rather than the first three values used
   raises("not available for a model with covariates", cv.simulate_transactions, bg, 10,
      { spend = gg })
end)

test("the profile likelihood of a spend coefficient, with a renamed spend column", function()
   local r = sc:add("avg", function(row) return row.mean_repeat_spend end, "float")
      :select { "customer", "x", "avg", "Gender", "Channel" } -- no mean_repeat_spend
   local g2 = cv.fit("gamma_gamma", r, { spend = { "Gender", "Channel" }, m = "avg",
      quiet = true })
   near(g2.loglik, gg.loglik, 1e-12)
   local pr = g2:profile("spend.Gender", { g2.params["spend.Gender"], 0 })
   local ll = pr:col("loglik"):totable()
   near(ll[1], g2.loglik, 1e-9)
   -- at 0: the model with Channel alone, fitted directly
   local g1 = cv.fit("gamma_gamma", r, { spend = "Channel", m = "avg", quiet = true })
   near(ll[2], g1.loglik, 1e-9)
end)

T.report()
