-- Tests of the models' Lua face: cv.fit against the published CDNOW estimates, predictions
-- against the paper's customer and hand formulas, sBG against Fader & Hardie (2007), time
-- value by hand, CLV worked by hand, validation and tracking sums against counts made here
-- from the raw file, and parameters recovered from simulated customers.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local DATA = require "tests.lua.data"
local CDNOW = { header = false, delim = "space", types = { V3 = "date" },
   customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true }

local s, rep = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)
local PUB = { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 } -- FHL (2005)
local C1 = { x = 2, t_x = 30.43, T = 38.86 } -- the paper's customer (FHL 2005, section 5)

test("bgnbd on cdnow: the published estimates and log-likelihood", function()
   local m = cv.fit("bgnbd", s)
   near(m.params.r, 0.243, 0.001, "r")
   near(m.params.alpha, 4.414, 0.001, "alpha")
   near(m.params.a, 0.793, 0.001, "a")
   near(m.params.b, 2.426, 0.001, "b")
   near(m.loglik, -9582.4, 0.1, "LL")
   eq(m.converged, true)
   eq(m.names, { "r", "alpha", "a", "b" })
   near(m.aic, 2 * 4 + 2 * 9582.43, 0.02, "AIC = 2k - 2LL")
   near(m.bic, 4 * math.log(2357) + 2 * 9582.43, 0.02, "BIC = k ln N - 2LL")
   T.ok(m.se.r > 0 and m.se.b > 0, "standard errors")
   eq(m.n_obs, 2357.0)
end)

test("pareto/nbd, mbg/nbd and gamma-gamma on cdnow", function()
   local m = cv.fit("pnbd", s)
   near(m.params.r, 0.553, 0.001, "r")
   near(m.params.alpha, 10.578, 0.001, "alpha")
   near(m.params.s, 0.606, 0.001, "s")
   near(m.params.beta, 11.669, 0.002, "beta")
   near(m.loglik, -9595.0, 0.1, "LL")
   local g = cv.fit("gammagamma", s)
   near(g.params.p, 6.25, 0.01, "p")
   near(g.params.q, 3.74, 0.01, "q")
   near(g.params.gamma, 15.44, 0.01, "gamma")
   eq(g.n_obs, 946.0)
   near(g.correlation, 0.11, 0.005, "frequency-spend correlation (F&H 2013: 0.11)")
   local mb = cv.fit("mbgnbd", s)
   near(mb.params.r, 0.525, 0.001, "mbg r")
end)

test("the paper's customer: 1.226 purchases in 39 weeks; P(alive) by hand", function()
   local m = cv.model("bgnbd", PUB, { unit = "week" })
   near(m:conditional(C1, 39), 1.226, 0.0005, "E[Y(39)]")
   -- P(alive) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
   local pa = 1 / (1 + 0.793 / (2.426 + 1) * ((4.414 + 38.86) / (4.414 + 30.43)) ^ (0.243 + 2))
   near(m:p_alive(C1), pa, 1e-12, "P(alive)")
   eq(m:p_alive({ x = 0, t_x = 0, T = 38.86 }), 1.0)
   -- on the table: customer 1 of CDNOW is the paper's customer (to two decimals)
   local p = m:conditional(s, 39)
   near(p:row(1).conditional, 1.226, 0.001, "column")
   local t = m:predict(s, { horizon = 39, n = 0, discount = 0.15 })
   local names = t:names()
   eq({ table.unpack(names, #names - 3) }, { "p_alive", "conditional", "p_0", "dert" })
   eq(#names, #s:names() + 4) -- no constant new-customer column any more
   eq(t:col("conditional")[1], p:row(1).conditional)
   -- P(X(t) = n) sums to 1 and its mean is E[X(t)]
   local sum, mean = 0, 0
   for n = 0, 300 do
      local q = m:pmf_new(39, n)
      sum, mean = sum + q, mean + n * q
   end
   near(sum, 1, 1e-9, "pmf sums to 1")
   near(mean, m:expected_new(39), 1e-6, "pmf mean")
   -- a new customer's E[Y(t)] given x = t_x = T = 0 ... is E[X(t)] for the MBG (P(alive)
   -- b/(a+b) already at time 0 is in both)
   local mb = cv.model("mbgnbd", { r = 0.525, alpha = 6.183, a = 0.891, b = 1.614 }, { unit = "week" })
   T.ok(mb:expected_new(39) > 0, "mbg expected")
end)

test("pareto/nbd P(X(t) = n): sums to 1, mean E[X(t)] in closed form, both 2F1 forms", function()
   for _, P in ipairs { { r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 },
                        { r = 0.553, alpha = 10.578, s = 0.606, beta = 30 } } do
      local m = cv.model("pnbd", P, { unit = "week" })
      local sum, mean = 0, 0
      for n = 0, 300 do
         local q = m:pmf_new(39, n)
         sum, mean = sum + q, mean + n * q
      end
      near(sum, 1, 1e-9, "sums to 1")
      -- E[X(t)] = r beta / (alpha (s - 1)) (1 - (beta / (beta + t))^(s - 1))
      local ex = P.r * P.beta / (P.alpha * (P.s - 1)) * (1 - (P.beta / (P.beta + 39)) ^ (P.s - 1))
      near(mean, ex, 1e-8, "mean")
      -- no purchase in 0 weeks: certain
      eq(m:pmf_new(0, 0), 1.0)
   end
end)

test("dert: bg/nbd and pareto/nbd against a discounted sum of expectations", function()
   -- DERT at continuous delta equals sum over small steps h of e^(-delta t_k) (E[Y(t_k)] -
   -- E[Y(t_k-1)]) as h -> 0; here h = 0.25 weeks (midpoints) over 6,000 weeks, delta from 15%
   for _, spec in ipairs { { "bgnbd", PUB }, { "pnbd", { r = 0.553, alpha = 10.578, s = 0.606,
      beta = 11.669 } } } do
      local m = cv.model(spec[1], spec[2], { unit = "week" })
      local delta = math.log(1.15) * 7 / 365.2425
      near(m:delta(0.15), delta, 1e-15, "delta")
      local sum, prev, h = 0, 0, 0.25
      for k = 1, 24000 do
         local e = m:conditional(C1, k * h)
         sum = sum + math.exp(-delta * (k - 0.5) * h) * (e - prev)
         prev = e
      end
      local tail = m:conditional(C1, 6000)
      T.ok(tail > 0, "tail")
      local dert = m:dert(C1, { discount = 0.15 })
      -- the sum misses purchases after 6,000 weeks, discounted by e^(-16): < 1e-4 of DERT
      near(dert, sum, 2e-3 * dert, spec[1] .. " DERT")
   end
end)

test("sbg: fader & hardie (2007) regular cohort, survival by hand, derl by a direct sum", function()
   local m = cv.fit("sbg", { 1000, 631, 468, 382, 326, 289, 262, 241 })
   near(m.params.alpha, 0.704, 0.001, "alpha")
   near(m.params.beta, 1.182, 0.001, "beta")
   local a, b = m.params.alpha, m.params.beta
   near(m:survival(1), b / (a + b), 1e-12, "S(1)")
   near(m:survival(2), b / (a + b) * (b + 1) / (a + b + 1), 1e-12, "S(2)")
   near(m:retention(3), (b + 2) / (a + b + 2), 1e-12, "r(3)")
   -- DERL at 10% a year (unit year) of a customer who has just joined (0 renewals): the
   -- renewals to come, the next one (at t = 1) undiscounted: sum_{t>=1} S(t) / 1.1^(t-1);
   -- after 3 renewals: sum_{t>=4} S(t)/S(3) / 1.1^(t-4)
   local sum, sum3, S, S3 = 0, 0, 1, nil
   for t = 1, 20000 do
      S = S * (b + t - 1) / (a + b + t - 1)
      sum = sum + S / 1.1 ^ (t - 1)
      if t == 3 then S3 = S end
      if t >= 4 then sum3 = sum3 + S / S3 / 1.1 ^ (t - 4) end
   end
   near(m:derl({ x = 0 }, { discount = 0.1 }), sum, 1e-6, "DERL(0)")
   near(m:derl({ x = 3 }, { discount = 0.1 }), sum3, 1e-6, "DERL(3)")
   eq(m.unit, "year")
end)

test("time value by hand", function()
   local tv = cv.timevalue
   near(tv.per_period(0.15, "week"), 1.15 ^ (7 / 365.2425) - 1, 1e-15, "weekly")
   near(tv.per_period(0.15, "month"), 1.15 ^ (1 / 12) - 1, 1e-15, "monthly (1/12 year)")
   near(tv.per_period(0.15, "day"), 1.15 ^ (1 / 365.2425) - 1, 1e-15, "daily")
   near(tv.annual(0.01, "month"), 1.01 ^ 12 - 1, 1e-14, "1% a month")
   near(tv.continuous(0.15, "year"), math.log(1.15), 1e-15, "force of interest")
   near(tv.from_continuous(0.05, "year"), math.exp(0.05) - 1, 1e-15, "back")
   near(tv.nominal(0.12, 12), 1.01 ^ 12 - 1, 1e-14, "12% nominal monthly")
   near(tv.discount_factor(0.15, "week", 52), 1.15 ^ (-364 / 365.2425), 1e-15, "52 weeks")
   raises("not above %-1", tv.per_period, -1, "week")
   raises("bad unit 'fortnight'", tv.per_period, 0.1, "fortnight")
end)

test("clv by hand: two weeks, a spend column, a margin rate, a negative margin", function()
   local m = cv.model("bgnbd", PUB, { unit = "week" })
   local t = cv.table { { "x", { 2, 0 } }, { "t_x", { 30.43, 0 } }, { "T", { 38.86, 38.86 } },
      { "avg", { 40, 10 } }, { "margin", { 12, -3 } }, { "revenue", { 120, 30 } } }
   local v = 1 / 1.15 ^ (7 / 365.2425)
   local function dtx(x, tx, T_)
      local who = { x = x, t_x = tx, T = T_ }
      local e1, e2 = m:conditional(who, 1), m:conditional(who, 2)
      return v * e1 + v * v * (e2 - e1)
   end
   local c = m:clv(t, { spend = "avg", margin = 0.3, horizon = 2, discount = 0.15, unit = "week" })
   near(c:row(1).clv, dtx(2, 30.43, 38.86) * 40 * 0.3, 1e-10, "customer 1")
   near(c:row(2).clv, dtx(0, 0, 38.86) * 10 * 0.3, 1e-10, "customer 2")
   -- margins from cost data: shares 0.1 and -0.1; a negative value
   c = m:clv(t, { spend = 100, margin = "margin", horizon = 2, discount = 0.15 })
   near(c:row(1).clv, dtx(2, 30.43, 38.86) * 100 * 0.1, 1e-10, "margin column")
   T.ok(c:row(2).clv < 0, "negative value")
   -- Gamma-Gamma spend: p (gamma + x m) / (p x + q - 1)
   local g = cv.model("gammagamma", { p = 6.25, q = 3.74, gamma = 15.44 })
   c = m:clv(t, { spend = g, horizon = 2, discount = 0.15, m = "avg" })
   near(c:row(1).spend, 6.25 * (15.44 + 2 * 40) / (6.25 * 2 + 3.74 - 1), 1e-10, "gg spend")
   near(c:row(2).spend, 6.25 * 15.44 / (3.74 - 1), 1e-10, "gg population mean")
   near(g:spend({ x = 2, m = 40 }), c:row(1).spend, 1e-12, "single value")
   -- the whole lifetime: DERT at the continuous weekly rate
   c = m:clv(t, { spend = 1, horizon = math.huge, discount = 0.15 })
   near(c:row(1).clv, m:dert(C1, { discount = 0.15 }), 1e-9, "lifetime = DERT")
   raises("clv horizon must be positive", m.clv, m, t, { horizon = -1 })
   raises("Model:clv: option 'spend' must be a fitted model or a string or a number, got "
      .. "boolean true", m.clv, m, t, { spend = true })
end)

-- Repeat transactions of the CDNOW sample counted here from the raw file: distinct
-- (customer, day) pairs per customer, the first day not a repeat.
local function count_cdnow()
   local days = {}
   for line in io.lines(DATA .. "CDNOW_sample.txt") do
      local id, d = line:match("^%s*%S+%s+(%S+)%s+(%d+)")
      days[id] = days[id] or {}
      days[id][tonumber(d)] = true
   end
   local holdout, calib = 0, 0
   for _, set in pairs(days) do
      local first = math.huge
      for d in pairs(set) do first = math.min(first, d) end
      for d in pairs(set) do
         if d > first and d <= 19970930 then calib = calib + 1 end
         if d >= 19971001 and d <= 19980630 then holdout = holdout + 1 end
      end
   end
   return calib, holdout
end

test("validation on cdnow: bucket actuals add up to the holdout transactions", function()
   local calib, holdout = count_cdnow()
   eq(calib, 2457) -- FHL (2005): 2,457 repeat transactions in the calibration period
   local m = cv.fit("bgnbd", s)
   local b, st = m:validate(s) -- the holdout of the summary: 39 weeks
   eq(rep.holdout_length, 39.0)
   eq(select(2, m:validate(s, { horizon = rep.holdout_length })), st)
   eq(st.actual, holdout + 0.0)
   eq(b:col("actual_total"):sum(), holdout + 0.0)
   eq(b:col("customers"):sum(), 2357)
   near(b:col("expected_total"):sum(), st.expected, 1e-9, "expected adds up")
   eq(#b, 8) -- x = 0..7+
   T.ok(st.mae > 0 and st.rmse >= st.mae and st.brier > 0 and st.brier < 1, "errors")
   local c = cv.compare({ m, cv.fit("pnbd", s) }, s, { horizon = 39 })
   eq(c:row(1).model .. " " .. c:row(2).model, "bgnbd pareto_nbd")
   eq(c:row(2).actual, holdout + 0.0)
end)

test("tracking on cdnow: weekly repeat transactions add up; expected at 39 weeks", function()
   local calib, holdout = count_cdnow()
   local tx = cv.read_csv(DATA .. "CDNOW_sample.txt", { header = false, delim = "space",
      types = { V3 = "date" } })
   local m = cv.model("bgnbd", PUB, { unit = "week" })
   local tr = m:tracking(tx, { customer = "V2", date = "V3", calibration_end = "1997-09-30",
      ["end"] = "1998-06-30" })
   eq(tr:col("actual"):sum(), calib + holdout + 0.0)
   eq(tr:row(#tr).actual_cum, calib + holdout + 0.0)
   -- expected cumulative repeat purchases at the end of the calibration (week ending
   -- 1997-09-30 is week 39 from 1997-01-01): sum over customers of E[X(T_i)]
   local want = 0
   for _, r in s:rows() do want = want + m:expected_new(r.T) end
   eq(tostring(tr:row(39)["end"]), "1997-09-30")
   near(tr:row(39).expected_cum, want, 1e-6, "expected at the calibration end")
   near(tr:col("expected"):sum(), tr:row(#tr).expected_cum, 1e-9, "increments add up")
end)

test("parameters recovered from simulated customers (60,000; 4 standard errors)", function()
   local truth = { r = 0.6, alpha = 5, a = 0.8, b = 3 }
   local sim = cv.simulate({ model = "bgnbd", params = truth }, 60000, { seed = 11, T = 52 })
   eq(#sim, 60000)
   local m = cv.fit("bgnbd", sim, { unit = "week" })
   for k, v in pairs(truth) do
      T.ok(math.abs(m.params[k] - v) < 4 * m.se[k],
         string.format("bgnbd %s %.4f vs %.4f (se %.4f)", k, m.params[k], v, m.se[k]))
   end
   local pt = { r = 0.55, alpha = 10, s = 0.6, beta = 12 }
   local ps = cv.simulate({ model = "pareto_nbd", r = 0.55, alpha = 10, s = 0.6, beta = 12 },
      30000, { seed = 5, T = 78 })
   local pm = cv.fit("pnbd", ps, { unit = "week" })
   for k, v in pairs(pt) do
      T.ok(math.abs(pm.params[k] - v) < 4 * pm.se[k],
         string.format("pnbd %s %.4f vs %.4f (se %.4f)", k, pm.params[k], v, pm.se[k]))
   end
   -- Gamma-Gamma: x from the BG/NBD draws, spends drawn for them
   local xs = sim:col("x"):totable()
   local gs = cv.simulate({ model = "gamma_gamma", p = 6, q = 4, gamma = 15 }, 60000,
      { seed = 3, x = xs })
   local g = cv.fit("gammagamma", gs)
   for k, v in pairs { p = 6, q = 4, gamma = 15 } do
      T.ok(math.abs(g.params[k] - v) < 4 * g.se[k],
         string.format("gg %s %.4f vs %.4f (se %.4f)", k, g.params[k], v, g.se[k]))
   end
   -- the same seed, the same customers
   local again = cv.simulate(m, 10, { seed = 11, T = 52 })
   eq(again:col("x"):totable(), cv.simulate(m, 10, { seed = 11, T = 52 }):col("x"):totable())
end)

test("generated transactions: summarized and fitted, they give the parameters back", function()
   local truth = { r = 0.5, alpha = 6, a = 0.7, b = 2.5 }
   local tx = cv.simulate_transactions({ model = "bgnbd", params = truth }, 40000,
      { seed = 9, start = "1997-01-01", cohort_days = 84, ["end"] = "1998-06-30", unit = "week",
        spend = { p = 6.25, q = 3.74, gamma = 15.44 } })
   local sm = cv.summary(tx, { customer = "customer", date = "date", amount = "amount",
      unit = "week", calibration_end = "1998-06-30", quiet = true })
   eq(#sm, 40000)
   local m = cv.fit("bgnbd", sm)
   -- day rounding merges a few same-day purchases: within 6% (see tests/unit/test_clv.c)
   for k, v in pairs(truth) do
      T.ok(math.abs(m.params[k] - v) < 0.06 * v,
         string.format("%s %.4f vs %.4f", k, m.params[k], v))
   end
   local g = cv.fit("gammagamma", sm, { quiet = true })
   -- the first purchase is not in mean_repeat_spend; the repeat spends recover p, q, gamma
   T.ok(math.abs(g.params.p - 6.25) < 4 * g.se.p, "gg p " .. g.params.p)
end)

test("mistakes", function()
   raises("unknown model 'nope'", cv.fit, "nope", s)
   raises("no column 'freq'", cv.fit, "bgnbd", s, { x = "freq" })
   raises("survivor counts are for sbg", cv.fit, "bgnbd", { 1, 2 })
   raises("survivor count 2 %(1200%) exceeds", cv.fit, "sbg", { 1000, 1200 })
   raises("parameter 'b' of bgnbd missing", cv.model, "bgnbd", { r = 1, alpha = 1, a = 1 })
   local m = cv.model("bgnbd", PUB, { unit = "week" })
   raises("bgnbd does not predict 'spend'", m.spend, m, s)
   raises("recency t_x must lie between 0 and the age T", m.p_alive, m, { x = 1, t_x = 5, T = 3 })
end)

T.report()
