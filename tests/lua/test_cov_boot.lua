-- Tests of the bootstrap intervals of models with covariates (docs/models.md, "Intervals";
-- src/core/model_cov_boot.c, model_interval.c) through the public face: a BG/NBD with a 0/1
-- covariate on both processes and a Gamma-Gamma with it on the spend scale, drawn from known
-- parameters: CLV's bootstrap interval holds the point CLV's total, the same seed gives the
-- same numbers, each parameter's and coefficient's interval holds its estimate; a penalized
-- fit is still refused. The refits' C (weights, warm start, failures) is tested in
-- tests/unit/test_cov_boot.c.
-- memcheck: skip (40 refits of two covariate fits; tests/unit/test_cov_boot.c covers the C)
local T = require "cv.testing"
local test, eq, near, ok, raises = T.test, T.eq, T.near, T.ok, T.raises

local n = 600
local lev, ages = {}, {}
for i = 1, n do lev[i], ages[i] = i % 2, 26 + i % 14 end
local c = cv.table { { "level", lev } }
local tx = cv.simulate({ model = "bgnbd", r = 0.8, alpha = 6, a = 0.7, b = 2.5,
   ["trans.level"] = 0.6, ["life.level"] = -0.5 }, n, { covariates = c, T = ages, seed = 3 })
local sp = cv.simulate({ model = "gamma_gamma", p = 6.25, q = 3.74, gamma = 15.44,
   ["spend.level"] = 0.4 }, n, { covariates = c, x = tx:col("x"):totable(), seed = 4 })
local s = cv.table { { "x", tx:col("x"):totable(), "int" },
   { "t_x", tx:col("t_x"):totable(), "float" }, { "T", tx:col("T"):totable(), "float" },
   { "mean_repeat_spend", sp:col("mean_repeat_spend"):totable(), "float", n = n },
   { "level", lev, "int" } }
local m = cv.fit("bgnbd", s, { trans = "level", life = "level", unit = "week", quiet = true })
local gg = cv.fit("gamma_gamma", s, { spend = "level", quiet = true })

test("CLV's bootstrap interval with both models' covariates, seeded", function()
   local o = { spend = gg, margin = 0.3, horizon = 52, interval = 0.9, method = "bootstrap",
      draws = 20, seed = 3 }
   local point = m:clv(s, { spend = gg, margin = 0.3, horizon = 52 })
   local sum = 0
   for _, v in ipairs(point:col("clv"):totable()) do sum = sum + v end
   local t1, tot1 = m:clv(s, o)
   local _, tot2 = m:clv(s, o)
   near(tot1:col("estimate")[1], sum, 1e-9 * sum)
   ok(tot1:col("lo")[1] < sum and sum < tot1:col("hi")[1], "the total's interval holds it")
   eq(tot2:col("lo")[1], tot1:col("lo")[1])
   eq(tot2:col("hi")[1], tot1:col("hi")[1])
   o.seed = 4
   local _, tot3 = m:clv(s, o)
   ok(tot3:col("lo")[1] ~= tot1:col("lo")[1], "another seed, another interval")
   -- every customer's interval holds their CLV
   local v, lo, hi = t1:col("clv"), t1:col("clv_lo"), t1:col("clv_hi")
   for i = 1, n do ok(lo[i] <= v[i] and v[i] <= hi[i], "customer " .. i) end
end)

test("the parameters' and coefficients' bootstrap intervals hold the estimates", function()
   for _, mod in ipairs { m, gg } do
      local pt = mod:params_table { interval = 0.9, method = "bootstrap", draws = 20, seed = 1 }
      local names = { table.unpack(mod.names) }
      names.n = #mod.names
      eq(pt:col("param"):totable(), names)
      for i = 1, #mod.names do
         ok(pt:col("lo")[i] < mod.values[i] and mod.values[i] < pt:col("hi")[i], mod.names[i])
      end
   end
   eq(m.names[5], "trans.level")
   eq(gg.names[4], "spend.level")
end)

test("a penalized fit with covariates: still no bootstrap", function()
   local mp = cv.fit("bgnbd", s, { trans = "level", life = "level", reg = { trans = 0.1 },
      unit = "week", quiet = true })
   raises("bootstrap", mp.p_alive, mp, s, { interval = 0.9, method = "bootstrap", draws = 4 })
end)

T.report()
