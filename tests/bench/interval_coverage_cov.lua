-- Coverage of the intervals of a model with covariates by simulation (docs/models.md,
-- "Intervals"): REPS data sets of N customers, half with a binary covariate z = 1, drawn from
-- known parameters (ages 26..39 weeks): the customers with z = 0 from the model at the base
-- parameters, those with z = 1 from the model at their own (the parametrization of
-- docs/models.md, "Covariates", written out here: Pareto/NBD alpha e^-g_trans, beta
-- e^-g_life; BG/NBD alpha e^-g_trans, a e^g_life, b e^g_life), each group drawn by
-- cv.simulate without covariates. Each data set is fitted with trans = life = "z", then the
-- 90% interval (asymptotic, or the bootstrap over customers with refits) of every parameter
-- and coefficient and of the total expected purchases in the next 39 weeks (truth: the sum of
-- E[Y(39) | x, t_x, T] at each customer's true parameters) is checked for holding its truth.
-- MODEL gamma_gamma: the spend of N customers with 1..6 repeat purchases (x = 1 + i % 6) at
-- p = 6, q = 4, gamma = 15, those with z = 1 at gamma e^0.4 (spend = "z"; the total is that of
-- E[M | x, mean spend] at each customer's true parameters).
--   cvkit run tests/bench/interval_coverage_cov.lua [MODEL [REPS [N [DRAWS [OUT [METHOD]]]]]]
--   MODEL pareto_nbd | bgnbd | gamma_gamma (default pareto_nbd), REPS 200, N 2000, DRAWS 1000
--   (asymptotic) or 200 (bootstrap refits), OUT print | quiet, METHOD asymptotic | bootstrap.
-- Returns the hits by name (and "total"), the repetitions used and skipped; prints the table
-- (with the mean and standard deviation of the estimates and the mean standard error) unless
-- OUT is "quiet" (tests/lua/test_intervals_cov.lua runs it so).
local name, reps, n, draws, quiet, method = ...
name = name or "pareto_nbd"
reps = tonumber(reps) or 200
n = tonumber(n) or 2000
method = method or "asymptotic"
assert(method == "asymptotic" or method == "bootstrap", "method: asymptotic or bootstrap")
draws = tonumber(draws) or (method == "bootstrap" and 200 or 1000)

local iv = require "cv.intervals"
local BASE = { bgnbd = { r = 0.5, alpha = 6, a = 0.7, b = 2.5 },
   pareto_nbd = { r = 0.5, alpha = 6, s = 0.8, beta = 10 },
   gamma_gamma = { p = 6, q = 4, gamma = 15 } }
local G_TRANS, G_LIFE, G_SPEND = 0.5, -0.5, 0.4
local gg = name == "gamma_gamma"
local b = assert(BASE[name], "model: pareto_nbd, bgnbd or gamma_gamma")
local z1 = {}
for k, v in pairs(b) do z1[k] = v end
if gg then
   z1.gamma = b.gamma * math.exp(G_SPEND)
else
   z1.alpha = b.alpha * math.exp(-G_TRANS)
end
if name == "pareto_nbd" then
   z1.beta = b.beta * math.exp(-G_LIFE)
elseif name == "bgnbd" then
   z1.a, z1.b = b.a * math.exp(G_LIFE), b.b * math.exp(G_LIFE)
end
local unit = not gg and { unit = "week" } or nil
local truth = { [0] = cv.model(name, b, unit), cv.model(name, z1, unit) }
local values = {} -- the true parameters and coefficients in the fit's order
for i, v in ipairs(truth[0].values) do values[i] = v end
if gg then
   values[#values + 1] = G_SPEND
else
   values[#values + 1], values[#values + 2] = G_TRANS, G_LIFE
end

local half = n // 2
local ages = {}
for i = 1, half do ages[i] = gg and 1 + i % 6 or 26 + (i % 14) end -- x for gamma_gamma

local hits, done, skipped, failed = { total = 0 }, 0, 0, 0
local names
local est = {} -- est[k] = {sum, sum of squares, sum of standard errors}
local t0 = os.clock()
for rep = 1, reps do
   local x, t_x, T, z = {}, {}, {}, {}
   local want = 0
   for g = 0, 1 do
      local sim
      if gg then
         sim = cv.simulate(truth[g], half, { seed = 2000 * g + rep, x = ages })
         want = want + truth[g]:spend(sim):col("spend"):sum()
      else
         sim = cv.simulate(truth[g], half, { seed = 2000 * g + rep, T = ages })
         want = want + truth[g]:conditional(sim, 39):col("conditional"):sum()
      end
      local sx, stx = sim:col("x"), sim:col(gg and "mean_repeat_spend" or "t_x")
      local sT = not gg and sim:col("T") or stx
      for i = 1, half do
         x[#x + 1], t_x[#t_x + 1], T[#T + 1], z[#z + 1] = sx[i], stx[i], sT[i], g
      end
   end
   local s = cv.table { { "x", x, "int" }, { gg and "mean_repeat_spend" or "t_x", t_x, "float" },
      { "T", T, "float" }, { "z", z, "int" } }
   local okf, m
   if gg then
      okf, m = pcall(cv.fit, name, s, { spend = "z", quiet = true })
   else
      okf, m = pcall(cv.fit, name, s, { unit = "week", trans = "z", life = "z", quiet = true })
   end
   if not okf or m.status ~= "converged" or m.cov_log == nil then
      skipped = skipped + 1
   else
      names = m.names
      local _, tot, p, info = iv.run("coverage", s, { interval = 0.9, method = method,
         draws = draws, seed = rep }, { tx = not gg and m or nil, spend = gg and m or nil,
         kinds = { gg and "spend" or "conditional" }, horizon = 39, cols = {} })
      failed = failed + info.draws - info.used
      if tot:col("lo")[1] <= want and want <= tot:col("hi")[1] then
         hits.total = hits.total + 1
      end
      for i, k in ipairs(names) do
         hits[k] = hits[k] or 0
         local e = est[k] or { 0, 0, 0 }
         e[1], e[2], e[3] = e[1] + m.values[i], e[2] + m.values[i] ^ 2, e[3] + m.se[k]
         est[k] = e
         if p:col("lo")[i] <= values[i] and values[i] <= p:col("hi")[i] then
            hits[k] = hits[k] + 1
         end
      end
      done = done + 1
   end
end
if quiet ~= "quiet" then
   print(string.format("%s with a 0/1 covariate (%s), %s (%d draws, %d failed), %d customers: "
      .. "%d repetitions (%d skipped), %.1f s cpu", name, gg and ("spend " .. G_SPEND)
      or string.format("trans %g, life %g", G_TRANS, G_LIFE), method, draws, failed, n, done,
      skipped, os.clock() - t0))
   local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
   dofile(here .. "coverage_table.lua")(names, values, hits, est, done, gg and "E[M]" or "E[Y(39)]")
end
return hits, done, skipped
