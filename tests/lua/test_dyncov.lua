-- Tests of the Pareto/NBD with time-varying covariates (lua/cv/dyncov.lua,
-- src/core/model_dyncov*.c) on the reference implementation's apparel data (the shared
-- apparelTrans.csv and apparelDynCov.csv): the reduction to the model without covariates
-- and to the time-invariant model; a fit nested in its LR test; the option's refusals;
-- DERT, CLV and m:predict refused without a choice of the future covariates (P(alive) and the
-- conditional expectation: test_dyncov_predict.lua; DERT, CLV, m:predict: test_dyncov_value.lua).
local T = require "cv.testing"
local test, eq, near, raises = T.test, T.eq, T.near, T.raises
local dyncov = require "cv.dyncov"

-- the reference implementation's own apparel data (../shared/data: CVKIT_DATA), weeks,
-- the 40-week estimation period from 2005-01-02 (docs/models.md)
local D = (os.getenv("CVKIT_DATA") or "../shared/data") .. "/"
local s = cv.summary_csv(D .. "apparelTrans.csv", { customer = "Id", date = "Date",
   amount = "Price", unit = "week", calibration_end = "2005-10-08", quiet = true })
local tx = cv.read_csv(D .. "apparelTrans.csv")
local dc = cv.read_csv(D .. "apparelDynCov.csv")
local THREE = { "High.Season", "Gender", "Channel" }
local O = { trans = THREE, life = THREE, dynamic = { covariates = dc, transactions = tx } }

local function by_id(t, col)
   local out, id, v = {}, t:col(t:names()[1]):totable(), t:col(col):totable()
   for i = 1, #id do out[string.format("%d", id[i])] = v[i] end
   return out
end

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
   -- on all of apparel the time-invariant fit stops on its flat ridge (status boundary): the
   -- equality holds at any point, so its estimates serve
   T.ok(ms.loglik < -1000 and ms.loglik > -5000, ms.loglik)
   near(ll, ms.loglik, 1e-8)
end)

test("fit: a small model; DERT and CLV refused without the future covariates", function()
   local m = cv.fit("pareto_nbd", s, { trans = { "High.Season" }, quiet = true,
      dynamic = { covariates = dc, transactions = tx } })
   eq(m.names[5], "trans.High.Season")
   near(m.loglik0, cv.fit("pareto_nbd", s, { quiet = true }).loglik, 1e-9)
   T.ok(m.loglik >= m.loglik0 - 1e-9, "nested")
   near(dyncov.loglik(s, { trans = { "High.Season" }, dynamic = O.dynamic }, m.values),
      m.loglik, 1e-8, "the LL at the estimates")
   local t = m:lr_test()
   eq(t.df, 1)
   raises('time%-varying covariates.*future = "last"', m.predict, m, s)
   raises('time%-varying covariates.*future = "last"', m.clv, m, s, { unit = "week" })
   raises("needs the covariates over the prediction period", m.conditional, m, s, 10)
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
