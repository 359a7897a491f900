-- Tests of the Pareto/NBD with time-varying covariates (lua/cv/dyncov.lua,
-- src/core/model_dyncov.c): the log-likelihood against CLVTools' own per-customer values
-- (tests/data/dyncov/README.md) and, where they differ, against an mpmath quadrature; the
-- reduction to the model without covariates; the option's refusals; predictions refused.
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises
local dyncov = require "cv.dyncov"

local R = "tests/data/dyncov/"
local s = cv.summary_csv(R .. "trans.csv", { customer = "Id", date = "Date", amount = "Price",
   unit = "week", calibration_end = "2006-01-01", quiet = true })
local tx = cv.read_csv(R .. "trans.csv")
local dc = cv.read_csv(R .. "cov.csv")
local THREE = { "High.Season", "Gender", "Channel" }
local O = { trans = THREE, life = THREE, dynamic = { covariates = dc, transactions = tx } }
-- CLVTools' point: r, alpha, s, beta, then trans.* and life.* (cv.fit's order)
local V = { math.exp(-0.27720382816415362), math.exp(1.5564378992723951),
   math.exp(-0.6102777027376507), math.exp(3.0996056840188038),
   0.1, 0.1, 0.40996056840188044, 0.1, 0.1, 0.1 }

local function by_id(t, col)
   local out, id, v = {}, t:col(t:names()[1]):totable(), t:col(col):totable()
   for i = 1, #id do out[string.format("%d", id[i])] = v[i] end
   return out
end

test("LL per customer equals CLVTools' (customer 134: an independent quadrature)", function()
   local ll, lli = dyncov.loglik(s, O, V)
   local ref = by_id(cv.read_csv(R .. "ll.csv"), "LL")
   local cust = s:col("customer"):totable()
   eq(#cust, 40)
   local sum = 0
   for i, c in ipairs(cust) do
      local id = string.format("%d", c)
      if id == "134" then
         -- x = 176: CLVTools gives 28.2219084109468 (its GSL 2F1 falls back to an
         -- approximation); mpmath quadrature of the integral form at 30 digits gives
         -- 28.2288175282226
         near(lli[i], 28.2288175282226, 1e-9, "customer 134")
      else
         near(lli[i], ref[id], 1e-9, "customer " .. id)
      end
      sum = sum + lli[i]
   end
   near(ll, sum, 1e-9)
end)

test("coefficients 0: the LL of the Pareto/NBD without covariates", function()
   local m0 = cv.fit("pareto_nbd", s, { quiet = true })
   local v = { m0.values[1], m0.values[2], m0.values[3], m0.values[4], 0, 0, 0, 0, 0, 0 }
   local ll = dyncov.loglik(s, O, v)
   near(ll, m0.loglik, 1e-8)
end)

test("covariates constant in time: the time-invariant model's LL", function()
   -- Gender and Channel do not change within a customer here: the dynamic LL at any point
   -- is the static one, computed by cv.fit's covariate model on the summary joined with them
   local g, ch = by_id(dc, "Gender"), by_id(dc, "Channel")
   local st = s:add("Gender", function(row) return g[string.format("%d", row.customer)] end,
      "float")
   st = st:add("Channel", function(row) return ch[string.format("%d", row.customer)] end, "float")
   local both = { "Gender", "Channel" }
   local ms = cv.fit("pareto_nbd", st, { trans = both, life = { "Gender" }, quiet = true })
   local ll = dyncov.loglik(s, { trans = both, life = { "Gender" },
      dynamic = { covariates = dc, transactions = tx } }, ms.values)
   T.ok(ms.status == "converged", ms.status)
   near(ll, ms.loglik, 1e-8)
end)

test("fit: a small model; predictions refused", function()
   local m = cv.fit("pareto_nbd", s, { trans = { "High.Season" }, quiet = true,
      dynamic = { covariates = dc, transactions = tx } })
   eq(m.names[5], "trans.High.Season")
   near(m.loglik0, cv.fit("pareto_nbd", s, { quiet = true }).loglik, 1e-9)
   T.ok(m.loglik >= m.loglik0 - 1e-9, "nested")
   near(dyncov.loglik(s, { trans = { "High.Season" }, dynamic = O.dynamic }, m.values),
      m.loglik, 1e-8, "the LL at the estimates")
   local t = m:lr_test()
   eq(t.df, 1)
   raises("time%-varying covariates", m.p_alive, m, s)
   raises("time%-varying covariates", m.clv, m, s, { unit = "week" })
   raises("time%-varying covariates", m.conditional, m, s, 10)
end)

test("the option's refusals", function()
   raises("is for pareto_nbd", cv.fit, "bgnbd", s, { trans = "Gender", quiet = true,
      dynamic = O.dynamic })
   raises("needs the covariates", cv.fit, "pareto_nbd", s, { quiet = true, dynamic = O.dynamic })
   raises("did you mean 'customer'", cv.fit, "pareto_nbd", s, { trans = "Gender", quiet = true,
      dynamic = { covariates = dc, transactions = tx, custmer = "Id" } })
   raises("Gender", cv.fit, "pareto_nbd", s, { trans = "Gendr", quiet = true,
      dynamic = O.dynamic })
end)

T.report()
