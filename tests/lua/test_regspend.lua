-- Tests of reg = {spend = lambda}, the L2 penalty on the Gamma-Gamma's spend coefficients
-- (docs/models.md, "Regularised fits"), on apparel (the 293 customers with a repeat
-- transaction in the 40 weeks, Gender and Channel on the spend scale): lambda 0 is the
-- unpenalized fit bit for bit; the penalized objective is -LL/N + lambda (g1^2 + g2^2) with
-- the LL summed here; larger lambdas shrink the coefficients towards 0 monotonically; print
-- and the record say which penalty was used; the refusals. The gradient is checked in C
-- (tests/unit/test_regspend.c).
local T = require "cv.testing"
local test, eq, near, ok, raises = T.test, T.eq, T.near, T.ok, T.raises

local A = require "tests.lua.cov_data"
local s, sc = A.summary, A.with_cov
local function fit(o)
   o.spend, o.quiet = { "Gender", "Channel" }, true
   return cv.fit("gamma_gamma", sc, o)
end
local ml = fit {}

test("reg = {spend = 0} is the unpenalized fit, bit for bit", function()
   local m0 = fit { reg = { spend = 0 } }
   for i = 1, #ml.values do eq(m0.values[i], ml.values[i]) end
   eq(m0.loglik, ml.loglik)
   eq(m0.penalty.spend, 0)
   ok(not require("cv.covariates").penalized(m0))
end)

test("a larger reg.spend shrinks the coefficients towards 0, monotonically", function()
   local prev, prevll = math.huge, math.huge
   for _, lam in ipairs { 0, 0.001, 0.01, 0.1, 1, 100 } do
      local m = fit { reg = { spend = lam } }
      local g, c = m.params["spend.Gender"], m.params["spend.Channel"]
      local ss = g * g + c * c
      ok(ss < prev, string.format("lambda %g: sum of squares %.3g after %.3g", lam, ss, prev))
      ok(m.loglik <= prevll + 1e-9, "the LL falls as lambda grows")
      prev, prevll = ss, m.loglik
      if lam == 0 then
         near(g, 0.09155, 1e-4) -- the maximum-likelihood values of the walkthrough
      elseif lam == 100 then
         ok(math.abs(g) < 1e-3 and math.abs(c) < 1e-3, string.format("%.3g %.3g", g, c))
      end
      if lam > 0 then -- the minimized objective is -LL/N + the penalty
         near(m.objective, -m.loglik / m.n_obs + lam * ss, 1e-12)
      end
   end
end)

test("print and the report say which penalty was used", function()
   local m = fit { reg = { spend = 0.5 } }
   eq(m.penalty.spend, 0.5)
   ok(tostring(m):find("L2 penalty lambda spend 0.5", 1, true), tostring(m))
   eq(require("cv.covariates").penalty_lines(m), { "L2 penalty lambda spend 0.5" })
   local i18n = require "cv.i18n"
   i18n.set_lang("zh")
   local zh = tostring(m)
   i18n.set_lang("en")
   ok(zh:find("L2 惩罚 lambda spend 0.5", 1, true), zh)
   raises("likelihood%-ratio test compares maximum%-likelihood fits", m.lr_test, m)
end)

test("refusals: spend on the transaction models, trans on the spend model, no covariates",
   function()
   raises("option 'reg' takes the keys trans, life for this model, not 'spend'", cv.fit,
      "pareto_nbd", sc, { trans = "Gender", reg = { spend = 1 }, quiet = true })
   raises("option 'reg' takes the keys spend for this model, not 'life'", fit,
      { reg = { life = 1 } })
   raises("option 'reg.spend' must be a number >= 0", fit, { reg = { spend = -1 } })
   raises("has no covariates", cv.fit, "gamma_gamma", sc, { reg = { spend = 1 }, quiet = true })
end)

T.report()
