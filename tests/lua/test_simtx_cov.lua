-- memcheck: skip (about 20 s: 200,000 customers drawn and a fit of 30,000; tests/unit/
-- test_simtx_cov.c runs cv_cov_simulate_tx's paths under memcheck)
-- Tests of cv.simulate_transactions with covariates (docs/models.md, "Simulating customers
-- with covariates"): customer i's purchases drawn in C (cv_cov_simulate_tx) at their own
-- parameters, alpha_i = alpha exp(-g_trans'z_i), beta_i = beta exp(-g_life'z_i) (Pareto/NBD),
-- a_i, b_i = a, b exp(g_life'z_i) (BG/NBD). Coefficients of 0 give the plain simulator's
-- transactions row for row (same seed); the id column; the mean transactions per customer of
-- each level against 1 + E[X(T_i)] at the customer's own age T_i (the Pareto/NBD's closed form
-- written out here, the BG/NBD's from cv.model); parameters recovered through summary and
-- fit; the errors.
local T = require "cv.testing"
local test, eq, ok, raises = T.test, T.eq, T.ok, T.raises
local date = require "cv.core.date"

local function days(v)
   if math.type(v) == "integer" then return v end
   return date.days(tostring(v))
end

-- n customers: customer = 1..n, level 0 for the first half and 1 for the second, z a standard
-- normal from Lua's generator (seeded)
local function customers(n, seed)
   math.randomseed(seed)
   local id, lev, z = {}, {}, {}
   for i = 1, n do
      id[i], lev[i] = i, i <= n // 2 and 0 or 1
      local u1, u2 = math.random(), math.random()
      z[i] = math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
   end
   return cv.table { { "customer", id }, { "level", lev }, { "z", z } }
end

local PN = { model = "pareto_nbd", r = 0.55, alpha = 10.6, s = 0.61, beta = 11.7,
   ["trans.level"] = 0.7, ["life.level"] = -0.5 }

test("coefficients 0: the plain simulator's transactions, row for row", function()
   for _, base in ipairs {
      { model = "pareto_nbd", r = 0.55, alpha = 10.6, s = 0.61, beta = 11.7 },
      { model = "bgnbd", r = 0.24, alpha = 4.4, a = 0.79, b = 2.4 } } do
      local c = customers(500, 1)
      local zero = {}
      for k, v in pairs(base) do zero[k] = v end
      zero["trans.level"], zero["life.z"] = 0, 0
      local o = { unit = "week", seed = 5, spend = { p = 6, q = 4, gamma = 15 } }
      local plain = cv.simulate_transactions(base, 500, o)
      o.covariates = c
      local cov = cv.simulate_transactions(zero, 500, o)
      ok(plain:nrows() > 500, "some repeat purchases")
      eq(cov:nrows(), plain:nrows())
      for _, col in ipairs { "customer", "date", "amount" } do
         eq(cov:col(col):totable(), plain:col(col):totable(), base.model .. " " .. col)
      end
   end
end)

test("id: the covariate table's ids, name and type kept, so the transactions join", function()
   local who = cv.table { { "Id", { "c1", "c2", "c3" } }, { "level", { 0, 1, 1 } } }
   local t = cv.simulate_transactions(PN, 3, { covariates = who, id = "Id", unit = "week",
      seed = 2 })
   eq(t:names(), { "Id", "date", "amount" })
   local plain = cv.simulate_transactions(PN, 3, { covariates = who, unit = "week", seed = 2 })
   local ids, rows = t:col("Id"):totable(), plain:col("customer"):totable()
   eq(#ids, #rows)
   for k = 1, #ids do eq(ids[k], ({ "c1", "c2", "c3" })[rows[k]]) end
   eq(t:col("date"):totable(), plain:col("date"):totable())
end)

-- the transactions of each customer (rows of t) and their first day
local function counts(t, n)
   local cust, dd = t:col("customer"):totable(), t:col("date"):totable()
   local cnt, first = {}, {}
   for i = 1, n do cnt[i] = 0 end
   for k = 1, #cust do
      local i = cust[k]
      cnt[i] = cnt[i] + 1
      local d = days(dd[k])
      if not first[i] or d < first[i] then first[i] = d end
   end
   return cnt, first
end

-- sum over the customers of level lev of their transactions minus 1 + E[X(T_i)], against 4
-- standard errors of that sum (the residuals' spread)
local function check_level(what, cnt, first, lev, n, stop, ex)
   local s, s2, k, memo = 0, 0, 0, {}
   for i = lev * n // 2 + 1, (lev + 1) * n // 2 do
      local Ti = (stop - first[i]) / 7
      memo[Ti] = memo[Ti] or ex(Ti)
      local d = cnt[i] - 1 - memo[Ti]
      s, s2, k = s + d, s2 + d * d, k + 1
   end
   local se = math.sqrt(s2 - s * s / k)
   ok(math.abs(s) < 4 * se, string.format("%s level %d: sum of residuals %.1f, se %.1f", what,
      lev, s, se))
   io.write(string.format("# %s level %d: %.2f SE\n", what, lev, s / se))
end

local N = 200000
local START, STOP = date.days("1997-01-01"), date.days("1997-01-01") + 546

test("pareto_nbd: transactions per customer = 1 + E[X(T_i)] within 4 SE, each level", function()
   local c = customers(N, 3)
   local t = cv.simulate_transactions(PN, N, { covariates = c, unit = "week", seed = 11 })
   local cnt, first = counts(t, N)
   for lev = 0, 1 do
      local a = PN.alpha * math.exp(-PN["trans.level"] * lev)
      local b = PN.beta * math.exp(-PN["life.level"] * lev)
      -- E[X(t)] = r b / (a (s - 1)) (1 - (b / (b + t))^(s - 1))  (Fader & Hardie 2005)
      check_level("pareto_nbd", cnt, first, lev, N, STOP, function(Ti)
         return PN.r * b / (a * (PN.s - 1)) * (1 - (b / (b + Ti)) ^ (PN.s - 1))
      end)
   end
end)

test("bgnbd: transactions per customer = 1 + cv.model's E[X(T_i)] within 4 SE", function()
   local p = { model = "bgnbd", r = 0.24, alpha = 4.4, a = 0.79, b = 2.4,
      ["trans.level"] = 0.6, ["life.level"] = 0.8 }
   local c = customers(N, 4)
   local t = cv.simulate_transactions(p, N, { covariates = c, unit = "week", seed = 12 })
   local cnt, first = counts(t, N)
   for lev = 0, 1 do
      local e = math.exp(p["life.level"] * lev)
      local m1 = cv.model("bgnbd", { r = p.r, alpha = p.alpha * math.exp(-p["trans.level"] * lev),
         a = p.a * e, b = p.b * e }, { unit = "week" })
      check_level("bgnbd", cnt, first, lev, N, STOP,
         function(Ti) return Ti > 0 and m1:expected_new(Ti) or 0 end)
   end
end)

test("recovery: 30,000 customers' transactions, summarised and fitted, within 4 SE", function()
   local n = 30000
   local truth = { model = "pareto_nbd", r = 0.8, alpha = 6, s = 0.9, beta = 14,
      ["trans.level"] = 0.5, ["trans.z"] = -0.3, ["life.level"] = 0.6 }
   local c = customers(n, 5)
   local t = cv.simulate_transactions(truth, n, { covariates = c, unit = "week", seed = 13,
      cohort_days = 180 })
   local s = cv.summary(t, { customer = "customer", date = "date", amount = "amount",
      unit = "week", quiet = true })
   s = s:join(c, { on = { customer = "customer" } })
   eq(s:nrows(), n)
   local m = cv.fit("pareto_nbd", s, { trans = { "level", "z" }, life = "level", quiet = true })
   for j, name in ipairs(m.names) do
      local want = truth[name]
      local dev = (m.values[j] - want) / m.se[name]
      ok(math.abs(dev) < 4, string.format("%s: %.4g, truth %.4g, se %.3g", name, m.values[j],
         want, m.se[name]))
      io.write(string.format("# %s: %.4g (se %.3g), truth %.4g: %.2f SE\n", name, m.values[j],
         m.se[name], want, dev))
   end
end)

test("errors: covariates without coefficients, a missing column, rows not n", function()
   local plain = { model = "pareto_nbd", r = 0.55, alpha = 10.6, s = 0.61, beta = 11.7 }
   local c = customers(10, 6)
   raises("covariates", cv.simulate_transactions, plain, 10, { covariates = c, unit = "week" })
   raises("covariates", cv.simulate_transactions, PN, 10, { unit = "week" })
   raises("unknown column 'lvl'", cv.simulate_transactions,
      { model = "pareto_nbd", r = 1, alpha = 1, s = 1, beta = 1, ["trans.lvl"] = 1 }, 10,
      { covariates = c, unit = "week" })
   raises("10", cv.simulate_transactions, PN, 9, { covariates = c, unit = "week" })
   raises("unknown column 'Idd'", cv.simulate_transactions, PN, 10,
      { covariates = c, unit = "week", id = "Idd" })
   raises("'idd'", cv.simulate_transactions, PN, 10, { covariates = c, unit = "week", idd = 1 })
   raises("no coefficient of mbgnbd", cv.simulate_transactions,
      { model = "mbgnbd", r = 1, alpha = 1, a = 1, b = 1, ["trans.level"] = 1 }, 10,
      { covariates = c, unit = "week" })
end)
T.report()
