-- Coverage of the BG/BB's asymptotic intervals by simulation (docs/models.md, "Intervals"):
-- REPS panels of N customers drawn from known parameters (alpha 1.2, beta 0.75, gamma 0.66,
-- delta 2.78: about the donations' fit), each observed for n = 4..8 periods (i % 5). With
-- VARIANT "cov" half the customers have a 0/1 covariate z = 1 and are drawn from the BG/BB at
-- their own parameters (docs/models.md, "BG/BB with covariates", written out here: alpha
-- e^g_trans, gamma e^g_life), each group by cv.simulate without covariates, and the fit has
-- trans = life = "z". Each panel is fitted, then the 90% interval (asymptotic, or the
-- bootstrap over customers with refits) of every parameter (and coefficient) and of the total
-- expected transactions in the next 5 periods (truth: the sum of E[Y(5) | x, t_x, n] at each
-- customer's true parameters) is checked for holding its truth.
--   cvkit run tests/bench/interval_coverage_bgbb.lua [VARIANT [REPS [N [DRAWS [OUT [METHOD]]]]]]
--   VARIANT plain | cov (default plain), REPS 200, N 2000, DRAWS 1000 (asymptotic) or 200
--   (bootstrap refits), OUT print | quiet, METHOD asymptotic | bootstrap.
-- Returns the hits by name (and "total"), the repetitions used and skipped; prints the table
-- (with the mean and standard deviation of the estimates and the mean standard error) unless
-- OUT is "quiet" (tests/lua/test_intervals_bgbb.lua runs it so).
local variant, reps, n, draws, quiet, method = ...
variant = variant or "plain"
reps = tonumber(reps) or 200
n = tonumber(n) or 2000
method = method or "asymptotic"
assert(method == "asymptotic" or method == "bootstrap", "method: asymptotic or bootstrap")
draws = tonumber(draws) or (method == "bootstrap" and 200 or 1000)
assert(variant == "plain" or variant == "cov", "variant: plain or cov")

local iv = require "cv.intervals"
local BASE = { alpha = 1.2, beta = 0.75, gamma = 0.66, delta = 2.78 }
local G_TRANS, G_LIFE = 0.5, -0.5
local HORIZON = 5
local z1 = { alpha = BASE.alpha * math.exp(G_TRANS), beta = BASE.beta,
   gamma = BASE.gamma * math.exp(G_LIFE), delta = BASE.delta }
local truth = { [0] = cv.model("bgbb", BASE, { unit = "year" }),
   cv.model("bgbb", z1, { unit = "year" }) }
local values = {} -- the true parameters (and coefficients) in the fit's order
for i, v in ipairs(truth[0].values) do values[i] = v end
if variant == "cov" then values[5], values[6] = G_TRANS, G_LIFE end

local groups = variant == "cov" and 1 or 0
local size = n // (groups + 1)
local periods = {}
for i = 1, size do periods[i] = 4 + i % 5 end

local hits, done, skipped, failed = { total = 0 }, 0, 0, 0
local names
local est = {} -- est[k] = {sum, sum of squares, sum of standard errors}
local t0 = os.clock()
for rep = 1, reps do
   local x, t_x, T, z = {}, {}, {}, {}
   local want = 0
   for g = 0, groups do
      local sim = cv.simulate(truth[g], size, { seed = 3000 * g + rep, T = periods })
      want = want + truth[g]:conditional(sim, HORIZON):col("conditional"):sum()
      local sx, stx, sT = sim:col("x"), sim:col("t_x"), sim:col("T")
      for i = 1, size do
         x[#x + 1], t_x[#t_x + 1], T[#T + 1], z[#z + 1] = sx[i], stx[i], sT[i], g
      end
   end
   local s = cv.table { { "x", x, "int" }, { "t_x", t_x, "int" }, { "T", T, "int" },
      { "z", z, "int" } }
   local o = { unit = "year", quiet = true }
   if variant == "cov" then o.trans, o.life = "z", "z" end
   local okf, m = pcall(cv.fit, "bgbb", s, o)
   if not okf or m.status ~= "converged" or m.cov_log == nil then
      skipped = skipped + 1
   else
      names = m.names
      local _, tot, p, info = iv.run("coverage", s, { interval = 0.9, method = method,
         draws = draws, seed = rep }, { tx = m, kinds = { "conditional" }, horizon = HORIZON,
         cols = {} })
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
   print(string.format("bgbb (%s), %s (%d draws, %d failed), %d customers: %d repetitions "
      .. "(%d skipped), %.1f s cpu", variant, method, draws, failed, n, done, skipped,
      os.clock() - t0))
   local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
   dofile(here .. "coverage_table.lua")(names, values, hits, est, done,
      string.format("E[Y(%d)]", HORIZON))
end
return hits, done, skipped
