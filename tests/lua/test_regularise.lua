-- memcheck: skip (156 s there: penalized fits on apparel; tests/unit/test_penalty.c and
-- test_regspend.c run the same C paths under memcheck)
-- Tests of the regularised fits (cv.fit options reg, penalizer, penalizer_scale; docs/models.md,
-- "Regularised fits"): on apparel (weeks, 40-week calibration from 2005-01-02, Gender and
-- Channel on both processes), reg = {trans = 0, life = 0} is the plain fit and larger lambdas
-- shrink every coefficient; the penalized BG/NBD optimum found again by a Nelder-Mead written
-- here over a BG/NBD likelihood written here (no code shared with the core); the penalty on
-- the parameters pulls boundary fits inside; the options' refusals; what print says.
local T = require "cv.testing"
local test, eq, near, raises_plain = T.test, T.eq, T.near, T.raises_plain

local A = require "tests.lua.cov_data"
local s, sc = A.summary, A.with_cov
local COV = { "Gender", "Channel" }

local function fit(name, o)
   o.trans, o.life, o.quiet = COV, COV, true
   return cv.fit(name, sc, o)
end

test("reg = {trans = 0, life = 0} is the fit without a penalty, bit for bit", function()
   for _, name in ipairs { "pareto_nbd", "bgnbd" } do
      local m0, m = fit(name, {}), fit(name, { reg = { trans = 0, life = 0 } })
      eq(m.values, m0.values)
      eq(m.loglik, m0.loglik)
      eq(m.penalty.trans, 0)
      eq(m0.penalty, nil)
      -- a zero penalty is the ML fit: its LR test stands, and print says the lambdas
      near(m:lr_test().statistic, m0:lr_test().statistic, 0)
      T.ok(tostring(m):find("L2 penalty lambda trans 0, life 0", 1, true), "print")
   end
end)

test("larger lambdas shrink the coefficients; the unpenalised LL falls", function()
   -- The sum of squares of the coefficients falls with lambda (always so for an L2 penalty);
   -- one coefficient need not: the Pareto/NBD's life.Gender grows from 0.116 to 0.258 at
   -- lambda 0.001 as life.Channel (15.5, on the flat ridge of beta) is pulled in from afar.
   -- From lambda 0.01 on, every coefficient shrinks, in both models.
   for _, name in ipairs { "pareto_nbd", "bgnbd" } do
      local last, last_ll, last_n2
      for _, lam in ipairs { 0, 0.001, 0.01, 0.1, 1, 8, 100 } do
         local m = fit(name, { reg = { trans = lam, life = lam } })
         local g, n2 = {}, 0
         for i = 5, 8 do
            g[i - 4] = math.abs(m.values[i])
            n2 = n2 + m.values[i] ^ 2
         end
         if last then
            T.ok(n2 < last_n2, string.format("%s lambda %g: |g|^2 %.6g after %.6g", name, lam,
               n2, last_n2))
            T.ok(m.loglik < last_ll, name .. " LL falls")
         end
         if last and lam > 0.001 then
            for i = 1, 4 do
               -- BG/NBD: a, b run off at every lambda and its life coefficients are 0 (1e-9)
               T.ok(g[i] < last[i] or (g[i] < 1e-8 and last[i] < 1e-8),
                  string.format("%s lambda %g: |%s| %.6g after %.6g", name, lam, m.names[i + 4],
                     g[i], last[i]))
            end
         end
         if name == "pareto_nbd" and lam == 0.001 then
            T.ok(g[3] > 2 * last[3], "life.Gender grows first")
         end
         -- the reported LL is the likelihood's own, without the penalty
         if lam > 0 then near(m.objective, -m.loglik / m.n_obs + lam * n2, 1e-12, "objective") end
         last, last_ll, last_n2 = g, m.loglik, n2
      end
   end
end)

-- The BG/NBD log-likelihood of the customers of sc at theta (log r, alpha, a, b, then
-- trans.Gender, trans.Channel, life.Gender, life.Channel), CLVTools' parametrization:
-- alpha_i = alpha exp(-g_t'z), a_i = a exp(g_l'z), b_i = b exp(g_l'z); Fader, Hardie & Lee
-- (2005) with Gamma(r+x)/Gamma(r) and B(a, b+x)/B(a, b) as products over x.
local X, TX, TT = sc:col("x"):totable(), sc:col("t_x"):totable(), sc:col("T"):totable()
local G, C = sc:col("Gender"):totable(), sc:col("Channel"):totable()
local function bgnbd_ll(th)
   local r, al0, a0, b0 = math.exp(th[1]), math.exp(th[2]), math.exp(th[3]), math.exp(th[4])
   local sum = 0
   for i = 1, #X do
      local al = al0 * math.exp(-(th[5] * G[i] + th[6] * C[i]))
      local el = math.exp(th[7] * G[i] + th[8] * C[i])
      local a, b, x = a0 * el, b0 * el, X[i]
      local lg = 0
      for j = 0, x - 1 do lg = lg + math.log(r + j) + math.log(b + j) - math.log(a + b + j) end
      local l1 = -(r + x) * math.log(al + TT[i])
      local v = l1
      if x > 0 then
         local l2 = math.log(a / (b + x - 1)) - (r + x) * math.log(al + TX[i])
         local mx = math.max(l1, l2)
         v = mx + math.log(math.exp(l1 - mx) + math.exp(l2 - mx))
      end
      sum = sum + lg + r * math.log(al) + v
   end
   return sum
end

-- Nelder-Mead (standard coefficients 1, 2, 0.5, 0.5), restarted from its best point until a
-- restart gains nothing.
local function nelder_mead(f, x0, step)
   local n = #x0
   local function run(x)
      local simplex = { { x = x, f = f(x) } }
      for i = 1, n do
         local y = table.move(x, 1, n, 1, {})
         y[i] = y[i] + step
         simplex[i + 1] = { x = y, f = f(y) }
      end
      for _ = 1, 20000 do
         table.sort(simplex, function(p, q) return p.f < q.f end)
         if simplex[n + 1].f - simplex[1].f <= 1e-15 * math.abs(simplex[1].f) then break end
         local c = {}
         for j = 1, n do
            c[j] = 0
            for i = 1, n do c[j] = c[j] + simplex[i].x[j] / n end
         end
         local function along(t)
            local y = {}
            for j = 1, n do y[j] = c[j] + t * (simplex[n + 1].x[j] - c[j]) end
            return { x = y, f = f(y) }
         end
         local rfl = along(-1)
         if rfl.f < simplex[1].f then
            local e = along(-2)
            simplex[n + 1] = e.f < rfl.f and e or rfl
         elseif rfl.f < simplex[n].f then
            simplex[n + 1] = rfl
         else
            local k = along(rfl.f < simplex[n + 1].f and -0.5 or 0.5)
            if k.f < math.min(rfl.f, simplex[n + 1].f) then
               simplex[n + 1] = k
            else
               for i = 2, n + 1 do
                  local y = {}
                  for j = 1, n do y[j] = (simplex[1].x[j] + simplex[i].x[j]) / 2 end
                  simplex[i] = { x = y, f = f(y) }
               end
            end
         end
      end
      table.sort(simplex, function(p, q) return p.f < q.f end)
      return simplex[1]
   end
   local best = run(x0)
   for _ = 1, 30 do
      local nxt = run(best.x)
      if not (nxt.f < best.f - 1e-15) then break end
      best = nxt
      step = step / 2
   end
   return best
end

test("the penalized BG/NBD optimum, found again by Nelder-Mead over a likelihood written here",
   function()
   -- reg on the coefficients and a log penalty on r, alpha, a, b (which keeps a and b inside)
   local o = { reg = { trans = 0.5, life = 0.2 }, penalizer = 0.01 }
   local m = fit("bgnbd", o)
   eq(m.status, "converged")
   local n = m.n_obs
   local function objective(th)
      local pen = 0
      for j = 1, 4 do pen = pen + 0.01 * th[j] ^ 2 end
      pen = pen + 0.5 * (th[5] ^ 2 + th[6] ^ 2) + 0.2 * (th[7] ^ 2 + th[8] ^ 2)
      return -bgnbd_ll(th) / n + pen
   end
   local th = {}
   for i = 1, 8 do th[i] = i <= 4 and math.log(m.values[i]) or m.values[i] end
   near(bgnbd_ll(th), m.loglik, 1e-8, "the reported LL is the likelihood without the penalty")
   near(objective(th), m.objective, 1e-12, "the objective")
   local best = nelder_mead(objective, { 0, 0, 0, 0, 0, 0, 0, 0 }, 0.5)
   for i = 1, 8 do
      near(best.x[i], th[i], 1e-6, "theta " .. m.names[i])
   end
   T.ok(best.f >= m.objective - 1e-13, "Nelder-Mead finds no lower point")
end)

test("a penalty on the parameters pulls boundary fits inside", function()
   -- eight customers who never drop out (t_x = T): the BG/NBD's a runs to 0 without one
   local t = cv.table { { "x", { 1, 2, 3, 4, 5, 6, 7, 8 } }, { "t_x", { 30, 30, 30, 30, 30, 30, 30, 30 } },
      { "T", { 30, 30, 30, 30, 30, 30, 30, 30 } } }
   local m0 = cv.fit("bgnbd", t, { unit = "week", quiet = true })
   eq(m0.status, "boundary")
   local m = cv.fit("bgnbd", t, { unit = "week", quiet = true, penalizer = 0.01 })
   eq(m.status, "converged")
   eq(m.penalty, { params = 0.01, scale = "log", trans = 0, life = 0, spend = 0 })
   for _, v in ipairs(m.values) do T.ok(v > 1e-3 and v < 1e3, "interior " .. v) end
   T.ok(m.se.a and m.se.b, "standard errors")
   near(m:loglik_on(t), m.loglik, 1e-9, "the reported LL is the likelihood's")
   T.ok(m.loglik < m0.loglik, "below the boundary's LL")
   T.ok(tostring(m):find("penalty on the parameters: 0.01 x sum of (log p)^2", 1, true), "print")
   -- intervals: asymptotic draws from the penalized covariance; no bootstrap (its refits
   -- would drop the penalty)
   local pa, lo, hi = m:p_alive({ x = 3, t_x = 20, T = 30 }, { interval = 0.9 })
   T.ok(lo < pa and pa < hi, "asymptotic interval")
   raises_plain("Model:p_alive: bootstrap intervals of a penalized fit (bgnbd: options reg, "
      .. "penalizer) are not available", m.p_alive, m, t, { interval = 0.9,
      method = "bootstrap" })
   -- lifetimes' penalizer_coef squares the parameters: a -> 0 is what it favours
   local nat = cv.fit("bgnbd", t, { unit = "week", quiet = true, penalizer = 0.01,
      penalizer_scale = "natural" })
   eq(nat.status, "boundary")
   -- a cohort where everyone renews: sBG's alpha runs to 0 without a penalty
   eq(cv.fit("sbg", { 100, 100, 100, 100 }, { quiet = true }).status, "boundary")
   local b = cv.fit("sbg", { 100, 100, 100, 100 }, { quiet = true, penalizer = 0.01 })
   eq(b.status, "converged")
   T.ok(b:survival(3) > 0.95 and b:survival(3) < 1, "S(3) " .. b:survival(3))
end)

test("print and the report say which penalty was used", function()
   local m = fit("pareto_nbd", { reg = { trans = 8, life = 8 } })
   local shown = tostring(m)
   T.ok(shown:find("L2 penalty lambda trans 8, life 8", 1, true), shown)
   T.ok(not shown:find("likelihood-ratio", 1, true), "no LR test for a penalized fit")
   -- the report's diagnostics section (models without covariates)
   local b = cv.fit("bgnbd", s, { quiet = true, penalizer = 0.001 })
   local found = false
   for _, x in ipairs(require("cv.diagnostics").sections(b, s, {})) do
      if type(x) == "table" and x.note == "penalty on the parameters: 0.001 x sum of (log p)^2"
      then
         found = true
      end
   end
   T.ok(found, "the report's diagnostics section")
   local i18n = require "cv.i18n"
   i18n.set_lang("zh")
   local zh = tostring(m)
   i18n.set_lang("en")
   T.ok(zh:find("L2 惩罚 lambda trans 8，life 8", 1, true), zh)
end)

test("options: strict reg and penalizer", function()
   raises_plain("cv.fit: option 'reg' takes the keys trans, life for this model, not 'lif' "
      .. "(did you mean "
      .. "'life'?)", fit, "bgnbd", { reg = { trans = 8, lif = 8 } })
   raises_plain("cv.fit: option 'reg.trans' must be a number >= 0, got number -1", fit, "bgnbd",
      { reg = { trans = -1 } })
   raises_plain("cv.fit: option 'reg.life' must be a number >= 0, got '8'", fit, "bgnbd",
      { reg = { life = "8" } })
   raises_plain("cv.fit: option 'reg' is an L2 penalty on covariate coefficients and this fit "
      .. "has no covariates", cv.fit, "bgnbd", sc, { reg = { trans = 8, life = 8 } })
   raises_plain("cv.fit: option 'penalizer' must be a number >= 0, got number -0.1", cv.fit,
      "bgnbd", sc, { penalizer = -0.1 })
   raises_plain("cv.fit: option 'penalizer_scale' cannot be 'nat'", cv.fit, "bgnbd", sc,
      { penalizer = 0.1, penalizer_scale = "nat" })
   raises_plain("cv.fit: option 'reg' must be a table", cv.fit, "bgnbd", sc, { reg = 8 })
   local m = fit("bgnbd", { reg = { trans = 1, life = 1 } })
   raises_plain("Model:lr_test: the likelihood-ratio test compares maximum-likelihood fits",
      m.lr_test, m)
end)

T.report()
