-- The one model interface (issue 14, item 3; docs/models.md "The one interface"): every
-- prediction takes a cv.Table of customers (the table with a column added) or one customer
-- as a record {x =, t_x =, T =} (a number), then the horizon and the options; a new
-- customer has methods of its own; a missing horizon is an error; a name a Model does not
-- have is an error with "did you mean"; no field hides a method; horizons in another unit
-- are converted exactly; the validation's holdout comes from the summary.
local T = require "cv.testing"
local DATA = require "tests.lua.data"
local fit = require "cv.fit"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises

local CDNOW = { header = false, delim = "space", types = { V3 = "date" },
   customer = "V2", date = "V3", amount = "V5", unit = "week",
   calibration_end = "1997-09-30", observation_end = "1998-06-30", quiet = true }
local s = cv.summary_csv(DATA .. "CDNOW_sample.txt", CDNOW)
local PUB = { r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 } -- FHL (2005)
local bg = cv.model("bgnbd", PUB, { unit = "week" })
local gg = cv.model("gammagamma", { p = 6.25, q = 3.74, gamma = 15.44 }) -- F&H (2013)

-- The paper's customer (FHL 2005, section 5: x = 2, t_x = 30.43, T = 38.86) and a customer
-- with no repeat purchase, as records and as a table of the same two customers.
local C1 = { x = 2, t_x = 30.43, T = 38.86, m = 40 }
local C2 = { x = 0, t_x = 0, T = 38.86, m = 0 }
local two = cv.table { { "x", { 2, 0 } }, { "t_x", { 30.43, 0 } }, { "T", { 38.86, 38.86 } },
   { "mean_repeat_spend", { 40, 0 } } }

test("record and table agree, and agree with the published and hand-made values", function()
   -- E[Y(39) | 2, 30.43, 38.86] = 1.226 (FHL 2005, section 5)
   local e = bg:conditional(C1, 39)
   near(e, 1.226, 0.0005, "E[Y(39)]")
   eq(bg:conditional(two, 39):col("conditional")[1], e)
   eq(bg:conditional(two, 39):col("conditional")[2], bg:conditional(C2, 39))
   -- P(alive) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) (FHL 2005, eq. 11)
   local pa = 1 / (1 + 0.793 / (2.426 + 1) * ((4.414 + 38.86) / (4.414 + 30.43)) ^ (0.243 + 2))
   near(bg:p_alive(C1), pa, 1e-12, "P(alive)")
   eq(bg:p_alive(two):col("p_alive")[1], bg:p_alive(C1))
   eq(bg:p_alive(C2), 1.0) -- no repeat purchase: the BG/NBD customer cannot have dropped out
   -- DERT: the table's row is the record's
   local d = bg:dert(C1, { discount = 0.15 })
   eq(bg:dert(two, { discount = 0.15 }):col("dert")[1], d)
   eq(bg:dert(C1), d) -- the declared default discount, 15% a year
   T.ok(d > e, "DERT over the lifetime exceeds 39 weeks' purchases")
   -- Gamma-Gamma: p (gamma + x m) / (p x + q - 1)
   local sp = gg:spend({ x = 2, m = 40 })
   near(sp, 6.25 * (15.44 + 2 * 40) / (6.25 * 2 + 3.74 - 1), 1e-12, "spend")
   eq(gg:spend(two):col("spend")[1], sp)
   -- CLV over two weeks by hand: discounted increments of E[Y(t)] x spend x margin
   local v = 1 / 1.15 ^ (7 / 365.2425)
   local e1, e2 = bg:conditional(C1, 1), bg:conditional(C1, 2)
   local want = (v * e1 + v * v * (e2 - e1)) * sp * 0.3
   local c = bg:clv(C1, { spend = gg, margin = 0.3, horizon = 2, discount = 0.15 })
   near(c, want, 1e-10, "clv of the record")
   eq(bg:clv(two, { spend = gg, margin = 0.3, horizon = 2, discount = 0.15 }):col("clv")[1], c)
   -- a row of a summary is a record too
   local row = s:row(1)
   eq(bg:conditional(row, 39), bg:conditional(s, 39):col("conditional")[1])
end)

test("sBG: derl of a record and of a table of renewals; F&H (2007) cohort", function()
   local sb = cv.fit("sbg", { 1000, 631, 468, 382, 326, 289, 262, 241 })
   local a, b = sb.params.alpha, sb.params.beta
   -- DERL after 3 renewals at 10% a year: sum_{t>=4} S(t)/S(3) / 1.1^(t-4), by a direct sum
   local S, S3, sum3 = 1, nil, 0
   for t = 1, 20000 do
      S = S * (b + t - 1) / (a + b + t - 1)
      if t == 3 then S3 = S end
      if t >= 4 then sum3 = sum3 + S / S3 / 1.1 ^ (t - 4) end
   end
   near(sb:derl({ x = 3 }, { discount = 0.1 }), sum3, 1e-6, "DERL(3)")
   local t = sb:derl(cv.table { { "x", { 0, 3 } } }, { discount = 0.1 })
   eq(t:col("derl")[2], sb:derl({ x = 3 }, { discount = 0.1 }))
   eq(t:col("derl")[1], sb:derl({ x = 0 }, { discount = 0.1 }))
   raises("Model:derl: option 'discount' is required", sb.derl, sb, { x = 3 })
end)

-- 2F1(a, b; c; z) by its series (|z| < 1), for the closed forms below.
local function f21(a, b, c, z)
   local term, sum = 1, 1
   for k = 0, 200000 do
      term = term * (a + k) * (b + k) / ((c + k) * (k + 1)) * z
      sum = sum + term
      if math.abs(term) < 1e-17 * math.abs(sum) then break end
   end
   return sum
end

test("a new customer: expected_new and pmf_new against the closed forms", function()
   -- BG/NBD (FHL 2005, eq. 7): E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r
   -- 2F1(r, b; a+b-1; t/(alpha+t))]
   local r, al, a, b, t = PUB.r, PUB.alpha, PUB.a, PUB.b, 39
   local ex = (a + b - 1) / (a - 1) * (1 - (al / (al + t)) ^ r * f21(r, b, a + b - 1, t / (al + t)))
   near(bg:expected_new(39), ex, 1e-9, "BG/NBD E[X(39)]")
   near(ex, 1.1967, 1e-4) -- 1.2 purchases in 39 weeks: a new CDNOW customer
   -- the mean of P(X(39) = n) is E[X(39)]
   local mean = 0
   for n = 0, 300 do mean = mean + n * bg:pmf_new(39, n) end
   near(mean, ex, 1e-6, "pmf mean")
   -- Pareto/NBD (Schmittlein et al. 1987): E[X(t)] = r beta/(alpha (s-1)) (1 - (beta/(beta+t))^(s-1))
   local P = { r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 }
   local pn = cv.model("pnbd", P, { unit = "week" })
   near(pn:expected_new(39),
      P.r * P.beta / (P.alpha * (P.s - 1)) * (1 - (P.beta / (P.beta + 39)) ^ (P.s - 1)), 1e-10)
   raises("Model:pmf_new: argument #2 must be an integer, got number 0.5", bg.pmf_new, bg, 39, 0.5)
end)

test("a missing horizon is an error, never a default of 0", function()
   raises("Model:conditional: argument #2 %(the horizon, in the model's unit%) must be a "
      .. "number, got nil", bg.conditional, bg, C1)
   raises("Model:conditional: argument #2 .* got nil", bg.conditional, bg, s)
   raises("Model:expected_new: argument #1 .* got nil", bg.expected_new, bg)
   raises("Model:pmf_new: argument #1 .* got nil", bg.pmf_new, bg)
   raises("Model:survival: argument #1 .* got nil", bg.survival, bg)
end)

test("the old forms are errors that say what to write", function()
   local line = debug.getinfo(1, "l").currentline + 1
   local ok, msg, code = cv.try(function() return bg:expected(s, 39) end)
   eq({ ok, code }, { nil, 2 })
   eq(msg, "tests/lua/test_model_interface.lua:" .. line .. ": cv.Model has no field or method "
      .. "'expected' (did you mean 'expected_new' or 'conditional'?)")
   raises("Model:pmf: argument #1 must be a cv.Table of customers or one customer "
      .. "{x =, t_x =, T =}, got number 39 %(a new customer's P%(X%(t%) = n%) is "
      .. "m:pmf_new%(horizon, n%)%)", function() return bg:pmf(39, 0) end)
   raises("cv.Model has no field or method 'paramz' %(did you mean 'params'%?%)",
      function() return bg.paramz end)
   raises("Model:p_alive: argument #1 must be a cv.Table of customers or one customer "
      .. "{x =, t_x =, T =}, got number 2", bg.p_alive, bg, 2, 30.43, 38.86)
   raises("Model:dert: options must be a table, got number 0.15", bg.dert, bg, s, 0.15)
   raises("Model:conditional: the customer's record needs a number 't_x', got nil %(did you "
      .. "mean 'tx'%?%)", bg.conditional, bg, { x = 2, tx = 30.43, T = 38.86 }, 39)
   raises("Model:validate: unknown option 't'", bg.validate, bg, s, { t = 39 })
   raises("Model:validate: unknown option 'holdout_length' %(did you mean 'holdout'%?%)",
      bg.validate, bg, s, { holdout_length = 39 })
   raises("Model:predict: unknown option 't'", bg.predict, bg, s, { t = 39 })
   raises("cv.compare: unknown option 't'", cv.compare, { bg }, s, { t = 39 })
   raises("Model:tracking: unknown option 'unit'", bg.tracking, bg, s,
      { calibration_end = "1997-09-30", unit = "day" })
   -- an option given where a customer goes
   raises("Model:clv: argument #1 must be a cv.Table", bg.clv, bg, 2, { horizon = 52 })
end)

test("no field hides a method; every field a model has is declared", function()
   local methods = fit.methods
   for _, f in ipairs(fit.fields) do
      eq(methods[f], nil, "field " .. f .. " is also a method")
   end
   local names = {}
   for name, fn in pairs(methods) do
      eq(type(fn), "function", name)
      eq(bg[name], fn, name) -- reached through a model: the method, not a field
      names[#names + 1] = name
   end
   table.sort(names)
   eq(table.concat(names, " "), "clv coef conditional delta derl dert diagnostics expected_new "
      .. "loglik_on lr_test p_active p_alive params_table pmf pmf_new predict profile retention "
      .. "simulate spend survival tracking validate")
   local declared = {}
   for _, f in ipairs(fit.fields) do declared[f] = true end
   local fitted = cv.fit("bgnbd", s)
   for _, m in ipairs { fitted, bg, gg, cv.fit("gammagamma", s, { quiet = true }) } do
      for k in pairs(m) do T.ok(declared[k], "undeclared field " .. tostring(k)) end
   end
   -- m.loglik is the fitted value (a field); m:loglik_on(s) the method, at any parameters
   eq(type(fitted.loglik), "number")
   near(fitted:loglik_on(s), fitted.loglik, 1e-9)
   eq(bg.loglik, nil) -- given, not fitted: no log-likelihood of its own
   near(bg:loglik_on(s), -9582.43, 0.01) -- FHL (2005): -9582.4 at the published point
end)

test("a horizon in another unit is converted exactly: 52 weeks == 364 days", function()
   eq(bg:conditional(C1, 364, { unit = "day" }), bg:conditional(C1, 52))
   eq(bg:expected_new(364, { unit = "day" }), bg:expected_new(52))
   eq(bg:pmf_new(364, 1, { unit = "day" }), bg:pmf_new(52, 1))
   eq(bg:clv(C1, { horizon = 364, unit = "day", spend = 1 }), bg:clv(C1, { horizon = 52, spend = 1 }))
   eq(bg:predict(s, { horizon = 364, unit = "day" }):col("conditional"):sum(),
      bg:predict(s, { horizon = 52 }):col("conditional"):sum())
   -- a day model of the same customers: the week parameters with alpha x 7
   local bd = cv.model("bgnbd", { r = PUB.r, alpha = PUB.alpha * 7, a = PUB.a, b = PUB.b },
      { unit = "day" })
   local cd = { x = 2, t_x = 30.43 * 7, T = 38.86 * 7 }
   near(bd:conditional(cd, 52, { unit = "week" }), bg:conditional(C1, 52), 1e-12)
   near(bd:dert(cd, { discount = 0.15 }), bg:dert(C1, { discount = 0.15 }), 1e-9)
end)

test("validate: the holdout length comes from the summary; none known is an error", function()
   local m = cv.fit("bgnbd", s)
   local b1, st1 = m:validate(s)
   local b2, st2 = m:validate(s, { horizon = 39 }) -- 1997-09-30 to 1998-06-30: 273 days
   eq(st1, st2)
   eq(b1:col("expected_total"):totable(), b2:col("expected_total"):totable())
   eq(st1.actual, 1882.0) -- the holdout's repeat transactions (docs/models.md)
   local _, st3 = m:validate(s, { horizon = 273, unit = "day" })
   eq(st3, st1)
   local hand = cv.table { { "x", { 2 } }, { "t_x", { 30.43 } }, { "T", { 38.86 } },
      { "x_holdout", { 1 } } }
   raises("Model:validate: the holdout length is not known", m.validate, m, hand)
   local _, sh = m:validate(hand, { horizon = 39 })
   near(sh.expected, m:conditional(C1, 39), 1e-12)
end)

test("simulate_transactions takes the model's unit; another is an error; params need one",
   function()
   local o = { seed = 4, start = "1997-01-01", cohort_days = 28, ["end"] = "1997-12-31" }
   local bd = cv.model("bgnbd", { r = 0.5, alpha = 42, a = 0.7, b = 2.5 }, { unit = "day" })
   local a = cv.simulate_transactions(bd, 200, o)
   o.unit = "day"
   local b = cv.simulate_transactions({ model = "bgnbd", r = 0.5, alpha = 42, a = 0.7, b = 2.5 },
      200, o)
   eq(#a, #b)
   eq(a:col("date"):totable(), b:col("date"):totable())
   o.unit = "week"
   raises("cv.simulate_transactions: unit = \"week\" but the model's parameters are per day",
      cv.simulate_transactions, bd, 10, o)
   o.unit = nil
   raises("cv.simulate_transactions: the time unit of the parameters of bgnbd is required",
      cv.simulate_transactions, { model = "bgnbd", r = 0.5, alpha = 42, a = 0.7, b = 2.5 }, 10, o)
end)

test("a rate conversion needs its unit (no silent year)", function()
   -- (at the script's line when run: the engine puts it in place of cvkit's, see
   -- tests/cli/test_conventions.sh)
   raises("bad argument #3 to 'rate' %(string expected, got nil%)", cv.timevalue.per_period, 0.15)
   near(cv.timevalue.per_period(0.15, "year"), 0.15, 1e-15)
end)

T.report()
