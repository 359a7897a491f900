-- memcheck: skip (an apparel fit and predictions for its 250 customers; the C paths,
-- cv_dyncov_dtx, are tests/unit/test_dyncov_dtx.c's, run under memcheck)
-- Tests of DERT, CLV and m:predict of the Pareto/NBD with time-varying covariates
-- (lua/cv/dyncov.lua through cv.core.dyncov.dtx): with the coefficients 0, and with covariates
-- constant in time, they are the time-invariant Pareto/NBD's (cv.model at each customer's
-- own parameters) to 1e-9; the choice of the future (dynamic or future = "last") is required
-- and a missing one names both; what is refused (m:predict's n without a path).
local T = require "cv.testing"
local test, eq, ok, raises = T.test, T.eq, T.ok, T.raises

local D = (os.getenv("CVKIT_DATA") or "../shared/data") .. "/"
local s = cv.summary_csv(D .. "apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", unit = "week", calibration_end = "2005-10-08", quiet = true })
local tx = cv.read_csv(D .. "apparelTrans.csv")
local dc = cv.read_csv(D .. "apparelDynCov.csv")
local DYN = { covariates = dc, transactions = tx }
local P = { r = 0.8, alpha = 5, s = 0.9, beta = 9 }

-- the fit of a model with Gender on the purchases; at(g) the same model at the parameters P
-- and the coefficient g
local m = cv.fit("pareto_nbd", s, { trans = { "Gender" }, quiet = true, dynamic = DYN })
local function at(g)
   return setmetatable({ values = { P.r, P.alpha, P.s, P.beta, g } }, { __index = m })
end

local close = T.near_all -- columns, element by element, the worst difference said

test("coefficients 0: DERT, CLV and m:predict are the Pareto/NBD's", function()
   local m0, st = at(0), cv.model("pareto_nbd", P, { unit = "week" })
   close(m0:dert(s, { future = "last" }):col("dert"), st:dert(s):col("dert"), 1e-9, "DERT")
   close(m0:dert(s, { future = "last", discount = 0.3 }):col("dert"),
      st:dert(s, { discount = 0.3 }):col("dert"), 1e-9, "DERT at 30%")
   local o = { horizon = 52, spend = 20, margin = 0.3 }
   local want = st:clv(s, o)
   for _, how in ipairs { { future = "last" }, { dynamic = dc }, { dynamic = dc, future = "last" } } do
      local c = m0:clv(s, { horizon = 52, spend = 20, margin = 0.3, dynamic = how.dynamic,
         future = how.future })
      for _, k in ipairs { "p_alive", "dtx", "spend", "margin_share", "value_tx", "clv" } do
         close(c:col(k), want:col(k), 1e-9, "52-week CLV, " .. k)
      end
   end
   close(m0:clv(s, { horizon = math.huge, future = "last" }):col("clv"),
      st:clv(s, { horizon = math.huge }):col("clv"), 1e-9, "lifetime CLV")
   local p = m0:predict(s, { dynamic = dc, future = "last", discount = 0.15, horizon = 26 })
   local w = st:predict(s, { discount = 0.15, horizon = 26 })
   eq(table.concat(p:names(), ","), table.concat(w:names(), ","), "the columns")
   for _, k in ipairs { "p_alive", "conditional", "dert" } do
      close(p:col(k), w:col(k), 1e-9, "m:predict " .. k)
   end
end)

test("Gender (constant in time): each customer's own Pareto/NBD", function()
   -- a purchase coefficient g on a covariate that never changes: alpha_i = alpha exp(-g z_i)
   local g = 0.6
   local mg = at(g)
   local d = mg:dert(s, { future = "last" }):col("dert"):totable()
   local c = mg:clv(s, { horizon = 39, future = "last", spend = 2 }):col("clv"):totable()
   local gender, id = {}, dc:col("Id"):totable()
   local gz = dc:col("Gender"):totable()
   for j = 1, #id do gender[string.format("%d", id[j])] = gz[j] end
   local cust, x, tx_, TT = s:col("customer"):totable(), s:col("x"):totable(),
      s:col("t_x"):totable(), s:col("T"):totable()
   local worst, n1 = 0, 0
   for i = 1, #cust do
      local z = gender[string.format("%d", cust[i])]
      n1 = n1 + z
      local st = cv.model("pareto_nbd", { r = P.r, alpha = P.alpha * math.exp(-g * z), s = P.s,
         beta = P.beta }, { unit = "week" })
      local one = s:filter(function(row) return row.customer == cust[i] end)
      local wd = st:dert({ x = x[i], t_x = tx_[i], T = TT[i] })
      local wc = st:clv(one, { horizon = 39, spend = 2 }):col("clv")[1]
      worst = math.max(worst, math.abs(d[i] - wd) / wd, math.abs(c[i] - wc) / wc)
      if i >= 40 then break end -- 40 customers are enough (and cheap)
   end
   ok(n1 > 0 and n1 < 40, "both genders among them")
   ok(worst <= 1e-9, string.format("worst relative difference %.3g", worst))
end)

test("strict: the future is said, or the call names both ways", function()
   local m1 = at(0.5)
   raises('dynamic = Table covering it.*future = "last"', m1.dert, m1, s)
   raises('dynamic = Table covering it.*future = "last"', m1.clv, m1, s, { horizon = 10 })
   raises('dynamic = Table covering it.*future = "last"', m1.predict, m1, s)
   raises("no covariate table covers", m1.dert, m1, s, { dynamic = dc })
   raises("no covariate table covers", m1.clv, m1, s, { dynamic = dc, horizon = math.huge })
   raises("did you mean", m1.dert, m1, s, { future = "lats" })
   -- a table that stops before the horizon
   local early = dc:filter(function(row) return tostring(row["Cov.Date"]) < "2005-11-01" end)
   raises("do not cover", m1.clv, m1, s, { dynamic = early, horizon = 52 })
   -- the same table with the rule: its last covariates held after it
   local held = m1:clv(s, { dynamic = early, future = "last", horizon = 52 }):col("dtx")
   ok(held:sum() > 0, "held")
   -- m:predict's n needs a new customer's path; its interval the fit's covariance (none here)
   raises("needs a new customer's covariates: option path", m1.predict, m1, s,
      { future = "last", n = 2 })
   raises("no asymptotic interval for pareto_nbd", m1.predict, m1, s,
      { future = "last", interval = 0.9 })
   raises("Table of its customers", m1.clv, m1, { x = 1, t_x = 2, T = 30 }, { future = "last" })
end)

test("a season: the table alone and with the rule; discount 0", function()
   -- at an interior point (the fit's dropout side is on its ridge, s ~ 10^6, where the
   -- survival (B/(B + C))^s is rounded at 1e-8)
   local fit = cv.fit("pareto_nbd", s, { trans = { "High.Season" }, life = { "High.Season" },
      quiet = true, dynamic = DYN })
   local mh = setmetatable({ values = { P.r, P.alpha, P.s, P.beta, 0.8, 1.2 } }, { __index = fit })
   -- over a horizon the table covers, the rule after it changes nothing
   local a = mh:clv(s, { dynamic = dc, horizon = 52 }):col("clv")
   local b = mh:clv(s, { dynamic = dc, future = "last", horizon = 52 }):col("clv")
   close(a, b, 1e-12, "the table alone and with the rule")
   -- undiscounted over the horizon, dtx by unit periods is the conditional expectation
   local c = mh:clv(s, { dynamic = dc, horizon = 52, discount = 0 }):col("dtx")
   close(c, mh:conditional(s, 52, { dynamic = dc }):col("conditional"), 1e-9,
      "dtx at discount 0")
end)

T.report()
