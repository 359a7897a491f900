-- Tests of the BG/BB's intervals through the public API (m:p_alive, m:conditional, m:dert with
-- {interval =}; lua/cv/intervals.lua, src/core/model_interval.c; docs/models.md, "Intervals")
-- on a panel simulated from known parameters, without and with a 0/1 covariate: each
-- customer's point prediction lies in its interval, the totals' estimates are the sums of the
-- point predictions, the same seed gives the same interval and another seed another, one
-- customer (a record) gets its row's interval; and the coverage of 90% intervals in 40
-- simulated panels of each kind (tests/bench/interval_coverage_bgbb.lua).
-- memcheck: skip (80 simulated fits with 300 draws each; the C paths are
-- tests/unit/test_intervals_bgbb.c's, which memcheck runs)
local T = require "cv.testing"
local test, eq, near, ok = T.test, T.eq, T.near, T.ok

local top = os.getenv("TOP") or "."

-- 1,000 customers over n = 4..8 periods; z = 1 for the second half, drawn with alpha e^0.5,
-- gamma e^-0.5
local base = { alpha = 1.2, beta = 0.75, gamma = 0.66, delta = 2.78 }
local with_z = { alpha = 1.2 * math.exp(0.5), beta = 0.75, gamma = 0.66 * math.exp(-0.5),
   delta = 2.78 }
local periods = {}
for i = 1, 500 do periods[i] = 4 + i % 5 end
local x, t_x, n, z = {}, {}, {}, {}
for g, p in ipairs { base, with_z } do
   local sim = cv.simulate(cv.model("bgbb", p, { unit = "year" }), 500,
      { seed = 10 + g, T = periods })
   local sx, stx, sT = sim:col("x"), sim:col("t_x"), sim:col("T")
   for i = 1, 500 do
      x[#x + 1], t_x[#t_x + 1], n[#n + 1], z[#z + 1] = sx[i], stx[i], sT[i], g - 1
   end
end
local s = cv.table { { "x", x, "int" }, { "t_x", t_x, "int" }, { "T", n, "int" },
   { "z", z, "int" } }
local plain = cv.fit("bgbb", s, { unit = "year", quiet = true })
local cov = cv.fit("bgbb", s, { unit = "year", trans = "z", life = "z", quiet = true })

-- the three predictions with their intervals: {name, call}
local function calls(m, o)
   local function with(extra)
      local t = { interval = 0.9, draws = 300, seed = o.seed }
      for k, v in pairs(extra) do t[k] = v end
      return t
   end
   return {
      { "p_alive", function(who) return m:p_alive(who, with {}) end },
      { "conditional", function(who) return m:conditional(who, 5, with {}) end },
      { "dert", function(who) return m:dert(who, with { discount = 0.1 }) end },
   }
end

for _, case in ipairs { { "plain", plain }, { "covariates", cov } } do
   local label, m = case[1], case[2]
   test("bgbb " .. label .. ": each customer's interval holds its prediction; totals", function()
      eq(m.status, "converged")
      ok(m.cov_log ~= nil)
      for _, c in ipairs(calls(m, { seed = 4 })) do
         local k, f = c[1], c[2]
         local t, tot = f(s)
         local v, lo, hi = t:col(k), t:col(k .. "_lo"), t:col(k .. "_hi")
         local inside = 0
         for i = 1, #t do
            if lo[i] < v[i] and v[i] < hi[i] then inside = inside + 1 end
         end
         eq(inside, #t, label .. " " .. k)
         eq(tot:col("prediction")[1], k)
         near(tot:col("estimate")[1], v:sum(), 1e-9 * v:sum())
         ok(tot:col("lo")[1] < v:sum() and v:sum() < tot:col("hi")[1], k)
         -- the same seed, the same bits; another seed, another interval
         local _, again = f(s)
         eq({ again:col("lo")[1], again:col("hi")[1] }, { tot:col("lo")[1], tot:col("hi")[1] })
         -- one customer: the row's interval (the same draws)
         local rec = { x = x[1000], t_x = t_x[1000], T = n[1000], z = z[1000] }
         local r, rlo, rhi = f(rec)
         near(r, v[1000], 1e-12)
         near(rlo, lo[1000], 1e-12 * math.abs(lo[1000]))
         near(rhi, hi[1000], 1e-12 * math.abs(hi[1000]))
      end
      local _, t4 = m:conditional(s, 5, { interval = 0.9, draws = 300, seed = 4 })
      local _, t5 = m:conditional(s, 5, { interval = 0.9, draws = 300, seed = 5 })
      ok(t4:col("lo")[1] ~= t5:col("lo")[1])
   end)
end

test("bgbb with covariates: the coefficients' intervals, the z = 1 customers' own", function()
   local p = cov:params_table { interval = 0.9, draws = 300 }
   local names = {}
   for i = 1, #p do names[i] = p:col("param")[i] end
   eq(names, { "alpha", "beta", "gamma", "delta", "trans.z", "life.z" })
   ok(p:col("lo")[5] < 0.5 and 0.5 < p:col("hi")[5], "trans.z holds 0.5")
   local pa = cov:p_alive(s, { interval = 0.9, draws = 300 })
   -- the same history, z = 0 and z = 1: different predictions and intervals
   local zero, one
   for i = 1, 500 do
      for j = 501, 1000 do
         if x[i] == x[j] and t_x[i] == t_x[j] and n[i] == n[j] then zero, one = i, j break end
      end
      if zero then break end
   end
   ok(zero ~= nil)
   local v, lo = pa:col("p_alive"), pa:col("p_alive_lo")
   ok(v[zero] ~= v[one] and lo[zero] ~= lo[one])
   near(v[one], cv.model("bgbb", { alpha = cov.params.alpha * math.exp(cov.params["trans.z"]),
      beta = cov.params.beta, gamma = cov.params.gamma * math.exp(cov.params["life.z"]),
      delta = cov.params.delta }, { unit = "year" }):p_alive { x = x[one], t_x = t_x[one],
      T = n[one] }, 1e-12)
end)

-- 40 panels of 1,000 customers of each kind (tests/bench/interval_coverage_bgbb.lua; the
-- larger study in docs/models.md): the total's 90% interval holds the truth in 30..40 of 40
-- (the 99% binomial band of Binomial(40, 0.9)), each parameter's and coefficient's in at
-- least 28 (looser: six or four of them per panel, one test).
test("coverage of the bgbb's 90% intervals, without and with a covariate", function()
   local run = assert(loadfile(top .. "/tests/bench/interval_coverage_bgbb.lua"))
   for _, variant in ipairs { "plain", "cov" } do
      local hits, done = run(variant, 40, 1000, 300, "quiet")
      eq(done, 40, variant)
      local k = 0
      for name, h in pairs(hits) do
         k = k + 1
         local lo = name == "total" and 30 or 28
         ok(h >= lo and h <= 40, string.format("%s %s: %d of %d", variant, name, h, done))
      end
      eq(k, variant == "cov" and 7 or 5, variant)
   end
end)

T.report()
