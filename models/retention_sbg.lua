-- models/retention_sbg.lua: contractual retention with the shifted-beta-geometric model
-- (Fader & Hardie 2007, "How to project customer retention"). In: a cohort's survival, one
-- row per period with the customers still active (the first row: the cohort at the start).
-- Out: the fit, the fitted and projected survival and retention rates per period, and the
-- discounted expected residual lifetime (DERL, Fader & Hardie 2010) of a new customer and
-- of one who has renewed. Run: cvkit run models/retention_sbg.lua --data cohort.csv
local script = require "cv.script"

local M = { name = "retention_sbg", describe = "shifted-beta-geometric retention: fit a cohort's survival, project it, and DERL" }

M.params = {
   data = { "cohort survival file (CSV; one row per period)", nil },
   active = { "column of customers still active at each period's start", "active" },
   periods = { "periods to project", 12 },
   discount = { "annual effective discount rate", 0.1 },
   unit = { "time unit of the model: day, week, month or year", "year" },
   out = { "output file (CSV, TSV, JSON, Markdown, XLSX or an HTML report by extension)", nil },
}

function M.run(ctx, p)
   local cv = ctx.cv
   local counts = cv.read_csv(p.data, p.read):col(p.active):totable()
   local m = cv.fit("sbg", counts, { unit = p.unit })
   ctx.say("models.say.sbg", { alpha = string.format("%.4f", m.params.alpha),
      beta = string.format("%.4f", m.params.beta), loglik = cv.format(m.loglik, "number", 2),
      churn = cv.format(m.params.alpha / (m.params.alpha + m.params.beta), "share") })
   local n0 = counts[1]
   local period, actual, fitted, ret_actual, ret_model = {}, {}, {}, {}, {}
   for t = 0, math.max(p.periods, #counts - 1) do
      local i = t + 1
      period[i] = t
      actual[i] = counts[i]
      fitted[i] = n0 * m:survival(t)
      if t > 0 then
         ret_model[i] = m:retention(t)
         ret_actual[i] = counts[i] and counts[i - 1] and counts[i] / counts[i - 1] or nil
      end
   end
   local n = #period
   actual.n, ret_actual.n, ret_model.n = n, n, n
   local t = cv.table { { "period", period }, { "active", actual, "float" },
      { "fitted", fitted }, { "retention", ret_actual, "float" },
      { "retention_model", ret_model, "float" } }
   ctx.write(t, p, { say = "models.say.wrote_table" })
   ctx.show(t, { period = "count", active = "count", fitted = { "number", 1 },
      retention = "share", retention_model = "share" }, "sbg.col.")
   local renewals = #counts - 1
   ctx.say("models.say.derl", { discount = cv.format(cv.timevalue.per_period(p.discount, p.unit),
         "rate"),
      new = string.format("%.3f", m:derl({ x = 0 }, { discount = p.discount })), n = renewals,
      renewed = string.format("%.3f", m:derl({ x = renewals }, { discount = p.discount })) })
end

return script.main(M, ...)
