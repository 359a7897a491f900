-- Tests of cv.simulate with covariates (docs/models.md, "Simulating customers with
-- covariates"): each customer drawn in C with their own parameters (alpha_i = alpha
-- exp(-g_trans'z_i), beta_i = beta exp(-g_life'z_i) for the Pareto/NBD; a_i, b_i = a, b
-- exp(g_life'z_i) for the BG/NBD; gamma_i = gamma exp(g_spend'z_i) for the Gamma-Gamma).
-- The mean repeat purchases of each covariate level against the closed-form E[X(T)] (the
-- Pareto/NBD's written out here; the BG/NBD's from cv.model at the level's own parameters),
-- the Gamma-Gamma's mean spend against p gamma_i / (q - 1); a simulate -> fit round trip;
-- seeds; coefficients of 0 give the draws of the model without covariates; the errors.
local T = require "cv.testing"
local test, eq, near, ok, raises = T.test, T.eq, T.near, T.ok, T.raises

-- a table of n customers: level = 0 for the first half, 1 for the second; z a standard
-- normal drawn by Lua's generator (seeded)
local function customers(n, seed)
   math.randomseed(seed)
   local lev, z = {}, {}
   for i = 1, n do
      lev[i] = i <= n // 2 and 0 or 1
      local u1, u2 = math.random(), math.random()
      z[i] = math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
   end
   return cv.table { { "level", lev }, { "z", z } }
end

-- the mean and the standard deviation of column c over rows lo..hi
local function mean_sd(t, c, lo, hi)
   local v, s, s2 = t:col(c):totable(), 0, 0
   for i = lo, hi do s, s2 = s + v[i], s2 + v[i] * v[i] end
   local k = hi - lo + 1
   local m = s / k
   return m, math.sqrt((s2 - k * m * m) / (k - 1))
end

local PN = { model = "pareto_nbd", r = 0.55, alpha = 10.6, s = 0.61, beta = 11.7,
   ["trans.level"] = 0.7, ["life.level"] = -0.5 }
local N = 200000 -- 100,000 per level

test("pareto_nbd: mean repeat purchases of each level = E[X(T)] within 4 standard errors",
   function()
   local c = customers(N, 1)
   local sim = cv.simulate(PN, N, { covariates = c, T = 39, seed = 7 })
   eq(sim:names(), { "x", "t_x", "T", "level" }) -- the coefficients' columns, once
   for lev = 0, 1 do
      local a = PN.alpha * math.exp(-PN["trans.level"] * lev)
      local b = PN.beta * math.exp(-PN["life.level"] * lev)
      -- E[X(t)] = r b / (a (s - 1)) (1 - (b / (b + t))^(s - 1))  (Fader & Hardie 2005)
      local ex = PN.r * b / (a * (PN.s - 1)) * (1 - (b / (b + 39)) ^ (PN.s - 1))
      local m, sd = mean_sd(sim, "x", lev * N // 2 + 1, (lev + 1) * N // 2)
      local se = sd / math.sqrt(N // 2)
      ok(math.abs(m - ex) < 4 * se,
         string.format("level %d: mean %.4f, E[X(T)] %.4f, se %.4f", lev, m, ex, se))
   end
end)

test("bgnbd: mean repeat purchases of each level = cv.model's E[X(T)] within 4 SE", function()
   local p = { model = "bgnbd", r = 0.24, alpha = 4.4, a = 0.79, b = 2.4,
      ["trans.level"] = 0.6, ["life.level"] = 0.8 }
   local c = customers(N, 2)
   local sim = cv.simulate(p, N, { covariates = c, T = 52, seed = 9 })
   for lev = 0, 1 do
      local e = math.exp(p["life.level"] * lev)
      local m1 = cv.model("bgnbd", { r = p.r, alpha = p.alpha * math.exp(-p["trans.level"] * lev),
         a = p.a * e, b = p.b * e }, { unit = "week" })
      local ex = m1:expected_new(52)
      local m, sd = mean_sd(sim, "x", lev * N // 2 + 1, (lev + 1) * N // 2)
      local se = sd / math.sqrt(N // 2)
      ok(math.abs(m - ex) < 4 * se,
         string.format("level %d: mean %.4f, E[X(T)] %.4f, se %.4f", lev, m, ex, se))
   end
end)

test("gamma_gamma: mean spend of each level = p gamma_i / (q - 1) within 4 SE", function()
   local p = { model = "gamma_gamma", p = 6.25, q = 3.74, gamma = 15.44, ["spend.level"] = 0.4 }
   local n = 100000
   local c = customers(n, 3)
   local sim = cv.simulate(p, n, { covariates = c, x = 1, seed = 4 })
   eq(sim:names(), { "x", "mean_repeat_spend", "level" })
   for lev = 0, 1 do
      local ex = p.p * p.gamma * math.exp(p["spend.level"] * lev) / (p.q - 1)
      local m, sd = mean_sd(sim, "mean_repeat_spend", lev * n // 2 + 1, (lev + 1) * n // 2)
      local se = sd / math.sqrt(n // 2)
      ok(math.abs(m - ex) < 4 * se,
         string.format("level %d: mean %.4f, E %.4f, se %.4f", lev, m, ex, se))
   end
end)

test("simulate -> fit recovers the parameters and coefficients within 4 SE", function()
   local truth = { model = "pareto_nbd", r = 0.55, alpha = 10.6, s = 0.61, beta = 11.7,
      ["trans.level"] = 0.7, ["trans.z"] = -0.3, ["life.level"] = -0.5 }
   local n = 20000
   local sim = cv.simulate(truth, n, { covariates = customers(n, 5), T = 52, seed = 11 })
   local m = cv.fit("pareto_nbd", sim, { trans = { "level", "z" }, life = "level",
      unit = "week", quiet = true })
   eq(m.names, { "r", "alpha", "s", "beta", "trans.level", "trans.z", "life.level" })
   ok(m.se_ok)
   for _, k in ipairs(m.names) do
      local d = math.abs(m.params[k] - truth[k])
      ok(d < 4 * m.se[k], string.format("%s: %.4f vs %.4f, se %.4f", k, m.params[k], truth[k],
         m.se[k]))
   end
   -- the fitted model simulates too: its covariates from the same table, same names
   local again = cv.simulate(m, n, { covariates = sim, T = 52, seed = 11 })
   eq(again:names(), { "x", "t_x", "T", "level", "z" })
end)

test("the same seed gives the same draws; coefficients of 0 give the plain model's", function()
   local c = customers(1000, 6)
   local a = cv.simulate(PN, 1000, { covariates = c, T = 30, seed = 5 })
   local b = cv.simulate(PN, 1000, { covariates = c, T = 30, seed = 5 })
   local d = cv.simulate(PN, 1000, { covariates = c, T = 30, seed = 6 })
   for _, col in ipairs { "x", "t_x" } do
      eq(a:col(col):totable(), b:col(col):totable())
   end
   ok(table.concat(a:col("x"):totable(), ",") ~= table.concat(d:col("x"):totable(), ","))
   local zero = { model = "pareto_nbd", r = PN.r, alpha = PN.alpha, s = PN.s, beta = PN.beta,
      ["trans.level"] = 0, ["life.level"] = 0 }
   local z0 = cv.simulate(zero, 1000, { covariates = c, T = 30, seed = 5 })
   local plain = cv.simulate({ model = "pareto_nbd", r = PN.r, alpha = PN.alpha, s = PN.s,
      beta = PN.beta }, 1000, { T = 30, seed = 5 })
   for _, col in ipairs { "x", "t_x", "T" } do
      eq(z0:col(col):totable(), plain:col(col):totable())
   end
end)

test("id = a column of covariates: the result's first column, the draws unchanged", function()
   local c = customers(50, 6)
   local ids = {}
   for i = 1, 50 do ids[i] = "cust" .. (1000 - i) end
   local who = cv.table { { "level", c:col("level"):totable() }, { "z", c:col("z"):totable() },
      { "customer", ids } }
   local a = cv.simulate(PN, 50, { covariates = who, T = 30, seed = 5, id = "customer" })
   local b = cv.simulate(PN, 50, { covariates = who, T = 30, seed = 5 })
   eq(a:names(), { "customer", "x", "t_x", "T", "level" }) -- z is no covariate of PN
   eq(b:names(), { "x", "t_x", "T", "level" })
   eq(table.concat(a:col("customer"):totable(), ","), table.concat(ids, ","))
   for _, col in ipairs { "x", "t_x", "level" } do
      eq(a:col(col):totable(), b:col(col):totable())
   end
   raises("cv.simulate: unknown column 'cutsomer' %(did you mean 'customer'%?%)", cv.simulate,
      PN, 50, { covariates = who, id = "cutsomer" })
   raises("option 'id' needs a model with covariate coefficients", cv.simulate,
      { model = "pareto_nbd", r = 1, alpha = 1, s = 1, beta = 1 }, 10, { id = "customer" })
end)

test("errors: a misnamed or missing covariate column, rows, coefficients, options", function()
   local c = customers(10, 8)
   local bad = cv.table { { "levle", c:col("level"):totable() } }
   raises("cv.simulate: unknown column 'level' %(did you mean 'levle'%?%)", cv.simulate, PN, 10,
      { covariates = bad })
   raises("pareto_nbd has covariates %(level%): give each customer's values with option "
      .. "covariates", cv.simulate, PN, 10, {})
   raises("12 customers asked and the covariates table has 10 rows", cv.simulate, PN, 12,
      { covariates = c })
   raises("'spend.level' is no coefficient of pareto_nbd", cv.simulate,
      { model = "pareto_nbd", r = 1, alpha = 1, s = 1, beta = 1, ["spend.level"] = 1 }, 10,
      { covariates = c })
   raises("option 'covariates' needs a model with covariate coefficients", cv.simulate,
      { model = "pareto_nbd", r = 1, alpha = 1, s = 1, beta = 1 }, 10, { covariates = c })
   raises("option 'T' has 2 values for 10 customers", cv.simulate, PN, 10,
      { covariates = c, T = { 1, 2 } })
   raises("row 1: T = %-1 must be a finite number >= 0", cv.simulate, PN, 10,
      { covariates = c, T = -1 })
   raises("option x %(a number or an array%) is needed", cv.simulate,
      { model = "gamma_gamma", p = 6, q = 4, gamma = 15, ["spend.level"] = 0.4 }, 10,
      { covariates = c })
   raises("unknown option 'covariate' %(did you mean 'covariates'%?%)", cv.simulate, PN, 10,
      { covariate = c })
   local i18n = require "cv.i18n"
   i18n.set_lang("zh")
   local okc, msg = pcall(cv.simulate, PN, 12, { covariates = c })
   i18n.set_lang("en")
   ok(not okc and msg:find("要求 12 位客户，而协变量表有 10 行", 1, true), msg)
end)

T.report()
