-- models/compare_models.lua: BG/NBD, Pareto/NBD and MBG/NBD fitted on one customer summary
-- and compared: log-likelihood, AIC, BIC and, with an observation end, the holdout error
-- (actual and expected repeat transactions, MAE, RMSE, Brier score of P(alive)).
-- Run: cvkit run models/compare_models.lua --data tx.csv --set calibration_end=1997-09-30 \
--        --set observation_end=1998-06-30
local script = require "cv.script"
local steps = require "cv.model_script"

local M = { name = "compare_models", describe = "fit BG/NBD, Pareto/NBD and MBG/NBD on one summary and compare them (LL, AIC, BIC, holdout error)" }

M.params = script.transaction_params {
   unit = steps.script_params.unit,
   calibration_end = steps.script_params.calibration_end,
   observation_end = steps.script_params.observation_end,
}
M.params.min_years = nil

function M.run(ctx, p)
   local cv = ctx.cv
   local s, rep = steps.script_summary(p)
   local fits = {}
   for _, name in ipairs { "bgnbd", "pareto_nbd", "mbgnbd" } do
      fits[#fits + 1] = cv.fit(name, s, { unit = p.unit })
      steps.say_fit(ctx, fits[#fits])
   end
   local t = cv.compare(fits, s, { horizon = rep.holdout_length })
   ctx.write(t, p, { say = "models.say.wrote_table" })
   ctx.say("models.say.compare", { customers = #s })
   local shown = { { "model", {} } } -- the models by their names (BG/NBD), as the report does
   for i, m in ipairs(fits) do shown[1][2][i] = m.title:match("^%S+") end
   for _, k in ipairs(t:names()) do
      if k ~= "model" then shown[#shown + 1] = { k, t:col(k):totable() } end
   end
   ctx.show(cv.table(shown), script.MODEL_KINDS)
   local best = 1
   for i, m in ipairs(fits) do
      if m.bic < fits[best].bic then best = i end
   end
   ctx.say("models.say.best", { model = fits[best].title })
   -- an HTML report (--out x.html) gets each model's diagnostics
   require("cv.diagnostics").script_sections(ctx, p, fits)
end

return script.main(M, ...)
