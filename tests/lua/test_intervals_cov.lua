-- memcheck: skip (730 s there, CI's longest: its refits and draws; tests/unit/test_intervals_cov.c
-- and test_cov_boot.c run the same C paths under memcheck)
-- Tests of the intervals of models with covariates (lua/cv/intervals.lua,
-- src/core/model_interval.c, interval.c): coefficients that have no effect give the interval
-- of the model without covariates bit for bit; on apparel every customer's interval holds its
-- prediction, the totals' estimates are the sums of the point predictions (each customer at
-- their own parameters), a higher level is wider (the bootstrap: test_cov_boot.lua); and the
-- coverage of 90% intervals on data drawn with a 0/1 covariate from known parameters.
local T = require "cv.testing"
local test, eq, near, raises, ok = T.test, T.eq, T.near, T.raises, T.ok
local core = require "cv.core.intervals"

local top = os.getenv("TOP") or "."

-- within(t, col): the rows where col_lo <= col <= col_hi
local function within(t, col)
   local v, lo, hi = t:col(col), t:col(col .. "_lo"), t:col(col .. "_hi")
   local n = 0
   for i = 1, #t do
      if lo[i] <= v[i] * (1 + 1e-12) + 1e-12 and v[i] <= hi[i] * (1 + 1e-12) + 1e-12 then
         n = n + 1
      end
   end
   return n
end

-- A BG/NBD fitted to 1,000 simulated customers, with a covariate z0 = 0 for everyone and
-- z01 = 0 for the first half, 1 for the others.
local truth = cv.model("bgnbd", { r = 0.5, alpha = 6, a = 0.7, b = 2.5 }, { unit = "week" })
local ages = {}
for i = 1, 1000 do ages[i] = 26 + (i % 14) end
local sim = cv.simulate(truth, 1000, { seed = 7, T = ages })
local m0 = cv.fit("bgnbd", sim, { unit = "week", quiet = true })
local zero, bin = {}, {}
for i = 1, 1000 do zero[i], bin[i] = 0, i > 500 and 1 or 0 end
local sz = cv.table { { "x", sim:col("x"):totable(), "int" },
   { "t_x", sim:col("t_x"):totable(), "float" }, { "T", sim:col("T"):totable(), "float" },
   { "z0", zero, "int" }, { "z01", bin, "int" } }

-- The 5 x 5 covariance of (log r, log alpha, log a, log b, g): m0's in the first block, the
-- coefficient correlated with log r (cov 0.1 A[., 1]; its variance 0.04 + 0.01 A[1, 1] keeps
-- the matrix positive definite).
local function cov5(A)
   local c = {}
   for i = 1, 5 do
      for j = 1, 5 do
         local v
         if i <= 4 and j <= 4 then
            v = A[(i - 1) * 4 + j]
         elseif i == 5 and j == 5 then
            v = 0.04 + 0.01 * A[1]
         else
            v = 0.1 * A[(math.min(i, j) - 1) * 4 + 1]
         end
         c[(i - 1) * 5 + j] = v
      end
   end
   return c
end

local OPT = { kinds = { "p_alive", "conditional", "dert" }, horizon = 39, delta = 0.002,
   level = 0.9, draws = 100, seed = 5, x = "x", t_x = "t_x", T = "T" }

test("coefficients without effect: the interval of the model without covariates, exactly",
   function()
   eq(m0.status, "converged")
   local plain = { model = "bgnbd", params = m0.values, cov_log = m0.cov_log }
   local p5 = { m0.values[1], m0.values[2], m0.values[3], m0.values[4], 0.3 }
   local t0, tot0, par0 = core.run(plain, nil, sz, OPT)
   for _, proc in ipairs { "trans", "life", "both" } do
      local withz = { model = "bgnbd", params = p5, cov_log = cov5(m0.cov_log),
         design = { { column = "z0", proc = proc, name = proc .. ".z0" } } }
      local t1, tot1, par1 = core.run(withz, nil, sz, OPT)
      for _, k in ipairs { "p_alive", "conditional", "dert" } do
         eq(t1:col(k .. "_lo"):totable(), t0:col(k .. "_lo"):totable(), proc .. " " .. k)
         eq(t1:col(k .. "_hi"):totable(), t0:col(k .. "_hi"):totable(), proc .. " " .. k)
      end
      for i = 1, 3 do
         eq({ tot1[i].estimate, tot1[i].lo, tot1[i].hi },
            { tot0[i].estimate, tot0[i].lo, tot0[i].hi })
      end
      -- the parameters' intervals too (the Cholesky factor's first block is A's), and the
      -- coefficient's is its own normal's: 0.3 -+ 1.645 sd roughly
      for i = 1, 4 do eq({ par1[i].lo, par1[i].hi }, { par0[i].lo, par0[i].hi }) end
      eq(par1[5].name, proc .. ".z0")
      local sd = math.sqrt(0.04 + 0.01 * m0.cov_log[1])
      near(par1[5].lo, 0.3 - 1.6449 * sd, 0.3 * sd)
      near(par1[5].hi, 0.3 + 1.6449 * sd, 0.3 * sd)
   end
   -- a 0/1 covariate: the customers at 0 keep the plain model's interval, those at 1 not
   local withz = { model = "bgnbd", params = p5, cov_log = cov5(m0.cov_log),
      design = { { column = "z01", proc = "trans", name = "trans.z01" } } }
   local t1 = core.run(withz, nil, sz, OPT)
   local a, b = t1:col("conditional_hi"):totable(), t0:col("conditional_hi"):totable()
   local same0, diff1 = 0, 0
   for i = 1, 1000 do
      if i <= 500 and a[i] == b[i] then same0 = same0 + 1 end
      if i > 500 and a[i] ~= b[i] then diff1 = diff1 + 1 end
   end
   eq({ same0, diff1 }, { 500, 500 })
end)

-- apparel (weeks, 40-week calibration), Gender and Channel on both processes; the penalty on
-- the parameters keeps the dropout side inside (docs/models.md, "Regularised fits")
local s = require("tests.lua.cov_data").with_cov
local both = { "Gender", "Channel" }
local m = cv.fit("bgnbd", s, { trans = both, life = both, penalizer = 0.05, quiet = true })
local gg = cv.fit("gamma_gamma", s, { spend = both, quiet = true })

test("apparel: each customer's interval holds its prediction; totals; level", function()
   eq({ m.status, gg.status }, { "converged", "converged" })
   local p, tot = m:predict(s, { horizon = 39, discount = 0.1, interval = 0.9, draws = 300 })
   eq(tot:col("prediction"):totable(), { "p_alive", "conditional", "dert", n = 3 })
   for i, k in ipairs { "p_alive", "conditional", "dert" } do
      eq(within(p, k), #s, k)
      -- the engine's prediction at the estimates, each customer at their own parameters,
      -- is the point prediction (covariates.predict): the same formula
      near(tot:col("estimate")[i], p:col(k):sum(), 1e-9 * p:col(k):sum(), k)
      ok(tot:col("lo")[i] < tot:col("estimate")[i] and tot:col("estimate")[i] < tot:col("hi")[i],
         k .. ": the total's interval holds its estimate")
   end
   -- the same draws at a higher level: every interval at least as wide, the total's wider
   local n80, t80 = m:conditional(s, 39, { interval = 0.8, draws = 300 })
   local n95, t95 = m:conditional(s, 39, { interval = 0.95, draws = 300 })
   local lo80, hi80 = n80:col("conditional_lo"), n80:col("conditional_hi")
   local lo95, hi95 = n95:col("conditional_lo"), n95:col("conditional_hi")
   local wider = 0
   for i = 1, #s do
      if lo95[i] <= lo80[i] and hi95[i] >= hi80[i] and hi95[i] - lo95[i] > hi80[i] - lo80[i] then
         wider = wider + 1
      end
   end
   eq(wider, #s)
   ok(t95:col("hi")[1] - t95:col("lo")[1] > t80:col("hi")[1] - t80:col("lo")[1], "total wider")
   -- one customer as a record with their covariates: the interval of their row
   local c1 = s:head(1)
   local rec = { x = c1:col("x")[1], t_x = c1:col("t_x")[1], T = c1:col("T")[1],
      Gender = c1:col("Gender")[1], Channel = c1:col("Channel")[1] }
   local v, lo, hi = m:conditional(rec, 39, { interval = 0.8, draws = 300 })
   near(v, n80:col("conditional")[1], 1e-9)
   eq({ lo, hi }, { lo80[1], hi80[1] })
end)

test("apparel: spend and CLV with the Gamma-Gamma's covariates", function()
   local sp, st = gg:spend(s, { interval = 0.9, draws = 300 })
   eq(within(sp, "spend"), #s)
   near(st:col("estimate")[1], sp:col("spend"):sum(), 1e-9 * sp:col("spend"):sum())
   -- CLV: both models with covariates, drawn independently
   local c, ct = m:clv(s, { spend = gg, margin = 0.3, horizon = 52, interval = 0.9,
      draws = 200 })
   eq(within(c, "clv"), #s)
   near(ct:col("estimate")[1], c:col("clv"):sum(), 1e-9 * c:col("clv"):sum())
   local ci, cti = m:clv(s, { spend = gg, margin = 0.3, horizon = math.huge, interval = 0.9,
      draws = 200 })
   eq(within(ci, "clv"), #s)
   near(cti:col("estimate")[1], ci:col("clv"):sum(), 1e-9 * ci:col("clv"):sum())
   -- the parameters: the coefficients by name, each interval holding its estimate
   local pt = m:params_table { interval = 0.9, draws = 300 }
   local names = { table.unpack(m.names) }
   names.n = #m.names
   eq(pt:col("param"):totable(), names)
   for i = 1, #m.names do
      ok(pt:col("lo")[i] < m.values[i] and m.values[i] < pt:col("hi")[i], m.names[i])
   end
end)

-- band(n, p, a) -> lo, hi: the counts k whose two tails under Binomial(n, p) both exceed a/2
local function band(n, p, a)
   local cdf, acc = {}, 0
   for k = 0, n do
      local lc = 0
      for j = 1, k do lc = lc + math.log(n - k + j) - math.log(j) end
      acc = acc + math.exp(lc + k * math.log(p) + (n - k) * math.log(1 - p))
      cdf[k] = acc
   end
   local lo, hi = 0, n
   while cdf[lo] < a / 2 do lo = lo + 1 end
   while hi > 0 and 1 - cdf[hi - 1] < a / 2 do hi = hi - 1 end
   return lo, hi
end

-- 40 Pareto/NBD data sets of 1,000 customers (tests/bench/interval_coverage_cov.lua, the
-- larger study of both models in docs/models.md): every parameter's, coefficient's and the total's 90% interval holds the
-- truth in 30..40 of 40 (the 99% binomial band).
test("coverage of 90% intervals with a 0/1 covariate, within a binomial band", function()
   local run = assert(loadfile(top .. "/tests/bench/interval_coverage_cov.lua"))
   for _, name in ipairs { "pareto_nbd" } do -- the BG/NBD's: the larger study
      local hits, done = run(name, 40, 1000, 300, "quiet")
      eq(done, 40, name)
      local lo, hi = band(done, 0.9, 0.01)
      eq({ lo, hi }, { 30, 40 })
      local n = 0
      for k, h in pairs(hits) do
         n = n + 1
         ok(h >= lo and h <= hi, string.format("%s %s: %d of %d in %d..%d", name, k, h, done,
            lo, hi))
      end
      eq(n, 7, name .. ": 4 parameters, 2 coefficients, the total")
   end
end)

T.report()
