-- Coverage of the intervals of a model with covariates by simulation (docs/models.md,
-- "Intervals"): REPS data sets of N customers, half with a binary covariate z = 1, drawn from
-- known parameters (ages 26..39 weeks): the customers with z = 0 from the model at the base
-- parameters, those with z = 1 from the model at their own (the parametrization of
-- docs/models.md, "Covariates", written out here: Pareto/NBD alpha e^-g_trans, beta
-- e^-g_life; BG/NBD alpha e^-g_trans, a e^g_life, b e^g_life), each group drawn by
-- cv.simulate without covariates. Each data set is fitted with trans = life = "z", then the
-- 90% asymptotic interval of every parameter and coefficient and of the total expected
-- purchases in the next 39 weeks (truth: the sum of E[Y(39) | x, t_x, T] at each customer's
-- true parameters) is checked for holding its truth.
--   cvkit run tests/bench/interval_coverage_cov.lua [MODEL [REPS [N [DRAWS]]]]
--   MODEL pareto_nbd | bgnbd (default pareto_nbd), REPS 200, N 2000, DRAWS 1000.
-- Returns the hits by name (and "total"), the repetitions used and skipped; prints the table
-- unless the fifth argument is "quiet" (tests/lua/test_intervals_cov.lua runs it so).
local name, reps, n, draws, quiet = ...
name = name or "pareto_nbd"
reps = tonumber(reps) or 200
n = tonumber(n) or 2000
draws = tonumber(draws) or 1000

local iv = require "cv.intervals"
local BASE = { bgnbd = { r = 0.5, alpha = 6, a = 0.7, b = 2.5 },
   pareto_nbd = { r = 0.5, alpha = 6, s = 0.8, beta = 10 } }
local G_TRANS, G_LIFE = 0.5, -0.5
local b = BASE[name]
local z1 = {}
for k, v in pairs(b) do z1[k] = v end
z1.alpha = b.alpha * math.exp(-G_TRANS)
if name == "pareto_nbd" then
   z1.beta = b.beta * math.exp(-G_LIFE)
else
   z1.a, z1.b = b.a * math.exp(G_LIFE), b.b * math.exp(G_LIFE)
end
local truth = { [0] = cv.model(name, b, { unit = "week" }), cv.model(name, z1, { unit = "week" }) }
local values = {} -- the true parameters and coefficients in the fit's order
for i, v in ipairs(truth[0].values) do values[i] = v end
values[#values + 1], values[#values + 2] = G_TRANS, G_LIFE

local half = n // 2
local ages = {}
for i = 1, half do ages[i] = 26 + (i % 14) end

local hits, done, skipped = { total = 0 }, 0, 0
local names
local t0 = os.clock()
for rep = 1, reps do
   local x, t_x, T, z = {}, {}, {}, {}
   local want = 0
   for g = 0, 1 do
      local sim = cv.simulate(truth[g], half, { seed = 2000 * g + rep, T = ages })
      want = want + truth[g]:conditional(sim, 39):col("conditional"):sum()
      local sx, stx, sT = sim:col("x"), sim:col("t_x"), sim:col("T")
      for i = 1, half do
         x[#x + 1], t_x[#t_x + 1], T[#T + 1], z[#z + 1] = sx[i], stx[i], sT[i], g
      end
   end
   local s = cv.table { { "x", x, "int" }, { "t_x", t_x, "float" }, { "T", T, "float" },
      { "z", z, "int" } }
   local okf, m = pcall(cv.fit, name, s, { unit = "week", trans = "z", life = "z", quiet = true })
   if not okf or m.status ~= "converged" or m.cov_log == nil then
      skipped = skipped + 1
   else
      names = m.names
      local _, tot, p = iv.run("coverage", s, { interval = 0.9, draws = draws, seed = rep },
         { tx = m, kinds = { "conditional" }, horizon = 39, cols = {} })
      if tot:col("lo")[1] <= want and want <= tot:col("hi")[1] then
         hits.total = hits.total + 1
      end
      for i, k in ipairs(names) do
         hits[k] = hits[k] or 0
         if p:col("lo")[i] <= values[i] and values[i] <= p:col("hi")[i] then
            hits[k] = hits[k] + 1
         end
      end
      done = done + 1
   end
end
if quiet ~= "quiet" then
   print(string.format("%s with a 0/1 covariate (trans %g, life %g), asymptotic (%d draws), "
      .. "%d customers: %d repetitions (%d skipped), %.1f s cpu", name, G_TRANS, G_LIFE, draws,
      n, done, skipped, os.clock() - t0))
   print("| quantity | hits | repetitions | coverage |")
   print("|---|---|---|---|")
   for _, k in ipairs(names or {}) do
      print(string.format("| %s | %d | %d | %.3f |", k, hits[k], done, hits[k] / done))
   end
   print(string.format("| total E[Y(39)] | %d | %d | %.3f |", hits.total, done,
      hits.total / done))
end
return hits, done, skipped
