-- Tests of the covariates' Lua face (cv.fit(name, s, {trans =, life =, constrain =}),
-- lua/cv/covariates.lua): the apparel fits (weeks, 40-week calibration from 2005-01-02,
-- Gender and Channel on both processes) against a likelihood computed here in plain Lua
-- (the integral form by Simpson's rule: no code shared with the core); what the data barely
-- identify; the options and their refusals; predictions, DERT and CLV with each customer's
-- own parameters against cv.model at those parameters; the likelihood-ratio test.
-- We found no published CLVTools log-likelihood for this exact example (docs/models.md,
-- "Covariates"): tools/pnbd_cov_check.lua is the independent fit we compared with.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local DATA = require "tests.lua.data"
local A = require "tests.lua.cov_data"
local s, sc = A.summary, A.with_cov
local BOTH = { trans = { "Gender", "Channel" }, life = { "Gender", "Channel" }, quiet = true }

local function log1p(v) return math.abs(v) < 1e-4 and v - v * v / 2 + v * v * v / 3 or math.log(1 + v) end

-- The Pareto/NBD log-likelihood of the customers of t at the model m's estimates (CLVTools'
-- parametrization written out here), by the integral form of Fader & Hardie (2005):
-- Gamma(r+x)/Gamma(r) alpha^r beta^s [(alpha+T)^-(r+x) (beta+T)^-s + s int_{t_x}^T
-- (alpha+u)^-(r+x) (beta+u)^-(s+1) du], Simpson with 400 intervals; log Gamma(r+x)/Gamma(r)
-- as the sum of log(r+k), k < x.
local function pnbd_ll(m, t)
   local p = m.params
   local X, TX, TT = t:col("x"):totable(), t:col("t_x"):totable(), t:col("T"):totable()
   local G, C = t:col("Gender"):totable(), t:col("Channel"):totable()
   local r, sh, sum = p.r, p.s, 0
   for i = 1, #X do
      local al = p.alpha * math.exp(-(p["trans.Gender"] * G[i] + p["trans.Channel"] * C[i]))
      local be = p.beta * math.exp(-(p["life.Gender"] * G[i] + p["life.Channel"] * C[i]))
      local x, tx, Ti = X[i], TX[i], TT[i]
      local function lf(u, e)
         return -r * log1p(u / al) - x * math.log(al + u) - (sh + e) * log1p(u / be) - e * math.log(be)
      end
      local l1, l2 = lf(Ti, 0), -math.huge
      if Ti > tx then
         local k, h, ref, acc = 400, (Ti - tx) / 400, lf(tx, 1), 0
         for j = 0, k do
            acc = acc + ((j == 0 or j == k) and 1 or (j % 2 == 1 and 4 or 2))
               * math.exp(lf(tx + j * h, 1) - ref)
         end
         l2 = math.log(sh) + ref + math.log(acc * h / 3)
      end
      local mx = math.max(l1, l2)
      local lg = 0
      for j = 0, x - 1 do lg = lg + math.log(r + j) end
      sum = sum + lg + mx + math.log(math.exp(l1 - mx) + math.exp(l2 - mx))
   end
   return sum
end

local m = cv.fit("pareto_nbd", sc, BOTH)
local m0 = cv.fit("pareto_nbd", sc, { quiet = true })

test("apparel pareto_nbd: the LL equals an independent sum; the covariates matter", function()
   near(m.n_obs, 600, 0)
   eq(#m.names, 8)
   eq(m.names[5], "trans.Gender")
   eq(m.names[8], "life.Channel")
   -- the model without life.Gender (nested) reaches -2589.2645, so no fit of this one may
   -- end below that; an independent Nelder-Mead (tools/pnbd_cov_check.lua) found -2589.2321
   -- further along the flat ridge (docs/models.md, "Covariates")
   near(m.loglik, -2589.2325, 1e-6, "LL")
   near(pnbd_ll(m, sc), m.loglik, 1e-8, "LL by Simpson")
   near(m.loglik0, m0.loglik, 1e-12, "the nested LL is the fit without covariates")
   local t = m:lr_test()
   near(t.statistic, 2 * (m.loglik - m0.loglik), 1e-12)
   eq(t.df, 4)
   T.ok(t.p_value < 1e-8 and t.p_value > 1e-10, "p " .. t.p_value)
   local t2 = cv.lr_test(m, m0)
   near(t2.p_value, t.p_value, 1e-12)
   near(m.aic, 2 * 8 - 2 * m.loglik, 1e-12)
end)

test("apparel pareto_nbd: what the data barely identify", function()
   -- beta runs off with life.Channel (online customers, Channel = 0, hardly ever drop out):
   -- one flat direction of the likelihood; s is barely informed either
   eq(m.status, "boundary")
   eq(m.boundary, { "beta" })
   eq(m.weak, { "s", "beta", "life.Channel" })
   T.ok(m.eigen[1] < 1e-3 and m.eigen[2] < 0.1 and m.eigen[3] > 1, "eigenvalues")
   local c = m:coef()
   eq(c:col("param"):totable()[6], "trans.Channel")
   -- the purchase side is well determined; the dropout side is not
   T.ok(m.se["trans.Gender"] < 0.2 and m.se["trans.Channel"] < 0.2, "trans se")
   T.ok(m.se.s > 2 * m.params.s, "s se " .. tostring(m.se.s))
   eq(m.se.beta, nil)
   local lo, hi = c:col("lower"):totable(), c:col("upper"):totable()
   near(lo[5], m.params["trans.Gender"] - 1.959963984540054 * m.se["trans.Gender"], 1e-12)
   near(hi[1], m.params.r * math.exp(1.959963984540054 * m.se.r / m.params.r), 1e-12)
   T.ok(tostring(m):find("barely identified by the data", 1, true), "shown by print")
   -- the profile likelihood: flat in life.Channel from 4 up (no upper bound: the Wald
   -- interval from its standard error is not an interval of the data), far below at 0;
   -- trans.Gender's profile agrees with its Wald interval (deviance 3.84 at its ends)
   local p = m:profile("life.Channel", { 0, 4, 8 })
   local dev = p:col("deviance"):totable()
   T.ok(dev[1] > 15 and dev[2] < 0.01 and dev[3] < 0.01, "life.Channel profile")
   near(p:col("loglik"):totable()[1], -2600.483, 1e-6, "life.Channel = 0")
   local g = m:profile("trans.Gender", { lo[5], hi[5] }):col("deviance"):totable()
   T.ok(math.abs(g[1] - 3.84) < 0.3 and math.abs(g[2] - 3.84) < 0.3, "trans.Gender profile "
      .. g[1] .. " " .. g[2])
   raises("Model:profile: unknown parameter 'life.Chanel' %(did you mean 'life.Channel'%?%)",
      m.profile, m, "life.Chanel", { 1 })
end)

test("apparel bgnbd: a, b run off, so the life coefficients (a and b scaled alike) vanish", function()
   local b = cv.fit("bgnbd", sc, BOTH)
   local b0 = cv.fit("bgnbd", sc, { quiet = true })
   near(b.loglik, -2594.61, 1e-5, "LL")
   T.ok(b.loglik > b0.loglik, "better than without covariates")
   eq(b.weak, { "a", "b", "life.Gender", "life.Channel" })
   T.ok(b.se["trans.Gender"] > 0.05 and b.se["trans.Gender"] < 0.2, "trans se")
   eq(b.se["life.Gender"], nil)
end)

test("options: misspelt, unknown column, text column, wrong model, named twice", function()
   raises("did you mean 'life'", cv.fit, "pareto_nbd", sc, { lifee = { "Gender" } })
   raises("cv.fit: unknown column 'Gendr' %(did you mean 'Gender'%?%)", cv.fit, "pareto_nbd",
      sc, { trans = { "Gendr" } })
   local txt = sc:add("Segment", function(row) return row.Gender == 1 and "f" or "m" end, "string")
   raises("covariate 'Segment' is text: covariates are numbers; code each category but one",
      cv.fit, "pareto_nbd", txt, { trans = "Segment" })
   raises("mbgnbd takes no covariates", cv.fit, "mbgnbd", sc, { trans = "Gender" })
   raises("covariate 'Gender' is named twice for the purchase process", cv.fit, "pareto_nbd", sc,
      { trans = "Gender", constrain = "Gender" })
end)

test("a constrained covariate: one coefficient on both processes, nested in the free one",
   function()
      local mc = cv.fit("pareto_nbd", sc, { trans = "Channel", constrain = "Gender", quiet = true })
      eq(mc.names, { "r", "alpha", "s", "beta", "trans.Channel", "constr.Gender" })
      local mf = cv.fit("pareto_nbd", sc, { trans = { "Channel", "Gender" }, life = "Gender",
         quiet = true })
      T.ok(mf.loglik >= mc.loglik - 1e-6, "the free model fits at least as well")
      -- not nested by name: constr.Gender is no parameter of the free model
      raises("not nested", cv.lr_test, mf, mc)
      local mt = cv.fit("pareto_nbd", sc, { trans = "Channel", quiet = true })
      local t = cv.lr_test(mc, mt)
      eq(t.df, 1)
      near(t.statistic, 2 * (mc.loglik - mt.loglik), 1e-12)
   end)

-- CDNOW (an interior fit, where DERT is computable) with two made-up covariates: z, a 0/1
-- dummy (the customer id's parity), and u, a number spread over [-1, 1]
local CDNOW = { header = false, delim = "space", types = { V3 = "date" },
   customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", quiet = true }
local cd = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)
cd = cd:add("z", function(row) return row.customer % 2 end, "int")
cd = cd:add("u", function(row) return ((row.customer * 7919) % 201 - 100) / 100 end, "float")

test("predictions: each customer with their own parameters, as cv.model at those", function()
   for _, name in ipairs { "pareto_nbd", "bgnbd" } do
      local mc = cv.fit(name, cd, { trans = { "z", "u" }, life = "u", quiet = true })
      eq(mc.status, "converged")
      local p = mc:p_alive(cd)
      p = mc:conditional(p, 52)
      p = mc:dert(p, { discount = 0.1 })
      local pa, co, de = p:col("p_alive"):totable(), p:col("conditional"):totable(),
         p:col("dert"):totable()
      local c = mc:clv(cd, { horizon = math.huge, spend = 1, discount = 0.1 })
      local dtx = c:col("dtx"):totable()
      local c52 = mc:clv(cd, { horizon = 52, spend = 2 }):col("clv"):totable()
      local p1 = mc:predict(cd, { horizon = 52, n = 1 }):col("p_1"):totable()
      local act = mc:p_active(cd, 26):col("p_active"):totable()
      local k2 = mc:pmf(cd, 26, 2):col("pmf_2"):totable()
      for _, i in ipairs { 1, 7, 42, 300, 2000 } do
         local row = cd:row(i)
         local P = mc.params
         local own = { r = P.r, alpha = P.alpha * math.exp(-(P["trans.z"] * row.z
            + P["trans.u"] * row.u)) }
         if name == "pareto_nbd" then
            own.s, own.beta = P.s, P.beta * math.exp(-P["life.u"] * row.u)
         else
            own.a, own.b = P.a * math.exp(P["life.u"] * row.u), P.b * math.exp(P["life.u"] * row.u)
         end
         own = cv.model(name, own, { unit = "week" })
         local rec = { x = row.x, t_x = row.t_x, T = row.T, z = row.z, u = row.u }
         local what = name .. " row " .. i
         near(pa[i], own:p_alive(rec), 1e-12, "p_alive " .. what)
         near(co[i], own:conditional(rec, 52), 1e-12, "conditional " .. what)
         near(de[i], own:dert(rec, { discount = 0.1 }), 1e-10, "dert " .. what)
         near(dtx[i], de[i], 1e-12, "clv's DERT " .. what)
         near(mc:conditional(rec, 52), co[i], 1e-12, "record " .. what)
         near(mc:clv(rec, { horizon = 52, spend = 2 }), own:clv(rec, { horizon = 52, spend = 2 }),
            1e-12, "clv " .. what)
         near(c52[i], own:clv(rec, { horizon = 52, spend = 2 }), 1e-12, "clv table " .. what)
         near(p1[i], own:pmf_new(52, 1), 1e-12, "P(X(52) = 1) " .. what)
         near(act[i], own:p_active(rec, 26), 1e-12, "P(active in 26) " .. what)
         near(k2[i], own:pmf(rec, 26, 2), 1e-12, "P(Y(26) = 2) " .. what)
         near(mc:p_active(rec, 26), act[i], 1e-12, "P(active) record " .. what)
      end
      raises("the customer's record needs a number 'u'", mc.p_alive, mc, { x = 1, t_x = 2, T = 30,
         z = 1 })
   end
   raises("Model:validate: not available for a model with covariates", m.validate, m, sc)
   raises("Model:diagnostics: not available for a model with covariates", m.diagnostics, m, sc)
   raises("Model:conditional: no asymptotic interval for pareto_nbd: the fit has no covariance "
      .. "of its parameters and coefficients %(status boundary%); a penalty",
      m.conditional, m, sc, 10, { interval = 0.9 })
   -- cv.simulate needs each customer's covariates (tests/lua/test_simcov.lua)
   raises("has covariates %(Gender, Channel%): give each customer's values", cv.simulate, m, 10)
end)

T.report()
