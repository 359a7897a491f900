-- Coverage of the intervals by simulation (docs/models.md, "Intervals"): REPS data sets of N
-- customers drawn from known parameters (ages 26..39 weeks), each fitted, then the interval
-- (level 0.9) of every parameter and of the total expected purchases in the next 39 weeks,
-- whose truth is the sum over the customers of E[Y(39) | x, t_x, T] at the true parameters.
-- Counts how often each interval holds its truth. (One call of cv.intervals gives both the
-- total's and the parameters' intervals from the same draws, as m:conditional and
-- m:params_table with the same options would, at half the cost.)
--   cvkit run tests/bench/interval_coverage.lua [MODEL [REPS [N [METHOD [DRAWS]]]]]
--   MODEL bgnbd | pareto_nbd (default bgnbd), REPS 200, N 2000, METHOD asymptotic |
--   bootstrap, DRAWS 1000 (asymptotic) or 200 (bootstrap).
local name, reps, n, method, draws = ...
name = name or "bgnbd"
reps = tonumber(reps) or 200
n = tonumber(n) or 2000
method = method or "asymptotic"
draws = tonumber(draws) or (method == "bootstrap" and 200 or 1000)

local iv = require "cv.intervals"
local TRUE = { bgnbd = { r = 0.5, alpha = 6, a = 0.7, b = 2.5 },
   pareto_nbd = { r = 0.5, alpha = 6, s = 0.8, beta = 10 } }
local truth = cv.model(name, TRUE[name], { unit = "week" })
local ages = {}
for i = 1, n do ages[i] = 26 + (i % 14) end

local hits, total_hits, done, skipped = {}, 0, 0, 0
for _, k in ipairs(truth.names) do hits[k] = 0 end
local t0 = os.clock()
for rep = 1, reps do
   local s = cv.simulate(truth, n, { seed = 1000 + rep, T = ages })
   local ok, m = pcall(cv.fit, name, s, { unit = "week", quiet = true })
   if not ok or m.status ~= "converged" then
      skipped = skipped + 1
   else
      local _, tot, p = iv.run("coverage", s, { interval = 0.9, method = method, draws = draws,
         seed = rep }, { tx = m, kinds = { "conditional" }, horizon = 39, cols = {} })
      local want = truth:conditional(s, 39):col("conditional"):sum()
      local lo, hi = tot:col("lo")[1], tot:col("hi")[1]
      if lo <= want and want <= hi then total_hits = total_hits + 1 end
      for i, k in ipairs(truth.names) do
         local v = truth.values[i]
         if p:col("lo")[i] <= v and v <= p:col("hi")[i] then hits[k] = hits[k] + 1 end
      end
      done = done + 1
   end
end
print(string.format("%s, %s (%d draws), %d customers: %d repetitions (%d skipped), %.1f s cpu",
   name, method, draws, n, done, skipped, os.clock() - t0))
print("| quantity | hits | repetitions | coverage |")
print("|---|---|---|---|")
for _, k in ipairs(truth.names) do
   print(string.format("| %s | %d | %d | %.3f |", k, hits[k], done, hits[k] / done))
end
print(string.format("| total E[Y(39)] | %d | %d | %.3f |", total_hits, done, total_hits / done))
